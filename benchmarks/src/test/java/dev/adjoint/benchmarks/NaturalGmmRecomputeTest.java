package dev.adjoint.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.GmmInput;
import org.junit.jupiter.api.Test;

/** The recomputing copy ({@link NaturalGmmRecompute}) computes the generated gradient. */
class NaturalGmmRecomputeTest {

  @Test
  void recomputingComponentsGivesTheGeneratedGradient() {
    for (String path : new String[] {GmmInput.TEST, GmmInput.D2_K5, GmmInput.D10_K5}) {
      FlatGmmInput g = FlatGmmInput.of(GmmInput.read(path));
      double[] dA = new double[g.alphas().length];
      double[] dM = new double[g.means().length];
      double[] dI = new double[g.icf().length];
      double value = NaturalGmmDiff.objectiveAdjoint(g.d(), g.k(), g.n(), g.alphas(),
          g.means(), g.icf(), g.x(), g.gamma(), g.m(), 1.0, dA, dM, dI, new Tape());
      double[] rA = new double[dA.length];
      double[] rM = new double[dM.length];
      double[] rI = new double[dI.length];
      Tape tape = new Tape();
      double recomputed = NaturalGmmRecompute.objectiveAdjoint(g.d(), g.k(), g.n(), g.alphas(),
          g.means(), g.icf(), g.x(), g.gamma(), g.m(), 1.0, rA, rM, rI, tape);
      assertThat(recomputed).isEqualTo(value);
      assertThat(tape.recordedBytes()).isEqualTo(0L);
      assertClose(rA, dA);
      assertClose(rM, dM);
      assertClose(rI, dI);
    }
  }

  private static void assertClose(double[] actual, double[] expected) {
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    assertThat(scale).isGreaterThan(0.0);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).isWithin(1e-12 * scale).of(expected[i]);
    }
  }
}
