package dev.adjoint.benchmarks;

import java.util.function.DoubleSupplier;

/**
 * Central finite differences, the derivative a user gets without any AD tool: two evaluations
 * of the objective per input, each input perturbed in place and restored.
 */
public final class CentralDifferences {
  private CentralDifferences() {}

  /** Step relative to the input's magnitude: about the cube root of the machine epsilon. */
  private static final double STEP = 6e-6;

  /**
   * Differences {@code f} along the first {@code columns} elements of {@code rows} (row by row),
   * writing them to {@code gradient[0 .. columns)}.
   *
   * @return the number of columns done
   */
  public static int gradient(DoubleSupplier f, double[][] rows, double[] gradient, int columns) {
    int done = 0;
    for (double[] row : rows) {
      for (int j = 0; j < row.length && done < columns; j++) {
        gradient[done++] = along(f, row, j);
      }
    }
    return done;
  }

  /** {@code (f(x + h e_j) - f(x - h e_j)) / 2h} along element {@code j} of {@code row}. */
  public static double along(DoubleSupplier f, double[] row, int j) {
    double x = row[j];
    double h = STEP * Math.max(1, Math.abs(x));
    row[j] = x + h;
    double plus = f.getAsDouble();
    row[j] = x - h;
    double minus = f.getAsDouble();
    row[j] = x;
    return (plus - minus) / (2 * h);
  }
}
