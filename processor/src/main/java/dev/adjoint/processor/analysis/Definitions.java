package dev.adjoint.processor.analysis;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Every place a method body gives a variable a value, for the flow-insensitive activity
 * analysis: which variable, from which expression. An array written element by element is
 * defined by each element's value; an array given to a void helper by the whole call.
 */
final class Definitions implements Stmt.SourceVisitor<Void> {
  /** {@code target} takes (part of) its value from {@code value}. */
  record Definition(Variable target, Expr value) {}

  private final List<Definition> out = new ArrayList<>();

  private Definitions() {}

  /** The definitions in {@code s} and the statements nested in it, in source order. */
  static List<Definition> in(Stmt s) {
    Definitions definitions = new Definitions();
    s.accept(definitions);
    return definitions.out;
  }

  private Void nested(Stmt s) {
    Statements.children(s).forEach(c -> c.accept(this));
    return null;
  }

  @Override
  public Void visitDeclare(Stmt.Declare s) {
    s.init().ifPresent(init -> out.add(new Definition(s.variable(), init)));
    return null;
  }

  @Override
  public Void visitAssign(Stmt.Assign s) {
    out.add(new Definition(s.variable(), s.value()));
    return null;
  }

  @Override
  public Void visitArrayWrite(Stmt.ArrayWrite s) {
    out.add(new Definition(s.array(), s.value()));
    return null;
  }

  @Override
  public Void visitIf(Stmt.If s) {
    return nested(s);
  }

  @Override
  public Void visitLoop(Stmt.Loop s) {
    return nested(s);
  }

  @Override
  public Void visitReturn(Stmt.Return s) {
    return null;
  }

  @Override
  public Void visitBreak(Stmt.Break s) {
    return null;
  }

  @Override
  public Void visitContinue(Stmt.Continue s) {
    return null;
  }

  @Override
  public Void visitBlock(Stmt.Block s) {
    return nested(s);
  }

  /** A void helper may write each array it is given, from everything it is given. */
  @Override
  public Void visitEvaluate(Stmt.Evaluate s) {
    if (s.expression() instanceof Expr.Call c) {
      c.arrayArguments().forEach(v -> out.add(new Definition(v, c)));
    }
    return null;
  }

  @Override
  public Void visitThrow(Stmt.Throw s) {
    return null;
  }
}
