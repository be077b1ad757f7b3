package dev.adjoint.samples.objects;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.check.GradCheck;
import dev.adjoint.samples.objects.BondPricer.CashFlow;
import dev.adjoint.samples.objects.BondPricer.Curve;
import dev.adjoint.samples.objects.BondPricer.Side;
import dev.adjoint.samples.objects.BondPricer.Trade;
import dev.adjoint.samples.objects.Oscillator.Params;
import dev.adjoint.samples.objects.Oscillator.State;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The record-shaped samples against central differences ({@link GradCheck}) of the user's own
 * methods: each record's doubles are the oracle's inputs, and the generated gradient, a value
 * of the same record types, is read back in the same order.
 */
class ObjectSamplesTest {
  private static final double[] TIMES = {0.3, 1.1, 2.2, 5.3, 10.4};

  /** Flow times and amounts (element by element), notional, then the curve's times and rates. */
  private static double[] flatten(Trade trade, Curve curve) {
    int n = trade.flows().length;
    double[] x = new double[2 * n + 1 + 2 * curve.times().length];
    for (int i = 0; i < n; i++) {
      x[2 * i] = trade.flows()[i].time();
      x[2 * i + 1] = trade.flows()[i].amount();
    }
    x[2 * n] = trade.notional();
    System.arraycopy(curve.times(), 0, x, 2 * n + 1, TIMES.length);
    System.arraycopy(curve.rates(), 0, x, 2 * n + 1 + TIMES.length, TIMES.length);
    return x;
  }

  private static Trade trade(double[] x, int n, Side side) {
    CashFlow[] flows = new CashFlow[n];
    for (int i = 0; i < n; i++) {
      flows[i] = new CashFlow(x[2 * i], x[2 * i + 1]);
    }
    return new Trade(flows, x[2 * n], side);
  }

  private static Curve curve(double[] x, int n) {
    return new Curve(Arrays.copyOfRange(x, 2 * n + 1, 2 * n + 1 + TIMES.length),
        Arrays.copyOfRange(x, 2 * n + 1 + TIMES.length, 2 * n + 1 + 2 * TIMES.length));
  }

  @Test
  void bondGradientIsATradeAndACurveMatchingFiniteDifferences() {
    for (Side side : Side.values()) {
      // Flow times between pillars: the price is smooth there.
      Trade trade = BondPricer.bond(0.04, 4.6, 2, 100, side);
      Curve curve = new Curve(TIMES.clone(), new double[] {0.030, 0.032, 0.035, 0.038, 0.040});
      int n = trade.flows().length;
      GradCheck.of(
              x -> BondPricer.price(trade(x, n, side), curve(x, n)),
              (x, g) -> {
                BondPricerDiff.PriceGrad grad =
                    BondPricerDiff.priceGrad(trade(x, n, side), curve(x, n));
                double[] flat = flatten(grad.dTrade(), grad.dCurve());
                System.arraycopy(flat, 0, g, 0, flat.length);
                return grad.value();
              })
          .at(flatten(trade, curve))
          .assertPassed();
      BondPricerDiff.PriceGrad grad = BondPricerDiff.priceGrad(trade, curve);
      // The gradient's constant components are the trade's own.
      assertThat(grad.dTrade().side()).isEqualTo(side);
      // A parallel shift of the curve: the key rates add up to the price's duration.
      double parallel = Arrays.stream(grad.dCurve().rates()).sum();
      double bump = 1e-6;
      double[] up = curve.rates().clone();
      Arrays.setAll(up, k -> curve.rates()[k] + bump);
      double shifted = BondPricer.price(trade, new Curve(TIMES, up));
      assertThat(parallel).isWithin(1e-4 * Math.abs(parallel))
          .of((shifted - grad.value()) / bump);
    }
  }

  @Test
  void oscillatorGradientIsAParamsAndAStateMatchingFiniteDifferences() {
    GradCheck.of(
            x -> Oscillator.energy(new Params(x[0], x[1], x[2]), new State(x[3], x[4]), x[5], 80),
            (x, g) -> {
              OscillatorDiff.EnergyGrad grad = OscillatorDiff.energyGrad(
                  new Params(x[0], x[1], x[2]), new State(x[3], x[4]), x[5], 80);
              g[0] = grad.dP().k();
              g[1] = grad.dP().c();
              g[2] = grad.dP().m();
              g[3] = grad.dS0().x();
              g[4] = grad.dS0().v();
              g[5] = grad.dDt();
              return grad.value();
            })
        .at(4.0, 0.3, 1.2, 1.0, -0.5, 0.01)
        .assertPassed();
  }

  @Test
  void oscillatorHessianIsSymmetricAndMatchesTheGradientsDerivative() {
    Params p = new Params(4.0, 0.3, 1.2);
    State s0 = new State(1.0, -0.5);
    double[][] h = OscillatorDiff.energyHessian(p, s0, 0.01, 80);
    assertThat(h.length).isEqualTo(6);
    double step = 1e-6;
    OscillatorDiff.EnergyGrad up = OscillatorDiff.energyGrad(new Params(4.0 + step, 0.3, 1.2),
        s0, 0.01, 80);
    OscillatorDiff.EnergyGrad down = OscillatorDiff.energyGrad(new Params(4.0 - step, 0.3, 1.2),
        s0, 0.01, 80);
    double dkk = (up.dP().k() - down.dP().k()) / (2 * step);
    assertThat(h[0][0]).isWithin(1e-5 * (1 + Math.abs(dkk))).of(dkk);
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < i; j++) {
        assertThat(h[i][j]).isWithin(1e-9 * (1 + Math.abs(h[j][i]))).of(h[j][i]);
      }
    }
  }
}
