package dev.adjoint.processor.reverse;

import static dev.adjoint.processor.reverse.ReverseModeFixture.c;
import static dev.adjoint.processor.reverse.ReverseModeFixture.run;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numeric tests of loops against the oracle: for, while, do-while, break, continue (labelled too)
 * and return inside loops, each with zero, one and many iterations.
 *
 * <p>Sources and compilation are shared through {@link ReverseModeFixture}.
 */
class LoopGradientTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

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

  // ---------------------------------------------------------------------------------------------
  // Oracle comparisons
  // ---------------------------------------------------------------------------------------------

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

  @ParameterizedTest(name = "{0}")
  @MethodSource("loops")
  void loops(String label, String cls, String method, Object[] args, double tol) {
    run(label, cls, method, args, tol);
  }
}
