package dev.adjoint.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.transform.LoweredIr.assign;
import static dev.adjoint.processor.transform.LoweredIr.declare;
import static dev.adjoint.processor.transform.LoweredIr.local;
import static dev.adjoint.processor.transform.LoweredIr.read;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A loop's accumulation into one element of a local array's adjoint is kept in a local. */
class LoopAccumulatorsTest {
  private final Variable xBar = local("xBar", Type.DOUBLE_ARRAY);
  private final Variable l = local("l", Type.DOUBLE_ARRAY);
  private final Variable i = local("i", Type.INT);
  private final Variable j = local("j", Type.INT);
  private final Variable g = local("g", Type.DOUBLE);

  /** {@code for (int j = 0; j < 4; j++) { body }}. */
  private Stmt.Loop loop(Stmt... body) {
    return Stmt.Loop.unlabelled(List.of(declare(j, Expr.Literal.ofInt(0))),
        binary(BinaryOp.LESS, read(j), Expr.Literal.ofInt(4)),
        List.of(assign(j, binary(BinaryOp.ADD, read(j), Expr.Literal.ofInt(1)))),
        Stmt.Block.of(List.of(body)), true, Position.NONE);
  }

  /** {@code xBar[index] += g * l[j]}. */
  private Stmt accumulate(Expr index) {
    Expr element = Exprs.element(xBar, List.of(index));
    return new Stmt.ArrayWrite(xBar, List.of(index), binary(BinaryOp.ADD, element,
        mul(read(g), Exprs.element(l, List.of(read(j))))), Position.NONE);
  }

  @Test
  void anInvariantElementIsSummedInALocal() {
    List<Stmt> out = LoopAccumulators.apply(List.of(loop(accumulate(read(i)))), Set.of(xBar));

    assertThat(out).hasSize(3);
    Stmt.Declare sum = (Stmt.Declare) out.get(0);
    assertThat(sum.variable().name()).isEqualTo("xBarSum");
    Stmt.Loop loop = (Stmt.Loop) out.get(1);
    assertThat(loop.body().statements().get(0)).isInstanceOf(Stmt.Assign.class);
    Stmt.If add = (Stmt.If) out.get(2);
    assertThat(add.thenBlock().statements().get(0)).isInstanceOf(Stmt.ArrayWrite.class);
  }

  @Test
  void anElementThatMovesWithTheLoopStaysInTheArray() {
    List<Stmt> loop = List.of(loop(accumulate(read(j))));
    assertThat(LoopAccumulators.apply(loop, Set.of(xBar))).isEqualTo(loop);
  }

  @Test
  void anArrayReadElsewhereInTheLoopStaysInTheArray() {
    Stmt read = assign(g, Exprs.element(xBar, List.of(read(j))));
    List<Stmt> loop = List.of(loop(read, accumulate(read(i))));
    assertThat(LoopAccumulators.apply(loop, Set.of(xBar))).isEqualTo(loop);
  }

  @Test
  void aCallersBufferStaysInTheArray() {
    // Not one of the method's own arrays' adjoints: it might be the same array as another.
    List<Stmt> loop = List.of(loop(accumulate(read(i))));
    assertThat(LoopAccumulators.apply(loop, Set.of())).isEqualTo(loop);
  }
}
