package dev.adjoint.benchmarks.probe;

import dev.adjoint.Differentiable;

/**
 * Objectives written the way people write Java, nothing arranged for the tool: enhanced for,
 * scratch arrays overwritten in place, helpers returning arrays, records, {@code Math.max}. The
 * probe times each one's generated adjoint against the objective ({@link ProbeTiming}) and checks
 * its gradient against Ridders' differences ({@link NaturalCodeTest}).
 */
final class NaturalCode {
  private NaturalCode() {}

  /** An option in a book: strike, years to expiry and how many are held. */
  record Option(double strike, double maturity, double quantity) {}

  /** Mean softmax cross-entropy of a one-hidden-layer tanh network over a batch. */
  @Differentiable
  static double mlpLoss(double[][] w1, double[] b1, double[][] w2, double[] b2, double[][] xs,
      int[] labels) {
    int hidden = b1.length;
    int classes = b2.length;
    double[] h = new double[hidden];
    double[] z = new double[classes];
    double loss = 0;
    int s = 0;
    for (double[] x : xs) {
      for (int j = 0; j < hidden; j++) {
        double a = b1[j];
        for (int i = 0; i < x.length; i++) {
          a += w1[j][i] * x[i];
        }
        h[j] = Math.tanh(a);
      }
      double max = z[0];
      for (int c = 0; c < classes; c++) {
        double a = b2[c];
        for (int j = 0; j < hidden; j++) {
          a += w2[c][j] * h[j];
        }
        z[c] = a;
        max = c == 0 ? a : Math.max(max, a);
      }
      double sum = 0;
      for (double v : z) {
        sum += Math.exp(v - max);
      }
      loss += max + Math.log(sum) - z[labels[s]];
      s++;
    }
    return loss / xs.length;
  }

  /** Energy after explicit steps of the 1-D heat equation, updated in place from a scratch copy. */
  @Differentiable
  static double heat(double[] u0, double alpha, int steps) {
    int n = u0.length;
    double[] u = new double[n];
    for (int i = 0; i < n; i++) {
      u[i] = u0[i];
    }
    double[] old = new double[n];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        old[i] = u[i];
      }
      for (int i = 1; i < n - 1; i++) {
        u[i] = old[i] + alpha * (old[i - 1] - 2 * old[i] + old[i + 1]);
      }
    }
    double energy = 0;
    for (double v : u) {
      energy += v * v;
    }
    return energy;
  }

  /** Least squares of a polynomial (Horner) against samples. */
  @Differentiable
  static double polyFit(double[] coeffs, double[] xs, double[] ys) {
    double loss = 0;
    for (int i = 0; i < xs.length; i++) {
      double p = 0;
      for (int k = coeffs.length - 1; k >= 0; k--) {
        p = p * xs[i] + coeffs[k];
      }
      double r = p - ys[i];
      loss += r * r;
    }
    return loss;
  }

  /** A matrix times a vector, as a helper returns it. */
  private static double[] times(double[][] a, double[] v) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      double s = 0;
      for (int j = 0; j < v.length; j++) {
        s += a[i][j] * v[j];
      }
      r[i] = s;
    }
    return r;
  }

  /**
   * Negative log-likelihood of scalar observations under a Kalman filter with transition
   * {@code f}, observation row {@code h}, process noise {@code q} (diagonal) and measurement
   * noise {@code r}.
   */
  @Differentiable
  static double kalman(double[][] f, double[] h, double q, double r, double[] x0, double[] zs) {
    int n = x0.length;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = x0[i];
    }
    double[][] p = new double[n][n];
    for (int i = 0; i < n; i++) {
      p[i][i] = 1.0;
    }
    double[][] fp = new double[n][n];
    double nll = 0;
    for (double z : zs) {
      double[] predicted = times(f, x);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double s = 0;
          for (int k = 0; k < n; k++) {
            s += f[i][k] * p[k][j];
          }
          fp[i][j] = s;
        }
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double s = i == j ? q : 0.0;
          for (int k = 0; k < n; k++) {
            s += fp[i][k] * f[j][k];
          }
          p[i][j] = s;
        }
      }
      double[] ph = times(p, h);
      double innovation = z;
      double variance = r;
      for (int i = 0; i < n; i++) {
        innovation -= h[i] * predicted[i];
        variance += h[i] * ph[i];
      }
      nll += 0.5 * (Math.log(variance) + innovation * innovation / variance);
      for (int i = 0; i < n; i++) {
        x[i] = predicted[i] + ph[i] / variance * innovation;
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          p[i][j] -= ph[i] * ph[j] / variance;
        }
      }
    }
    return nll;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Ridge regression: squared residuals plus lambda times the squared weights. */
  @Differentiable
  static double ridge(double[] w, double[][] xs, double[] ys, double lambda) {
    double loss = 0;
    for (int i = 0; i < xs.length; i++) {
      double r = dot(w, xs[i]) - ys[i];
      loss += r * r;
    }
    return loss + lambda * dot(w, w);
  }

  /** The standard normal distribution function (Abramowitz and Stegun 26.2.17). */
  private static double cnd(double x) {
    double k = 1.0 / (1.0 + 0.2316419 * Math.abs(x));
    double poly = k * (0.319381530 + k * (-0.356563782 + k * (1.781477937
        + k * (-1.821255978 + k * 1.330274429))));
    double tail = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) * poly;
    return x >= 0 ? 1 - tail : tail;
  }

  /** Value of a book of European calls (Black-Scholes). */
  @Differentiable
  static double portfolio(double spot, double vol, double rate, Option[] book) {
    double value = 0;
    for (Option o : book) {
      double sq = vol * Math.sqrt(o.maturity());
      double d1 = (Math.log(spot / o.strike()) + (rate + 0.5 * vol * vol) * o.maturity()) / sq;
      double d2 = d1 - sq;
      double call = spot * cnd(d1) - o.strike() * Math.exp(-rate * o.maturity()) * cnd(d2);
      value += o.quantity() * call;
    }
    return value;
  }

  /** Weighted sum of the running products of growth factors (a cumulative product). */
  @Differentiable
  static double compound(double[] growth, double[] weights) {
    int n = growth.length;
    double[] wealth = new double[n];
    double w = 1.0;
    for (int t = 0; t < n; t++) {
      w *= growth[t];
      wealth[t] = w;
    }
    double total = 0;
    for (int t = 0; t < n; t++) {
      total += weights[t] * wealth[t];
    }
    return total;
  }

  /** Logistic regression's loss with a stable softplus, plus a log-sum-exp of the margins. */
  @Differentiable
  static double logistic(double[] w, double[][] xs, double[] ys) {
    double loss = 0;
    double[] margins = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      double m = 0;
      for (int j = 0; j < w.length; j++) {
        m += w[j] * xs[i][j];
      }
      margins[i] = m;
      double t = -ys[i] * m;
      loss += Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    }
    double max = margins[0];
    for (double m : margins) {
      max = Math.max(max, m);
    }
    double sum = 0;
    for (double m : margins) {
      sum += Math.exp(m - max);
    }
    return loss / xs.length + 0.01 * (max + Math.log(sum));
  }
}
