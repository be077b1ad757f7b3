package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.MethodIr;
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
 * Whole-array overwrites saved in one go: a loop {@code for (int i = 0; i < n; i++) a[i] = e;}
 * that overwrites every element of a local array ({@link Reversible#filledArrays}), and whose
 * element write must save the old value ({@link ToBeRecorded}), saves the whole array with one
 * {@code tape.pushArray(a)} before the loop and restores it with one {@code tape.popArray(a)}
 * after the loop's reverse, instead of a push and a pop per element (bulk copies instead of a
 * bounds-checked store per element: the scratch copy of an explicit time stepper, {@code old[i]
 * = u[i]}, refilled on every step).
 *
 * <p>Exact when {@code e} does not read {@code a} (nor do the loop's bounds): the loop's reverse
 * then reads no element of {@code a}, so restoring all of them after it, rather than each at its
 * iteration, gives every later reader the same values; the pushes of the loop's body (recorded
 * values of {@code e}) come after the array's and are popped before it, so the tape stays last
 * in, first out. Top-level loops of a checkpointed method are left alone ({@link Checkpoints}
 * writes their sweeps).
 */
final class WholeArraySaves {
  private WholeArraySaves() {}

  /** The refill loops whose element saves become one whole-array save, with their writes. */
  static Map<Stmt.Loop, Stmt.ArrayWrite> of(MethodIr method, Survey survey,
      Checkpointing checkpointing) {
    Set<Stmt> topLevel = Collections.newSetFromMap(new IdentityHashMap<>());
    topLevel.addAll(method.body().statements());
    Map<Stmt.Loop, Stmt.ArrayWrite> out = new IdentityHashMap<>();
    for (Map.Entry<Stmt.Loop, Set<Variable>> e : Reversible.filledArrays(method, survey)
        .entrySet()) {
      Stmt.Loop l = e.getKey();
      List<Stmt> body = l.body().statements();
      if ((checkpointing.on() && topLevel.contains(l)) || body.size() != 1
          || !(body.get(0) instanceof Stmt.ArrayWrite w) || !e.getValue().contains(w.array())) {
        continue;
      }
      List<Stmt> header = new ArrayList<>(l.init());
      header.addAll(l.update());
      if (CountedLoops.variablesBesideLengths(w.value()).contains(w.array())
          || CountedLoops.variablesBesideLengths(l.condition()).contains(w.array())
          || Statements.assigned(header).contains(w.array())) {
        continue;
      }
      out.put(l, w);
    }
    return out;
  }

  /** The element writes whose saves {@link #of} moves out of their loops. */
  static Set<Stmt> writes(Map<Stmt.Loop, Stmt.ArrayWrite> saves) {
    Set<Stmt> out = Collections.newSetFromMap(new IdentityHashMap<>());
    out.addAll(saves.values());
    return out;
  }
}
