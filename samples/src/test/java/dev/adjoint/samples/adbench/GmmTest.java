package dev.adjoint.samples.adbench;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.Flat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GmmTest {

  /** ADBench's correctness metric: |x - y| / max(1, |x| + |y|). */
  static double rho(double x, double y) {
    return Math.abs(x - y) / Math.max(1, Math.abs(x) + Math.abs(y));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "gmm/test.txt, 8.07380408004975791",
    "gmm/1k/gmm_d2_K5.txt, -5240.5905625496434",
    "gmm/1k/gmm_d10_K5.txt, -31302.540910910764",
    "gmm/1k/gmm_d64_K10.txt.gz, -1171496.2872845707",
  })
  void objectiveMatchesAdbench(String path, double expected) {
    GmmInput in = GmmInput.read(path);
    double value = in.objective();
    assertWithMessage("F = %s, ADBench %s", value, expected)
        .that(rho(value, expected)).isAtMost(1e-10);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"gmm/test.txt", "gmm/1k/gmm_d2_K5.txt", "gmm/1k/gmm_d10_K5.txt"})
  void gradientMatchesFiniteDifferences(String path) {
    GmmInput in = GmmInput.read(path);
    double[][] dMeans = new double[in.k()][in.d()];
    double[][] dIcf = new double[in.k()][in.icf()[0].length];
    double[] dAlphas = new double[in.k()];
    double value = GmmDiff.objectiveAdjoint(in.alphas(), in.means(), in.icf(), in.x(), in.gamma(),
        in.m(), 1.0, dAlphas, dMeans, dIcf, new Tape());
    assertThat(value).isEqualTo(in.objective());

    double[] gradient = Flat.pack(dAlphas, dMeans, dIcf);
    double[] at = Flat.pack(in.alphas(), in.means(), in.icf());
    assertThat(gradient).hasLength(in.parameterCount());
    Flat.checkEntries(x -> objectiveAt(in, x), at, gradient, Flat.spread(at.length, 40), 1e-6, 1e-6)
        .assertPassed();
  }

  @Test
  void gradientOfTheTestInstanceIsCheckedEverywhere() {
    GmmInput in = GmmInput.read(GmmInput.TEST);
    GmmDiff.ObjectiveGrad g = GmmDiff.objectiveGrad(
        in.alphas(), in.means(), in.icf(), in.x(), in.gamma(), in.m());
    double[] at = Flat.pack(in.alphas(), in.means(), in.icf());
    double[] gradient = Flat.pack(g.dAlphas(), g.dMeans(), g.dIcf());
    Flat.checkEntries(x -> objectiveAt(in, x), at, gradient, Flat.spread(at.length, at.length),
        1e-7, 1e-8).assertPassed();
  }

  @Test
  void logGammaMatchesKnownValues() {
    assertThat(LogGamma.of(0.5)).isWithin(1e-14).of(0.5 * Math.log(Math.PI));
    assertThat(LogGamma.of(1)).isWithin(1e-14).of(0);
    assertThat(LogGamma.of(10)).isWithin(1e-13).of(Math.log(362880));
    assertThat(LogGamma.of(0.1)).isWithin(1e-13).of(2.2527126517342055);
    assertThat(LogGamma.of(38.5)).isWithin(1e-11).of(101.14611615586456);
  }

  private static double objectiveAt(GmmInput in, double[] flat) {
    double[] alphas = new double[in.k()];
    double[][] means = new double[in.k()][in.d()];
    double[][] icf = new double[in.k()][in.icf()[0].length];
    Flat.unpack(flat, alphas, means, icf);
    return Gmm.objective(alphas, means, icf, in.x(), in.gamma(), in.m());
  }
}
