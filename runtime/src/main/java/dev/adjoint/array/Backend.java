package dev.adjoint.array;

/**
 * Where arrays live and elementwise kernels run: {@link Backends#cpu()} (heap arrays, parallel
 * Java loops) or the CUDA backend of {@code adjoint-cuda} (device buffers, PTX kernels). Arrays
 * of one call must all belong to the same backend; {@link #upload} and {@link Array#toFloatArray}
 * move data across.
 */
public interface Backend {
  /** A short name for logs: {@code cpu}, {@code cuda}. */
  String name();

  /** Whether arrays live in GPU memory. */
  boolean isGpu();

  /** A new array of {@code length} zeros. */
  Array zeros(Precision precision, long length);

  /** A new F32 array holding a copy of {@code values}. */
  default Array upload(float[] values) {
    Array a = zeros(Precision.F32, values.length);
    a.copyFrom(values);
    return a;
  }

  /** A new F64 array holding a copy of {@code values}. */
  default Array upload(double[] values) {
    Array a = zeros(Precision.F64, values.length);
    a.copyFrom(values);
    return a;
  }

  /** Copies {@code from} into {@code to}: same backend, precision and length. */
  void copy(Array from, Array to);

  /** Waits until every kernel launched so far has finished (a no-op on the CPU). */
  void synchronize();

  /**
   * Runs one checked kernel call; generated code reaches this through {@link
   * ElementwiseKernel}. Returns the sum of the values for {@link KernelCall.Form#SUM_GRAD}, else
   * 0.
   */
  double execute(KernelCall call);
}
