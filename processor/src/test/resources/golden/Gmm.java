package golden;

import dev.adjoint.Differentiable;

/**
 * ADBench's Gaussian mixture model objective (the negative log-likelihood of {@code n} points under
 * {@code K} Gaussians with Cholesky-parameterised inverse covariances, plus a Wishart prior), as
 * defined by ADBench's C++ reference code: see {@code adbench/OBJECTIVES.md}. Its gradient with
 * respect to the weights, means and inverse-covariance factors is {@code GmmDiff.objectiveAdjoint}.
 */
public final class Gmm {
  private Gmm() {}

  /** ADBench's literal for pi (its C++ {@code PI} macro), kept so that its values are matched. */
  static final double PI = 3.14159265359;

  /**
   * The GMM objective.
   *
   * @param alphas mixture weights, before the softmax (K)
   * @param means component means (K x d)
   * @param icf per component, the log-diagonal q (d values) then the strictly lower part l of the
   *     inverse covariance's Cholesky factor, column by column (K x d(d+1)/2)
   * @param x the points (n x d)
   * @param gamma Wishart prior's gamma
   * @param m Wishart prior's degrees of freedom beyond d + 1
   */
  @Differentiable(wrt = {"alphas", "means", "icf"})
  public static double objective(
      double[] alphas, double[][] means, double[][] icf, double[][] x, double gamma, int m) {
    int k = alphas.length;
    int d = means[0].length;
    int n = x.length;
    // Per component: exp of the diagonal's logs, and their sum (the log-determinant).
    double[][] qdiags = new double[k][d];
    double[] sumQs = new double[k];
    for (int c = 0; c < k; c++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        qdiags[c][j] = Math.exp(icf[c][j]);
        s += icf[c][j];
      }
      sumQs[c] = s;
    }
    double[] xcentered = new double[d];
    double[] mainTerm = new double[k];
    double slse = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < d; j++) {
          xcentered[j] = x[i][j] - means[c][j];
        }
        // || Q xcentered ||^2, row by row of the lower-triangular Q, without storing Q xcentered:
        // a running sum per row keeps the reverse sweep from saving every partial update.
        double sqnorm = 0;
        for (int row = 0; row < d; row++) {
          double qx = qdiags[c][row] * xcentered[row];
          for (int col = 0; col < row; col++) {
            qx += icf[c][lowerIndex(d, row, col)] * xcentered[col];
          }
          sqnorm += qx * qx;
        }
        mainTerm[c] = alphas[c] + sumQs[c] - 0.5 * sqnorm;
      }
      slse += logSumExp(mainTerm);
    }
    double constant = -n * d * 0.5 * Math.log(2 * PI);
    double prior = 0;
    for (int c = 0; c < k; c++) {
      double frobenius = 0;
      for (int j = 0; j < d; j++) {
        frobenius += qdiags[c][j] * qdiags[c][j];
      }
      for (int j = d; j < icf[c].length; j++) {
        frobenius += icf[c][j] * icf[c][j];
      }
      prior += 0.5 * gamma * gamma * frobenius - m * sumQs[c];
    }
    double wishartConstant = wishartLogConstant(gamma, m, d);
    return constant + slse - n * logSumExp(alphas) + prior - k * wishartConstant;
  }

  /**
   * Where ADBench's icf layout keeps Q[row][col], {@code row > col}: after the d diagonal logs,
   * the strictly lower part column by column.
   */
  static int lowerIndex(int d, int row, int col) {
    return d + col * (2 * d - col - 1) / 2 + row - col - 1;
  }

  /** {@code log(sum(exp(v)))}, shifted by the maximum so that nothing overflows. */
  @Differentiable
  static double logSumExp(double[] v) {
    double max = v[0];
    for (int i = 1; i < v.length; i++) {
      if (v[i] > max) {
        max = v[i];
      }
    }
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      sum += Math.exp(v[i] - max);
    }
    return Math.log(sum) + max;
  }

  /**
   * The Wishart prior's normalising constant {@code C = N d (ln gamma - 0.5 ln 2) - lnGamma_d(N /
   * 2)} with {@code N = d + m + 1}: a constant of the objective (no parameter is differentiated).
   */
  public static double wishartLogConstant(double gamma, int m, int d) {
    int dof = d + m + 1;
    double multivariateLogGamma = 0.25 * d * (d - 1) * Math.log(PI);
    for (int j = 1; j <= d; j++) {
      multivariateLogGamma += LogGamma.of(0.5 * dof + 0.5 * (1 - j));
    }
    return dof * d * (Math.log(gamma) - 0.5 * Math.log(2)) - multivariateLogGamma;
  }
}
