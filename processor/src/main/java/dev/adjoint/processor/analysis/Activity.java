package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Activity analysis: a variable is active when it depends on a differentiable parameter
 * (varied) and the result depends on it (useful). Only active variables get adjoints, and
 * only active expressions get adjoint code. The analysis is flow-insensitive: sound for loops
 * without iteration, and precise enough for the bodies people write.
 *
 * <p>It also reports what only activity can tell: calls of methods Adjoint cannot
 * differentiate with varied arguments (an error), and conversions that cut a derivative.
 */
public final class Activity {
  private final Set<Variable> varied = new HashSet<>();
  private final Set<Variable> useful = new HashSet<>();

  private Activity() {}

  public static Activity of(MethodIr method, Reporter reporter) {
    Activity a = new Activity();
    List<Definition> defs = new ArrayList<>();
    collect(method.body(), defs);
    a.varied.addAll(method.differentiableParameters());
    // A retained local's derivative is wanted even where it does not depend on an input.
    a.varied.addAll(method.retained());
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Definition d : defs) {
        if (d.target.type().carriesDerivatives() && !a.varied.contains(d.target)
            && (a.dependsOnVaried(d.value) || a.helperCallVaried(d.value))) {
          changed |= a.varied.add(d.target);
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
      for (Definition d : defs) {
        if (a.useful.contains(d.target)) {
          for (Variable v : differentiablyRead(d.value)) {
            changed |= a.useful.add(v);
          }
        }
      }
    }
    a.reportCuts(method.body(), reporter);
    return a;
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

  /**
   * Whether a derivative can flow from a variable satisfying {@code leaf} into {@code e}'s
   * value: through floating-point values only (comparisons, integer conversions and calls of
   * methods that are not differentiable cut it; array indices and conditions carry none).
   */
  private static boolean derivativeReaches(Expr e, java.util.function.Predicate<Variable> leaf) {
    if (!e.type().carriesDerivatives()) {
      return false;
    }
    if (e instanceof Expr.Local l) {
      return leaf.test(l.variable());
    }
    if (e instanceof Expr.ArrayRead r) {
      return derivativeReaches(r.array(), leaf);
    }
    if (e instanceof Expr.Call c && !c.callee().differentiable()) {
      return false;
    }
    if (e instanceof Expr.Conditional c) {
      return derivativeReaches(c.whenTrue(), leaf) || derivativeReaches(c.whenFalse(), leaf);
    }
    for (Expr child : Exprs.children(e)) {
      if (derivativeReaches(child, leaf)) {
        return true;
      }
    }
    return false;
  }

  /** Variables whose derivative flows into {@code e}'s value. */
  private static Set<Variable> differentiablyRead(Expr e) {
    Set<Variable> out = new LinkedHashSet<>();
    if (e instanceof Expr.Call c && c.type() == Type.VOID) {
      c.arguments().forEach(arg -> collectDifferentiable(arg, out));
      return out;
    }
    collectDifferentiable(e, out);
    return out;
  }

  /** A call of a void helper makes its array arguments depend on all its arguments. */
  private boolean helperCallVaried(Expr e) {
    return e instanceof Expr.Call c && c.type() == Type.VOID
        && c.arguments().stream().anyMatch(this::dependsOnVaried);
  }

  private static void collectDifferentiable(Expr e, Set<Variable> out) {
    if (!e.type().carriesDerivatives()) {
      return;
    }
    if (e instanceof Expr.Local l) {
      out.add(l.variable());
      return;
    }
    if (e instanceof Expr.ArrayRead r) {
      collectDifferentiable(r.array(), out);
      return;
    }
    if (e instanceof Expr.Call c && !c.callee().differentiable()) {
      return;
    }
    if (e instanceof Expr.Conditional c) {
      collectDifferentiable(c.whenTrue(), out);
      collectDifferentiable(c.whenFalse(), out);
      return;
    }
    for (Expr child : Exprs.children(e)) {
      collectDifferentiable(child, out);
    }
  }

  /**
   * Reports derivatives that a construct would lose. Integer conversions warn wherever they
   * take a varied value; a call that cannot be differentiated, or that does not differentiate
   * an argument, is an error only where the derivative would reach the result ({@code flows}):
   * not in conditions, indices, integer arithmetic or unused values.
   */
  private void reportCuts(Stmt s, Reporter reporter) {
    if (s instanceof Stmt.Assign a) {
      reportCuts(a.value(), useful.contains(a.variable()), reporter);
    } else if (s instanceof Stmt.Declare d && d.init().isPresent()) {
      reportCuts(d.init().get(), useful.contains(d.variable()), reporter);
    } else if (s instanceof Stmt.ArrayWrite w) {
      w.indices().forEach(i -> reportCuts(i, false, reporter));
      reportCuts(w.value(), useful.contains(w.array()), reporter);
    } else {
      boolean flows = s instanceof Stmt.Return || s instanceof Stmt.Evaluate;
      for (Expr e : expressionsOf(s)) {
        reportCuts(e, flows, reporter);
      }
    }
    for (Stmt child : Statements.children(s)) {
      reportCuts(child, reporter);
    }
  }

  private void reportCuts(Expr e, boolean flows, Reporter reporter) {
    if (e instanceof Expr.Cast c && !c.type().isFloating() && dependsOnVaried(c.operand())) {
      reporter.report(Message.INTEGER_CAST_CUTS_DERIVATIVE, c.position(), c.type().javaName());
    }
    if (e instanceof Expr.IntrinsicCall c && !c.type().isFloating()
        && c.arguments().stream().anyMatch(this::dependsOnVaried)) {
      reporter.report(Message.ACTIVE_INTEGER_CALL_RESULT, c.position(),
          c.strict() ? "StrictMath" : "Math", c.intrinsic().javaName());
    }
    boolean resultFlows = flows && (e.type().carriesDerivatives() || e.type() == Type.VOID);
    if (e instanceof Expr.Call c && c.callee().differentiable() && resultFlows) {
      for (int i = 0; i < c.arguments().size(); i++) {
        if (!c.callee().differentiates(i) && c.callee().parameterTypes().get(i)
            .carriesDerivatives() && dependsOnVaried(c.arguments().get(i))) {
          String callee = c.callee().ownerSimpleName() + "." + c.callee().name();
          String parameter = c.callee().parameterNames().get(i);
          reporter.report(Message.NOT_DIFFERENTIATED_ARGUMENT, c.position(), parameter, callee,
              c.callee().name(), parameter);
        }
      }
    }
    if (e instanceof Expr.Call c && !c.callee().differentiable() && resultFlows
        && c.arguments().stream().anyMatch(this::dependsOnVaried)) {
      reporter.report(Message.NOT_DIFFERENTIABLE_CALL, c.position(),
          c.callee().ownerSimpleName() + "." + c.callee().name());
    }
    List<Expr> children = Exprs.children(e);
    for (Expr child : children) {
      boolean index = e instanceof Expr.ArrayRead r && child == r.index();
      reportCuts(child, resultFlows && !index, reporter);
    }
  }

  private record Definition(Variable target, Expr value) {}

  private static void collect(Stmt s, List<Definition> defs) {
    if (s instanceof Stmt.ArrayWrite w) {
      defs.add(new Definition(w.array(), w.value()));
    } else if (s instanceof Stmt.Evaluate e && e.expression() instanceof Expr.Call c) {
      c.arrayArguments().forEach(v -> defs.add(new Definition(v, c)));
    } else if (s instanceof Stmt.Assign a) {
      defs.add(new Definition(a.variable(), a.value()));
    } else if (s instanceof Stmt.Declare d && d.init().isPresent()) {
      defs.add(new Definition(d.variable(), d.init().get()));
    }
    Statements.children(s).forEach(c -> collect(c, defs));
  }


  static List<Expr> expressionsOf(Stmt s) {
    if (s instanceof Stmt.ArrayWrite w) {
      List<Expr> all = new ArrayList<>(w.indices());
      all.add(w.value());
      return all;
    }
    if (s instanceof Stmt.Assign a) {
      return List.of(a.value());
    } else if (s instanceof Stmt.Declare d && d.init().isPresent()) {
      return List.of(d.init().get());
    } else if (s instanceof Stmt.If f) {
      return List.of(f.condition());
    } else if (s instanceof Stmt.Loop l) {
      return List.of(l.condition());
    } else if (s instanceof Stmt.Return r && r.value().isPresent()) {
      return List.of(r.value().get());
    } else if (s instanceof Stmt.Evaluate e) {
      return List.of(e.expression());
    }
    return List.of();
  }

}
