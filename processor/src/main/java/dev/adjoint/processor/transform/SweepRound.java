package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.local;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.transform.CountedLoops.variablesBesideLengths;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.ToBeRecorded.ReadSite;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One round of the reverse transform's fixed point: given which assignments save the value
 * they overwrite, writes the reverse sweep (noting what it reads), then the forward sweep
 * that records what the reverse sweep pops. Everything this state holds (read sites, branch
 * flags, trip counters, hoisted synthetic locals, tape and scratch use) belongs to this round
 * only; {@link #build} returns it as an immutable {@link Result}.
 */
final class SweepRound {

  /**
   * What one round built.
   *
   * @param saved the assignments this round's sweeps save (its input)
   * @param readSites what the reverse code of each statement reads
   * @param forward the forward sweep
   * @param reverse the reverse sweep
   * @param hoistedSynthetic branch flags and trip counters outside loops, declared first
   * @param adjointOf the adjoint variable of each active variable
   * @param tape the tape, when the reverse sweep pops anything
   * @param scratch the reverse sweep's array for callee partials
   * @param forwardScratch the forward sweep's array for callee partials
   */
  record Result(
      Set<Stmt> saved,
      List<ReadSite> readSites,
      List<Stmt> forward,
      List<Stmt> reverse,
      List<Variable> hoistedSynthetic,
      Map<Variable, Variable> adjointOf,
      Optional<Variable> tape,
      Optional<Adjoint.Scratch> scratch,
      Optional<Adjoint.Scratch> forwardScratch) {}

  /**
   * Per retained local: the variable receiving its captured adjoint, and (when it has more
   * than one definition) the flag telling whether it has been captured. Fixed per method.
   */
  record Retained(Map<Variable, Variable> adjoints, Map<Variable, Variable> captured) {}

  private final MethodIr method;
  private final Activity activity;
  private final Survey survey;
  private final Retained retained;
  private final Set<Stmt> saved;
  private final SweepState state;
  private final PreaccumulatedCalls calls;

  private final List<ReadSite> readSites = new ArrayList<>();
  /**
   * Per statement of the body's top level (each runs once), the values its reverse code needs
   * that the forward sweep computes beside it: their declarations, and what they replace.
   */
  private final Map<Stmt, ForwardValues> forwardValues = new IdentityHashMap<>();
  /** Branches whose decision is kept: in a local (outside loops) or, when absent, on the tape. */
  private final Map<Stmt.If, Optional<Variable>> branchFlags = new IdentityHashMap<>();
  /** Loops whose trip count is kept: a local outside loops, pushed on the tape inside them. */
  private final Map<Stmt.Loop, Variable> tripCounters = new IdentityHashMap<>();
  private final Set<Variable> hoistedSynthetic = new LinkedHashSet<>();
  /** Per loop, the refills its reverse iterations recompute first ({@link Reversible}). */
  private final Map<Stmt.Loop, List<Stmt.Loop>> recomputedRefills;
  /** Per loop, the scalar definitions its reverse iterations evaluate again first. */
  private final Map<Stmt.Loop, List<Stmt>> recomputedScalars;
  /** Refill loops whose element saves are one whole-array save ({@link WholeArraySaves}). */
  private final Map<Stmt.Loop, Stmt.ArrayWrite> wholeArraySaves;
  private final Set<Stmt> wholeArrayWrites;
  private final Checkpointing checkpointing;
  /** Top-level loops run checkpointed: both sweeps' code, written with the reverse sweep. */
  private final Map<Stmt.Loop, Checkpoints.Plan> checkpointed = new IdentityHashMap<>();

  private record ForwardValues(List<Stmt> declarations, List<Stmt> pushes,
      Map<Expr, Expr> replacing) {}

  SweepRound(MethodIr method, Activity activity, Survey survey, Retained retained,
      Set<Stmt> saved, Checkpointing checkpointing) {
    this.checkpointing = checkpointing;
    this.method = method;
    this.activity = activity;
    this.survey = survey;
    this.retained = retained;
    this.saved = saved;
    this.state = new SweepState(activity);
    this.calls = new PreaccumulatedCalls(activity, state);
    this.recomputedRefills = Reversible.recomputedRefills(method, survey);
    this.recomputedScalars = RecomputedScalars.of(method, survey, checkpointing);
    this.wholeArraySaves = WholeArraySaves.of(method, survey, checkpointing);
    this.wholeArrayWrites = WholeArraySaves.writes(wholeArraySaves);
  }

  /** Builds both sweeps; call once. */
  Result build() {
    List<Stmt> reverse = reverseList(method.body().statements(), 0);
    List<Stmt> forward = forwardList(method.body().statements(), 0);
    return new Result(Collections.unmodifiableSet(saved), List.copyOf(readSites),
        List.copyOf(forward), List.copyOf(reverse), List.copyOf(hoistedSynthetic),
        state.adjointOf(), state.tapeIfUsed(), state.scratchIfUsed(), calls.scratch());
  }

  // ---------------------------------------------------------------- forward sweep

  private List<Stmt> forwardList(List<Stmt> statements, int depth) {
    List<Stmt> out = new ArrayList<>();
    Forward visitor = new Forward(depth, out);
    for (Stmt s : statements) {
      s.accept(visitor);
    }
    return out;
  }

  /** The forward sweep of statements at loop depth {@code depth}, appended to {@code out}. */
  private final class Forward implements Stmt.SourceVisitor<Void> {
    private final int depth;
    private final List<Stmt> out;

    Forward(int depth, List<Stmt> out) {
      this.depth = depth;
      this.out = out;
    }

    @Override
    public Void visitDeclare(Stmt.Declare d) {
      if (d.init().isEmpty()) {
        if (!survey.hoisted().contains(d.variable())) {
          out.add(d);
        }
        return null;
      }
      Expr init = recordCalls(d, d.variable(), d.init().get(), out);
      if (!survey.hoisted().contains(d.variable())) {
        out.add(init == d.init().get() ? d : new Stmt.Declare(d.variable(), init, d.position()));
      } else {
        save(d, d.variable(), out);
        out.add(new Stmt.Assign(d.variable(), init, d.position()));
      }
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign a) {
      Expr value = recordCalls(a, a.variable(), a.value(), out);
      save(a, a.variable(), out);
      out.add(value == a.value() ? a : new Stmt.Assign(a.variable(), value, a.position()));
      return null;
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite w) {
      Expr value = recordCalls(w, w.array(), w.value(), out);
      if (saved.contains(w) && !wholeArrayWrites.contains(w)) {
        out.add(new Stmt.Push(state.tape(), Exprs.element(w.array(), w.indices())));
      }
      out.add(value == w.value() ? w
          : new Stmt.ArrayWrite(w.array(), w.indices(), value, w.position()));
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate e) {
      if (saved.contains(e)) {
        survey.helperCallWrites().get(e).forEach(v -> out.add(new Stmt.Push(state.tape(),
            local(v))));
      }
      out.add(e);
      return null;
    }

    @Override
    public Void visitThrow(Stmt.Throw t) {
      out.add(t);
      return null;
    }

    @Override
    public Void visitIf(Stmt.If f) {
      List<Stmt> thenBlock = forwardList(f.thenBlock().statements(), depth);
      List<Stmt> elseBlock = forwardList(f.elseBlock().statements(), depth);
      Optional<Variable> flag = branchFlags.get(f);
      if (flag != null && flag.isPresent()) {
        out.add(new Stmt.Assign(flag.get(), f.condition(), Position.NONE));
        out.add(new Stmt.If(local(flag.get()), Block.of(thenBlock), Block.of(elseBlock)));
      } else if (flag != null) {
        thenBlock.add(new Stmt.Push(state.tape(), Expr.Literal.ofBoolean(true)));
        elseBlock.add(new Stmt.Push(state.tape(), Expr.Literal.ofBoolean(false)));
        out.add(new Stmt.If(f.condition(), Block.of(thenBlock), Block.of(elseBlock)));
      } else {
        out.add(new Stmt.If(f.condition(), Block.of(thenBlock), Block.of(elseBlock)));
      }
      return null;
    }

    @Override
    public Void visitBlock(Stmt.Block b) {
      out.add(Block.of(forwardList(b.statements(), depth)));
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop l) {
      Checkpoints.Plan plan = checkpointed.get(l);
      if (plan != null) {
        out.addAll(plan.forward());
        return null;
      }
      boolean counted = survey.counter(l) != null;
      List<Stmt> init = counted ? l.init() : forwardList(l.init(), depth);
      List<Stmt> body = forwardList(l.body().statements(), depth + 1);
      List<Stmt> update = counted ? l.update() : forwardList(l.update(), depth + 1);
      Variable counter = tripCounters.get(l);
      if (counter != null && depth > 0) {
        out.add(new Stmt.Declare(counter, Expr.Literal.ofInt(0), Position.NONE));
      }
      if (counter != null) {
        body.add(new Stmt.Assign(counter,
            Exprs.binary(BinaryOp.ADD, local(counter), Expr.Literal.ofInt(1)), Position.NONE));
      }
      Stmt.ArrayWrite wholeArray = wholeArraySaves.get(l);
      if (wholeArray != null && saved.contains(wholeArray)) {
        out.add(new Stmt.Push(state.tape(), local(wholeArray.array())));
      }
      out.add(Stmt.Loop.unlabelled(init, l.condition(), update, Block.of(body), l.testFirst(),
          l.position()));
      if (counter != null && depth > 0) {
        out.add(new Stmt.Push(state.tape(), local(counter)));
      }
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

  /**
   * Before {@code s} in the forward sweep: the values its reverse code reads that are computed
   * here, and the calls of differentiable methods it makes, when the reverse sweep will
   * differentiate it, run as adjoints with their partials recorded (see {@link
   * PreaccumulatedCalls}); returns {@code value} reading the results.
   */
  private Expr recordCalls(Stmt s, Variable target, Expr value, List<Stmt> out) {
    Map<Expr, Expr> computed = computeForward(s, out);
    List<Expr.Call> recorded = activity.isActive(target) ? calls.in(value) : List.of();
    return recorded.isEmpty() ? Exprs.replaceAll(value, computed)
        : calls.record(recorded, value, computed, survey.runsOnce(s), out);
  }

  /** Declares {@code s}'s forward-computed values; returns what they replace in it. */
  private Map<Expr, Expr> computeForward(Stmt s, List<Stmt> out) {
    ForwardValues f = forwardValues.get(s);
    if (f == null) {
      return Map.of();
    }
    out.addAll(f.declarations());
    out.addAll(f.pushes());
    return f.replacing();
  }

  private void save(Stmt s, Variable v, List<Stmt> out) {
    // An integer step is undone in place by the reverse sweep: nothing to record.
    if (saved.contains(s) && Reversible.undoStep(s).isEmpty()) {
      out.add(new Stmt.Push(state.tape(), local(v)));
    }
  }

  // ---------------------------------------------------------------- reverse sweep

  private List<Stmt> reverseList(List<Stmt> statements, int depth) {
    List<Stmt> out = new ArrayList<>();
    Reverse visitor = new Reverse(depth, out);
    for (int i = statements.size() - 1; i >= 0; i--) {
      statements.get(i).accept(visitor);
    }
    return out;
  }

  /** The reverse sweep of statements at loop depth {@code depth}, appended to {@code out}. */
  private final class Reverse implements Stmt.SourceVisitor<Void> {
    private final int depth;
    private final List<Stmt> out;

    Reverse(int depth, List<Stmt> out) {
      this.depth = depth;
      this.out = out;
    }

    @Override
    public Void visitDeclare(Stmt.Declare d) {
      if (d.init().isPresent()) {
        int start = out.size();
        boolean reusedValue = reverseDefinition(d, d.variable(), d.init().get(),
            !survey.hoisted().contains(d.variable()), out);
        noteReads(d, out.subList(start, out.size()), reusedValue ? d.variable() : null);
      }
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign a) {
      int start = out.size();
      boolean reusedValue = reverseDefinition(a, a.variable(), a.value(), false, out);
      noteReads(a, out.subList(start, out.size()), reusedValue ? a.variable() : null);
      return null;
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite w) {
      int start = out.size();
      reverseElementWrite(w, out);
      noteReads(w, out.subList(start, out.size()), null);
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate e) {
      int start = out.size();
      reverseHelperCall(e, (Expr.Call) e.expression(), out);
      noteReads(e, out.subList(start, out.size()), null);
      return null;
    }

    /** The reverse sweep runs only if the forward sweep did not throw: nothing to undo. */
    @Override
    public Void visitThrow(Stmt.Throw t) {
      return null;
    }

    @Override
    public Void visitIf(Stmt.If f) {
      reverseIf(f, depth, out);
      return null;
    }

    @Override
    public Void visitBlock(Stmt.Block b) {
      out.addAll(reverseList(b.statements(), depth));
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop l) {
      reverseLoop(l, depth, out);
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

  /**
   * The reverse of {@code v = value}: restore v's previous value, then send v's adjoint to
   * what the value was computed from. Returns whether it read v's new value in place of
   * recomputing it.
   */
  private boolean reverseDefinition(Stmt s, Variable v, Expr value, boolean firstAndOnly,
      List<Stmt> out) {
    captureRetained(v, out);
    boolean activeCall = value instanceof Expr.Call c && activity.isActive(c);
    boolean reuse = survey.hasSingleDefinition(v) && !saved.contains(s) && !activeCall;
    // Before v is restored it holds this statement's result, when every write of v restores
    // what it overwrote: keep it, rather than recomputing the function for its derivative.
    Variable result = null;
    if (!reuse && saved.contains(s) && value instanceof Expr.IntrinsicCall
        && activity.isActive(v) && !Exprs.variables(value).contains(v) && everyWriteSaved(v)) {
      result = new Variable(v.name() + "Result", v.type(), Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(result, local(v), Position.NONE));
    }
    if (saved.contains(s)) {
      Optional<Stmt.Assign> undo = Reversible.undoStep(s);
      out.add(undo.isPresent() ? undo.get()
          : new Stmt.Assign(v, new Expr.TapePop(state.useTape(), v.type()), Position.NONE));
    }
    if (!activity.isActive(v)) {
      return false;
    }
    Variable bar = state.adjoint(v);
    int start = out.size();
    ExpressionAdjoint expression = newExpressionAdjoint(s, out);
    PreaccumulatedCalls.Restored restored = calls.restore(calls.in(value), expression,
        survey.runsOnce(s), out);
    if (reuse) {
      expression.knownValue(value, local(v));
    } else if (result != null) {
      expression.knownValue(value, local(result));
    }
    Expr accumulated = accumulatedPart(v, value);
    if (accumulated != null) {
      // v = v + e (or v - e): v's adjoint passes through unchanged.
      Expr g = value instanceof Binary b && b.op() == BinaryOp.SUBTRACT ? neg(local(bar))
          : local(bar);
      expression.propagate(accumulated, g);
    } else if (!Exprs.variables(value).contains(v)) {
      expression.propagate(value, local(bar));
      // The result is assigned once on every path, so its adjoint needs no reset; nor does an
      // array's (its elements' adjoints are reset where the elements are written).
      if (!firstAndOnly && v != method.result() && !v.type().isArray()) {
        out.add(new Stmt.Assign(bar, Exprs.lit(0), Position.NONE));
      }
    } else {
      Variable incoming = expression.temporary(bar.name() + "In", Type.DOUBLE, local(bar));
      out.add(new Stmt.Assign(bar, Exprs.lit(0), Position.NONE));
      expression.propagate(value, local(incoming));
    }
    finish(restored, out.subList(start, out.size()));
    return reuse || result != null;
  }

  /**
   * The writer of {@code s}'s reverse code. A statement of the body's top level runs once, so
   * the values of its expression that the reverse code needs are computed by the forward sweep
   * beside it (and kept, in a pullback's recording) instead of again in the reverse sweep.
   * Elsewhere (in loops and branches) such a value is recorded on the tape by the forward sweep
   * when recomputing it would cost more than a push and a pop ({@link RecomputeCost}), and
   * recomputed by the reverse code otherwise.
   */
  private ExpressionAdjoint newExpressionAdjoint(Stmt s, List<Stmt> out) {
    ExpressionAdjoint expression = new ExpressionAdjoint(state, out);
    List<Stmt> declarations = new ArrayList<>();
    if (survey.runsOnce(s)) {
      expression.computeValuesForward(declarations, survey::isPrimal,
          survey.forwardTemporaryName());
    } else {
      // The forward sweep reads them where the statement is, in the counters' scope.
      expression.recordValuesForward(declarations,
          v -> survey.isPrimal(v) || survey.isCounter(v),
          survey.forwardTemporaryName(), state.tape());
    }
    forwardValues.put(s, new ForwardValues(declarations, expression.forwardPushes(),
        expression.forwardValues()));
    return expression;
  }

  /**
   * Ends a statement's reverse code: gives back the arrays it borrowed for recorded partials,
   * and drops the recorded call values it turned out not to read.
   */
  private void finish(PreaccumulatedCalls.Restored restored, List<Stmt> statementCode) {
    if (restored.borrowed() > 0) {
      statementCode.add(new Stmt.Release(state.useTape(), restored.borrowed()));
    }
    calls.dropUnreadValues(restored, statementCode);
  }

  /** Whether every statement writing {@code v} saves the value it overwrites. */
  private boolean everyWriteSaved(Variable v) {
    for (Map.Entry<Stmt, Variable> e : survey.assignments().entrySet()) {
      if (e.getValue() == v && !saved.contains(e.getKey())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Records what {@code origin}'s reverse code reads, except {@code ownResult}: a read of the
   * value the statement itself assigned, which happens after the write, not before it.
   */
  private void noteReads(Stmt origin, List<Stmt> reverseCode, Variable ownResult) {
    Set<Variable> read = SweepReads.of(reverseCode);
    read.removeIf(v -> !survey.isPrimal(v) || v == ownResult);
    if (!read.isEmpty()) {
      readSites.add(new ReadSite(origin, read));
    }
  }

  /**
   * The reverse of a void helper's call: restore the arrays it wrote, then run its adjoint on
   * copies of them (it recomputes its writes), with the arrays' adjoints as its seed.
   */
  private void reverseHelperCall(Stmt s, Expr.Call c, List<Stmt> out) {
    List<Variable> written = survey.helperCallWrites().get(s);
    if (saved.contains(s)) {
      Variable tape = state.useTape();
      for (int i = written.size() - 1; i >= 0; i--) {
        out.add(new Stmt.RestoreArray(tape, written.get(i)));
      }
    }
    if (written.stream().anyMatch(activity::isActive)) {
      new ExpressionAdjoint(state, out).seededCall(c, Optional.empty());
    }
  }

  /** The reverse of {@code a[i] = value}: restore the element, then propagate its adjoint. */
  private void reverseElementWrite(Stmt.ArrayWrite w, List<Stmt> out) {
    Expr element = Exprs.element(w.array(), w.indices());
    if (saved.contains(w) && !wholeArrayWrites.contains(w)) {
      out.add(new Stmt.ArrayWrite(w.array(), w.indices(),
          new Expr.TapePop(state.useTape(), element.type()), Position.NONE));
    }
    if (!activity.isActive(w.array())) {
      return;
    }
    Variable bar = state.adjoint(w.array());
    Expr barElement = Exprs.element(bar, w.indices());
    int start = out.size();
    ExpressionAdjoint expression = newExpressionAdjoint(w, out);
    PreaccumulatedCalls.Restored restored = calls.restore(calls.in(w.value()), expression,
        survey.runsOnce(w), out);
    Expr value = w.value() instanceof Expr.Cast c && c.type() == element.type()
        ? c.operand() : w.value();
    if (value instanceof Binary b
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUBTRACT)
        && b.left().equals(element) && !Exprs.variables(b.right()).contains(w.array())) {
      // a[i] += e: the element's adjoint passes through unchanged.
      expression.propagate(b.right(), b.op() == BinaryOp.SUBTRACT ? neg(barElement)
          : barElement);
    } else if (!Exprs.variables(w.value()).contains(w.array())) {
      expression.propagate(w.value(), barElement);
      out.add(new Stmt.ArrayWrite(bar, w.indices(), neutral(barElement.type()), Position.NONE));
    } else {
      Variable incoming = expression.temporary(bar.name() + "In", Type.DOUBLE, barElement);
      out.add(new Stmt.ArrayWrite(bar, w.indices(), neutral(barElement.type()), Position.NONE));
      expression.propagate(w.value(), local(incoming));
    }
    finish(restored, out.subList(start, out.size()));
  }

  /**
   * Before the reverse of a definition of a retained local, its adjoint is the derivative with
   * respect to the value that definition produced; the first such moment (the last definition
   * executed) gives the derivative with respect to the final value.
   */
  private void captureRetained(Variable v, List<Stmt> out) {
    Variable captured = retained.adjoints().get(v);
    if (captured == null || !activity.isActive(v)) {
      return;
    }
    Stmt capture = new Stmt.Assign(captured, local(state.adjoint(v)), Position.NONE);
    Variable flag = retained.captured().get(v);
    if (flag == null) {
      out.add(capture);
    } else {
      out.add(new Stmt.If(Exprs.not(local(flag)), Block.of(List.of(capture,
          new Stmt.Assign(flag, Expr.Literal.ofBoolean(true), Position.NONE))),
          Block.of(List.of())));
    }
  }

  /** For {@code v + e} or {@code v - e} with v not in e, returns e; else null. */
  private static Expr accumulatedPart(Variable v, Expr value) {
    if (value instanceof Expr.Cast c && c.type() == v.type()) {
      value = c.operand();
    }
    if (value instanceof Binary b
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUBTRACT)
        && b.left() instanceof Expr.Local l && l.variable() == v
        && b.type() == v.type()
        && !Exprs.variables(b.right()).contains(v)) {
      return b.right();
    }
    return null;
  }

  private void reverseIf(Stmt.If f, int depth, List<Stmt> out) {
    List<Stmt> thenBlock = reverseList(f.thenBlock().statements(), depth);
    List<Stmt> elseBlock = reverseList(f.elseBlock().statements(), depth);
    if (thenBlock.isEmpty() && elseBlock.isEmpty()) {
      return;
    }
    Set<Variable> written = Statements.assigned(f.thenBlock().statements());
    written.addAll(Statements.assigned(f.elseBlock().statements()));
    boolean recomputable = Collections.disjoint(Exprs.variables(f.condition()), written);
    Expr condition;
    if (recomputable) {
      condition = f.condition();
      Set<Variable> read = variablesBesideLengths(condition);
      read.removeIf(v -> !survey.isPrimal(v));
      if (!read.isEmpty()) {
        readSites.add(new ReadSite(f, read));
      }
    } else if (depth == 0) {
      Variable flag = new Variable("branch", Type.BOOLEAN, Variable.Kind.SYNTHETIC);
      hoistedSynthetic.add(flag);
      branchFlags.put(f, Optional.of(flag));
      condition = local(flag);
    } else {
      branchFlags.put(f, Optional.empty());
      condition = new Expr.TapePop(state.useTape(), Type.BOOLEAN);
    }
    out.add(new Stmt.If(condition, Block.of(thenBlock), Block.of(elseBlock)));
  }

  private void reverseLoop(Stmt.Loop l, int depth, List<Stmt> out) {
    Variable counter = survey.counter(l);
    if (counter != null && depth == 0 && checkpointing.on()) {
      List<Stmt> reversed = reverseList(l.body().statements(), depth + 1);
      // The body's forward sweep after its reverse, as in build(): it reads what that decided.
      // It runs in the reverse sweep, so its calls' partials go to an array borrowed there.
      List<Stmt> recorded = new ArrayList<>();
      Variable partials = new Variable("segmentPartials", Type.DOUBLE_ARRAY,
          Variable.Kind.SYNTHETIC);
      int slots = calls.recordInto(partials,
          () -> recorded.addAll(forwardList(l.body().statements(), depth + 1)));
      Checkpoints.Plan plan = Checkpoints.of(l, counter, recorded, reversed, survey.hoisted(),
          state.useTape(), checkpointing.every(),
          slots > 0 ? Optional.of(new Adjoint.Scratch(partials, slots)) : Optional.empty());
      checkpointed.put(l, plan);
      hoistedSynthetic.addAll(plan.hoisted());
      Set<Variable> bounds = CountedLoops.boundVariables(l);
      bounds.removeIf(v -> !survey.isPrimal(v));
      readSites.add(new ReadSite(l, bounds));
      out.addAll(plan.reverse());
      return;
    }
    List<Stmt> body = new ArrayList<>();
    if (counter == null) {
      body.addAll(reverseList(l.update(), depth + 1));
    }
    body.addAll(reverseList(l.body().statements(), depth + 1));
    if (!body.isEmpty()) {
      // Refills recomputed rather than recorded: this iteration's values, before any reads.
      List<Stmt> refills = new ArrayList<>();
      for (Stmt.Loop refill : recomputedRefills.getOrDefault(l, List.of())) {
        List<Stmt> copy = List.of(Stmt.Loop.unlabelled(refill.init(), refill.condition(),
            refill.update(), refill.body(), refill.testFirst(), Position.NONE));
        noteReads(refill, copy, null);
        refills.addAll(copy);
      }
      // Scalars evaluated again rather than recorded, where the reverse iteration reads them.
      Set<Variable> bodyReads = SweepReads.of(body);
      for (Stmt def : recomputedScalars.getOrDefault(l, List.of())) {
        if (bodyReads.contains(RecomputedScalars.variable(def))) {
          List<Stmt> copy = List.of(RecomputedScalars.recompute(def));
          noteReads(def, copy, null);
          refills.addAll(copy);
        }
      }
      body.addAll(0, refills);
      if (counter != null) {
        Stmt loop = CountedLoops.reversed(l, counter, body);
        Set<Variable> bounds = CountedLoops.boundVariables(l);
        bounds.removeIf(v -> !survey.isPrimal(v));
        readSites.add(new ReadSite(l, bounds));
        out.add(loop);
      } else {
        out.add(countedBackwards(l, depth, body));
      }
    }
    Stmt.ArrayWrite wholeArray = wholeArraySaves.get(l);
    if (wholeArray != null && saved.contains(wholeArray)) {
      out.add(new Stmt.RestoreArray(state.useTape(), wholeArray.array()));
    }
    if (counter == null) {
      out.addAll(reverseList(l.init(), depth));
    }
  }

  /** Any other loop records its trip count and runs its body's reverse that many times. */
  private Stmt countedBackwards(Stmt.Loop l, int depth, List<Stmt> body) {
    Variable trips = new Variable("iterations", Type.INT, Variable.Kind.SYNTHETIC);
    tripCounters.put(l, trips);
    Expr start;
    if (depth == 0) {
      hoistedSynthetic.add(trips);
      start = local(trips);
    } else {
      start = new Expr.TapePop(state.useTape(), Type.INT);
    }
    Variable remaining = new Variable("iteration", Type.INT, Variable.Kind.SYNTHETIC);
    return Stmt.Loop.unlabelled(List.of(new Stmt.Declare(remaining, start, Position.NONE)),
        Exprs.binary(BinaryOp.GREATER, local(remaining), Expr.Literal.ofInt(0)),
        List.of(new Stmt.Assign(remaining,
            Exprs.binary(BinaryOp.SUBTRACT, local(remaining), Expr.Literal.ofInt(1)),
            Position.NONE)),
        Block.of(body), true, Position.NONE);
  }

  /** The value a hoisted declaration starts with: zero, false or null. */
  static Expr neutral(Type type) {
    if (type.isArray()) {
      return new Expr.NullArray(type);
    }
    return switch (type) {
      case BOOLEAN -> Expr.Literal.ofBoolean(false);
      case DOUBLE -> Exprs.lit(0);
      case FLOAT -> new Expr.Literal(Type.FLOAT, 0.0f);
      case LONG -> new Expr.Literal(Type.LONG, 0L);
      default -> Expr.Literal.ofInt(0);
    };
  }
}
