package dev.adjoint.runtime;

/**
 * Shape checks and zero-filled adjoint arrays for generated code. Failures name the argument
 * and both shapes, so misuse reads as misuse.
 */
public final class Shapes {
  private Shapes() {}

  /** Checks that {@code adjoint}, when given, has {@code value}'s length. */
  public static double[] sameShape(double[] value, double[] adjoint, String name) {
    if (adjoint != null && adjoint.length != value.length) {
      throw new IllegalArgumentException(
          name + " has length " + adjoint.length + " but must have length " + value.length);
    }
    return adjoint;
  }

  /** Checks that {@code adjoint}, when given, has {@code value}'s length. */
  public static float[] sameShape(float[] value, float[] adjoint, String name) {
    if (adjoint != null && adjoint.length != value.length) {
      throw new IllegalArgumentException(
          name + " has length " + adjoint.length + " but must have length " + value.length);
    }
    return adjoint;
  }

  /** Checks that {@code adjoint}, when given, has {@code value}'s rows and row lengths. */
  public static double[][] sameShape(double[][] value, double[][] adjoint, String name) {
    if (adjoint == null) {
      return null;
    }
    if (adjoint.length != value.length) {
      throw new IllegalArgumentException(
          name + " has " + adjoint.length + " rows but must have " + value.length);
    }
    for (int r = 0; r < value.length; r++) {
      if (adjoint[r] == null || adjoint[r].length != value[r].length) {
        throw new IllegalArgumentException(name + "[" + r + "] has length "
            + (adjoint[r] == null ? "null" : String.valueOf(adjoint[r].length))
            + " but must have length " + value[r].length);
      }
    }
    return adjoint;
  }

  /**
   * A zero array shaped like {@code value}; null for null (a local array the forward sweep did
   * not reach, whose adjoint the reverse sweep does not reach either).
   */
  public static double[] zerosLike(double[] value) {
    return value == null ? null : new double[value.length];
  }

  /** A zero array shaped like {@code value}; null for null. */
  public static float[] zerosLike(float[] value) {
    return value == null ? null : new float[value.length];
  }

  /** A zero matrix shaped like {@code value}, row by row (ragged rows keep their lengths). */
  public static double[][] zerosLike(double[][] value) {
    if (value == null) {
      return null;
    }
    double[][] zeros = new double[value.length][];
    for (int r = 0; r < value.length; r++) {
      zeros[r] = new double[value[r].length];
    }
    return zeros;
  }

  /**
   * A deep copy (each row copied), so that later writes to either do not reach the other; null
   * for null (a local array never assigned on the path taken).
   */
  public static double[][] copy(double[][] value) {
    if (value == null) {
      return null;
    }
    double[][] copy = new double[value.length][];
    for (int r = 0; r < value.length; r++) {
      copy[r] = value[r].clone();
    }
    return copy;
  }

  /** A copy of {@code value}, null for null: a pullback's working copy of a local array. */
  public static double[] copy(double[] value) {
    return value == null ? null : value.clone();
  }

  /** As {@link #copy(double[])}. */
  public static float[] copy(float[] value) {
    return value == null ? null : value.clone();
  }

  /** As {@link #copy(double[])}. */
  public static int[] copy(int[] value) {
    return value == null ? null : value.clone();
  }

  /** As {@link #copy(double[])}. */
  public static boolean[] copy(boolean[] value) {
    return value == null ? null : value.clone();
  }

  /** The number of elements of a possibly ragged matrix. */
  public static int size(double[][] value) {
    int n = 0;
    for (double[] row : value) {
      n += row.length;
    }
    return n;
  }

  /** Memory held by an array's elements, in bytes. */
  public static long bytes(double[] value) {
    return (long) value.length * Double.BYTES;
  }

  /** Memory held by an array's elements, in bytes. */
  public static long bytes(float[] value) {
    return (long) value.length * Float.BYTES;
  }

  /** Memory held by an array's elements, in bytes. */
  public static long bytes(int[] value) {
    return (long) value.length * Integer.BYTES;
  }

  /** Memory held by an array's elements, in bytes. */
  public static long bytes(boolean[] value) {
    return value.length;
  }

  /** Memory held by a matrix's elements, in bytes. */
  public static long bytes(double[][] value) {
    return (long) size(value) * Double.BYTES;
  }

  /** Writes {@code value} into {@code row} at {@code at}; returns the next position. */
  public static int put(double[] row, int at, double value) {
    row[at] = value;
    return at + 1;
  }

  /** Writes {@code values} into {@code row} from {@code at}; returns the next position. */
  public static int put(double[] row, int at, double[] values) {
    System.arraycopy(values, 0, row, at, values.length);
    return at + values.length;
  }

  /** Writes {@code values} into {@code row} from {@code at}; returns the next position. */
  public static int put(double[] row, int at, float[] values) {
    for (float v : values) {
      row[at++] = v;
    }
    return at;
  }

  /** Writes a matrix row by row into {@code row} from {@code at}; returns the next position. */
  public static int put(double[] row, int at, double[][] values) {
    for (double[] r : values) {
      at = put(row, at, r);
    }
    return at;
  }

  /**
   * {@code from}'s elements in {@code kept} when it has the same length, else in a new copy:
   * a reused recording keeps its copies of the arguments without allocating (null for null).
   */
  public static double[] copyReusing(double[] from, double[] kept) {
    if (from == null) {
      return null;
    }
    if (kept == null || kept.length != from.length) {
      return from.clone();
    }
    System.arraycopy(from, 0, kept, 0, from.length);
    return kept;
  }

  /** As {@link #copyReusing(double[], double[])}. */
  public static float[] copyReusing(float[] from, float[] kept) {
    if (from == null) {
      return null;
    }
    if (kept == null || kept.length != from.length) {
      return from.clone();
    }
    System.arraycopy(from, 0, kept, 0, from.length);
    return kept;
  }

  /** As {@link #copyReusing(double[], double[])}. */
  public static int[] copyReusing(int[] from, int[] kept) {
    if (from == null) {
      return null;
    }
    if (kept == null || kept.length != from.length) {
      return from.clone();
    }
    System.arraycopy(from, 0, kept, 0, from.length);
    return kept;
  }

  /** As {@link #copyReusing(double[], double[])}. */
  public static boolean[] copyReusing(boolean[] from, boolean[] kept) {
    if (from == null) {
      return null;
    }
    if (kept == null || kept.length != from.length) {
      return from.clone();
    }
    System.arraycopy(from, 0, kept, 0, from.length);
    return kept;
  }

  /** As {@link #copyReusing(double[], double[])}, row by row (a new copy unless every row fits). */
  public static double[][] copyReusing(double[][] from, double[][] kept) {
    if (from == null) {
      return null;
    }
    if (kept == null || kept.length != from.length) {
      return copy(from);
    }
    for (int r = 0; r < from.length; r++) {
      double[] row = from[r];
      if (row == null || kept[r] == null || kept[r].length != row.length) {
        return copy(from);
      }
    }
    copyInto(from, kept);
    return kept;
  }

  /** Copies {@code from}'s elements into {@code to} (same shape), row by row. */
  public static void copyInto(double[][] from, double[][] to) {
    for (int r = 0; r < from.length; r++) {
      System.arraycopy(from[r], 0, to[r], 0, from[r].length);
    }
  }

  /** The dot product of two arrays of one shape: an adjoint with a tangent, in generated code. */
  public static double dot(double[] a, double[] b) {
    sameShape(a, b, "tangent");
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /** The dot product of two arrays of one shape, accumulated in double. */
  public static double dot(float[] a, float[] b) {
    sameShape(a, b, "tangent");
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  /** The dot product of two matrices of one shape, row by row. */
  public static double dot(double[][] a, double[][] b) {
    sameShape(a, b, "tangent");
    double sum = 0;
    for (int r = 0; r < a.length; r++) {
      sum += dot(a[r], b[r]);
    }
    return sum;
  }
}
