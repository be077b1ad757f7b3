package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import java.util.function.Predicate;

/**
 * A walk over the subexpressions that evaluating an expression always evaluates: all of them
 * but the branches of a {@code ?:} and the right operand of {@code &&} and {@code ||}, which
 * run only when their condition says so. A pass that moves a subexpression out of its
 * statement (to evaluate it once for several statements) may move only these: one of the
 * others might throw, or cost, where the statement would not have evaluated it.
 */
final class EagerExpressions {
  private EagerExpressions() {}

  /**
   * Calls {@code visit} on {@code e} and, where it returns {@code true}, on the subexpressions
   * that evaluating it always evaluates, in evaluation order, to any depth.
   */
  static void walk(Expr e, Predicate<Expr> visit) {
    e.accept(new Walk(visit));
  }

  private static final class Walk implements Expr.Visitor<Void> {
    private final Predicate<Expr> visit;

    Walk(Predicate<Expr> visit) {
      this.visit = visit;
    }

    /** {@code e}, then all of its children when {@code visit} says so. */
    private Void all(Expr e) {
      if (visit.test(e)) {
        Exprs.children(e).forEach(c -> c.accept(this));
      }
      return null;
    }

    @Override
    public Void visitLiteral(Expr.Literal e) {
      return all(e);
    }

    @Override
    public Void visitLocal(Expr.Local e) {
      return all(e);
    }

    @Override
    public Void visitFieldRead(Expr.FieldRead e) {
      return all(e);
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return all(e);
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
      if (e.op() != Expr.BinaryOp.CONDITIONAL_AND && e.op() != Expr.BinaryOp.CONDITIONAL_OR) {
        return all(e);
      }
      if (visit.test(e)) {
        e.left().accept(this);
      }
      return null;
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
      if (visit.test(e)) {
        e.condition().accept(this);
      }
      return null;
    }

    @Override
    public Void visitCast(Expr.Cast e) {
      return all(e);
    }

    @Override
    public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
      return all(e);
    }

    @Override
    public Void visitCall(Expr.Call e) {
      return all(e);
    }

    @Override
    public Void visitArrayRead(Expr.ArrayRead e) {
      return all(e);
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
      return all(e);
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
      return all(e);
    }

    @Override
    public Void visitAdjointCall(Expr.AdjointCall e) {
      return all(e);
    }

    @Override
    public Void visitArrayCopy(Expr.ArrayCopy e) {
      return all(e);
    }

    @Override
    public Void visitBorrow(Expr.Borrow e) {
      return all(e);
    }

    @Override
    public Void visitTapePop(Expr.TapePop e) {
      return all(e);
    }

    @Override
    public Void visitElement(Expr.Element e) {
      return all(e);
    }

    @Override
    public Void visitNullArray(Expr.NullArray e) {
      return all(e);
    }
  }
}
