package dev.adjoint.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.benchmarks.hipparchus.HipparchusGmm;
import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.GmmInput;
import org.junit.jupiter.api.Test;

/**
 * The natural-style GMM computes ADBench's objective (its reference values, adbench/OBJECTIVES.md)
 * and its generated gradient is the one Hipparchus's forward mode computes.
 */
class NaturalGmmTest {

  @Test
  void objectiveMatchesAdbenchReferenceValues() {
    assertReference(GmmInput.TEST, 8.07380408004975791);
    assertReference(GmmInput.D2_K5, -5240.5905625496434);
    assertReference(GmmInput.D10_K5, -31302.540910910764);
    assertReference(GmmInput.D64_K10, -1171496.2872845707);
  }

  private static void assertReference(String path, double reference) {
    double value = FlatGmmInput.of(GmmInput.read(path)).objective();
    // ADBench's own tolerance: |x - y| / max(1, |x| + |y|) <= 1e-8; we ask for 1e-12.
    assertThat(Math.abs(value - reference) / Math.max(1, Math.abs(value) + Math.abs(reference)))
        .isLessThan(1e-12);
  }

  @Test
  void gradientMatchesForwardModeOnTestAndD2K5() {
    for (String path : new String[] {GmmInput.TEST, GmmInput.D2_K5}) {
      GmmInput in = GmmInput.read(path);
      double[] expected = new double[in.parameterCount()];
      double expectedValue = HipparchusGmm.pass(in, 0, expected.length, expected);
      FlatGmmInput g = FlatGmmInput.of(in);
      double[] dAlphas = new double[g.alphas().length];
      double[] dMeans = new double[g.means().length];
      double[] dIcf = new double[g.icf().length];
      Tape tape = new Tape();
      // Twice on the same tape: the second call must not see anything of the first.
      for (int run = 0; run < 2; run++) {
        java.util.Arrays.fill(dAlphas, 0);
        java.util.Arrays.fill(dMeans, 0);
        java.util.Arrays.fill(dIcf, 0);
        double value = NaturalGmmDiff.objectiveAdjoint(g.d(), g.k(), g.n(), g.alphas(), g.means(),
            g.icf(), g.x(), g.gamma(), g.m(), 1.0, dAlphas, dMeans, dIcf, tape);
        assertThat(value).isWithin(1e-12 * Math.abs(expectedValue)).of(expectedValue);
        assertClose(concat(dAlphas, dMeans, dIcf), expected, 1e-10);
      }
      NaturalGmmDiff.ObjectiveGrad grad = NaturalGmmDiff.objectiveGrad(g.d(), g.k(), g.n(),
          g.alphas(), g.means(), g.icf(), g.x(), g.gamma(), g.m());
      assertThat(grad.value()).isWithin(1e-12 * Math.abs(expectedValue)).of(expectedValue);
      assertClose(concat(grad.dAlphas(), grad.dMeans(), grad.dIcf()), expected, 1e-10);
      // A recording replayed twice (its reverse sweep recomputes the refills each time).
      NaturalGmmDiff.ObjectiveVjp vjp = NaturalGmmDiff.objectiveVjp(g.d(), g.k(), g.n(),
          g.alphas(), g.means(), g.icf(), g.x(), g.gamma(), g.m());
      for (int run = 0; run < 2; run++) {
        NaturalGmmDiff.ObjectiveGrad pulled = vjp.pullback(2.0);
        double[] twice = expected.clone();
        for (int i = 0; i < twice.length; i++) {
          twice[i] *= 2;
        }
        assertClose(concat(pulled.dAlphas(), pulled.dMeans(), pulled.dIcf()), twice, 1e-10);
      }
    }
  }

  @Test
  void gradientMatchesForwardModeOnAWindowOfD10K5() {
    GmmInput in = GmmInput.read(GmmInput.D10_K5);
    double[] expected = new double[in.parameterCount()];
    HipparchusGmm.pass(in, 0, expected.length, expected);
    FlatGmmInput g = FlatGmmInput.of(in);
    NaturalGmmDiff.ObjectiveGrad grad = NaturalGmmDiff.objectiveGrad(g.d(), g.k(), g.n(),
        g.alphas(), g.means(), g.icf(), g.x(), g.gamma(), g.m());
    assertClose(concat(grad.dAlphas(), grad.dMeans(), grad.dIcf()), expected, 1e-10);
  }

  private static double[] concat(double[]... parts) {
    int length = 0;
    for (double[] p : parts) {
      length += p.length;
    }
    double[] all = new double[length];
    int at = 0;
    for (double[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  private static void assertClose(double[] actual, double[] expected, double relative) {
    assertThat(actual).hasLength(expected.length);
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).isWithin(relative * scale).of(expected[i]);
    }
  }
}
