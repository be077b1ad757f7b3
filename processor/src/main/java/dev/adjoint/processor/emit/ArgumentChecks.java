package dev.adjoint.processor.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Modifier;

/**
 * Null checks at the top of every public entry point, for the user's array arguments and a
 * caller's tape, naming the argument by its name in the source: without them a null array
 * fails deep inside the sweeps with an exception naming {@code <parameter1>} (generated
 * classes keep no parameter names), or, for a tape only used on some paths, not at all.
 */
final class ArgumentChecks {
  private ArgumentChecks() {}

  /**
   * {@code method} with the checks in front of its code, when it is a public static method
   * taking {@code m}'s parameters first (every entry point of {@code m} does) and one of them
   * is an array, or it takes a tape; otherwise {@code method} itself.
   */
  static MethodSpec checked(MethodSpec method, MethodIr m) {
    if (!method.modifiers().contains(Modifier.PUBLIC)
        || !method.modifiers().contains(Modifier.STATIC)
        || !startsWithParameters(method.parameters(), m.parameters())) {
      return method;
    }
    CodeBlock.Builder checks = CodeBlock.builder();
    for (Variable p : m.parameters()) {
      if (p.type().isArray()) {
        checks.addStatement("$T.requireNonNull($L, $S)", Objects.class, p.name(),
            p.sourceName());
      }
    }
    for (ParameterSpec p : method.parameters()) {
      if (p.type().equals(SweepWriter.TAPE)) {
        checks.addStatement("$T.requireNonNull($L, $S)", Objects.class, p.name(), p.name());
      }
    }
    CodeBlock code = checks.build();
    if (code.isEmpty()) {
      return method;
    }
    MethodSpec.Builder out = MethodSpec.methodBuilder(method.name())
        .addModifiers(method.modifiers())
        .addJavadoc(method.javadoc())
        .returns(method.returnType())
        .addParameters(method.parameters())
        .addExceptions(method.exceptions())
        .varargs(method.varargs());
    return out.addCode(code).addCode(method.code()).build();
  }

  private static boolean startsWithParameters(List<ParameterSpec> parameters,
      List<Variable> user) {
    if (parameters.size() < user.size()) {
      return false;
    }
    for (int i = 0; i < user.size(); i++) {
      if (!parameters.get(i).name().equals(user.get(i).name())) {
        return false;
      }
    }
    return true;
  }
}
