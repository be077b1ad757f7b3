package dev.adjoint.check;

import java.util.Arrays;
import java.util.Objects;

/**
 * Compares a gradient with finite differences, for users' own tests: the counterpart of
 * PyTorch's {@code torch.autograd.gradcheck} and JAX's {@code check_grads}.
 *
 * <pre>{@code
 * GradCheck.of(x -> Functions.complexe(x[0], x[1], x[2]),
 *              (x, g) -> FunctionsDiff.complexeAdjoint(x[0], x[1], x[2], 1.0, g))
 *     .at(7, 5, 2)
 *     .assertPassed();
 * }</pre>
 *
 * <p>The reference is a central difference extrapolated to zero step (Ridders' method), which
 * is accurate to about 1e-10 relative on smooth functions and reports its own error estimate.
 * A point where the function is not smooth within the step (a branch flips) shows up as a large
 * error estimate, and the report says so instead of blaming the gradient.
 */
public final class GradCheck {
  /** A scalar function of a vector. */
  @FunctionalInterface
  public interface Function {
    double value(double[] x);
  }

  /**
   * A gradient in the shape of a generated {@code mAdjoint(..., 1.0, gradient)}: returns the
   * value and adds the gradient into {@code gradient} (which the check zeroes first).
   */
  @FunctionalInterface
  public interface Gradient {
    double valueAndGradient(double[] x, double[] gradient);
  }

  private final Function function;
  private final Gradient gradient;
  private double relativeTolerance = 1e-6;
  private double absoluteTolerance = 1e-8;

  private GradCheck(Function function, Gradient gradient) {
    this.function = Objects.requireNonNull(function, "function");
    this.gradient = Objects.requireNonNull(gradient, "gradient");
  }

  /** A check of {@code gradient} against finite differences of {@code function}. */
  public static GradCheck of(Function function, Gradient gradient) {
    return new GradCheck(function, gradient);
  }

  /** Tolerances: an entry passes when |analytic - numeric| <= atol + rtol * |numeric|. */
  public GradCheck tolerances(double relative, double absolute) {
    if (!(relative >= 0) || !(absolute >= 0)) {
      throw new IllegalArgumentException(
          "tolerances must be >= 0, got relative " + relative + ", absolute " + absolute);
    }
    this.relativeTolerance = relative;
    this.absoluteTolerance = absolute;
    return this;
  }

  /** Runs the check at {@code point}. */
  public GradCheckReport at(double... point) {
    Objects.requireNonNull(point, "point");
    double[] x = point.clone();
    double[] analytic = new double[x.length];
    double value = gradient.valueAndGradient(x.clone(), analytic);
    double plain = function.value(x.clone());
    double[] numeric = new double[x.length];
    double[] errorEstimate = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double[] estimate = Ridders.derivative(function, x, i);
      numeric[i] = estimate[0];
      errorEstimate[i] = estimate[1];
    }
    return new GradCheckReport(x, value, plain, analytic, numeric, errorEstimate,
        relativeTolerance, absoluteTolerance);
  }

  @Override
  public String toString() {
    return "GradCheck[rtol=" + relativeTolerance + ", atol=" + absoluteTolerance + "]";
  }

  /** Central differences extrapolated to zero step (Ridders 1982, Numerical Recipes 5.7). */
  static final class Ridders {
    private static final int ROWS = 10;
    private static final double SHRINK = 1.4;

    private Ridders() {}

    /** {estimate, error estimate} of d f / d x[i]; tries three initial steps, keeps the best. */
    static double[] derivative(Function f, double[] x, int i) {
      double[] best = {Double.NaN, Double.POSITIVE_INFINITY};
      double h = 0.1 * Math.max(1.0, Math.abs(x[i]));
      for (int attempt = 0; attempt < 3; attempt++, h /= 8) {
        double[] e = tableau(f, x, i, h);
        if (e[1] < best[1] || Double.isNaN(best[0])) {
          best = e;
        }
      }
      return best;
    }

    private static double[] tableau(Function f, double[] x, int i, double h) {
      double[][] a = new double[ROWS][ROWS];
      a[0][0] = central(f, x, i, h);
      double estimate = a[0][0];
      double error = Double.POSITIVE_INFINITY;
      double factor = SHRINK * SHRINK;
      for (int row = 1; row < ROWS; row++) {
        h /= SHRINK;
        a[0][row] = central(f, x, i, h);
        double fac = factor;
        for (int col = 1; col <= row; col++) {
          a[col][row] = (a[col - 1][row] * fac - a[col - 1][row - 1]) / (fac - 1);
          fac *= factor;
          double err = Math.max(Math.abs(a[col][row] - a[col - 1][row]),
              Math.abs(a[col][row] - a[col - 1][row - 1]));
          if (err <= error) {
            error = err;
            estimate = a[col][row];
          }
        }
        if (Math.abs(a[row][row] - a[row - 1][row - 1]) >= 2 * error) {
          break;
        }
      }
      return new double[] {estimate, error};
    }

    private static double central(Function f, double[] x, int i, double h) {
      double[] p = Arrays.copyOf(x, x.length);
      p[i] = x[i] + h;
      double up = f.value(p);
      p = Arrays.copyOf(x, x.length);
      p[i] = x[i] - h;
      double down = f.value(p);
      return (up - down) / (2 * h);
    }
  }
}
