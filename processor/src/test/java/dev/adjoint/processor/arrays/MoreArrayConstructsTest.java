package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.arrays.ArrayFixture.check;
import static dev.adjoint.processor.arrays.ArrayFixture.on;

import dev.adjoint.processor.testing.ArrayOracle.Result;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * More constructs around arrays, against the oracle: helpers taking {@code int[]}, constant and
 * matrix arguments, nested and recursive helpers, {@code int[]} locals that are written,
 * reversals, labelled loops, early returns and breaks, names that collide with generated ones; and
 * unused array parameters and an element of a parameter as the result.
 *
 * <p>Sources are compiled, and checked against the oracle, through {@link ArrayFixture}.
 */
class MoreArrayConstructsTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** More constructs around arrays: helpers, int[] locals, reversals, labels, early exits. */
  static final String ARR_MORE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class ArrMore {
        @Differentiable
        public static double sq(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * a[i];
          }
          return s;
        }

        @Differentiable
        public static double weighted(double[] a, double c) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * a[i];
          }
          return c * s;
        }

        @Differentiable
        public static double gathered(double[] a, int[] idx) {
          double s = 0;
          for (int k = 0; k < idx.length; k++) {
            s += a[idx[k]] * a[k];
          }
          return s;
        }

        @Differentiable
        public static double bilinear(double[][] a, double[] v) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < v.length; j++) {
              s += a[i][j] * v[j] * v[i];
            }
          }
          return s;
        }

        @Differentiable
        public static double intArraysToHelper(double[] x, int[] idx) {
          int[] j = {1, 0, 1};
          return gathered(x, idx) * gathered(x, j);
        }

        @Differentiable
        public static double constantLocalToHelper(double[] x, double c) {
          double[] k = {1, 2, 3};
          return weighted(k, c) + weighted(x, c * c);
        }

        @Differentiable
        public static double constantRowToHelper(double c) {
          double[][] w = new double[2][2];
          w[1][0] = 3;
          double[] r = {w[1][0], w[0][1]};
          return weighted(r, c);
        }

        @Differentiable
        public static double nestedHelpers(double[] x, double[][] w) {
          double s = sq(x);
          for (int r = 0; r < w.length; r++) {
            s += w[r][0] * sq(x);
          }
          return s;
        }

        @Differentiable
        public static double nestedHelpersOuter(double[] x, double[][] w) {
          return nestedHelpers(x, w) * sq(x);
        }

        @Differentiable
        public static double matrixToHelper(double[][] a, double[] v) {
          double[][] b = new double[a.length][a.length];
          for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
              b[i][j] = a[i][j] * a[j][i];
            }
          }
          return bilinear(a, v) + bilinear(b, v);
        }

        @Differentiable
        public static double recursive(double[] a, int k) {
          return k == a.length ? 0 : a[k] * a[k] * (k + 1) + Math.sin(recursive(a, k + 1));
        }

        @Differentiable
        public static double unusedArray(double[] x, double[] unused, double c) {
          return c * x[0];
        }

        @Differentiable
        public static double elementIsResult(double[] x, int i) {
          return x[i];
        }

        @Differentiable
        public static double variance(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i];
          }
          double mean = s / x.length;
          double v = 0;
          for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean;
            v += d * d;
          }
          return v / x.length;
        }

        @Differentiable
        public static double compoundOps(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = x[i] + 2;
            t[i] -= c * x[i];
            t[i] *= x[i];
            t[i] /= 1 + c * c;
            t[i] *= t[i];
          }
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += t[i];
          }
          return s;
        }

        @Differentiable
        public static double reverseInPlace(double[] x) {
          int n = x.length;
          double[] t = new double[n];
          for (int i = 0; i < n; i++) {
            t[i] = x[i];
          }
          for (int i = 0; i < n; i++) {
            t[i] = t[i] * t[i];
          }
          for (int i = 0; i < n; i++) {
            t[n - 1 - i] = Math.sin(t[i]) + t[n - 1 - i];
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += t[i] * (i + 1);
          }
          return s;
        }

        @Differentiable
        public static double intLocalArrayWritten(double[] x) {
          int[] k = {0, 1};
          double s = 0;
          for (int it = 0; it < 4; it++) {
            s += x[k[0]] * Math.sin(x[k[1]] * s + 1);
            k[0] = k[1];
            k[1] = (k[1] + 1) % x.length;
          }
          return s;
        }

        @Differentiable
        public static double earlyReturnInLoop(double[] x) {
          double[] t = new double[x.length];
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            t[i] = s + x[i] * x[i];
            if (t[i] > 2) {
              return t[i] * s;
            }
            s += t[i];
          }
          return s;
        }

        @Differentiable
        public static double labelledLoops(double[][] w) {
          double[] t = new double[w.length];
          outer:
          for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[i].length; j++) {
              if (w[i][j] < 0) {
                continue outer;
              }
              if (w[i][j] > 5) {
                break outer;
              }
              t[i] += w[i][j] * w[i][j];
            }
            t[i] = Math.sqrt(t[i] + 1);
          }
          double s = 0;
          for (int i = 0; i < t.length; i++) {
            s += t[i];
          }
          return s;
        }

        @Differentiable
        public static double nameCollisions(double[] seed, double adjoints, double[] tape,
            double[][] seedAdjoint, int[] result) {
          double t = 0;
          double g = 0;
          for (int i = 0; i < seed.length; i++) {
            t += seed[i] * tape[i] * adjoints;
            g += seedAdjoint[i][0] * t;
          }
          return t * g + result.length;
        }

        @Differentiable
        public static double elementAsLoopBound(double[] x, int[] n) {
          double s = 1;
          for (int k = 0; k < n[0]; k++) {
            s = s * x[k % x.length] + 1;
          }
          return s;
        }

        @Differentiable
        public static double mathOnElements(double[] x) {
          double[] t = new double[3];
          t[0] = Math.max(x[0], x[1]);
          t[1] = Math.pow(x[1], 3);
          t[2] = Math.hypot(t[0], t[1]) + Math.atan2(x[2], x[0]);
          return t[0] * t[1] * t[2];
        }

        @Differentiable
        public static double horner(double x, int n) {
          double[] p = new double[n + 1];
          p[0] = 1;
          for (int i = 1; i <= n; i++) {
            p[i] = p[i - 1] * x + i;
          }
          return p[n];
        }

        @Differentiable
        public static double pingPong(double[] x) {
          int n = x.length;
          double[] a = new double[n];
          double[] b = new double[n];
          for (int i = 0; i < n; i++) {
            a[i] = x[i];
          }
          for (int it = 0; it < 3; it++) {
            for (int i = 0; i < n; i++) {
              b[i] = Math.sin(a[i]) + a[(i + 1) % n] * 0.5;
            }
            for (int i = 0; i < n; i++) {
              a[i] = b[i] * b[i];
            }
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += a[i];
          }
          return s;
        }

        @Differentiable
        public static double writtenTwicePerIteration(double[] x) {
          double[] t = new double[1];
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            t[0] = x[i] * x[i];
            s += t[0] * s;
            t[0] = Math.sin(t[0]);
            s += t[0];
          }
          return s + t[0];
        }

        @Differentiable
        public static double matrixElementUpdates(double[][] w) {
          double[][] c = new double[2][2];
          for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < 2; j++) {
              c[i % 2][j] += w[i][j];
              c[i % 2][j]++;
              c[j][i % 2] *= w[i][j];
            }
          }
          return c[0][0] * c[1][1] - c[0][1] * c[1][0];
        }

        @Differentiable
        public static double localMatrixRowLengths(double[] x) {
          double[][] w = new double[x.length][x.length + 1];
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[i].length; j++) {
              w[i][j] = x[i] * j;
              s += w[i][j] * w[i][j];
            }
          }
          return s;
        }

        @Differentiable
        public static double returnInsideLoop(double[] x, double lim) {
          double[] t = new double[x.length + 1];
          for (int i = 0; i < x.length; i++) {
            t[i + 1] = t[i] + x[i] * x[i];
            if (t[i + 1] > lim) {
              return t[i + 1] * t[i];
            }
          }
          return t[x.length];
        }

        @Differentiable
        public static double breakBeforeDeclaration(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            if (x[i] > 5) {
              break;
            }
            s += x[i];
          }
          double[] t = {s, s * s};
          return t[0] + t[1];
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // More constructs
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> more() {
    return Stream.of(
        c("intArraysToHelper", new double[] {0.5, -0.3, 1.2}, new int[] {2, 2, 0}),
        c("constantLocalToHelper", new double[] {0.5, -0.3}, 0.7),
        c("constantRowToHelper", 0.7),
        c("nestedHelpersOuter", new double[] {0.5, -0.3, 1.1},
            new double[][] {{0.4}, {-0.2, 1}}),
        c("matrixToHelper", new double[][] {{0.5, -0.3}, {1.1, 0.2}}, new double[] {0.7, -1.4}),
        c("recursive", new double[] {0.5, -0.3, 1.1, 0.2}, 0),
        c("recursive", new double[] {0.5, -0.3, 1.1, 0.2}, 2),
        c("recursive", new double[] {0.5, -0.3}, 2),
        c("variance", new double[] {0.5, -0.3, 1.1, 0.2}),
        c("compoundOps", new double[] {0.5, -0.3, 1.1, 0.2}, 0.6),
        c("reverseInPlace", new double[] {0.5, -0.3, 1.1, 0.2, 0.9}),
        c("reverseInPlace", new double[] {0.5, -0.3, 1.1, 0.2}),
        c("intLocalArrayWritten", new double[] {0.5, -0.3, 1.1}),
        c("earlyReturnInLoop", new double[] {0.5, -0.3, 1.1, 0.2}),
        c("earlyReturnInLoop", new double[] {0.5, 0.3}),
        c("labelledLoops", (Object) new double[][] {{0.5, -0.3, 1.0}, {1.1, 0.2}, {0.4, 6.0, 0.3}, {0.8}}),
        c("labelledLoops", (Object) new double[][] {{0.5, 1.0}, {1.1, 0.2}}),
        c("nameCollisions", new double[] {0.5, -1.5}, 0.3, new double[] {0.7, 0.2},
            new double[][] {{0.1}, {0.9}}, new int[] {1, 2}),
        c("elementAsLoopBound", new double[] {0.5, -1.5, 0.7}, new int[] {5}),
        c("elementAsLoopBound", new double[] {0.5, -1.5, 0.7}, new int[] {0}),
        c("mathOnElements", new double[] {0.5, -1.5, 0.7}),
        c("mathOnElements", new double[] {-0.5, 1.5, 0.7}),
        c("horner", 0.7, 0),
        c("horner", 0.7, 4),
        c("pingPong", new double[] {0.5, -1.5, 0.7}),
        c("pingPong", new double[] {0.4}),
        c("writtenTwicePerIteration", new double[] {0.5, -1.5, 0.7}),
        c("matrixElementUpdates", (Object) new double[][] {{0.5, -1.5}, {0.7, 0.3}, {1.2, -0.4}}),
        c("localMatrixRowLengths", new double[] {0.5, -0.3}),
        c("returnInsideLoop", new double[] {0.5, -0.3, 1.2, 0.4}, 1.0),
        c("returnInsideLoop", new double[] {0.5, -0.3, 1.2, 0.4}, 10.0),
        c("breakBeforeDeclaration", new double[] {0.5, -0.3, 7.0, 0.4}),
        c("breakBeforeDeclaration", new double[] {0.5, -0.3}));
  }

  private static Arguments c(String method, Object... args) {
    StringBuilder label = new StringBuilder(method).append('(');
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      label.append(i == 0 ? "" : ", ")
          .append(a instanceof Object[] m ? Arrays.deepToString(m)
              : a instanceof double[] d ? Arrays.toString(d)
              : a instanceof int[] n ? Arrays.toString(n) : String.valueOf(a));
    }
    return Arguments.of(label.append(')').toString(), method, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("more")
  void moreConstructs(String label, String method, Object[] args) {
    check("ArrMore", method, args);
  }

  @Test
  void unusedArrayParameterHasAZeroGradient() throws Throwable {
    Result r = check("ArrMore", "unusedArray", new double[] {0.5, -0.3}, new double[] {1, 2, 3},
        0.7);
    assertThat(r.vector("dUnused")).usingExactEquality().containsExactly(0.0, 0.0, 0.0);
    assertThat(r.vector("dX")).usingExactEquality().containsExactly(0.7, 0.0).inOrder();
    double[] unusedAdjoint = {4.0, 5.0, 6.0};
    on("ArrMore").adjoint("unusedArray",
        new Object[] {new double[] {0.5, -0.3}, new double[] {1, 2, 3}, 0.7}, 3.0,
        new double[1], null, unusedAdjoint);
    assertThat(unusedAdjoint).usingExactEquality().containsExactly(4.0, 5.0, 6.0).inOrder();
  }

  @Test
  void elementOfAParameterAsTheResult() {
    Result r = check("ArrMore", "elementIsResult", new double[] {0.5, -0.3, 2}, 1);
    assertThat(r.vector("dX")).usingExactEquality().containsExactly(0.0, 1.0, 0.0).inOrder();
  }
}
