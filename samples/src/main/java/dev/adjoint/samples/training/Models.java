package dev.adjoint.samples.training;

import dev.adjoint.Differentiable;

/**
 * Two classifiers' training losses, written as plain loops over arrays: the mean binary
 * cross-entropy of logistic regression and of a one-hidden-layer tanh network. Their gradients
 * with respect to the weights come from {@code ModelsDiff}.
 */
public final class Models {
  private Models() {}

  /**
   * Mean binary cross-entropy of {@code sigmoid(w . x_i + b)} against labels {@code y_i} in {0, 1}.
   */
  @Differentiable(wrt = {"w", "b"})
  public static double logisticLoss(double[] w, double b, double[][] x, double[] y) {
    double loss = 0;
    for (int i = 0; i < x.length; i++) {
      double z = b;
      for (int j = 0; j < w.length; j++) {
        z += w[j] * x[i][j];
      }
      loss += softplus(z) - y[i] * z;
    }
    return loss / x.length;
  }

  /**
   * Mean binary cross-entropy of a network with one hidden tanh layer: {@code z = b2 + w2 .
   * tanh(w1 x + b1)}.
   *
   * @param w1 hidden weights (hidden x inputs)
   * @param b1 hidden biases
   * @param w2 output weights (hidden)
   * @param b2 output bias
   */
  @Differentiable(wrt = {"w1", "b1", "w2", "b2"})
  public static double networkLoss(double[][] w1, double[] b1, double[] w2, double b2,
      double[][] x, double[] y) {
    double[] hidden = new double[b1.length];
    double loss = 0;
    for (int i = 0; i < x.length; i++) {
      double z = b2;
      for (int h = 0; h < b1.length; h++) {
        double a = b1[h];
        for (int j = 0; j < x[i].length; j++) {
          a += w1[h][j] * x[i][j];
        }
        hidden[h] = Math.tanh(a);
        z += w2[h] * hidden[h];
      }
      loss += softplus(z) - y[i] * z;
    }
    return loss / x.length;
  }

  /** {@code log(1 + e^z)} without overflow: {@code max(z, 0) + log1p(e^{-|z|})}. */
  @Differentiable
  static double softplus(double z) {
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  }

  /** The network's output probability for one point (no gradient needed: the plain method). */
  public static double networkProbability(double[][] w1, double[] b1, double[] w2, double b2,
      double[] point) {
    double z = b2;
    for (int h = 0; h < b1.length; h++) {
      double a = b1[h];
      for (int j = 0; j < point.length; j++) {
        a += w1[h][j] * point[j];
      }
      z += w2[h] * Math.tanh(a);
    }
    return 1 / (1 + Math.exp(-z));
  }
}
