package dev.adjoint.samples.adbench;

import dev.adjoint.Differentiable;

/**
 * ADBench's LSTM objective: a stack of {@code l} diagonal LSTM layers of width {@code b} predicts
 * each next character of a one-hot-like sequence; the loss is the mean negative log-likelihood
 * (see {@code adbench/OBJECTIVES.md}). Gradient: {@code LstmDiff.objectiveAdjoint}.
 */
public final class Lstm {
  private Lstm() {}

  /**
   * The LSTM loss.
   *
   * @param mainParams per layer, a row of weights {@code [forget, ingate, outgate, change]} (4b)
   *     then a row of biases in the same order (2l x 4b)
   * @param extraParams input weight, output weight, output bias (3 x b)
   * @param state per layer, the initial hidden then cell state (2l x b): copied, not changed
   * @param sequence the characters (c x b)
   */
  @Differentiable(wrt = {"mainParams", "extraParams"})
  public static double objective(
      double[][] mainParams, double[][] extraParams, double[][] state, double[][] sequence) {
    int layers = mainParams.length / 2;
    int b = extraParams[0].length;
    int c = sequence.length;
    double[][] hidden = new double[layers][b];
    double[][] cell = new double[layers][b];
    for (int layer = 0; layer < layers; layer++) {
      for (int i = 0; i < b; i++) {
        hidden[layer][i] = state[2 * layer][i];
        cell[layer][i] = state[2 * layer + 1][i];
      }
    }
    double[] input = new double[b];
    double total = 0;
    for (int t = 0; t < c - 1; t++) {
      for (int i = 0; i < b; i++) {
        input[i] = sequence[t][i] * extraParams[0][i];
      }
      for (int layer = 0; layer < layers; layer++) {
        for (int i = 0; i < b; i++) {
          double forget = sigmoid(input[i] * mainParams[2 * layer][i]
              + mainParams[2 * layer + 1][i]);
          double ingate = sigmoid(hidden[layer][i] * mainParams[2 * layer][b + i]
              + mainParams[2 * layer + 1][b + i]);
          double outgate = sigmoid(input[i] * mainParams[2 * layer][2 * b + i]
              + mainParams[2 * layer + 1][2 * b + i]);
          double change = Math.tanh(hidden[layer][i] * mainParams[2 * layer][3 * b + i]
              + mainParams[2 * layer + 1][3 * b + i]);
          cell[layer][i] = cell[layer][i] * forget + ingate * change;
          hidden[layer][i] = outgate * Math.tanh(cell[layer][i]);
          input[i] = hidden[layer][i];
        }
      }
      // Prediction, normalised by ADBench's log-sum-exp (which adds 2 inside the logarithm).
      double sumExp = 0;
      for (int i = 0; i < b; i++) {
        sumExp += Math.exp(input[i] * extraParams[1][i] + extraParams[2][i]);
      }
      double lse = Math.log(sumExp + 2);
      for (int i = 0; i < b; i++) {
        total += sequence[t + 1][i] * (input[i] * extraParams[1][i] + extraParams[2][i] - lse);
      }
    }
    return -total / ((c - 1) * b);
  }

  /** The logistic function. */
  @Differentiable
  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
