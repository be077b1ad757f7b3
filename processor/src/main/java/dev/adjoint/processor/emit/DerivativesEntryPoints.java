package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Derivatives;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * {@code mDerivatives}, for a method of one input with {@code order} of 3 or more: the forward
 * transform applied {@code order} times, every seed 1, giving f, f', f'', ... at once.
 */
final class DerivativesEntryPoints implements EntryPoints {
  @Override
  public void addTo(TypeSpec.Builder type, MethodModel model) {
    model.derivatives().chain().ifPresent(chain -> type.addMethod(method(model, chain)));
  }

  private static MethodSpec method(MethodModel model, Derivatives.Chain chain) {
    MethodIr m = model.method();
    Names names = new Names();
    JavaPrinter printer = new JavaPrinter(names);
    int order = chain.derivatives().size() - 1;
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Derivatives")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class)
        .addJavadoc(Doc.of("The derivatives of $L in {@code $L}: element k is the "
            + "k-th derivative, from\nthe value (k = 0) to order $L, by the forward transform "
            + "applied $L times (exact, no\ndifferencing; a polynomial's derivatives beyond "
            + "its degree are exactly 0).\n", model.link(), m.differentiated().get(0).name(),
            order, order).arguments(m)
            .returns("the value and its derivatives, $L numbers", order + 1).build());
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
    if (m.written().isEmpty()) {
      body.addStatement("return new double[] {$L}", String.join(", ", values));
    } else {
      String derivatives = names.fresh("derivatives");
      body.addStatement("double[] $L = {$L}", derivatives, String.join(", ", values));
      model.leaveArraysAsThePlainCallDoes(body);
      body.addStatement("return $L", derivatives);
    }
    return method.addCode(body.build()).build();
  }
}
