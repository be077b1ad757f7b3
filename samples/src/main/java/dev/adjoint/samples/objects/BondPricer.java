package dev.adjoint.samples.objects;

import dev.adjoint.Differentiable;

/**
 * A fixed-income pricer written with records, as a quant would: a {@link Trade} (its cash flows,
 * notional and side) priced off a zero {@link Curve}. The gradient of {@link #price} with
 * respect to the curve is itself a {@code Curve}: its {@code rates()} are the key-rate
 * sensitivities (the partials with respect to each pillar's zero rate), its {@code times()} the
 * sensitivities to moving the pillars; the gradient with respect to the trade is a
 * {@code Trade} whose cash flows hold the partials with respect to each flow's time and amount.
 */
public final class BondPricer {
  private BondPricer() {}

  /** Which way the trade faces. */
  public enum Side { LONG, SHORT }

  /** One payment: at {@code time} (years), {@code amount} per unit of notional. */
  public record CashFlow(double time, double amount) {}

  /** Continuously compounded zero rates at increasing pillar times, linear in between. */
  public record Curve(double[] times, double[] rates) {}

  /** A bond-like trade: its cash flows, scaled by the notional, signed by the side. */
  public record Trade(CashFlow[] flows, double notional, Side side) {}

  /** The zero rate at time {@code t}: linear between pillars, flat beyond the ends. */
  @Differentiable
  public static double zeroRate(Curve curve, double t) {
    double[] times = curve.times();
    double[] rates = curve.rates();
    int n = times.length;
    if (t <= times[0]) {
      return rates[0];
    }
    if (t >= times[n - 1]) {
      return rates[n - 1];
    }
    int j = 0;
    while (t > times[j + 1]) {
      j++;
    }
    double w = (t - times[j]) / (times[j + 1] - times[j]);
    return rates[j] + w * (rates[j + 1] - rates[j]);
  }

  /** The present value of the trade: each flow discounted at the curve's zero rate. */
  @Differentiable
  public static double price(Trade trade, Curve curve) {
    double pv = 0;
    for (int i = 0; i < trade.flows().length; i++) {
      double t = trade.flows()[i].time();
      pv += trade.flows()[i].amount() * Math.exp(-zeroRate(curve, t) * t);
    }
    double sign = switch (trade.side()) {
      case LONG -> 1;
      case SHORT -> -1;
    };
    return sign * trade.notional() * pv;
  }

  /** A fixed-rate bond: a coupon every {@code 1 / frequency} years, the principal at the end. */
  public static Trade bond(double coupon, double years, int frequency, double notional,
      Side side) {
    int n = (int) Math.round(years * frequency);
    CashFlow[] flows = new CashFlow[n];
    for (int i = 0; i < n; i++) {
      double t = (i + 1.0) / frequency;
      flows[i] = new CashFlow(t, coupon / frequency + (i == n - 1 ? 1 : 0));
    }
    return new Trade(flows, notional, side);
  }

  /** Prints a bond's price and its key-rate sensitivities, read off the gradient's curve. */
  public static void main(String[] args) {
    Curve curve = new Curve(new double[] {0.5, 1, 2, 5, 10},
        new double[] {0.030, 0.032, 0.035, 0.038, 0.040});
    Trade trade = bond(0.04, 5, 2, 1_000_000, Side.LONG);
    BondPricerDiff.PriceGrad g = BondPricerDiff.priceGrad(trade, curve);
    System.out.printf("price %.2f%n", g.value());
    Curve keyRates = g.dCurve();
    for (int k = 0; k < keyRates.rates().length; k++) {
      System.out.printf("  %4.1fy pillar: %10.2f per unit of rate (%.2f per basis point)%n",
          curve.times()[k], keyRates.rates()[k], keyRates.rates()[k] * 1e-4);
    }
    System.out.printf("  notional: %.6f per unit%n", g.dTrade().notional());
  }
}
