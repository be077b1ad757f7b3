package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.List;

/**
 * The structural walk shared by the rewrites that change a sweep's expressions and written
 * variables but not its shape ({@link VectorLanes}' lane renaming, {@link ElementScalars}):
 * each statement is rebuilt with every expression passed through {@link #expression}, every
 * written variable through {@link #target}, and the statements nested in it through this
 * visitor. A rewrite that cannot take a kind (a tape operation) overrides its visit to refuse it.
 */
abstract class ExpressionRewrite implements Stmt.Visitor<Stmt> {
  /** What {@code e} becomes. */
  abstract Expr expression(Expr e);

  /** What a written variable (declared, assigned, or an array written into) becomes. */
  Variable target(Variable v) {
    return v;
  }

  final List<Stmt> all(List<Stmt> statements) {
    return statements.stream().map(s -> s.accept(this)).toList();
  }

  final Stmt.Block block(Stmt.Block b) {
    return Stmt.Block.of(all(b.statements()));
  }

  @Override
  public Stmt visitDeclare(Stmt.Declare s) {
    return new Stmt.Declare(target(s.variable()), s.init().map(this::expression), s.position());
  }

  @Override
  public Stmt visitAssign(Stmt.Assign s) {
    return new Stmt.Assign(target(s.variable()), expression(s.value()), s.position());
  }

  @Override
  public Stmt visitArrayWrite(Stmt.ArrayWrite s) {
    return new Stmt.ArrayWrite(target(s.array()),
        s.indices().stream().map(this::expression).toList(), expression(s.value()),
        s.position());
  }

  @Override
  public Stmt visitIf(Stmt.If s) {
    return new Stmt.If(expression(s.condition()), block(s.thenBlock()), block(s.elseBlock()));
  }

  @Override
  public Stmt visitLoop(Stmt.Loop s) {
    return new Stmt.Loop(s.label(), all(s.init()), expression(s.condition()), all(s.update()),
        block(s.body()), s.testFirst(), s.position());
  }

  @Override
  public Stmt visitBlock(Stmt.Block s) {
    return block(s);
  }

  @Override
  public Stmt visitEvaluate(Stmt.Evaluate s) {
    return new Stmt.Evaluate(expression(s.expression()));
  }

  @Override
  public Stmt visitThrow(Stmt.Throw s) {
    return new Stmt.Throw(s.exception(), s.withMessage(), s.texts(),
        s.values().stream().map(this::expression).toList(), s.position());
  }

  @Override
  public Stmt visitRestoreArray(Stmt.RestoreArray s) {
    return s;
  }

  @Override
  public Stmt visitPush(Stmt.Push s) {
    return new Stmt.Push(s.tape(), expression(s.value()));
  }

  @Override
  public Stmt visitRelease(Stmt.Release s) {
    return s;
  }

  @Override
  public Stmt visitElementAssign(Stmt.ElementAssign s) {
    return new Stmt.ElementAssign(s.array(), s.index(), expression(s.value()));
  }

  @Override
  public Stmt visitReturn(Stmt.Return s) {
    throw new IllegalStateException("return cannot appear in a sweep: lowering removed it");
  }

  @Override
  public Stmt visitBreak(Stmt.Break s) {
    throw new IllegalStateException("break cannot appear in a sweep: lowering removed it");
  }

  @Override
  public Stmt visitContinue(Stmt.Continue s) {
    throw new IllegalStateException("continue cannot appear in a sweep: lowering removed it");
  }
}
