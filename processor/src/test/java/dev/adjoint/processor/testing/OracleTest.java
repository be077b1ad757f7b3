package dev.adjoint.processor.testing;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.Oracle.Estimate;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sanity checks of the finite-difference {@link Oracle} on functions with known derivatives. */
class OracleTest {

  private static final double REL = 1e-9;

  private static void assertClose(String what, Estimate actual, double expected) {
    double tol = REL * Math.max(1.0, Math.abs(expected));
    assertWithMessage("%s: oracle %s vs exact %s", what, actual, expected)
        .that(actual.value())
        .isWithin(tol)
        .of(expected);
    // The error estimate must be honest (not wildly below the true error) and small.
    assertWithMessage("%s: error estimate of %s", what, actual)
        .that(actual.error())
        .isAtMost(tol);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-7.3, -2.0, -0.4, 0.0, 0.3, 1.0, 2.5, 7.0, 31.0})
  void sin(double x) {
    assertClose("sin'(" + x + ")", Oracle.derivative(Math::sin, x), Math.cos(x));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-3.0, -0.5, 0.0, 0.7, 2.0, 5.0})
  void exp(double x) {
    assertClose("exp'(" + x + ")", Oracle.derivative(Math::exp, x), Math.exp(x));
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.3, 1.0, 4.0, 100.0})
  void logAndSqrt(double x) {
    assertClose("log'(" + x + ")", Oracle.derivative(Math::log, x), 1 / x);
    assertClose("sqrt'(" + x + ")", Oracle.derivative(Math::sqrt, x), 0.5 / Math.sqrt(x));
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1.2, 0.0, 0.5, 3.0})
  void atanAndTanh(double x) {
    assertClose("atan'(" + x + ")", Oracle.derivative(Math::atan, x), 1 / (1 + x * x));
    double t = Math.tanh(x);
    assertClose("tanh'(" + x + ")", Oracle.derivative(Math::tanh, x), 1 - t * t);
  }

  @Test
  void quicklyVaryingFunctionWithLargeInitialStep() {
    // tanh(4 cos^2 x) at 7: the initial step 0.7 alone is too large (the single tableau stops at an
    // error of about 5e-3); the restarts from smaller steps must recover full accuracy.
    DoubleUnaryOperator f =
        x -> {
          double y = Math.cos(x);
          return Math.tanh(4 * y * y);
        };
    double z = 4 * Math.cos(7) * Math.cos(7);
    double t = Math.tanh(z);
    double exact = -(1 - t * t) * 8 * Math.cos(7) * Math.sin(7);
    assertClose("tanh(4cos^2)'(7)", Oracle.derivative(f, 7.0), exact);
    Estimate single =
        Oracle.ridders(
            v -> f.applyAsDouble(v[0]), new double[] {7.0}, 0, DoubleUnaryOperator.identity(), 0.7);
    assertThat(Math.abs(single.value() - exact)).isAtMost(Math.max(1e-9, 20 * single.error()));
  }

  @Test
  void polynomialGradient() {
    // f(x, y) = x^3 y
    ToDoubleFunction<double[]> f = v -> v[0] * v[0] * v[0] * v[1];
    for (double[] p : new double[][] {{2, 3}, {-1.5, 0.25}, {0.1, -4}, {10, 2}}) {
      Estimate[] g = Oracle.gradient(f, p);
      assertThat(g).hasLength(2);
      assertClose("d(x^3 y)/dx at " + p[0] + "," + p[1], g[0], 3 * p[0] * p[0] * p[1]);
      assertClose("d(x^3 y)/dy at " + p[0] + "," + p[1], g[1], p[0] * p[0] * p[0]);
    }
  }

  @Test
  void threeVariables() {
    // f(x, y, z) = sin(x y) + z^2 / x
    ToDoubleFunction<double[]> f = v -> Math.sin(v[0] * v[1]) + v[2] * v[2] / v[0];
    double x = 1.3, y = -0.7, z = 2.2;
    Estimate[] g = Oracle.gradient(f, new double[] {x, y, z});
    assertClose("df/dx", g[0], y * Math.cos(x * y) - z * z / (x * x));
    assertClose("df/dy", g[1], x * Math.cos(x * y));
    assertClose("df/dz", g[2], 2 * z / x);
  }

  @Test
  void partialDoesNotDisturbThePoint() {
    double[] p = {1.5, 2.5};
    Oracle.gradient(v -> v[0] * v[1], p);
    assertThat(p).usingExactEquality().containsExactly(1.5, 2.5).inOrder();
  }

  @Test
  void constantFunctionHasZeroDerivativeAndZeroError() {
    Estimate e = Oracle.derivative(x -> 4.0, 2.0);
    assertThat(e.value()).isEqualTo(0.0);
    assertThat(e.error()).isEqualTo(0.0);
  }

  @Test
  void kinkInsideTheStepShowsUpAsALargeErrorNotAsFalsePrecision() {
    // |x| at 0.05: the first steps straddle the kink; whatever the estimate, it must be either
    // right or flagged with an error estimate that covers the discrepancy.
    Estimate e = Oracle.derivative(Math::abs, 0.05);
    assertThat(Math.abs(e.value() - 1.0)).isAtMost(Math.max(1e-9, 20 * e.error()));
  }

  @Test
  void floatRepresentation() {
    // A function computed in float: the oracle works on the float function.
    ToDoubleFunction<double[]> f =
        v -> {
          float x = (float) v[0];
          return x * x * x;
        };
    DoubleUnaryOperator toFloat = v -> (float) v;
    for (double x : new double[] {0.75, 1.5, -2.25}) {
      Estimate e = Oracle.partial(f, new double[] {x}, 0, toFloat, Oracle.initialStep(x));
      double expected = 3 * x * x;
      assertWithMessage("float x^3 at %s: %s", x, e)
          .that(e.value())
          .isWithin(Math.max(1e-3 * Math.max(1, Math.abs(expected)), 20 * e.error()))
          .of(expected);
    }
  }
}
