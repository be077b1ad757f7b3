package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables the sweeps add to a method: the adjoint of each active variable, the tape and
 * the scratch array for callee partials, with whether the current build of the reverse sweep
 * uses the last two.
 */
final class SweepState implements ExpressionAdjoint.Context {
  private final Activity activity;
  private final Map<Variable, Variable> adjointOf = new LinkedHashMap<>();
  private final Variable tape = new Variable("tape", null, Variable.Kind.SYNTHETIC);
  private final Variable scratch = new Variable("callAdjoints", null, Variable.Kind.SYNTHETIC);
  private boolean usesTape;
  private int scratchSize;

  SweepState(Activity activity) {
    this.activity = activity;
  }

  /** Starts a new build of the reverse sweep: nothing uses the tape or the scratch array yet. */
  void reset() {
    usesTape = false;
    scratchSize = 0;
  }

  @Override
  public boolean isActive(Expr e) {
    return activity.isActive(e);
  }

  @Override
  public Variable adjoint(Variable v) {
    return adjointOf.computeIfAbsent(v, k -> new Variable(k.name() + "Bar",
        k.type().isArray() ? k.type() : Type.DOUBLE, Variable.Kind.SYNTHETIC));
  }

  /**
   * The tape, without noting a use: the forward sweep pushes only what the reverse sweep pops,
   * so the pops alone tell whether a tape is needed.
   */
  Variable tape() {
    return tape;
  }

  @Override
  public Variable useTape() {
    usesTape = true;
    return tape;
  }

  @Override
  public Variable useScratch(int slots) {
    scratchSize = Math.max(scratchSize, slots);
    return scratch;
  }

  Map<Variable, Variable> adjointOf() {
    return Collections.unmodifiableMap(adjointOf);
  }

  /** The tape, or null when the reverse sweep pops nothing. */
  Variable tapeIfUsed() {
    return usesTape ? tape : null;
  }

  /** The scratch array, or null when no callee needs one. */
  Variable scratchIfUsed() {
    return scratchSize > 0 ? scratch : null;
  }

  int scratchSize() {
    return scratchSize;
  }
}
