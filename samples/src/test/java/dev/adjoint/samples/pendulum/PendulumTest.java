package dev.adjoint.samples.pendulum;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.samples.Flat;
import org.junit.jupiter.api.Test;

/** The checkpointed pendulum: the oracle's gradient, and the recorded one bit for bit. */
class PendulumTest {

  @Test
  void checkpointedGradientMatchesFiniteDifferencesAndTheRecordedOne() {
    int steps = 20_000;
    double dt = 5.0 / steps;
    PendulumDiff.SwingGrad g = PendulumDiff.swingGrad(0.8, 0.1, dt, 9.81, 1.5, steps);
    PendulumDiff.SwingRecordedGrad r =
        PendulumDiff.swingRecordedGrad(0.8, 0.1, dt, 9.81, 1.5, steps);
    assertThat(g.value()).isEqualTo(Pendulum.swing(0.8, 0.1, dt, 9.81, 1.5, steps));
    double[] gradient = {g.dTheta0(), g.dOmega0(), g.dDt(), g.dG(), g.dL()};
    assertThat(gradient).usingExactEquality()
        .containsExactly(r.dTheta0(), r.dOmega0(), r.dDt(), r.dG(), r.dL()).inOrder();
    // The step is checked through the total time T = dt * steps (d/dT = d/ddt / steps): a
    // difference step on dt itself would be far larger than dt.
    double[] at = {0.8, 0.1, 5.0, 9.81, 1.5};
    double[] byTime = gradient.clone();
    byTime[2] = gradient[2] / steps;
    Flat.checkEntries(p -> Pendulum.swing(p[0], p[1], p[2] / steps, p[3], p[4], steps), at,
        byTime, Flat.spread(at.length, at.length), 1e-7, 1e-10).assertPassed();
  }
}
