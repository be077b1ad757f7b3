package dev.adjoint.samples.finance;

/**
 * The standard normal density and distribution function for the closed-form checks, independent
 * of the differentiated code's erfc: the cdf by Marsaglia's Taylor series (absolute error near
 * 1e-15 for |x| < 8).
 */
final class Normal {
  private Normal() {}

  private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

  static double pdf(double x) {
    return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  static double cdf(double x) {
    if (x < -8) {
      return 0;
    }
    if (x > 8) {
      return 1;
    }
    // Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3*5) + ...)
    double sum = x;
    double term = x;
    for (int i = 3; sum + term != sum; i += 2) {
      term = term * x * x / i;
      sum += term;
    }
    return 0.5 + sum * pdf(x);
  }
}
