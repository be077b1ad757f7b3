package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.reverse.ReverseModeFixture.c;
import static dev.adjoint.processor.reverse.ReverseModeFixture.run;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numeric tests of calls between {@code @Differentiable} methods against the oracle: calls within
 * the class and to another class, calls as a return value or an initializer, recursion (mutual
 * too), constants.
 *
 * <p>Sources and compilation are shared through {@link ReverseModeFixture}.
 */
class CallGradientTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** A second class, called from {@link #CALLS}. */
  static final String HELPER =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Helper {
        public static final double SCALE = 2.5;
        public static final int TIMES = 2;

        @Differentiable
        public static double sq(double x) {
          return x * x;
        }

        @Differentiable
        public static double poly(double x, double y) {
          return sq(x) * y + SCALE * y + TIMES * x;
        }

        @Differentiable
        public static double withInt(double x, int n, double y) {
          return Math.pow(x, n) * y;
        }
      }
      """;

  /** Calls within the class and to another class, recursion, constants. */
  static final String CALLS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Calls {
        static final double K = 1.75;
        public static final int N = 3;
        static final double TWO_PI = 2 * Math.PI;

        @Differentiable
        public static double inner(double a, double b) {
          return Math.sin(a) * b;
        }

        @Differentiable
        public static double callSame(double x, double y) {
          return inner(x * y, x) + inner(y, y);
        }

        @Differentiable
        public static double callOther(double x, double y) {
          return Helper.poly(x, y) * x + Helper.sq(y);
        }

        @Differentiable
        public static double callMixedArgs(double x, double y) {
          return Helper.withInt(x, 3, y) + Helper.withInt(y, 0, x);
        }

        @Differentiable
        public static double callNested(double x) {
          return inner(inner(x, 2), Helper.sq(x)) + 0.5 * x;
        }

        @Differentiable
        public static double callSameArgTwice(double x) {
          return 2 * inner(x, x);
        }

        @Differentiable
        public static double callConstantArgs(double x) {
          return inner(1.5, 2.0) * x + inner(x, 3);
        }

        @Differentiable
        public static double pow(double x, int n) {
          if (n == 0) {
            return 1;
          }
          if (n % 2 == 0) {
            return pow(x, n / 2) * pow(x, n / 2);
          }
          return x * pow(x, n - 1);
        }

        @Differentiable
        public static double callPow(double x, int n) {
          return pow(x, n) + pow(x + 1, n + 1);
        }

        @Differentiable
        public static double fibPoly(double x, int n) {
          if (n <= 0) {
            return 1;
          }
          if (n == 1) {
            return x;
          }
          return x * fibPoly(x, n - 1) + fibPoly(x, n - 2);
        }

        @Differentiable
        public static double recTwoActive(double x, double y, int n) {
          if (n == 0) {
            return x * y;
          }
          return recTwoActive(y, x + 0.1 * y, n - 1) + x;
        }

        @Differentiable
        public static double mutualA(double x, int n) {
          return n == 0 ? x : Math.sin(mutualB(x, n - 1));
        }

        @Differentiable
        public static double mutualB(double x, int n) {
          return n == 0 ? x * x : mutualA(x, n - 1) * x;
        }

        @Differentiable
        public static double constants(double x) {
          return K * x * x + Math.PI * x + N + Helper.SCALE / x + Math.E + TWO_PI * Calls.K;
        }

        @Differentiable
        public static double callInLoop(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += inner(x, i);
          }
          return s;
        }

        @Differentiable
        public static double callInCondition(double x) {
          if (Helper.sq(x) > 4) {
            return inner(x, x);
          }
          return Helper.sq(x) * 3;
        }
      }
      """;

  /**
   * A call to a differentiable method as the whole expression of a return or of a local's
   * initializer (the most natural way to write many of these), kept apart from {@link #CALLS} so
   * that each form is diagnosed on its own.
   */
  static final String DIRECT_CALLS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Direct {
        @Differentiable
        public static double inner(double a, double b) {
          return Math.sin(a) * b;
        }

        @Differentiable
        public static double returnCall(double x) {
          return inner(x, 2);
        }

        @Differentiable
        public static double returnCallSameArg(double x) {
          return inner(x, x);
        }

        @Differentiable
        public static double returnNestedCall(double x) {
          return inner(inner(x, 2), x);
        }

        @Differentiable
        public static double initFromCall(double x) {
          double a = inner(x, 1);
          a = inner(a, a);
          return a;
        }

        @Differentiable
        public static double pow(double x, int n) {
          if (n == 0) {
            return 1;
          }
          if (n % 2 == 0) {
            double h = pow(x, n / 2);
            return h * h;
          }
          return x * pow(x, n - 1);
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // Oracle comparisons
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> calls() {
    String c = "Calls";
    String h = "Helper";
    return Stream.of(
        c(h, "sq", -1.6),
        c(h, "poly", 1.2, -0.7),
        c(h, "withInt", 1.2, 3, -0.7),
        c(h, "withInt", 1.2, 0, -0.7),
        c(c, "inner", 0.9, 1.4),
        c(c, "callSame", 0.9, 1.4),
        c(c, "callOther", 0.9, 1.4),
        c(c, "callMixedArgs", 0.9, 1.4),
        c(c, "callNested", 0.9),
        c(c, "callSameArgTwice", -1.3),
        c(c, "callConstantArgs", 0.45),
        c(c, "pow", 1.3, 0),
        c(c, "pow", 1.3, 1),
        c(c, "pow", 1.3, 7),
        c(c, "pow", -0.8, 10),
        c(c, "callPow", 0.7, 5),
        c(c, "fibPoly", 1.1, 0),
        c(c, "fibPoly", 1.1, 1),
        c(c, "fibPoly", 1.1, 8),
        c(c, "recTwoActive", 0.6, -1.2, 0),
        c(c, "recTwoActive", 0.6, -1.2, 5),
        c(c, "mutualA", 0.8, 0),
        c(c, "mutualA", 0.8, 5),
        c(c, "mutualB", 0.8, 4),
        c(c, "constants", 1.4),
        c(c, "callInLoop", 0.3, 0),
        c(c, "callInLoop", 0.3, 1),
        c(c, "callInLoop", 0.3, 6),
        c(c, "callInCondition", 1.0),
        c(c, "callInCondition", -3.0),
        c("Direct", "returnCall", 0.9),
        c("Direct", "returnCallSameArg", -1.3),
        c("Direct", "returnNestedCall", 0.9),
        c("Direct", "initFromCall", 2.1),
        c("Direct", "pow", 1.3, 0),
        c("Direct", "pow", 1.3, 7),
        c("Direct", "pow", -0.8, 10));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void calls(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }
}
