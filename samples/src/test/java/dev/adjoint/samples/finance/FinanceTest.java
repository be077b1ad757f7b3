package dev.adjoint.samples.finance;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.check.GradCheck;
import dev.adjoint.samples.BlackScholesDiff;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FinanceTest {

  @ParameterizedTest(name = "S={0} K={1} r={2} sigma={3} T={4}")
  @CsvSource({
    "100, 100, 0.05, 0.2, 1",
    "80, 100, 0.01, 0.35, 0.5",
    "130, 100, 0.03, 0.15, 2",
  })
  void greeksFromOneAdjointCallMatchClosedForms(double s, double k, double r, double v,
      double t) {
    Greeks.CallGreeks adjoint = Greeks.adjoint(s, k, r, v, t);
    Greeks.CallGreeks exact = Greeks.closedForm(s, k, r, v, t);
    // The sample's erfc is a rational approximation (error < 1.2e-7): prices and greeks agree to
    // its accuracy (about 3e-6 relative for the derivatives), scaled by the inputs' sizes.
    double scale = 2e-5 * Math.max(s, k) * Math.max(1, t);
    assertThat(adjoint.price()).isWithin(scale).of(exact.price());
    assertThat(adjoint.delta()).isWithin(2e-5).of(exact.delta());
    assertThat(adjoint.dStrike()).isWithin(2e-5).of(exact.dStrike());
    assertThat(adjoint.rho()).isWithin(scale).of(exact.rho());
    assertThat(adjoint.vega()).isWithin(scale).of(exact.vega());
    assertThat(adjoint.dMaturity()).isWithin(scale).of(exact.dMaturity());
    assertThat(adjoint.theta()).isEqualTo(-adjoint.dMaturity());
  }

  @Test
  void closedFormsAreThemselvesRight() {
    // The textbook at-the-money values: C = 10.4506, delta = N(0.35).
    Greeks.CallGreeks g = Greeks.closedForm(100, 100, 0.05, 0.2, 1);
    assertThat(g.price()).isWithin(1e-9).of(10.450583572185565);
    assertThat(g.delta()).isWithin(1e-12).of(0.6368306511756191);
    assertThat(Normal.cdf(1.959963984540054)).isWithin(1e-14).of(0.975);
  }

  @Test
  void secondOrderGreeksFromTheHessianMatchTheClosedForms() {
    // The price's erfc is a rational approximation (error < 1.2e-7), so its second derivatives
    // differ from the closed forms by about 1e-6; the Hessian itself is exact for that price.
    double[][] h = BlackScholesDiff.callHessian(100, 100, 0.05, 0.2, 1);
    assertThat(Greeks.gamma(100, 100, 0.05, 0.2, 1)).isEqualTo(h[0][0]);
    assertThat(h[0][0]).isWithin(2e-6).of(Greeks.closedFormGamma(100, 100, 0.05, 0.2, 1));
    assertThat(h[0][3]).isWithin(2e-5).of(Greeks.closedFormVanna(100, 100, 0.05, 0.2, 1));
    assertThat(h[3][3]).isWithin(2e-3).of(Greeks.closedFormVolga(100, 100, 0.05, 0.2, 1));
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < i; j++) {
        assertThat(h[i][j]).isWithin(1e-9 * (1 + Math.abs(h[j][i]))).of(h[j][i]);
      }
    }
  }

  @Test
  void hessianRowsAreTheDerivativesOfTheAdjointGradient() {
    double[] x = {100, 100, 0.05, 0.2, 1};
    double[][] h = BlackScholesDiff.callHessian(x[0], x[1], x[2], x[3], x[4]);
    for (int i = 0; i < 5; i++) {
      for (int j = 0; j < 5; j++) {
        int row = i;
        int column = j;
        double step = 1e-5 * Math.max(1, Math.abs(x[i]));
        double[] up = x.clone();
        double[] down = x.clone();
        up[i] += step;
        down[i] -= step;
        double central = (gradientComponent(up, column) - gradientComponent(down, column))
            / (2 * step);
        assertThat(h[row][column]).isWithin(1e-5 * (1 + Math.abs(central))).of(central);
      }
    }
  }

  private static double gradientComponent(double[] p, int k) {
    double[] g = new double[5];
    BlackScholesDiff.callAdjoint(p[0], p[1], p[2], p[3], p[4], 1.0, g);
    return g[k];
  }

  @Test
  void pathPayoffGradientMatchesFiniteDifferences() {
    double[] normals = {0.3, -1.2, 0.8, 0.05, 1.7, -0.4};
    GradCheck.of(
            x -> AsianOption.pathPayoff(x[0], x[1], x[2], x[3], x[4], normals),
            (x, g) -> AsianOptionDiff.pathPayoffAdjoint(x[0], x[1], x[2], x[3], x[4], normals,
                1.0, g))
        .at(100, 95, 0.05, 0.2, 1)
        .assertPassed();
  }

  @Test
  void pathwiseSensitivitiesMatchBumpAndRevalueWithCommonRandomNumbers() {
    AsianPricer pricer = new AsianPricer(4000, 12, 7);
    AsianPricer.Market market = new AsianPricer.Market(100, 100, 0.05, 0.2, 1);
    AsianPricer.Estimate aad = pricer.adjoint(market);
    assertThat(aad.price()).isWithin(1e-12).of(pricer.price(market));
    double[] bumped = pricer.bumpAndRevalue(market, 1e-6);
    for (int i = 0; i < bumped.length; i++) {
      assertWithMessage(AsianPricer.SENSITIVITIES[i])
          .that(aad.sensitivities()[i])
          .isWithin(1e-4 * Math.max(1, Math.abs(bumped[i])))
          .of(bumped[i]);
    }
    // Sanity: an at-the-money Asian call is worth less than the European one, delta in (0, 1).
    assertThat(aad.price()).isLessThan(Greeks.closedForm(100, 100, 0.05, 0.2, 1).price());
    assertThat(aad.sensitivities()[0]).isIn(com.google.common.collect.Range.open(0.0, 1.0));
  }

  @Test
  void monteCarloCallWithARandomHasThePathwiseGradientOfItsOwnEstimate() {
    long seed = 20261203L;
    int paths = 4000;
    double spot = 100;
    double strike = 95;
    double rate = 0.05;
    double vol = 0.2;
    double maturity = 1;
    MonteCarloCallDiff.PriceGrad g = MonteCarloCallDiff.priceGrad(spot, strike, rate, vol,
        maturity, seed, paths);
    assertThat(g.value()).isEqualTo(MonteCarloCall.price(spot, strike, rate, vol, maturity,
        seed, paths));
    // The oracle: the pathwise delta and vega derived by hand, over the same normals
    // (the payoff's kinks make finite differences of a 4000-path estimate unreliable).
    java.util.Random rng = new java.util.Random(seed);
    double discount = Math.exp(-rate * maturity);
    double delta = 0;
    double vega = 0;
    for (int i = 0; i < paths; i++) {
      double z = rng.nextGaussian();
      double terminal = spot * Math.exp((rate - 0.5 * vol * vol) * maturity
          + vol * Math.sqrt(maturity) * z);
      if (terminal > strike) {
        delta += discount * terminal / spot;
        vega += discount * terminal * (-vol * maturity + Math.sqrt(maturity) * z);
      }
    }
    assertThat(g.dSpot()).isWithin(1e-12).of(delta / paths);
    assertThat(g.dVolatility()).isWithin(1e-10).of(vega / paths);
    // The pathwise estimates converge to the closed forms: within a few standard errors.
    Greeks.CallGreeks exact = Greeks.closedForm(spot, strike, rate, vol, maturity);
    assertThat(g.value()).isWithin(0.6).of(exact.price());
    assertThat(g.dSpot()).isWithin(0.03).of(exact.delta());
    assertThat(g.dVolatility()).isWithin(3.0).of(exact.vega());
  }
}
