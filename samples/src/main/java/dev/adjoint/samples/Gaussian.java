package dev.adjoint.samples;

import java.util.SplittableRandom;

/** Standard normal draws for the samples' data and Monte Carlo paths, reproducible by seed. */
public final class Gaussian {
  private Gaussian() {}

  /** A standard normal draw by the polar Box-Muller method (one of the pair is dropped). */
  public static double next(SplittableRandom random) {
    double u;
    double v;
    double s;
    do {
      u = 2 * random.nextDouble() - 1;
      v = 2 * random.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }
}
