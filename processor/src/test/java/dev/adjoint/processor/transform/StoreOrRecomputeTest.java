package dev.adjoint.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.call;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.transform.LoweredIr.assign;
import static dev.adjoint.processor.transform.LoweredIr.count;
import static dev.adjoint.processor.transform.LoweredIr.declare;
import static dev.adjoint.processor.transform.LoweredIr.flatten;
import static dev.adjoint.processor.transform.LoweredIr.local;
import static dev.adjoint.processor.transform.LoweredIr.method;
import static dev.adjoint.processor.transform.LoweredIr.nodes;
import static dev.adjoint.processor.transform.LoweredIr.parameter;
import static dev.adjoint.processor.transform.LoweredIr.read;
import static dev.adjoint.processor.transform.LoweredIr.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The store-or-recompute decision inside loops ({@link RecomputeCost}): a transcendental value
 * the reverse code reads is computed once by the forward sweep and recorded; cheap arithmetic
 * is recomputed by the reverse code.
 */
class StoreOrRecomputeTest {
  private final Variable w = parameter("w", Type.DOUBLE_ARRAY);
  private final Variable n = parameter("n", Type.INT);
  private final Variable z = local("z", Type.DOUBLE);
  private final Variable k = local("k", Type.INT);
  private final Variable result = local("result", Type.DOUBLE);

  /** {@code z = 0; for (int k = 0; k < n; k++) z += w[k] * inner(w[k]); result = z;} */
  private MethodIr loopOver(Expr inner) {
    Stmt.Loop loop = Stmt.Loop.unlabelled(
        List.of(declare(k, Expr.Literal.ofInt(0))),
        binary(BinaryOp.LESS, read(k), read(n)),
        List.of(assign(k, binary(BinaryOp.ADD, read(k), Expr.Literal.ofInt(1)))),
        Stmt.Block.of(List.of(assign(z, binary(BinaryOp.ADD, read(z),
            mul(element(), inner))))),
        true, Position.NONE);
    return method(List.of(w, n), result, List.of(declare(z, lit(0)), loop,
        declare(result, read(z))));
  }

  private Expr element() {
    return new Expr.ArrayRead(read(w), read(k), Type.DOUBLE);
  }

  private static long calls(List<Stmt> statements, Intrinsic f) {
    return flatten(statements).stream()
        .flatMap(s -> LoweredIr.expressions(s).stream())
        .flatMap(e -> nodes(e).stream())
        .filter(e -> e instanceof Expr.IntrinsicCall c && c.intrinsic() == f)
        .count();
  }

  @Test
  void tanhInALoopIsRecordedNotRecomputed() {
    // z += w[k] * tanh(2 * w[k]): the reverse code reads tanh's value (w[k]'s partial, 1 - t²).
    Adjoint a = transform(loopOver(call(Intrinsic.TANH, mul(lit(2), element()))));

    assertThat(calls(a.reverse(), Intrinsic.TANH)).isEqualTo(0);
    assertThat(calls(a.forward(), Intrinsic.TANH)).isEqualTo(1);
    // One push of the value in the loop body, one pop in the reverse loop's body.
    assertThat(count(a.forward(), LoweredIr::isPush)).isEqualTo(1);
    assertThat(count(a.reverse(), LoweredIr::popsTape)).isEqualTo(1);
    // The forward sweep computes tanh into a temporary, records it, and the statement reads it.
    Stmt.Loop forwardLoop = (Stmt.Loop) flatten(a.forward()).stream()
        .filter(s -> s instanceof Stmt.Loop).findFirst().orElseThrow();
    List<Stmt> body = forwardLoop.body().statements();
    assertThat(body).hasSize(3);
    Stmt.Declare value = (Stmt.Declare) body.get(0);
    assertThat(value.init().orElseThrow()).isInstanceOf(Expr.IntrinsicCall.class);
    assertThat(body.get(1)).isEqualTo(new Stmt.Push(a.tape().orElseThrow(),
        read(value.variable())));
    assertThat(Exprs.variables(((Stmt.Assign) body.get(2)).value()))
        .contains(value.variable());
  }

  @Test
  void cheapArithmeticInALoopIsRecomputed() {
    // z += w[k] * (w[k] * w[k] + 1): the partials read w[k] only; nothing is worth a record.
    Adjoint a = transform(loopOver(binary(BinaryOp.ADD, mul(element(), element()), lit(1))));

    assertThat(a.tape()).isEmpty();
    assertThat(count(a.forward(), LoweredIr::isPush)).isEqualTo(0);
    assertThat(count(a.reverse(), LoweredIr::popsTape)).isEqualTo(0);
  }

  @Test
  void sqrtOfASumIsRecordedButASingleDivisionIsRecomputed() {
    Expr sum = binary(BinaryOp.ADD, mul(element(), element()), lit(1));
    assertThat(RecomputeCost.worthRecording(call(Intrinsic.SQRT, sum))).isTrue();
    assertThat(RecomputeCost.worthRecording(binary(BinaryOp.DIVIDE, lit(1), read(z))))
        .isFalse();
    assertThat(RecomputeCost.worthRecording(call(Intrinsic.EXP, read(z)))).isTrue();
    assertThat(RecomputeCost.worthRecording(call(Intrinsic.ABS, read(z)))).isFalse();
  }

  @Test
  void recordedValueReplacesTheOverwrittenVariablesRecord() {
    // y = x0; for (...) y = y * 0.5 + exp(-y): the reverse reads exp(-y), not y, so the
    // forward sweep records exp(-y) and not the y each iteration overwrites.
    Variable x0 = parameter("x0", Type.DOUBLE);
    Variable y = local("y", Type.DOUBLE);
    Expr expMinusY = call(Intrinsic.EXP, new Expr.Unary(Expr.UnaryOp.NEGATE, read(y),
        Type.DOUBLE));
    Stmt.Loop loop = Stmt.Loop.unlabelled(
        List.of(declare(k, Expr.Literal.ofInt(0))),
        binary(BinaryOp.LESS, read(k), read(n)),
        List.of(assign(k, binary(BinaryOp.ADD, read(k), Expr.Literal.ofInt(1)))),
        Stmt.Block.of(List.of(assign(y, binary(BinaryOp.ADD, mul(read(y), lit(0.5)),
            expMinusY)))),
        true, Position.NONE);
    MethodIr m = method(List.of(x0, n), result, List.of(declare(y, read(x0)), loop,
        declare(result, read(y))));

    Adjoint a = transform(m);

    assertThat(count(a.forward(), LoweredIr::isPush)).isEqualTo(1);
    assertThat(count(a.forward(), s -> s instanceof Stmt.Push p
        && p.value().equals(read(y)))).isEqualTo(0);
    assertThat(calls(a.reverse(), Intrinsic.EXP)).isEqualTo(0);
  }
}
