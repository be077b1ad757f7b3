package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checkpointing of a counted loop at a method's top level (two-level checkpointing: Griewank
 * and Walther, ch. 12; PyTorch's {@code checkpoint_sequential}, Chen et al.'s √n schedule).
 *
 * <p>The forward sweep runs the loop as the source does, recording nothing but a snapshot
 * every k iterations: the variables and arrays the body writes, and the counter. The reverse
 * sweep takes the segments from last to first: it restores the segment's snapshot, runs the
 * segment's iterations again as the ordinary forward sweep does (recording), and then their
 * ordinary reverse. So the tape holds n / k snapshots and one segment's records at a time,
 * and the loop runs twice. The snapshots are pushed in order and popped in reverse order, so
 * they stay a stack with everything else on the tape; what the recorded re-run pushes, its
 * reverse pops before the next snapshot is popped.
 *
 * <p>Everything the rest of the reverse sweep reads is as without checkpointing: a value the
 * code before the loop needs and the loop overwrites is saved by the recorded re-run of the
 * first segment, exactly as the ordinary forward sweep would have saved it.
 */
final class Checkpoints {
  private Checkpoints() {}

  /** The code of one checkpointed loop in each sweep, and what both sweeps read. */
  record Plan(List<Stmt> forward, List<Stmt> reverse, List<Variable> hoisted) {}

  /**
   * The checkpointed form of counted loop {@code l} with counter {@code counter}: {@code
   * recorded} is its body's ordinary forward sweep, {@code reversed} its body's ordinary
   * reverse; {@code partials}, the array its calls' partials go to, borrowed around the
   * segments.
   */
  static Plan of(Stmt.Loop l, Variable counter, List<Stmt> recorded, List<Stmt> reversed,
      Set<Variable> hoisted, Variable tape, int every, Optional<Adjoint.Scratch> partials) {
    Type t = counter.type();
    Variable trips = new Variable("checkpointedTrips", t, Variable.Kind.SYNTHETIC);
    Variable stride = new Variable("checkpointEvery", t, Variable.Kind.SYNTHETIC);
    Variable left = new Variable("untilSnapshot", t, Variable.Kind.SYNTHETIC);
    List<Variable> state = state(l, counter, hoisted);

    // Forward: count the trips, choose k, run the source loop with a snapshot every k.
    List<Stmt> forward = new ArrayList<>();
    Expr start = ((Stmt.Declare) l.init().get(0)).init().orElseThrow();
    Binary c = (Binary) l.condition();
    boolean ascending = c.op() == BinaryOp.LESS || c.op() == BinaryOp.LESS_EQUAL;
    Expr difference = !ascending ? Exprs.binary(BinaryOp.SUBTRACT, start, c.right())
        : Exprs.isZero(start) ? c.right() : Exprs.binary(BinaryOp.SUBTRACT, c.right(), start);
    if (c.op() == BinaryOp.LESS_EQUAL || c.op() == BinaryOp.GREATER_EQUAL) {
      difference = Exprs.binary(BinaryOp.ADD, difference, lit(t, 1));
    }
    forward.add(new Stmt.Assign(trips, cast(t, difference), Position.NONE));
    forward.add(atLeast(trips, 0));
    if (every > 0) {
      forward.add(new Stmt.Assign(stride, lit(t, every), Position.NONE));
    } else {
      Expr sqrt = Exprs.call(Intrinsic.SQRT, new Expr.Cast(Type.DOUBLE, local(trips),
          Position.NONE));
      forward.add(new Stmt.Assign(stride,
          new Expr.Cast(t, Exprs.call(Intrinsic.CEIL, sqrt), Position.NONE), Position.NONE));
      forward.add(atLeast(stride, 1));
    }
    forward.add(new Stmt.Declare(left, lit(t, 0), Position.NONE));
    List<Stmt> snapshot = new ArrayList<>();
    for (Variable v : state) {
      snapshot.add(new Stmt.Push(tape, local(v)));
    }
    snapshot.add(new Stmt.Push(tape, local(counter)));
    snapshot.add(new Stmt.Assign(left, local(stride), Position.NONE));
    List<Stmt> body = new ArrayList<>();
    body.add(new Stmt.If(Exprs.binary(BinaryOp.EQUAL, local(left), lit(t, 0)),
        Block.of(snapshot), Block.of(List.of())));
    body.add(new Stmt.Assign(left, Exprs.binary(BinaryOp.SUBTRACT, local(left), lit(t, 1)),
        Position.NONE));
    body.addAll(new Plain(hoisted).list(l.body().statements()));
    forward.add(Stmt.Loop.unlabelled(l.init(), l.condition(), l.update(), Block.of(body), true,
        l.position()));

    // Reverse: per segment, last first, restore its snapshot, record it again, reverse it.
    List<Stmt> reverse = new ArrayList<>();
    partials.ifPresent(p -> reverse.add(new Stmt.Declare(p.array(),
        new Expr.Borrow(tape, Expr.Literal.ofInt(p.size())), Position.NONE)));
    Variable segments = new Variable("segments", t, Variable.Kind.SYNTHETIC);
    Variable segment = new Variable("segment", t, Variable.Kind.SYNTHETIC);
    Variable from = new Variable("segmentStart", t, Variable.Kind.SYNTHETIC);
    Variable to = new Variable("segmentEnd", t, Variable.Kind.SYNTHETIC);
    reverse.add(new Stmt.Declare(segments, Exprs.binary(BinaryOp.DIVIDE,
        Exprs.binary(BinaryOp.SUBTRACT, Exprs.binary(BinaryOp.ADD, local(trips), local(stride)),
            lit(t, 1)), local(stride)), Position.NONE));
    List<Stmt> segmentBody = new ArrayList<>();
    segmentBody.add(new Stmt.Declare(from, new Expr.TapePop(tape, t), Position.NONE));
    for (int k = state.size() - 1; k >= 0; k--) {
      Variable v = state.get(k);
      segmentBody.add(v.type().isArray() ? new Stmt.RestoreArray(tape, v)
          : new Stmt.Assign(v, new Expr.TapePop(tape, v.type()), Position.NONE));
    }
    Expr lastSegment = Exprs.binary(BinaryOp.EQUAL, local(segment),
        Exprs.binary(BinaryOp.SUBTRACT, local(segments), lit(t, 1)));
    Expr count = Exprs.cond(lastSegment, Exprs.binary(BinaryOp.SUBTRACT, local(trips),
        Exprs.binary(BinaryOp.MULTIPLY, local(segment), local(stride))), local(stride));
    segmentBody.add(new Stmt.Declare(to, Exprs.binary(
        ascending ? BinaryOp.ADD : BinaryOp.SUBTRACT, local(from), count), Position.NONE));
    Stmt.Loop segmentLoop = Stmt.Loop.unlabelled(
        List.of(new Stmt.Declare(counter, local(from), Position.NONE)),
        Exprs.binary(ascending ? BinaryOp.LESS : BinaryOp.GREATER, local(counter), local(to)),
        l.update(), Block.of(recorded), true, Position.NONE);
    segmentBody.add(segmentLoop);
    if (!reversed.isEmpty()) {
      segmentBody.add(CountedLoops.reversed(segmentLoop, counter, reversed));
    }
    reverse.add(Stmt.Loop.unlabelled(
        List.of(new Stmt.Declare(segment,
            Exprs.binary(BinaryOp.SUBTRACT, local(segments), lit(t, 1)), Position.NONE)),
        Exprs.binary(BinaryOp.GREATER_EQUAL, local(segment), lit(t, 0)),
        List.of(new Stmt.Assign(segment,
            Exprs.binary(BinaryOp.SUBTRACT, local(segment), lit(t, 1)), Position.NONE)),
        Block.of(segmentBody), true, Position.NONE));
    if (partials.isPresent()) {
      reverse.add(new Stmt.Release(tape, 1));
    }
    return new Plan(forward, reverse, List.of(trips, stride));
  }

  /**
   * What a snapshot saves: every variable the body writes that is visible outside it (declared
   * before the loop, or a local of the body hoisted to the method's top), except the counter.
   * A local of the body is written before it is read in each iteration (Java's definite
   * assignment), but saving the hoisted ones keeps the rule simple; they are few.
   */
  private static List<Variable> state(Stmt.Loop l, Variable counter, Set<Variable> hoisted) {
    Set<Variable> declared = new HashSet<>();
    collectDeclared(l.body().statements(), declared);
    List<Variable> out = new ArrayList<>();
    for (Variable v : Statements.assigned(l.body().statements())) {
      if (v != counter && (!declared.contains(v) || hoisted.contains(v))) {
        out.add(v);
      }
    }
    return out;
  }

  private static void collectDeclared(List<Stmt> statements, Set<Variable> out) {
    for (Stmt s : statements) {
      if (s instanceof Stmt.Declare d) {
        out.add(d.variable());
      }
      collectDeclared(Statements.children(s), out);
    }
  }

  /** {@code if (v < least) v = least;} */
  private static Stmt atLeast(Variable v, int least) {
    return new Stmt.If(Exprs.binary(BinaryOp.LESS, local(v), lit(v.type(), least)),
        Block.of(List.of(new Stmt.Assign(v, lit(v.type(), least), Position.NONE))),
        Block.of(List.of()));
  }

  private static Expr lit(Type t, int value) {
    return t == Type.LONG ? new Expr.Literal(Type.LONG, (long) value) : Expr.Literal.ofInt(value);
  }

  private static Expr cast(Type t, Expr e) {
    return e.type() == t ? e : new Expr.Cast(t, e, Position.NONE);
  }

  /**
   * The body as the source runs it, recording nothing: declarations of locals hoisted to the
   * method's top become assignments (or nothing, without an initializer).
   */
  private static final class Plain implements Stmt.SourceVisitor<Optional<Stmt>> {
    private final Set<Variable> hoisted;

    Plain(Set<Variable> hoisted) {
      this.hoisted = hoisted;
    }

    List<Stmt> list(List<Stmt> statements) {
      List<Stmt> out = new ArrayList<>();
      for (Stmt s : statements) {
        s.accept(this).ifPresent(out::add);
      }
      return out;
    }

    @Override
    public Optional<Stmt> visitDeclare(Stmt.Declare d) {
      if (!hoisted.contains(d.variable())) {
        return Optional.of(d);
      }
      return d.init().map(init -> new Stmt.Assign(d.variable(), init, d.position()));
    }

    @Override
    public Optional<Stmt> visitAssign(Stmt.Assign a) {
      return Optional.of(a);
    }

    @Override
    public Optional<Stmt> visitArrayWrite(Stmt.ArrayWrite w) {
      return Optional.of(w);
    }

    @Override
    public Optional<Stmt> visitIf(Stmt.If f) {
      return Optional.of(new Stmt.If(f.condition(), Block.of(list(f.thenBlock().statements())),
          Block.of(list(f.elseBlock().statements()))));
    }

    @Override
    public Optional<Stmt> visitLoop(Stmt.Loop l) {
      return Optional.of(new Stmt.Loop(l.label(), list(l.init()), l.condition(),
          list(l.update()), Block.of(list(l.body().statements())), l.testFirst(),
          l.position()));
    }

    @Override
    public Optional<Stmt> visitBlock(Stmt.Block b) {
      return Optional.of(Block.of(list(b.statements())));
    }

    @Override
    public Optional<Stmt> visitEvaluate(Stmt.Evaluate e) {
      return Optional.of(e);
    }

    @Override
    public Optional<Stmt> visitThrow(Stmt.Throw t) {
      return Optional.of(t);
    }

    @Override
    public Optional<Stmt> visitReturn(Stmt.Return s) {
      throw Survey.lowered(s);
    }

    @Override
    public Optional<Stmt> visitBreak(Stmt.Break s) {
      throw Survey.lowered(s);
    }

    @Override
    public Optional<Stmt> visitContinue(Stmt.Continue s) {
      throw Survey.lowered(s);
    }
  }
}
