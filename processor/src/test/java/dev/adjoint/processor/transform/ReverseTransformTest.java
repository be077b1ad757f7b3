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
import static dev.adjoint.processor.transform.LoweredIr.parameter;
import static dev.adjoint.processor.transform.LoweredIr.read;
import static dev.adjoint.processor.transform.LoweredIr.transform;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reverse transform on hand-built lowered IR, without javac. */
class ReverseTransformTest {
  private final Variable x = parameter("x", Type.DOUBLE);
  private final Variable result = local("result", Type.DOUBLE);

  @Test
  void straightLineCodeRecordsNothing() {
    Variable y = local("y", Type.DOUBLE);
    Variable z = local("z", Type.DOUBLE);
    MethodIr m = method(List.of(x), result, List.of(
        declare(y, mul(read(x), read(x))),
        declare(z, call(Intrinsic.SIN, read(y))),
        declare(result, mul(read(z), read(x)))));

    Adjoint a = transform(m);

    assertThat(a.tape()).isEmpty();
    assertThat(count(a.forward(), LoweredIr::isPush)).isEqualTo(0);
    assertThat(count(a.reverse(), LoweredIr::popsTape)).isEqualTo(0);
  }

  @Test
  void overwrittenValueTheReverseSweepReadsIsPushedOnce() {
    // y = x * x; y = sin(y); result = y: the reverse of sin(y) needs the y it overwrote.
    Variable y = local("y", Type.DOUBLE);
    MethodIr m = method(List.of(x), result, List.of(
        declare(y, mul(read(x), read(x))),
        assign(y, call(Intrinsic.SIN, read(y))),
        declare(result, read(y))));

    Adjoint a = transform(m);

    assertThat(count(a.forward(), LoweredIr::isPush)).isEqualTo(1);
    Stmt.Push push = (Stmt.Push) flatten(a.forward()).stream().filter(LoweredIr::isPush)
        .findFirst().orElseThrow();
    assertThat(push.value()).isEqualTo(read(y));
    assertThat(count(a.reverse(), LoweredIr::popsTape)).isEqualTo(1);
  }

  @Test
  void overwrittenValueNobodyReadsIsNotPushed() {
    // y = x + 1; y = y + x: the reverse of y + x reads no y (the adjoint passes through).
    Variable y = local("y", Type.DOUBLE);
    MethodIr m = method(List.of(x), result, List.of(
        declare(y, binary(BinaryOp.ADD, read(x), lit(1))),
        assign(y, binary(BinaryOp.ADD, read(y), read(x))),
        declare(result, read(y))));

    Adjoint a = transform(m);

    assertThat(a.tape()).isEmpty();
    assertThat(count(a.forward(), LoweredIr::isPush)).isEqualTo(0);
  }

  @Test
  void countedLoopRunsBackwardsWithoutTripCount() {
    // for (int i = 0; i < n; i++) s = s + a[i] * x;
    Variable a = parameter("a", Type.DOUBLE_ARRAY);
    Variable n = parameter("n", Type.INT);
    Variable s = local("s", Type.DOUBLE);
    Variable i = local("i", Type.INT);
    Stmt.Loop loop = Stmt.Loop.unlabelled(
        List.of(declare(i, Expr.Literal.ofInt(0))),
        binary(BinaryOp.LESS, read(i), read(n)),
        List.of(assign(i, binary(BinaryOp.ADD, read(i), Expr.Literal.ofInt(1)))),
        Stmt.Block.of(List.of(assign(s, binary(BinaryOp.ADD, read(s),
            mul(new Expr.ArrayRead(read(a), read(i), Type.DOUBLE), read(x)))))),
        true, Position.NONE);
    MethodIr m = method(List.of(a, n, x), result, List.of(
        declare(s, lit(0)), loop, declare(result, read(s))));

    Adjoint adjoint = transform(m);

    assertThat(adjoint.tape()).isEmpty();
    assertThat(count(adjoint.forward(), LoweredIr::isPush)).isEqualTo(0);
    assertThat(adjoint.hoisted()).isEmpty();
    Stmt.Loop backwards = (Stmt.Loop) flatten(adjoint.reverse()).stream()
        .filter(st -> st instanceof Stmt.Loop).findFirst().orElseThrow();
    // for (int i = n - 1; i >= 0; i--)
    assertThat(backwards.init()).containsExactly(declare(i,
        binary(BinaryOp.SUBTRACT, read(n), Expr.Literal.ofInt(1))));
    assertThat(backwards.condition())
        .isEqualTo(binary(BinaryOp.GREATER_EQUAL, read(i), Expr.Literal.ofInt(0)));
  }

  @Test
  void squareAccumulatesOnce() {
    MethodIr m = method(List.of(x), result, List.of(declare(result, mul(read(x), read(x)))));

    Adjoint a = transform(m);

    Variable xBar = a.adjointOf().get(x);
    Variable resultBar = a.adjointOf().get(result);
    assertThat(count(a.reverse(), st -> LoweredIr.writes(st, xBar))).isEqualTo(1);
    // xBar = xBar + 2.0 * resultBar * x
    assertThat(flatten(a.reverse())).contains(assign(xBar, binary(BinaryOp.ADD, read(xBar),
        mul(mul(lit(2), read(resultBar)), read(x)))));
  }

  @Test
  void hornerPolynomialNeedsOneTemporaryPerDegree() {
    int[] sizes = new int[2];
    int[] degrees = {8, 16};
    for (int run = 0; run < 2; run++) {
      int degree = degrees[run];
      Variable t = parameter("t", Type.DOUBLE);
      Expr poly = lit(degree + 1);
      for (int k = degree; k >= 1; k--) {
        poly = binary(BinaryOp.ADD, lit(k), mul(read(t), poly));
      }
      MethodIr m = method(List.of(t), result, List.of(declare(result, poly)));

      Adjoint a = transform(m);

      List<Stmt> all = new ArrayList<>(a.forward());
      all.addAll(a.reverse());
      long temporaries = count(all, st -> st instanceof Stmt.Declare d
          && d.variable().kind() == Variable.Kind.SYNTHETIC);
      // One forward value and one incoming adjoint per inner Horner step.
      assertThat(temporaries).isAtMost(2L * degree);
      sizes[run] = LoweredIr.size(all);
      Variable tBar = a.adjointOf().get(t);
      assertThat(count(a.reverse(), st -> LoweredIr.writes(st, tBar))).isEqualTo(1);
    }
    // Linear code: twice the degree, about twice the code (quadratic would be four times).
    assertThat((double) sizes[1]).isAtMost(2.3 * sizes[0]);
  }

  /** {@code static double f(double u)}, differentiable, in Owner. */
  private static Expr callF(Expr argument) {
    Callee f = new Callee("p", "Owner", "f", List.of("u"), List.of(Type.DOUBLE),
        List.of(true), Type.DOUBLE, true, 1, false);
    return new Expr.Call(f, List.of(argument), Position.NONE);
  }

  @Test
  void callIsDifferentiatedWhereItHappensAndRecordsOnlyWhatIsRead() {
    // result = f(x) + x: the reverse sweep needs f's partial, not its value.
    MethodIr m = method(List.of(x), result, List.of(
        declare(result, binary(BinaryOp.ADD, callF(read(x)), read(x)))));

    Adjoint a = transform(m);

    assertThat(count(a.forward(), LoweredIr::isPush)).isEqualTo(1);
    assertThat(count(a.reverse(), LoweredIr::popsTape)).isEqualTo(1);
  }

  @Test
  void callValueTheReverseSweepReadsIsRecorded() {
    // result = f(x) * x: x's partial is f(x), recorded beside f's partial.
    MethodIr m = method(List.of(x), result, List.of(
        declare(result, mul(callF(read(x)), read(x)))));

    Adjoint a = transform(m);

    assertThat(count(a.forward(), LoweredIr::isPush)).isEqualTo(2);
    assertThat(count(a.reverse(), LoweredIr::popsTape)).isEqualTo(2);
  }

  @Test
  void noTemporaryIsDeclaredAndNeverRead() {
    // exp's partial is its result: the argument's value is not needed.
    Variable y = local("y", Type.DOUBLE);
    MethodIr m = method(List.of(x), result, List.of(
        declare(y, lit(0)),
        assign(y, mul(read(x), call(Intrinsic.EXP, binary(BinaryOp.ADD,
            mul(read(x), read(x)), read(x))))),
        declare(result, read(y))));

    Adjoint a = transform(m);

    List<Stmt> all = new ArrayList<>(a.hoisted());
    all.addAll(a.forward());
    all.addAll(a.reverse());
    for (Stmt st : flatten(all)) {
      if (st instanceof Stmt.Declare d && d.variable().kind() == Variable.Kind.SYNTHETIC
          && d.init().isPresent() && !(d.init().get() instanceof Expr.TapePop)) {
        assertThat(SweepReads.of(all)).contains(d.variable());
      }
    }
  }
}
