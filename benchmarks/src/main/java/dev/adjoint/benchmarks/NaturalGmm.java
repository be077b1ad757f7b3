package dev.adjoint.benchmarks;

import dev.adjoint.Differentiable;
import dev.adjoint.samples.adbench.Gmm;

/**
 * ADBench's GMM objective written the way ADBench's own C++ reference ({@code gmm.h}) writes it,
 * as a user porting that code would: flat {@code double[]} arrays indexed {@code ik * d + id},
 * scratch arrays {@code xcentered} and {@code qxcentered} allocated once and overwritten for every
 * point and component, the lower-triangular product accumulated in place with a running index into
 * the packed factor, and a {@code logsumexp} helper. Nothing here is arranged for the
 * differentiation tool; {@link Gmm} is the samples' version of the same objective.
 */
public final class NaturalGmm {
  private NaturalGmm() {}

  /** ADBench's literal for pi. */
  static final double PI = 3.14159265359;

  /**
   * The GMM objective.
   *
   * @param d dimension of the points
   * @param k number of components
   * @param n number of points
   * @param alphas mixture weights before the softmax (k)
   * @param means component means, component after component (k * d)
   * @param icf per component, the d log-diagonal entries then the strictly lower part of the
   *     inverse covariance's Cholesky factor column by column (k * d(d+1)/2)
   * @param x the points, one after the other (n * d)
   * @param gamma the Wishart prior's gamma
   * @param m the Wishart prior's degrees of freedom beyond d + 1
   */
  @Differentiable(wrt = {"alphas", "means", "icf"})
  public static double objective(int d, int k, int n, double[] alphas, double[] means,
      double[] icf, double[] x, double gamma, int m) {
    double constant = -n * d * 0.5 * Math.log(2 * PI);
    int icfSize = d * (d + 1) / 2;
    double[] qdiags = new double[d * k];
    double[] sumQs = new double[k];
    double[] xcentered = new double[d];
    double[] qxcentered = new double[d];
    double[] mainTerm = new double[k];

    // preprocess_qs
    for (int ik = 0; ik < k; ik++) {
      sumQs[ik] = 0;
      for (int id = 0; id < d; id++) {
        double q = icf[ik * icfSize + id];
        sumQs[ik] += q;
        qdiags[ik * d + id] = Math.exp(q);
      }
    }

    double slse = 0;
    for (int ix = 0; ix < n; ix++) {
      for (int ik = 0; ik < k; ik++) {
        // subtract
        for (int id = 0; id < d; id++) {
          xcentered[id] = x[ix * d + id] - means[ik * d + id];
        }
        // Qtimesx
        for (int id = 0; id < d; id++) {
          qxcentered[id] = qdiags[ik * d + id] * xcentered[id];
        }
        int li = ik * icfSize + d;
        for (int i = 0; i < d; i++) {
          for (int j = i + 1; j < d; j++) {
            qxcentered[j] += icf[li] * xcentered[i];
            li++;
          }
        }
        // sqnorm
        double sqnorm = 0;
        for (int id = 0; id < d; id++) {
          sqnorm += qxcentered[id] * qxcentered[id];
        }
        mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqnorm;
      }
      slse += logsumexp(mainTerm);
    }
    double lseAlphas = logsumexp(alphas);

    // log_wishart_prior
    double prior = 0;
    for (int ik = 0; ik < k; ik++) {
      double frobenius = 0;
      for (int id = 0; id < d; id++) {
        frobenius += qdiags[ik * d + id] * qdiags[ik * d + id];
      }
      for (int i = ik * icfSize + d; i < (ik + 1) * icfSize; i++) {
        frobenius += icf[i] * icf[i];
      }
      prior += 0.5 * gamma * gamma * frobenius - m * sumQs[ik];
    }
    prior -= k * Gmm.wishartLogConstant(gamma, m, d);

    return constant + slse - n * lseAlphas + prior;
  }

  /** {@code log(sum(exp(v)))}, shifted by the maximum. */
  @Differentiable
  static double logsumexp(double[] v) {
    double mx = v[0];
    for (int i = 1; i < v.length; i++) {
      if (v[i] > mx) {
        mx = v[i];
      }
    }
    double semx = 0;
    for (int i = 0; i < v.length; i++) {
      semx += Math.exp(v[i] - mx);
    }
    return Math.log(semx) + mx;
  }
}
