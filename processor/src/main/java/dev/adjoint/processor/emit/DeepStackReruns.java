package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * The stack-overflow fallback of the entry points that own their results ({@code mGrad},
 * {@code mJvp}, {@code mHvp}, {@code mHessian}; see {@code dev.adjoint.runtime.DeepStack}): the
 * finished method's code in a {@code try} whose {@code catch (StackOverflowError)} runs the same
 * call again on a thread with a large stack, when it was the outermost generated call on its
 * thread. Only for a method that calls differentiable methods (a method without calls has
 * derivative code of a fixed depth), and not for one that writes its array parameters (its entry
 * points end with the plain call, whose writes a rerun would see). Costs one look at the
 * thread's tape per call.
 */
final class DeepStackReruns {
  private static final ClassName DEEP_STACK = ClassName.get("dev.adjoint.runtime", "DeepStack");
  private static final List<String> SUFFIXES = List.of("Grad", "Jvp", "Hvp", "Hessian");
  private static final Pattern WORD = Pattern.compile("[\\p{javaJavaIdentifierPart}$]+");

  private DeepStackReruns() {}

  /** {@code method} with the fallback when it is one of {@code model}'s entry points above. */
  static MethodSpec rerunning(MethodSpec method, MethodModel model) {
    if (!method.modifiers().contains(Modifier.PUBLIC)
        || !method.modifiers().contains(Modifier.STATIC)
        || method.returnType().isPrimitive()
        || !SUFFIXES.contains(suffix(method.name(), model.name()))
        || !model.method().written().isEmpty()
        || !callsDifferentiable(model.method().body())) {
      return method;
    }
    Set<String> taken = new HashSet<>();
    method.parameters().forEach(p -> taken.add(p.name()));
    Matcher words = WORD.matcher(method.code().toString());
    while (words.find()) {
      taken.add(words.group());
    }
    String outermost = fresh("outermost", taken);
    String overflow = fresh("overflow", taken);
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// A recursion deeper than this thread's stack holds runs again on a larger one.\n");
    // The rerun needs the arguments as they came: a parameter the code assigns (forward mode
    // updates its tangent in place) is kept in a copy first.
    String text = method.code().toString();
    List<String> names = new ArrayList<>();
    for (ParameterSpec p : method.parameters()) {
      if (assigned(p.name(), text)) {
        String copy = fresh(p.name() + "AtEntry", taken);
        code.addStatement("$T $L = $L", p.type(), copy, p.name());
        names.add(copy);
      } else {
        names.add(p.name());
      }
    }
    // The call as its callers write it: where the method's doubles are packed, in an array.
    CodeBlock arguments = ParameterSlots.names(names,
        method.parameters().stream().map(ParameterSpec::type).collect(Collectors.toList()));
    code.addStatement("boolean $L = $T.outermost()", outermost, DEEP_STACK)
        .beginControlFlow("try")
        .add(method.code())
        .nextControlFlow("catch ($T $L)", StackOverflowError.class, overflow)
        .addStatement("return $T.rerun($L, $L, $S, () -> $L($L))", DEEP_STACK, overflow,
            outermost, model.owner().canonicalName() + "." + model.name() + "("
                + model.signature() + ")", method.name(), arguments)
        .endControlFlow();
    return MethodSpec.methodBuilder(method.name())
        .addModifiers(method.modifiers())
        .addAnnotations(method.annotations())
        .addJavadoc(method.javadoc())
        .returns(method.returnType())
        .addParameters(method.parameters())
        .addExceptions(method.exceptions())
        .varargs(method.varargs())
        .addCode(code.build())
        .build();
  }

  /** Whether the generated {@code code} assigns the variable {@code name} (not an element of it). */
  private static boolean assigned(String name, String code) {
    String quoted = Pattern.quote(name);
    return Pattern.compile("(?<![\\p{javaJavaIdentifierPart}$.])" + quoted
            + "\\s*(?:[-+*/%&|^]|<<|>>>?)?=(?!=)|(?:\\+\\+|--)\\s*" + quoted
            + "(?![\\p{javaJavaIdentifierPart}$])|(?<![\\p{javaJavaIdentifierPart}$.])" + quoted
            + "\\s*(?:\\+\\+|--)")
        .matcher(code).find();
  }

  /** Whether {@code body} calls a differentiable method anywhere. */
  private static boolean callsDifferentiable(Stmt body) {
    boolean[] calls = {false};
    Statements.forEachExpression(body, e ->
        calls[0] |= e instanceof Expr.Call c && c.callee().differentiable());
    return calls[0];
  }

  private static String suffix(String method, String name) {
    return method.startsWith(name) ? method.substring(name.length()) : "";
  }

  private static String fresh(String base, Set<String> taken) {
    String name = base;
    for (int i = 2; taken.contains(name); i++) {
      name = base + i;
    }
    taken.add(name);
    return name;
  }
}
