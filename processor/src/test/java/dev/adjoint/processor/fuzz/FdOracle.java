package dev.adjoint.processor.fuzz;

import java.util.function.ToDoubleFunction;

/**
 * Ridders-extrapolated central differences, the scheme of {@code testing.Oracle} (same tableau,
 * same restarts from smaller steps), extended for the fuzzer with two numbers the tolerance needs:
 * the step at which the returned estimate was found, and the evaluation noise of the function
 * near the point. Ridders' own error estimate can be fooled by a function whose values are
 * quantized at the scale of the step (tanh near 1, a large value with a tiny slope): successive
 * extrapolations then agree while all being off by about {@code noise / step}.
 */
final class FdOracle {
  static final double CON = 1.4;
  static final double CON2 = CON * CON;
  static final int NTAB = 10;
  static final double SAFE = 2.0;
  static final int RESTARTS = 2;
  static final double RESTART_FACTOR = 8;

  private FdOracle() {}

  /** The derivative, Ridders' error estimate, the step it came from, and the noise of f. */
  record Estimate(double value, double error, double step, double noise) {
    /** The error to expect from rounding: noise amplified by the central difference. */
    double roundoff() {
      return noise / step;
    }

    @Override
    public String toString() {
      return value + " (error " + error + ", step " + step + ", noise " + noise + ")";
    }
  }

  /** d f / d x_i at x, from the initial step h (the largest step used). */
  static Estimate partial(ToDoubleFunction<double[]> f, double[] x, int i, double h) {
    double[] best = ridders(f, x, i, h);
    double step = h;
    for (int r = 0; r < RESTARTS; r++) {
      step /= RESTART_FACTOR;
      double[] e = ridders(f, x, i, step);
      if (e[1] < best[1]) {
        best = e;
      }
    }
    return new Estimate(best[0], best[1], best[2], noise(f, x, i, h / 1024));
  }

  /** One tableau: {value, error, step of the estimate}. */
  private static double[] ridders(ToDoubleFunction<double[]> f, double[] x, int i, double h) {
    double[] point = x.clone();
    double[][] a = new double[NTAB][NTAB];
    double[] steps = new double[NTAB];
    double hh = h;
    steps[0] = hh;
    a[0][0] = central(f, point, i, hh);
    double err = Double.POSITIVE_INFINITY;
    double ans = a[0][0];
    double ansStep = hh;
    for (int row = 1; row < NTAB; row++) {
      hh /= CON;
      steps[row] = hh;
      a[0][row] = central(f, point, i, hh);
      double fac = CON2;
      for (int j = 1; j <= row; j++) {
        a[j][row] = (a[j - 1][row] * fac - a[j - 1][row - 1]) / (fac - 1.0);
        fac *= CON2;
        double errt = Math.max(Math.abs(a[j][row] - a[j - 1][row]),
            Math.abs(a[j][row] - a[j - 1][row - 1]));
        if (errt <= err) {
          err = errt;
          ans = a[j][row];
          ansStep = hh;
        }
      }
      if (Math.abs(a[row][row] - a[row - 1][row - 1]) >= SAFE * err) {
        break;
      }
    }
    if (Double.isNaN(err)) {
      err = Double.POSITIVE_INFINITY;
    }
    return new double[] {ans, err, ansStep};
  }

  private static double central(ToDoubleFunction<double[]> f, double[] point, int i, double h) {
    double x = point[i];
    double xp = x + h;
    double xm = x - h;
    try {
      point[i] = xp;
      double fp = f.applyAsDouble(point);
      point[i] = xm;
      double fm = f.applyAsDouble(point);
      return (fp - fm) / (xp - xm);
    } finally {
      point[i] = x;
    }
  }

  /**
   * The evaluation noise of f along coordinate i: from eight samples {@code delta} apart, the
   * largest third difference divided by sqrt(20) (its standard deviation for white noise of
   * standard deviation 1); over so short a stretch the smooth part of f cancels.
   */
  static double noise(ToDoubleFunction<double[]> f, double[] x, int i, double delta) {
    double[] point = x.clone();
    double[] v = new double[8];
    for (int j = 0; j < v.length; j++) {
      point[i] = x[i] + j * delta;
      v[j] = f.applyAsDouble(point);
    }
    double worst = 0;
    for (int j = 0; j + 3 < v.length; j++) {
      worst = Math.max(worst, Math.abs(v[j + 3] - 3 * v[j + 2] + 3 * v[j + 1] - v[j]));
    }
    // At least the rounding of the value itself.
    return Math.max(worst / Math.sqrt(20), Math.ulp(v[0]));
  }
}
