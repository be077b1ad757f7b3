package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * The record {@code MGrad} (value and derivatives), and {@code mGrad} for a scalar result: one
 * call of {@code mAdjoint} with seed 1 into fresh buffers. A void helper has neither.
 */
final class GradientEntryPoints implements EntryPoints {
  @Override
  public void addTo(TypeSpec.Builder type, MethodModel m) {
    if (m.helper()) {
      return;
    }
    type.addType(record(m));
    if (!m.vectorOutput()) {
      type.addMethod(gradMethod(m));
    }
  }

  private static TypeSpec record(MethodModel model) {
    MethodIr m = model.method();
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addParameter(typeName(m.returnType()), "value");
    Doc doc = Doc.of(model.vectorOutput()
        ? "The value of $L and the vector-Jacobian product for one output seed.\n"
        : "The value of $L and its partial derivatives.\n", model.link());
    doc.param("value", "the method's result");
    List<String> components = model.components();
    int k = 0;
    for (Variable p : m.differentiableParameters()) {
      String component = components.get(k++);
      constructor.addParameter(typeName(p.type()), component);
      doc.param(component, model.vectorOutput()
          ? "the seed times the Jacobian with respect to {@code $L}"
          : "the derivative with respect to {@code $L}", p.sourceName());
    }
    for (Variable r : m.retained()) {
      String component = components.get(k++);
      constructor.addParameter(TypeName.DOUBLE, component);
      doc.param(component, "the derivative with respect to the final value of local {@code $L}",
          r.sourceName());
    }
    if (packedFrom(m) >= 0) {
      return bigRecord(model, constructor.build(), doc);
    }
    return TypeSpec.recordBuilder(model.gradRecord().simpleName())
        .addModifiers(Modifier.PUBLIC)
        .recordConstructor(constructor.build())
        .addJavadoc(doc.build())
        .build();
  }

  /** The types of the gradient record's components after the value. */
  static List<TypeName> componentTypes(MethodIr m) {
    List<TypeName> types = new ArrayList<>();
    m.differentiableParameters().forEach(p -> types.add(typeName(p.type())));
    m.retained().forEach(r -> types.add(TypeName.DOUBLE));
    return types;
  }

  /**
   * The index of the first component (after the value) whose doubles, and those of every later
   * component, the constructor takes in one {@code double[]}, or -1 when the value and the
   * components fit the JVM's 255 parameter slots beside the constructor's {@code this}: a
   * record of the value and 126 {@code double} partials fits, of 127 does not.
   */
  static int packedFrom(MethodIr m) {
    List<TypeName> types = new ArrayList<>();
    types.add(TypeName.INT); // the constructor's this, one slot
    types.add(typeName(m.returnType()));
    types.addAll(componentTypes(m));
    int from = ParameterSlots.packedFrom(types);
    return from < 0 ? -1 : Math.max(0, from - 2);
  }

  /**
   * What the record would be, as a final class: a record's canonical constructor takes every
   * component, more than the JVM's parameter slots allow here. The same accessors, and
   * {@code equals}, {@code hashCode} and {@code toString} as a record's; the constructor takes
   * the trailing {@code double} components in one array ({@link Buffers#components}).
   */
  private static TypeSpec bigRecord(MethodModel model, MethodSpec all, Doc doc) {
    String name = model.gradRecord().simpleName();
    TypeSpec.Builder type = TypeSpec.classBuilder(name)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc(doc.description())
        .addJavadoc("\n<p>A class rather than a record: a record's canonical constructor would "
            + "take all $L components, more than the JVM's 255 parameter slots.\n",
            all.parameters().size());
    MethodSpec fitted = ParameterSlots.fit(MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addParameter(TypeName.INT, "this_") // stands for this, so that the slots count right
        .addParameters(all.parameters())
        .addJavadoc("Creates the gradient.\n\n@param this_ unused\n")
        .build());
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PUBLIC)
        .addJavadoc("Creates the gradient.\n\n");
    fitted.parameters().stream().skip(1).forEach(constructor::addParameter);
    CodeBlock.Builder equal = CodeBlock.builder();
    CodeBlock.Builder hash = CodeBlock.builder();
    CodeBlock.Builder text = CodeBlock.builder()
        .addStatement("StringBuilder text = new StringBuilder($S)", name + "[");
    String packedArray = null;
    for (int i = 1; i < fitted.parameters().size(); i++) {
      com.palantir.javapoet.ParameterSpec p = fitted.parameters().get(i);
      if (!all.parameters().contains(p)) {
        packedArray = p.name();
      }
    }
    int packedIndex = 0;
    for (int i = 0; i < all.parameters().size(); i++) {
      com.palantir.javapoet.ParameterSpec p = all.parameters().get(i);
      String field = p.name();
      type.addField(p.type(), field, Modifier.PRIVATE, Modifier.FINAL);
      if (fitted.parameters().contains(p)) {
        constructor.addJavadoc(doc.paramTag(field));
        constructor.addStatement("this.$L = $L", field, field);
      } else {
        constructor.addStatement("this.$L = $L[$L]", field, packedArray, packedIndex++);
      }
      type.addMethod(MethodSpec.methodBuilder(field)
          .addModifiers(Modifier.PUBLIC)
          .returns(p.type())
          .addJavadoc("The component {@code $L}.\n\n@return {@code $L}\n", field, field)
          .addStatement("return $L", field).build());
      String wrapper = p.type().equals(TypeName.DOUBLE) ? "Double"
          : p.type().equals(TypeName.FLOAT) ? "Float" : null;
      equal.add(i == 0 ? "" : "\n    && ");
      if (wrapper != null) {
        equal.add("$L.compare($L, other.$L) == 0", wrapper, field, field);
        hash.addStatement("hash = 31 * hash + $L.hashCode($L)", wrapper, field);
      } else {
        equal.add("$T.equals($L, other.$L)", java.util.Objects.class, field, field);
        hash.addStatement("hash = 31 * hash + $T.hashCode($L)", java.util.Objects.class, field);
      }
      text.addStatement("text.append($S).append($L)", (i == 0 ? "" : ", ") + field + "=",
          field);
    }
    if (packedArray != null) {
      constructor.addJavadoc("@param $L the components from {@code $L} on that are doubles, in "
          + "this order: the JVM has 255 parameter slots\n", packedArray,
          all.parameters().get(all.parameters().size() - packedIndex).name());
    }
    type.addMethod(constructor.build());
    ClassName self = model.gradRecord();
    type.addMethod(MethodSpec.methodBuilder("equals")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.BOOLEAN)
        .addParameter(Object.class, "o")
        .beginControlFlow("if (this == o)").addStatement("return true").endControlFlow()
        .beginControlFlow("if (!(o instanceof $T))", self).addStatement("return false")
        .endControlFlow()
        .addStatement("$T other = ($T) o", self, self)
        .addStatement("return $L", equal.build())
        .build());
    type.addMethod(MethodSpec.methodBuilder("hashCode")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.INT)
        .addStatement("int hash = 0")
        .addCode(hash.build())
        .addStatement("return hash")
        .build());
    type.addMethod(MethodSpec.methodBuilder("toString")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(String.class)
        .addCode(text.build())
        .addStatement("return text.append(']').toString()")
        .build());
    return type.build();
  }

  private static MethodSpec gradMethod(MethodModel model) {
    MethodIr m = model.method();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Grad")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(model.gradRecord())
        .addJavadoc(Doc.of("Evaluates $L and its gradient with one reverse sweep.\n",
            model.link()).arguments(m).returns("the value and the derivatives").build());
    Names names = new Names();
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
    }
    // The body only calls mAdjoint: it prints no IR, so it assigns no parameter.
    Optional<DeepStackReruns> rerun =
        DeepStackReruns.reserve(model, names, m.parameters(), List.of());
    Buffers buffers = new Buffers(m, names);
    String value = names.fresh("value");
    CodeBlock.Builder body = CodeBlock.builder();
    buffers.allocate(body, Variable::name);
    List<String> call = new ArrayList<>();
    m.parameters().forEach(p -> call.add(p.name()));
    call.add("1.0");
    call.addAll(buffers.inOrder());
    body.addStatement("$T $L = $LAdjoint($L)", typeName(m.returnType()), value, m.name(),
        ParameterSlots.adjointCall(m, call));
    body.addStatement("return new $T($L$L)", model.gradRecord(), value, buffers.components());
    return DeepStackReruns.around(rerun, method.addCode(body.build()).build());
  }
}
