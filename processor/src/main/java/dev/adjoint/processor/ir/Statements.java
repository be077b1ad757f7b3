package dev.adjoint.processor.ir;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Generic walks over statements, sweep statements included, for the analyses and transforms:
 * {@link #children}, {@link #expressions}, {@link #assigned}, {@link #find}.
 *
 * <p>Which statements and which expressions each kind holds is spelled out once, in the
 * visitors behind {@link #children} and {@link #expressions}: a pass that only needs to reach
 * every nested statement or expression uses these instead of repeating the kinds.
 */
public final class Statements {
  private Statements() {}

  /**
   * Calls {@code action} on every expression of {@code s} and its nested statements, and on
   * every subexpression of those, walked without recursion (bodies may be hundreds of
   * statements long and expressions hundreds deep).
   */
  public static void forEachExpression(Stmt s, Consumer<Expr> action) {
    Deque<Stmt> statements = new ArrayDeque<>();
    Deque<Expr> expressions = new ArrayDeque<>();
    statements.push(s);
    while (!statements.isEmpty()) {
      Stmt next = statements.pop();
      children(next).forEach(statements::push);
      expressions(next).forEach(expressions::push);
      while (!expressions.isEmpty()) {
        Expr e = expressions.pop();
        action.accept(e);
        Exprs.children(e).forEach(expressions::push);
      }
    }
  }

  /**
   * The statements directly nested in {@code s}, in source order: a block's statements, an
   * if's then and else statements, a loop's init, body and update statements.
   */
  public static List<Stmt> children(Stmt s) {
    return s.accept(Children.INSTANCE);
  }

  /**
   * The expressions {@code s} itself holds, in evaluation order, not those of its nested
   * statements: a declaration's initializer, an assignment's value, an array write's indices
   * then value, an if's or a loop's condition, a return's value, an evaluated expression, a
   * pushed value, a scratch element's value.
   */
  public static List<Expr> expressions(Stmt s) {
    return s.accept(Expressions.INSTANCE);
  }

  /**
   * Every variable declared or written anywhere in {@code s}: assigned, declared, an array an
   * element of which is written, an array given to a void helper (which may write it).
   */
  public static Set<Variable> assigned(Stmt s) {
    Set<Variable> out = new LinkedHashSet<>();
    collectAssigned(s, out);
    return out;
  }

  /** {@link #assigned(Stmt)} over a list of statements. */
  public static Set<Variable> assigned(List<Stmt> statements) {
    Set<Variable> out = new LinkedHashSet<>();
    statements.forEach(s -> collectAssigned(s, out));
    return out;
  }

  private static void collectAssigned(Stmt s, Set<Variable> out) {
    out.addAll(s.accept(OwnWrites.INSTANCE));
    children(s).forEach(c -> collectAssigned(c, out));
  }

  /**
   * The first statement of class {@code kind} in {@code s}, {@code s} itself included, in
   * source order (a statement before those nested in it).
   */
  public static <T extends Stmt> Optional<T> find(Stmt s, Class<T> kind) {
    if (kind.isInstance(s)) {
      return Optional.of(kind.cast(s));
    }
    for (Stmt child : children(s)) {
      Optional<T> found = find(child, kind);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** The one place that says which statements each kind of statement nests. */
  private static final class Children implements Stmt.Visitor<List<Stmt>> {
    static final Children INSTANCE = new Children();

    @Override
    public List<Stmt> visitDeclare(Stmt.Declare s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitAssign(Stmt.Assign s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitArrayWrite(Stmt.ArrayWrite s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitIf(Stmt.If s) {
      List<Stmt> all = new ArrayList<>(s.thenBlock().statements());
      all.addAll(s.elseBlock().statements());
      return all;
    }

    @Override
    public List<Stmt> visitLoop(Stmt.Loop s) {
      List<Stmt> all = new ArrayList<>(s.init());
      all.addAll(s.body().statements());
      all.addAll(s.update());
      return all;
    }

    @Override
    public List<Stmt> visitReturn(Stmt.Return s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitBreak(Stmt.Break s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitContinue(Stmt.Continue s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitBlock(Stmt.Block s) {
      return s.statements();
    }

    @Override
    public List<Stmt> visitEvaluate(Stmt.Evaluate s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitThrow(Stmt.Throw s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitRestoreArray(Stmt.RestoreArray s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitPush(Stmt.Push s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitRelease(Stmt.Release s) {
      return List.of();
    }

    @Override
    public List<Stmt> visitElementAssign(Stmt.ElementAssign s) {
      return List.of();
    }
  }

  /** The one place that says which expressions each kind of statement holds itself. */
  private static final class Expressions implements Stmt.Visitor<List<Expr>> {
    static final Expressions INSTANCE = new Expressions();

    @Override
    public List<Expr> visitDeclare(Stmt.Declare s) {
      return s.init().map(List::of).orElse(List.of());
    }

    @Override
    public List<Expr> visitAssign(Stmt.Assign s) {
      return List.of(s.value());
    }

    @Override
    public List<Expr> visitArrayWrite(Stmt.ArrayWrite s) {
      List<Expr> all = new ArrayList<>(s.indices());
      all.add(s.value());
      return all;
    }

    @Override
    public List<Expr> visitIf(Stmt.If s) {
      return List.of(s.condition());
    }

    @Override
    public List<Expr> visitLoop(Stmt.Loop s) {
      return List.of(s.condition());
    }

    @Override
    public List<Expr> visitReturn(Stmt.Return s) {
      return s.value().map(List::of).orElse(List.of());
    }

    @Override
    public List<Expr> visitBreak(Stmt.Break s) {
      return List.of();
    }

    @Override
    public List<Expr> visitContinue(Stmt.Continue s) {
      return List.of();
    }

    @Override
    public List<Expr> visitBlock(Stmt.Block s) {
      return List.of();
    }

    @Override
    public List<Expr> visitEvaluate(Stmt.Evaluate s) {
      return List.of(s.expression());
    }

    @Override
    public List<Expr> visitThrow(Stmt.Throw s) {
      return s.values();
    }

    @Override
    public List<Expr> visitRestoreArray(Stmt.RestoreArray s) {
      return List.of();
    }

    @Override
    public List<Expr> visitPush(Stmt.Push s) {
      return List.of(s.value());
    }

    @Override
    public List<Expr> visitRelease(Stmt.Release s) {
      return List.of();
    }

    @Override
    public List<Expr> visitElementAssign(Stmt.ElementAssign s) {
      return List.of(s.value());
    }
  }

  /** The variables a statement itself declares or writes, apart from its nested statements. */
  private static final class OwnWrites implements Stmt.Visitor<List<Variable>> {
    static final OwnWrites INSTANCE = new OwnWrites();

    @Override
    public List<Variable> visitDeclare(Stmt.Declare s) {
      return List.of(s.variable());
    }

    @Override
    public List<Variable> visitAssign(Stmt.Assign s) {
      return List.of(s.variable());
    }

    @Override
    public List<Variable> visitArrayWrite(Stmt.ArrayWrite s) {
      return List.of(s.array());
    }

    @Override
    public List<Variable> visitIf(Stmt.If s) {
      return List.of();
    }

    @Override
    public List<Variable> visitLoop(Stmt.Loop s) {
      return List.of();
    }

    @Override
    public List<Variable> visitReturn(Stmt.Return s) {
      return List.of();
    }

    @Override
    public List<Variable> visitBreak(Stmt.Break s) {
      return List.of();
    }

    @Override
    public List<Variable> visitContinue(Stmt.Continue s) {
      return List.of();
    }

    @Override
    public List<Variable> visitBlock(Stmt.Block s) {
      return List.of();
    }

    /** A void helper may write the arrays it is given; any other value is only read. */
    @Override
    public List<Variable> visitEvaluate(Stmt.Evaluate s) {
      return s.expression() instanceof Expr.Call c ? c.arrayArguments() : List.of();
    }

    @Override
    public List<Variable> visitThrow(Stmt.Throw s) {
      return List.of();
    }

    /** Every element of the array is written back. */
    @Override
    public List<Variable> visitRestoreArray(Stmt.RestoreArray s) {
      return List.of(s.array());
    }

    /** The tape is the sweeps' own store, not a variable of the method. */
    @Override
    public List<Variable> visitPush(Stmt.Push s) {
      return List.of();
    }

    /** The tape is the sweeps' own store, not a variable of the method. */
    @Override
    public List<Variable> visitRelease(Stmt.Release s) {
      return List.of();
    }

    @Override
    public List<Variable> visitElementAssign(Stmt.ElementAssign s) {
      return List.of(s.array());
    }
  }
}
