package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Two facts that let the reverse sweep restore less, both exact:
 *
 * <ul>
 *   <li><b>Integer steps are undone, not recorded.</b> {@code i = i + c} (and {@code i - c},
 *       {@code i++}, {@code i += c}) on an {@code int} or {@code long} with a literal step is
 *       undone by {@code i = i - c}: integer addition wraps around exactly, so the old value
 *       comes back bit for bit, where a push and a pop would have kept it on the tape. An index
 *       walked through a packed array ({@code L[li] ...; li++;}) then costs nothing to restore.
 *       The undo reads the variable's value after the step, which {@link ToBeRecorded} keeps
 *       exposed.
 *   <li><b>Loops that overwrite a whole array hide its earlier values.</b> A counted loop {@code
 *       for (int i = 0; i < n; i++)} whose body writes {@code a[i]} on every iteration, where
 *       {@code a} is a local declared once as {@code new T[n]} (or the bound is {@code
 *       a.length}), leaves no element of {@code a} as it was: reads of {@code a} from before the
 *       loop are not exposed after it. A scratch array refilled for every point, and then
 *       accumulated into ({@code a[j] += e}), therefore records only the refill, not every
 *       increment: {@code a[j] += e} reads no old value of its own in the reverse sweep.
 *   <li><b>Cheap refills are recomputed, not recorded.</b> When such a loop {@code L} sits in the
 *       body of a loop {@code O}, is the only writer of its array, computes each element from
 *       values that {@code O} never changes (inputs, loop counters) at a cost no higher than a
 *       push and a pop ({@link RecomputeCost}), and every read of the array follows {@code L}
 *       in {@code O}'s body, then the reverse sweep runs a copy of {@code L} at the start of each
 *       reverse iteration of {@code O}, which puts back exactly the values that iteration's
 *       reverse code reads; {@code L} then records nothing ({@code xcentered[j] = x[...] -
 *       means[...]} for every point and component). This is per-iteration recomputation of one
 *       loop's forward part, chosen per overwritten array by the cost model.
 * </ul>
 */
final class Reversible {
  private Reversible() {}

  /**
   * For {@code i = i + c} or {@code i = i - c} on an {@code int} or {@code long} {@code i} and
   * an integer literal {@code c}: the statement that undoes it, {@code i = i - c} or {@code i =
   * i + c}. Empty for any other statement.
   */
  static Optional<Stmt.Assign> undoStep(Stmt s) {
    if (!(s instanceof Stmt.Assign a)) {
      return Optional.empty();
    }
    Variable v = a.variable();
    if (v.type() != Type.INT && v.type() != Type.LONG) {
      return Optional.empty();
    }
    Expr value = a.value() instanceof Expr.Cast c && c.type() == v.type() ? c.operand()
        : a.value();
    if (value instanceof Binary b
        && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUBTRACT)
        && b.type() == v.type()
        && b.left() instanceof Expr.Local l && l.variable() == v
        && b.right() instanceof Expr.Literal step
        && (step.type() == Type.INT || step.type() == Type.LONG)) {
      BinaryOp inverse = b.op() == BinaryOp.ADD ? BinaryOp.SUBTRACT : BinaryOp.ADD;
      return Optional.of(new Stmt.Assign(v, Exprs.binary(inverse, local(v), step),
          a.position()));
    }
    return Optional.empty();
  }

  /**
   * The counted loops of {@code method} that overwrite every element of a one-dimensional local
   * array, with those arrays.
   */
  static Map<Stmt.Loop, Set<Variable>> filledArrays(MethodIr method, Survey survey) {
    Map<Variable, Expr> sizes = onceAllocated(method, survey);
    Map<Stmt.Loop, Set<Variable>> out = new IdentityHashMap<>();
    List<Stmt> pending = new ArrayList<>(method.body().statements());
    while (!pending.isEmpty()) {
      Stmt s = pending.remove(pending.size() - 1);
      pending.addAll(Statements.children(s));
      if (s instanceof Stmt.Loop l) {
        Set<Variable> filled = filledBy(l, survey, sizes);
        if (!filled.isEmpty()) {
          out.put(l, filled);
        }
      }
    }
    return out;
  }

  /**
   * The refill loops recomputed at the start of each reverse iteration of the loop whose body
   * holds them, keyed by that loop (see the class comment).
   */
  static Map<Stmt.Loop, List<Stmt.Loop>> recomputedRefills(MethodIr method, Survey survey) {
    Map<Variable, Expr> sizes = onceAllocated(method, survey);
    Map<Stmt.Loop, List<Stmt.Loop>> out = new IdentityHashMap<>();
    List<Stmt> all = new ArrayList<>();
    List<Stmt> pending = new ArrayList<>(method.body().statements());
    while (!pending.isEmpty()) {
      Stmt s = pending.remove(pending.size() - 1);
      all.add(s);
      pending.addAll(Statements.children(s));
    }
    for (Stmt s : all) {
      if (!(s instanceof Stmt.Loop outer)) {
        continue;
      }
      List<Stmt> body = outer.body().statements();
      for (int i = 0; i < body.size(); i++) {
        if (body.get(i) instanceof Stmt.Loop refill
            && recomputable(outer, refill, body.subList(i + 1, body.size()), all, survey,
                sizes)) {
          out.computeIfAbsent(outer, k -> new ArrayList<>()).add(refill);
        }
      }
    }
    return out;
  }

  /** The element writes of the refills that {@link #recomputedRefills} recomputes. */
  static Set<Stmt> recomputedWrites(Map<Stmt.Loop, List<Stmt.Loop>> refills) {
    Set<Stmt> writes = Collections.newSetFromMap(new IdentityHashMap<>());
    refills.values().forEach(loops -> loops.forEach(l -> writes.add(l.body().statements()
        .get(0))));
    return writes;
  }

  private static boolean recomputable(Stmt.Loop outer, Stmt.Loop refill, List<Stmt> after,
      List<Stmt> all, Survey survey, Map<Variable, Expr> sizes) {
    Set<Variable> filled = filledBy(refill, survey, sizes);
    if (filled.size() != 1 || refill.body().statements().size() != 1) {
      return false;
    }
    Stmt.ArrayWrite write = (Stmt.ArrayWrite) refill.body().statements().get(0);
    Variable array = write.array();
    if (RecomputeCost.worthRecording(write.value())) {
      return false;
    }
    if (!onlyWriter(survey, array, write)) {
      return false;
    }
    for (List<Variable> written : survey.helperCallWrites().values()) {
      if (written.contains(array)) {
        return false;
      }
    }
    // What it reads stays as it is while the outer loop runs (its counter aside, which the
    // reverse loop runs through again).
    Variable counter = survey.counter(refill);
    Set<Variable> read = CountedLoops.variablesBesideLengths(write.value());
    read.addAll(CountedLoops.boundVariables(refill));
    read.remove(counter);
    Set<Variable> changed = changedWhileRunning(outer, survey);
    if (read.contains(array) || read.stream().anyMatch(changed::contains)) {
      return false;
    }
    // Every read of the array follows the refill in the outer loop's body.
    return readOnlyIn(after, all, e -> CountedLoops.variablesBesideLengths(e).contains(array));
  }

  /** Whether {@code writer} is the only statement that assigns {@code v}. */
  static boolean onlyWriter(Survey survey, Variable v, Stmt writer) {
    for (Map.Entry<Stmt, Variable> e : survey.assignments().entrySet()) {
      if (e.getValue() == v && e.getKey() != writer) {
        return false;
      }
    }
    return true;
  }

  /**
   * The variables that {@code loop}'s body and updates assign, its counter aside: the reverse
   * loop runs through the counter's values again, so what depends on it can be rebuilt.
   */
  static Set<Variable> changedWhileRunning(Stmt.Loop loop, Survey survey) {
    Set<Variable> changed = Statements.assigned(loop.body().statements());
    Variable counter = survey.counter(loop);
    for (Stmt u : loop.update()) {
      Statements.assigned(u).stream().filter(v -> v != counter).forEach(changed::add);
    }
    return changed;
  }

  /**
   * Whether every expression of {@code all} that {@code reads} holds for stands in {@code after}
   * (a statement of it or one nested in one): what is read only after a definition.
   */
  static boolean readOnlyIn(List<Stmt> after, List<Stmt> all, Predicate<Expr> reads) {
    Set<Stmt> readers = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Stmt> pending = new ArrayList<>(after);
    while (!pending.isEmpty()) {
      Stmt s = pending.remove(pending.size() - 1);
      readers.add(s);
      pending.addAll(Statements.children(s));
    }
    for (Stmt s : all) {
      if (!readers.contains(s) && Statements.expressions(s).stream().anyMatch(reads)) {
        return false;
      }
    }
    return true;
  }

  /** Arrays declared once, at the top level, as {@code new T[n]} with a constant {@code n}. */
  private static Map<Variable, Expr> onceAllocated(MethodIr method, Survey survey) {
    Map<Variable, Expr> sizes = new IdentityHashMap<>();
    Set<Variable> declaredElsewhere = new HashSet<>();
    List<Stmt> pending = new ArrayList<>();
    for (Stmt s : method.body().statements()) {
      pending.addAll(Statements.children(s));
      if (s instanceof Stmt.Declare d && d.variable().type().isArray()
          && d.variable().type().element() != null && !d.variable().type().element().isArray()
          && d.init().isPresent() && d.init().get() instanceof Expr.NewArray n
          && n.dimensions().size() == 1 && n.elements().isEmpty()
          && Exprs.variables(n.dimensions().get(0)).stream().allMatch(survey::isConstant)) {
        sizes.put(d.variable(), n.dimensions().get(0));
      }
    }
    // Any other declaration or assignment of the array variable (nested ones included).
    while (!pending.isEmpty()) {
      Stmt s = pending.remove(pending.size() - 1);
      pending.addAll(Statements.children(s));
      if (s instanceof Stmt.Declare d) {
        declaredElsewhere.add(d.variable());
      } else if (s instanceof Stmt.Assign a) {
        declaredElsewhere.add(a.variable());
      }
    }
    for (Map.Entry<Stmt, Variable> e : survey.assignments().entrySet()) {
      if (e.getKey() instanceof Stmt.Assign) {
        declaredElsewhere.add(e.getValue());
      }
    }
    sizes.keySet().removeAll(declaredElsewhere);
    return sizes;
  }

  /** The arrays {@code a} of which {@code l}, counted from 0 to a's length, writes a[i] always. */
  private static Set<Variable> filledBy(Stmt.Loop l, Survey survey, Map<Variable, Expr> sizes) {
    Variable counter = survey.counter(l);
    if (counter == null
        || !(l.init().get(0) instanceof Stmt.Declare d)
        || !(d.init().orElseThrow() instanceof Expr.Literal start) || !start.isZero()
        || !(l.condition() instanceof Binary c) || c.op() != BinaryOp.LESS) {
      return Set.of();
    }
    Set<Variable> filled = new HashSet<>();
    for (Stmt s : l.body().statements()) {
      if (s instanceof Stmt.ArrayWrite w && w.indices().size() == 1
          && w.indices().get(0) instanceof Expr.Local index && index.variable() == counter
          && sizes.containsKey(w.array())
          && (c.right().equals(sizes.get(w.array()))
              || c.right().equals(new Expr.ArrayLength(local(w.array()))))) {
        filled.add(w.array());
      }
    }
    return filled;
  }
}
