package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.reverse.ReverseModeFixture.c;
import static dev.adjoint.processor.reverse.ReverseModeFixture.relTol;
import static dev.adjoint.processor.reverse.ReverseModeFixture.run;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numeric tests of the scalar basics against the oracle: locals, assignments, {@code ++}/{@code
 * --}, arithmetic, casts, conditionals, integer and boolean logic; and less common forms, compiled
 * as groups of their own (compound assignment that narrows, a for with two counters, nested
 * conditionals, a private constant).
 *
 * <p>Sources and compilation are shared through {@link ReverseModeFixture}.
 */
class BasicsGradientTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** Locals, assignments, ++/--, arithmetic, casts, conditionals, integer and boolean logic. */
  static final String BASICS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Basics {
        @Differentiable
        public static double localsExplicit(double x, double y) {
          double a = x * y;
          double b = a + x;
          double c;
          c = b * b - y;
          int k = 2;
          long l = 3L;
          boolean neg = x < 0;
          double d = neg ? c : c * k + l;
          return d;
        }

        @Differentiable
        public static double localsVar(double x, double y) {
          var a = x * x;
          var b = a / y;
          var k = 3;
          var big = b > 10;
          var f = 0.5f;
          return big ? b * k + a * f : b - a;
        }

        @Differentiable
        public static double assign(double x, double y) {
          double a = 0;
          a = x;
          a = a * y;
          a = a + x;
          a = a * a;
          return a - y;
        }

        @Differentiable
        public static double compoundAdd(double x, double y) {
          double a = x;
          a += y * x;
          a += 2;
          a += a;
          return a;
        }

        @Differentiable
        public static double compoundSub(double x, double y) {
          double a = x * x;
          a -= y;
          a -= 3 * x;
          a -= a * 0.25;
          return a;
        }

        @Differentiable
        public static double compoundMul(double x, double y) {
          double a = x;
          a *= y;
          a *= a;
          a *= 1.5;
          return a;
        }

        @Differentiable
        public static double compoundDiv(double x, double y) {
          double a = x;
          a /= y;
          a /= 1 + x * x;
          a /= 0.5;
          return a;
        }

        @Differentiable
        public static double compoundIntRhs(double x) {
          double a = x;
          int k = 3;
          a *= k;
          a += k;
          a -= 1;
          a /= k + 1;
          return a;
        }

        @Differentiable
        public static double compoundInts(double x, int n) {
          int m = n;
          m += 3;
          m *= 2;
          m -= 1;
          m /= 3;
          m %= 4;
          return x * m + m;
        }

        @Differentiable
        public static double incDecInt(double x, int n) {
          int i = n;
          i++;
          ++i;
          i--;
          --i;
          i++;
          return x * i + i;
        }

        @Differentiable
        public static double incDecDouble(double x, double y) {
          double a = x;
          a++;
          ++a;
          a--;
          --a;
          a++;
          return a * a * y;
        }

        @Differentiable
        public static double incDecParam(double x) {
          x++;
          x++;
          x--;
          return x * x * x;
        }

        @Differentiable
        public static double reassignParams(double x, double y) {
          x = x * 2;
          y = y + x;
          x = y * x;
          return x + y;
        }

        @Differentiable
        public static double reassignParamInLoop(double x, int n) {
          for (int i = 0; i < n; i++) {
            x = x + 1;
            x = x * 1.1;
          }
          return x * x;
        }

        @Differentiable
        public static double arithmetic(double x, double y) {
          return (x + y) * (x - y) / (x * y + 2) - x / y + 3 * x - y * 0.5;
        }

        @Differentiable
        public static double remainder(double x, double y) {
          return (x * x) % y + x % 0.7 + 0.75 % y;
        }

        @Differentiable
        public static double unaryMinus(double x, double y) {
          double a = -x;
          return -a * -y + -(x - y) + +x;
        }

        @Differentiable
        public static double castToIntCuts(double x) {
          return x * (int) x;
        }

        @Differentiable
        public static double castToLongCuts(double x) {
          long k = (long) x;
          return x * x * k;
        }

        @Differentiable
        public static double castIntToDouble(double x, int n) {
          double d = (double) n;
          double e = (double) (n * 2) / 3;
          long big = n;
          return d * x + e * x * x + big;
        }

        @Differentiable
        public static double castThroughFloat(double x) {
          float f = (float) x;
          double back = f;
          return back * x + (double) (float) (x * 2);
        }

        @Differentiable
        public static double ternary(double x, double y) {
          return x > y ? x * x * y : Math.sin(x) * y;
        }

        @Differentiable
        public static double ternaryInExpression(double x, double y) {
          return (x > 0 ? x : -x) * y + (y < 1 ? 1 : y * y) * x;
        }

        @Differentiable
        public static double ifElseChain(double x) {
          if (x < -1) {
            return x * x * x;
          } else if (x < 1) {
            double t = x * 2;
            return t * t;
          } else if (x < 3) {
            return Math.exp(x);
          } else {
            return 1 / x;
          }
        }

        @Differentiable
        public static double ifWithoutElse(double x, double y) {
          double r = x;
          if (y > 0) {
            r = r * y;
          }
          if (x < 0) r = -r;
          return r + y;
        }

        @Differentiable
        public static double nestedIf(double x, double y) {
          if (x > 0) {
            if (y > 0) {
              return x * y;
            } else {
              return x - y;
            }
          } else {
            if (y > x) {
              return y * y - x;
            }
          }
          return x * x;
        }

        @Differentiable
        public static double intBoolLogic(double x, int n, boolean flag) {
          int m = n * 3 % 7;
          boolean big = m > 3 && flag || n < 0;
          if (big ^ (n == 2)) {
            return x * m;
          } else if (!flag) {
            return x / (m + 1);
          }
          return x * x;
        }

        @Differentiable
        public static double longLogic(double x, long k) {
          long j = k * k - 3L;
          if (j > 10 && k % 2 == 0) {
            return x * j;
          }
          if (j >= 0 || k < -5) {
            return x + j;
          }
          return x * x * x;
        }

        @Differentiable
        public static double activeComparisons(double x, int n) {
          boolean a = x > 1.5;
          boolean b = n >= 2;
          boolean c = !(a || b) ? true : a != b;
          return c ? x * (n + 1) : -x * x;
        }
      }
      """;

  /**
   * Less common forms, compiled separately so that a processor that rejects one of them only fails
   * these tests: compound assignment that narrows, a for with two counters, nested conditionals.
   * (Assignments and ++/-- used as values inside an expression
   * are rejected by the processor on purpose, ADJ205, so they are not tested here.)
   */
  static final String EDGE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Edge {
        @Differentiable
        public static double compoundNarrowingCut(double x) {
          int k = 1;
          k += x;
          return k * x;
        }

        @Differentiable
        public static double forTwoCounters(double x, int n) {
          double s = 0;
          for (int i = 0, j = n; i < j; i++, j--) {
            s += x * i * j;
          }
          return s;
        }

        @Differentiable
        public static double nestedTernary(double x, double y) {
          return x > 0 ? (y > 0 ? x * y : x - y) : (y > 0 ? y * y : x * x * y);
        }
      }
      """;

  /** A private constant and a private differentiable helper, which the generated class can't name. */
  static final String PRIVATE_MEMBERS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Privates {
        private static final double PRIVATE_K = 0.75;

        @Differentiable
        public static double privateConstant(double x) {
          return PRIVATE_K * x * x + Math.cos(x);
        }

        // Calling a private method is rejected (ADJ215, see DiagnosticsTest): the generated
        // class could not call it. A private compile-time constant is inlined instead.
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // Oracle comparisons
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> basics() {
    String b = "Basics";
    return Stream.of(
        c(b, "localsExplicit", 1.5, -0.5),
        c(b, "localsExplicit", -2.0, 0.75),
        c(b, "localsVar", 1.2, 2.0),
        c(b, "localsVar", 4.0, 0.8),
        c(b, "assign", 1.3, -0.7),
        c(b, "compoundAdd", 1.3, -0.7),
        c(b, "compoundSub", 1.3, -0.7),
        c(b, "compoundMul", 1.3, -0.7),
        c(b, "compoundDiv", 1.3, -0.7),
        c(b, "compoundIntRhs", -2.2),
        c(b, "compoundInts", 1.3, 2),
        c(b, "compoundInts", -0.6, 7),
        c(b, "incDecInt", 1.7, 3),
        c(b, "incDecDouble", 1.7, -0.4),
        c(b, "incDecParam", 0.6),
        c(b, "reassignParams", 0.8, 1.9),
        c(b, "reassignParamInLoop", 0.7, 0),
        c(b, "reassignParamInLoop", 0.7, 1),
        c(b, "reassignParamInLoop", -0.3, 5),
        c(b, "arithmetic", 1.1, 2.3),
        c(b, "arithmetic", -0.4, 0.9),
        c(b, "remainder", 0.9, 0.56),
        c(b, "remainder", -1.2, 0.9),
        c(b, "unaryMinus", 1.4, -2.6),
        c(b, "castToIntCuts", 2.5),
        c(b, "castToIntCuts", -3.4),
        c(b, "castToLongCuts", 4.5),
        c(b, "castToLongCuts", -1.5),
        c(b, "castIntToDouble", 1.1, 4),
        c(b, "castIntToDouble", -0.9, -5),
        // The float round trip makes the plain function noisy at the float epsilon.
        relTol(1e-3, b, "castThroughFloat", 1.3),
        relTol(1e-3, b, "castThroughFloat", -0.45),
        c(b, "ternary", 2.0, 1.0),
        c(b, "ternary", 0.5, 1.5),
        c(b, "ternaryInExpression", 1.5, 0.5),
        c(b, "ternaryInExpression", -2.0, 3.0),
        c(b, "ifElseChain", -2.0),
        c(b, "ifElseChain", 0.3),
        c(b, "ifElseChain", 2.0),
        c(b, "ifElseChain", 5.0),
        c(b, "ifWithoutElse", 1.5, 2.0),
        c(b, "ifWithoutElse", -1.5, -2.0),
        c(b, "ifWithoutElse", -0.5, 0.7),
        c(b, "nestedIf", 1.0, 1.0),
        c(b, "nestedIf", 1.0, -1.0),
        c(b, "nestedIf", -1.0, 0.5),
        c(b, "nestedIf", -1.0, -2.0),
        c(b, "intBoolLogic", 1.3, 2, true),
        c(b, "intBoolLogic", 1.3, 2, false),
        c(b, "intBoolLogic", 1.3, -1, false),
        c(b, "intBoolLogic", 1.3, 1, false),
        c(b, "intBoolLogic", 1.3, 5, true),
        c(b, "longLogic", 1.3, 4L),
        c(b, "longLogic", 1.3, 3L),
        c(b, "longLogic", 1.3, 1L),
        c(b, "longLogic", 1.3, -6L),
        c(b, "activeComparisons", 1.0, 0),
        c(b, "activeComparisons", 1.0, 3),
        c(b, "activeComparisons", 2.5, 0),
        c(b, "activeComparisons", 2.5, 3));
  }

  static Stream<Arguments> edge() {
    String e = "Edge";
    return Stream.of(
        c(e, "compoundNarrowingCut", 2.5),
        c(e, "forTwoCounters", 0.9, 0),
        c(e, "forTwoCounters", 0.9, 1),
        c(e, "forTwoCounters", 0.9, 7),
        c("Privates", "privateConstant", 1.2),
        c(e, "nestedTernary", 1.0, 1.0),
        c(e, "nestedTernary", 1.0, -1.0),
        c(e, "nestedTernary", -1.0, 1.0),
        c(e, "nestedTernary", -1.0, -1.0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("basics")
  void basics(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edge")
  void edge(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }
}
