package dev.adjoint.samples.finance;

import dev.adjoint.Differentiable;
import java.util.Random;

/**
 * A European call priced by Monte Carlo under Black-Scholes dynamics, written as a quant would:
 * a {@link Random} created from a seed draws one normal per path. {@code MonteCarloCallDiff
 * .priceGrad} gives the pathwise delta, vega, rho, theta and the strike sensitivity of the same
 * estimate: the gradient's sweeps see exactly the normals the plain call draws for that seed.
 */
public final class MonteCarloCall {
  private MonteCarloCall() {}

  /**
   * The discounted mean payoff {@code e^{-rT} mean(max(S_T - K, 0))} over {@code paths} paths.
   *
   * @param spot today's price of the underlying
   * @param strike the strike
   * @param rate continuously compounded risk-free rate
   * @param volatility annualised volatility
   * @param maturity time to expiry in years
   * @param seed the seed of the normals drawn
   * @param paths the number of paths
   */
  @Differentiable
  public static double price(double spot, double strike, double rate, double volatility,
      double maturity, long seed, int paths) {
    Random rng = new Random(seed);
    double drift = (rate - 0.5 * volatility * volatility) * maturity;
    double diffusion = volatility * Math.sqrt(maturity);
    double sum = 0;
    for (int i = 0; i < paths; i++) {
      double terminal = spot * Math.exp(drift + diffusion * rng.nextGaussian());
      sum += Math.max(terminal - strike, 0);
    }
    return Math.exp(-rate * maturity) * sum / paths;
  }
}
