package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scalars recomputed at the start of each reverse iteration instead of recorded: the scalar
 * counterpart of {@link Reversible}'s recomputed refills, decided per overwritten local by the
 * same cost model.
 *
 * <p>A local {@code v} overwritten on every iteration of a loop {@code O} is saved before each
 * overwrite when the reverse sweep reads it, a push and a pop per iteration. A definition {@code
 * v = e} (or {@code T v = e}) records nothing when (1) it is a statement of {@code O}'s body
 * itself and {@code v}'s only writer, (2) {@code e} costs no more than a push and a pop to
 * evaluate ({@link RecomputeCost}; no call, no allocation), (3) what {@code e} reads is not
 * changed inside {@code O} (inputs, {@code O}'s counter, arrays {@code O} does not write), and
 * (4) every read of {@code v} in the method follows the definition in {@code O}'s body. The
 * reverse sweep then evaluates {@code v = e} at the start of each reverse iteration of {@code
 * O}, which gives {@code v} exactly the value that iteration's reverse code reads. The loop
 * variable of an enhanced {@code for} over an array ({@code for (double v : u) s += v * v;},
 * read as {@code v = u[vIndex]}) is the common case: its element was pushed on every
 * iteration, and is now read again from the array.
 *
 * <p>Top-level loops are left alone when the method is checkpointed: their reverse is
 * written by {@link Checkpoints}, which runs the body's recorded forward sweep again.
 */
final class RecomputedScalars {
  private RecomputedScalars() {}

  /**
   * Per loop, the definitions of scalars its reverse iterations evaluate again first, in body
   * order.
   */
  static Map<Stmt.Loop, List<Stmt>> of(MethodIr method, Survey survey,
      Checkpointing checkpointing) {
    Map<Stmt.Loop, List<Stmt>> out = new IdentityHashMap<>();
    List<Stmt> all = new ArrayList<>();
    List<Stmt> pending = new ArrayList<>(method.body().statements());
    while (!pending.isEmpty()) {
      Stmt s = pending.remove(pending.size() - 1);
      all.add(s);
      pending.addAll(Statements.children(s));
    }
    Set<Stmt> topLevel = Collections.newSetFromMap(new IdentityHashMap<>());
    topLevel.addAll(method.body().statements());
    for (Stmt s : all) {
      if (!(s instanceof Stmt.Loop outer) || (checkpointing.on() && topLevel.contains(s))) {
        continue;
      }
      List<Stmt> body = outer.body().statements();
      for (int i = 0; i < body.size(); i++) {
        Stmt def = body.get(i);
        if (variable(def) != null && recomputable(method, outer, def,
            body.subList(i + 1, body.size()), all, survey)) {
          out.computeIfAbsent(outer, k -> new ArrayList<>()).add(def);
        }
      }
    }
    return out;
  }

  /** The definitions that {@link #of} recomputes. */
  static Set<Stmt> definitions(Map<Stmt.Loop, List<Stmt>> recomputed) {
    Set<Stmt> out = Collections.newSetFromMap(new IdentityHashMap<>());
    recomputed.values().forEach(out::addAll);
    return out;
  }

  /** The variable a definition of {@link #of}'s writes. */
  static Variable variable(Stmt def) {
    if (def instanceof Stmt.Assign a) {
      return a.variable();
    }
    if (def instanceof Stmt.Declare d && d.init().isPresent()) {
      return d.variable();
    }
    return null;
  }

  /** What the reverse sweep runs for {@code def}: {@code v = e} (the variable is hoisted). */
  static Stmt recompute(Stmt def) {
    return new Stmt.Assign(variable(def), value(def), Position.NONE);
  }

  private static Expr value(Stmt def) {
    return def instanceof Stmt.Assign a ? a.value() : ((Stmt.Declare) def).init().orElseThrow();
  }

  private static boolean recomputable(MethodIr method, Stmt.Loop outer, Stmt def,
      List<Stmt> after, List<Stmt> all, Survey survey) {
    Variable v = variable(def);
    Expr e = value(def);
    if (v.type().isArray() || v.kind() == Variable.Kind.PARAMETER || survey.isCounter(v)
        || method.retained().contains(v) || RecomputeCost.worthRecording(e)) {
      return false;
    }
    // The definition is the variable's only writer.
    if (!Reversible.onlyWriter(survey, v, def)) {
      return false;
    }
    // What it reads stays as it is while the loop runs (its counter aside, which the reverse
    // loop runs through again); the variable itself is written in the loop, so never read.
    Set<Variable> changed = Reversible.changedWhileRunning(outer, survey);
    if (CountedLoops.variablesBesideLengths(e).stream().anyMatch(changed::contains)) {
      return false;
    }
    // Every read of the variable follows the definition in the loop's body.
    return Reversible.readOnlyIn(after, all, x -> Exprs.variables(x).contains(v));
  }
}
