package dev.adjoint.samples.stats;

import dev.adjoint.Differentiable;

/**
 * Student's t distribution with location {@code mu}, scale {@code sigma} and {@code nu}
 * degrees of freedom, written as a statistics library writes it: argument checks, and a private
 * Lanczos {@code logGamma} with its coefficient table. Only the public log-likelihood is
 * annotated; Adjoint differentiates {@code logGamma} where it is called.
 */
public final class StudentT {
  /** Lanczos coefficients for g = 7, n = 9. */
  private static final double[] LANCZOS = {
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  private static final double LOG_PI = Math.log(Math.PI);
  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  private StudentT() {}

  /**
   * The log-likelihood of {@code data} under Student's t distribution.
   *
   * @throws IllegalArgumentException if {@code sigma} or {@code nu} is not positive
   */
  @Differentiable
  public static double logLikelihood(double[] data, double mu, double sigma, double nu) {
    if (sigma <= 0) {
      throw new IllegalArgumentException("sigma must be positive: " + sigma);
    }
    if (nu <= 0) {
      throw new IllegalArgumentException("nu must be positive: " + nu);
    }
    double norm = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * (LOG_PI + Math.log(nu))
        - Math.log(sigma);
    double sum = 0;
    for (double x : data) {
      double z = (x - mu) / sigma;
      sum += norm - (nu + 1) / 2 * Math.log1p(z * z / nu);
    }
    return sum;
  }

  /** ln Γ(x) for x > 0: Lanczos' approximation, with the reflection formula below 1/2. */
  private static double logGamma(double x) {
    if (x < 0.5) {
      return LOG_PI - Math.log(Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    x -= 1;
    double a = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      a += LANCZOS[i] / (x + i);
    }
    return HALF_LOG_TWO_PI + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }
}
