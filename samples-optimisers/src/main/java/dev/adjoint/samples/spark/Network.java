package dev.adjoint.samples.spark;

import dev.adjoint.Differentiable;

/**
 * A binary classifier on two features: a tanh network with one hidden layer, its loss on one
 * example and its prediction. {@code NetworkDiff} is generated from it.
 *
 * <p>The weights are one flat vector, as MLlib's optimisers want them: for hidden unit {@code
 * k}, {@code w[4k]} and {@code w[4k + 1]} weigh the two features, {@code w[4k + 2]} is its bias
 * and {@code w[4k + 3]} its weight in the output; {@code w[4h]} is the output's bias.
 */
public final class Network {
  private Network() {}

  /**
   * The number of weights of a network with {@code hidden} hidden units.
   *
   * @param hidden the hidden units
   * @return {@code 4 hidden + 1}
   */
  public static int weightCount(int hidden) {
    return 4 * hidden + 1;
  }

  /**
   * The network's output before the sigmoid (the log-odds of label 1).
   *
   * @param w the weights
   * @param x the two features
   * @return the logit
   */
  @Differentiable(wrt = "w")
  public static double logit(double[] w, double[] x) {
    int hidden = (w.length - 1) / 4;
    double z = w[4 * hidden];
    for (int k = 0; k < hidden; k++) {
      z += w[4 * k + 3] * Math.tanh(w[4 * k] * x[0] + w[4 * k + 1] * x[1] + w[4 * k + 2]);
    }
    return z;
  }

  /**
   * The binary cross-entropy of one example, {@code log(1 + e^z) - label z} with {@code z} the
   * {@link #logit}, written so that it does not overflow. Its generated adjoint, {@code
   * NetworkDiff.lossAdjoint(w, x, label, seed, wAdjoint, tape)}, is what MLlib's L-BFGS gets.
   *
   * @param w the weights
   * @param x the two features
   * @param label 0 or 1
   * @return the example's loss
   */
  @Differentiable(wrt = "w")
  public static double loss(double[] w, double[] x, double label) {
    double z = logit(w, x);
    return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - label * z;
  }

  /**
   * The predicted label.
   *
   * @param w the weights
   * @param x the two features
   * @return 1 when the logit is positive, else 0
   */
  public static double predict(double[] w, double[] x) {
    return logit(w, x) > 0 ? 1 : 0;
  }
}
