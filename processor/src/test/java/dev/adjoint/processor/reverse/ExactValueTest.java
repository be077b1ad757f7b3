package dev.adjoint.processor.reverse;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.adjoint.processor.reverse.ReverseModeFixture.assertRel;
import static dev.adjoint.processor.reverse.ReverseModeFixture.c;
import static dev.adjoint.processor.reverse.ReverseModeFixture.check;
import static dev.adjoint.processor.reverse.ReverseModeFixture.grad;
import static dev.adjoint.processor.reverse.ReverseModeFixture.run;

import dev.adjoint.processor.testing.GradientAssert.Gradient;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-computed exact cases (the notebook's values: 99, -0.1644934358, -15.50478084, 4π³,
 * ...) and Black-Scholes, against the oracle and against closed forms.
 *
 * <p>Sources and compilation are shared through {@link ReverseModeFixture}.
 */
class ExactValueTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** Exact reference cases and Black-Scholes. */
  static final String EXACT =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Exact {
        @Differentiable
        public static double cubic(double x) {
          return 3 * x * (x * x + x);
        }

        @Differentiable
        public static double tanhCos(double x) {
          double y = Math.cos(x);
          double z = 4 * y * y;
          return Math.tanh(z);
        }

        @Differentiable
        public static double accumulation(double x) {
          return x * x * Math.cos(x) / Math.atan(x);
        }

        @Differentiable
        public static double squared(double x) {
          double a = x * x * Math.cos(x);
          return a * a;
        }

        @Differentiable
        public static double complexe(double x, double y, double z) {
          double a = Math.atan(x / y);
          double b = Math.cos(z * z - x);
          return x * y * a * b / z + a - b;
        }

        @Differentiable
        public static double loopIncrement(double x) {
          for (int i = 0; i < 3; i++) x = x + 1;
          return x * x;
        }

        @Differentiable
        public static double castCut(double x) {
          return x * (int) x;
        }

        /** erfc, Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7). */
        @Differentiable
        public static double erfc(double x) {
          double z = Math.abs(x);
          double t = 1.0 / (1.0 + 0.5 * z);
          double ans =
              t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196
                  + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
                  + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
          if (x >= 0) {
            return ans;
          } else {
            return 2.0 - ans;
          }
        }

        @Differentiable
        public static double normCdf(double x) {
          return 0.5 * erfc(-x / Math.sqrt(2.0));
        }

        @Differentiable
        public static double blackScholes(
            double spot, double strike, double rate, double vol, double t) {
          double sqrtT = Math.sqrt(t);
          double d1 = (Math.log(spot / strike) + (rate + 0.5 * vol * vol) * t) / (vol * sqrtT);
          double d2 = d1 - vol * sqrtT;
          return spot * normCdf(d1) - strike * Math.exp(-rate * t) * normCdf(d2);
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // Oracle comparisons
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> exact() {
    String e = "Exact";
    return Stream.of(
        c(e, "cubic", 3.0),
        c(e, "tanhCos", 7.0),
        c(e, "accumulation", 7.0),
        c(e, "squared", Math.PI),
        c(e, "complexe", 7.0, 5.0, 2.0),
        c(e, "loopIncrement", 1.0),
        c(e, "castCut", 2.5),
        c(e, "erfc", -1.3),
        c(e, "erfc", 0.4),
        c(e, "erfc", 2.2),
        c(e, "normCdf", -0.8),
        c(e, "normCdf", 1.7),
        c(e, "blackScholes", 120.0, 90.0, 0.05, 0.25, 2.0),
        c(e, "blackScholes", 80.0, 110.0, 0.02, 0.3, 0.75));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exact")
  void exactCasesAgainstOracle(
      String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  // ---------------------------------------------------------------------------------------------
  // Exact values
  // ---------------------------------------------------------------------------------------------

  @Test
  void cubicAtThreeIs99() {
    Gradient g = check("Exact", "cubic", 3.0);
    assertRel(g, "value", g.value(), 3 * 3 * (9 + 3), 1e-12);
    assertRel(g, "dX", g.d("dX"), 99.0, 1e-9);
  }

  @Test
  void tanhOfFourCosSquaredAtSeven() {
    Gradient g = check("Exact", "tanhCos", 7.0);
    double z = 4 * Math.cos(7) * Math.cos(7);
    double t = Math.tanh(z);
    double expected = -(1 - t * t) * 8 * Math.cos(7) * Math.sin(7);
    assertWithMessage("%s", g).that(g.d("dX")).isWithin(1e-9).of(expected);
    assertWithMessage("%s", g).that(g.d("dX")).isWithin(1e-9).of(-0.1644934358);
  }

  @Test
  void accumulationAtSeven() {
    Gradient g = check("Exact", "accumulation", 7.0);
    double x = 7.0;
    double num = x * x * Math.cos(x);
    double dnum = 2 * x * Math.cos(x) - x * x * Math.sin(x);
    double at = Math.atan(x);
    double expected = dnum / at - num / (at * at) / (1 + x * x);
    assertRel(g, "dX analytic", g.d("dX"), expected, 1e-9);
    assertWithMessage("%s", g).that(g.d("dX")).isWithin(1e-8).of(-15.50478084);
  }

  @Test
  void squaredAtPiIsFourPiCubed() {
    Gradient g = check("Exact", "squared", Math.PI);
    assertRel(g, "dX", g.d("dX"), 4 * Math.PI * Math.PI * Math.PI, 1e-9);
  }

  @Test
  void complexeAtSevenFiveTwo() {
    Gradient g = check("Exact", "complexe", 7.0, 5.0, 2.0);
    assertWithMessage("%s", g).that(g.d("dX")).isWithin(1e-6).of(-5.6619678);
    assertWithMessage("%s", g).that(g.d("dY")).isWithin(1e-6).of(-1.7493755);
    assertWithMessage("%s", g).that(g.d("dZ")).isWithin(1e-6).of(17.059452);

    double x = 7, y = 5, z = 2;
    double a = Math.atan(x / y);
    double b = Math.cos(z * z - x);
    double s = Math.sin(z * z - x);
    double dadx = y / (x * x + y * y);
    double dady = -x / (x * x + y * y);
    double dbdx = s; // d cos(z^2 - x) / dx = sin(z^2 - x)
    double dbdz = -s * 2 * z;
    double dfdx = (y * a * b + x * y * dadx * b + x * y * a * dbdx) / z + dadx - dbdx;
    double dfdy = (x * a * b + x * y * dady * b) / z + dady;
    double dfdz = x * y * a * dbdz / z - x * y * a * b / (z * z) - dbdz;
    assertRel(g, "dX analytic", g.d("dX"), dfdx, 1e-9);
    assertRel(g, "dY analytic", g.d("dY"), dfdy, 1e-9);
    assertRel(g, "dZ analytic", g.d("dZ"), dfdz, 1e-9);
  }

  @Test
  void loopIncrementAtOneIsEight() {
    Gradient g = check("Exact", "loopIncrement", 1.0);
    assertRel(g, "value", g.value(), 16.0, 0);
    assertRel(g, "dX", g.d("dX"), 8.0, 1e-9);
  }

  @Test
  void castToIntCutsTheDerivative() {
    Gradient g = grad("Exact", "castCut", 2.5);
    assertRel(g, "dX", g.d(0), 2.0, 1e-12);
    g = grad("Exact", "castCut", -3.4);
    assertRel(g, "dX", g.d(0), -3.0, 1e-12);
  }

  @Test
  void blackScholesComponentNames() {
    Gradient g = check("Exact", "blackScholes", 120.0, 90.0, 0.05, 0.25, 2.0);
    assertThat(g.names()).containsExactly("dSpot", "dStrike", "dRate", "dVol", "dT").inOrder();
    // Sanity of the model itself: delta is N(d1) up to the erfc approximation.
    double d1 = (Math.log(120.0 / 90.0) + (0.05 + 0.5 * 0.25 * 0.25) * 2.0) / (0.25 * Math.sqrt(2));
    assertWithMessage("%s", g)
        .that(g.d("dSpot"))
        .isWithin(1e-5)
        .of(0.5 * erfcReference(-d1 / Math.sqrt(2)));
  }

  /** erfc by its series, for the Black-Scholes sanity check only. */
  private static double erfcReference(double x) {
    // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)), converges for the small |x| used.
    double sum = 0;
    double term = x;
    for (int n = 0; n < 80; n++) {
      sum += term / (2 * n + 1);
      term *= -x * x / (n + 1);
    }
    return 1 - 2 / Math.sqrt(Math.PI) * sum;
  }
}
