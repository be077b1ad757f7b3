package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The adjoint of one method, ready to emit: what to declare first, the forward sweep (the
 * original computation, saving what the reverse sweep needs), and the reverse sweep
 * (adjoints flowing from the result back to the parameters).
 *
 * @param method the lowered method it was made from
 * @param hoisted declarations the reverse sweep must see, with neutral initial values
 * @param forward the forward sweep
 * @param reverse the reverse sweep, which starts from {@code adjointOf(result) = seed}
 * @param adjointOf the adjoint variable of each active variable
 * @param seed the generated method's parameter scaling the result's adjoint
 * @param tape the tape variable, when anything is recorded
 * @param scratch the array receiving callee adjoints in the reverse sweep, when an active
 *     call needs one
 * @param retainedAdjoints per retained local, the variable holding the derivative with respect
 *     to its final value once the reverse sweep is done (0 when it never mattered)
 * @param custom the user's hand-written adjoint, when there is one (then the sweeps are empty)
 * @param restoredParameters array parameters the reverse sweep restores to their input state,
 *     which must be given their final state again before returning (void helpers)
 * @param forwardScratch the array receiving callee partials in the forward sweep (calls
 *     differentiated where they happen), when one is recorded
 */
public record Adjoint(
    MethodIr method,
    List<Stmt> hoisted,
    List<Stmt> forward,
    List<Stmt> reverse,
    Map<Variable, Variable> adjointOf,
    Variable seed,
    Optional<Variable> tape,
    Optional<Scratch> scratch,
    Map<Variable, Variable> retainedAdjoints,
    Optional<Custom> custom,
    List<Variable> restoredParameters,
    Optional<Scratch> forwardScratch) {

  /**
   * How many arrays the forward sweep borrows from the tape at its top level and leaves lent
   * to the reverse sweep (the partials of calls that run once, read in place there): when both
   * sweeps run in one method, the reverse sweep gives them back with its own.
   */
  public int borrowedAcrossSweeps() {
    int lent = 0;
    for (Stmt s : forward) {
      if (s instanceof Stmt.Declare d && d.init().isPresent()
          && d.init().get() instanceof dev.adjoint.processor.ir.Expr.Borrow) {
        lent++;
      } else if (s instanceof Stmt.Release r) {
        lent -= r.count();
      }
    }
    return lent;
  }

  /** A {@code double[]} borrowed from the tape for callees' partials, and its length. */
  public record Scratch(Variable array, int size) {}

  /** A {@code @CustomAdjoint} method: {@code ownerQualifiedName.method}. */
  public record Custom(String packageName, String ownerSimpleName, String method) {}

  /** The adjoint of a method whose adjoint the user wrote. */
  public static Adjoint custom(MethodIr method, Custom custom) {
    return new Adjoint(method, List.of(), List.of(), List.of(), Map.of(),
        new Variable("seed", Type.DOUBLE, Variable.Kind.SYNTHETIC), Optional.empty(),
        Optional.empty(), Map.of(), Optional.of(custom), List.of(), Optional.empty());
  }
}
