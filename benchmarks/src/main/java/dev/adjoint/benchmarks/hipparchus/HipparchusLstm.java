package dev.adjoint.benchmarks.hipparchus;

import dev.adjoint.samples.adbench.LstmInput;
import org.hipparchus.analysis.differentiation.Gradient;

/** The LSTM loss with Hipparchus's forward-mode {@link Gradient}: all parameters in one pass. */
public final class HipparchusLstm {
  private HipparchusLstm() {}

  /** The loss, with its gradient over {@code [mainParams, extraParams]} into {@code gradient}. */
  public static double gradient(LstmInput in, double[] gradient) {
    int width = in.parameterCount();
    int[] next = {0};
    Gradient[][] main = variables(in.mainParams(), width, next);
    Gradient[][] extra = variables(in.extraParams(), width, next);
    int layers = main.length / 2;
    int b = extra[0].length;
    double[][] sequence = in.sequence();
    int c = sequence.length;
    Gradient[][] hidden = new Gradient[layers][b];
    Gradient[][] cell = new Gradient[layers][b];
    for (int layer = 0; layer < layers; layer++) {
      for (int i = 0; i < b; i++) {
        hidden[layer][i] = Gradient.constant(width, in.state()[2 * layer][i]);
        cell[layer][i] = Gradient.constant(width, in.state()[2 * layer + 1][i]);
      }
    }
    Gradient[] input = new Gradient[b];
    Gradient total = Gradient.constant(width, 0);
    for (int t = 0; t < c - 1; t++) {
      for (int i = 0; i < b; i++) {
        input[i] = extra[0][i].multiply(sequence[t][i]);
      }
      for (int layer = 0; layer < layers; layer++) {
        Gradient[] w = main[2 * layer];
        Gradient[] bias = main[2 * layer + 1];
        for (int i = 0; i < b; i++) {
          Gradient forget = sigmoid(input[i].multiply(w[i]).add(bias[i]));
          Gradient ingate = sigmoid(hidden[layer][i].multiply(w[b + i]).add(bias[b + i]));
          Gradient outgate = sigmoid(input[i].multiply(w[2 * b + i]).add(bias[2 * b + i]));
          Gradient change = hidden[layer][i].multiply(w[3 * b + i]).add(bias[3 * b + i]).tanh();
          cell[layer][i] = cell[layer][i].multiply(forget).add(ingate.multiply(change));
          hidden[layer][i] = outgate.multiply(cell[layer][i].tanh());
          input[i] = hidden[layer][i];
        }
      }
      Gradient[] y = new Gradient[b];
      Gradient sumExp = Gradient.constant(width, 0);
      for (int i = 0; i < b; i++) {
        y[i] = input[i].multiply(extra[1][i]).add(extra[2][i]);
        sumExp = sumExp.add(y[i].exp());
      }
      Gradient lse = sumExp.add(2).log();
      for (int i = 0; i < b; i++) {
        total = total.add(y[i].subtract(lse).multiply(sequence[t + 1][i]));
      }
    }
    Gradient loss = total.negate().divide((c - 1) * b);
    System.arraycopy(loss.getGradient(), 0, gradient, 0, width);
    return loss.getValue();
  }

  private static Gradient sigmoid(Gradient x) {
    return x.negate().exp().add(1).reciprocal();
  }

  private static Gradient[][] variables(double[][] values, int width, int[] next) {
    Gradient[][] g = new Gradient[values.length][];
    for (int r = 0; r < values.length; r++) {
      g[r] = new Gradient[values[r].length];
      for (int j = 0; j < values[r].length; j++) {
        g[r][j] = Gradient.variable(width, next[0]++, values[r][j]);
      }
    }
    return g;
  }
}
