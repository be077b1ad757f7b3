package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.reverse.ReverseModeFixture.c;
import static dev.adjoint.processor.reverse.ReverseModeFixture.relTol;
import static dev.adjoint.processor.reverse.ReverseModeFixture.run;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numeric tests of {@code float} methods and {@code float}/{@code double} mixtures against the
 * oracle.
 *
 * <p>Sources and compilation are shared through {@link ReverseModeFixture}.
 */
class FloatGradientTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** float methods and float/double mixtures. */
  static final String FLOATS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Floats {
        @Differentiable
        public static float basic(float x, float y) {
          return x * y + x / y - 2.5f * x;
        }

        @Differentiable
        public static float withMath(float x, float y) {
          return (float) Math.sin(x) * y + (float) Math.exp(y * 0.5);
        }

        @Differentiable
        public static float loop(float x, int n) {
          float s = 0;
          for (int i = 0; i < n; i++) {
            s += x * i;
            s *= 0.9f;
          }
          return s + x;
        }

        @Differentiable
        public static float intrinsics(float x, float y) {
          return Math.abs(x) * Math.max(x, y) + Math.min(x, y) + Math.signum(y)
              + Math.copySign(x, y) + Math.fma(y, y, x);
        }

        @Differentiable
        public static float roundFloat(float x) {
          return Math.round(x) * x;
        }

        @Differentiable
        public static double mixedFloatDouble(float a, double b) {
          return a * b + Math.exp(a) - (float) b * a;
        }

        @Differentiable
        public static float mixedDoubleParam(double a, float b) {
          return (float) (a * b) + b * b;
        }

        @Differentiable
        public static float compoundNarrowing(float a, double b) {
          float s = a;
          s += b;
          s *= 2;
          s -= a * b;
          return s;
        }

        @Differentiable
        public static float castToIntCuts(float x) {
          return x * (int) x;
        }

        @Differentiable
        public static double callsFloatMethod(double x) {
          return basic((float) x, 3f) * x;
        }

        @Differentiable
        public static float ternaryFloat(float x, float y) {
          return x > y ? x * x : y * x;
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // Oracle comparisons
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> floats() {
    String f = "Floats";
    return Stream.of(
        c(f, "basic", 1.5f, 0.75f),
        c(f, "basic", -2.25f, 3.5f),
        c(f, "withMath", 0.5f, 1.25f),
        c(f, "loop", 1.25f, 0),
        c(f, "loop", 1.25f, 1),
        c(f, "loop", 1.25f, 6),
        c(f, "intrinsics", 1.5f, -0.8f),
        c(f, "intrinsics", -2.0f, 1.3f),
        c(f, "roundFloat", 1.25f),
        c(f, "roundFloat", -0.3f),
        c(f, "mixedFloatDouble", 0.75f, -1.3),
        c(f, "mixedDoubleParam", -1.3, 0.75f),
        c(f, "compoundNarrowing", 0.75f, 1.3),
        c(f, "castToIntCuts", 2.5f),
        c(f, "castToIntCuts", -3.4f),
        // No float in the signature, but the body evaluates a float function.
        relTol(1e-3, f, "callsFloatMethod", 1.3),
        c(f, "ternaryFloat", 2.0f, 1.0f),
        c(f, "ternaryFloat", 0.5f, 1.5f));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("floats")
  void floats(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }
}
