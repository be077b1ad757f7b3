package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a hand-written adjoint for a {@code @Differentiable} method of the same class: a
 * numerically stable formula, a call into a library, a black box. The counterpart of PyTorch's
 * {@code torch.autograd.Function}, JAX's {@code custom_vjp} and Swift's
 * {@code @derivative(of:)}.
 *
 * <p>The annotated method must have exactly the shape of the generated {@code mAdjoint}: the
 * differentiated method's parameters, then {@code double seed} ({@code double[] seed} for an
 * array result), then {@code double[] adjoints} when there is a differentiated scalar
 * parameter, then one buffer per differentiated array parameter; it returns the method's value
 * and <em>adds</em> {@code seed} times the gradient into the buffers (array buffers may be
 * null: not wanted). For example:
 *
 * <pre>{@code
 * @Differentiable
 * static double softplus(double x) {
 *   return Math.log1p(Math.exp(x));           // overflows for large x
 * }
 *
 * @CustomAdjoint("softplus")
 * static double softplusAdjoint(double x, double seed, double[] adjoints) {
 *   adjoints[0] += seed / (1 + Math.exp(-x));  // the logistic function: stable
 *   return x > 30 ? x : Math.log1p(Math.exp(x));
 * }
 * }</pre>
 *
 * <p>The processor checks the pairing at compile time, does not read the differentiated
 * method's body, and uses the hand-written adjoint wherever the method is called.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface CustomAdjoint {
  /** The name of the {@code @Differentiable} method of the same class this is the adjoint of. */
  String value();
}
