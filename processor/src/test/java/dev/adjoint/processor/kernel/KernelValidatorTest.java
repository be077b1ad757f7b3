package dev.adjoint.processor.kernel;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.local;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link KernelValidator} on hand-built adjoints: body and sweeps, one error per method. */
class KernelValidatorTest {
  private static final Variable X = new Variable("x", Type.DOUBLE, Variable.Kind.PARAMETER);
  private static final Variable RESULT = new Variable("result", Type.DOUBLE,
      Variable.Kind.LOCAL);
  private static final Variable TAPE = new Variable("tape", Type.DOUBLE,
      Variable.Kind.SYNTHETIC);

  private final List<Message> reported = new ArrayList<>();
  private final Reporter reporter = new Reporter() {
    @Override
    public void report(Message message, Position position, Object... args) {
      reported.add(message);
    }

    @Override
    public boolean hasErrors() {
      return !reported.isEmpty();
    }
  };

  private KernelMethod validate(List<Stmt> body, List<Stmt> reverse) {
    MethodIr m = new MethodIr("p", "Fns", "f", List.of(X), Type.DOUBLE, Stmt.Block.of(body),
        RESULT, List.of(X), List.of());
    Adjoint a = new Adjoint(m, List.of(), body, reverse, Map.of(),
        new Variable("seed", Type.DOUBLE, Variable.Kind.SYNTHETIC), Optional.of(TAPE),
        Optional.empty(), Map.of(), Optional.empty(), List.of(), Optional.empty());
    return new KernelValidator(null, reporter, m, Set.of("f")).validate(a);
  }

  private static List<Stmt> square() {
    return List.of(new Stmt.Declare(RESULT, binary(BinaryOp.MULTIPLY, local(X), local(X)),
        Position.NONE));
  }

  @Test
  void straightLineScalarCodeIsAKernel() {
    assertThat(validate(square(), List.of(new Stmt.Push(TAPE, lit(1))))).isNotNull();
    assertThat(reported).isEmpty();
  }

  @Test
  void aLoopIsReportedOnce() {
    Stmt loop = Stmt.Loop.unlabelled(List.of(), lit(1), List.of(), Stmt.Block.of(square()),
        true, Position.NONE);
    assertThat(validate(List.of(loop, loop), List.of())).isNull();
    assertThat(reported).containsExactly(Message.ELEMENTWISE_LOOP);
  }

  @Test
  void anArrayOperationOfTheSweepsIsAnArrayError() {
    Variable a = new Variable("a", Type.DOUBLE_ARRAY, Variable.Kind.PARAMETER);
    assertThat(validate(square(), List.of(new Stmt.RestoreArray(TAPE, a)))).isNull();
    assertThat(reported).containsExactly(Message.ELEMENTWISE_ARRAY);
  }

  @Test
  void jumpsMustBeLoweredFirst() {
    Stmt jump = new Stmt.Return(Optional.of(local(X)), Position.NONE);
    assertThrows(IllegalStateException.class, () -> validate(List.of(jump), List.of()));
  }
}
