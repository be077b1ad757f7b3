package dev.adjoint.hipparchus;

import dev.adjoint.Differentiable;

/** Models the adapters are tested on; {@code TestModelsDiff} is generated from them. */
public final class TestModels {
  private TestModels() {}

  /** A damped oscillator {@code a e^{-k t} cos(w t + phi)}, {@code p = (a, k, w, phi)}. */
  @Differentiable(wrt = "p")
  public static double oscillator(double[] p, double t) {
    return p[0] * Math.exp(-p[1] * t) * Math.cos(p[2] * t + p[3]);
  }

  /** The same oscillator at every abscissa at once: a vector function with a Jacobian. */
  @Differentiable(wrt = "p")
  public static double[] oscillatorCurve(double[] p, double[] t) {
    double[] y = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      y[i] = p[0] * Math.exp(-p[1] * t[i]) * Math.cos(p[2] * t[i] + p[3]);
    }
    return y;
  }

  /** Rosenbrock's function in any dimension; minimum 0 at (1, ..., 1). */
  @Differentiable
  public static double rosenbrock(double[] x) {
    double s = 0;
    for (int i = 0; i < x.length - 1; i++) {
      double a = 1 - x[i];
      double b = x[i + 1] - x[i] * x[i];
      s += a * a + 100 * b * b;
    }
    return s;
  }
}
