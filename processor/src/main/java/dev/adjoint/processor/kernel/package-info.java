/**
 * The kernel stage: {@code @Elementwise} methods as fused elementwise kernels.
 *
 * <p>Input: a class's {@link dev.adjoint.processor.transform.Adjoint}s, the reverse transform's
 * output, and nothing else from the transforms. {@code KernelValidator} checks the lowered body
 * and both sweeps (straight-line code over scalars: no loops, no arrays, constants only, calls
 * only of the class's other kernels) and reports with the {@code ADJ3xx} messages. Output, for
 * the methods that pass: {@code FooKernels.java} ({@code KernelClassEmitter}: entry points and
 * CPU loops calling {@code Foo} and {@code FooDiff}) and {@code FooKernels.cu} ({@code
 * CudaSource}): per precision, {@code ElementFunctions} prints the same sweeps as {@code
 * FooDiff} as host-and-device C through {@code CudaPrinter}, then vectorised grid-stride
 * kernels call them.
 *
 * <p>Contract: the C computes what the Java computes (Java semantics where C differs, by
 * helpers of the prelude); derivatives come only from the sweeps, never from a table of this
 * package (its one table is the C names of intrinsics). Printers take the sweeps' full IR
 * ({@code Stmt.Visitor}, {@code Expr.Visitor}); a kind the validator excludes is an internal
 * error there, never silently skipped.
 */
package dev.adjoint.processor.kernel;
