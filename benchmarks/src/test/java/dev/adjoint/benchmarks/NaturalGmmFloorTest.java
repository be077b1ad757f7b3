package dev.adjoint.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.GmmInput;
import org.junit.jupiter.api.Test;

/** The hand-written adjoint ({@link NaturalGmmFloor}) computes the generated gradient. */
class NaturalGmmFloorTest {

  @Test
  void handWrittenAdjointMatchesTheGeneratedOne() {
    for (String path : new String[] {GmmInput.TEST, GmmInput.D2_K5, GmmInput.D10_K5}) {
      FlatGmmInput g = FlatGmmInput.of(GmmInput.read(path));
      double[] dA = new double[g.alphas().length];
      double[] dM = new double[g.means().length];
      double[] dI = new double[g.icf().length];
      double value = NaturalGmmDiff.objectiveAdjoint(g.d(), g.k(), g.n(), g.alphas(),
          g.means(), g.icf(), g.x(), g.gamma(), g.m(), 1.0, dA, dM, dI, new Tape());
      double[] hA = new double[dA.length];
      double[] hM = new double[dM.length];
      double[] hI = new double[dI.length];
      double hand = NaturalGmmFloor.gradient(g.d(), g.k(), g.n(), g.alphas(), g.means(),
          g.icf(), g.x(), g.gamma(), g.m(), hA, hM, hI);
      assertThat(hand).isWithin(1e-12 * Math.abs(value)).of(value);
      assertClose(hA, dA);
      assertClose(hM, dM);
      assertClose(hI, dI);
    }
  }

  private static void assertClose(double[] actual, double[] expected) {
    double scale = 1;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).isWithin(1e-10 * scale).of(expected[i]);
    }
  }
}
