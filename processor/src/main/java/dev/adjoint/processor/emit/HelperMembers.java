package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Derivatives;
import javax.lang.model.element.Modifier;

/**
 * The members generated for a helper without {@code @Differentiable} that differentiated
 * methods call: the forms callers' generated code calls ({@code hAdjoint}, the tangent forms,
 * the adjoint of the first tangent form at order 2), and for a private helper a copy of
 * itself (also for an instance method of a final class, which generated code calls on its
 * receiver's fields). They have the helper's access (package-private for a private or package-private
 * helper), and none of the public entry points ({@code hGrad}, {@code hVjp}, ...): those are
 * what {@code @Differentiable} asks for.
 */
final class HelperMembers {
  private HelperMembers() {}

  static void addTo(TypeSpec.Builder type, DiffClassEmitter.Helper h, ClassName owner) {
    TypeSpec.Builder members = TypeSpec.classBuilder("Members");
    MethodIr m = h.lowered();
    if (h.copy()) {
      members.addMethod(copy(m, owner));
    }
    if (h.derivatives().isPresent()) {
      Derivatives d = h.derivatives().get();
      MethodModel model = MethodModel.of(d, owner,
          dev.adjoint.processor.ir.Identifiers.capitalize(d.adjoint().method().name()));
      new AdjointEntryPoints().addTo(members, model);
      for (MethodIr form : d.tangentForms()) {
        members.addMethod(JvpEntryPoints.tangentForm(form, d.adjoint().method()));
      }
      d.tangentAdjoint().ifPresent(a ->
          AdjointEntryPoints.addTangentAdjoint(members, a, model.diffClass()));
    }
    Modifier[] access = h.exported() ? new Modifier[] {Modifier.PUBLIC, Modifier.STATIC}
        : new Modifier[] {Modifier.STATIC};
    for (MethodSpec spec : members.build().methodSpecs()) {
      if (spec.name().endsWith("Adjoint")
          && spec.parameters().stream().noneMatch(p -> p.type().equals(SweepWriter.TAPE))) {
        continue; // the overload with a fresh tape: generated callers pass theirs
      }
      MethodSpec.Builder method = MethodSpec.methodBuilder(spec.name()).addModifiers(access)
          .returns(spec.returnType()).addParameters(spec.parameters())
          .addExceptions(spec.exceptions()).addCode(spec.code());
      if (!spec.javadoc().isEmpty()) {
        method.addJavadoc(spec.javadoc());
      }
      type.addMethod(ParameterSlots.fit(method.build()));
    }
  }

  /** The helper itself, printed from its IR, for a class that cannot call it. */
  private static MethodSpec copy(MethodIr m, ClassName owner) {
    Names names = new Names();
    JavaPrinter printer = new JavaPrinter(names);
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name())
        .returns(typeName(m.returnType()))
        .addJavadoc("A copy of the helper {@code $L.$L}, which this class calls instead of it "
            + "(it is private, or\nan instance method of a final class, whose receiver is "
            + "passed as its fields).\n", owner.simpleName(), m.name());
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
    }
    CodeBlock.Builder body = CodeBlock.builder();
    printer.statements(m.body().statements(), body);
    if (m.result() != null) {
      body.addStatement("return $L", printer.name(m.result()));
    }
    return method.addCode(body.build()).build();
  }
}
