package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The variables one build of the sweeps adds to a method: the adjoint of each active variable,
 * the tape and the scratch array for callee partials, with whether this build's reverse sweep
 * uses the last two. Each round of the fixed point makes its own.
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

  /** The tape, when the reverse sweep pops anything. */
  Optional<Variable> tapeIfUsed() {
    return usesTape ? Optional.of(tape) : Optional.empty();
  }

  /** The scratch array of the reverse sweep, when a callee needs one. */
  Optional<Adjoint.Scratch> scratchIfUsed() {
    return scratchSize > 0 ? Optional.of(new Adjoint.Scratch(scratch, scratchSize))
        : Optional.empty();
  }
}
