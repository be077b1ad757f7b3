package dev.adjoint.array;

/**
 * A one-dimensional array of {@code float} or {@code double} on one {@link Backend}: a heap array
 * on the CPU, a device buffer on the GPU. Close it to give its memory back (a no-op on the CPU);
 * using a closed array is an {@link IllegalStateException}.
 */
public interface Array extends Operand, AutoCloseable {
  /** Number of elements. */
  long length();

  Precision precision();

  /** The backend that holds the elements. */
  Backend backend();

  /** Copies {@code values} into this array (precision F32, same length). */
  void copyFrom(float[] values);

  /** Copies {@code values} into this array (precision F64, same length). */
  void copyFrom(double[] values);

  /** The elements, copied to a new heap array (precision F32). */
  float[] toFloatArray();

  /** The elements, copied to a new heap array (precision F64). */
  double[] toDoubleArray();

  /** Gives the memory back; closing twice does nothing. */
  @Override
  void close();
}
