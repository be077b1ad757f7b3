package golden;

import dev.adjoint.Differentiable;

/**
 * Black-Scholes price of a European call, written as plain differentiable Java. Its five
 * sensitivities (delta, strike sensitivity, rho, vega, and the derivative with respect to maturity)
 * come from one reverse sweep: {@code BlackScholesDiff.callGrad(...)}; its second derivatives
 * (gamma, vanna, volga, ...) from {@code BlackScholesDiff.callHessian(...)}.
 */
public final class BlackScholes {

  private BlackScholes() {}

  /**
   * Price of a European call.
   *
   * @param spot current price of the underlying
   * @param strike strike price
   * @param rate continuously compounded risk-free rate
   * @param volatility annualized volatility of the underlying
   * @param maturity time to expiry in years
   */
  @Differentiable(order = 2)
  public static double call(
      double spot, double strike, double rate, double volatility, double maturity) {
    double volSqrtT = volatility * Math.sqrt(maturity);
    double d1 =
        (Math.log(spot / strike) + (rate + 0.5 * volatility * volatility) * maturity) / volSqrtT;
    double d2 = d1 - volSqrtT;
    double discountedStrike = strike * Math.exp(-rate * maturity);
    return spot * normCdf(d1) - discountedStrike * normCdf(d2);
  }

  /** Standard normal cumulative distribution function. */
  @Differentiable(order = 2)
  static double normCdf(double x) {
    return 0.5 * erfc(-x / Math.sqrt(2));
  }

  /**
   * Complementary error function, Chebyshev-fitted rational approximation from Numerical Recipes
   * ({@code erfcc}): error below 1.2e-7 everywhere.
   */
  @Differentiable(order = 2)
  static double erfc(double x) {
    double z;
    if (x >= 0.0) {
      z = x;
    } else {
      z = -x;
    }
    double t = 1.0 / (1.0 + 0.5 * z);
    double poly =
        -1.26551223
            + t * (1.00002368
            + t * (0.37409196
            + t * (0.09678418
            + t * (-0.18628806
            + t * (0.27886807
            + t * (-1.13520398
            + t * (1.48851587
            + t * (-0.82215223
            + t * 0.17087277))))))));
    double tail = t * Math.exp(-z * z + poly);
    double result;
    if (x >= 0.0) {
      result = tail;
    } else {
      result = 2.0 - tail;
    }
    return result;
  }
}
