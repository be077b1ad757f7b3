package dev.adjoint.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.transform.LoweredIr.assign;
import static dev.adjoint.processor.transform.LoweredIr.local;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.ToBeRecorded.ReadSite;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The to-be-recorded analysis on hand-built read sites. */
class ToBeRecordedTest {
  private final Variable y = local("y", Type.DOUBLE);
  private final Variable a = local("a", Type.DOUBLE_ARRAY);

  private static Map<Stmt, Variable> assignments(Stmt... writes) {
    Map<Stmt, Variable> out = new IdentityHashMap<>();
    for (Stmt s : writes) {
      out.put(s, s instanceof Stmt.Assign as ? as.variable() : ((Stmt.ArrayWrite) s).array());
    }
    return out;
  }

  private Stmt elementWrite(int index) {
    return new Stmt.ArrayWrite(a, List.of(Expr.Literal.ofInt(index)), lit(index),
        Position.NONE);
  }

  @Test
  void writeAfterAnExposedReadIsSaved() {
    Stmt reader = assign(local("z", Type.DOUBLE), lit(0));
    Stmt write = assign(y, lit(2));

    Set<Stmt> needed = ToBeRecorded.in(List.of(reader, write),
        List.of(new ReadSite(reader, Set.of(y))), assignments(write), Map.of());

    assertThat(needed).containsExactly(write);
  }

  @Test
  void aWriteHidesTheReadFromLaterWrites() {
    Stmt reader = assign(local("z", Type.DOUBLE), lit(0));
    Stmt first = assign(y, lit(1));
    Stmt second = assign(y, lit(2));

    Set<Stmt> needed = ToBeRecorded.in(List.of(reader, first, second),
        List.of(new ReadSite(reader, Set.of(y))), assignments(first, second), Map.of());

    assertThat(needed).containsExactly(first);
  }

  @Test
  void writeBeforeEveryReadIsNotSaved() {
    Stmt write = assign(y, lit(1));
    Stmt reader = assign(local("z", Type.DOUBLE), lit(0));

    Set<Stmt> needed = ToBeRecorded.in(List.of(write, reader),
        List.of(new ReadSite(reader, Set.of(y))), assignments(write), Map.of());

    assertThat(needed).isEmpty();
  }

  @Test
  void elementWritesKillNothing() {
    Stmt reader = assign(local("z", Type.DOUBLE), lit(0));
    Stmt first = elementWrite(0);
    Stmt second = elementWrite(1);

    Set<Stmt> needed = ToBeRecorded.in(List.of(reader, first, second),
        List.of(new ReadSite(reader, Set.of(a))), assignments(first, second), Map.of());

    assertThat(needed).containsExactly(first, second);
  }

  @Test
  void readInALoopBodyExposesItToTheNextIterationsWrite() {
    // while (...) { y = 1; z = ... reads y }: the next iteration's write overwrites a read value.
    Stmt write = assign(y, lit(1));
    Stmt reader = assign(local("z", Type.DOUBLE), lit(0));
    Stmt loop = Stmt.Loop.unlabelled(List.of(), Expr.Literal.ofBoolean(true), List.of(),
        Stmt.Block.of(List.of(write, reader)), true, Position.NONE);

    Set<Stmt> needed = ToBeRecorded.in(List.of(loop),
        List.of(new ReadSite(reader, Set.of(y))), assignments(write), Map.of());

    assertThat(needed).containsExactly(write);
  }

  @Test
  void branchesJoinTheirExposedReads() {
    // if (...) { reads y } else { }; y = 2: exposed on one path is enough.
    Stmt reader = assign(local("z", Type.DOUBLE), lit(0));
    Stmt branch = new Stmt.If(Expr.Literal.ofBoolean(true), Stmt.Block.of(List.of(reader)),
        Stmt.Block.of(List.of()));
    Stmt write = assign(y, lit(2));

    Set<Stmt> needed = ToBeRecorded.in(List.of(branch, write),
        List.of(new ReadSite(reader, Set.of(y))), assignments(write), Map.of());

    assertThat(needed).containsExactly(write);
  }

  @Test
  void aLoopFillingAWholeArrayHidesEarlierReadsOfIt() {
    // reads a; for (int j = 0; j < a.length; j++) a[j] = 1; a[0] = 2: the fill saves, a[0] not.
    Variable j = local("j", Type.INT);
    Stmt reader = assign(local("z", Type.DOUBLE), lit(0));
    Stmt fill = new Stmt.ArrayWrite(a, List.of(LoweredIr.read(j)), lit(1), Position.NONE);
    Stmt.Loop loop = Stmt.Loop.unlabelled(
        List.of(LoweredIr.declare(j, Expr.Literal.ofInt(0))),
        dev.adjoint.processor.ir.Exprs.binary(Expr.BinaryOp.LESS, LoweredIr.read(j),
            new Expr.ArrayLength(LoweredIr.read(a))),
        List.of(assign(j, dev.adjoint.processor.ir.Exprs.binary(Expr.BinaryOp.ADD,
            LoweredIr.read(j), Expr.Literal.ofInt(1)))),
        Stmt.Block.of(List.of(fill)), true, Position.NONE);
    Stmt after = elementWrite(0);
    List<ReadSite> reads = List.of(new ReadSite(reader, Set.of(a)));

    Set<Stmt> needed = ToBeRecorded.in(List.of(reader, loop, after), reads,
        assignments(fill, after), Map.of(), Map.of(loop, Set.of(a)));
    assertThat(needed).containsExactly(fill);

    // Without the fact, the element writes kill nothing and both save.
    assertThat(ToBeRecorded.in(List.of(reader, loop, after), reads, assignments(fill, after),
        Map.of())).containsExactly(fill, after);
  }

  @Test
  void aSavedIntegerStepKeepsItsVariableExposed() {
    // reads k; k = k + 1; k = 5: the step is undone in place, which reads k after it, so the
    // overwrite that follows must save k.
    Variable k = local("k", Type.INT);
    Stmt reader = assign(local("z", Type.DOUBLE), lit(0));
    Stmt step = assign(k, dev.adjoint.processor.ir.Exprs.binary(Expr.BinaryOp.ADD,
        LoweredIr.read(k), Expr.Literal.ofInt(1)));
    Stmt overwrite = assign(k, Expr.Literal.ofInt(5));
    assertThat(Reversible.undoStep(step)).isPresent();

    Set<Stmt> needed = ToBeRecorded.in(List.of(reader, step, overwrite),
        List.of(new ReadSite(reader, Set.of(k))), assignments(step, overwrite), Map.of());

    assertThat(needed).containsExactly(step, overwrite);
  }
}
