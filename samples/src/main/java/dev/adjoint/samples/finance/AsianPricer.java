package dev.adjoint.samples.finance;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.Gaussian;
import java.util.SplittableRandom;

/**
 * Monte Carlo pricing of {@link AsianOption}: the price and its five sensitivities from the
 * pathwise adjoint of every path, and the same sensitivities by bump-and-revalue with common
 * random numbers (every repricing reuses the same draws), the classic check of AAD.
 */
public final class AsianPricer {
  /** Market and contract inputs, in the order of {@link AsianOption#pathPayoff}'s derivatives. */
  public record Market(double spot, double strike, double rate, double volatility,
      double maturity) {
    double[] toArray() {
      return new double[] {spot, strike, rate, volatility, maturity};
    }

    static Market of(double[] v) {
      return new Market(v[0], v[1], v[2], v[3], v[4]);
    }
  }

  /** Names of the sensitivities, in {@link Market}'s order. */
  public static final String[] SENSITIVITIES = {
    "delta    d/dspot", "         d/dstrike", "rho      d/drate", "vega     d/dvolatility",
    "         d/dmaturity"
  };

  /** A Monte Carlo estimate: price, its standard error, and the five sensitivities. */
  public record Estimate(double price, double standardError, double[] sensitivities) {}

  private final double[][] normals;

  /** {@code paths} paths of {@code dates} observation dates, drawn from {@code seed}. */
  public AsianPricer(int paths, int dates, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    normals = new double[paths][dates];
    for (double[] path : normals) {
      for (int i = 0; i < dates; i++) {
        path[i] = Gaussian.next(random);
      }
    }
  }

  /** The price alone: the plain method on every path. */
  public double price(Market m) {
    double sum = 0;
    for (double[] path : normals) {
      sum += AsianOption.pathPayoff(
          m.spot(), m.strike(), m.rate(), m.volatility(), m.maturity(), path);
    }
    return sum / normals.length;
  }

  /** Price and sensitivities from one adjoint sweep per path, accumulated on one tape. */
  public Estimate adjoint(Market m) {
    Tape tape = new Tape();
    double[] sensitivities = new double[5];
    double weight = 1.0 / normals.length;
    double sum = 0;
    double sumOfSquares = 0;
    for (double[] path : normals) {
      double payoff = AsianOptionDiff.pathPayoffAdjoint(m.spot(), m.strike(), m.rate(),
          m.volatility(), m.maturity(), path, weight, sensitivities, tape);
      sum += payoff;
      sumOfSquares += payoff * payoff;
    }
    double mean = sum / normals.length;
    double variance = (sumOfSquares / normals.length - mean * mean) / (normals.length - 1);
    return new Estimate(mean, Math.sqrt(Math.max(variance, 0)), sensitivities);
  }

  /**
   * The sensitivities by central bump-and-revalue with common random numbers: two repricings per
   * input, each bump {@code relativeBump} times the input.
   */
  public double[] bumpAndRevalue(Market m, double relativeBump) {
    double[] inputs = m.toArray();
    double[] sensitivities = new double[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      double h = relativeBump * Math.abs(inputs[i]);
      double[] up = inputs.clone();
      double[] down = inputs.clone();
      up[i] += h;
      down[i] -= h;
      sensitivities[i] = (price(Market.of(up)) - price(Market.of(down))) / (2 * h);
    }
    return sensitivities;
  }
}
