package dev.adjoint.samples.natural;

import dev.adjoint.Differentiable;

/**
 * A two-layer perceptron written the usual way: a {@code dense} layer helper that returns a
 * fresh activation array, called once per layer. The helper is a plain private method; the
 * loss is the one differentiated.
 */
public final class TinyNetwork {
  private TinyNetwork() {}

  /** {@code tanh(W x + b)}, a new array. */
  private static double[] dense(double[][] w, double[] x, double[] b) {
    double[] out = new double[b.length];
    for (int i = 0; i < out.length; i++) {
      double s = b[i];
      for (int j = 0; j < x.length; j++) {
        s += w[i][j] * x[j];
      }
      out[i] = Math.tanh(s);
    }
    return out;
  }

  /** Mean squared error of the network's output on one example. */
  @Differentiable
  public static double loss(double[][] w1, double[] b1, double[][] w2, double[] b2, double[] x,
      double[] target) {
    double[] hidden = dense(w1, x, b1);
    double[] output = dense(w2, hidden, b2);
    double loss = 0;
    for (int i = 0; i < output.length; i++) {
      double d = output[i] - target[i];
      loss += d * d;
    }
    return loss / output.length;
  }
}
