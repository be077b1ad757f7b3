package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Intrinsic;

/**
 * The cost model behind the store-or-recompute decision of the reverse sweep (Griewank and
 * Walther, "Evaluating Derivatives", ch. 12; Tapenade and Enzyme make the same per-value cache
 * decision). A value that the reverse code of a statement inside a loop reads is either
 * recomputed there, from the primal values restored at that point, or computed once by the
 * forward sweep, pushed on the tape and popped by the reverse code. The costs are rough cycle
 * counts on a current x86 or ARM core:
 *
 * <ul>
 *   <li>a push and its pop: {@value #PUSH_POP} (a store, a capacity check and an index update in
 *       the forward sweep; a load and an index update in the reverse sweep; 16 bytes of memory
 *       traffic);
 *   <li>a transcendental function ({@code exp}, {@code log}, {@code tanh}, {@code sin}, {@code
 *       pow}, ...): {@value #TRANSCENDENTAL}, since {@code java.lang.Math} computes most of them
 *       in software (tens of cycles each);
 *   <li>{@code sqrt}, a division or a remainder: {@value #DIVISION} (a long-latency unit);
 *   <li>any other operator, conversion, load or cheap {@code Math} function ({@code abs},
 *       {@code min}, {@code floor}, {@code fma}, ...): 1; a local or a literal: 0.
 * </ul>
 *
 * <p>A value is recorded when recomputing it costs more than a push and a pop: a value that
 * calls a transcendental function always is, while cheap arithmetic on values still available
 * is recomputed (it also keeps the tape small). Values already held by a local cost nothing.
 */
final class RecomputeCost implements Expr.SourceVisitor<Integer> {
  /** A push in the forward sweep and its pop in the reverse sweep. */
  static final int PUSH_POP = 8;
  /** One call of a transcendental function of {@code java.lang.Math}. */
  static final int TRANSCENDENTAL = 40;
  /** {@code sqrt}, a division or a remainder. */
  static final int DIVISION = 6;

  private static final RecomputeCost INSTANCE = new RecomputeCost();

  private RecomputeCost() {}

  /** The estimated cost of evaluating {@code e} again. */
  static int of(Expr e) {
    return e.accept(INSTANCE);
  }

  /** Whether recording {@code e} on the tape is cheaper than evaluating it again. */
  static boolean worthRecording(Expr e) {
    return of(e) > PUSH_POP;
  }

  private int children(Expr e, int own) {
    int cost = own;
    for (Expr child : Exprs.children(e)) {
      cost += child.accept(this);
    }
    return cost;
  }

  /** The cost of one call of {@code f}, its arguments aside. */
  static int cost(Intrinsic f) {
    switch (f) {
      case SQRT:
        return DIVISION;
      case ABS:
      case MIN:
      case MAX:
      case SIGNUM:
      case FLOOR:
      case CEIL:
      case RINT:
      case ROUND:
      case TO_RADIANS:
      case TO_DEGREES:
      case FMA:
      case COPY_SIGN:
        return 1;
      case SIN:
      case COS:
      case TAN:
      case ASIN:
      case ACOS:
      case ATAN:
      case ATAN2:
      case SINH:
      case COSH:
      case TANH:
      case EXP:
      case EXPM1:
      case LOG:
      case LOG10:
      case LOG1P:
      case CBRT:
      case POW:
      case HYPOT:
        return TRANSCENDENTAL;
      default:
        throw new IllegalStateException("no cost for " + f);
    }
  }

  @Override
  public Integer visitLiteral(Expr.Literal e) {
    return 0;
  }

  @Override
  public Integer visitLocal(Expr.Local e) {
    return 0;
  }

  @Override
  public Integer visitFieldRead(Expr.FieldRead e) {
    return 0;
  }

  @Override
  public Integer visitUnary(Expr.Unary e) {
    return children(e, 1);
  }

  @Override
  public Integer visitBinary(Expr.Binary e) {
    boolean divides = e.op() == Expr.BinaryOp.DIVIDE || e.op() == Expr.BinaryOp.REMAINDER;
    return children(e, divides ? DIVISION : 1);
  }

  @Override
  public Integer visitConditional(Expr.Conditional e) {
    // Only one branch runs: the condition and the dearer branch.
    return 1 + e.condition().accept(this)
        + Math.max(e.whenTrue().accept(this), e.whenFalse().accept(this));
  }

  @Override
  public Integer visitCast(Expr.Cast e) {
    return children(e, 1);
  }

  @Override
  public Integer visitIntrinsicCall(Expr.IntrinsicCall e) {
    return children(e, cost(e.intrinsic()));
  }

  @Override
  public Integer visitCall(Expr.Call e) {
    // A method of the user's: at least a transcendental function's worth.
    return children(e, TRANSCENDENTAL);
  }

  @Override
  public Integer visitArrayRead(Expr.ArrayRead e) {
    return children(e, 1);
  }

  @Override
  public Integer visitArrayLength(Expr.ArrayLength e) {
    return 1;
  }

  @Override
  public Integer visitNewArray(Expr.NewArray e) {
    return children(e, TRANSCENDENTAL);
  }
}
