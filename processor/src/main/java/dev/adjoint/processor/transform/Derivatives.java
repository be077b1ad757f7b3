package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.Optional;

/**
 * Everything generated for one method, ready to emit.
 *
 * @param adjoint the reverse mode (gradient, adjoint, vector-Jacobian product)
 * @param tangent the forward mode ({@code mJvp}); none for a hand-written adjoint, whose
 *     forward mode is made from it
 * @param tangentForms the methods callers' tangent code calls: the first-order form, then
 *     (order n) the forms transformed forward again, up to order n
 * @param tangentAdjoint the first-order tangent form differentiated in reverse (second
 *     derivatives); none below order 2
 * @param chain the higher derivatives in one variable ({@code mDerivatives}), if asked for
 */
public record Derivatives(
    Adjoint adjoint,
    Optional<TangentTransform.Tangent> tangent,
    List<MethodIr> tangentForms,
    Optional<Adjoint> tangentAdjoint,
    Optional<Chain> chain) {

  /**
   * The forward transform applied {@code derivatives.size() - 1} times in one variable.
   *
   * @param seeds the tangent parameter of each application, all set to 1
   * @param body computes every derivative
   * @param derivatives the variables holding f, f', f'', ...; null where a derivative is
   *     identically zero
   */
  public record Chain(List<Variable> seeds, Stmt.Block body, List<Variable> derivatives) {}
}
