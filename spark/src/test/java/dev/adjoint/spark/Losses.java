package dev.adjoint.spark;

import dev.adjoint.Differentiable;

/** Per-example losses the adapter is tested on; {@code LossesDiff} is generated from them. */
public final class Losses {
  private Losses() {}

  /** Logistic regression: {@code softplus(z) - label z} with {@code z = w . x}, as MLlib's. */
  @Differentiable(wrt = "w")
  public static double logistic(double[] w, double[] x, double label) {
    double z = 0;
    for (int j = 0; j < x.length; j++) {
      z += w[j] * x[j];
    }
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - label * z;
  }

  /**
   * A tanh network with {@code h} hidden units on two inputs: {@code w[4k..4k+3]} are unit
   * {@code k}'s two weights, bias and output weight, {@code w[4h]} the output bias.
   */
  @Differentiable(wrt = "w")
  public static double network(double[] w, double[] x, double label) {
    int hidden = (w.length - 1) / 4;
    double z = w[4 * hidden];
    for (int k = 0; k < hidden; k++) {
      z += w[4 * k + 3] * Math.tanh(w[4 * k] * x[0] + w[4 * k + 1] * x[1] + w[4 * k + 2]);
    }
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - label * z;
  }
}
