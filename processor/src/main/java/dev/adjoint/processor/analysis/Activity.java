package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Activity analysis: a variable is active when it depends on a differentiable parameter
 * (varied) and the result depends on it (useful). Only active variables get adjoints, and
 * only active expressions get adjoint code. The analysis is flow-insensitive: sound for loops
 * without iteration, and precise enough for the bodies people write.
 *
 * <p>It also reports what only activity can tell ({@link DerivativeCuts}): calls of methods
 * Adjoint cannot differentiate with varied arguments (an error), and conversions that cut a
 * derivative.
 */
public final class Activity {
  private final Set<Variable> varied = new HashSet<>();
  private final Set<Variable> useful = new HashSet<>();
  private final List<Expr.Call> differentiatedCalls = new java.util.ArrayList<>();

  private Activity() {}

  /** Analyses a lowered method (or a tangent form), reporting the derivatives it loses. */
  public static Activity of(MethodIr method, Reporter reporter) {
    Activity a = new Activity();
    List<Definitions.Definition> defs = Definitions.in(method.body());
    a.varied.addAll(method.differentiableParameters());
    // A retained local's derivative is wanted even where it does not depend on an input.
    a.varied.addAll(method.retained());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Definitions.Definition d : defs) {
        if (d.target().type().carriesDerivatives() && !a.varied.contains(d.target())
            && (a.dependsOnVaried(d.value()) || a.helperCallVaried(d.value()))) {
          changed |= a.varied.add(d.target());
        }
      }
    }
    if (method.result() != null) {
      a.useful.add(method.result());
    } else {
      // A void helper's outputs are the array parameters it writes.
      Set<Variable> written = Statements.assigned(method.body());
      method.parameters().stream().filter(p -> p.type().isArray() && written.contains(p))
          .forEach(a.useful::add);
    }
    changed = true;
    while (changed) {
      changed = false;
      for (Definitions.Definition d : defs) {
        if (a.useful.contains(d.target())) {
          for (Variable v : differentiablyRead(d.value())) {
            changed |= a.useful.add(v);
          }
        }
      }
    }
    method.body().accept(new DerivativeCuts(a::dependsOnVaried, a.useful::contains, reporter,
        a.differentiatedCalls::add));
    return a;
  }

  /**
   * The calls of differentiable methods whose derivative reaches the result: the callees
   * whose derivatives the generated code calls.
   */
  public List<Expr.Call> differentiatedCalls() {
    return List.copyOf(differentiatedCalls);
  }

  /** Whether a derivative of a differentiable parameter can flow into {@code e}. */
  public boolean isVaried(Expr e) {
    return dependsOnVaried(e);
  }

  /** Whether {@code v} needs an adjoint. */
  public boolean isActive(Variable v) {
    return varied.contains(v) && useful.contains(v);
  }

  /** Whether the derivative of the result flows through {@code e}. */
  public boolean isActive(Expr e) {
    return derivativeReaches(e, this::isActive);
  }

  /** Whether a parameter can influence the result at all. */
  public boolean isUseful(Variable parameter) {
    return useful.contains(parameter);
  }

  private boolean dependsOnVaried(Expr e) {
    return derivativeReaches(e, varied::contains);
  }

  /** Whether a derivative can flow from a variable satisfying {@code leaf} into {@code e}. */
  private static boolean derivativeReaches(Expr e, Predicate<Variable> leaf) {
    return DerivativeReads.of(e).stream().anyMatch(leaf);
  }

  /**
   * Variables whose derivative flows into a definition's value; for a void helper's call,
   * into the arrays it writes: all its arguments'.
   */
  private static Set<Variable> differentiablyRead(Expr value) {
    if (isHelperCall(value)) {
      Set<Variable> out = new LinkedHashSet<>();
      ((Expr.Call) value).arguments().forEach(arg -> out.addAll(DerivativeReads.of(arg)));
      return out;
    }
    return DerivativeReads.of(value);
  }

  /** A call of a void helper makes its array arguments depend on all its arguments. */
  private boolean helperCallVaried(Expr value) {
    return isHelperCall(value)
        && ((Expr.Call) value).arguments().stream().anyMatch(this::dependsOnVaried);
  }

  private static boolean isHelperCall(Expr e) {
    return e instanceof Expr.Call c && c.type() == Type.VOID;
  }
}
