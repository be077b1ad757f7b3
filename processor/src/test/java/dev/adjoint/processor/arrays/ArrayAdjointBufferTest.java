package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.arrays.ArrayFixture.assertMatrix;
import static dev.adjoint.processor.arrays.ArrayFixture.assertVector;
import static dev.adjoint.processor.arrays.ArrayFixture.compilation;
import static dev.adjoint.processor.arrays.ArrayFixture.on;
import static dev.adjoint.processor.arrays.ArrayFixture.point;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.ArrayOracle.Result;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code mAdjoint} with array parameters: one named buffer per array parameter, accumulation of
 * several seeds into the same buffers, null buffers, and wrong-length or wrong-shape buffers
 * rejected before anything is written; repeated gradient calls return fresh arrays.
 *
 * <p>Sources are compiled, and checked against the oracle, through {@link ArrayFixture}.
 */
class ArrayAdjointBufferTest {

  // ---------------------------------------------------------------------------------------------
  // mAdjoint: accumulation, null buffers, shape checks
  // ---------------------------------------------------------------------------------------------

  private static final double[] MX = {0.5, -0.4, 1.2};
  private static final double MC = 0.9;
  private static final double[][] MW = {{0.3, -0.6}, {1.1, 0.2}, {-0.7, 0.8}};
  private static final int[] MIDX = {2, 0, 2};

  private static Object[] mixedArgs() {
    return new Object[] {MX.clone(), MC, ArrayOracle.deepCopy(MW), MIDX.clone()};
  }

  @Test
  void adjointAccumulatesTwoSeedsIntoTheSameBuffers() throws Throwable {
    ArrayOracle o = on("Arr");
    Result g = o.check("mixed", mixedArgs());
    double[] adjoints = new double[1];
    double[] xAdjoint = new double[3];
    double[][] wAdjoint = {new double[2], new double[2], new double[2]};
    Object[] args = mixedArgs();
    double v1 = o.adjoint("mixed", args, 1.0, adjoints, xAdjoint, wAdjoint);
    double v2 = o.adjoint("mixed", args, 2.5, adjoints, xAdjoint, wAdjoint);
    assertThat(Double.doubleToLongBits(v1)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(Double.doubleToLongBits(v2)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(adjoints[0]).isWithin(1e-14 * Math.max(1, Math.abs(g.d("dC"))))
        .of(3.5 * g.d("dC"));
    double[] dx = g.vector("dX");
    for (int i = 0; i < 3; i++) {
      dx[i] *= 3.5;
    }
    assertVector(g, "xAdjoint", xAdjoint, dx, 1e-14);
    double[][] dw = g.matrix("dW");
    for (double[] row : dw) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= 3.5;
      }
    }
    assertMatrix(g, "wAdjoint", wAdjoint, dw, 1e-14);
    // The arguments were not touched.
    assertThat(args[0]).isEqualTo(MX);
    assertThat(Arrays.deepEquals((double[][]) args[2], MW)).isTrue();
    assertThat(args[3]).isEqualTo(MIDX);
  }

  @Test
  void adjointAddsToWhatTheBuffersAlreadyHold() throws Throwable {
    ArrayOracle o = on("Arr");
    Result g = o.grad("mixed", mixedArgs());
    double[] adjoints = {10.0};
    double[] xAdjoint = {1.0, 2.0, 3.0};
    double[][] wAdjoint = {{-1.0, 0.5}, {0.25, 4.0}, {7.0, -3.0}};
    o.adjoint("mixed", mixedArgs(), -2.0, adjoints, xAdjoint, wAdjoint);
    assertThat(adjoints[0]).isWithin(1e-13).of(10.0 - 2.0 * g.d("dC"));
    double[] dx = g.vector("dX");
    assertVector(g, "xAdjoint", xAdjoint,
        new double[] {1.0 - 2 * dx[0], 2.0 - 2 * dx[1], 3.0 - 2 * dx[2]}, 1e-13);
    double[][] dw = g.matrix("dW");
    double[][] start = {{-1.0, 0.5}, {0.25, 4.0}, {7.0, -3.0}};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        dw[i][j] = start[i][j] - 2 * dw[i][j];
      }
    }
    assertMatrix(g, "wAdjoint", wAdjoint, dw, 1e-13);
  }

  @Test
  void adjointAcceptsNullBuffers() throws Throwable {
    ArrayOracle o = on("Arr");
    Result g = o.grad("mixed", mixedArgs());
    double[] adjoints = new double[1];
    double[][] wAdjoint = {new double[2], new double[2], new double[2]};
    double v = o.adjoint("mixed", mixedArgs(), 1.0, adjoints, null, wAdjoint);
    assertThat(Double.doubleToLongBits(v)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(adjoints[0]).isEqualTo(g.d("dC"));
    assertThat(Arrays.deepEquals(wAdjoint, g.matrix("dW"))).isTrue();

    double[] xAdjoint = new double[3];
    adjoints[0] = 0;
    o.adjoint("mixed", mixedArgs(), 1.0, adjoints, xAdjoint, null);
    assertThat(Arrays.equals(xAdjoint, g.vector("dX"))).isTrue();
    assertThat(adjoints[0]).isEqualTo(g.d("dC"));

    adjoints[0] = 0;
    v = o.adjoint("mixed", mixedArgs(), 1.0, adjoints, null, null);
    assertThat(Double.doubleToLongBits(v)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(adjoints[0]).isEqualTo(g.d("dC"));

    // No scalar parameter: no adjoints array at all, and a null buffer is fine too.
    Result rg = o.grad("rosenbrock", (Object) new double[] {-1.2, 1.0});
    v = o.adjoint("rosenbrock", new Object[] {new double[] {-1.2, 1.0}}, 1.0, null,
        (Object) null);
    assertThat(Double.doubleToLongBits(v)).isEqualTo(Double.doubleToLongBits(rg.value()));
  }

  @Test
  void adjointSignatureHasOneNamedBufferPerArrayParameter() {
    java.lang.reflect.Method m = on("Arr").adjointMethod("mixed");
    assertThat(m.getParameterTypes())
        .asList()
        .containsExactly(double[].class, double.class, double[][].class, int[].class,
            double.class, double[].class, double[].class, double[][].class)
        .inOrder();
    assertThat(on("Arr").adjointMethod("rosenbrock").getParameterTypes())
        .asList()
        .containsExactly(double[].class, double.class, double[].class)
        .inOrder();
    assertThat(on("Arr").adjointMethod("gatherSquares").getParameterTypes())
        .asList()
        .containsExactly(double[].class, int[].class, double.class, double[].class)
        .inOrder();
    String src = compilation("Arr").generatedSource("p.ArrDiff");
    assertThat(src).contains("double[] adjoints, double[] xAdjoint, double[][] wAdjoint)");
    assertThat(src).contains("record MixedGrad(double value, double[] dX, double dC, double[][] dW)");
    assertThat(src).contains("record GatherSquaresGrad(double value, double[] dX)");
    assertThat(compilation("ArrFloats").generatedSource("p.ArrFloatsDiff"))
        .contains("record FloatDotGrad(float value, float[] dA, float[] dB, float dC)");
  }

  @Test
  void adjointRejectsAWrongLengthVectorBuffer() {
    ArrayOracle o = on("Arr");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.adjoint("mixed", mixedArgs(), 1.0, new double[1], new double[2],
                null));
    assertThat(e).hasMessageThat().contains("xAdjoint");
    assertThat(e).hasMessageThat().contains("2");
    assertThat(e).hasMessageThat().contains("3");
    assertThat(e).hasMessageThat().isEqualTo("xAdjoint has length 2 but must have length 3");
  }

  @Test
  void adjointRejectsAWrongShapeMatrixBuffer() {
    ArrayOracle o = on("Arr");
    IllegalArgumentException rows =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.adjoint("mixed", mixedArgs(), 1.0, new double[1], null, new double[2][2]));
    assertThat(rows).hasMessageThat().contains("wAdjoint");
    assertThat(rows).hasMessageThat().contains("2");
    assertThat(rows).hasMessageThat().contains("3");
    IllegalArgumentException cols =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.adjoint("mixed", mixedArgs(), 1.0, new double[1], null,
                new double[][] {new double[2], new double[5], new double[2]}));
    assertThat(cols).hasMessageThat().contains("wAdjoint[1]");
    assertThat(cols).hasMessageThat().contains("5");
    assertThat(cols).hasMessageThat().contains("2");
  }

  @Test
  void adjointRejectsAWrongLengthFloatBuffer() {
    ArrayOracle o = on("ArrFloats");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.adjoint("floatDot",
                new Object[] {new float[] {1f, 2f}, new float[] {3f, 4f}, 1f},
                1.0, new double[1], new float[2], new float[3]));
    assertThat(e).hasMessageThat().isEqualTo("bAdjoint has length 3 but must have length 2");
  }

  @Test
  void wrongShapeBufferIsRejectedBeforeAnyOtherBufferIsWritten() {
    ArrayOracle o = on("Arr");
    double[] adjoints = {0.0};
    double[] xAdjoint = {0.0, 0.0, 0.0};
    assertThrows(
        IllegalArgumentException.class,
        () -> o.adjoint("mixed", mixedArgs(), 1.0, adjoints, xAdjoint, new double[3][1]));
    assertThat(adjoints[0]).isEqualTo(0.0);
    assertThat(xAdjoint).usingExactEquality().containsExactly(0.0, 0.0, 0.0);
  }

  @Test
  void gradientCallsAreRepeatableAndReturnFreshArrays() {
    ArrayOracle o = on("Arr");
    double[] x = point(5, 1.0);
    Result a = o.grad("rosenbrock", (Object) x);
    Result b = o.grad("rosenbrock", (Object) x);
    assertThat(a.component("dX")).isNotSameInstanceAs(b.component("dX"));
    assertThat(Arrays.equals(a.vector("dX"), b.vector("dX"))).isTrue();
  }
}
