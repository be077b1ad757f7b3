package dev.adjoint.samples.adbench;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.Flat;
import org.junit.jupiter.api.Test;

class LstmTest {
  private static final LstmInput IN = LstmInput.read(LstmInput.L2_C1024);

  @Test
  void objectiveMatchesAdbench() {
    double expected = 0.66666517955885218;
    double value = IN.objective();
    assertWithMessage("loss %s, ADBench %s", value, expected)
        .that(GmmTest.rho(value, expected)).isAtMost(1e-12);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    double[][] dMain = new double[IN.mainParams().length][IN.mainParams()[0].length];
    double[][] dExtra = new double[IN.extraParams().length][IN.extraParams()[0].length];
    double value = LstmDiff.objectiveAdjoint(IN.mainParams(), IN.extraParams(), IN.state(),
        IN.sequence(), 1.0, dMain, dExtra, new Tape());
    assertThat(value).isEqualTo(IN.objective());
    double[] at = Flat.pack(IN.mainParams(), IN.extraParams());
    double[] gradient = Flat.pack(dMain, dExtra);
    assertThat(gradient).hasLength(IN.parameterCount());
    Flat.checkEntries(x -> {
      double[][] main = new double[dMain.length][dMain[0].length];
      double[][] extra = new double[dExtra.length][dExtra[0].length];
      Flat.unpack(x, main, extra);
      return Lstm.objective(main, extra, IN.state(), IN.sequence());
    }, at, gradient, Flat.spread(at.length, 24), 1e-6, 1e-9).assertPassed();
  }

  @Test
  void stateIsNotChanged() {
    double[] copy = Flat.pack((Object) IN.state());
    IN.objective();
    LstmDiff.objectiveGrad(IN.mainParams(), IN.extraParams(), IN.state(), IN.sequence());
    assertThat(Flat.pack((Object) IN.state())).isEqualTo(copy);
  }
}
