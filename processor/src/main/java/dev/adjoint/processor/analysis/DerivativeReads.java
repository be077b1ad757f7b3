package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Variable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The variables whose derivative flows into an expression's value. A derivative travels
 * through floating-point values only: comparisons, integer conversions and calls of methods
 * that are not differentiable cut it, and array indices and conditions carry none.
 */
final class DerivativeReads implements Expr.SourceVisitor<Void> {
  private final Set<Variable> out = new LinkedHashSet<>();

  private DerivativeReads() {}

  /** The variables whose derivative flows into {@code e}, in first-use order. */
  static Set<Variable> of(Expr e) {
    DerivativeReads reads = new DerivativeReads();
    reads.read(e);
    return reads.out;
  }

  private void read(Expr e) {
    // A value without derivatives passes none on, whatever it is computed from.
    if (e.type().carriesDerivatives()) {
      e.accept(this);
    }
  }

  private Void readAll(List<Expr> exprs) {
    exprs.forEach(this::read);
    return null;
  }

  @Override
  public Void visitLiteral(Expr.Literal e) {
    return null;
  }

  @Override
  public Void visitLocal(Expr.Local e) {
    out.add(e.variable());
    return null;
  }

  /** A constant: never active. */
  @Override
  public Void visitFieldRead(Expr.FieldRead e) {
    return null;
  }

  @Override
  public Void visitUnary(Expr.Unary e) {
    return readAll(Exprs.children(e));
  }

  @Override
  public Void visitBinary(Expr.Binary e) {
    return readAll(Exprs.children(e));
  }

  /** Only the chosen value carries a derivative; the condition only chooses. */
  @Override
  public Void visitConditional(Expr.Conditional e) {
    return readAll(List.of(e.whenTrue(), e.whenFalse()));
  }

  @Override
  public Void visitCast(Expr.Cast e) {
    return readAll(Exprs.children(e));
  }

  @Override
  public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
    return readAll(Exprs.children(e));
  }

  /** A call Adjoint cannot differentiate passes no derivative on (activity reports it). */
  @Override
  public Void visitCall(Expr.Call e) {
    return e.callee().differentiable() ? readAll(Exprs.children(e)) : null;
  }

  /** The element's derivative is the array's; the index only chooses. */
  @Override
  public Void visitArrayRead(Expr.ArrayRead e) {
    read(e.array());
    return null;
  }

  @Override
  public Void visitArrayLength(Expr.ArrayLength e) {
    return readAll(Exprs.children(e));
  }

  @Override
  public Void visitNewArray(Expr.NewArray e) {
    return readAll(Exprs.children(e));
  }
}
