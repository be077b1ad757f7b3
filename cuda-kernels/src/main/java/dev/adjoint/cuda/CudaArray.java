package dev.adjoint.cuda;

import dev.adjoint.array.Array;
import dev.adjoint.array.Backend;
import dev.adjoint.array.Precision;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/** A device buffer of the {@link CudaBackend}, from its caching allocator. */
final class CudaArray implements Array {
  private final CudaBackend backend;
  private final Precision precision;
  private final long length;
  private final long address;
  private boolean closed;

  CudaArray(CudaBackend backend, Precision precision, long length, long address) {
    this.backend = backend;
    this.precision = precision;
    this.length = length;
    this.address = address;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public Precision precision() {
    return precision;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  long bytes() {
    return length * precision.bytes();
  }

  /** The device pointer, for kernel parameters. */
  CUdeviceptr pointer() {
    live();
    return backend.pointer(address);
  }

  @Override
  public void copyFrom(float[] values) {
    require(Precision.F32, values.length);
    backend.makeCurrent();
    JCudaDriver.cuMemcpyHtoD(pointer(), Pointer.to(values), bytes());
  }

  @Override
  public void copyFrom(double[] values) {
    require(Precision.F64, values.length);
    backend.makeCurrent();
    JCudaDriver.cuMemcpyHtoD(pointer(), Pointer.to(values), bytes());
  }

  @Override
  public float[] toFloatArray() {
    require(Precision.F32, length);
    float[] out = new float[Math.toIntExact(length)];
    backend.makeCurrent();
    JCudaDriver.cuMemcpyDtoH(Pointer.to(out), pointer(), bytes());
    return out;
  }

  @Override
  public double[] toDoubleArray() {
    require(Precision.F64, length);
    double[] out = new double[Math.toIntExact(length)];
    backend.makeCurrent();
    JCudaDriver.cuMemcpyDtoH(Pointer.to(out), pointer(), bytes());
    return out;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      backend.allocator().free(address);
    }
  }

  private void live() {
    if (closed) {
      throw new IllegalStateException("this device array was closed");
    }
  }

  private void require(Precision p, long n) {
    live();
    if (precision != p) {
      throw new IllegalArgumentException("this array holds " + precision + " elements, not "
          + p + "; use the " + (precision == Precision.F32 ? "float[]" : "double[]")
          + " overload");
    }
    if (n != length) {
      throw new IllegalArgumentException("this array has " + length + " elements, not " + n);
    }
  }

  @Override
  public String toString() {
    return "CudaArray[" + precision + " x " + length + (closed ? ", closed]" : "]");
  }
}
