package dev.adjoint.processor.emit;

import static dev.adjoint.processor.ir.Identifiers.capitalize;
import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import dev.adjoint.processor.transform.Derivatives;
import dev.adjoint.processor.transform.TangentTransform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Writes the forward-mode and second-order members of {@code FooDiff}: {@code MJvp} and
 * {@code mJvp}; the tangent forms that generated callers call; {@code mHvp}, {@code mHessian}
 * and {@code mDerivatives}.
 */
final class TangentEmitter {
  private final MethodIr m;
  private final ClassName owner;
  private final ClassName diffClass;

  TangentEmitter(MethodIr m, ClassName owner) {
    this.m = m;
    this.owner = owner;
    this.diffClass = ClassName.get(owner.packageName(),
        DiffClassEmitter.diffClassName(owner.simpleName()));
  }

  private String signature() {
    return m.parameters().stream().map(p -> p.type().javaName())
        .collect(Collectors.joining(", "));
  }

  ClassName jvpRecord() {
    return diffClass.nestedClass(capitalize(m.name()) + "Jvp");
  }

  private TypeName tangentType() {
    return m.returnType().isArray() ? ArrayTypeName.of(TypeName.DOUBLE) : TypeName.DOUBLE;
  }

  // ------------------------------------------------------------------ mJvp

  TypeSpec jvpRecordType() {
    MethodSpec constructor = MethodSpec.constructorBuilder()
        .addParameter(typeName(m.returnType()), "value")
        .addParameter(tangentType(), "tangent")
        .build();
    return TypeSpec.recordBuilder(jvpRecord().simpleName())
        .addModifiers(Modifier.PUBLIC)
        .recordConstructor(constructor)
        .addJavadoc("The value of {@link $T#$L($L)} and its directional derivative.\n\n"
            + "@param value the method's result\n"
            + "@param tangent the derivative of the result along the given tangents\n",
            owner, m.name(), signature())
        .build();
  }

  /**
   * {@code mJvp}: through the tangent form for a scalar result; for an array result, the
   * tangent code printed here, returning the result array and its tangent.
   */
  MethodSpec jvpMethod(TangentTransform.Tangent t) {
    Names names = new Names();
    JavaPrinter printer = new JavaPrinter(names);
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Jvp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(jvpRecord())
        .addJavadoc("Evaluates {@link $T#$L($L)} and its derivative along the tangents (one "
            + "per differentiated\nparameter, same shape) in one forward sweep: forward mode, "
            + "the Jacobian times a vector.\n", owner, m.name(), signature());
    addParameters(method, names, t.tangentParameters());
    CodeBlock.Builder body = CodeBlock.builder();
    requireTangentShapes(body, t.tangentParameters());
    if (!m.returnType().isArray()) {
      // One copy of the tangent code: the form generated callers use.
      return method.addCode(body.build())
          .addCode(callTangentForm(names, t.tangentParameters())).build();
    }
    printer.statements(t.body().statements(), body);
    Variable tangent = t.resultTangent();
    String result = printer.name(m.result());
    CodeBlock tangentValue = tangent != null ? CodeBlock.of("$L", printer.name(tangent))
        : m.returnType().isArray() ? CodeBlock.of("new double[$L.length]", result)
        : CodeBlock.of("0.0");
    body.addStatement("return new $T($L, $L)", jvpRecord(), result, tangentValue);
    return method.addCode(body.build()).build();
  }

  private void addParameters(MethodSpec.Builder method, Names names, List<Variable> extra) {
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
    }
    for (Variable p : extra) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
    }
  }

  private void requireTangentShapes(CodeBlock.Builder body, List<Variable> tangents) {
    for (int i = 0; i < tangents.size(); i++) {
      Variable t = tangents.get(i);
      if (t.type().isArray()) {
        body.addStatement("$T.sameShape($L, $T.requireNonNull($L, $S), $S)", SHAPES,
            m.differentiated().get(i).name(), Objects.class, t.name(), t.name(), t.name());
      }
    }
  }

  /** A tangent form, for generated callers: void, writing value and tangent. */
  static MethodSpec tangentForm(MethodIr form, ClassName owner, MethodIr source) {
    Names names = new Names();
    JavaPrinter printer = new JavaPrinter(names);
    MethodSpec.Builder method = MethodSpec.methodBuilder(form.name())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("Forward mode of {@code $L} for generated callers: the parameters, then one "
            + "tangent per\ndifferentiated parameter$L. Use {@code $LJvp} instead.\n",
            form.name().substring(0, form.name().length() - TangentTransform.TANGENT.length()),
            source.returnType() == Type.VOID ? "" : ", then a {@code double[2]} receiving "
                + "value and tangent", source.name());
    for (Variable p : form.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
    }
    CodeBlock.Builder body = CodeBlock.builder();
    printer.statements(form.body().statements(), body);
    return method.addCode(body.build()).build();
  }

  // ------------------------------------------------------------------ custom adjoints

  /**
   * Forward mode of a method with a hand-written adjoint: its gradient (seed 1) dotted with
   * the tangents (for array parameters, it allocates their adjoints on each call).
   */
  MethodSpec customTangentForm(List<Variable> tangents) {
    Names names = new Names();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + TangentTransform.TANGENT)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .addJavadoc("Forward mode of {@code $L} for generated callers, from its hand-written "
            + "adjoint.\n", m.name());
    addParameters(method, names, tangents);
    String out = names.fresh(TangentTransform.VALUE_AND_TANGENT);
    method.addParameter(double[].class, out);
    CodeBlock.Builder body = CodeBlock.builder();
    List<Variable> scalars = m.differentiableScalars();
    String adjoints = names.fresh("adjoints");
    List<String> call = new ArrayList<>();
    m.parameters().forEach(p -> call.add(p.name()));
    call.add("1.0");
    if (!scalars.isEmpty()) {
      body.addStatement("double[] $L = new double[$L]", adjoints, scalars.size());
      call.add(adjoints);
    }
    CodeBlock.Builder dot = CodeBlock.builder().add("0.0");
    for (int i = 0; i < m.differentiated().size(); i++) {
      Variable p = m.differentiated().get(i);
      String tangent = tangents.get(i).name();
      if (p.type().isArray()) {
        String buffer = names.fresh(p.name() + "Adjoint");
        body.addStatement("$T $L = $T.zerosLike($L)", typeName(p.type()), buffer, SHAPES,
            p.name());
        call.add(buffer);
        dot.add(" + $T.dot($L, $L)", SHAPES, buffer, tangent);
      } else {
        dot.add(" + $L[$L] * $L", adjoints, scalars.indexOf(p), tangent);
      }
    }
    body.addStatement("$L[0] = $LAdjoint($L)", out, m.name(), String.join(", ", call));
    body.addStatement("$L[1] = $L", out, dot.build());
    return method.addCode(body.build()).build();
  }

  /** {@code mJvp} of a method with a hand-written adjoint, through its tangent form. */
  MethodSpec customJvpMethod(List<Variable> tangents) {
    Names names = new Names();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Jvp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(jvpRecord())
        .addJavadoc("Evaluates {@link $T#$L($L)} and its derivative along the tangents, from "
            + "its\nhand-written adjoint.\n", owner, m.name(), signature());
    addParameters(method, names, tangents);
    return method.addCode(callTangentForm(names, tangents)).build();
  }

  /** Calls the tangent form and wraps what it wrote in the {@code MJvp} record. */
  private CodeBlock callTangentForm(Names names, List<Variable> tangents) {
    String out = names.fresh(TangentTransform.VALUE_AND_TANGENT);
    List<String> args = new ArrayList<>();
    m.parameters().forEach(p -> args.add(p.name()));
    tangents.forEach(p -> args.add(p.name()));
    args.add(out);
    return CodeBlock.builder()
        .addStatement("double[] $L = new double[2]", out)
        .addStatement("$L$L($L)", m.name(), TangentTransform.TANGENT, String.join(", ", args))
        .addStatement("return new $T($L$L[0], $L[1])", jvpRecord(),
            m.returnType() == Type.FLOAT ? "(float) " : "", out, out)
        .build();
  }

  // ------------------------------------------------------------------ second order

  /**
   * What one Hessian-vector product needs: the buffers of the tangent form's adjoint (its
   * scalar adjoints, one per array parameter, and the adjoint of its {@code valueAndTangent}
   * output, 1 on the tangent), the call, and the gathering of the result.
   */
  private final class HvpCall {
    private final MethodIr form;
    private final Names names;
    private final List<Variable> scalars;
    private final String adjoints;
    private final String output;
    private final Variable outputParameter;
    private final List<String> arrayBuffers = new ArrayList<>();

    HvpCall(Derivatives d, Names names) {
      this.form = d.tangentForms().get(0);
      this.names = names;
      this.scalars = form.differentiableScalars();
      this.adjoints = scalars.isEmpty() ? null : names.fresh("adjoints");
      this.outputParameter = form.parameters().get(form.parameters().size() - 1);
      this.output = names.fresh(outputParameter.name());
      for (Variable p : form.differentiableArrays()) {
        arrayBuffers.add(names.fresh(p.name() + "Adjoint"));
      }
    }

    void declare(CodeBlock.Builder body) {
      if (adjoints != null) {
        body.addStatement("double[] $L = new double[$L]", adjoints, scalars.size());
      }
      body.addStatement("double[] $L = new double[2]", output);
      for (int i = 0; i < arrayBuffers.size(); i++) {
        Variable p = form.differentiableArrays().get(i);
        if (p == outputParameter) {
          // The adjoint of the form's final output: 1 on the tangent, 0 on the value.
          body.addStatement("double[] $L = {0.0, 1.0}", arrayBuffers.get(i));
        } else {
          body.addStatement("$T $L = $T.zerosLike($L)", typeName(p.type()), arrayBuffers.get(i),
              SHAPES, p.name());
        }
      }
    }

    /** Makes the buffers as {@link #declare} left them, for the next product. */
    void reset(CodeBlock.Builder body) {
      if (adjoints != null) {
        body.addStatement("$T.fill($L, 0.0)", Arrays.class, adjoints);
      }
      for (int i = 0; i < arrayBuffers.size(); i++) {
        Variable p = form.differentiableArrays().get(i);
        String buffer = arrayBuffers.get(i);
        if (p == outputParameter) {
          body.addStatement("$L[0] = 0.0", buffer).addStatement("$L[1] = 1.0", buffer);
        } else if (p.type() == Type.DOUBLE_MATRIX) {
          String row = names.fresh("row");
          body.beginControlFlow("for (double[] $L : $L)", row, buffer)
              .addStatement("$T.fill($L, 0.0)", Arrays.class, row).endControlFlow();
        } else {
          body.addStatement("$T.fill($L, $L)", Arrays.class, buffer,
              p.type() == Type.FLOAT_ARRAY ? "0.0f" : "0.0");
        }
      }
    }

    void call(CodeBlock.Builder body, String tape) {
      List<String> call = new ArrayList<>();
      form.parameters().forEach(p -> call.add(p == outputParameter ? output : p.name()));
      if (adjoints != null) {
        call.add(adjoints);
      }
      call.addAll(arrayBuffers);
      if (tape != null) {
        call.add(tape);
      }
      body.addStatement("$LAdjoint($L)", form.name(), String.join(", ", call));
    }

    /** {@code target = } the differentiated inputs' part of the adjoints, flattened. */
    void collect(CodeBlock.Builder body, String target, String at) {
      body.addStatement("$L = new double[$L]", target, columns(m));
      body.addStatement("$L = 0", at);
      for (Variable p : m.differentiated()) {
        String part = p.type().isArray()
            ? arrayBuffers.get(form.differentiableArrays().indexOf(p))
            : adjoints + "[" + scalars.indexOf(p) + "]";
        body.addStatement("$L = $T.put($L, $L, $L)", at, SHAPES, target, at, part);
      }
    }
  }

  /**
   * {@code mHvp}: the reverse sweep of the first-order tangent form, seeded with 1 on the
   * tangent of the result, gives the gradient of (gradient . direction), that is H v.
   */
  MethodSpec hvpMethod(Derivatives d) {
    List<Variable> directions = d.tangent().orElseThrow().tangentParameters();
    Names names = new Names();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Hvp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class)
        .addJavadoc("The Hessian of {@link $T#$L($L)} times a direction (one per "
            + "differentiated parameter,\nsame shape), flattened like the columns of {@code "
            + "$LHessian}: the gradient of the forward-mode\nderivative along the direction, "
            + "by the reverse transform of the forward transform.\n",
            owner, m.name(), signature(), m.name());
    addParameters(method, names, directions);
    CodeBlock.Builder body = CodeBlock.builder();
    requireTangentShapes(body, directions);
    HvpCall hvp = new HvpCall(d, names);
    hvp.declare(body);
    hvp.call(body, null);
    String result = names.fresh("hvp");
    String at = names.fresh("at");
    body.addStatement("double[] $L", result).addStatement("int $L", at);
    hvp.collect(body, result, at);
    body.addStatement("return $L", result);
    return method.addCode(body.build()).build();
  }

  /** The number of differentiated inputs, flattened: a Java expression. */
  static CodeBlock columns(MethodIr m) {
    List<CodeBlock> terms = new ArrayList<>();
    int scalars = 0;
    for (Variable p : m.differentiated()) {
      if (p.type() == Type.DOUBLE_MATRIX) {
        terms.add(CodeBlock.of("$T.size($L)", SHAPES, p.name()));
      } else if (p.type().isArray()) {
        terms.add(CodeBlock.of("$L.length", p.name()));
      } else {
        scalars++;
      }
    }
    if (scalars > 0 || terms.isEmpty()) {
      terms.add(0, CodeBlock.of("$L", scalars));
    }
    return CodeBlock.join(terms, " + ");
  }

  /**
   * Runs {@code perColumn} once per differentiated input element with the matching tangent
   * set to 1 and the others 0; declares the tangents, named as {@code tangents}.
   */
  static void forEachUnitTangent(MethodIr m, List<Variable> tangents, Names names,
      CodeBlock.Builder body, CodeBlock perColumn) {
    declareTangents(m, tangents, body);
    forEachUnitTangentDeclared(tangents, names, body, perColumn);
  }

  /** Declares the tangents, zero. */
  static void declareTangents(MethodIr m, List<Variable> tangents, CodeBlock.Builder body) {
    for (Variable t : tangents) {
      body.addStatement("$T $L = $L", typeName(t.type()), t.name(),
          t.type().isArray() ? CodeBlock.of("$T.zerosLike($L)", SHAPES,
              m.differentiated().get(tangents.indexOf(t)).name()) : CodeBlock.of("0.0"));
    }
  }

  /** {@link #forEachUnitTangent} once the tangents are declared. */
  static void forEachUnitTangentDeclared(List<Variable> tangents, Names names,
      CodeBlock.Builder body, CodeBlock perColumn) {
    for (Variable t : tangents) {
      String one = t.type() == Type.FLOAT_ARRAY ? "1.0f" : "1.0";
      String zero = t.type() == Type.FLOAT_ARRAY ? "0.0f" : "0.0";
      if (!t.type().isArray()) {
        body.addStatement("$L = 1.0", t.name()).add(perColumn).addStatement("$L = 0.0",
            t.name());
      } else if (t.type() == Type.DOUBLE_MATRIX) {
        String i = names.fresh("i");
        String j = names.fresh("j");
        body.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", i, i, t.name(), i)
            .beginControlFlow("for (int $L = 0; $L < $L[$L].length; $L++)", j, j, t.name(), i,
                j)
            .addStatement("$L[$L][$L] = 1.0", t.name(), i, j).add(perColumn)
            .addStatement("$L[$L][$L] = 0.0", t.name(), i, j)
            .endControlFlow().endControlFlow();
      } else {
        String i = names.fresh("i");
        body.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", i, i, t.name(), i)
            .addStatement("$L[$L] = $L", t.name(), i, one).add(perColumn)
            .addStatement("$L[$L] = $L", t.name(), i, zero)
            .endControlFlow();
      }
    }
  }

  /**
   * {@code mHessian}: one Hessian-vector product per differentiated input element, on one tape
   * and one set of buffers.
   */
  MethodSpec hessianMethod(Derivatives d) {
    List<Variable> directions = d.tangent().orElseThrow().tangentParameters();
    Names names = new Names();
    m.parameters().forEach(names::reserve);
    directions.forEach(names::reserve);
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Hessian")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[][].class)
        .addJavadoc("The Hessian of {@link $T#$L($L)} over the differentiated inputs "
            + "flattened in declaration\norder (matrices row by row): row k is {@code $LHvp} "
            + "along unit direction k, so it costs one\nforward and one reverse sweep of the "
            + "forward-mode code per input.\n", owner, m.name(), signature(), m.name());
    m.parameters().forEach(p -> method.addParameter(typeName(p.type()), p.name()));
    String hessian = names.fresh("hessian");
    String row = names.fresh("row");
    String at = names.fresh("at");
    String tape = names.fresh("tape");
    CodeBlock.Builder body = CodeBlock.builder();
    body.addStatement("double[][] $L = new double[$L][]", hessian, columns(m));
    declareTangents(m, directions, body);
    HvpCall hvp = new HvpCall(d, names);
    hvp.declare(body);
    body.addStatement("$T $L = new $T()", SweepWriter.TAPE, tape, SweepWriter.TAPE);
    body.addStatement("int $L = 0", row).addStatement("int $L", at);
    CodeBlock.Builder perColumn = CodeBlock.builder();
    hvp.reset(perColumn);
    hvp.call(perColumn, tape);
    hvp.collect(perColumn, hessian + "[" + row + "]", at);
    perColumn.addStatement("$L++", row);
    forEachUnitTangentDeclared(directions, names, body, perColumn.build());
    body.addStatement("return $L", hessian);
    return method.addCode(body.build()).build();
  }

  /** {@code mDerivatives}: the chain of forward transforms, every seed 1. */
  MethodSpec derivativesMethod(Derivatives.Chain chain) {
    Names names = new Names();
    JavaPrinter printer = new JavaPrinter(names);
    int order = chain.derivatives().size() - 1;
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Derivatives")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class)
        .addJavadoc("The derivatives of {@link $T#$L($L)} in {@code $L}: element k is the "
            + "k-th derivative, from\nthe value (k = 0) to order $L, by the forward transform "
            + "applied $L times (exact, no\ndifferencing; a polynomial's derivatives beyond "
            + "its degree are exactly 0).\n", owner, m.name(), signature(),
            m.differentiated().get(0).name(), order, order);
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
    }
    CodeBlock.Builder body = CodeBlock.builder();
    for (Variable seed : chain.seeds()) {
      body.addStatement("double $L = 1.0", printer.name(seed));
    }
    printer.statements(chain.body().statements(), body);
    List<String> values = chain.derivatives().stream()
        .map(v -> v == null ? "0.0" : printer.name(v)).toList();
    body.addStatement("return new double[] {$L}", String.join(", ", values));
    return method.addCode(body.build()).build();
  }

  /** The second-order adjoint's entry points for generated callers. */
  static List<MethodSpec> tangentAdjoint(Adjoint a, ClassName owner) {
    return List.of(DiffClassEmitter.tangentAdjointMethod(a, owner, false),
        DiffClassEmitter.tangentAdjointMethod(a, owner, true));
  }
}
