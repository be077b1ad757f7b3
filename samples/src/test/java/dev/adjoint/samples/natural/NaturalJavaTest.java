package dev.adjoint.samples.natural;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.samples.Flat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Programs written the way Java programmers write them, arrays as values included: a
 * reaction-diffusion integrator with a double buffer, a network with a layer helper returning a
 * fresh array. Their gradients are checked against Ridders-extrapolated central differences of
 * the plain methods, every entry, and the caller's arrays stay as they were.
 */
class NaturalJavaTest {

  @Test
  void reactionDiffusionGradientMatchesFiniteDifferences() {
    int n = 9;
    double[] u0 = new double[n];
    double[] observed = new double[n];
    for (int i = 0; i < n; i++) {
      double x = i / (n - 1.0);
      u0[i] = Math.exp(-30 * (x - 0.4) * (x - 0.4));
      observed[i] = 0.8 * Math.exp(-20 * (x - 0.5) * (x - 0.5));
    }
    double diffusion = 0.05;
    double rate = 1.5;
    double dt = 0.002;
    int steps = 40;
    double[] copy = u0.clone();
    ReactionDiffusionDiff.MisfitGrad g =
        ReactionDiffusionDiff.misfitGrad(u0, diffusion, rate, dt, steps, observed);
    assertThat(u0).isEqualTo(copy);
    assertThat(g.value()).isEqualTo(
        ReactionDiffusion.misfit(u0, diffusion, rate, dt, steps, observed));
    double[] at = Flat.pack(u0, new double[] {diffusion, rate, dt}, observed);
    double[] gradient = Flat.pack(g.dU0(), new double[] {g.dDiffusion(), g.dRate(), g.dDt()},
        g.dObserved());
    Flat.checkEntries(p -> {
      double[] pu0 = new double[n];
      double[] scalars = new double[3];
      double[] pObserved = new double[n];
      Flat.unpack(p, pu0, scalars, pObserved);
      return ReactionDiffusion.misfit(pu0, scalars[0], scalars[1], scalars[2], steps, pObserved);
    }, at, gradient, Flat.spread(at.length, at.length), 1e-7, 1e-10).assertPassed();
  }

  @Test
  void networkWithADenseHelperGradientMatchesFiniteDifferences() {
    SplittableRandom random = new SplittableRandom(4);
    double[][] w1 = new double[4][3];
    double[] b1 = new double[4];
    double[][] w2 = new double[2][4];
    double[] b2 = new double[2];
    for (double[] row : w1) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble() - 0.5;
      }
    }
    for (double[] row : w2) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble() - 0.5;
      }
    }
    for (int i = 0; i < 4; i++) {
      b1[i] = random.nextDouble() - 0.5;
    }
    b2[0] = 0.1;
    b2[1] = -0.2;
    double[] x = {0.5, -1.0, 0.25};
    double[] target = {0.3, -0.4};
    TinyNetworkDiff.LossGrad g = TinyNetworkDiff.lossGrad(w1, b1, w2, b2, x, target);
    assertThat(g.value()).isEqualTo(TinyNetwork.loss(w1, b1, w2, b2, x, target));
    double[] at = Flat.pack(w1, b1, w2, b2, x);
    double[] gradient = Flat.pack(g.dW1(), g.dB1(), g.dW2(), g.dB2(), g.dX());
    Flat.checkEntries(p -> {
      double[][] pw1 = new double[4][3];
      double[] pb1 = new double[4];
      double[][] pw2 = new double[2][4];
      double[] pb2 = new double[2];
      double[] px = new double[3];
      Flat.unpack(p, pw1, pb1, pw2, pb2, px);
      return TinyNetwork.loss(pw1, pb1, pw2, pb2, px, target);
    }, at, gradient, Flat.spread(at.length, at.length), 1e-7, 1e-10).assertPassed();
  }
}
