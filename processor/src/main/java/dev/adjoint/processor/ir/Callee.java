package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A static method called from a differentiated body. When {@code differentiable}, its
 * generated class {@code <Owner>Diff} has {@code <name>Adjoint}, which the reverse sweep calls,
 * and {@code <name>Tangent}, which the forward transform calls.
 *
 * @param order the callee's declared {@code @Differentiable(order)}: which derivative forms
 *     of it exist (0 when it is not differentiable); {@link #IMPLICIT_ORDER} for a helper
 *     without the annotation, differentiated where it is called: its forms are generated up
 *     to the order its callers need
 * @param generated whether the method itself lives in {@code <Owner>Diff} (a tangent form
 *     that a higher-order transform calls) rather than in the user's class
 */
public record Callee(
    String packageName,
    String ownerSimpleName,
    String name,
    List<String> parameterNames,
    List<Type> parameterTypes,
    List<Boolean> differentiates,
    Type returnType,
    boolean differentiable,
    int order,
    boolean generated) {

  /** The order of a helper differentiated where it is called: whatever its callers need. */
  public static final int IMPLICIT_ORDER = Integer.MAX_VALUE;

  /** Whether this is a helper without {@code @Differentiable}, differentiated from its source. */
  public boolean implicit() {
    return differentiable && order == IMPLICIT_ORDER;
  }

  /** Whether the callee's adjoint has a partial for parameter {@code i} (its wrt). */
  public boolean differentiates(int i) {
    return differentiable && differentiates.get(i);
  }

  /** Number of differentiated scalar parameters: the length of its scalar adjoint array. */
  public int differentiableArity() {
    int n = 0;
    for (int i = 0; i < parameterTypes.size(); i++) {
      n += differentiates(i) && parameterTypes.get(i).isFloating() ? 1 : 0;
    }
    return n;
  }

  /** Whether any differentiated parameter is an array. */
  public boolean takesDifferentiableArrays() {
    for (int i = 0; i < parameterTypes.size(); i++) {
      if (differentiates(i) && parameterTypes.get(i).isArray()) {
        return true;
      }
    }
    return false;
  }
}
