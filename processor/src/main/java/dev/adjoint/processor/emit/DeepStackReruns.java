package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The stack-overflow fallback of the entry points that own their results ({@code mGrad},
 * {@code mJvp}, {@code mHvp}, {@code mHessian}; see {@code dev.adjoint.runtime.DeepStack}): the
 * finished method's code in a {@code try} whose {@code catch (StackOverflowError)} runs the same
 * call again on a thread with a large stack, when it was the outermost generated call on its
 * thread. Only for a method that calls differentiable methods (a method without calls has
 * derivative code of a fixed depth), and not for one that writes its array parameters (its entry
 * points end with the plain call, whose writes a rerun would see). Costs one look at the
 * thread's tape per call.
 *
 * <p>The family writing such an entry point asks for its fallback ({@link #reserve}) right after
 * naming the parameters, with the IR it is about to print into the body: the fallback's own
 * names are taken from the entry point's {@link Names} before any other, so no local of the
 * body can shadow them, and the parameters the printed statements assign are known from the IR
 * ({@link #parametersToCopy}), not from the generated text.
 */
final class DeepStackReruns {
  private static final ClassName DEEP_STACK = ClassName.get("dev.adjoint.runtime", "DeepStack");

  private final MethodModel model;
  private final String outermost;
  private final String overflow;
  /** The name of the copy of each parameter the body assigns, by the parameter's name. */
  private final Map<String, String> copies;

  private DeepStackReruns(MethodModel model, String outermost, String overflow,
      Map<String, String> copies) {
    this.model = model;
    this.outermost = outermost;
    this.overflow = overflow;
    this.copies = copies;
  }

  /**
   * The fallback of an entry point of {@code model} being written, or none when its calls
   * cannot recurse or a rerun could not start from the arguments as they came. Takes the names
   * the fallback declares (the flag, the caught error, a copy of each assigned parameter) from
   * {@code names}, before the body takes any: so far it holds the entry point's parameters (and
   * names reserved beside them), and no local of the body can then shadow the fallback's.
   *
   * @param parameters the entry point's parameters, named as {@code names} reserved them
   * @param printed the IR statements the body will print: empty where the body only calls other
   *     members (which get the arguments by value and cannot change the entry point's)
   */
  static Optional<DeepStackReruns> reserve(MethodModel model, Names names,
      List<Variable> parameters, List<Stmt> printed) {
    if (!model.method().written().isEmpty() || !callsDifferentiable(model.method().body())) {
      return Optional.empty();
    }
    Optional<List<Variable>> assigned = parametersToCopy(printed, parameters);
    if (assigned.isEmpty()) {
      return Optional.empty();
    }
    // The variables the body declares keep their names; the fallback's are numbered instead.
    Set<String> kept = Statements.assigned(printed).stream().map(Variable::name)
        .collect(Collectors.toSet());
    String outermost = names.fresh("outermost", kept);
    String overflow = names.fresh("overflow", kept);
    Map<String, String> copies = new LinkedHashMap<>();
    for (Variable p : assigned.get()) {
      copies.put(names.of(p), names.fresh(names.of(p) + "AtEntry", kept));
    }
    return Optional.of(new DeepStackReruns(model, outermost, overflow, copies));
  }

  /**
   * The parameters among {@code parameters} that {@code printed} assigns, which the rerun must
   * get as they came: a scalar the code assigns (forward mode updates a tangent in place) is
   * copied first. None when {@code printed} writes into an array parameter: a copy of the
   * reference would not give the rerun the elements as they came, and a copy of the elements
   * would cost an allocation per call (a method writing its arrays has no rerun for the same
   * reason). The facts come from {@link Statements#assigned}, which says for every kind of
   * statement what it writes.
   */
  static Optional<List<Variable>> parametersToCopy(List<Stmt> printed,
      List<Variable> parameters) {
    Set<Variable> written = Statements.assigned(printed);
    List<Variable> copied = new ArrayList<>();
    for (Variable p : parameters) {
      if (!written.contains(p)) {
        continue;
      }
      if (p.type().isArray()) {
        return Optional.empty();
      }
      copied.add(p);
    }
    return Optional.of(copied);
  }

  /** {@code method} (the finished entry point) with the fallback around its code. */
  MethodSpec around(MethodSpec method) {
    CodeBlock.Builder code = CodeBlock.builder()
        .add("// A recursion deeper than this thread's stack holds runs again on a larger one.\n");
    // The rerun needs the arguments as they came: a parameter the code assigns (forward mode
    // updates its tangent in place) is kept in a copy first.
    List<String> names = new ArrayList<>();
    for (ParameterSpec p : method.parameters()) {
      String copy = copies.get(p.name());
      if (copy != null) {
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

  /** {@code method} with {@code rerun}'s fallback, if it has one. */
  static MethodSpec around(Optional<DeepStackReruns> rerun, MethodSpec method) {
    return rerun.map(r -> r.around(method)).orElse(method);
  }

  /** Whether {@code body} calls a differentiable method anywhere. */
  private static boolean callsDifferentiable(Stmt body) {
    boolean[] calls = {false};
    Statements.forEachExpression(body, e ->
        calls[0] |= e instanceof Expr.Call c && c.callee().differentiable());
    return calls[0];
  }
}
