package dev.adjoint.samples;

import dev.adjoint.check.GradCheck;
import dev.adjoint.check.GradCheckReport;
import java.util.function.ToDoubleFunction;

/**
 * Packs {@code double[]} and {@code double[][]} parameters into one vector and back, so that
 * {@link GradCheck} (a checker of functions of one vector) can check gradients of array methods.
 */
public final class Flat {
  private Flat() {}

  /** The elements of {@code arrays} ({@code double[]} or {@code double[][]}, row by row), in order. */
  public static double[] pack(Object... arrays) {
    double[] flat = new double[size(arrays)];
    int at = 0;
    for (Object array : arrays) {
      if (array instanceof double[] v) {
        System.arraycopy(v, 0, flat, at, v.length);
        at += v.length;
      } else {
        for (double[] row : (double[][]) array) {
          System.arraycopy(row, 0, flat, at, row.length);
          at += row.length;
        }
      }
    }
    return flat;
  }

  /** Writes {@code flat} back into {@code arrays}, the inverse of {@link #pack}. */
  public static void unpack(double[] flat, Object... arrays) {
    int at = 0;
    for (Object array : arrays) {
      if (array instanceof double[] v) {
        System.arraycopy(flat, at, v, 0, v.length);
        at += v.length;
      } else {
        for (double[] row : (double[][]) array) {
          System.arraycopy(flat, at, row, 0, row.length);
          at += row.length;
        }
      }
    }
  }

  private static int size(Object... arrays) {
    int size = 0;
    for (Object array : arrays) {
      if (array instanceof double[] v) {
        size += v.length;
      } else {
        for (double[] row : (double[][]) array) {
          size += row.length;
        }
      }
    }
    return size;
  }

  /**
   * Checks the entries {@code selected} of {@code gradient} (the full gradient of {@code f} at
   * {@code x}, from the code under test) against Ridders-extrapolated central differences of
   * {@code f} along those coordinates only: a full check of thousands of inputs would take
   * minutes.
   */
  public static GradCheckReport checkEntries(ToDoubleFunction<double[]> f, double[] x,
      double[] gradient, int[] selected, double relativeTolerance, double absoluteTolerance) {
    double[] sub = new double[selected.length];
    for (int s = 0; s < selected.length; s++) {
      sub[s] = x[selected[s]];
    }
    double value = f.applyAsDouble(x.clone());
    return GradCheck.of(
            point -> {
              double[] full = x.clone();
              for (int s = 0; s < selected.length; s++) {
                full[selected[s]] = point[s];
              }
              return f.applyAsDouble(full);
            },
            (point, g) -> {
              for (int s = 0; s < selected.length; s++) {
                g[s] += gradient[selected[s]];
              }
              return value;
            })
        .tolerances(relativeTolerance, absoluteTolerance)
        .at(sub);
  }

  /** {@code count} indices spread evenly over {@code [0, size)}, first and last included. */
  public static int[] spread(int size, int count) {
    int n = Math.min(size, count);
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = n == 1 ? 0 : (int) ((long) i * (size - 1) / (n - 1));
    }
    return indices;
  }
}
