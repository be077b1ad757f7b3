package dev.adjoint.samples.finance;

import dev.adjoint.Differentiable;

/**
 * An arithmetic-average Asian call under Black-Scholes dynamics, priced by Monte Carlo. Each
 * path's discounted payoff is a plain differentiable function of the market inputs and the
 * path's normal draws; {@code AsianOptionDiff.pathPayoffAdjoint} gives its pathwise derivatives,
 * which {@link AsianPricer} averages into the price's sensitivities ("AAD").
 */
public final class AsianOption {
  private AsianOption() {}

  /**
   * The discounted payoff {@code e^{-rT} max(mean(S_1..S_m) - K, 0)} of one path, the price
   * observed at {@code m = normals.length} equally spaced dates.
   *
   * @param spot today's price of the underlying
   * @param strike the strike
   * @param rate continuously compounded risk-free rate
   * @param volatility annualised volatility
   * @param maturity time to expiry in years
   * @param normals the path's standard normal draws, one per date (constants)
   */
  @Differentiable(wrt = {"spot", "strike", "rate", "volatility", "maturity"})
  public static double pathPayoff(double spot, double strike, double rate, double volatility,
      double maturity, double[] normals) {
    double dt = maturity / normals.length;
    double drift = (rate - 0.5 * volatility * volatility) * dt;
    double diffusion = volatility * Math.sqrt(dt);
    double price = spot;
    double sum = 0;
    for (int i = 0; i < normals.length; i++) {
      price = price * Math.exp(drift + diffusion * normals[i]);
      sum += price;
    }
    double average = sum / normals.length;
    return Math.exp(-rate * maturity) * Math.max(average - strike, 0);
  }
}
