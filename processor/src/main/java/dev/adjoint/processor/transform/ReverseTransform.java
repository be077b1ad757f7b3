package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.local;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class ReverseTransform {
  private final MethodIr method;
  private final Activity activity;
  private final Map<Variable, Variable> adjointOf = new LinkedHashMap<>();
  private final Map<Variable, Integer> definitions = new HashMap<>();
  private final Set<Variable> definedInLoop = new HashSet<>();
  /** Locals declared in nested blocks: the reverse sweep, outside those blocks, reads them. */
  private final Set<Variable> hoisted = new java.util.LinkedHashSet<>();
  /** Branch flags and trip counters outside loops (per build). */
  private final Set<Variable> hoistedSynthetic = new java.util.LinkedHashSet<>();
  private final Set<Variable> regeneratedCounters = new HashSet<>();
  private final Variable seed = new Variable("seed", Type.DOUBLE, Variable.Kind.SYNTHETIC);
  private final Variable tape = new Variable("tape", null, Variable.Kind.SYNTHETIC);
  private final Variable scratch = new Variable("callAdjoints", null, Variable.Kind.SYNTHETIC);
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

  private record ReadSite(Stmt origin, Set<Variable> variables) {}
  /** Per-build state. */
  private final Map<Stmt.If, Variable> branchFlags = new IdentityHashMap<>();
  private final Map<Stmt.Loop, Variable> tripCounters = new IdentityHashMap<>();
  private boolean usesTape;
  private int scratchSize;

  private ReverseTransform(MethodIr method, Activity activity) {
    this.method = method;
    this.activity = activity;
  }

  public static Adjoint transform(MethodIr lowered, Activity activity) {
    return new ReverseTransform(lowered, activity).run();
  }

  private Adjoint run() {
    for (Variable p : method.parameters()) {
      definitions.put(p, 1);
    }
    survey(method.body().statements(), new ArrayList<>(), true);
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
      Set<Stmt> needed = toBeRecorded();
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
        Collections.unmodifiableMap(adjointOf), seed, usesTape ? tape : null,
        scratchSize > 0 ? scratch : null, scratchSize,
        Collections.unmodifiableMap(retainedAdjoints), null, restoredParameters());
  }

  /**
   * To-be-recorded analysis. The reverse sweep reads some primal values at each statement
   * (the read sites of the last build). An assignment must save the value it overwrites when
   * that value can still be read by the reverse code of an earlier statement: when a read of
   * the variable is exposed at the assignment, i.e. reachable from a read site without another
   * write in between. A forward dataflow over the structured code computes exactly that; loops
   * run to a fixed point. An array element write kills nothing (other elements stay exposed).
   */
  private Set<Stmt> toBeRecorded() {
    Map<Stmt, Set<Variable>> readsAt = new IdentityHashMap<>();
    for (ReadSite site : readSites) {
      readsAt.computeIfAbsent(site.origin(), k -> new HashSet<>()).addAll(site.variables());
    }
    Set<Stmt> needed = Collections.newSetFromMap(new IdentityHashMap<>());
    exposedAfter(method.body().statements(), new HashSet<>(), readsAt, needed);
    return needed;
  }

  private Set<Variable> exposedAfter(List<Stmt> statements, Set<Variable> exposed,
      Map<Stmt, Set<Variable>> readsAt, Set<Stmt> needed) {
    Set<Variable> current = new HashSet<>(exposed);
    for (Stmt s : statements) {
      current = exposedAfter(s, current, readsAt, needed);
    }
    return current;
  }

  private Set<Variable> exposedAfter(Stmt s, Set<Variable> in,
      Map<Stmt, Set<Variable>> readsAt, Set<Stmt> needed) {
    Set<Variable> out = new HashSet<>(in);
    out.addAll(readsAt.getOrDefault(s, Set.of()));
    if (s instanceof Stmt.If f) {
      Set<Variable> whenTrue = exposedAfter(f.thenBlock().statements(), out, readsAt, needed);
      out = exposedAfter(f.elseBlock().statements(), out, readsAt, needed);
      out.addAll(whenTrue);
    } else if (s instanceof Block b) {
      out = exposedAfter(b.statements(), out, readsAt, needed);
    } else if (s instanceof Stmt.Loop l) {
      out = exposedAfter(l.init(), out, readsAt, needed);
      // The body runs zero or more times: iterate until the entry state stops growing.
      Set<Variable> entry = new HashSet<>(out);
      while (true) {
        Set<Variable> after = exposedAfter(l.body().statements(), entry, readsAt, needed);
        after = exposedAfter(l.update(), after, readsAt, needed);
        after.addAll(entry);
        if (after.equals(entry)) {
          break;
        }
        entry = after;
      }
      out = entry;
    } else if (callWrites.containsKey(s)) {
      if (callWrites.get(s).stream().anyMatch(out::contains)) {
        needed.add(s);
      }
    } else if (assignments.containsKey(s)) {
      Variable v = assignments.get(s);
      if (out.contains(v)) {
        needed.add(s);
      }
      if (!(s instanceof Stmt.ArrayWrite)) {
        out.remove(v);
      }
    }
    return out;
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
    branchFlags.clear();
    tripCounters.clear();
    hoistedSynthetic.clear();
    usesTape = false;
    scratchSize = 0;
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
        boolean nested = !topLevel || d.init() == null;
        if (d.init() != null) {
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
        List<Variable> arrays = arrayArguments(c);
        arrays.forEach(v -> define(v, loopDepth));
        callWrites.put(s, arrays);
      } else if (s instanceof Stmt.If f) {
        survey(f.thenBlock().statements(), loops, false);
        survey(f.elseBlock().statements(), loops, false);
      } else if (s instanceof Block b) {
        survey(b.statements(), loops, false);
      } else if (s instanceof Stmt.Loop l) {
        Variable counter = countedLoopCounter(l);
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

  private static List<Variable> arrayArguments(Expr.Call c) {
    return c.arguments().stream().filter(a -> a instanceof Expr.Local && a.type().isArray())
        .map(a -> ((Expr.Local) a).variable()).toList();
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

  // ---------------------------------------------------------------- counted loops

  /**
   * The counter of a loop {@code for (int i = a; i < b; i++)} (or with {@code <=}, {@code >},
   * {@code >=}, {@code --}) whose body writes neither i nor anything a and b read: its reverse
   * can count back from b without recording anything. Null for any other loop.
   */
  private static Variable countedLoopCounter(Stmt.Loop l) {
    if (!l.testFirst() || l.init().size() != 1 || l.update().size() != 1
        || !(l.init().get(0) instanceof Stmt.Declare d) || d.init() == null
        || (d.variable().type() != Type.INT && d.variable().type() != Type.LONG)
        || !(l.condition() instanceof Binary c) || !c.op().isComparison()
        || c.op() == BinaryOp.EQUAL || c.op() == BinaryOp.NOT_EQUAL
        || !(c.left() instanceof Expr.Local cl) || cl.variable() != d.variable()
        || stepOf(l.update().get(0), d.variable()) == 0) {
      return null;
    }
    int step = stepOf(l.update().get(0), d.variable());
    boolean ascending = c.op() == BinaryOp.LESS || c.op() == BinaryOp.LESS_EQUAL;
    if (ascending != (step > 0)) {
      return null;
    }
    Set<Variable> written = Statements.assigned(l.body().statements());
    Set<Variable> bounds = variablesBesideLengths(d.init());
    bounds.addAll(variablesBesideLengths(c.right()));
    bounds.add(d.variable());
    for (Variable v : bounds) {
      if (written.contains(v)) {
        return null;
      }
    }
    return d.variable();
  }

  /**
   * Variables an expression reads, except arrays read only for their length: arrays are never
   * replaced, so their lengths are constants.
   */
  private static Set<Variable> variablesBesideLengths(Expr e) {
    if (e instanceof Expr.ArrayLength l && l.array() instanceof Expr.Local) {
      return new HashSet<>();
    }
    if (e instanceof Expr.Local l) {
      return new HashSet<>(Set.of(l.variable()));
    }
    Set<Variable> out = new HashSet<>();
    for (Expr child : Exprs.children(e)) {
      out.addAll(variablesBesideLengths(child));
    }
    return out;
  }

  /** +1 for {@code i = i + 1}, -1 for {@code i = i - 1}, else 0. */
  private static int stepOf(Stmt update, Variable counter) {
    if (update instanceof Stmt.Assign a && a.variable() == counter
        && a.value() instanceof Binary b && b.left() instanceof Expr.Local l
        && l.variable() == counter && b.right() instanceof Expr.Literal lit
        && lit.isOne()) {
      return b.op() == BinaryOp.ADD ? 1 : b.op() == BinaryOp.SUBTRACT ? -1 : 0;
    }
    return 0;
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
      if (!hoisted.contains(d.variable())) {
        out.add(d);
      } else if (d.init() != null) {
        save(d, d.variable(), out);
        out.add(new Stmt.Assign(d.variable(), d.init(), d.position()));
      }
    } else if (s instanceof Stmt.Assign a) {
      save(a, a.variable(), out);
      out.add(a);
    } else if (s instanceof Stmt.ArrayWrite w) {
      if (saved.contains(w)) {
        out.add(new Stmt.Push(tape, Exprs.element(w.array(), w.indices())));
      }
      out.add(w);
    } else if (callWrites.containsKey(s)) {
      if (saved.contains(s)) {
        callWrites.get(s).forEach(v -> out.add(new Stmt.Push(tape, local(v))));
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
        thenBlock.add(new Stmt.Push(tape, Expr.Literal.ofBoolean(true)));
        elseBlock.add(new Stmt.Push(tape, Expr.Literal.ofBoolean(false)));
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

  private void forwardLoop(Stmt.Loop l, int depth, List<Stmt> out) {
    boolean counted = countedLoopCounter(l) != null;
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
    out.add(new Stmt.Loop(null, init, l.condition(), update, Block.of(body), l.testFirst(),
        l.position()));
    if (counts && depth > 0) {
      out.add(new Stmt.Push(tape, local(counter)));
    }
  }

  private void save(Stmt s, Variable v, List<Stmt> out) {
    if (saved.contains(s)) {
      out.add(new Stmt.Push(tape, local(v)));
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
      if (d.init() != null) {
        int start = out.size();
        boolean reusedValue =
            reverseDefinition(s, d.variable(), d.init(), !hoisted.contains(d.variable()), out);
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
    if (saved.contains(s)) {
      usesTape = true;
      out.add(new Stmt.Assign(v, new Expr.TapePop(tape, v.type()), Position.NONE));
    }
    if (!activity.isActive(v)) {
      return false;
    }
    Variable bar = adjoint(v);
    ExpressionAdjoint expression = new ExpressionAdjoint(out);
    boolean activeCall = value instanceof Expr.Call c && activity.isActive(c);
    boolean reuse = hasSingleDefinition(v) && !saved.contains(s) && !activeCall;
    if (reuse) {
      expression.knownValue(value, local(v));
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
    return reuse;
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
      usesTape = true;
      for (int i = written.size() - 1; i >= 0; i--) {
        out.add(new Stmt.RestoreArray(tape, written.get(i)));
      }
    }
    if (written.stream().anyMatch(activity::isActive)) {
      new ExpressionAdjoint(out).seededCall(c, null);
    }
  }

  /** The reverse of {@code a[i] = value}: restore the element, then propagate its adjoint. */
  private void reverseElementWrite(Stmt.ArrayWrite w, List<Stmt> out) {
    Expr element = Exprs.element(w.array(), w.indices());
    if (saved.contains(w)) {
      usesTape = true;
      out.add(new Stmt.ArrayWrite(w.array(), w.indices(),
          new Expr.TapePop(tape, element.type()), Position.NONE));
    }
    if (!activity.isActive(w.array())) {
      return;
    }
    Variable bar = adjoint(w.array());
    Expr barElement = Exprs.element(bar, w.indices());
    ExpressionAdjoint expression = new ExpressionAdjoint(out);
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
    Stmt capture = new Stmt.Assign(captured, local(adjoint(v)), Position.NONE);
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
      usesTape = true;
      branchFlags.put(f, null);
      condition = new Expr.TapePop(tape, Type.BOOLEAN);
    }
    out.add(new Stmt.If(condition, Block.of(thenBlock), Block.of(elseBlock)));
  }

  private void reverseLoop(Stmt.Loop l, int depth, List<Stmt> out) {
    Variable counter = countedLoopCounter(l);
    List<Stmt> body = new ArrayList<>();
    if (counter == null) {
      body.addAll(reverseList(l.update(), depth + 1));
    }
    body.addAll(reverseList(l.body().statements(), depth + 1));
    if (!body.isEmpty()) {
      if (counter != null) {
        Stmt loop = countedReverse(l, counter, body);
        Set<Variable> bounds = variablesBesideLengths(((Stmt.Declare) l.init().get(0)).init());
        bounds.addAll(variablesBesideLengths(((Binary) l.condition()).right()));
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

  /** {@code for (int i = a; i < b; i++)} runs backwards as {@code for (i = b - 1; i >= a; i--)}. */
  private static Stmt countedReverse(Stmt.Loop l, Variable counter, List<Stmt> body) {
    Expr start = ((Stmt.Declare) l.init().get(0)).init();
    Binary c = (Binary) l.condition();
    Expr bound = c.right();
    Expr one = new Expr.Literal(counter.type(), counter.type() == Type.LONG ? (Object) 1L : 1);
    Expr last;
    BinaryOp keepGoing;
    int step;
    switch (c.op()) {
      case LESS -> {
        last = Exprs.binary(BinaryOp.SUBTRACT, bound, one);
        keepGoing = BinaryOp.GREATER_EQUAL;
        step = -1;
      }
      case LESS_EQUAL -> {
        last = bound;
        keepGoing = BinaryOp.GREATER_EQUAL;
        step = -1;
      }
      case GREATER -> {
        last = Exprs.binary(BinaryOp.ADD, bound, one);
        keepGoing = BinaryOp.LESS_EQUAL;
        step = 1;
      }
      default -> {
        last = bound;
        keepGoing = BinaryOp.LESS_EQUAL;
        step = 1;
      }
    }
    Stmt init = new Stmt.Declare(counter, last, Position.NONE);
    Expr condition = Exprs.binary(keepGoing, local(counter), start);
    Stmt update = new Stmt.Assign(counter,
        Exprs.binary(step > 0 ? BinaryOp.ADD : BinaryOp.SUBTRACT, local(counter), one),
        Position.NONE);
    return new Stmt.Loop(null, List.of(init), condition, List.of(update), Block.of(body), true,
        Position.NONE);
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
      usesTape = true;
      start = new Expr.TapePop(tape, Type.INT);
    }
    Variable remaining = new Variable("iteration", Type.INT, Variable.Kind.SYNTHETIC);
    return new Stmt.Loop(null, List.of(new Stmt.Declare(remaining, start, Position.NONE)),
        Exprs.binary(BinaryOp.GREATER, local(remaining), Expr.Literal.ofInt(0)),
        List.of(new Stmt.Assign(remaining,
            Exprs.binary(BinaryOp.SUBTRACT, local(remaining), Expr.Literal.ofInt(1)),
            Position.NONE)),
        Block.of(body), true, Position.NONE);
  }

  private Variable adjoint(Variable v) {
    return adjointOf.computeIfAbsent(v, k -> new Variable(k.name() + "Bar",
        k.type().isArray() ? k.type() : Type.DOUBLE, Variable.Kind.SYNTHETIC));
  }

  private static Expr neutral(Type type) {
    if (type.isArray()) {
      return new Expr.Literal(type, null);
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
    } else if (s instanceof Stmt.Declare d && d.init() != null) {
      out.addAll(variablesBesideLengths(d.init()));
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

  // ---------------------------------------------------------------- expressions

  /**
   * Writes the adjoint code of one expression: partials of each node times the incoming
   * adjoint, accumulated into the adjoints of the variables at the leaves.
   */
  private final class ExpressionAdjoint {
    private final List<Stmt> out;
    private final Map<Expr, Expr> values = new IdentityHashMap<>();
    private final Map<Expr.Call, List<Expr>> callPartials = new IdentityHashMap<>();

    ExpressionAdjoint(List<Stmt> out) {
      this.out = out;
    }

    /** The whole expression's value is already in a variable: reuse it. */
    void knownValue(Expr e, Expr value) {
      values.put(e, value);
    }

    Variable temporary(String name, Type type, Expr value) {
      Variable t = new Variable(name, type, Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(t, value, Position.NONE));
      return t;
    }

    /** A cheap reference to {@code e}'s value, computing it once into a local if needed. */
    Expr value(Expr e) {
      if (Exprs.isAtom(e)) {
        return e;
      }
      Expr known = values.get(e);
      if (known != null) {
        return known;
      }
      if (e instanceof Expr.Call c && activity.isActive(c)
          && !c.callee().takesDifferentiableArrays()) {
        Expr v = activeCallValue(c);
        values.put(e, v);
        return v;
      }
      Expr rebuilt = Exprs.mapChildren(e, c -> values.getOrDefault(c, c));
      Expr v = local(temporary("t", e.type(), rebuilt));
      values.put(e, v);
      return v;
    }

    /** Adds {@code g} times the derivative of {@code e} into the adjoints of its variables. */
    void propagate(Expr e, Expr g) {
      if (!activity.isActive(e)) {
        return;
      }
      if (e instanceof Expr.Local l) {
        Variable bar = adjoint(l.variable());
        out.add(new Stmt.Assign(bar, add(local(bar), g), Position.NONE));
        return;
      }
      if (e instanceof Expr.ArrayRead r) {
        List<Expr> indices = new ArrayList<>();
        Expr base = r;
        while (base instanceof Expr.ArrayRead inner) {
          indices.add(0, inner.index());
          base = inner.array();
        }
        Variable bar = adjoint(((Expr.Local) base).variable());
        out.add(new Stmt.ArrayWrite(bar, indices,
            add(Exprs.element(bar, indices), g), Position.NONE));
        return;
      }
      if (e instanceof Expr.NewArray n) {
        for (int k = 0; k < n.elements().size(); k++) {
          propagate(n.elements().get(k), new Expr.ArrayRead(g, Expr.Literal.ofInt(k),
              g.type().element()));
        }
        return;
      }
      if (!Exprs.isAtom(g)) {
        g = local(temporary("g", Type.DOUBLE, g));
      }
      if (e instanceof Expr.Cast c) {
        propagate(c.operand(), g);
      } else if (e instanceof Expr.Unary u) {
        propagate(u.operand(), u.op() == Expr.UnaryOp.NEGATE ? neg(g) : g);
      } else if (e instanceof Binary b) {
        binary(b, g);
      } else if (e instanceof Expr.Conditional c) {
        List<Stmt> whenTrue = new ArrayList<>();
        List<Stmt> whenFalse = new ArrayList<>();
        Expr condition = c.condition();
        new ExpressionAdjoint(whenTrue).propagate(c.whenTrue(), g);
        new ExpressionAdjoint(whenFalse).propagate(c.whenFalse(), g);
        out.add(new Stmt.If(condition, Block.of(whenTrue), Block.of(whenFalse)));
      } else if (e instanceof Expr.IntrinsicCall c) {
        intrinsic(c, g);
      } else if (e instanceof Expr.Call c) {
        call(c, g);
      }
    }

    private void binary(Binary b, Expr g) {
      Expr l = b.left();
      Expr r = b.right();
      switch (b.op()) {
        case ADD -> {
          propagate(l, g);
          propagate(r, g);
        }
        case SUBTRACT -> {
          propagate(l, g);
          propagate(r, neg(g));
        }
        case MULTIPLY -> {
          if (activity.isActive(l)) {
            propagate(l, mul(g, value(r)));
          }
          if (activity.isActive(r)) {
            propagate(r, mul(g, value(l)));
          }
        }
        case DIVIDE -> {
          Expr denominator = value(r);
          if (activity.isActive(l)) {
            propagate(l, div(g, denominator));
          }
          if (activity.isActive(r)) {
            propagate(r, neg(div(mul(g, value(l)), mul(denominator, denominator))));
          }
        }
        case REMAINDER -> {
          // a % b = a - q b with q = trunc(a / b), constant where a % b is differentiable.
          propagate(l, g);
          if (activity.isActive(r)) {
            Expr quotient = div(sub(value(l), value(b)), value(r));
            propagate(r, neg(mul(g, quotient)));
          }
        }
        default -> {}
      }
    }

    private void intrinsic(Expr.IntrinsicCall c, Expr g) {
      List<Expr> args = c.arguments().stream().map(this::value).toList();
      Variable resultPlaceholder = new Variable("r", c.type(), Variable.Kind.SYNTHETIC);
      List<Expr> partials = c.intrinsic().rule().partials(args, local(resultPlaceholder));
      Expr result = null;
      for (int i = 0; i < args.size(); i++) {
        Expr arg = c.arguments().get(i);
        if (!activity.isActive(arg)) {
          continue;
        }
        Expr partial = partials.get(i);
        if (Exprs.isZero(partial)) {
          continue;
        }
        if (Exprs.variables(partial).contains(resultPlaceholder)) {
          if (result == null) {
            result = values.get(c);
          }
          if (result == null) {
            result = local(temporary("t", c.type(), new Expr.IntrinsicCall(c.intrinsic(), args,
                c.type(), c.strict(), c.position())));
            values.put(c, result);
          }
          partial = Exprs.substitute(partial, resultPlaceholder, result);
        }
        propagate(arg, mul(g, partial));
      }
    }

    private void call(Expr.Call c, Expr g) {
      if (c.callee().takesDifferentiableArrays()) {
        seededCall(c, g);
        return;
      }
      if (!callPartials.containsKey(c)) {
        values.put(c, activeCallValue(c));
      }
      List<Expr> partials = callPartials.get(c);
      for (int i = 0; i < partials.size(); i++) {
        if (partials.get(i) != null) {
          propagate(c.arguments().get(i), mul(g, partials.get(i)));
        }
      }
    }

    /**
     * A callee with array parameters adds its array partials straight into the caller's
     * adjoint arrays, so it is called once with the final seed {@code g}.
     */
    private void seededCall(Expr.Call c, Expr g) {
      // A void helper writes its array arguments: it gets copies, the caller's stay restored.
      List<Expr> args = c.arguments().stream()
          .map(a -> c.type() == Type.VOID && a.type().isArray() ? new Expr.ArrayCopy(a)
              : value(a))
          .toList();
      int arity = c.callee().differentiableArity();
      scratchSize = Math.max(scratchSize, arity);
      for (int j = 0; j < arity; j++) {
        out.add(new Stmt.ElementAssign(scratch, j, Exprs.lit(0), false));
      }
      List<Expr> arrayAdjoints = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        Type t = c.callee().parameterTypes().get(i);
        if (t.isArray() && c.callee().differentiates(i)) {
          Expr arg = c.arguments().get(i);
          arrayAdjoints.add(activity.isActive(arg) ? adjointArray(arg) : new Expr.Literal(t,
              null));
        }
      }
      usesTape = true;
      out.add(new Stmt.Evaluate(new Expr.AdjointCall(c.callee(), args, g,
          arity > 0 ? scratch : null, arrayAdjoints, tape)));
      List<Expr> pending = new ArrayList<>();
      List<Expr> pendingAdjoints = new ArrayList<>();
      int j = 0;
      for (int i = 0; i < args.size(); i++) {
        if (!c.callee().parameterTypes().get(i).isFloating() || !c.callee().differentiates(i)) {
          continue;
        }
        Expr arg = c.arguments().get(i);
        if (activity.isActive(arg)) {
          pending.add(arg);
          pendingAdjoints.add(local(temporary("d" + ControlFlowLowering.capitalize(
              c.callee().name()), Type.DOUBLE, new Expr.Element(scratch, j))));
        }
        j++;
      }
      for (int i = 0; i < pending.size(); i++) {
        propagate(pending.get(i), pendingAdjoints.get(i));
      }
    }

    /** The adjoint of an array argument: {@code aBar} for {@code a}, {@code wBar[r]} for a row. */
    private Expr adjointArray(Expr array) {
      if (array instanceof Expr.Local l) {
        return local(adjoint(l.variable()));
      }
      Expr.ArrayRead row = (Expr.ArrayRead) array;
      return new Expr.ArrayRead(adjointArray(row.array()), row.index(), row.type());
    }

    /**
     * An active call's value comes from the callee's adjoint with seed 1, which also leaves
     * its partial derivatives in the scratch array: they are copied out at once (the next
     * call reuses the array), and the call is then differentiated like an intrinsic.
     */
    private Expr activeCallValue(Expr.Call c) {
      List<Expr> args = c.arguments().stream().map(this::value).toList();
      int arity = c.callee().differentiableArity();
      scratchSize = Math.max(scratchSize, arity);
      for (int j = 0; j < arity; j++) {
        out.add(new Stmt.ElementAssign(scratch, j, Exprs.lit(0), false));
      }
      usesTape = true;
      Variable value = temporary(c.callee().name(), c.type(),
          new Expr.AdjointCall(c.callee(), args, Exprs.lit(1), scratch, List.of(), tape));
      List<Expr> partials = new ArrayList<>();
      int j = 0;
      for (int i = 0; i < args.size(); i++) {
        if (!c.callee().parameterTypes().get(i).isFloating() || !c.callee().differentiates(i)) {
          partials.add(null);
          continue;
        }
        partials.add(activity.isActive(c.arguments().get(i))
            ? local(temporary("d" + ControlFlowLowering.capitalize(c.callee().name()),
                Type.DOUBLE, new Expr.Element(scratch, j)))
            : null);
        j++;
      }
      callPartials.put(c, partials);
      return local(value);
    }
  }
}
