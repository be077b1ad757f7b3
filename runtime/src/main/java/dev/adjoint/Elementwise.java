package dev.adjoint;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks for fused elementwise kernels of a {@link Differentiable} method, on the CPU and as CUDA.
 *
 * <p>The method must take only {@code double} and {@code float} parameters, return {@code
 * double} or {@code float}, and have a body without loops and arrays; it may branch and call
 * other {@code @Elementwise} methods of the same class. Marking a method that does not qualify
 * is a compile error that says why ({@code ADJ300} to {@code ADJ309}).
 *
 * <p>For a method {@code m(x, y)} of class {@code p.Foo} the processor writes, beside {@code
 * p.FooDiff}:
 *
 * <ul>
 *   <li>{@code p.FooKernels}, with {@code m(x, y, out)} ({@code out[i] = m(x[i], y[i])}), {@code
 *       mGrad(x, y, seed, out, dX, dY)} (the value and {@code seed[i]} times every gradient, in
 *       one pass over memory) and {@code mSumGrad(x, y, seed, dX, dY)} (the sum of {@code m} over
 *       all elements and {@code seed} times its gradient, the loss-function case). Inputs are
 *       {@link dev.adjoint.array.Array arrays} or {@link dev.adjoint.array.Operand#scalar
 *       scalars} broadcast to every element; a broadcast input's gradient is reduced to one
 *       element.
 *   <li>{@code p/FooKernels.cu}, the same maths as CUDA C (a forward kernel, a fused
 *       value-and-gradient kernel and a fused sum-and-gradient kernel, each for float32 and
 *       float64 arrays), which the {@code adjoint-maven-plugin} compiles to PTX.
 * </ul>
 *
 * <p>Which backend runs the kernels is decided by the arrays: see {@link
 * dev.adjoint.array.Backends}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Elementwise {}
