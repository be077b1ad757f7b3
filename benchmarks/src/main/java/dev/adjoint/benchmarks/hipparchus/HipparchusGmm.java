package dev.adjoint.benchmarks.hipparchus;

import dev.adjoint.samples.adbench.Gmm;
import dev.adjoint.samples.adbench.GmmInput;
import org.hipparchus.analysis.differentiation.Gradient;

/**
 * The GMM objective written with Hipparchus's forward-mode {@link Gradient}, the way a Java user
 * would differentiate it today. Forward mode carries one partial per free parameter through
 * every operation, so a pass can seed a window of the parameters ({@code first}, {@code width})
 * and the full gradient takes {@code ceil(N / width)} passes.
 */
public final class HipparchusGmm {
  private HipparchusGmm() {}

  /**
   * One forward pass seeding parameters {@code [first, first + width)} of the flat vector
   * {@code [alphas, means, icf]}; their partials go to {@code gradient[first ..]}.
   *
   * @return the objective's value
   */
  public static double pass(GmmInput in, int first, int width, double[] gradient) {
    int k = in.k();
    int d = in.d();
    int icfSize = in.icf()[0].length;
    int[] next = {0};
    Gradient[] alphas = new Gradient[k];
    for (int c = 0; c < k; c++) {
      alphas[c] = seed(in.alphas()[c], next, first, width);
    }
    Gradient[][] means = new Gradient[k][d];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < d; j++) {
        means[c][j] = seed(in.means()[c][j], next, first, width);
      }
    }
    Gradient[][] icf = new Gradient[k][icfSize];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < icfSize; j++) {
        icf[c][j] = seed(in.icf()[c][j], next, first, width);
      }
    }
    Gradient f = objective(alphas, means, icf, in.x(), in.gamma(), in.m(), width);
    System.arraycopy(f.getGradient(), 0, gradient, first, width);
    return f.getValue();
  }

  private static Gradient seed(double value, int[] next, int first, int width) {
    int index = next[0]++;
    return index >= first && index < first + width
        ? Gradient.variable(width, index - first, value)
        : Gradient.constant(width, value);
  }

  static Gradient objective(Gradient[] alphas, Gradient[][] means, Gradient[][] icf,
      double[][] x, double gamma, int m, int width) {
    int k = alphas.length;
    int d = means[0].length;
    int n = x.length;
    Gradient[][] qdiags = new Gradient[k][d];
    Gradient[] sumQs = new Gradient[k];
    for (int c = 0; c < k; c++) {
      Gradient s = Gradient.constant(width, 0);
      for (int j = 0; j < d; j++) {
        qdiags[c][j] = icf[c][j].exp();
        s = s.add(icf[c][j]);
      }
      sumQs[c] = s;
    }
    Gradient[] xcentered = new Gradient[d];
    Gradient[] mainTerm = new Gradient[k];
    Gradient slse = Gradient.constant(width, 0);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          xcentered[j] = means[c][j].negate().add(x[i][j]);
        }
        Gradient sqnorm = Gradient.constant(width, 0);
        for (int row = 0; row < d; row++) {
          Gradient qx = qdiags[c][row].multiply(xcentered[row]);
          for (int col = 0; col < row; col++) {
            qx = qx.add(icf[c][lowerIndex(d, row, col)].multiply(xcentered[col]));
          }
          sqnorm = sqnorm.add(qx.multiply(qx));
        }
        mainTerm[c] = alphas[c].add(sumQs[c]).subtract(sqnorm.multiply(0.5));
      }
      slse = slse.add(logSumExp(mainTerm));
    }
    double constant = -n * d * 0.5 * Math.log(2 * 3.14159265359);
    Gradient prior = Gradient.constant(width, 0);
    for (int c = 0; c < k; c++) {
      Gradient frobenius = Gradient.constant(width, 0);
      for (int j = 0; j < d; j++) {
        frobenius = frobenius.add(qdiags[c][j].multiply(qdiags[c][j]));
      }
      for (int j = d; j < icf[c].length; j++) {
        frobenius = frobenius.add(icf[c][j].multiply(icf[c][j]));
      }
      prior = prior.add(frobenius.multiply(0.5 * gamma * gamma)).subtract(sumQs[c].multiply(m));
    }
    double wishart = Gmm.wishartLogConstant(gamma, m, d);
    return slse.add(constant).subtract(logSumExp(alphas).multiply(n)).add(prior)
        .subtract(k * wishart);
  }

  static int lowerIndex(int d, int row, int col) {
    return d + col * (2 * d - col - 1) / 2 + row - col - 1;
  }

  static Gradient logSumExp(Gradient[] v) {
    Gradient max = v[0];
    for (int i = 1; i < v.length; i++) {
      if (v[i].getValue() > max.getValue()) {
        max = v[i];
      }
    }
    Gradient sum = v[0].subtract(max).exp();
    for (int i = 1; i < v.length; i++) {
      sum = sum.add(v[i].subtract(max).exp());
    }
    return sum.log().add(max);
  }
}
