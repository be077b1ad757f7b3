package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.typeName;
import static dev.adjoint.processor.ir.Identifiers.capitalize;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.ObjectShape;
import dev.adjoint.processor.ir.ObjectShape.Kind;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The entry points of a method taking records, arrays of records or enums, in the user's own
 * terms. The other families write the flat forms (the stages see one parameter per component:
 * {@code p.k()} is {@code pK}, an enum its ordinal, an array of records one array per
 * component); this one writes, over them:
 *
 * <ul>
 *   <li>{@code m(<flat parameters>)}: the method on components, which generated callers call
 *       where they need only its value;
 *   <li>{@code record MGrad}, whose derivative of a record parameter is a record of the same
 *       type (the partials in its {@code double}/{@code float} components, the input's own values
 *       in its constant ones), and of an array of records an array of such records;
 *       {@code mGrad} and {@code mVjp} (its pullbacks give {@code MGrad});
 *   <li>overloads of {@code mAdjoint}, {@code mJvp} (tangents of record parameters are records
 *       of the same type), {@code mJacobian}, {@code mHessian}, {@code mHvp} and
 *       {@code mDerivatives} taking the objects and calling the flat forms.
 * </ul>
 *
 * <p>Buffers and matrices stay flat: {@code mAdjoint}'s {@code adjoints} holds the scalar
 * components' partials in declaration order (a record's components in place of the record),
 * and an array of records has one buffer per {@code double} component.
 */
final class ObjectEntryPoints {
  private final MethodModel model;
  private final MethodIr m;
  private final List<MethodSpec> flat;
  private final List<ObjectShape> objects;
  /** A record result, returned by the flat forms as the double[] of its components. */
  private final java.util.Optional<ObjectShape> result;

  /**
   * The handles of private fields (of final classes) the generated class already declares,
   * shared by the methods of one generated class; this method's are added to it.
   */
  private final Set<String> fieldHandles;
  /** The handles this method's wrappers read, by name, declared by {@link #addTo}. */
  private final Map<String, FieldSpec> handlesUsed = new LinkedHashMap<>();

  ObjectEntryPoints(MethodModel model, List<MethodSpec> flat) {
    this(model, flat, new HashSet<>());
  }

  ObjectEntryPoints(MethodModel model, List<MethodSpec> flat, Set<String> fieldHandles) {
    this.fieldHandles = fieldHandles;
    this.model = model;
    this.m = model.method();
    this.flat = flat;
    this.objects = model.parameterShapes();
    this.result = model.resultShape();
  }

  /** The type of the value: the record result's, or the method's. */
  private TypeName valueType() {
    return result.<TypeName>map(r -> ClassName.bestGuess(r.javaType()))
        .orElse(typeName(m.returnType()));
  }

  /** {@code new R(v[0], new S(v[1]))}: the record result from its components in {@code array}. */
  private static CodeBlock resultValue(ObjectShape s, String array, int[] at) {
    List<CodeBlock> parts = new ArrayList<>();
    for (ObjectShape c : s.components()) {
      parts.add(c.kind() == Kind.RECORD ? resultValue(c, array, at)
          : CodeBlock.of("$L[$L]", array, at[0]++));
    }
    return CodeBlock.of("new $T($L)", ClassName.bestGuess(s.javaType()),
        CodeBlock.join(parts, ", "));
  }

  /** The accessor paths of a record result's components: a seed's values in flat order. */
  private static void resultPaths(ObjectShape s, String input, List<String> out) {
    for (ObjectShape c : s.components()) {
      String path = input + "." + c.name() + "()";
      if (c.kind() == Kind.RECORD) {
        resultPaths(c, path, out);
      } else {
        out.add(path);
      }
    }
  }

  /** The type a parameter has in the user's signature, as javadoc links name it. */
  static String sourceTypeName(ObjectShape s) {
    return switch (s.kind()) {
      case VALUE -> s.leaf().orElseThrow().type().javaName();
      case RECORD_ARRAY -> s.javaType() + "[]";
      default -> s.javaType();
    };
  }

  private static TypeName sourceType(ObjectShape s) {
    return switch (s.kind()) {
      case VALUE -> typeName(s.leaf().orElseThrow().type());
      case RECORD_ARRAY -> ArrayTypeName.of(ClassName.bestGuess(s.javaType()));
      default -> ClassName.bestGuess(s.javaType());
    };
  }

  void addTo(TypeSpec.Builder type) {
    type.addMethod(flatPrimal());
    if (!model.helper()) {
      type.addType(gradRecord());
      type.addMethod(shaped());
      if (!model.vectorOutput()) {
        type.addMethod(gradMethod());
      }
      if (model.adjoint().custom().isEmpty()) {
        type.addType(vjpClass());
        type.addMethod(vjpMethod());
      }
    }
    for (MethodSpec f : flat) {
      if (!f.modifiers().contains(Modifier.PUBLIC) || !f.modifiers().contains(Modifier.STATIC)) {
        continue;
      }
      String suffix = f.name().startsWith(m.name()) ? f.name().substring(m.name().length()) : "";
      switch (suffix) {
        case "Adjoint", "Jacobian", "Hessian", "Derivatives" -> type.addMethod(overload(f, 0));
        case "Jvp", "Hvp" -> type.addMethod(overload(f, m.differentiated().size()));
        default -> { }
      }
    }
    handlesUsed.forEach((name, field) -> {
      if (fieldHandles.add(name)) {
        type.addField(field);
      }
    });
  }

  // ------------------------------------------------------------------ reading components

  /**
   * How generated code reads component {@code c} of {@code input}, a value of shape
   * {@code owner}: a record's accessor, a final class's field, or a private field through
   * its handle.
   */
  private String read(ObjectShape owner, ObjectShape c, String input) {
    switch (c.read()) {
      case ACCESSOR:
        return input + "." + c.name() + "()";
      case FIELD:
        return input + "." + c.name();
      case PRIVATE_FIELD: {
        String handle = handleName(owner, c);
        ClassName ownerClass = ClassName.bestGuess(owner.javaType());
        String fieldType = c.kind() == Kind.VALUE ? c.javaType() : c.kind() == Kind.RECORD_ARRAY
            ? c.javaType() + "[]" : c.javaType();
        CodeBlock type = CodeBlock.of("$L.class", fieldType);
        handlesUsed.computeIfAbsent(handle, h -> FieldSpec.builder(
                ClassName.get("java.lang.invoke", "VarHandle"), h,
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Reads the private field {@code $L} of {@link $T}.\n", c.name(),
                ownerClass)
            .initializer("$T.handle($T.class, $S, $L, $T.lookup())",
                ClassName.get("dev.adjoint.runtime", "Fields"), ownerClass, c.name(), type,
                ClassName.get("java.lang.invoke", "MethodHandles"))
            .build());
        return "((" + fieldType + ") " + handle + ".get(" + input + "))";
      }
      default:
        throw new IllegalStateException(c.read().toString());
    }
  }

  /** {@code POLYNOMIAL_COEFFICIENTS_FIELD}: the handle of a private field. */
  private static String handleName(ObjectShape owner, ObjectShape c) {
    String base = owner.simpleType() + "_" + c.name();
    return base.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_')
        .toUpperCase(java.util.Locale.ROOT) + "_FIELD";
  }

  // ------------------------------------------------------------------ naming

  /** Names the wrappers declare: the user's parameters', the components', then fresh ones. */
  private final class Local {
    private final Set<String> taken = new HashSet<>();

    /** The tape record arrays' copies are borrowed from, if the wrapper has one. */
    String tape;
    /** How many arrays were borrowed from it. */
    int borrowed;

    Local() {
      objects.forEach(s -> taken.add(s.parameterName()));
    }

    String fresh(String base) {
      String name = base;
      for (int k = 2; !taken.add(name); k++) {
        name = base + k;
      }
      return name;
    }
  }

  // ------------------------------------------------------------------ flat arguments

  /**
   * Adds to {@code out} the flat arguments {@code input} (a value of shape {@code s}) stands
   * for; an array of records is copied into one array per component first, in {@code prep}.
   * With {@code only} non-null, only those leaves (tangents: the differentiated ones).
   */
  private void flatArguments(ObjectShape s, String input, CodeBlock.Builder prep, Local names,
      List<String> out, Set<Variable> only, String suffix) {
    switch (s.kind()) {
      case VALUE -> {
        if (only == null || only.contains(s.leaf().orElseThrow())) {
          out.add(input);
        }
      }
      case ENUM -> {
        if (only == null) {
          out.add(input + ".ordinal()");
        }
      }
      case KEPT -> { }
      case RECORD -> {
        for (ObjectShape c : s.components()) {
          if (c.kind() != Kind.KEPT) {
            flatArguments(c, read(s, c, input), prep, names, out, only, suffix);
          }
        }
      }
      case RECORD_ARRAY -> {
        Map<Variable, String> paths = new LinkedHashMap<>();
        String i = names.fresh("i");
        for (ObjectShape c : s.components()) {
          if (c.kind() != Kind.KEPT) {
            elementPaths(c, read(s, c, input + "[" + i + "]"), paths);
          }
        }
        paths.keySet().removeIf(v -> only != null && !only.contains(v));
        if (paths.isEmpty()) {
          return;
        }
        Map<Variable, String> locals = new LinkedHashMap<>();
        for (Variable leaf : paths.keySet()) {
          String local = names.fresh(leaf.name() + suffix);
          locals.put(leaf, local);
          if (names.tape != null && leaf.type() == Type.DOUBLE_ARRAY) {
            prep.addStatement("$T $L = $L.borrow($L.length)", typeName(leaf.type()), local,
                names.tape, input);
            names.borrowed++;
          } else {
            prep.addStatement("$T $L = new $L[$L.length]", typeName(leaf.type()), local,
                leaf.type().element().javaName(), input);
          }
        }
        prep.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", i, i, input, i);
        paths.forEach((leaf, path) -> prep.addStatement("$L[$L] = $L", locals.get(leaf), i,
            path));
        prep.endControlFlow();
        out.addAll(locals.values());
      }
    }
  }

  /** The path from an element of a record array to each of its leaves. */
  private void elementPaths(ObjectShape s, String path, Map<Variable, String> out) {
    switch (s.kind()) {
      case VALUE -> out.put(s.leaf().orElseThrow(), path);
      case ENUM -> out.put(s.leaf().orElseThrow(), path + ".ordinal()");
      case RECORD -> s.components().stream().filter(c -> c.kind() != Kind.KEPT)
          .forEach(c -> elementPaths(c, read(s, c, path), out));
      default -> { }
    }
  }

  // ------------------------------------------------------------------ gradients

  /** The parameters with a component in {@code MGrad}: those with differentiated leaves. */
  private List<ObjectShape> differentiated() {
    List<ObjectShape> out = new ArrayList<>();
    for (ObjectShape s : objects) {
      if (s.leaves().stream().anyMatch(m.differentiated()::contains)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The object parameters the shaped gradient copies constants from. */
  private List<ObjectShape> rebuilt() {
    return differentiated().stream().filter(s -> s.kind() != Kind.VALUE).toList();
  }

  private TypeSpec gradRecord() {
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addParameter(valueType(), "value");
    Doc doc = Doc.of(model.vectorOutput()
        ? "The value of $L and the vector-Jacobian product for one output seed, shaped like "
            + "its parameters.\n"
        : "The value of $L and its partial derivatives, shaped like its parameters: the "
            + "derivative\nwith respect to a record is a record of the same type whose double "
            + "and float components\nhold the partials and whose other components hold the "
            + "input's own values.\n", model.link());
    doc.param("value", "the method's result");
    for (ObjectShape s : differentiated()) {
      String component = "d" + capitalize(s.name());
      constructor.addParameter(sourceType(s), component);
      doc.param(component, "the derivative with respect to {@code $L}", s.name());
    }
    for (Variable r : m.retained()) {
      String component = "d" + capitalize(r.name());
      constructor.addParameter(TypeName.DOUBLE, component);
      doc.param(component, "the derivative with respect to the final value of local {@code $L}",
          r.name());
    }
    return TypeSpec.recordBuilder(model.objectGradRecord().simpleName())
        .addModifiers(Modifier.PUBLIC)
        .recordConstructor(constructor.build())
        .addJavadoc(doc.build())
        .build();
  }

  private String shapedName() {
    return m.name() + "Shaped";
  }

  /** {@code mShaped(flat, p, flows)}: the flat gradient in the parameters' own shapes. */
  private MethodSpec shaped() {
    Local names = new Local();
    String flatGrad = names.fresh("flat");
    MethodSpec.Builder method = MethodSpec.methodBuilder(shapedName())
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(model.objectGradRecord())
        .addParameter(model.gradRecord(), flatGrad);
    rebuilt().forEach(s -> method.addParameter(sourceType(s), s.parameterName()));
    CodeBlock.Builder body = CodeBlock.builder();
    List<CodeBlock> components = new ArrayList<>();
    if (result.isPresent()) {
      String values = names.fresh("values");
      body.addStatement("double[] $L = $L.value()", values, flatGrad);
      components.add(resultValue(result.get(), values, new int[] {0}));
    } else {
      components.add(CodeBlock.of("$L.value()", flatGrad));
    }
    for (ObjectShape s : differentiated()) {
      components.add(s.kind() == Kind.VALUE
          ? CodeBlock.of("$L.d$L()", flatGrad, capitalize(s.leaf().orElseThrow().name()))
          : rebuild(s, s.parameterName(), null, flatGrad, body, names));
    }
    m.retained().forEach(r -> components.add(CodeBlock.of("$L.d$L()", flatGrad,
        capitalize(r.name()))));
    body.addStatement("return new $T($L)", model.objectGradRecord(),
        CodeBlock.join(components, ", "));
    return method.addJavadoc("The flat gradient {@code $L} in the parameters' own shapes.\n",
        flatGrad).addCode(body.build()).build();
  }

  /**
   * The derivative with respect to {@code input} (of shape {@code s}, an element at
   * {@code index} of record arrays when non-null): the partials in its differentiated
   * components, the input's values in the others.
   */
  private CodeBlock rebuild(ObjectShape s, String input, String index, String flatGrad,
      CodeBlock.Builder prep, Local names) {
    switch (s.kind()) {
      case VALUE: {
        Variable leaf = s.leaf().orElseThrow();
        if (!m.differentiated().contains(leaf)) {
          return CodeBlock.of("$L", input);
        }
        return index == null ? CodeBlock.of("$L.d$L()", flatGrad, capitalize(leaf.name()))
            : CodeBlock.of("$L.d$L()[$L]", flatGrad, capitalize(leaf.name()), index);
      }
      case ENUM:
      case KEPT:
        return CodeBlock.of("$L", input);
      case RECORD: {
        if (s.constantObject()) {
          // An instance of a final class is a constant: the input itself.
          return CodeBlock.of("$L", input);
        }
        List<CodeBlock> parts = new ArrayList<>();
        for (ObjectShape c : s.components()) {
          parts.add(rebuild(c, input + "." + c.name() + "()", index, flatGrad, prep, names));
        }
        return CodeBlock.of("new $T($L)", ClassName.bestGuess(s.javaType()),
            CodeBlock.join(parts, ", "));
      }
      case RECORD_ARRAY: {
        if (s.constantObject()) {
          return CodeBlock.of("$L", input);
        }
        ClassName element = ClassName.bestGuess(s.javaType());
        String local = names.fresh("d" + capitalize(s.name()));
        String i = names.fresh("i");
        prep.addStatement("$T[] $L = new $T[$L.length]", element, local, element, input);
        prep.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", i, i, input, i);
        List<CodeBlock> parts = new ArrayList<>();
        for (ObjectShape c : s.components()) {
          parts.add(rebuild(c, input + "[" + i + "]." + c.name() + "()", i, flatGrad, prep,
              names));
        }
        prep.addStatement("$L[$L] = new $T($L)", local, i, element, CodeBlock.join(parts, ", "));
        prep.endControlFlow();
        return CodeBlock.of("$L", local);
      }
      default:
        throw new IllegalStateException(s.kind().toString());
    }
  }

  private MethodSpec gradMethod() {
    Local names = new Local();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Grad")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(model.objectGradRecord());
    Doc doc = Doc.of("Evaluates $L and its gradient with one reverse sweep, shaped like the "
        + "parameters.\n", model.link());
    sourceParameters(method, doc);
    CodeBlock.Builder body = CodeBlock.builder();
    List<String> args = new ArrayList<>();
    objects.forEach(s -> flatArguments(s, s.parameterName(), body, names, args, null, ""));
    List<String> rebuilt = new ArrayList<>();
    rebuilt.add(CodeBlock.of("$LGrad($L)", m.name(), String.join(", ", args)).toString());
    rebuilt().forEach(s -> rebuilt.add(s.parameterName()));
    body.addStatement("return $L($L)", shapedName(), String.join(", ", rebuilt));
    return method.addJavadoc(doc.returns("the value and the derivatives").build())
        .addCode(body.build()).build();
  }

  private void sourceParameters(MethodSpec.Builder method, Doc doc) {
    for (ObjectShape s : objects) {
      method.addParameter(sourceType(s), s.parameterName());
      if (s.receiver()) {
        doc.param(s.parameterName(), "the $L whose method {@code $L} this is",
            s.constantObject() ? "object" : "record", m.name());
      } else {
        doc.param(s.parameterName(), "argument {@code $L} of {@code $L}", s.name(), m.name());
      }
    }
  }

  // ------------------------------------------------------------------ vjp

  private TypeSpec vjpClass() {
    ClassName self = model.objectVjpClass();
    String flatField = new Local().fresh("flat");
    TypeSpec.Builder type = TypeSpec.classBuilder(self.simpleName())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("One recorded forward sweep of $L, whose pullbacks are shaped like its "
            + "parameters.\n", model.link());
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(model.vjpClass(), flatField)
        .addStatement("this.$L = $L", flatField, flatField);
    type.addField(FieldSpec.builder(model.vjpClass(), flatField, Modifier.PRIVATE,
        Modifier.FINAL).build());
    List<String> kept = new ArrayList<>();
    for (ObjectShape s : rebuilt()) {
      type.addField(FieldSpec.builder(sourceType(s), s.parameterName(), Modifier.PRIVATE,
          Modifier.FINAL).build());
      constructor.addParameter(sourceType(s), s.parameterName())
          .addStatement("this.$L = $L", s.parameterName(), s.parameterName());
      kept.add(s.parameterName());
    }
    type.addMethod(constructor.build());
    MethodSpec.Builder value = MethodSpec.methodBuilder("value")
        .addModifiers(Modifier.PUBLIC)
        .returns(valueType())
        .addJavadoc("The method's result.\n\n@return the value of the recorded call\n");
    if (result.isPresent()) {
      value.addStatement("double[] values = $L.value()", flatField)
          .addStatement("return $L", resultValue(result.get(), "values", new int[] {0}));
    } else {
      value.addStatement("return $L.value()", flatField);
    }
    type.addMethod(value.build());
    type.addMethod(MethodSpec.methodBuilder("bytes")
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.LONG)
        .addJavadoc("Bytes the recording holds.\n\n@return the number of bytes\n")
        .addStatement("return $L.bytes()", flatField)
        .build());
    String seed = "seed";
    List<String> args = new ArrayList<>();
    CodeBlock.Builder pullbackBody = CodeBlock.builder();
    if (result.isPresent()) {
      // The seed is a record of the result's type: its components in the flat order.
      List<String> paths = new ArrayList<>();
      resultPaths(result.get(), seed, paths);
      pullbackBody.addStatement("double[] seedValues = {$L}", String.join(", ", paths));
      args.add(flatField + ".pullback(seedValues)");
    } else {
      args.add(flatField + ".pullback(" + seed + ")");
    }
    args.addAll(kept);
    type.addMethod(MethodSpec.methodBuilder("pullback")
        .addModifiers(Modifier.PUBLIC)
        .returns(model.objectGradRecord())
        .addParameter(result.<TypeName>map(r -> ClassName.bestGuess(r.javaType()))
            .orElse(model.seedType()), seed)
        .addCode(pullbackBody.build())
        .addJavadoc(Doc.of("The gradient for output seed {@code $L}, shaped like the "
            + "parameters.\n", seed)
            .param(seed, model.vectorOutput()
                ? "the adjoint of each element of the result (same length)"
                : "the adjoint of the result")
            .returns("the value and the derivatives, each times the seed").build())
        .addStatement("return $L($L)", shapedName(), String.join(", ", args))
        .build());
    return type.build();
  }

  private MethodSpec vjpMethod() {
    Local names = new Local();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Vjp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(model.objectVjpClass());
    Doc doc = Doc.of("Runs the forward sweep of $L once and keeps what its reverse sweep "
        + "needs.\n", model.link());
    sourceParameters(method, doc);
    CodeBlock.Builder body = CodeBlock.builder();
    List<String> args = new ArrayList<>();
    objects.forEach(s -> flatArguments(s, s.parameterName(), body, names, args, null, ""));
    List<String> wrapped = new ArrayList<>();
    wrapped.add(CodeBlock.of("$LVjp($L)", m.name(), String.join(", ", args)).toString());
    // Arrays of records are copied: the caller may replace elements before a pullback.
    rebuilt().forEach(s -> wrapped.add(s.kind() == Kind.RECORD_ARRAY
        ? s.parameterName() + ".clone()" : s.parameterName()));
    body.addStatement("return new $T($L)", model.objectVjpClass(), String.join(", ", wrapped));
    return method.addJavadoc(doc.returns("the recording, for {@link $T#pullback}",
        model.objectVjpClass()).build()).addCode(body.build()).build();
  }

  // ------------------------------------------------------------------ overloads

  /**
   * The overload of flat entry point {@code f} taking the objects: its first parameters are the
   * flat parameters, then {@code tangents} tangents (one per differentiated component), then
   * the rest (seed, buffers, tape), which it keeps.
   */
  private MethodSpec overload(MethodSpec f, int tangents) {
    Local names = new Local();
    List<ParameterSpec> ps = f.parameters();
    int flatCount = m.parameters().size();
    for (int k = flatCount; k < ps.size(); k++) {
      names.taken.add(ps.get(k).name());
    }
    ParameterSpec last = ps.isEmpty() ? null : ps.get(ps.size() - 1);
    if (last != null && last.type().equals(SweepWriter.TAPE)) {
      // Copies of arrays of records are borrowed from the caller's tape: nothing allocated.
      names.tape = last.name();
    }
    MethodSpec.Builder method = MethodSpec.methodBuilder(f.name())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(f.returnType());
    Doc doc = Doc.of("{@link #$L($L)} on the components of the records and the ordinals of "
        + "the enums\nof $L.\n", f.name(), flatSignature(f), model.link());
    sourceParameters(method, doc);
    CodeBlock.Builder body = CodeBlock.builder();
    List<String> args = new ArrayList<>();
    objects.forEach(s -> flatArguments(s, s.parameterName(), body, names, args, null, ""));
    if (tangents > 0) {
      String suffix = tangentSuffix(ps.get(flatCount).name(), m.differentiated().get(0));
      Set<Variable> only = new HashSet<>(m.differentiated());
      for (ObjectShape s : differentiated()) {
        String t = names.fresh(s.parameterName() + suffix);
        method.addParameter(sourceType(s), t);
        doc.param(t, "the direction of {@code $L}, same shape", s.parameterName());
        flatArguments(s, t, body, names, args, only, suffix);
      }
    }
    for (int k = flatCount + tangents; k < ps.size(); k++) {
      method.addParameter(ps.get(k));
      doc.param(ps.get(k).name(), "as the form on components takes it");
      args.add(ps.get(k).name());
    }
    boolean value = !f.returnType().equals(TypeName.VOID);
    if (value) {
      doc.returns("what the form on components returns");
    }
    CodeBlock call = CodeBlock.of("$L($L)", f.name(), String.join(", ", args));
    if (names.borrowed == 0) {
      body.addStatement("$L$L", value ? "return " : "", call);
    } else {
      String result = names.fresh("result");
      if (value) {
        body.addStatement("$T $L = $L", f.returnType(), result, call);
      } else {
        body.addStatement("$L", call);
      }
      body.addStatement("$L.release($L)", names.tape, names.borrowed);
      if (value) {
        body.addStatement("return $L", result);
      }
    }
    return method.addJavadoc(doc.build()).addCode(body.build()).build();
  }

  /** The suffix tangent parameters have ({@code Dot} of {@code xDot}). */
  private static String tangentSuffix(String tangentName, Variable of) {
    return tangentName.startsWith(of.name()) && tangentName.length() > of.name().length()
        ? tangentName.substring(of.name().length()) : "Dot";
  }

  private static String flatSignature(MethodSpec f) {
    List<String> types = new ArrayList<>();
    for (ParameterSpec p : f.parameters()) {
      String t = p.type().toString();
      types.add(t);
    }
    return String.join(", ", types);
  }

  // ------------------------------------------------------------------ flat primal

  /** {@code m(<components>)}: the user's method on components, for generated callers. */
  private MethodSpec flatPrimal() {
    Names names = new Names();
    JavaPrinter printer = new JavaPrinter(names);
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(typeName(m.returnType()));
    Doc doc = Doc.of("$L on the components of its records and the ordinals of its enums, "
        + "for generated callers\nthat need only its value.\n", model.link());
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
      doc.param(p.name(), "component {@code $L}", p.name());
    }
    CodeBlock.Builder body = CodeBlock.builder();
    printer.statements(m.body().statements(), body);
    if (m.result() != null) {
      body.addStatement("return $L", printer.name(m.result()));
      doc.returns("the method's result");
    }
    return method.addJavadoc(doc.build()).addCode(body.build()).build();
  }
}
