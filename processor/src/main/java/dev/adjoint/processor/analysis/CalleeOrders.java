package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;

/**
 * Checks that every differentiable method called from a method of order n has order n too:
 * the caller's derivatives of order k are made from the callee's, which exist only up to its
 * own order.
 */
public final class CalleeOrders {
  private CalleeOrders() {}

  /** Reports each call of a method whose order is below {@code order}. */
  public static void check(MethodIr method, int order, Reporter reporter) {
    if (order > 1) {
      check(method.body(), order, reporter);
    }
  }

  private static void check(Stmt s, int order, Reporter reporter) {
    if (s instanceof Stmt.Declare d && d.init().isPresent()) {
      check(d.init().get(), order, reporter);
    } else if (s instanceof Stmt.Assign a) {
      check(a.value(), order, reporter);
    } else if (s instanceof Stmt.ArrayWrite w) {
      check(w.value(), order, reporter);
    } else if (s instanceof Stmt.Return r && r.value().isPresent()) {
      check(r.value().get(), order, reporter);
    } else if (s instanceof Stmt.Evaluate e) {
      check(e.expression(), order, reporter);
    } else if (s instanceof Stmt.If f) {
      check(f.condition(), order, reporter);
    } else if (s instanceof Stmt.Loop l && l.condition() != null) {
      check(l.condition(), order, reporter);
    }
    Statements.children(s).forEach(c -> check(c, order, reporter));
  }

  private static void check(Expr e, int order, Reporter reporter) {
    if (e instanceof Expr.Call c && c.callee().differentiable() && c.callee().order() < order) {
      String name = c.callee().ownerSimpleName() + "." + c.callee().name();
      reporter.report(Message.CALLEE_ORDER_TOO_LOW, c.position(), name, c.callee().order(),
          order, order, name, order);
    }
    Exprs.children(e).forEach(child -> check(child, order, reporter));
  }
}
