package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps only the last taken iteration of a loop whose branch's reverse kills the adjoint it
 * reads. A running maximum
 *
 * <pre>{@code
 * for (int i = 1; i < v.length; i++) { if (v[i] > mx) { mx = v[i]; } }
 * }</pre>
 *
 * records one branch decision per iteration, and its reverse pops them all:
 *
 * <pre>{@code
 * for (int i = v.length - 1; i >= 1; i--) { if (tape.popBoolean()) { vBar[i] += mxBar; mxBar = 0.0; } }
 * }</pre>
 *
 * The first taken iteration the reverse loop meets (the forward sweep's last) passes {@code
 * mxBar} on and zeroes it; every earlier taken iteration then adds zero. So the forward sweep
 * keeps the last taken iteration in an {@code int} local ({@code iLastTaken = i} in the branch,
 * {@code -1} before the loop) instead of pushing a decision per iteration, and the reverse
 * sweep runs the branch's reverse once, for that iteration:
 *
 * <pre>{@code
 * if (iLastTaken >= 1) { vBar[iLastTaken] += mxBar; mxBar = 0.0; }
 * }</pre>
 *
 * A loop inside another loop (a maximum per row) pushes its last taken iteration once, after
 * the loop, and the reverse pops it where the loop's reverse was: {@code int iLastTaken =
 * tape.popInt(); if (iLastTaken >= 1) ...}. Its pushes were a contiguous block (the forward body
 * records nothing else), replaced by one push at the block's end, and its pops likewise, so the
 * tape's pairing is kept.
 *
 * <p>The rule, checked on the finished sweeps, so that the rewrite is exactly equivalent (up
 * to the sign of a zero sum, {@code -0.0 + 0.0}): the loop is a counted loop ({@code for (int i
 * = a; i < b; i++)}, {@code a} an {@code int} literal of at least 0, so {@code -1} means "never
 * taken"); its reverse body is exactly one {@code if} on a popped decision with an empty else;
 * its forward body pushes nothing but that decision; and
 * the branch's reverse code, touching no tape, is a sequence of adjoint updates ({@code aBar
 * += e}, {@code aBar[k] -= e}, indices free of calls and pops) and temporaries, followed by
 * the zeroing of {@code double} adjoints K, where every {@code e} is a sum of reads of K (or
 * of those temporaries) times literals, and no update writes K. After the first taken
 * iteration K is zero, so every later update adds exactly {@code 0.0}: a partial that is not a
 * literal (a product {@code kBar * w[i]}) could be infinite, and {@code 0.0 * inf} is NaN, so
 * such a branch keeps its recording.
 */
final class LastTaken {
  private LastTaken() {}

  /** The sweeps after the rewrite, and the locals it added (declared first, as hoisted). */
  record Result(List<Stmt> forward, List<Stmt> reverse, List<Stmt> hoisted) {}

  /**
   * {@code forward} and {@code reverse} with each qualifying loop rewritten.
   *
   * @param adjoints the adjoint variables of the sweeps ({@code adjointOf}'s values)
   */
  static Result apply(List<Stmt> forward, List<Stmt> reverse, Collection<Variable> adjoints) {
    Set<Variable> adjointSet = new HashSet<>(adjoints);
    List<Stmt.Loop> reverseLoops = new ArrayList<>();
    loops(reverse, reverseLoops);
    List<Stmt.Loop> forwardLoops = new ArrayList<>();
    loops(forward, forwardLoops);
    Map<Stmt, List<Stmt>> forwardReplacements = new IdentityHashMap<>();
    Map<Stmt, List<Stmt>> reverseReplacements = new IdentityHashMap<>();
    List<Stmt> hoisted = new ArrayList<>();
    for (Stmt.Loop reversed : reverseLoops) {
      rewrite(reversed, forwardLoops, adjointSet, forward, reverse, forwardReplacements,
          reverseReplacements, hoisted);
    }
    return new Result(new Replacing(forwardReplacements).rewrite(forward),
        new Replacing(reverseReplacements).rewrite(reverse), hoisted);
  }

  /** Every loop in {@code statements}, nested ones included. */
  private static void loops(List<Stmt> statements, List<Stmt.Loop> out) {
    for (Stmt s : statements) {
      if (s instanceof Stmt.Loop l) {
        out.add(l);
      }
      loops(Statements.children(s), out);
    }
  }

  /**
   * Adds the replacements of the reverse loop {@code reversed} and of its forward loop (found in
   * {@code forwardLoops} by its counter) when they qualify: at the top level of both sweeps the
   * last taken iteration is kept in a hoisted local (added to {@code hoisted}); elsewhere it is
   * pushed once after the forward loop and popped where the reverse loop was.
   */
  private static void rewrite(Stmt.Loop reversed, List<Stmt.Loop> forwardLoops,
      Set<Variable> adjoints, List<Stmt> forward, List<Stmt> reverse,
      Map<Stmt, List<Stmt>> forwardReplacements, Map<Stmt, List<Stmt>> reverseReplacements,
      List<Stmt> hoisted) {
    // The reverse loop: for (int i = last; i >= a; i--) { if (tape.popBoolean()) { B } }
    if (!reversed.testFirst() || reversed.label().isPresent() || reversed.init().size() != 1
        || !(reversed.init().get(0) instanceof Stmt.Declare counterDeclaration)
        || counterDeclaration.variable().type() != Type.INT
        || !(reversed.condition() instanceof Expr.Binary keepGoing)
        || keepGoing.op() != BinaryOp.GREATER_EQUAL
        || !keepGoing.left().equals(local(counterDeclaration.variable()))
        || !(keepGoing.right() instanceof Expr.Literal start) || start.type() != Type.INT
        || (Integer) start.value() < 0
        || reversed.body().statements().size() != 1
        || !(reversed.body().statements().get(0) instanceof Stmt.If branch)
        || !(branch.condition() instanceof Expr.TapePop decision)
        || decision.type() != Type.BOOLEAN
        || !branch.elseBlock().statements().isEmpty()) {
      return;
    }
    Variable counter = counterDeclaration.variable();
    List<Stmt> body = branch.thenBlock().statements();
    if (!killsWhatItReads(body, adjoints)) {
      return;
    }
    // The forward loop over the same counter (each source loop declares its own).
    Stmt.Loop forwardLoop = null;
    for (Stmt.Loop l : forwardLoops) {
      if (l.init().size() == 1 && l.init().get(0) instanceof Stmt.Declare d
          && d.variable() == counter) {
        if (forwardLoop != null) {
          return;
        }
        forwardLoop = l;
      }
    }
    if (forwardLoop == null) {
      return;
    }
    Variable taken = new Variable(counter.name() + "LastTaken", Type.INT,
        Variable.Kind.SYNTHETIC);
    List<Stmt> forwardBody = recordingTaken(forwardLoop.body().statements(), decision.tape(),
        counter, taken);
    if (forwardBody == null) {
      return;
    }
    List<Stmt> once = new ArrayList<>();
    for (Stmt s : body) {
      once.add(substituted(s, counter, local(taken)));
    }
    Stmt runOnce = new Stmt.If(Exprs.binary(BinaryOp.GREATER_EQUAL, local(taken), start),
        Block.of(once), Block.of(List.of()));
    Stmt.Loop recording = StatementRewrite.withBody(forwardLoop, forwardBody);
    Stmt never = new Stmt.Assign(taken, Expr.Literal.ofInt(-1), Position.NONE);
    if (containsItself(forward, forwardLoop) && containsItself(reverse, reversed)) {
      hoisted.add(new Stmt.Declare(taken, SweepRound.neutral(Type.INT), Position.NONE));
      forwardReplacements.put(forwardLoop, List.of(never, recording));
      reverseReplacements.put(reversed, List.of(runOnce));
    } else {
      forwardReplacements.put(forwardLoop, List.of(
          new Stmt.Declare(taken, Expr.Literal.ofInt(-1), Position.NONE), recording,
          new Stmt.Push(decision.tape(), local(taken))));
      reverseReplacements.put(reversed, List.of(
          new Stmt.Declare(taken, new Expr.TapePop(decision.tape(), Type.INT), Position.NONE),
          runOnce));
    }
  }

  /** Whether {@code statement} is itself (not a copy, not nested) in {@code statements}. */
  private static boolean containsItself(List<Stmt> statements, Stmt statement) {
    for (Stmt s : statements) {
      if (s == statement) {
        return true;
      }
    }
    return false;
  }

  /** Replaces the loops that are keys of {@code replacements}, wherever they are nested. */
  private static final class Replacing extends StatementRewrite {
    private final Map<Stmt, List<Stmt>> replacements;

    Replacing(Map<Stmt, List<Stmt>> replacements) {
      this.replacements = replacements;
    }

    @Override
    public List<Stmt> visitLoop(Stmt.Loop s) {
      List<Stmt> replaced = replacements.get(s);
      return replaced != null ? replaced : super.visitLoop(s);
    }
  }

  /**
   * The forward loop's body with the one recorded decision replaced by {@code taken = i} in
   * the taken branch (nothing in the other), or null when the body records anything else.
   */
  private static List<Stmt> recordingTaken(List<Stmt> body, Variable tape, Variable counter,
      Variable taken) {
    List<Stmt> out = new ArrayList<>();
    int decisions = 0;
    for (Stmt s : body) {
      if (s instanceof Stmt.If f && endsWithDecision(f.thenBlock(), tape, true)
          && endsWithDecision(f.elseBlock(), tape, false)) {
        List<Stmt> thenBlock = new ArrayList<>(f.thenBlock().statements());
        thenBlock.set(thenBlock.size() - 1, new Stmt.Assign(taken, local(counter),
            Position.NONE));
        List<Stmt> elseBlock = new ArrayList<>(f.elseBlock().statements());
        elseBlock.remove(elseBlock.size() - 1);
        if (records(thenBlock) || records(elseBlock)
            || Statements.assigned(thenBlock).contains(counter)) {
          return null;
        }
        out.add(new Stmt.If(f.condition(), Block.of(thenBlock), Block.of(elseBlock)));
        decisions++;
      } else if (records(List.of(s))) {
        return null;
      } else {
        out.add(s);
      }
    }
    return decisions == 1 ? out : null;
  }

  /** Whether {@code block}'s last statement pushes the literal decision {@code value}. */
  private static boolean endsWithDecision(Block block, Variable tape, boolean value) {
    List<Stmt> statements = block.statements();
    return !statements.isEmpty()
        && statements.get(statements.size() - 1) instanceof Stmt.Push push
        && push.tape() == tape
        && push.value().equals(Expr.Literal.ofBoolean(value));
  }

  /** Whether any statement in {@code statements}, nested ones included, uses the tape. */
  private static boolean records(List<Stmt> statements) {
    for (Stmt s : statements) {
      if (!(s instanceof Stmt.Declare || s instanceof Stmt.Assign
          || s instanceof Stmt.ArrayWrite || s instanceof Stmt.If || s instanceof Stmt.Loop
          || s instanceof Stmt.Block || s instanceof Stmt.Evaluate)) {
        return true; // a push, a release, a restore, a throw: leave the loop alone
      }
      for (Expr e : Statements.expressions(s)) {
        if (!e.accept(InvariantReads.Pure.INSTANCE)) {
          return true;
        }
      }
      if (records(Statements.children(s))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code body}, the taken branch's reverse, is adjoint updates by multiples of K and
   * temporaries of such multiples, then the zeroing of K (see the class comment).
   */
  private static boolean killsWhatItReads(List<Stmt> body, Set<Variable> adjoints) {
    int kills = body.size();
    while (kills > 0 && body.get(kills - 1) instanceof Stmt.Assign a
        && a.variable().type() == Type.DOUBLE && adjoints.contains(a.variable())
        && a.value() instanceof Expr.Literal zero && zero.isZero()) {
      kills--;
    }
    if (kills == body.size() || kills == 0) {
      return false;
    }
    Set<Variable> killed = new LinkedHashSet<>();
    for (Stmt s : body.subList(kills, body.size())) {
      killed.add(((Stmt.Assign) s).variable());
    }
    Set<Variable> scaled = new HashSet<>(killed);
    for (Stmt s : body.subList(0, kills)) {
      if (s instanceof Stmt.Declare d && d.variable().kind() == Variable.Kind.SYNTHETIC
          && d.variable().type() == Type.DOUBLE && d.init().isPresent()
          && multipleOf(d.init().get(), scaled)) {
        scaled.add(d.variable());
      } else if (s instanceof Stmt.Assign a && adjoints.contains(a.variable())
          && !scaled.contains(a.variable())
          && increment(local(a.variable()), a.value(), scaled)) {
        continue;
      } else if (s instanceof Stmt.ArrayWrite w && adjoints.contains(w.array())
          && w.indices().stream().allMatch(i -> i.accept(InvariantReads.Pure.INSTANCE)
              && Collections.disjoint(Exprs.variables(i), scaled))
          && increment(Exprs.element(w.array(), w.indices()), w.value(), scaled)) {
        continue;
      } else {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} is {@code target + e} or {@code target - e}, e a multiple of K. */
  private static boolean increment(Expr target, Expr value, Set<Variable> scaled) {
    return value instanceof Expr.Binary b
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUBTRACT)
        && b.left().equals(target) && multipleOf(b.right(), scaled);
  }

  /**
   * Whether {@code e} is zero whenever every variable of {@code scaled} is: a read of one,
   * its negation, a product with a {@code double} literal, a sum or difference of such.
   */
  private static boolean multipleOf(Expr e, Set<Variable> scaled) {
    if (e instanceof Expr.Local l) {
      return scaled.contains(l.variable());
    }
    if (e instanceof Expr.Unary u) {
      return u.op() == Expr.UnaryOp.NEGATE && multipleOf(u.operand(), scaled);
    }
    if (e instanceof Expr.Binary b) {
      switch (b.op()) {
        case ADD, SUBTRACT:
          return multipleOf(b.left(), scaled) && multipleOf(b.right(), scaled);
        case MULTIPLY:
          return finiteLiteral(b.left()) && multipleOf(b.right(), scaled)
              || multipleOf(b.left(), scaled) && finiteLiteral(b.right());
        default:
          return false;
      }
    }
    return false;
  }

  private static boolean finiteLiteral(Expr e) {
    return e instanceof Expr.Literal l && l.value() instanceof Number n
        && Double.isFinite(n.doubleValue());
  }

  /** {@code s} (a declaration, assignment or element write) with {@code v} read as {@code e}. */
  private static Stmt substituted(Stmt s, Variable v, Expr e) {
    if (s instanceof Stmt.Declare d) {
      return new Stmt.Declare(d.variable(), d.init().map(x -> Exprs.substitute(x, v, e)),
          d.position());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.variable(), Exprs.substitute(a.value(), v, e), a.position());
    }
    Stmt.ArrayWrite w = (Stmt.ArrayWrite) s;
    return new Stmt.ArrayWrite(w.array(),
        w.indices().stream().map(x -> Exprs.substitute(x, v, e)).toList(),
        Exprs.substitute(w.value(), v, e), w.position());
  }
}
