package dev.adjoint.processor.transform;

import static dev.adjoint.processor.transform.CountedLoops.variablesBesideLengths;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The variables that a piece of sweep code reads: assignment targets are writes, not reads,
 * and arrays read only for their length are not reads either (arrays are never replaced).
 */
final class SweepReads implements Stmt.Visitor<Void> {
  private final Set<Variable> read = new HashSet<>();

  private SweepReads() {}

  /** Every variable {@code statements} read. */
  static Set<Variable> of(List<Stmt> statements) {
    SweepReads reads = new SweepReads();
    reads.all(statements);
    return reads.read;
  }

  private Void all(List<Stmt> statements) {
    statements.forEach(s -> s.accept(this));
    return null;
  }

  @Override
  public Void visitDeclare(Stmt.Declare s) {
    s.init().ifPresent(e -> read.addAll(variablesBesideLengths(e)));
    return null;
  }

  @Override
  public Void visitAssign(Stmt.Assign s) {
    read.addAll(variablesBesideLengths(s.value()));
    return null;
  }

  @Override
  public Void visitArrayWrite(Stmt.ArrayWrite s) {
    s.indices().forEach(i -> read.addAll(variablesBesideLengths(i)));
    read.addAll(variablesBesideLengths(s.value()));
    return null;
  }

  @Override
  public Void visitIf(Stmt.If s) {
    read.addAll(variablesBesideLengths(s.condition()));
    all(s.thenBlock().statements());
    return all(s.elseBlock().statements());
  }

  @Override
  public Void visitLoop(Stmt.Loop s) {
    read.addAll(variablesBesideLengths(s.condition()));
    all(s.init());
    all(s.body().statements());
    return all(s.update());
  }

  @Override
  public Void visitBlock(Stmt.Block s) {
    return all(s.statements());
  }

  @Override
  public Void visitEvaluate(Stmt.Evaluate s) {
    read.addAll(variablesBesideLengths(s.expression()));
    return null;
  }

  @Override
  public Void visitThrow(Stmt.Throw s) {
    s.values().forEach(v -> read.addAll(variablesBesideLengths(v)));
    return null;
  }

  @Override
  public Void visitElementAssign(Stmt.ElementAssign s) {
    read.addAll(variablesBesideLengths(s.value()));
    return null;
  }

  @Override
  public Void visitRestoreArray(Stmt.RestoreArray s) {
    // Writes the array from the tape: reads no primal value.
    return null;
  }

  @Override
  public Void visitPush(Stmt.Push s) {
    throw new IllegalStateException("a push cannot appear in the reverse sweep");
  }

  @Override
  public Void visitRelease(Stmt.Release s) {
    return null;
  }

  @Override
  public Void visitReturn(Stmt.Return s) {
    throw Survey.lowered(s);
  }

  @Override
  public Void visitBreak(Stmt.Break s) {
    throw Survey.lowered(s);
  }

  @Override
  public Void visitContinue(Stmt.Continue s) {
    throw Survey.lowered(s);
  }
}
