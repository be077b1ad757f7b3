package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
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
            && a.dependsOnVaried(d.value)) {
          changed |= a.varied.add(d.target);
        }
      }
    }
    a.useful.add(method.result());
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
    if (!e.type().carriesDerivatives()) {
      return false;
    }
    if (e instanceof Expr.Local l) {
      return isActive(l.variable());
    }
    if (e instanceof Expr.ArrayRead r) {
      return isActive(r.array());
    }
    if (e instanceof Expr.Call c && !c.callee().differentiable()) {
      return false;
    }
    if (e instanceof Expr.Conditional c) {
      return isActive(c.whenTrue()) || isActive(c.whenFalse());
    }
    for (Expr child : Exprs.children(e)) {
      if (isActive(child)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a parameter can influence the result at all. */
  public boolean isUseful(Variable parameter) {
    return useful.contains(parameter);
  }

  private boolean dependsOnVaried(Expr e) {
    if (!e.type().carriesDerivatives()) {
      return false;
    }
    if (e instanceof Expr.Local l) {
      return varied.contains(l.variable());
    }
    if (e instanceof Expr.ArrayRead r) {
      return dependsOnVaried(r.array());
    }
    if (e instanceof Expr.Call c && !c.callee().differentiable()) {
      return false;
    }
    if (e instanceof Expr.Conditional c) {
      return dependsOnVaried(c.whenTrue()) || dependsOnVaried(c.whenFalse());
    }
    for (Expr child : Exprs.children(e)) {
      if (dependsOnVaried(child)) {
        return true;
      }
    }
    return false;
  }

  /** Variables whose derivative flows into {@code e}'s value. */
  private static Set<Variable> differentiablyRead(Expr e) {
    Set<Variable> out = new LinkedHashSet<>();
    collectDifferentiable(e, out);
    return out;
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

  private void reportCuts(Stmt s, Reporter reporter) {
    for (Expr e : expressionsOf(s)) {
      reportCuts(e, reporter);
    }
    for (Stmt child : childrenOf(s)) {
      reportCuts(child, reporter);
    }
  }

  private void reportCuts(Expr e, Reporter reporter) {
    if (e instanceof Expr.Cast c && !c.type().isFloating() && dependsOnVaried(c.operand())) {
      reporter.report(Message.INTEGER_CAST_CUTS_DERIVATIVE, c.position(), c.type().javaName());
    }
    if (e instanceof Expr.IntrinsicCall c && !c.type().isFloating()
        && c.arguments().stream().anyMatch(this::dependsOnVaried)) {
      reporter.report(Message.ACTIVE_INTEGER_CALL_RESULT, c.position(),
          c.strict() ? "StrictMath" : "Math", c.intrinsic().javaName());
    }
    if (e instanceof Expr.Call c && c.callee().differentiable()) {
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
    if (e instanceof Expr.Call c && !c.callee().differentiable()
        && c.arguments().stream().anyMatch(this::dependsOnVaried)) {
      reporter.report(Message.NOT_DIFFERENTIABLE_CALL, c.position(),
          c.callee().ownerSimpleName() + "." + c.callee().name());
    }
    for (Expr child : Exprs.children(e)) {
      reportCuts(child, reporter);
    }
  }

  private record Definition(Variable target, Expr value) {}

  private static void collect(Stmt s, List<Definition> defs) {
    if (s instanceof Stmt.ArrayWrite w) {
      defs.add(new Definition(w.array(), w.value()));
    } else if (s instanceof Stmt.Assign a) {
      defs.add(new Definition(a.variable(), a.value()));
    } else if (s instanceof Stmt.Declare d && d.init() != null) {
      defs.add(new Definition(d.variable(), d.init()));
    }
    childrenOf(s).forEach(c -> collect(c, defs));
  }

  static List<Stmt> childrenOf(Stmt s) {
    List<Stmt> out = new ArrayList<>();
    if (s instanceof Stmt.Block b) {
      out.addAll(b.statements());
    } else if (s instanceof Stmt.If f) {
      out.addAll(f.thenBlock().statements());
      out.addAll(f.elseBlock().statements());
    } else if (s instanceof Stmt.Loop l) {
      out.addAll(l.init());
      out.addAll(l.body().statements());
      out.addAll(l.update());
    }
    return out;
  }

  static List<Expr> expressionsOf(Stmt s) {
    if (s instanceof Stmt.ArrayWrite w) {
      List<Expr> all = new ArrayList<>(w.indices());
      all.add(w.value());
      return all;
    }
    if (s instanceof Stmt.Assign a) {
      return List.of(a.value());
    } else if (s instanceof Stmt.Declare d && d.init() != null) {
      return List.of(d.init());
    } else if (s instanceof Stmt.If f) {
      return List.of(f.condition());
    } else if (s instanceof Stmt.Loop l) {
      return List.of(l.condition());
    } else if (s instanceof Stmt.Return r) {
      return List.of(r.value());
    }
    return List.of();
  }

}
