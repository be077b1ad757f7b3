package dev.adjoint.processor.emit;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.element;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.local;
import static dev.adjoint.processor.ir.Exprs.mul;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which parameters a deep-stack rerun copies, decided on the IR an entry point prints: the
 * variables its statements assign, by identity, not the names in the generated text.
 */
class DeepStackRerunsTest {
  private final Variable x = new Variable("x", Type.DOUBLE, Variable.Kind.PARAMETER);
  private final Variable xs = new Variable("xs", Type.DOUBLE, Variable.Kind.PARAMETER);
  private final Variable n = new Variable("n", Type.INT, Variable.Kind.PARAMETER);
  private final Variable a = new Variable("a", Type.DOUBLE_ARRAY, Variable.Kind.PARAMETER);
  private final Variable i = new Variable("i", Type.INT, Variable.Kind.LOCAL);

  private static Stmt assign(Variable v, Expr value) {
    return new Stmt.Assign(v, value, Position.NONE);
  }

  @Test
  void copiesTheScalarsAssignedAnywhereAndNothingElse() {
    // for (int i = 0; i < n; i = i + 1) { xs = xs + x * a[i]; }  (a compound assignment,
    // lowered), in the loop's body and, for n, in its update
    Stmt.Loop loop = Stmt.Loop.unlabelled(
        List.of(new Stmt.Declare(i, Expr.Literal.ofInt(0), Position.NONE)),
        binary(BinaryOp.LESS, local(i), local(n)),
        List.of(assign(i, add(local(i), Expr.Literal.ofInt(1))),
            assign(n, binary(BinaryOp.SUBTRACT, local(n), Expr.Literal.ofInt(0)))),
        Stmt.Block.of(List.of(
            assign(xs, add(local(xs), mul(local(x), element(a, List.of(local(i)))))))),
        true, Position.NONE);
    assertThat(DeepStackReruns.parametersToCopy(List.of(loop), List.of(x, xs, n, a)))
        .isEqualTo(Optional.of(List.of(xs, n)));
  }

  @Test
  void aVariableNamedLikeAParameterIsNotThatParameter() {
    Variable otherX = new Variable("x", Type.DOUBLE, Variable.Kind.LOCAL);
    List<Stmt> body = List.of(new Stmt.Declare(otherX, lit(1.0), Position.NONE),
        assign(otherX, mul(local(otherX), local(x))));
    assertThat(DeepStackReruns.parametersToCopy(body, List.of(x, n)))
        .isEqualTo(Optional.of(List.of()));
  }

  @Test
  void writingAnElementOfAnArrayParameterLeavesNothingACopyCouldRestore() {
    List<Stmt> body = List.of(assign(x, mul(local(x), lit(2.0))),
        new Stmt.ArrayWrite(a, List.of(Expr.Literal.ofInt(0)), local(x), Position.NONE));
    assertThat(DeepStackReruns.parametersToCopy(body, List.of(x, a))).isEmpty();
  }

  @Test
  void aBodyThatOnlyCallsCopiesNothing() {
    assertThat(DeepStackReruns.parametersToCopy(List.of(), List.of(x, a)))
        .isEqualTo(Optional.of(List.of()));
  }
}
