package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.reverse.ReverseModeFixture.assertRel;
import static dev.adjoint.processor.reverse.ReverseModeFixture.c;
import static dev.adjoint.processor.reverse.ReverseModeFixture.grad;
import static dev.adjoint.processor.reverse.ReverseModeFixture.run;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.testing.GradientAssert.Gradient;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every differentiable function of {@code Math} and {@code StrictMath} against the oracle, and the
 * conventions at kinks ({@code abs} at 0, ties of {@code max} and {@code min}, {@code pow} at a
 * zero base or exponent, {@code sqrt} at 0, piecewise-constant functions), asserted exactly.
 *
 * <p>Sources and compilation are shared through {@link ReverseModeFixture}.
 */
class MathFunctionGradientTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** Plain intrinsic calls, evaluated exactly at their kinks. */
  static final String KINKS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Kinks {
        @Differentiable
        public static double abs(double x) {
          return Math.abs(x);
        }

        @Differentiable
        public static double max(double a, double b) {
          return Math.max(a, b);
        }

        @Differentiable
        public static double min(double a, double b) {
          return Math.min(a, b);
        }

        @Differentiable
        public static double pow(double x, double y) {
          return Math.pow(x, y);
        }

        @Differentiable
        public static double powZeroInt(double x) {
          return Math.pow(x, 0);
        }

        @Differentiable
        public static double powZeroDouble(double x) {
          return Math.pow(x, 0.0);
        }

        @Differentiable
        public static double sqrt(double x) {
          return Math.sqrt(x);
        }

        @Differentiable
        public static double signum(double x) {
          return Math.signum(x);
        }

        @Differentiable
        public static double floor(double x) {
          return Math.floor(x);
        }

        @Differentiable
        public static double ceil(double x) {
          return Math.ceil(x);
        }

        @Differentiable
        public static double rint(double x) {
          return Math.rint(x);
        }

        @Differentiable
        public static double round(double x) {
          return Math.round(x);
        }
      }
      """;

  /** Generates the Math (or StrictMath) intrinsic test class from {@link #INTRINSICS}. */
  static String intrinsicSource(String className, String mathClass) {
    StringBuilder sb = new StringBuilder();
    sb.append("package p;\n\nimport dev.adjoint.Differentiable;\n\n");
    sb.append("public class ").append(className).append(" {\n");
    for (IntrinsicCase f : INTRINSICS) {
      sb.append("  @Differentiable\n");
      sb.append("  public static double ").append(f.name).append('(').append(f.params).append(") {\n");
      sb.append("    return ").append(f.body.replace("M.", mathClass + ".")).append(";\n");
      sb.append("  }\n\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  /** One intrinsic test method: name, parameter list, body expression (M = Math/StrictMath). */
  record IntrinsicCase(String name, String params, String body, Object[][] points) {}

  private static IntrinsicCase fn(String name, String params, String body, Object[]... points) {
    return new IntrinsicCase(name, params, body, points);
  }

  private static Object[] at(Object... args) {
    return args;
  }

  static final List<IntrinsicCase> INTRINSICS =
      List.of(
          fn("sin", "double x", "M.sin(x)", at(-2.3), at(0.4), at(5.1)),
          fn("cos", "double x", "M.cos(x)", at(-2.3), at(0.4), at(5.1)),
          fn("tan", "double x", "M.tan(x)", at(-1.2), at(0.3), at(1.1)),
          fn("asin", "double x", "M.asin(x)", at(-0.7), at(0.2), at(0.6)),
          fn("acos", "double x", "M.acos(x)", at(-0.7), at(0.2), at(0.6)),
          fn("atan", "double x", "M.atan(x)", at(-3.0), at(0.5), at(10.0)),
          fn(
              "atan2",
              "double y, double x",
              "M.atan2(y, x)",
              at(1.0, 2.0),
              at(-0.5, -1.5),
              at(2.0, -0.3),
              at(-1.0, 0.5)),
          fn("atan2ConstX", "double y", "M.atan2(y, 1.5)", at(-0.8), at(2.0)),
          fn("atan2ConstY", "double x", "M.atan2(0.7, x)", at(-1.1), at(3.0)),
          fn("sinh", "double x", "M.sinh(x)", at(-1.5), at(0.3), at(2.2)),
          fn("cosh", "double x", "M.cosh(x)", at(-1.5), at(0.3), at(2.2)),
          fn("tanh", "double x", "M.tanh(x)", at(-1.5), at(0.3), at(2.2)),
          fn("exp", "double x", "M.exp(x)", at(-2.0), at(0.7), at(3.0)),
          fn("expm1", "double x", "M.expm1(x)", at(-0.5), at(1e-3), at(2.0)),
          fn("log", "double x", "M.log(x)", at(0.3), at(1.7), at(25.0)),
          fn("log10", "double x", "M.log10(x)", at(0.3), at(1.7), at(25.0)),
          fn("log1p", "double x", "M.log1p(x)", at(-0.5), at(0.01), at(3.0)),
          fn("sqrt", "double x", "M.sqrt(x)", at(0.25), at(2.0), at(90.0)),
          fn("cbrt", "double x", "M.cbrt(x)", at(-8.5), at(0.5), at(27.3)),
          fn("pow", "double x, double y", "M.pow(x, y)", at(1.7, 2.3), at(0.6, -1.4), at(3.0, 0.5)),
          fn("powConstExponent", "double x", "M.pow(x, 3.0)", at(-1.3), at(2.1)),
          fn("powIntExponent", "double x", "M.pow(x, 2)", at(-1.3), at(2.1)),
          fn("powHalf", "double x", "M.pow(x, 0.5)", at(0.7), at(4.0)),
          fn("powConstBase", "double y", "M.pow(2.5, y)", at(-1.0), at(0.7), at(3.0)),
          fn("hypot", "double x, double y", "M.hypot(x, y)", at(3.0, 4.0), at(-1.2, 0.5), at(0.3, -2.0)),
          fn("abs", "double x", "M.abs(x)", at(-2.5), at(1.3)),
          fn("absOfInt", "double x, int n", "x * M.abs(n - 5)", at(1.5, 2), at(-0.5, 7)),
          fn("min", "double x, double y", "M.min(x, y)", at(1.0, 2.0), at(3.0, -1.0)),
          fn("minConst", "double x", "M.min(x, 1.0)", at(0.5), at(2.0)),
          fn("minOfInts", "double x, int n", "x * M.min(n, 3)", at(1.5, 1), at(1.5, 5)),
          fn("max", "double x, double y", "M.max(x, y)", at(1.0, 2.0), at(3.0, -1.0)),
          fn("maxConst", "double x", "M.max(x, 1.0)", at(0.5), at(2.0)),
          fn("maxOfLongs", "double x, long k", "x * M.max(k, 3L)", at(1.5, 1L), at(1.5, 5L)),
          fn("signum", "double x", "M.signum(x) * x * x", at(-1.5), at(2.0)),
          fn("floor", "double x", "M.floor(x) * x", at(1.25), at(-0.3), at(0.75), at(-1.25)),
          fn("ceil", "double x", "M.ceil(x) * x", at(1.25), at(-0.3), at(0.75), at(-1.25)),
          fn("rint", "double x", "M.rint(x) * x", at(1.25), at(-0.3), at(0.75), at(-1.25)),
          fn("round", "double x", "M.round(x) * x", at(1.25), at(-0.3), at(0.75), at(-1.25)),
          fn("toRadians", "double x", "M.toRadians(x)", at(30.0), at(-2.0)),
          fn("toDegrees", "double x", "M.toDegrees(x)", at(0.5), at(-2.0)),
          fn(
              "fma",
              "double a, double b, double c",
              "M.fma(a, b, c)",
              at(1.5, -2.0, 0.3),
              at(-0.7, 0.4, 5.0)),
          fn(
              "copySign",
              "double m, double s",
              "M.copySign(m, s)",
              at(2.5, -1.0),
              at(-1.5, 3.0),
              at(-0.5, -2.0)),
          fn("composed", "double x, double y", "M.exp(M.sin(x * y)) / M.sqrt(1 + x * x)",
              at(0.7, -1.3), at(-2.0, 0.4)));

  // ---------------------------------------------------------------------------------------------
  // Oracle comparisons
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> intrinsics() {
    List<Arguments> all = new ArrayList<>();
    for (String cls : List.of("MathFns", "StrictFns")) {
      for (IntrinsicCase f : INTRINSICS) {
        for (Object[] point : f.points()) {
          all.add(c(cls, f.name(), point));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("intrinsics")
  void intrinsics(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  // ---------------------------------------------------------------------------------------------
  // Kink conventions (exact values; the oracle is meaningless there)
  // ---------------------------------------------------------------------------------------------

  private static void assertExact(Gradient g, String component, double expected) {
    double actual = g.d(component);
    if (Double.doubleToLongBits(actual) != Double.doubleToLongBits(expected)
        && !(actual == 0 && expected == 0)) {
      fail(g.label() + ": " + component + " expected exactly " + expected + " but was " + actual
          + " (" + g + ")");
    }
  }

  @Test
  void absAtZeroHasDerivativeZero() {
    assertExact(grad("Kinks", "abs", 0.0), "dX", 0.0);
    assertExact(grad("Kinks", "abs", -0.0), "dX", 0.0);
    assertExact(grad("Kinks", "abs", 2.0), "dX", 1.0);
    assertExact(grad("Kinks", "abs", -2.0), "dX", -1.0);
  }

  @Test
  void maxTieGoesToFirstArgument() {
    Gradient g = grad("Kinks", "max", 1.5, 1.5);
    assertExact(g, "dA", 1.0);
    assertExact(g, "dB", 0.0);
    g = grad("Kinks", "max", 1.0, 2.0);
    assertExact(g, "dA", 0.0);
    assertExact(g, "dB", 1.0);
  }

  @Test
  void minTieGoesToFirstArgument() {
    Gradient g = grad("Kinks", "min", 1.5, 1.5);
    assertExact(g, "dA", 1.0);
    assertExact(g, "dB", 0.0);
    g = grad("Kinks", "min", 3.0, -1.0);
    assertExact(g, "dA", 0.0);
    assertExact(g, "dB", 1.0);
  }

  @Test
  void powAtZeroBase() {
    Gradient g = grad("Kinks", "pow", 0.0, 2.0);
    assertExact(g, "dX", 0.0);
    assertExact(g, "dY", 0.0);
    // x = 0 with y = 0: 0^0 = 1, d/dx = 0 (y = 0) and d/dy = 0 (x = 0).
    g = grad("Kinks", "pow", 0.0, 0.0);
    assertExact(g, "dX", 0.0);
    assertExact(g, "dY", 0.0);
  }

  @Test
  void powWithZeroExponentHasZeroBaseDerivative() {
    for (double x : new double[] {0.0, 2.0, -3.0, 0.5}) {
      assertExact(grad("Kinks", "powZeroInt", x), "dX", 0.0);
      assertExact(grad("Kinks", "powZeroDouble", x), "dX", 0.0);
      assertExact(grad("Kinks", "pow", x, 0.0), "dX", 0.0);
    }
    // Away from x = 0, d/dy of x^0 is log(x).
    Gradient g = grad("Kinks", "pow", 2.0, 0.0);
    assertRel(g, "dY", g.d("dY"), Math.log(2.0), 1e-15);
  }

  @Test
  void sqrtAtZeroIsPositiveInfinity() {
    assertExact(grad("Kinks", "sqrt", 0.0), "dX", Double.POSITIVE_INFINITY);
  }

  @Test
  void piecewiseConstantFunctionsHaveDerivativeZeroEverywhere() {
    double[] points = {-2.0, -1.5, -0.5, 0.0, 0.5, 1.0, 1.5, 2.5, 3.7};
    for (String m : List.of("signum", "floor", "ceil", "rint", "round")) {
      for (double x : points) {
        assertExact(grad("Kinks", m, x), "dX", 0.0);
      }
    }
  }
}
