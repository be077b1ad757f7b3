package dev.adjoint.cuda.bench;

import dev.adjoint.Differentiable;
import dev.adjoint.Elementwise;

/** Elementwise functions whose generated kernels the GPU tests and the benchmark run. */
public final class Activations {
  private Activations() {}

  /** The benchmark function, f(x) = tanh(4 cos^2 x). */
  @Differentiable
  @Elementwise
  public static double tanh4cos2(double x) {
    double c = Math.cos(x);
    return Math.tanh(4 * c * c);
  }

  /** Two inputs, a branch and a call: a softly clipped, scaled activation. */
  @Differentiable
  @Elementwise
  public static double scaledClip(double x, double scale) {
    double y = scale * x;
    if (y > 2) {
      y = 2 + Math.log1p(y - 2);
    }
    return y * tanh4cos2(x);
  }
}
