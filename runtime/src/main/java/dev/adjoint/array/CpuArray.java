package dev.adjoint.array;

import java.util.Arrays;

/** A heap array of the {@link CpuBackend}: a {@code float[]} or a {@code double[]}. */
final class CpuArray implements Array {
  private final CpuBackend backend;
  private final Precision precision;
  private float[] floats;
  private double[] doubles;
  private boolean closed;

  CpuArray(CpuBackend backend, Precision precision, long length) {
    if (length < 0 || length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("the CPU backend holds at most "
          + (Integer.MAX_VALUE - 8) + " elements per array, not " + length);
    }
    this.backend = backend;
    this.precision = precision;
    if (precision == Precision.F32) {
      floats = new float[(int) length];
    } else {
      doubles = new double[(int) length];
    }
  }

  @Override
  public long length() {
    return precision == Precision.F32 ? live().floats.length : live().doubles.length;
  }

  @Override
  public Precision precision() {
    return precision;
  }

  @Override
  public Backend backend() {
    return backend;
  }

  /** The elements themselves (F32), for the CPU backend's loops. */
  float[] floats() {
    return live().floats;
  }

  /** The elements themselves (F64), for the CPU backend's loops. */
  double[] doubles() {
    return live().doubles;
  }

  @Override
  public void copyFrom(float[] values) {
    require(Precision.F32, values.length);
    System.arraycopy(values, 0, floats, 0, values.length);
  }

  @Override
  public void copyFrom(double[] values) {
    require(Precision.F64, values.length);
    System.arraycopy(values, 0, doubles, 0, values.length);
  }

  @Override
  public float[] toFloatArray() {
    require(Precision.F32, length());
    return floats.clone();
  }

  @Override
  public double[] toDoubleArray() {
    require(Precision.F64, length());
    return doubles.clone();
  }

  @Override
  public void close() {
    closed = true;
    floats = null;
    doubles = null;
  }

  private CpuArray live() {
    if (closed) {
      throw new IllegalStateException("this array was closed");
    }
    return this;
  }

  private void require(Precision p, long length) {
    live();
    if (precision != p) {
      throw new IllegalArgumentException("this array holds " + precision + " elements, not "
          + p + "; use the " + (precision == Precision.F32 ? "float[]" : "double[]")
          + " overload");
    }
    if (length != length()) {
      throw new IllegalArgumentException("this array has " + length() + " elements, not "
          + length);
    }
  }

  @Override
  public String toString() {
    if (closed) {
      return "CpuArray[closed]";
    }
    return "CpuArray" + (precision == Precision.F32 ? Arrays.toString(floats)
        : Arrays.toString(doubles));
  }
}
