package dev.adjoint.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.BaDiff;
import dev.adjoint.samples.adbench.BaInput;
import dev.adjoint.samples.adbench.BaJacobian;
import org.junit.jupiter.api.Test;

/** The hand-written Jacobian ({@link BaFloor}) computes the generated one. */
class BaFloorTest {

  @Test
  void handWrittenJacobianMatchesTheGeneratedOne() {
    BaInput in = BaInput.read(BaInput.TEST);
    Tape tape = new Tape();
    for (int i = 0; i < in.observations(); i++) {
      double[] camera = in.cameras()[in.observationCamera()[i]];
      double[] point = in.points()[in.observationPoint()[i]];
      check(camera, point, in.weights()[i], in.features()[i], tape);
      // The first-order branch (no rotation).
      double[] still = camera.clone();
      still[0] = 0;
      still[1] = 0;
      still[2] = 0;
      check(still, point, in.weights()[i], in.features()[i], tape);
    }
  }

  private static void check(double[] camera, double[] point, double w, double[] feature,
      Tape tape) {
    double[][] generated = new double[2][BaJacobian.ROW_NONZEROS];
    double[] value = BaDiff.reprojectionErrorJacobian(camera, point, w, feature, generated, tape);
    double[][] hand = new double[2][BaJacobian.ROW_NONZEROS];
    double[] handValue = BaFloor.reprojectionErrorJacobian(camera, point, w, feature, hand);
    for (int axis = 0; axis < 2; axis++) {
      assertThat(handValue[axis]).isWithin(1e-12 * Math.max(1, Math.abs(value[axis])))
          .of(value[axis]);
      double scale = 1;
      for (double e : generated[axis]) {
        scale = Math.max(scale, Math.abs(e));
      }
      for (int j = 0; j < BaJacobian.ROW_NONZEROS; j++) {
        assertThat(hand[axis][j]).isWithin(1e-10 * scale).of(generated[axis][j]);
      }
    }
  }
}
