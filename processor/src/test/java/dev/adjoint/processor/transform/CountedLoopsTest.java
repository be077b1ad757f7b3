package dev.adjoint.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Ir.assign;
import static dev.adjoint.processor.ir.Ir.binary;
import static dev.adjoint.processor.ir.Ir.declare;
import static dev.adjoint.processor.ir.Ir.decrement;
import static dev.adjoint.processor.ir.Ir.forLoop;
import static dev.adjoint.processor.ir.Ir.increment;
import static dev.adjoint.processor.ir.Ir.integer;
import static dev.adjoint.processor.ir.Ir.less;
import static dev.adjoint.processor.ir.Ir.local;
import static dev.adjoint.processor.ir.Ir.parameter;
import static dev.adjoint.processor.ir.Ir.plus;
import static dev.adjoint.processor.ir.Ir.read;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Ir;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which loops are counted ({@code for (int i = a; i < b; i++)} and its variants, with a body
 * that writes neither the counter nor what a and b read), and the shape of their reverse.
 */
class CountedLoopsTest {
  private final Variable x = parameter("x", Type.DOUBLE);
  private final Variable n = parameter("n", Type.INT);
  private final Variable m = parameter("m", Type.INT);
  private final Variable a = parameter("a", Type.DOUBLE_ARRAY);
  private final Variable s = local("s", Type.DOUBLE);
  private final Variable i = local("i", Type.INT);

  /** {@code s = s + x}: a body that writes neither the counter nor the bounds. */
  private Stmt accumulate() {
    return assign(s, plus(read(s), read(x)));
  }

  private static Stmt.Loop loop(Stmt init, Expr condition, Stmt update, Stmt... body) {
    return forLoop(init, condition, update, body);
  }

  @Test
  void anAscendingLoopOverAnIntCounterIsCounted() {
    Stmt.Loop l = loop(declare(i, read(m)), less(read(i), read(n)), increment(i), accumulate());

    assertThat(CountedLoops.counter(l)).isSameInstanceAs(i);
    assertThat(CountedLoops.boundVariables(l)).containsExactly(m, n);
  }

  @Test
  void theComparisonsAndDirectionsThatMatchAreCounted() {
    Variable k = local("k", Type.LONG);
    List<Stmt.Loop> counted = List.of(
        loop(declare(i, integer(0)), binary(BinaryOp.LESS_EQUAL, read(i), read(n)),
            increment(i), accumulate()),
        loop(declare(i, read(n)), binary(BinaryOp.GREATER, read(i), integer(0)),
            decrement(i), accumulate()),
        loop(declare(i, read(n)), binary(BinaryOp.GREATER_EQUAL, read(i), integer(0)),
            decrement(i), accumulate()),
        loop(declare(k, new Expr.Literal(Type.LONG, 0L)), less(read(k), read(n)),
            assign(k, plus(read(k), integer(1))), accumulate()));

    for (Stmt.Loop l : counted) {
      assertThat(CountedLoops.counter(l)).isNotNull();
    }
  }

  @Test
  void anArrayLengthBoundStaysCountedThoughTheBodyWritesTheArray() {
    // Arrays are never replaced, so their lengths are constants.
    Stmt.Loop l = loop(declare(i, integer(0)), less(read(i), new Expr.ArrayLength(read(a))),
        increment(i), Ir.write(a, read(i), read(x)));

    assertThat(CountedLoops.counter(l)).isSameInstanceAs(i);
    assertThat(CountedLoops.boundVariables(l)).isEmpty();
  }

  @Test
  void aBodyWritingTheCounterOrABoundIsNotCounted() {
    Variable start = local("start", Type.INT);
    List<Stmt.Loop> notCounted = List.of(
        // the counter
        loop(declare(i, integer(0)), less(read(i), read(n)), increment(i), increment(i)),
        // the bound
        loop(declare(i, integer(0)), less(read(i), read(n)), increment(i), decrement(n)),
        // what the start reads
        loop(declare(i, read(start)), less(read(i), read(n)), increment(i),
            assign(start, integer(2))),
        // the counter, deep inside
        loop(declare(i, integer(0)), less(read(i), read(n)), increment(i),
            Ir.ifThen(Ir.bool(true), Ir.whileLoop(Ir.bool(false), decrement(i)))));

    for (Stmt.Loop l : notCounted) {
      assertThat(CountedLoops.counter(l)).isNull();
    }
  }

  @Test
  void otherShapesAreNotCounted() {
    Variable d = local("d", Type.DOUBLE);
    List<Stmt.Loop> notCounted = List.of(
        // != bound
        loop(declare(i, integer(0)), binary(BinaryOp.NOT_EQUAL, read(i), read(n)),
            increment(i), accumulate()),
        // step 2
        loop(declare(i, integer(0)), less(read(i), read(n)),
            assign(i, plus(read(i), integer(2))), accumulate()),
        // counting away from the bound
        loop(declare(i, integer(0)), less(read(i), read(n)), decrement(i), accumulate()),
        // the counter on the right of the comparison
        loop(declare(i, integer(0)), Ir.greater(read(n), read(i)), increment(i), accumulate()),
        // a double counter
        loop(declare(d, Ir.num(0)), less(read(d), read(x)),
            assign(d, plus(read(d), integer(1))), accumulate()),
        // no init: a while loop
        Ir.whileLoop(less(read(i), read(n)), increment(i)),
        // tested last: a do-while loop
        Stmt.Loop.unlabelled(List.of(declare(i, integer(0))), less(read(i), read(n)),
            List.of(increment(i)), Ir.block(accumulate()), false, Position.NONE));

    for (Stmt.Loop l : notCounted) {
      assertThat(CountedLoops.counter(l)).isNull();
    }
  }

  @Test
  void anAscendingLoopRunsBackFromTheBoundMinusOne() {
    // for (int i = m; i < n; i++) body  ->  for (int i = n - 1; i >= m; i = i - 1) body
    Stmt.Loop l = loop(declare(i, read(m)), less(read(i), read(n)), increment(i), accumulate());
    List<Stmt> body = List.of(accumulate());

    Stmt reversed = CountedLoops.reversed(l, i, body);

    assertThat(reversed).isEqualTo(Stmt.Loop.unlabelled(
        List.of(declare(i, binary(BinaryOp.SUBTRACT, read(n), integer(1)))),
        binary(BinaryOp.GREATER_EQUAL, read(i), read(m)),
        List.of(decrement(i)), Stmt.Block.of(body), true, Position.NONE));
  }

  @Test
  void anInclusiveBoundIsTheFirstValueOfTheReverse() {
    // for (int i = 0; i <= n; i++)  ->  for (int i = n; i >= 0; i = i - 1)
    Stmt.Loop l = loop(declare(i, integer(0)), binary(BinaryOp.LESS_EQUAL, read(i), read(n)),
        increment(i), accumulate());

    assertThat(CountedLoops.reversed(l, i, List.of())).isEqualTo(Stmt.Loop.unlabelled(
        List.of(declare(i, read(n))), binary(BinaryOp.GREATER_EQUAL, read(i), integer(0)),
        List.of(decrement(i)), Ir.block(), true, Position.NONE));
  }

  @Test
  void aDescendingLoopRunsBackUpFromTheBoundPlusOne() {
    // for (int i = n; i > m; i--)  ->  for (int i = m + 1; i <= n; i = i + 1)
    Stmt.Loop l = loop(declare(i, read(n)), Ir.greater(read(i), read(m)), decrement(i),
        accumulate());

    assertThat(CountedLoops.reversed(l, i, List.of())).isEqualTo(Stmt.Loop.unlabelled(
        List.of(declare(i, plus(read(m), integer(1)))),
        binary(BinaryOp.LESS_EQUAL, read(i), read(n)),
        List.of(increment(i)), Ir.block(), true, Position.NONE));
  }

  @Test
  void aLongCounterStepsByALongOne() {
    Variable k = local("k", Type.LONG);
    Expr one = new Expr.Literal(Type.LONG, 1L);
    Stmt.Loop l = loop(declare(k, new Expr.Literal(Type.LONG, 0L)), less(read(k), read(n)),
        assign(k, plus(read(k), integer(1))), accumulate());

    assertThat(CountedLoops.reversed(l, k, List.of())).isEqualTo(Stmt.Loop.unlabelled(
        List.of(declare(k, binary(BinaryOp.SUBTRACT, read(n), one))),
        binary(BinaryOp.GREATER_EQUAL, read(k), new Expr.Literal(Type.LONG, 0L)),
        List.of(assign(k, binary(BinaryOp.SUBTRACT, read(k), one))), Ir.block(), true,
        Position.NONE));
  }

  @Test
  void variablesBesideLengthsSkipsOnlyLengthsOfArrayVariables() {
    Variable mat = local("mat", Type.DOUBLE_MATRIX);
    Expr rowLength = new Expr.ArrayLength(
        new Expr.ArrayRead(read(mat), read(i), Type.DOUBLE_ARRAY));

    assertThat(CountedLoops.variablesBesideLengths(
        plus(new Expr.ArrayLength(read(a)), read(n)))).containsExactly(n);
    assertThat(CountedLoops.variablesBesideLengths(rowLength)).containsExactly(mat, i);
    // The sweeps' own nodes read no variable of the method.
    assertThat(CountedLoops.variablesBesideLengths(
        new Expr.TapePop(new Variable("tape", null, Variable.Kind.SYNTHETIC), Type.INT)))
        .isEmpty();
  }
}
