package dev.adjoint.benchmarks.hipparchus;

import org.hipparchus.analysis.differentiation.Gradient;

/** The notebook's complex function and the Black-Scholes call with Hipparchus's {@link Gradient}. */
public final class HipparchusScalar {
  private HipparchusScalar() {}

  /** {@code x y atan(x/y) cos(z^2 - x) / z + atan(x/y) - cos(z^2 - x)} and its 3 partials. */
  public static Gradient complexe(double x0, double y0, double z0) {
    Gradient x = Gradient.variable(3, 0, x0);
    Gradient y = Gradient.variable(3, 1, y0);
    Gradient z = Gradient.variable(3, 2, z0);
    Gradient a = x.divide(y).atan();
    Gradient b = z.multiply(z).subtract(x).cos();
    return x.multiply(y).multiply(a).multiply(b).divide(z).add(a).subtract(b);
  }

  /** The Black-Scholes call of the samples, with its 5 partials. */
  public static Gradient call(double spot0, double strike0, double rate0, double vol0, double t0) {
    Gradient spot = Gradient.variable(5, 0, spot0);
    Gradient strike = Gradient.variable(5, 1, strike0);
    Gradient rate = Gradient.variable(5, 2, rate0);
    Gradient vol = Gradient.variable(5, 3, vol0);
    Gradient t = Gradient.variable(5, 4, t0);
    Gradient volSqrtT = vol.multiply(t.sqrt());
    Gradient d1 = spot.divide(strike).log()
        .add(rate.add(vol.multiply(vol).multiply(0.5)).multiply(t)).divide(volSqrtT);
    Gradient d2 = d1.subtract(volSqrtT);
    Gradient discountedStrike = strike.multiply(rate.negate().multiply(t).exp());
    return spot.multiply(normCdf(d1)).subtract(discountedStrike.multiply(normCdf(d2)));
  }

  private static Gradient normCdf(Gradient x) {
    return erfc(x.negate().divide(Math.sqrt(2))).multiply(0.5);
  }

  private static Gradient erfc(Gradient x) {
    Gradient z = x.getValue() >= 0 ? x : x.negate();
    Gradient t = z.multiply(0.5).add(1).reciprocal();
    Gradient poly = t.multiply(0.17087277).add(-0.82215223);
    poly = t.multiply(poly).add(1.48851587);
    poly = t.multiply(poly).add(-1.13520398);
    poly = t.multiply(poly).add(0.27886807);
    poly = t.multiply(poly).add(-0.18628806);
    poly = t.multiply(poly).add(0.09678418);
    poly = t.multiply(poly).add(0.37409196);
    poly = t.multiply(poly).add(1.00002368);
    poly = t.multiply(poly).add(-1.26551223);
    Gradient tail = t.multiply(z.multiply(z).negate().add(poly).exp());
    return x.getValue() >= 0 ? tail : tail.negate().add(2);
  }
}
