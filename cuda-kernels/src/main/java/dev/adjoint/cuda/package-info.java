/**
 * The CUDA backend of Adjoint: {@link dev.adjoint.cuda.CudaBackend} (device arrays, kernels of
 * generated {@code FooKernels} classes launched through the JCuda driver API), its {@link
 * dev.adjoint.cuda.DeviceAllocator caching allocator} with statistics, and the provider that
 * {@link dev.adjoint.array.Backends} finds with the service loader. Tests that need a GPU are
 * tagged {@code gpu}: excluded from the default build, run on the GPU machine with {@code bash
 * .device/on-device.sh test} after {@code ../shared/gpu/stage.sh cuda-kernels}.
 */
package dev.adjoint.cuda;
