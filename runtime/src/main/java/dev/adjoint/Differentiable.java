package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method whose derivatives the Adjoint annotation processor generates at compile
 * time ({@code dev.adjoint:adjoint-processor} on the annotation processor path).
 *
 * <p>For a method {@code m} of class {@code p.Foo}, the processor writes {@code p.FooDiff}
 * with:
 *
 * <ul>
 *   <li>{@code record MGrad(value, d<P>...)}: the value and one derivative per differentiated
 *       parameter ({@code double}, {@code float}, {@code double[]}, {@code float[]}, {@code
 *       double[][]}; see {@link #wrt()}), in declaration order, arrays giving arrays of the same
 *       shape, then one per {@link #retain() retained} local;
 *   <li>{@code static MGrad mGrad(<m's parameters>)} for a scalar result;
 *   <li>{@code static double mAdjoint(<m's parameters>, double seed, double[] adjoints, <one
 *       buffer per differentiated array parameter>)}, which returns the value and <em>adds</em>
 *       {@code seed} times the gradient into the caller's buffers ({@code adjoints} holds the
 *       differentiated scalar parameters' partials in declaration order and is omitted when there
 *       are none; a {@code null} array buffer means "not wanted"), and the same with a last
 *       {@code Tape} argument, to reuse one tape across calls without allocating;
 *   <li>{@code static MVjp mVjp(<m's parameters>)}: one recorded forward sweep, with {@code
 *       value()}, {@code pullback(seed)} (any number of times) and {@code bytes()};
 *   <li>for a {@code double[]} result, {@code static double[][] mJacobian(<m's parameters>)}, and
 *       vector seeds in {@code mAdjoint} and {@code pullback}.
 * </ul>
 *
 * <p>A {@code void} method that writes a {@code double[]} parameter is a helper: it gets only
 * {@code mAdjoint}, without a seed (its array buffers carry the adjoint of the arrays' final
 * state in, and of their initial state out), and other differentiable methods may call it.
 *
 * <p>{@code int}, {@code long}, {@code short}, {@code byte}, {@code char}, {@code boolean} and
 * {@code int[]} parameters are constants. The annotated method itself is never changed.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {
  /**
   * The parameters to differentiate with respect to, by name; empty (the default) means every
   * {@code double}, {@code float}, {@code double[]}, {@code float[]} and {@code double[][]}
   * parameter. The others are constants: no adjoint is computed for them and the gradient record
   * has no component for them. Naming a parameter of another type is a compile error.
   */
  String[] wrt() default {};

  /**
   * Local variables whose derivative is wanted too: the gradient record gets {@code d<Local>()},
   * the derivative of the result with respect to the local's final value (TensorFlow's {@code
   * tape.gradient(t, z)}, PyTorch's {@code retain_grad}). Only scalar {@code double} and {@code
   * float} locals can be retained.
   */
  String[] retain() default {};

  /**
   * The highest order of derivative wanted. Every method gets first derivatives: the reverse
   * mode members above and forward mode, {@code static MJvp mJvp(<m's parameters>, <one
   * tangent per differentiated parameter>)} with {@code value()} and {@code tangent()}.
   *
   * <p>{@code order = 2} or more adds second derivatives for a scalar result: {@code static
   * double[][] mHessian(<m's parameters>)} over the differentiated inputs flattened in
   * declaration order (as in {@code mJacobian}), and {@code static double[] mHvp(<m's
   * parameters>, <one direction per differentiated parameter>)}, the Hessian times a vector,
   * made by differentiating the forward-mode code in reverse mode. With exactly one
   * differentiated scalar parameter it also adds {@code static double[] mDerivatives(<m's
   * parameters>)}: f, f', ..., f<sup>(order)</sup>, by applying the forward transform {@code
   * order} times (the generated code doubles with each order, so at most 6 is accepted).
   *
   * <p>Every {@code @Differentiable} method called from a method of order n must declare an
   * order of at least n; a method with a {@link CustomAdjoint} has order 1.
   */
  int order() default 1;

  /**
   * Checkpointing of long loops in reverse mode ({@code mGrad}, {@code mAdjoint}, {@code mVjp}):
   * every loop at the method's top level, which must be a counted loop {@code for (int i = a; i
   * < b; i++)} (or with {@code <=}, {@code >}, {@code >=}, {@code --}) whose body writes neither
   * {@code i} nor what {@code a} and {@code b} read, runs in the forward sweep without recording
   * anything but a snapshot of the variables and arrays its body writes every k iterations; the
   * reverse sweep then takes the segments from last to first, restoring a segment's snapshot,
   * running its k iterations again while recording, and running their reverse. Memory is
   * O(n / k snapshots + k iterations' records) instead of O(n iterations' records), for one more
   * run of the loop. k is {@code ceil(sqrt(n))} for a loop of n iterations, unless {@link
   * #checkpointEvery} gives it (JAX's {@code jax.checkpoint}, PyTorch's {@code
   * checkpoint_sequential}). Forward mode and second derivatives are not affected.
   */
  boolean checkpoint() default false;

  /**
   * The number of iterations between two snapshots of a checkpointed loop (see {@link
   * #checkpoint}); a positive value turns checkpointing on. 0 (the default) means {@code
   * ceil(sqrt(n))} for a loop of n iterations, counted when the loop starts.
   */
  int checkpointEvery() default 0;
}
