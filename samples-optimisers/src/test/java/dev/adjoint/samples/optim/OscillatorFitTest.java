package dev.adjoint.samples.optim;

import static com.google.common.truth.Truth.assertWithMessage;

import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer.Optimum;
import org.junit.jupiter.api.Test;

/** The sample's fit recovers the parameters the data were drawn from, within the noise. */
class OscillatorFitTest {
  @Test
  void adjointFitRecoversTheTrueParametersAndMatchesFiniteDifferences() {
    OscillatorFit.Data data = OscillatorFit.Data.synthetic(2_000, 16);
    Optimum adjoint = OscillatorFit.fit(OscillatorFit.adjointModel(data), data);
    Optimum differences = OscillatorFit.fit(OscillatorFit.finiteDifferenceModel(data), data);
    double[] p = adjoint.getPoint().toArray();
    double[] se = adjoint.getSigma(1e-12).toArray();
    double[] q = differences.getPoint().toArray();
    for (int j = 0; j < p.length; j++) {
      double error = se[j] * adjoint.getRMS();
      assertWithMessage("p[%s] = %s ± %s, true %s", j, p[j], error, OscillatorFit.TRUE_PARAMETERS[j])
          .that(Math.abs(p[j] - OscillatorFit.TRUE_PARAMETERS[j])).isLessThan(4 * error);
      assertWithMessage("p[%s] against the finite-difference fit", j)
          .that(p[j]).isWithin(1e-6).of(q[j]);
    }
    assertWithMessage("RMS").that(adjoint.getRMS()).isWithin(0.1 * OscillatorFit.NOISE).of(OscillatorFit.NOISE);
  }
}
