package dev.adjoint.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.GradientAssert.Gradient;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numeric tests of the generated reverse-mode gradients: every construct of the supported subset,
 * every differentiable function of {@code Math} and {@code StrictMath}, a few hand-computed exact
 * cases, and the conventions at kinks.
 *
 * <p>The sources are grouped into a few compilations (javac takes about a second each), all
 * compiled once in {@link #compileAll()}. A compilation that fails only fails the tests of its
 * group, with every diagnostic and every generated source in the message.
 *
 * <p>Every oracle point is chosen so that no branch, loop trip count or integer cast changes within
 * the oracle's first finite-difference step ({@code 0.1 * max(1, |x|)}); {@link GradientAssert}
 * flags a point where that assumption fails (the oracle's error estimate blows up) rather than
 * accepting it.
 */
class ReverseModeNumericTest {

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

  /** for, while, do-while, break, continue (labelled too), return inside loops. */
  static final String LOOPS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Loops {
        @Differentiable
        public static double forCount(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += x * i + Math.sin(x);
          }
          return s;
        }

        @Differentiable
        public static double forDown(double x, int n) {
          double s = 1;
          for (int i = n; i > 0; i--) {
            s = s * x + i;
          }
          return s;
        }

        @Differentiable
        public static double forNoBraces(double x, int n) {
          for (int i = 0; i < n; i++) x = x * x - 0.5;
          return x;
        }

        @Differentiable
        public static double forDoubleCounter(double x) {
          double s = 0;
          for (double t = x; t < 3; t += 1.5) {
            s += t * t;
          }
          return s;
        }

        @Differentiable
        public static double whileCount(double x, int n) {
          double p = 1;
          int i = 0;
          while (i < n) {
            p *= x;
            i++;
          }
          return p;
        }

        @Differentiable
        public static double whileData(double x) {
          int n = 0;
          while (x < 100) {
            x = x * 1.5;
            n++;
          }
          return x + n;
        }

        @Differentiable
        public static double doWhileCount(double x, int n) {
          double s = x;
          int i = 0;
          do {
            s = s * 0.5 + x * x;
            i++;
          } while (i < n);
          return s;
        }

        @Differentiable
        public static double doWhileData(double x) {
          int k = 0;
          do {
            x = x * 1.5;
            k++;
          } while (x < 20);
          return x * k;
        }

        @Differentiable
        public static double breakFixed(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            if (i == 3) {
              break;
            }
            s += x * (i + 1);
          }
          return s * x;
        }

        @Differentiable
        public static double breakData(double x) {
          double s = x;
          for (int i = 0; i < 100; i++) {
            s = s * 1.3 + 0.2;
            if (s > 10) {
              break;
            }
          }
          return s;
        }

        @Differentiable
        public static double continueFor(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
              continue;
            }
            s += Math.cos(x * i);
          }
          return s + x;
        }

        @Differentiable
        public static double continueWhile(double x, int n) {
          double s = 0;
          int i = 0;
          while (i < n) {
            i++;
            if (i % 3 == 0) continue;
            s = s + x / i;
          }
          return s * x;
        }

        @Differentiable
        public static double continueData(double x) {
          double s = 0;
          for (int i = 1; i <= 6; i++) {
            double t = x * i;
            if (t > 4) {
              continue;
            }
            s += t * t;
          }
          return s;
        }

        @Differentiable
        public static double labelledBreak(double x, int n) {
          double s = 0;
          outer:
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              if (i * j > 6) {
                break outer;
              }
              s += x * i + j * x * x;
            }
          }
          return s;
        }

        @Differentiable
        public static double labelledContinue(double x, int n) {
          double s = 0;
          outer:
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              if (j > i) {
                continue outer;
              }
              s += Math.sin(x * (i - j + 1));
            }
          }
          return s;
        }

        @Differentiable
        public static double labelledData(double x) {
          double s = 0;
          outer:
          for (int i = 0; i < 10; i++) {
            for (int j = 0; j < 10; j++) {
              s = s + x;
              if (s > 4.5) {
                break outer;
              }
            }
            s = s * 0.5;
          }
          return s * x;
        }

        @Differentiable
        public static double labelledWhile(double x, int n) {
          double s = 0;
          int i = 0;
          rows:
          while (i < n) {
            i++;
            int j = 0;
            while (j < n) {
              j++;
              if (j == i) continue rows;
              if (i + j > 7) break rows;
              s += x * j - i;
            }
          }
          return s * x;
        }

        @Differentiable
        public static double returnInLoop(double x, int n) {
          double s = 1;
          for (int i = 0; i < n; i++) {
            s = s * x + 1;
            if (i == 2) {
              return s * s;
            }
          }
          return -s;
        }

        @Differentiable
        public static double returnInWhile(double x) {
          double s = x;
          int guard = 0;
          while (guard < 1000) {
            s = s * 2;
            if (s > 10) {
              return s + x;
            }
            guard++;
          }
          return s;
        }

        @Differentiable
        public static double returnInNested(double x, int n) {
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              double t = x * i - j;
              if (t > 3) {
                return t * x;
              }
            }
          }
          return x;
        }

        @Differentiable
        public static double returnInDoWhile(double x) {
          double s = x;
          int k = 0;
          do {
            s = s * 1.7 + 0.1;
            k++;
            if (s > 5) {
              return Math.sqrt(s) * k;
            }
          } while (k < 4);
          return -s;
        }

        @Differentiable
        public static double nestedLoops(double x, int n, int m) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            double r = x;
            for (int j = 0; j < m; j++) {
              r = r * x + i;
            }
            s += r;
          }
          return s;
        }

        @Differentiable
        public static double nestedWhileInFor(double x, int n) {
          double s = 0;
          for (int i = 1; i <= n; i++) {
            double t = x * i;
            while (t > 1) {
              t = t / 2;
            }
            s += t;
          }
          return s;
        }

        @Differentiable
        public static double nestedDoWhileInWhile(double x, int n) {
          double s = 0;
          int i = 0;
          while (i < n) {
            double t = x;
            int j = 0;
            do {
              t = t * 0.8 + i;
              j++;
            } while (j < i);
            s += t * t;
            i++;
          }
          return s;
        }
      }
      """;

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
  // Compilation
  // ---------------------------------------------------------------------------------------------

  /** Group name to the sources compiled together. */
  static final Map<String, String[]> GROUPS = new LinkedHashMap<>();

  /** Source class simple name to its group. */
  static final Map<String, String> GROUP_OF = new LinkedHashMap<>();

  static {
    group("basics", BASICS);
    group("loops", LOOPS);
    group("calls", CALLS, HELPER);
    group("directCalls", DIRECT_CALLS);
    group("floats", FLOATS);
    group("exact", EXACT);
    group("kinks", KINKS);
    group("math", intrinsicSource("MathFns", "Math"));
    group("strictMath", intrinsicSource("StrictFns", "StrictMath"));
    group("edge", EDGE);
    group("privates", PRIVATE_MEMBERS);
  }

  private static void group(String name, String... sources) {
    GROUPS.put(name, sources);
    for (String s : sources) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("public class (\\w+)").matcher(s);
      if (!m.find()) {
        throw new IllegalStateException("no class in " + s);
      }
      GROUP_OF.put(m.group(1), name);
    }
  }

  /** Group name to its InProcessCompiler or to the error its compilation threw. */
  private static final Map<String, Object> COMPILED = new LinkedHashMap<>();

  @BeforeAll
  static void compileAll() {
    for (Map.Entry<String, String[]> g : GROUPS.entrySet()) {
      try {
        COMPILED.put(g.getKey(), InProcessCompiler.compile(g.getValue()));
      } catch (Throwable t) {
        COMPILED.put(g.getKey(), t);
      }
    }
  }

  private static InProcessCompiler compilation(String className) {
    String group = GROUP_OF.get(className);
    if (group == null) {
      throw new IllegalArgumentException("Unknown source class " + className);
    }
    Object c = COMPILED.get(group);
    if (c instanceof InProcessCompiler) {
      return (InProcessCompiler) c;
    }
    throw new AssertionError(
        "Compilation of group '" + group + "' (containing p." + className + ") failed",
        (Throwable) c);
  }

  /** The generated {@code p.<className>Diff}. */
  private static Class<?> diff(String className) {
    return compilation(className).load("p." + className + "Diff");
  }

  private static Gradient check(String className, String method, Object... args) {
    return GradientAssert.check(diff(className), method, args);
  }

  private static Gradient grad(String className, String method, Object... args) {
    return GradientAssert.on(diff(className)).grad(method, args);
  }

  // ---------------------------------------------------------------------------------------------
  // Oracle comparisons
  // ---------------------------------------------------------------------------------------------

  private static Arguments c(String className, String method, Object... args) {
    return relTol(Double.NaN, className, method, args);
  }

  private static Arguments relTol(double tol, String className, String method, Object... args) {
    String label = className + "." + method + Arrays.toString(args);
    return Arguments.of(label, className, method, args, tol);
  }

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

  static Stream<Arguments> loops() {
    String l = "Loops";
    return Stream.of(
        c(l, "forCount", 0.9, 0),
        c(l, "forCount", 0.9, 1),
        c(l, "forCount", -1.7, 7),
        c(l, "forDown", 0.8, 0),
        c(l, "forDown", 0.8, 1),
        c(l, "forDown", -1.3, 4),
        c(l, "forNoBraces", 0.9, 0),
        c(l, "forNoBraces", 0.9, 1),
        c(l, "forNoBraces", 0.9, 3),
        c(l, "forDoubleCounter", 4.0),
        c(l, "forDoubleCounter", 2.2),
        c(l, "forDoubleCounter", -5.2),
        c(l, "whileCount", 1.2, 0),
        c(l, "whileCount", 1.2, 1),
        c(l, "whileCount", -0.9, 6),
        c(l, "whileData", 150.0),
        c(l, "whileData", 80.0),
        c(l, "whileData", 5.0),
        c(l, "doWhileCount", 0.7, 0),
        c(l, "doWhileCount", 0.7, 1),
        c(l, "doWhileCount", -1.1, 5),
        c(l, "doWhileData", 30.0),
        c(l, "doWhileData", 3.0),
        c(l, "breakFixed", 1.3, 0),
        c(l, "breakFixed", 1.3, 2),
        c(l, "breakFixed", 1.3, 10),
        c(l, "breakData", 20.0),
        c(l, "breakData", 1.9),
        c(l, "breakData", -1.0),
        c(l, "continueFor", 0.4, 0),
        c(l, "continueFor", 0.4, 1),
        c(l, "continueFor", 0.4, 2),
        c(l, "continueFor", 0.4, 9),
        c(l, "continueWhile", 1.6, 0),
        c(l, "continueWhile", 1.6, 1),
        c(l, "continueWhile", 1.6, 7),
        c(l, "continueData", 0.5),
        c(l, "continueData", 1.15),
        c(l, "labelledBreak", 0.8, 0),
        c(l, "labelledBreak", 0.8, 2),
        c(l, "labelledBreak", 0.8, 5),
        c(l, "labelledContinue", 0.6, 1),
        c(l, "labelledContinue", 0.6, 4),
        c(l, "labelledData", 0.05),
        c(l, "labelledData", 1.3),
        c(l, "labelledData", 3.0),
        c(l, "labelledWhile", 1.1, 0),
        c(l, "labelledWhile", 1.1, 3),
        c(l, "labelledWhile", 1.1, 6),
        c(l, "returnInLoop", 1.3, 0),
        c(l, "returnInLoop", 1.3, 1),
        c(l, "returnInLoop", 1.3, 5),
        c(l, "returnInWhile", 1.7),
        c(l, "returnInWhile", 7.0),
        c(l, "returnInNested", 1.3, 0),
        c(l, "returnInNested", 1.3, 2),
        c(l, "returnInNested", 1.3, 6),
        c(l, "returnInDoWhile", 0.2),
        c(l, "returnInDoWhile", 1.3),
        c(l, "returnInDoWhile", 3.5),
        c(l, "nestedLoops", 0.9, 0, 3),
        c(l, "nestedLoops", 0.9, 1, 1),
        c(l, "nestedLoops", 0.9, 3, 4),
        c(l, "nestedLoops", 0.9, 2, 0),
        c(l, "nestedWhileInFor", 0.83, 4),
        c(l, "nestedWhileInFor", 2.9, 1),
        c(l, "nestedDoWhileInWhile", 1.4, 0),
        c(l, "nestedDoWhileInWhile", 1.4, 1),
        c(l, "nestedDoWhileInWhile", 1.4, 4));
  }

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

  private static void run(String label, String cls, String method, Object[] args, double tol) {
    GradientAssert a = GradientAssert.on(diff(cls));
    if (!Double.isNaN(tol)) {
      a = a.withRelativeTolerance(tol);
    }
    a.check(method, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("basics")
  void basics(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loops")
  void loops(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("calls")
  void calls(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("floats")
  void floats(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("exact")
  void exactCasesAgainstOracle(
      String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("intrinsics")
  void intrinsics(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edge")
  void edge(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }

  // ---------------------------------------------------------------------------------------------
  // Exact values
  // ---------------------------------------------------------------------------------------------

  private static void assertRel(Gradient g, String what, double actual, double expected, double rel) {
    assertWithMessage("%s: %s (gradient %s)", g.label(), what, g)
        .that(actual)
        .isWithin(rel * Math.max(1.0, Math.abs(expected)))
        .of(expected);
  }

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

  // ---------------------------------------------------------------------------------------------
  // Contract
  // ---------------------------------------------------------------------------------------------

  private static List<String> componentNames(String className, String recordName)
      throws ClassNotFoundException {
    Class<?> d = diff(className);
    Class<?> rec = Class.forName(d.getName() + "$" + recordName, true, d.getClassLoader());
    assertWithMessage("%s is a record", rec).that(rec.isRecord()).isTrue();
    assertWithMessage("%s is nested in %s", rec, d).that(rec.getEnclosingClass()).isEqualTo(d);
    return Arrays.stream(rec.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  @Test
  void generatedApiShapeWithIntBetweenDoubles() throws Exception {
    assertThat(componentNames("Helper", "WithIntGrad")).containsExactly("value", "dX", "dY").inOrder();
    Class<?> d = diff("Helper");
    Method m = d.getMethod("withIntGrad", double.class, int.class, double.class);
    assertThat(m.getReturnType().getSimpleName()).isEqualTo("WithIntGrad");
    assertThat(java.lang.reflect.Modifier.isStatic(m.getModifiers())).isTrue();
    assertThat(java.lang.reflect.Modifier.isPublic(m.getModifiers())).isTrue();
  }

  @Test
  void generatedApiShapeInactiveParametersGetNoComponent() throws Exception {
    assertThat(componentNames("Calls", "PowGrad")).containsExactly("value", "dX").inOrder();
    assertThat(componentNames("Basics", "IntBoolLogicGrad")).containsExactly("value", "dX").inOrder();
    assertThat(componentNames("Basics", "LongLogicGrad")).containsExactly("value", "dX").inOrder();
  }

  @Test
  void generatedApiShapeMultiLetterNames() throws Exception {
    assertThat(componentNames("Exact", "BlackScholesGrad"))
        .containsExactly("value", "dSpot", "dStrike", "dRate", "dVol", "dT")
        .inOrder();
    assertThat(compilation("Exact").generatedSource("p.ExactDiff")).contains("class ExactDiff");
  }

  @Test
  void generatedApiShapeFloat() throws Exception {
    assertThat(componentNames("Floats", "MixedFloatDoubleGrad"))
        .containsExactly("value", "dA", "dB")
        .inOrder();
  }

  @Test
  void adjointAccumulatesIntoTheArray() throws Exception {
    Class<?> d = diff("Exact");
    Gradient g = check("Exact", "complexe", 7.0, 5.0, 2.0);
    Method adjoint =
        d.getDeclaredMethod(
            "complexeAdjoint",
            double.class, double.class, double.class, double.class, double[].class);
    adjoint.setAccessible(true);
    double[] adjoints = {1.0, 10.0, 100.0};
    double value = (double) adjoint.invoke(null, 7.0, 5.0, 2.0, 2.0, adjoints);
    assertThat(Double.doubleToLongBits(value)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(adjoints[0]).isWithin(1e-12 * 20).of(1.0 + 2.0 * g.d(0));
    assertThat(adjoints[1]).isWithin(1e-12 * 20).of(10.0 + 2.0 * g.d(1));
    assertThat(adjoints[2]).isWithin(1e-12 * 200).of(100.0 + 2.0 * g.d(2));
  }

  @Test
  void gradientCallsHaveNoObservableEffect() {
    Object[][] calls = {
      {"Exact", "blackScholes", new Object[] {120.0, 90.0, 0.05, 0.25, 2.0}},
      {"Calls", "fibPoly", new Object[] {1.1, 8}},
      {"Calls", "recTwoActive", new Object[] {0.6, -1.2, 5}},
      {"Loops", "labelledData", new Object[] {1.3}},
      {"Loops", "nestedLoops", new Object[] {0.9, 3, 4}},
      {"Basics", "reassignParams", new Object[] {0.8, 1.9}},
    };
    List<String> failures = new ArrayList<>();
    for (Object[] c : calls) {
      try {
        checkNoObservableEffect((String) c[0], (String) c[1], (Object[]) c[2]);
      } catch (AssertionError e) {
        failures.add(e.getMessage().lines().limit(3).reduce((a, b) -> a + "\n" + b).orElse(""));
      }
    }
    if (!failures.isEmpty()) {
      fail(String.join("\n", failures));
    }
  }

  private static void checkNoObservableEffect(String cls, String method, Object[] args) {
    Object[] copy = args.clone();
    Gradient first = grad(cls, method, args);
    Gradient second = grad(cls, method, args);
    assertThat(args).isEqualTo(copy);
    String what = cls + "." + method + Arrays.toString(args);
    assertWithMessage("%s value", what)
        .that(Double.doubleToLongBits(second.value()))
        .isEqualTo(Double.doubleToLongBits(first.value()));
    for (int i = 0; i < first.partials().length; i++) {
      assertWithMessage("%s %s: %s then %s", what, first.names().get(i), first.d(i), second.d(i))
          .that(Double.doubleToLongBits(second.d(i)))
          .isEqualTo(Double.doubleToLongBits(first.d(i)));
    }
    // The record's own equality (component-wise) must agree, too.
    assertThat(second.record()).isEqualTo(first.record());
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
