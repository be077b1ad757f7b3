package dev.adjoint.samples.finance;

import dev.adjoint.samples.BlackScholes;
import dev.adjoint.samples.BlackScholesDiff;

/**
 * Black-Scholes greeks: from one adjoint call of the generated code, and from the textbook closed
 * forms that check them.
 */
public final class Greeks {
  private Greeks() {}

  /** Price and first-order sensitivities of a European call. */
  public record CallGreeks(double price, double delta, double dStrike, double rho, double vega,
      double dMaturity) {
    /** Calendar-time theta: minus the derivative with respect to the time to expiry. */
    public double theta() {
      return -dMaturity;
    }

    double[] toArray() {
      return new double[] {delta, dStrike, rho, vega, dMaturity};
    }
  }

  /** All five first-order sensitivities from one forward and one reverse sweep. */
  public static CallGreeks adjoint(double spot, double strike, double rate, double volatility,
      double maturity) {
    BlackScholesDiff.CallGrad g =
        BlackScholesDiff.callGrad(spot, strike, rate, volatility, maturity);
    return new CallGreeks(g.value(), g.dSpot(), g.dStrike(), g.dRate(), g.dVolatility(),
        g.dMaturity());
  }

  /** The closed forms, with the exact normal distribution. */
  public static CallGreeks closedForm(double spot, double strike, double rate, double volatility,
      double maturity) {
    double sqrtT = Math.sqrt(maturity);
    double d1 = d1(spot, strike, rate, volatility, maturity);
    double d2 = d1 - volatility * sqrtT;
    double discount = Math.exp(-rate * maturity);
    double nd1 = Normal.cdf(d1);
    double nd2 = Normal.cdf(d2);
    double pdf1 = Normal.pdf(d1);
    return new CallGreeks(
        spot * nd1 - strike * discount * nd2,
        nd1,
        -discount * nd2,
        strike * maturity * discount * nd2,
        spot * pdf1 * sqrtT,
        spot * pdf1 * volatility / (2 * sqrtT) + rate * strike * discount * nd2);
  }

  /** The closed-form gamma, {@code phi(d1) / (S sigma sqrt T)}. */
  public static double closedFormGamma(double spot, double strike, double rate,
      double volatility, double maturity) {
    return Normal.pdf(d1(spot, strike, rate, volatility, maturity))
        / (spot * volatility * Math.sqrt(maturity));
  }

  /**
   * Gamma, d2C/dS2, exactly: the spot-spot entry of the generated Hessian (the forward-mode
   * code of {@link BlackScholes#call} differentiated in reverse; no finite difference).
   */
  public static double gamma(double spot, double strike, double rate, double volatility,
      double maturity) {
    return BlackScholesDiff.callHessian(spot, strike, rate, volatility, maturity)[0][0];
  }

  /** The closed-form vanna, d2C/dS dsigma = -phi(d1) d2 / sigma. */
  public static double closedFormVanna(double spot, double strike, double rate,
      double volatility, double maturity) {
    double d1 = d1(spot, strike, rate, volatility, maturity);
    double d2 = d1 - volatility * Math.sqrt(maturity);
    return -Normal.pdf(d1) * d2 / volatility;
  }

  /** The closed-form volga, d2C/dsigma2 = S phi(d1) sqrt(T) d1 d2 / sigma. */
  public static double closedFormVolga(double spot, double strike, double rate,
      double volatility, double maturity) {
    double sqrtT = Math.sqrt(maturity);
    double d1 = d1(spot, strike, rate, volatility, maturity);
    double d2 = d1 - volatility * sqrtT;
    return spot * Normal.pdf(d1) * sqrtT * d1 * d2 / volatility;
  }

  /** d1 = (ln(S/K) + (r + sigma^2/2) T) / (sigma sqrt T). */
  private static double d1(double spot, double strike, double rate, double volatility,
      double maturity) {
    return (Math.log(spot / strike) + (rate + 0.5 * volatility * volatility) * maturity)
        / (volatility * Math.sqrt(maturity));
  }

  /** The plain price (the sample's rational erfc approximation), for comparisons. */
  public static double price(double spot, double strike, double rate, double volatility,
      double maturity) {
    return BlackScholes.call(spot, strike, rate, volatility, maturity);
  }
}
