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
      check(method.body(), new LowOrderCalls(order, reporter));
    }
  }

  private static void check(Stmt s, LowOrderCalls calls) {
    Statements.expressions(s).forEach(e -> e.accept(calls));
    Statements.children(s).forEach(child -> check(child, calls));
  }

  /** Reports the calls, anywhere in an expression, of methods of too low an order. */
  private static final class LowOrderCalls implements Expr.SourceVisitor<Void> {
    private final int order;
    private final Reporter reporter;

    LowOrderCalls(int order, Reporter reporter) {
      this.order = order;
      this.reporter = reporter;
    }

    private Void children(Expr e) {
      Exprs.children(e).forEach(child -> child.accept(this));
      return null;
    }

    @Override
    public Void visitCall(Expr.Call e) {
      if (e.callee().differentiable() && e.callee().order() < order) {
        String name = e.callee().ownerSimpleName() + "." + e.callee().name();
        reporter.report(Message.CALLEE_ORDER_TOO_LOW, e.position(), name, e.callee().order(),
            order, order, name, order);
      }
      return children(e);
    }

    @Override
    public Void visitLiteral(Expr.Literal e) {
      return null;
    }

    @Override
    public Void visitLocal(Expr.Local e) {
      return null;
    }

    @Override
    public Void visitFieldRead(Expr.FieldRead e) {
      return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return children(e);
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
      return children(e);
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
      return children(e);
    }

    @Override
    public Void visitCast(Expr.Cast e) {
      return children(e);
    }

    @Override
    public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
      return children(e);
    }

    @Override
    public Void visitArrayRead(Expr.ArrayRead e) {
      return children(e);
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
      return children(e);
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
      return children(e);
    }
  }
}
