/**
 * CUDA backend for Adjoint.
 *
 * <p>Placeholder: the GPU backend (evaluating generated gradients for batches of inputs on a CUDA
 * device, through JCuda) comes later. Nothing here is usable yet. Tests that need a GPU must be
 * tagged {@code @Tag("gpu")}; they are excluded from the default build and run with {@code mvn
 * verify -Dgroups=gpu}.
 */
package dev.adjoint.cuda;
