package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.typeName;

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
    return TypeSpec.recordBuilder(model.gradRecord().simpleName())
        .addModifiers(Modifier.PUBLIC)
        .recordConstructor(constructor.build())
        .addJavadoc(doc.build())
        .build();
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
    return method.addCode(body.build()).build();
  }
}
