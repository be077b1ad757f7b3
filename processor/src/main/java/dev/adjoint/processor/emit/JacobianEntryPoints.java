package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code mJacobian} for an array result: forward mode (one {@code mJvp} per input element) with
 * fewer inputs than outputs, otherwise reverse mode (one {@code mVjp}, one pullback per output).
 */
final class JacobianEntryPoints implements EntryPoints {
  @Override
  public void addTo(TypeSpec.Builder type, MethodModel m) {
    if (m.vectorOutput()) {
      type.addMethod(jacobianMethod(m,
          m.derivatives().tangent().orElseThrow().tangentParameters()));
    }
  }

  private static MethodSpec jacobianMethod(MethodModel model, List<Variable> tangents) {
    MethodIr m = model.method();
    Names names = new Names();
    m.parameters().forEach(names::reserve);
    tangents.forEach(names::reserve);
    String vjp = names.fresh("vjp");
    String value = names.fresh("value");
    String jacobian = names.fresh("jacobian");
    String seed = names.fresh("seed");
    String output = names.fresh("output");
    String row = names.fresh("row");
    String gradient = names.fresh("gradient");
    String at = names.fresh("at");
    String columns = names.fresh("columns");
    String column = names.fresh("column");
    String jvp = names.fresh("jvp");
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Jacobian")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE)))
        .addJavadoc(Doc.of("The Jacobian of $L: one row per output, one column per "
            + "differentiated\ninput element, inputs flattened in declaration order (matrices "
            + "row by row). With fewer\ninputs than outputs, forward mode: one {@code $LJvp} per "
            + "input; otherwise reverse mode: one\nforward sweep, then one reverse sweep per "
            + "output.\n", model.link(), m.name()).arguments(m)
            .returns("the Jacobian matrix").build());
    m.parameters().forEach(p -> method.addParameter(typeName(p.type()), p.name()));
    CodeBlock.Builder body = CodeBlock.builder();
    body.addStatement("int $L = $L", columns, UnitTangents.columns(m));
    if (!m.written().isEmpty()) {
      // A method writing its array parameters: one recording (mVjp leaves the caller's arrays
      // as the plain call does), one pullback per output.
      body.addStatement("$T $L = $LVjp($L)", model.vjpClass(), vjp, m.name(),
          model.arguments());
      body.addStatement("double[] $L = $L.value()", value, vjp);
      body.addStatement("double[][] $L = new double[$L.length][$L]", jacobian, value, columns);
      reverseRows(model, body, vjp, value, jacobian, seed, output, gradient, row, at);
      return method.addCode(body.build()).build();
    }
    // With records or enums, the method on components is the generated class's own.
    body.addStatement("double[] $L = $T.$L($L)", value,
        model.hasObjects() ? model.diffClass() : model.owner(), m.name(),
        model.arguments());
    body.addStatement("double[][] $L = new double[$L.length][$L]", jacobian, value, columns);
    body.beginControlFlow("if ($L < $L.length)", columns, value);
    body.addStatement("int $L = 0", column);
    body.addStatement("double[] $L", jvp);
    List<String> args = new ArrayList<>();
    m.parameters().forEach(p -> args.add(p.name()));
    tangents.forEach(p -> args.add(p.name()));
    UnitTangents.declare(m, tangents, body);
    UnitTangents.forEach(tangents, names, body, CodeBlock.builder()
        .addStatement("$L = $LJvp($L).tangent()", jvp, m.name(),
            String.join(", ", args))
        .beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", output, output, jvp,
            output)
        .addStatement("$L[$L][$L] = $L[$L]", jacobian, output, column, jvp, output)
        .endControlFlow()
        .addStatement("$L++", column)
        .build());
    body.addStatement("return $L", jacobian);
    body.endControlFlow();
    body.addStatement("$T $L = $LVjp($L)", model.vjpClass(), vjp, m.name(), model.arguments());
    reverseRows(model, body, vjp, value, jacobian, seed, output, gradient, row, at);
    return method.addCode(body.build()).build();
  }

  /** One pullback of the recording {@code vjp} per output: the rows of the Jacobian. */
  private static void reverseRows(MethodModel model, CodeBlock.Builder body, String vjp,
      String value, String jacobian, String seed, String output, String gradient, String row,
      String at) {
    body.addStatement("double[] $L = new double[$L.length]", seed, value);
    body.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", output, output, value,
        output);
    body.addStatement("$L[$L] = 1.0", seed, output);
    body.addStatement("$T $L = $L.pullback($L)", model.gradRecord(), gradient, vjp, seed);
    body.addStatement("$L[$L] = 0.0", seed, output);
    body.addStatement("double[] $L = $L[$L]", row, jacobian, output);
    body.addStatement("int $L = 0", at);
    for (String component : model.components().subList(0, model.method().differentiableParameters().size())) {
      body.addStatement("$L = $T.put($L, $L, $L.$L())", at, SHAPES, row, at, gradient,
          component);
    }
    body.endControlFlow();
    body.addStatement("return $L", jacobian);
  }
}
