package dev.adjoint.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.LstmDiff;
import dev.adjoint.samples.adbench.LstmInput;
import org.junit.jupiter.api.Test;

/** The recomputing copies ({@link LstmRecompute}) compute the generated gradient. */
class LstmRecomputeTest {

  @Test
  void recomputingCellsGivesTheGeneratedGradient() {
    check(false);
  }

  @Test
  void recomputingCellsAndExpsGivesTheGeneratedGradient() {
    check(true);
  }

  @Test
  void rebuildingTheSigmoidPartialsGivesTheGeneratedGradient() {
    check(null);
  }

  private static void check(Boolean exps) {
    LstmInput in = LstmInput.read(LstmInput.L2_C1024);
    double[][] dMain = new double[in.mainParams().length][in.mainParams()[0].length];
    double[][] dExtra = new double[in.extraParams().length][in.extraParams()[0].length];
    double value = LstmDiff.objectiveAdjoint(in.mainParams(), in.extraParams(), in.state(),
        in.sequence(), 1.0, dMain, dExtra, new Tape());
    double[][] rMain = new double[dMain.length][dMain[0].length];
    double[][] rExtra = new double[dExtra.length][dExtra[0].length];
    Tape tape = new Tape();
    double recomputed = exps == null
        ? LstmRecompute.gatePartialsAdjoint(in.mainParams(), in.extraParams(), in.state(),
            in.sequence(), 1.0, rMain, rExtra, tape)
        : exps
        ? LstmRecompute.cellsAndExpsAdjoint(in.mainParams(), in.extraParams(), in.state(),
            in.sequence(), 1.0, rMain, rExtra, tape)
        : LstmRecompute.cellsAdjoint(in.mainParams(), in.extraParams(), in.state(),
            in.sequence(), 1.0, rMain, rExtra, tape);
    assertThat(recomputed).isEqualTo(value);
    assertThat(value).isWithin(1e-12).of(in.objective());
    assertClose(rMain, dMain);
    assertClose(rExtra, dExtra);
    // The tape is left as it was found: the recomputing copy pops all it pushed.
    assertThat(tape.recordedBytes()).isEqualTo(0L);
  }

  private static void assertClose(double[][] actual, double[][] expected) {
    double scale = 0;
    for (double[] row : expected) {
      for (double e : row) {
        scale = Math.max(scale, Math.abs(e));
      }
    }
    assertThat(scale).isGreaterThan(0.0);
    for (int r = 0; r < expected.length; r++) {
      for (int i = 0; i < expected[r].length; i++) {
        assertThat(actual[r][i]).isWithin(1e-12 * scale).of(expected[r][i]);
      }
    }
  }
}
