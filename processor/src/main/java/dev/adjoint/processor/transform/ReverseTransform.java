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
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reverse-mode transform of a lowered method (no return, break or continue left).
 *
 * <p>The forward sweep runs the original statements. Before a statement overwrites a value
 * that the reverse sweep reads, it pushes the old value on a tape of primitives; branch
 * decisions and loop trip counts are recorded the same way, unless they can be recomputed
 * (a condition whose variables the branches do not write, a counted {@code for} loop). The
 * reverse sweep walks the statements backwards, restoring each value and propagating
 * adjoints through each expression, reusing the forward value of single-assignment locals
 * and recomputing the intermediate values of an expression only where a partial needs them.
 *
 * <p>Which values the reverse sweep reads is only known once it is written, and writing it
 * depends on what is restored, so the two are iterated to a fixed point (two rounds in
 * practice).
 *
 * <p>This class runs the survey, the fixed point and the sweeps over statements; {@link
 * ExpressionAdjoint} writes the adjoint code of each expression, {@link ToBeRecorded} decides
 * what is saved and {@link CountedLoops} reverses the loops that need no trip count.
 */
public final class ReverseTransform {
  private final MethodIr method;
  private final Activity activity;
  /** Adjoints, tape and scratch array, shared with the adjoint code of each expression. */
  private final SweepState state;
  private final PreaccumulatedCalls calls;
  /**
   * Per statement of the body's top level (each runs once), the values its reverse code needs
   * that the forward sweep computes beside it: their declarations, and what they replace.
   */
  private final Map<Stmt, ForwardValues> forwardValues = new IdentityHashMap<>();
  /** The statements of the body's top level: each runs exactly once. */
  private final Set<Stmt> runsOnce = Collections.newSetFromMap(new IdentityHashMap<>());

  private record ForwardValues(List<Stmt> declarations, Map<Expr, Expr> replacing) {}
  private final Map<Variable, Integer> definitions = new HashMap<>();
  private final Set<Variable> definedInLoop = new HashSet<>();
  /** Locals declared in nested blocks: the reverse sweep, outside those blocks, reads them. */
  private final Set<Variable> hoisted = new java.util.LinkedHashSet<>();
  /** Branch flags and trip counters outside loops (per build). */
  private final Set<Variable> hoistedSynthetic = new java.util.LinkedHashSet<>();
  private final Set<Variable> regeneratedCounters = new HashSet<>();
  private final Variable seed = new Variable("seed", Type.DOUBLE, Variable.Kind.SYNTHETIC);
  /** Per retained local: its captured adjoint, and whether it has been captured. */
  private final Map<Variable, Variable> retainedAdjoints = new LinkedHashMap<>();
  private final Map<Variable, Variable> retainedCaptured = new LinkedHashMap<>();

  /** Assignments that save the value they overwrite, for the reverse sweep (fixed point). */
  private Set<Stmt> saved = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Calls of void helpers, with the arrays each may write. */
  private final Map<Stmt, List<Variable>> callWrites = new IdentityHashMap<>();
  /** The assignments of the method, with the variable each writes. */
  private final Map<Stmt, Variable> assignments = new IdentityHashMap<>();
  /** Per build: which primal values the reverse code of each statement reads. */
  private final List<ReadSite> readSites = new ArrayList<>();
  /** Per-build state. */
  private final Map<Stmt.If, Variable> branchFlags = new IdentityHashMap<>();
  private final Map<Stmt.Loop, Variable> tripCounters = new IdentityHashMap<>();

  private ReverseTransform(MethodIr method, Activity activity) {
    this.method = method;
    this.activity = activity;
    this.state = new SweepState(activity);
    this.calls = new PreaccumulatedCalls(activity, state);
  }

  /** The adjoint of a lowered method, given which of its values are active. */
  public static Adjoint transform(MethodIr lowered, Activity activity) {
    return new ReverseTransform(lowered, activity).run();
  }

  private Adjoint run() {
    for (Variable p : method.parameters()) {
      definitions.put(p, 1);
    }
    survey(method.body().statements(), new ArrayList<>(), true);
    runsOnce.addAll(method.body().statements());
    for (Variable v : method.retained()) {
      retainedAdjoints.put(v, new Variable(v.name() + "Retained", Type.DOUBLE,
          Variable.Kind.SYNTHETIC));
      if (!hasSingleDefinition(v)) {
        retainedCaptured.put(v, new Variable(v.name() + "Captured", Type.BOOLEAN,
            Variable.Kind.SYNTHETIC));
      }
    }
    List<Stmt> reverse;
    for (int round = 1; ; round++) {
      reset();
      reverse = reverseList(method.body().statements(), 0);
      Set<Stmt> needed =
          ToBeRecorded.in(method.body().statements(), readSites, assignments, callWrites);
      if (round > 4) {
        // Saving more is always correct: from here on only grow, which must terminate.
        needed.addAll(saved);
      }
      if (needed.equals(saved)) {
        break;
      }
      saved = needed;
    }
    List<Stmt> forward = forwardList(method.body().statements(), 0);
    List<Stmt> reverseSweep = new ArrayList<>();
    reverseSweep.addAll(reverse);
    List<Stmt> hoistedDeclarations = new ArrayList<>();
    List<Variable> allHoisted = new ArrayList<>(hoisted);
    allHoisted.addAll(hoistedSynthetic);
    allHoisted.addAll(retainedCaptured.values());
    for (Variable v : allHoisted) {
      hoistedDeclarations.add(new Stmt.Declare(v, neutral(v.type()), Position.NONE));
    }
    return new Adjoint(method, hoistedDeclarations, forward, reverseSweep,
        state.adjointOf(), seed, Optional.ofNullable(state.tapeIfUsed()),
        Optional.ofNullable(state.scratchIfUsed())
            .map(s -> new Adjoint.Scratch(s, state.scratchSize())),
        Collections.unmodifiableMap(retainedAdjoints), Optional.empty(), restoredParameters(),
        Optional.ofNullable(calls.scratch()).map(s -> new Adjoint.Scratch(s, calls.scratchSize())));
  }

  /** Array parameters some saved write changes: the reverse sweep restores them. */
  private List<Variable> restoredParameters() {
    Set<Variable> out = new java.util.LinkedHashSet<>();
    for (Stmt s : saved) {
      List<Variable> written = s instanceof Stmt.ArrayWrite w ? List.of(w.array())
          : callWrites.getOrDefault(s, List.of());
      written.stream().filter(v -> v.kind() == Variable.Kind.PARAMETER).forEach(out::add);
    }
    return method.parameters().stream().filter(out::contains).toList();
  }

  private void reset() {
    readSites.clear();
    forwardValues.clear();
    branchFlags.clear();
    tripCounters.clear();
    hoistedSynthetic.clear();
    state.reset();
  }

  // ---------------------------------------------------------------- survey

  /**
   * Numbers the statements, counts definitions, notes which happen in loops, and picks the
   * locals to hoist.
   */
  private void survey(List<Stmt> statements, List<Stmt.Loop> loops, boolean topLevel) {
    for (Stmt s : statements) {
      int loopDepth = loops.size();
      if (s instanceof Stmt.Declare d) {
        boolean nested = !topLevel || d.init().isEmpty();
        if (d.init().isPresent()) {
          define(d.variable(), loopDepth);
          if (nested) {
            assignments.put(s, d.variable());
          }
        } else {
          definitions.putIfAbsent(d.variable(), 0);
        }
        if (nested) {
          hoisted.add(d.variable());
        }
      } else if (s instanceof Stmt.Assign a) {
        define(a.variable(), loopDepth);
        assignments.put(s, a.variable());
      } else if (s instanceof Stmt.ArrayWrite w) {
        define(w.array(), loopDepth);
        assignments.put(s, w.array());
      } else if (s instanceof Stmt.Evaluate e && e.expression() instanceof Expr.Call c) {
        List<Variable> arrays = c.arrayArguments();
        arrays.forEach(v -> define(v, loopDepth));
        callWrites.put(s, arrays);
      } else if (s instanceof Stmt.If f) {
        survey(f.thenBlock().statements(), loops, false);
        survey(f.elseBlock().statements(), loops, false);
      } else if (s instanceof Block b) {
        survey(b.statements(), loops, false);
      } else if (s instanceof Stmt.Loop l) {
        Variable counter = CountedLoops.counter(l);
        if (counter != null) {
          regeneratedCounters.add(counter);
        } else {
          survey(l.init(), loops, false);
        }
        List<Stmt.Loop> inner = new ArrayList<>(loops);
        inner.add(l);
        survey(l.body().statements(), inner, false);
        if (counter == null) {
          survey(l.update(), inner, false);
        }
      }
    }
  }

  private void define(Variable v, int loopDepth) {
    definitions.merge(v, 1, Integer::sum);
    if (loopDepth > 0) {
      definedInLoop.add(v);
    }
  }

  /** Assigned once, outside loops: its value never changes after it is first set. */
  private boolean hasSingleDefinition(Variable v) {
    return v.kind() != Variable.Kind.PARAMETER
        && definitions.getOrDefault(v, 0) == 1
        && !definedInLoop.contains(v);
  }

  /** A variable of the method itself, as opposed to one the reverse sweep introduced. */
  private boolean isPrimal(Variable v) {
    return definitions.containsKey(v);
  }

  // ---------------------------------------------------------------- forward sweep

  private List<Stmt> forwardList(List<Stmt> statements, int depth) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : statements) {
      forward(s, depth, out);
    }
    return out;
  }

  private void forward(Stmt s, int depth, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      Expr init = d.init().isEmpty() ? null
          : recordCalls(d, d.variable(), d.init().get(), out);
      if (!hoisted.contains(d.variable())) {
        out.add(init == d.init().orElse(null) ? d
            : new Stmt.Declare(d.variable(), init, d.position()));
      } else if (init != null) {
        save(d, d.variable(), out);
        out.add(new Stmt.Assign(d.variable(), init, d.position()));
      }
    } else if (s instanceof Stmt.Assign a) {
      Expr value = recordCalls(a, a.variable(), a.value(), out);
      save(a, a.variable(), out);
      out.add(value == a.value() ? a : new Stmt.Assign(a.variable(), value, a.position()));
    } else if (s instanceof Stmt.ArrayWrite w) {
      Expr value = recordCalls(w, w.array(), w.value(), out);
      if (saved.contains(w)) {
        out.add(new Stmt.Push(state.tape(), Exprs.element(w.array(), w.indices())));
      }
      out.add(value == w.value() ? w
          : new Stmt.ArrayWrite(w.array(), w.indices(), value, w.position()));
    } else if (callWrites.containsKey(s)) {
      if (saved.contains(s)) {
        callWrites.get(s).forEach(v -> out.add(new Stmt.Push(state.tape(), local(v))));
      }
      out.add(s);
    } else if (s instanceof Stmt.If f) {
      List<Stmt> thenBlock = forwardList(f.thenBlock().statements(), depth);
      List<Stmt> elseBlock = forwardList(f.elseBlock().statements(), depth);
      Variable flag = branchFlags.get(f);
      if (branchFlags.containsKey(f) && flag != null) {
        out.add(new Stmt.Assign(flag, f.condition(), Position.NONE));
        out.add(new Stmt.If(local(flag), Block.of(thenBlock), Block.of(elseBlock)));
      } else if (branchFlags.containsKey(f)) {
        thenBlock.add(new Stmt.Push(state.tape(), Expr.Literal.ofBoolean(true)));
        elseBlock.add(new Stmt.Push(state.tape(), Expr.Literal.ofBoolean(false)));
        out.add(new Stmt.If(f.condition(), Block.of(thenBlock), Block.of(elseBlock)));
      } else {
        out.add(new Stmt.If(f.condition(), Block.of(thenBlock), Block.of(elseBlock)));
      }
    } else if (s instanceof Block b) {
      out.add(Block.of(forwardList(b.statements(), depth)));
    } else if (s instanceof Stmt.Loop l) {
      forwardLoop(l, depth, out);
    } else {
      out.add(s);
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
        : calls.record(recorded, value, computed, out);
  }

  private void forwardLoop(Stmt.Loop l, int depth, List<Stmt> out) {
    boolean counted = CountedLoops.counter(l) != null;
    List<Stmt> init = counted ? l.init() : forwardList(l.init(), depth);
    List<Stmt> body = forwardList(l.body().statements(), depth + 1);
    List<Stmt> update = counted ? l.update() : forwardList(l.update(), depth + 1);
    Variable counter = tripCounters.get(l);
    boolean counts = tripCounters.containsKey(l);
    if (counts && depth > 0) {
      out.add(new Stmt.Declare(counter, Expr.Literal.ofInt(0), Position.NONE));
    }
    if (counts) {
      body.add(new Stmt.Assign(counter,
          Exprs.binary(BinaryOp.ADD, local(counter), Expr.Literal.ofInt(1)), Position.NONE));
    }
    out.add(Stmt.Loop.unlabelled(init, l.condition(), update, Block.of(body), l.testFirst(),
        l.position()));
    if (counts && depth > 0) {
      out.add(new Stmt.Push(state.tape(), local(counter)));
    }
  }

  private void save(Stmt s, Variable v, List<Stmt> out) {
    if (saved.contains(s)) {
      out.add(new Stmt.Push(state.tape(), local(v)));
    }
  }

  // ---------------------------------------------------------------- reverse sweep

  private List<Stmt> reverseList(List<Stmt> statements, int depth) {
    List<Stmt> out = new ArrayList<>();
    for (int i = statements.size() - 1; i >= 0; i--) {
      reverse(statements.get(i), depth, out);
    }
    return out;
  }

  private void reverse(Stmt s, int depth, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      if (d.init().isPresent()) {
        int start = out.size();
        boolean reusedValue = reverseDefinition(s, d.variable(), d.init().get(),
            !hoisted.contains(d.variable()), out);
        noteReads(s, out.subList(start, out.size()), reusedValue ? d.variable() : null);
      }
    } else if (s instanceof Stmt.Assign a) {
      int start = out.size();
      boolean reusedValue = reverseDefinition(s, a.variable(), a.value(), false, out);
      noteReads(s, out.subList(start, out.size()), reusedValue ? a.variable() : null);
    } else if (s instanceof Stmt.ArrayWrite w) {
      int start = out.size();
      reverseElementWrite(w, out);
      noteReads(s, out.subList(start, out.size()), null);
    } else if (callWrites.containsKey(s)) {
      int start = out.size();
      reverseHelperCall(s, (Expr.Call) ((Stmt.Evaluate) s).expression(), out);
      noteReads(s, out.subList(start, out.size()), null);
    } else if (s instanceof Stmt.If f) {
      reverseIf(f, depth, out);
    } else if (s instanceof Block b) {
      out.addAll(reverseList(b.statements(), depth));
    } else if (s instanceof Stmt.Loop l) {
      reverseLoop(l, depth, out);
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
    boolean reuse = hasSingleDefinition(v) && !saved.contains(s) && !activeCall;
    // Before v is restored it holds this statement's result, when every write of v restores
    // what it overwrote: keep it, rather than recomputing the function for its derivative.
    Variable result = null;
    if (!reuse && saved.contains(s) && value instanceof Expr.IntrinsicCall
        && activity.isActive(v) && !Exprs.variables(value).contains(v) && everyWriteSaved(v)) {
      result = new Variable(v.name() + "Result", v.type(), Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(result, local(v), Position.NONE));
    }
    if (saved.contains(s)) {
      out.add(new Stmt.Assign(v, new Expr.TapePop(state.useTape(), v.type()), Position.NONE));
    }
    if (!activity.isActive(v)) {
      return false;
    }
    Variable bar = state.adjoint(v);
    ExpressionAdjoint expression = newExpressionAdjoint(s, out);
    int borrowed = calls.restore(calls.in(value), expression, out);
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
    release(borrowed, out);
    return reuse || result != null;
  }

  /**
   * The writer of {@code s}'s reverse code. A statement of the body's top level runs once, so
   * the values of its expression that the reverse code needs are computed by the forward sweep
   * beside it (and kept, in a pullback's recording) instead of again in the reverse sweep.
   */
  private ExpressionAdjoint newExpressionAdjoint(Stmt s, List<Stmt> out) {
    ExpressionAdjoint expression = new ExpressionAdjoint(state, out);
    if (runsOnce.contains(s)) {
      List<Stmt> declarations = new ArrayList<>();
      expression.computeValuesForward(declarations, this::isPrimal);
      forwardValues.put(s, new ForwardValues(declarations, expression.forwardValues()));
    }
    return expression;
  }

  /** Declares {@code s}'s forward-computed values; returns what they replace in it. */
  private Map<Expr, Expr> computeForward(Stmt s, List<Stmt> out) {
    ForwardValues f = forwardValues.get(s);
    if (f == null) {
      return Map.of();
    }
    out.addAll(f.declarations());
    return f.replacing();
  }

  /** Gives back the arrays a statement's reverse code borrowed for recorded partials. */
  private void release(int borrowed, List<Stmt> out) {
    if (borrowed > 0) {
      out.add(new Stmt.Release(state.useTape(), borrowed));
    }
  }

  /** Whether every statement writing {@code v} saves the value it overwrites. */
  private boolean everyWriteSaved(Variable v) {
    for (Map.Entry<Stmt, Variable> e : assignments.entrySet()) {
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
    Set<Variable> read = reads(reverseCode);
    read.removeIf(v -> !isPrimal(v) || v == ownResult);
    if (!read.isEmpty()) {
      readSites.add(new ReadSite(origin, read));
    }
  }

  /**
   * The reverse of a void helper's call: restore the arrays it wrote, then run its adjoint on
   * copies of them (it recomputes its writes), with the arrays' adjoints as its seed.
   */
  private void reverseHelperCall(Stmt s, Expr.Call c, List<Stmt> out) {
    List<Variable> written = callWrites.get(s);
    if (saved.contains(s)) {
      Variable tape = state.useTape();
      for (int i = written.size() - 1; i >= 0; i--) {
        out.add(new Stmt.RestoreArray(tape, written.get(i)));
      }
    }
    if (written.stream().anyMatch(activity::isActive)) {
      new ExpressionAdjoint(state, out).seededCall(c, null);
    }
  }

  /** The reverse of {@code a[i] = value}: restore the element, then propagate its adjoint. */
  private void reverseElementWrite(Stmt.ArrayWrite w, List<Stmt> out) {
    Expr element = Exprs.element(w.array(), w.indices());
    if (saved.contains(w)) {
      out.add(new Stmt.ArrayWrite(w.array(), w.indices(),
          new Expr.TapePop(state.useTape(), element.type()), Position.NONE));
    }
    if (!activity.isActive(w.array())) {
      return;
    }
    Variable bar = state.adjoint(w.array());
    Expr barElement = Exprs.element(bar, w.indices());
    ExpressionAdjoint expression = newExpressionAdjoint(w, out);
    int borrowed = calls.restore(calls.in(w.value()), expression, out);
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
    release(borrowed, out);
  }

  /**
   * Before the reverse of a definition of a retained local, its adjoint is the derivative with
   * respect to the value that definition produced; the first such moment (the last definition
   * executed) gives the derivative with respect to the final value.
   */
  private void captureRetained(Variable v, List<Stmt> out) {
    Variable captured = retainedAdjoints.get(v);
    if (captured == null || !activity.isActive(v)) {
      return;
    }
    Stmt capture = new Stmt.Assign(captured, local(state.adjoint(v)), Position.NONE);
    Variable flag = retainedCaptured.get(v);
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
      noteReads(f, List.of(new Stmt.Evaluate(condition)), null);
    } else if (depth == 0) {
      Variable flag = new Variable("branch", Type.BOOLEAN, Variable.Kind.SYNTHETIC);
      hoistedSynthetic.add(flag);
      branchFlags.put(f, flag);
      condition = local(flag);
    } else {
      branchFlags.put(f, null);
      condition = new Expr.TapePop(state.useTape(), Type.BOOLEAN);
    }
    out.add(new Stmt.If(condition, Block.of(thenBlock), Block.of(elseBlock)));
  }

  private void reverseLoop(Stmt.Loop l, int depth, List<Stmt> out) {
    Variable counter = CountedLoops.counter(l);
    List<Stmt> body = new ArrayList<>();
    if (counter == null) {
      body.addAll(reverseList(l.update(), depth + 1));
    }
    body.addAll(reverseList(l.body().statements(), depth + 1));
    if (!body.isEmpty()) {
      if (counter != null) {
        Stmt loop = CountedLoops.reversed(l, counter, body);
        Set<Variable> bounds = CountedLoops.boundVariables(l);
        bounds.removeIf(v -> !isPrimal(v));
        readSites.add(new ReadSite(l, bounds));
        out.add(loop);
      } else {
        out.add(countedBackwards(l, depth, body));
      }
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

  private static Expr neutral(Type type) {
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

  // ---------------------------------------------------------------- reads

  /** Every variable the statements read (assignment targets are writes, not reads). */
  private static Set<Variable> reads(List<Stmt> statements) {
    Set<Variable> out = new HashSet<>();
    for (Stmt s : statements) {
      collectReads(s, out);
    }
    return out;
  }

  private static void collectReads(Stmt s, Set<Variable> out) {
    if (s instanceof Stmt.Assign a) {
      out.addAll(variablesBesideLengths(a.value()));
    } else if (s instanceof Stmt.Declare d && d.init().isPresent()) {
      out.addAll(variablesBesideLengths(d.init().get()));
    } else if (s instanceof Stmt.If f) {
      out.addAll(variablesBesideLengths(f.condition()));
    } else if (s instanceof Stmt.Loop l) {
      out.addAll(variablesBesideLengths(l.condition()));
    } else if (s instanceof Stmt.Evaluate e) {
      out.addAll(variablesBesideLengths(e.expression()));
    } else if (s instanceof Stmt.ElementAssign e) {
      out.addAll(variablesBesideLengths(e.value()));
    } else if (s instanceof Stmt.ArrayWrite w) {
      w.indices().forEach(i -> out.addAll(variablesBesideLengths(i)));
      out.addAll(variablesBesideLengths(w.value()));
    }
    for (Stmt child : Statements.children(s)) {
      collectReads(child, out);
    }
  }
}
