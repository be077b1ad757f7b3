package golden;

/**
 * The natural logarithm of the gamma function for positive arguments (Java's {@code Math} has
 * none), by the Lanczos approximation with g = 7 and nine coefficients: relative error near
 * 1e-15, enough for ADBench's constants.
 */
final class LogGamma {
  private LogGamma() {}

  private static final double G = 7;
  private static final double[] COEFFICIENTS = {
    0.99999999999980993,
    676.5203681218851,
    -1259.1392167224028,
    771.32342877765313,
    -176.61502916214059,
    12.507343278686905,
    -0.13857109526572012,
    9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  /** {@code ln Gamma(a)}, for {@code a > 0}. */
  static double of(double a) {
    if (!(a > 0)) {
      throw new IllegalArgumentException("ln Gamma needs a positive argument, got " + a);
    }
    if (a < 0.5) {
      // Reflection keeps the series in its accurate range: Gamma(a) Gamma(1 - a) = pi / sin(pi a).
      return Math.log(Math.PI / Math.sin(Math.PI * a)) - of(1 - a);
    }
    double z = a - 1;
    double series = COEFFICIENTS[0];
    for (int i = 1; i < COEFFICIENTS.length; i++) {
      series += COEFFICIENTS[i] / (z + i);
    }
    double t = z + G + 0.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(series);
  }
}
