package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method whose reverse-mode gradient is generated at compile time by the Adjoint
 * annotation processor ({@code dev.adjoint:adjoint-processor} on the annotation processor path).
 *
 * <h2>Generated API</h2>
 *
 * <p>For a method {@code m} declared in class {@code p.Foo}, the processor generates a class
 * {@code p.FooDiff} (one per declaring class, shared by all its annotated methods) containing:
 *
 * <ul>
 *   <li>a record {@code MGrad} (the method name with its first letter upper-cased, followed by
 *       {@code Grad}) with a component {@code value()}, the value of {@code m}, and one component
 *       {@code d<Param>()} per {@code double} or {@code float} parameter, in declaration order,
 *       named {@code d} followed by the parameter name with its first letter upper-cased, holding
 *       the partial derivative of {@code m} with respect to that parameter;
 *   <li>{@code static MGrad mGrad(<same parameters as m>)}, which evaluates {@code m} and its
 *       gradient;
 *   <li>{@code static double mAdjoint(<same parameters as m>, double seed, double[] adjoints)},
 *       which returns the value of {@code m} and <em>adds</em> {@code seed} times the gradient into
 *       {@code adjoints[0..k)}, where {@code k} is the number of {@code double}/{@code float}
 *       parameters and the slots follow their declaration order. Existing contents of {@code
 *       adjoints} are accumulated into, never overwritten; this is what generated code uses to
 *       call one differentiable method from another.
 * </ul>
 *
 * <p>Example: for {@code static double f(double x, int n, double y)} in {@code p.Foo}, the
 * processor generates {@code p.FooDiff.FGrad(double value, double dX, double dY)}, {@code
 * FooDiff.fGrad(double x, int n, double y)} and {@code FooDiff.fAdjoint(double x, int n, double y,
 * double seed, double[] adjoints)} with {@code adjoints[0] += seed * df/dx} and {@code adjoints[1]
 * += seed * df/dy}.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@code double} and {@code float} parameters are <em>active</em>: derivatives are computed
 *       with respect to them. {@code int}, {@code long} and {@code boolean} parameters are
 *       <em>inactive</em>: they take part in the computation (loop bounds, branch conditions) but
 *       no derivative is produced for them.
 *   <li>The annotated method must be {@code static} and return {@code double}.
 *   <li>The body may call other {@code @Differentiable} static methods; their generated adjoints
 *       are chained automatically.
 * </ul>
 *
 * <p>The annotation is only needed at compile time, hence {@link RetentionPolicy#CLASS}.
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
}
