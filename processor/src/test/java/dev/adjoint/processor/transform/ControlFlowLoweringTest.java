package dev.adjoint.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Ir.assign;
import static dev.adjoint.processor.ir.Ir.block;
import static dev.adjoint.processor.ir.Ir.bool;
import static dev.adjoint.processor.ir.Ir.declare;
import static dev.adjoint.processor.ir.Ir.greater;
import static dev.adjoint.processor.ir.Ir.ifElse;
import static dev.adjoint.processor.ir.Ir.ifThen;
import static dev.adjoint.processor.ir.Ir.integer;
import static dev.adjoint.processor.ir.Ir.less;
import static dev.adjoint.processor.ir.Ir.local;
import static dev.adjoint.processor.ir.Ir.num;
import static dev.adjoint.processor.ir.Ir.parameter;
import static dev.adjoint.processor.ir.Ir.plus;
import static dev.adjoint.processor.ir.Ir.read;
import static dev.adjoint.processor.ir.Ir.ret;
import static dev.adjoint.processor.ir.Ir.times;
import static dev.adjoint.processor.ir.Ir.whileLoop;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Ir;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Control-flow lowering of hand-built methods: the lowered body, compared node by node, has no
 * return, break or continue left, and ends by giving {@code result} its value.
 */
class ControlFlowLoweringTest {
  private final Variable x = parameter("x", Type.DOUBLE);

  private static MethodIr lower(MethodIr method) {
    return new ControlFlowLowering().lower(method);
  }

  private MethodIr scalar(Stmt... body) {
    return lower(Ir.method("f", Type.DOUBLE, List.of(x), List.of(x), block(body)));
  }

  private static Expr notSet(Variable flag) {
    return Exprs.not(read(flag));
  }

  /** The variable declared by the {@code index}th statement of the lowered body. */
  private static Variable declaredAt(MethodIr lowered, int index) {
    return ((Stmt.Declare) lowered.body().statements().get(index)).variable();
  }

  @Test
  void aReturnInTailPositionDeclaresTheResult() {
    // double y = x * x; return y + 1;
    Variable y = local("y", Type.DOUBLE);
    MethodIr lowered = scalar(declare(y, times(read(x), read(x))), ret(plus(read(y), num(1))));

    assertThat(lowered.result().name()).isEqualTo("result");
    assertThat(lowered.result().type()).isEqualTo(Type.DOUBLE);
    assertThat(lowered.body()).isEqualTo(block(
        declare(y, times(read(x), read(x))),
        declare(lowered.result(), plus(read(y), num(1)))));
  }

  @Test
  void anEarlyReturnMovesTheRestIntoTheElseBranch() {
    // if (x < 0) { return -x; } double y = x * 2; return y;
    Variable y = local("y", Type.DOUBLE);
    MethodIr lowered = scalar(
        ifThen(less(read(x), num(0)), ret(Exprs.neg(read(x)))),
        declare(y, times(read(x), num(2))),
        ret(read(y)));

    Variable result = lowered.result();
    // No flag: each branch ends by assigning the result.
    assertThat(lowered.body()).isEqualTo(block(
        declare(result, num(0)),
        ifElse(less(read(x), num(0)),
            block(assign(result, Exprs.neg(read(x)))),
            block(declare(y, times(read(x), num(2))), assign(result, read(y))))));
  }

  @Test
  void aBreakInALoopBecomesAFlagTheConditionTests() {
    // double s = 0; while (s < 10) { s = s + x; if (s > 5) { break; } s = s * 2; } return s;
    Variable s = local("s", Type.DOUBLE);
    MethodIr lowered = scalar(
        declare(s, num(0)),
        whileLoop(less(read(s), num(10)),
            assign(s, plus(read(s), read(x))),
            ifThen(greater(read(s), num(5)), Ir.breakLoop()),
            assign(s, times(read(s), num(2)))),
        ret(read(s)));

    Variable broke = declaredAt(lowered, 1);
    assertThat(broke.name()).isEqualTo("broke");
    assertThat(broke.type()).isEqualTo(Type.BOOLEAN);
    assertThat(lowered.body()).isEqualTo(block(
        declare(s, num(0)),
        declare(broke, bool(false)),
        whileLoop(Exprs.and(notSet(broke), less(read(s), num(10))),
            assign(s, plus(read(s), read(x))),
            ifElse(greater(read(s), num(5)),
                block(assign(broke, bool(true))),
                block(assign(s, times(read(s), num(2)))))),
        declare(lowered.result(), read(s))));
  }

  @Test
  void aLabelledContinueSkipsTheRestOfTheOuterIterationThroughAFlag() {
    // double s = 0; int i = 0; int j = 0;
    // outer: while (i < 3) {
    //   i = i + 1; j = 0;
    //   while (j < 3) { j = j + 1; if (j == i) { continue outer; } s = s + x; }
    //   s = s * 2;
    // }
    // return s;
    Variable s = local("s", Type.DOUBLE);
    Variable i = local("i", Type.INT);
    Variable j = local("j", Type.INT);
    Expr jIsI = Ir.binary(BinaryOp.EQUAL, read(j), read(i));
    MethodIr lowered = scalar(
        declare(s, num(0)), declare(i, integer(0)), declare(j, integer(0)),
        Ir.labelledWhile("outer", less(read(i), integer(3)),
            Ir.increment(i),
            assign(j, integer(0)),
            whileLoop(less(read(j), integer(3)),
                Ir.increment(j),
                ifThen(jIsI, Ir.continueLoop("outer")),
                assign(s, plus(read(s), read(x)))),
            assign(s, times(read(s), num(2)))),
        ret(read(s)));

    Stmt.Loop outer = (Stmt.Loop) lowered.body().statements().get(3);
    Variable skipRest = ((Stmt.Declare) outer.body().statements().get(0)).variable();
    assertThat(skipRest.name()).isEqualTo("skipRestOuter");
    // The flag is reset at the start of each outer iteration, stops the inner loop, and
    // guards what follows the inner loop; the outer loop loses its label.
    assertThat(lowered.body()).isEqualTo(block(
        declare(s, num(0)), declare(i, integer(0)), declare(j, integer(0)),
        whileLoop(less(read(i), integer(3)),
            declare(skipRest, bool(false)),
            Ir.increment(i),
            assign(j, integer(0)),
            whileLoop(Exprs.and(notSet(skipRest), less(read(j), integer(3))),
                Ir.increment(j),
                ifElse(jIsI,
                    block(assign(skipRest, bool(true))),
                    block(assign(s, plus(read(s), read(x)))))),
            ifThen(notSet(skipRest), assign(s, times(read(s), num(2))))),
        declare(lowered.result(), read(s))));
  }

  @Test
  void aVoidMethodsReturnAtItsEndLeavesNothing() {
    // void fill(double[] a, double x) { if (x < 0) { return; } a[0] = x; }
    Variable a = parameter("a", Type.DOUBLE_ARRAY);
    MethodIr lowered = lower(Ir.method("fill", Type.VOID, List.of(a, x), List.of(a, x), block(
        ifThen(less(read(x), num(0)), ret()),
        Ir.write(a, integer(0), read(x)))));

    assertThat(lowered.result()).isNull();
    assertThat(lowered.body()).isEqualTo(block(
        ifElse(less(read(x), num(0)), block(), block(Ir.write(a, integer(0), read(x))))));
  }

  @Test
  void aVoidMethodsReturnInALoopSetsTheReturnedFlag() {
    // void fill(double[] a, double x) {
    //   int i = 0; while (i < 3) { if (x < i) { return; } a[i] = x; i = i + 1; } }
    Variable a = parameter("a", Type.DOUBLE_ARRAY);
    Variable i = local("i", Type.INT);
    MethodIr lowered = lower(Ir.method("fill", Type.VOID, List.of(a, x), List.of(a, x), block(
        declare(i, integer(0)),
        whileLoop(less(read(i), integer(3)),
            ifThen(less(read(x), read(i)), ret()),
            Ir.write(a, read(i), read(x)),
            Ir.increment(i)))));

    Variable returned = declaredAt(lowered, 0);
    assertThat(returned.name()).isEqualTo("returned");
    assertThat(lowered.body()).isEqualTo(block(
        declare(returned, bool(false)),
        declare(i, integer(0)),
        whileLoop(Exprs.and(notSet(returned), less(read(i), integer(3))),
            ifElse(less(read(x), read(i)),
                block(assign(returned, bool(true))),
                block(Ir.write(a, read(i), read(x)), Ir.increment(i))))));
  }

  @Test
  void aReturnInsideALoopAssignsTheResultAndGuardsTheRest() {
    // double s = 0; while (s < 10) { if (s > x) { return s; } s = s + 1; } s = s * 3; return s;
    Variable s = local("s", Type.DOUBLE);
    MethodIr lowered = scalar(
        declare(s, num(0)),
        whileLoop(less(read(s), num(10)),
            ifThen(greater(read(s), read(x)), ret(read(s))),
            assign(s, plus(read(s), num(1)))),
        assign(s, times(read(s), num(3))),
        ret(read(s)));

    Variable result = lowered.result();
    Variable returned = declaredAt(lowered, 1);
    assertThat(returned.name()).isEqualTo("returned");
    assertThat(lowered.body()).isEqualTo(block(
        declare(result, num(0)),
        declare(returned, bool(false)),
        declare(s, num(0)),
        whileLoop(Exprs.and(notSet(returned), less(read(s), num(10))),
            ifElse(greater(read(s), read(x)),
                block(assign(result, read(s)), assign(returned, bool(true))),
                block(assign(s, plus(read(s), num(1)))))),
        ifThen(notSet(returned),
            assign(s, times(read(s), num(3))),
            assign(result, read(s)))));
  }
}
