package dev.adjoint.samples.adbench;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.check.GradCheck;
import dev.adjoint.runtime.Tape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BaTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {BaInput.TEST, BaInput.BA1})
  void jacobianRowsMatchFiniteDifferences(String path) {
    BaInput in = BaInput.read(path);
    BaJacobian jacobian = new BaJacobian(in.observations());
    jacobian.compute(in, new Tape());
    double[] reprojection = new double[2 * in.observations()];
    double[] weight = new double[in.observations()];
    BaJacobian.residuals(in, reprojection, weight);
    for (int i : new int[] {0, in.observations() / 2, in.observations() - 1}) {
      double[] camera = in.cameras()[in.observationCamera()[i]];
      double[] point = in.points()[in.observationPoint()[i]];
      double w = in.weights()[i];
      double[] feature = in.features()[i];
      for (int axis = 0; axis < 2; axis++) {
        int component = axis;
        assertThat(jacobian.reprojectionError(i, axis)).isEqualTo(reprojection[2 * i + axis]);
        double[] row = jacobian.reprojectionRow(i, axis);
        double[] at = new double[BaJacobian.ROW_NONZEROS];
        System.arraycopy(camera, 0, at, 0, Ba.CAMERA);
        System.arraycopy(point, 0, at, Ba.CAMERA, Ba.POINT);
        at[BaJacobian.ROW_NONZEROS - 1] = w;
        GradCheck.of(
                x -> Ba.reprojectionError(java.util.Arrays.copyOf(x, Ba.CAMERA),
                    java.util.Arrays.copyOfRange(x, Ba.CAMERA, Ba.CAMERA + Ba.POINT),
                    x[BaJacobian.ROW_NONZEROS - 1], feature)[component],
                (x, g) -> {
                  for (int c = 0; c < row.length; c++) {
                    g[c] += row[c];
                  }
                  return reprojection[2 * i + component];
                })
            .tolerances(1e-6, 1e-7)
            .at(at)
            .assertPassed();
      }
      assertThat(jacobian.weightError(i)).isEqualTo(weight[i]);
      assertThat(jacobian.weightRow(i)).isEqualTo(-2 * w);
    }
  }

  @Test
  void rotationByZeroAngleUsesTheFirstOrderBranchAndItsDerivative() {
    double[] camera = {0, 0, 0, 0.1, -0.2, -5, 300, 1, 2, 1e-3, 1e-5};
    double[] point = {0.4, 0.3, 2};
    double[] feature = {10, -20};
    double[] cameraAdjoint = new double[Ba.CAMERA];
    double[] pointAdjoint = new double[Ba.POINT];
    double[] weightAdjoint = new double[1];
    BaDiff.reprojectionErrorAdjoint(camera, point, 0.7, feature, new double[] {1, 0},
        weightAdjoint, cameraAdjoint, pointAdjoint);
    // d(error_x)/d(r1) at r = 0: the rotation's first-order term r x X moves x by r1 * z.
    double h = 1e-7;
    double[] plus = camera.clone();
    plus[1] = h;
    double[] minus = camera.clone();
    minus[1] = -h;
    double numeric = (Ba.reprojectionError(plus, point, 0.7, feature)[0]
        - Ba.reprojectionError(minus, point, 0.7, feature)[0]) / (2 * h);
    assertThat(cameraAdjoint[1]).isWithin(1e-5 * Math.abs(numeric)).of(numeric);
  }
}
