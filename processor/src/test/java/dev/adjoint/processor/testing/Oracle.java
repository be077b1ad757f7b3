package dev.adjoint.processor.testing;

import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * An independent derivative oracle: partial derivatives by central differences refined by
 * Richardson extrapolation (Ridders' method, as in Numerical Recipes {@code dfridr}).
 *
 * <p>The tableau starts from the step {@code h = 0.1 * max(1, |x_i|)} and shrinks it by a factor
 * of 1.4 per row; each row is extrapolated with the previous ones, and the entry whose error
 * estimate is smallest is returned together with that estimate. The search stops early once the
 * higher-order estimates start to get worse (by a factor {@link #SAFE}) than the best so far.
 *
 * <p>That initial step is too large for a function that varies quickly at the scale of {@code x}
 * (for example {@code tanh(4 cos^2 x)} at {@code x = 7}, where {@code h = 0.7}): ten rows then end
 * before the extrapolation converges, and the error estimate says so. The tableau is therefore
 * also run from {@link #RESTARTS} smaller initial steps (each {@link #RESTART_FACTOR} times
 * smaller), and the estimate with the smallest error estimate is returned.
 *
 * <p>Each coordinate may have a <em>representation</em> (for example rounding to {@code float}):
 * the perturbed points are rounded with it before the function is evaluated, and the difference
 * quotient divides by the distance between the rounded points, so that a function of a {@code
 * float} argument is differentiated with the steps it actually sees.
 */
public final class Oracle {

  /** Factor by which the step shrinks from one tableau row to the next. */
  public static final double CON = 1.4;

  private static final double CON2 = CON * CON;

  /** Number of rows of the tableau. */
  public static final int NTAB = 10;

  /** Stop when the error grows by this factor over the best one so far. */
  public static final double SAFE = 2.0;

  /** Number of further tableaux, from smaller initial steps. */
  public static final int RESTARTS = 2;

  /** Each further tableau starts from a step this many times smaller. */
  public static final double RESTART_FACTOR = 8;

  private Oracle() {}

  /** A derivative estimate with its error estimate (a non-negative number, possibly infinite). */
  public record Estimate(double value, double error) {
    @Override
    public String toString() {
      return value + " (±" + error + ")";
    }
  }

  /** The initial step that {@link #partial(ToDoubleFunction, double[], int)} uses at {@code x}. */
  public static double initialStep(double x) {
    return 0.1 * Math.max(1.0, Math.abs(x));
  }

  /** d f / d x at x, for a function of one variable. */
  public static Estimate derivative(DoubleUnaryOperator f, double x) {
    return partial(v -> f.applyAsDouble(v[0]), new double[] {x}, 0);
  }

  /** The partial derivative of f with respect to coordinate {@code i} at {@code x}. */
  public static Estimate partial(ToDoubleFunction<double[]> f, double[] x, int i) {
    return partial(f, x, i, DoubleUnaryOperator.identity(), initialStep(x[i]));
  }

  /**
   * The partial derivative of f with respect to coordinate {@code i} at {@code x}, with the
   * coordinate's perturbed values passed through {@code representation} (e.g. {@code v ->
   * (float) v}) and the given initial step.
   */
  public static Estimate partial(
      ToDoubleFunction<double[]> f,
      double[] x,
      int i,
      DoubleUnaryOperator representation,
      double initialStep) {
    if (!(initialStep > 0) || Double.isInfinite(initialStep)) {
      throw new IllegalArgumentException("initial step must be positive and finite: " + initialStep);
    }
    Estimate best = ridders(f, x, i, representation, initialStep);
    double step = initialStep;
    for (int r = 0; r < RESTARTS; r++) {
      step /= RESTART_FACTOR;
      Estimate e = ridders(f, x, i, representation, step);
      if (e.error() < best.error()) {
        best = e;
      }
    }
    return best;
  }

  /** One Ridders tableau from the given initial step. */
  public static Estimate ridders(
      ToDoubleFunction<double[]> f,
      double[] x,
      int i,
      DoubleUnaryOperator representation,
      double initialStep) {
    double[] point = x.clone();
    double[][] a = new double[NTAB][NTAB];
    double hh = initialStep;
    a[0][0] = centralDifference(f, point, i, hh, representation);
    double err = Double.POSITIVE_INFINITY;
    double ans = a[0][0];
    for (int row = 1; row < NTAB; row++) {
      hh /= CON;
      a[0][row] = centralDifference(f, point, i, hh, representation);
      double fac = CON2;
      for (int j = 1; j <= row; j++) {
        a[j][row] = (a[j - 1][row] * fac - a[j - 1][row - 1]) / (fac - 1.0);
        fac *= CON2;
        double errt =
            Math.max(
                Math.abs(a[j][row] - a[j - 1][row]), Math.abs(a[j][row] - a[j - 1][row - 1]));
        if (errt <= err) {
          err = errt;
          ans = a[j][row];
        }
      }
      if (Math.abs(a[row][row] - a[row - 1][row - 1]) >= SAFE * err) {
        break;
      }
    }
    if (Double.isNaN(err)) {
      err = Double.POSITIVE_INFINITY;
    }
    return new Estimate(ans, err);
  }

  /** All partial derivatives of f at x, each with its error estimate. */
  public static Estimate[] gradient(ToDoubleFunction<double[]> f, double[] x) {
    Estimate[] g = new Estimate[x.length];
    for (int i = 0; i < x.length; i++) {
      g[i] = partial(f, x, i);
    }
    return g;
  }

  /**
   * The partials of f at x with a representation per coordinate (null entries: exact doubles).
   */
  public static Estimate[] gradient(
      ToDoubleFunction<double[]> f, double[] x, DoubleUnaryOperator[] representations) {
    Estimate[] g = new Estimate[x.length];
    for (int i = 0; i < x.length; i++) {
      DoubleUnaryOperator r =
          representations[i] == null ? DoubleUnaryOperator.identity() : representations[i];
      g[i] = partial(f, x, i, r, initialStep(x[i]));
    }
    return g;
  }

  private static double centralDifference(
      ToDoubleFunction<double[]> f,
      double[] point,
      int i,
      double h,
      DoubleUnaryOperator representation) {
    double x = point[i];
    // Dividing by the distance between the points actually evaluated removes the rounding error
    // of x +- h (and of the representation) from the step.
    double xp = representation.applyAsDouble(x + h);
    double xm = representation.applyAsDouble(x - h);
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
}
