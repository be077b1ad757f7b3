package dev.adjoint.processor.ir;

import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Expr.UnaryOp;
import java.util.List;
import java.util.Optional;

/**
 * The derivative rules of Java's operators, beside {@link Intrinsic}'s for functions: together
 * they are every primitive rule the transforms know. The reverse transform, the tangent
 * transform and (through the reverse transform's output) the CUDA emitter all read them here.
 *
 * <p>A rule receives the operand values (already evaluated, cheap to repeat) and {@code r},
 * the operation's own result, and returns one partial per operand, exactly as an intrinsic's
 * {@link Intrinsic.Rule}. Operators without a constant here (comparisons, logic, bit
 * operations, shifts) produce integers or booleans, which carry no derivative.
 */
public enum Operator {
  ADD((x, r) -> List.of(lit(1), lit(1))),
  SUBTRACT((x, r) -> List.of(lit(1), lit(-1))),
  MULTIPLY((x, r) -> List.of(x.get(1), x.get(0))),
  /** d(a / b) = da / b - (a / b) db / b: the quotient is the result itself. */
  DIVIDE((x, r) -> List.of(div(lit(1), x.get(1)), neg(div(r, x.get(1))))),
  /**
   * a % b = a - q b with q = trunc(a / b) = (a - r) / b, constant wherever a % b is
   * differentiable.
   */
  REMAINDER((x, r) -> List.of(lit(1), neg(div(sub(x.get(0), r), x.get(1))))),
  NEGATE((x, r) -> List.of(lit(-1))),
  PLUS((x, r) -> List.of(lit(1))),
  /** A floating-point conversion (float to double or back): the identity on derivatives. */
  CONVERT((x, r) -> List.of(lit(1)));

  private final Intrinsic.Rule rule;

  Operator(Intrinsic.Rule rule) {
    this.rule = rule;
  }

  /** The partials of this operator's result with respect to each operand. */
  public Intrinsic.Rule rule() {
    return rule;
  }

  /** The rule of an infix operator, or none when its result carries no derivative. */
  public static Optional<Operator> of(BinaryOp op) {
    return switch (op) {
      case ADD -> Optional.of(ADD);
      case SUBTRACT -> Optional.of(SUBTRACT);
      case MULTIPLY -> Optional.of(MULTIPLY);
      case DIVIDE -> Optional.of(DIVIDE);
      case REMAINDER -> Optional.of(REMAINDER);
      case SHIFT_LEFT, SHIFT_RIGHT, UNSIGNED_SHIFT_RIGHT, LESS, LESS_EQUAL, GREATER,
          GREATER_EQUAL, EQUAL, NOT_EQUAL, AND, XOR, OR, CONDITIONAL_AND, CONDITIONAL_OR ->
          Optional.empty();
    };
  }

  /** The rule of a prefix operator, or none when its result carries no derivative. */
  public static Optional<Operator> of(UnaryOp op) {
    return switch (op) {
      case NEGATE -> Optional.of(NEGATE);
      case PLUS -> Optional.of(PLUS);
      case NOT, BITWISE_NOT -> Optional.empty();
    };
  }
}
