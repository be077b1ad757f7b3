package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 * practice). What is computed once per method is an immutable {@link Survey}; each round is
 * a fresh {@link SweepRound} returning an immutable result, and the fixed point compares the
 * saved sets that consecutive rounds lead to. {@link ExpressionAdjoint} writes the adjoint
 * code of each expression, {@link ToBeRecorded} decides what is saved and {@link CountedLoops}
 * reverses the loops that need no trip count.
 */
public final class ReverseTransform {
  private ReverseTransform() {}

  /** The adjoint of a lowered method, given which of its values are active. */
  public static Adjoint transform(MethodIr method, Activity activity) {
    return transform(method, activity, Checkpointing.NONE);
  }

  /**
   * The adjoint of a lowered method, its top-level counted loops checkpointed as {@code
   * checkpointing} says (see {@link Checkpoints}).
   */
  public static Adjoint transform(MethodIr method, Activity activity,
      Checkpointing checkpointing) {
    Survey survey = Survey.of(method);
    SweepRound.Retained retained = retained(method, survey);
    Map<Stmt.Loop, Set<Variable>> filledArrays = Reversible.filledArrays(method, survey);
    Set<Stmt> recomputedWrites =
        Reversible.recomputedWrites(Reversible.recomputedRefills(method, survey));
    recomputedWrites.addAll(RecomputedScalars.definitions(
        RecomputedScalars.of(method, survey, checkpointing)));
    Set<Stmt> saved = Collections.newSetFromMap(new IdentityHashMap<>());
    SweepRound.Result round;
    for (int n = 1; ; n++) {
      round = new SweepRound(method, activity, survey, retained, saved, checkpointing).build();
      Set<Stmt> needed = ToBeRecorded.in(method.body().statements(), round.readSites(),
          survey.assignments(), survey.helperCallWrites(), filledArrays);
      // Refills and scalars that the reverse sweep recomputes record nothing.
      needed.removeAll(recomputedWrites);
      if (n > 4) {
        // Saving more is always correct: from here on only grow, which must terminate.
        needed.addAll(saved);
      }
      if (needed.equals(saved)) {
        break;
      }
      saved = needed;
    }
    // Loops whose branch's reverse kills what it reads keep only their last taken iteration.
    LastTaken.Result taken = checkpointing.on()
        ? new LastTaken.Result(round.forward(), round.reverse(), List.of())
        : LastTaken.apply(round.forward(), round.reverse(), round.adjointOf().values());
    List<Stmt> hoistedDeclarations = new ArrayList<>();
    List<Variable> allHoisted = new ArrayList<>(survey.hoisted());
    allHoisted.addAll(round.hoistedSynthetic());
    allHoisted.addAll(retained.captured().values());
    for (Variable v : allHoisted) {
      hoistedDeclarations.add(
          new Stmt.Declare(v, SweepRound.neutral(v.type()), Position.NONE));
    }
    hoistedDeclarations.addAll(taken.hoisted());
    // Adjoints of the method's own arrays: the sweep borrows them, so none is another's alias.
    Set<Variable> localAdjointArrays = new LinkedHashSet<>();
    round.adjointOf().forEach((v, bar) -> {
      if (v.kind() != Variable.Kind.PARAMETER && v.type() == Type.DOUBLE_ARRAY) {
        localAdjointArrays.add(bar);
      }
    });
    List<Stmt> reverse =
        InvariantReads.apply(DirectPops.apply(LoopAccumulators.apply(taken.reverse(),
            localAdjointArrays)));
    return new Adjoint(method, hoistedDeclarations, taken.forward(), reverse,
        round.adjointOf(), new Variable("seed", Type.DOUBLE, Variable.Kind.SYNTHETIC),
        round.tape(), round.scratch(), retained.adjoints(), Optional.empty(),
        restoredParameters(method, survey, round.saved(), checkpointing),
        round.forwardScratch());
  }

  /** The variables receiving the adjoints of retained locals, fixed for every round. */
  private static SweepRound.Retained retained(MethodIr method, Survey survey) {
    Map<Variable, Variable> adjoints = new LinkedHashMap<>();
    Map<Variable, Variable> captured = new LinkedHashMap<>();
    for (Variable v : method.retained()) {
      adjoints.put(v, new Variable(v.name() + "Retained", Type.DOUBLE,
          Variable.Kind.SYNTHETIC));
      if (!survey.hasSingleDefinition(v)) {
        captured.put(v, new Variable(v.name() + "Captured", Type.BOOLEAN,
            Variable.Kind.SYNTHETIC));
      }
    }
    return new SweepRound.Retained(Collections.unmodifiableMap(adjoints),
        Collections.unmodifiableMap(captured));
  }

  /** Array parameters some saved write changes in place: the reverse sweep restores them. */
  private static List<Variable> restoredParameters(MethodIr method, Survey survey,
      Set<Stmt> saved, Checkpointing checkpointing) {
    Set<Variable> out = new LinkedHashSet<>();
    if (checkpointing.on()) {
      // A checkpointed loop's snapshots restore every array it writes, parameters included.
      for (Stmt s : method.body().statements()) {
        if (s instanceof Stmt.Loop l && survey.counter(l) != null) {
          Statements.assigned(l.body().statements()).stream()
              .filter(v -> v.kind() == Variable.Kind.PARAMETER).forEach(out::add);
        }
      }
    }
    for (Stmt s : saved) {
      // Element writes and helper calls change an array in place; nothing else does.
      List<Variable> written = s instanceof Stmt.ArrayWrite w ? List.of(w.array())
          : survey.helperCallWrites().getOrDefault(s, List.of());
      written.stream().filter(v -> v.kind() == Variable.Kind.PARAMETER).forEach(out::add);
    }
    return method.parameters().stream().filter(out::contains).toList();
  }
}
