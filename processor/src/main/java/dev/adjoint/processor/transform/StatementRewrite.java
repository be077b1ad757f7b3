package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import java.util.ArrayList;
import java.util.List;

/**
 * The structural walk shared by the reverse sweep's statement rewrites ({@link
 * LoopAccumulators}, {@link DirectPops}, {@link InvariantReads}). Each visit gives a
 * statement's replacement: by default the statement itself, with the blocks nested in an
 * {@code if}, a block or a loop body passed through {@link #rewrite}. A pass overrides only the
 * kinds it changes (a loop) or {@link #rewrite} itself (to work on a whole list).
 */
abstract class StatementRewrite implements Stmt.Visitor<List<Stmt>> {
  /** {@code statements}, each replaced by what this visitor gives it, in order. */
  List<Stmt> rewrite(List<Stmt> statements) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : statements) {
      out.addAll(s.accept(this));
    }
    return out;
  }

  /** {@code loop} with {@code body} in place of its body. */
  static Stmt.Loop withBody(Stmt.Loop loop, List<Stmt> body) {
    return new Stmt.Loop(loop.label(), loop.init(), loop.condition(), loop.update(),
        Block.of(body), loop.testFirst(), loop.position());
  }

  @Override
  public List<Stmt> visitIf(Stmt.If s) {
    return List.of(new Stmt.If(s.condition(), Block.of(rewrite(s.thenBlock().statements())),
        Block.of(rewrite(s.elseBlock().statements()))));
  }

  @Override
  public List<Stmt> visitBlock(Stmt.Block s) {
    return List.of(Block.of(rewrite(s.statements())));
  }

  @Override
  public List<Stmt> visitLoop(Stmt.Loop s) {
    return List.of(withBody(s, rewrite(s.body().statements())));
  }

  @Override
  public List<Stmt> visitDeclare(Stmt.Declare s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitAssign(Stmt.Assign s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitArrayWrite(Stmt.ArrayWrite s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitReturn(Stmt.Return s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitBreak(Stmt.Break s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitThrow(Stmt.Throw s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitContinue(Stmt.Continue s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitEvaluate(Stmt.Evaluate s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitRestoreArray(Stmt.RestoreArray s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitPush(Stmt.Push s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitRelease(Stmt.Release s) {
    return List.of(s);
  }

  @Override
  public List<Stmt> visitElementAssign(Stmt.ElementAssign s) {
    return List.of(s);
  }
}
