package dev.adjoint.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.benchmarks.hipparchus.HipparchusBa;
import dev.adjoint.benchmarks.hipparchus.HipparchusGmm;
import dev.adjoint.benchmarks.hipparchus.HipparchusLstm;
import dev.adjoint.benchmarks.hipparchus.HipparchusScalar;
import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.BlackScholesDiff;
import dev.adjoint.samples.FunctionsDiff;
import dev.adjoint.samples.adbench.BaInput;
import dev.adjoint.samples.adbench.BaJacobian;
import dev.adjoint.samples.adbench.GmmDiff;
import dev.adjoint.samples.adbench.GmmInput;
import dev.adjoint.samples.adbench.LstmDiff;
import dev.adjoint.samples.adbench.LstmInput;
import org.hipparchus.analysis.differentiation.Gradient;
import org.junit.jupiter.api.Test;

/**
 * The benchmarks compare like with like: Hipparchus, central differences and Adjoint compute the
 * same derivatives (so that a speed-up is not bought with a different answer).
 */
class ComparisonAgreementTest {

  @Test
  void gmmGradientsAgree() {
    GmmInput in = GmmInput.read(GmmInput.D2_K5);
    double[] hipparchus = new double[in.parameterCount()];
    double value = HipparchusGmm.pass(in, 0, hipparchus.length, hipparchus);
    double[] dAlphas = new double[in.k()];
    double[][] dMeans = new double[in.k()][in.d()];
    double[][] dIcf = new double[in.k()][in.icf()[0].length];
    double adjointValue = GmmDiff.objectiveAdjoint(in.alphas(), in.means(), in.icf(), in.x(),
        in.gamma(), in.m(), 1.0, dAlphas, dMeans, dIcf, new Tape());
    assertThat(value).isWithin(1e-9 * Math.abs(adjointValue)).of(adjointValue);
    assertClose(hipparchus, pack(dAlphas, dMeans, dIcf), 1e-9);

    // A window gives the same entries as the full pass.
    double[] window = new double[hipparchus.length];
    HipparchusGmm.pass(in, 10, 7, window);
    for (int i = 10; i < 17; i++) {
      assertThat(window[i]).isWithin(1e-12 * Math.abs(hipparchus[i]) + 1e-12).of(hipparchus[i]);
    }

    double[] fd = new double[hipparchus.length];
    double[][] rows = new double[1 + 2 * in.k()][];
    rows[0] = in.alphas();
    System.arraycopy(in.means(), 0, rows, 1, in.k());
    System.arraycopy(in.icf(), 0, rows, 1 + in.k(), in.k());
    CentralDifferences.gradient(in::objective, rows, fd, fd.length);
    assertClose(fd, hipparchus, 1e-5);
  }

  @Test
  void lstmGradientsAgree() {
    LstmInput in = LstmInput.read(LstmInput.L2_C1024);
    double[] hipparchus = new double[in.parameterCount()];
    double value = HipparchusLstm.gradient(in, hipparchus);
    double[][] dMain = new double[in.mainParams().length][in.mainParams()[0].length];
    double[][] dExtra = new double[3][in.extraParams()[0].length];
    double adjointValue = LstmDiff.objectiveAdjoint(in.mainParams(), in.extraParams(), in.state(),
        in.sequence(), 1.0, dMain, dExtra, new Tape());
    assertThat(value).isWithin(1e-12).of(adjointValue);
    assertClose(hipparchus, pack(dMain, dExtra), 1e-9);
  }

  @Test
  void baJacobiansAgree() {
    BaInput in = BaInput.read(BaInput.TEST);
    double[] rows = new double[2 * in.observations() * BaJacobian.ROW_NONZEROS];
    HipparchusBa.jacobian(in, rows);
    BaJacobian jacobian = new BaJacobian(in.observations());
    jacobian.compute(in, new Tape());
    for (int i = 0; i < in.observations(); i++) {
      for (int axis = 0; axis < 2; axis++) {
        double[] expected = new double[BaJacobian.ROW_NONZEROS];
        System.arraycopy(rows, (2 * i + axis) * BaJacobian.ROW_NONZEROS, expected, 0,
            expected.length);
        assertClose(jacobian.reprojectionRow(i, axis), expected, 1e-10);
      }
    }
  }

  @Test
  void scalarGradientsAgree() {
    Gradient complexe = HipparchusScalar.complexe(7, 5, 2);
    FunctionsDiff.ComplexeGrad g = FunctionsDiff.complexeGrad(7, 5, 2);
    assertClose(complexe.getGradient(), new double[] {g.dX(), g.dY(), g.dZ()}, 1e-12);
    Gradient call = HipparchusScalar.call(100, 95, 0.05, 0.2, 1);
    BlackScholesDiff.CallGrad c = BlackScholesDiff.callGrad(100, 95, 0.05, 0.2, 1);
    assertThat(call.getValue()).isWithin(1e-12).of(c.value());
    assertClose(call.getGradient(),
        new double[] {c.dSpot(), c.dStrike(), c.dRate(), c.dVolatility(), c.dMaturity()}, 1e-10);
  }

  @Test
  void windowCoversSmallProblemsWhole() {
    assertThat(Coverage.window(330)).isEqualTo(330);
    assertThat(Coverage.window(21450)).isEqualTo(Coverage.WINDOW);
  }

  /** The elements of {@code double[]} and {@code double[][]} arguments, in order. */
  private static double[] pack(Object... arrays) {
    java.util.List<double[]> rows = new java.util.ArrayList<>();
    for (Object array : arrays) {
      if (array instanceof double[] row) {
        rows.add(row);
      } else {
        rows.addAll(java.util.List.of((double[][]) array));
      }
    }
    return rows.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
  }

  private static void assertClose(double[] actual, double[] expected, double relative) {
    assertThat(actual).hasLength(expected.length);
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).isWithin(relative * Math.max(scale, 1e-300)).of(expected[i]);
    }
  }
}
