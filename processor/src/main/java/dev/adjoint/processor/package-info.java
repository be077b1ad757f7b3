/**
 * The annotation processor of Adjoint: {@link dev.adjoint.processor.AdjointProcessor} finds the
 * {@code @Differentiable} methods of a round, checks their declarations ({@code
 * MethodValidator}) and their {@code @CustomAdjoint}s ({@code CustomAdjointValidator}), and runs
 * each method through the stages, one a package: {@code read} (javac trees to the IR of {@code
 * ir}), {@code transform} and {@code analysis} (lowering, activity, the reverse and forward
 * transforms), {@code emit} ({@code FooDiff.java}) and {@code kernel} ({@code @Elementwise}
 * methods). Diagnostics go through {@code diagnostics}; a method with an error is reported and
 * skipped, and the other methods of its class still get their derivatives.
 */
package dev.adjoint.processor;
