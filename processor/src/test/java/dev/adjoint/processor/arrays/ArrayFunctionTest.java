package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.adjoint.processor.arrays.ArrayFixture.assertMatrix;
import static dev.adjoint.processor.arrays.ArrayFixture.assertVector;
import static dev.adjoint.processor.arrays.ArrayFixture.check;
import static dev.adjoint.processor.arrays.ArrayFixture.compiledGroups;
import static dev.adjoint.processor.arrays.ArrayFixture.fill;
import static dev.adjoint.processor.arrays.ArrayFixture.original;
import static dev.adjoint.processor.arrays.ArrayFixture.point;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.processor.testing.ArrayOracle.Result;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Classic functions of {@code double[]} and {@code double[][]} parameters: Rosenbrock, log-sum-exp
 * (its gradient is the softmax), a linear layer's squared loss, quadratic forms, {@code int[]}
 * index arrays (gathers and scatters with repeated indices, ragged matrices), loops with zero, one
 * and many iterations, and empty arrays; checked against the oracle and closed forms. Also checks
 * that every source group of the package compiles.
 *
 * <p>Sources are compiled, and checked against the oracle, through {@link ArrayFixture}.
 */
class ArrayFunctionTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** Classic array functions: Rosenbrock, log-sum-exp, recurrences, scratch arrays, layers. */
  static final String ARR =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Arr {
        @Differentiable
        public static double rosenbrock(double[] x) {
          double s = 0;
          for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
          }
          return s;
        }

        @Differentiable
        public static double logSumExp(double[] x) {
          double m = x[0];
          for (int i = 1; i < x.length; i++) {
            if (x[i] > m) {
              m = x[i];
            }
          }
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += Math.exp(x[i] - m);
          }
          return m + Math.log(s);
        }

        @Differentiable
        public static double recurrence(double[] p0) {
          double[] p = new double[p0.length];
          for (int i = 0; i < p0.length; i++) {
            p[i] = p0[i];
          }
          for (int i = 1; i < p.length; i++) {
            p[i] = p[i - 1] * p[i] + Math.sin(p[i]);
          }
          return p[p.length - 1];
        }

        @Differentiable
        public static double recurrenceSum(double[] p0) {
          double[] p = new double[p0.length];
          for (int i = 0; i < p0.length; i++) {
            p[i] = p0[i];
          }
          for (int i = 1; i < p.length; i++) {
            p[i] = p[i - 1] * p[i] + Math.sin(p[i]);
          }
          double s = 0;
          for (int i = 0; i < p.length; i++) {
            s += p[i] * (i + 1);
          }
          return s;
        }

        @Differentiable
        public static double scratchTwoPasses(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = x[i] * x[i] + c;
          }
          double s = 0;
          for (int i = 0; i < t.length; i++) {
            s += t[i];
          }
          for (int i = 0; i < t.length; i++) {
            t[i] = Math.exp(-t[i] / s);
          }
          double r = 0;
          for (int i = 0; i < t.length; i++) {
            r += t[i] * x[i];
          }
          return r;
        }

        @Differentiable
        public static double scratchCompound(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] += x[i] * c;
            t[i]++;
            t[i] += t[i] * x[i];
          }
          double r = 0;
          for (int i = 0; i < x.length; i++) {
            t[i]--;
            r += t[i] * t[i];
          }
          return r;
        }

        @Differentiable
        public static double linearSquaredLoss(double[] x, double[][] w, double[] b) {
          double[] y = new double[b.length];
          for (int j = 0; j < b.length; j++) {
            y[j] = b[j];
            for (int i = 0; i < x.length; i++) {
              y[j] += x[i] * w[i][j];
            }
          }
          double loss = 0;
          for (int j = 0; j < y.length; j++) {
            double z = y[j] * y[j];
            loss += z;
          }
          return loss;
        }

        @Differentiable
        public static double quadraticForm(double[] x, double[][] a) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
              s += x[i] * a[i][j] * x[j];
            }
          }
          return s;
        }

        @Differentiable
        public static double quadraticFormLocalMatrix(double[] x, double[][] a) {
          int n = x.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              m[i][j] = a[i][j] * x[j];
            }
          }
          double[] ax = new double[n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              ax[i] += m[i][j];
            }
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += x[i] * ax[i];
          }
          return s;
        }

        @Differentiable
        public static double gatherSquares(double[] x, int[] idx) {
          double s = 0;
          for (int k = 0; k < idx.length; k++) {
            s += x[idx[k]] * x[idx[k]];
          }
          return s;
        }

        @Differentiable
        public static double scatterSin(double[] x, int[] idx, int m) {
          double[] t = new double[m];
          for (int k = 0; k < x.length; k++) {
            t[idx[k]] += x[k] * x[k];
          }
          double s = 0;
          for (int j = 0; j < m; j++) {
            s += Math.sin(t[j]);
          }
          return s;
        }

        @Differentiable
        public static double sumSquares(double[] x, double c) {
          double s = c * c;
          for (int i = 0; i < x.length; i++) {
            s += c * x[i] * x[i];
          }
          return s;
        }

        @Differentiable
        public static double localCopyLoop(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = Math.sin(x[i] * c);
          }
          double s = c;
          for (int i = 0; i < t.length; i++) {
            s = s * t[i] + x[i];
          }
          return s;
        }

        @Differentiable
        public static double initializerList(double x, double y) {
          double[] v = {x, y * x, 3};
          double s = 0;
          for (int i = 0; i < v.length; i++) {
            s += v[i] * v[i] * (i + 1);
          }
          return s;
        }

        @Differentiable
        public static double mixed(double[] x, double c, double[][] w, int[] idx) {
          double s = 0;
          for (int k = 0; k < idx.length; k++) {
            int i = idx[k];
            for (int j = 0; j < w[i].length; j++) {
              s += Math.tanh(c * x[i] * w[i][j]);
            }
          }
          return s * c;
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // Rosenbrock
  // ---------------------------------------------------------------------------------------------

  /** The analytic gradient of the n-dimensional Rosenbrock function. */
  private static double[] rosenbrockGradient(double[] x) {
    double[] g = new double[x.length];
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      g[i] += -400 * x[i] * a - 2 * (1 - x[i]);
      g[i + 1] += 200 * a;
    }
    return g;
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {2, 5, 10})
  void rosenbrockAgainstOracleAndClosedForm(int n) {
    double[] x = point(n, 1.0);
    Result r = check("Arr", "rosenbrock", (Object) x);
    assertVector(r, "dX", r.vector("dX"), rosenbrockGradient(x), 1e-12);
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {2, 5, 10})
  void rosenbrockAtItsMinimumHasGradientExactlyZero(int n) {
    Result r = check("Arr", "rosenbrock", (Object) fill(n, 1.0));
    assertThat(r.value()).isEqualTo(0.0);
    for (double d : r.vector("dX")) {
      assertWithMessage("%s", r).that(d).isEqualTo(0.0);
    }
  }

  @Test
  void rosenbrockClassicStartingPoint() {
    Result r = check("Arr", "rosenbrock", (Object) new double[] {-1.2, 1.0});
    assertThat(r.value()).isWithin(1e-12).of(24.2);
    assertVector(r, "dX", r.vector("dX"), new double[] {-215.6, -88.0}, 1e-12);
  }

  @Test
  void rosenbrockClassicStartingPointRepeated() {
    // (-1.2, 1, -1.2, 1, ...): the textbook starting point of the extended Rosenbrock function.
    double[] x = new double[10];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 2 == 0 ? -1.2 : 1.0;
    }
    Result r = check("Arr", "rosenbrock", (Object) x);
    assertVector(r, "dX", r.vector("dX"), rosenbrockGradient(x), 1e-12);
  }

  // ---------------------------------------------------------------------------------------------
  // log-sum-exp
  // ---------------------------------------------------------------------------------------------

  static Stream<double[]> logSumExpPoints() {
    return Stream.of(
        new double[] {0.5},
        new double[] {1.0, -2.0},
        new double[] {-0.3, 2.1, 0.7, -1.4},
        new double[] {3.0, 1.5, 2.9, -4.0, 0.1, 2.2},
        // The maximum last, first, and large values (where the shift by m matters).
        new double[] {-1.0, 0.0, 1.0, 2.0, 3.5},
        new double[] {800.0, 799.0, 797.5});
  }

  @ParameterizedTest
  @MethodSource("logSumExpPoints")
  void logSumExpGradientIsSoftmax(double[] x) {
    Result r = check("Arr", "logSumExp", (Object) x);
    double m = Arrays.stream(x).max().orElseThrow();
    double s = 0;
    for (double v : x) {
      s += Math.exp(v - m);
    }
    double[] softmax = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      softmax[i] = Math.exp(x[i] - m) / s;
    }
    assertVector(r, "dX vs softmax", r.vector("dX"), softmax, 1e-12);
    assertWithMessage("%s: softmax sums to 1", r)
        .that(Arrays.stream(r.vector("dX")).sum())
        .isWithin(1e-12)
        .of(1.0);
  }

  // ---------------------------------------------------------------------------------------------
  // Linear layer, quadratic form
  // ---------------------------------------------------------------------------------------------

  @Test
  void linearLayerSquaredLossAtAllOnes() {
    // y = x w + b = (3, 3, 3), loss = sum y^2 = 27; dloss/dy = 2 y = 6, so dloss/db = 6,
    // dloss/dw_ij = x_i * 6 = 6, dloss/dx_i = sum_j w_ij * 6 = 18.
    Result r = check("Arr", "linearSquaredLoss", fill(2, 1.0), fill(2, 3, 1.0), fill(3, 1.0));
    assertThat(r.value()).isEqualTo(27.0);
    assertMatrix(r, "dW", r.matrix("dW"), fill(2, 3, 6.0), 1e-12);
    assertVector(r, "dB", r.vector("dB"), fill(3, 6.0), 1e-12);
    assertVector(r, "dX", r.vector("dX"), fill(2, 18.0), 1e-12);
  }

  @Test
  void linearLayerSquaredLossAtAGenericPoint() {
    double[] x = {0.5, -1.5};
    double[][] w = {{0.2, -0.7, 1.1}, {0.9, 0.4, -0.3}};
    double[] b = {0.1, -0.2, 0.35};
    Result r = check("Arr", "linearSquaredLoss", x, w, b);
    double[] y = new double[3];
    for (int j = 0; j < 3; j++) {
      y[j] = b[j] + x[0] * w[0][j] + x[1] * w[1][j];
    }
    double[][] dw = new double[2][3];
    double[] dx = new double[2];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        dw[i][j] = 2 * y[j] * x[i];
        dx[i] += 2 * y[j] * w[i][j];
      }
    }
    assertMatrix(r, "dW", r.matrix("dW"), dw, 1e-13);
    assertVector(r, "dB", r.vector("dB"), new double[] {2 * y[0], 2 * y[1], 2 * y[2]}, 1e-13);
    assertVector(r, "dX", r.vector("dX"), dx, 1e-13);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quadraticForm", "quadraticFormLocalMatrix"})
  void quadraticFormWithANonSymmetricMatrix(String method) {
    double[] x = {0.7, -1.3, 2.1};
    double[][] a = {{1.0, 2.0, -0.5}, {0.3, -1.2, 4.0}, {-2.2, 0.6, 0.9}};
    Result r = check("Arr", method, x, a);
    double[] expectedDx = new double[3];
    double[][] expectedDa = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        expectedDx[i] += (a[i][j] + a[j][i]) * x[j];
        expectedDa[i][j] = x[i] * x[j];
      }
    }
    assertVector(r, "dX = (A + A^T) x", r.vector("dX"), expectedDx, 1e-13);
    assertMatrix(r, "dA = x x^T", r.matrix("dA"), expectedDa, 1e-13);
  }

  // ---------------------------------------------------------------------------------------------
  // int[] index arrays
  // ---------------------------------------------------------------------------------------------

  @Test
  void gatherWithRepeatedIndices() {
    double[] x = {0.5, -1.5, 2.25, 0.75};
    int[] idx = {2, 0, 2, 3};
    Result r = check("Arr", "gatherSquares", x, idx);
    assertVector(r, "dX", r.vector("dX"), new double[] {1.0, 0.0, 9.0, 1.5}, 1e-15);
    assertThat(r.names()).containsExactly("dX");
    assertThat(idx).isEqualTo(new int[] {2, 0, 2, 3});
  }

  @Test
  void gatherWithNoIndices() {
    Result r = check("Arr", "gatherSquares", new double[] {0.5, -1.5}, new int[0]);
    assertVector(r, "dX", r.vector("dX"), new double[] {0, 0}, 0);
  }

  @Test
  void scatterIntoALocalArrayWithRepeatedIndices() {
    check("Arr", "scatterSin", new double[] {0.5, -0.8, 0.3, 0.9}, new int[] {1, 0, 1, 2}, 3);
    check("Arr", "scatterSin", new double[] {0.5, -0.8}, new int[] {1, 1}, 3);
  }

  @Test
  void indexArrayMixedWithMatrixAndScalar() {
    check("Arr", "mixed", new double[] {0.5, -0.4, 1.2},
        0.9, new double[][] {{0.3, -0.6}, {1.1, 0.2}, {-0.7, 0.8}}, new int[] {2, 0, 2});
  }

  @Test
  void raggedMatrixParameter() {
    check("Arr", "mixed", new double[] {0.5, -0.4, 1.2},
        0.9, new double[][] {{0.3}, {1.1, 0.2, 0.45}, {}}, new int[] {1, 0, 2});
  }

  // ---------------------------------------------------------------------------------------------
  // Loop trip counts, empty arrays
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {0, 1, 2, 17})
  void loopsWithZeroOneAndManyIterations(int n) {
    double[] x = point(n, 1.0);
    Result r = check("Arr", "sumSquares", x, 0.6);
    double[] expected = new double[n];
    double dc = 2 * 0.6;
    for (int i = 0; i < n; i++) {
      expected[i] = 2 * 0.6 * x[i];
      dc += x[i] * x[i];
    }
    assertVector(r, "dX", r.vector("dX"), expected, 1e-14);
    assertThat(r.d("dC")).isWithin(1e-13).of(dc);
  }

  @Test
  void emptyArraysEverywhereAllowed() {
    Result r = check("Arr", "rosenbrock", (Object) new double[0]);
    assertThat(r.vector("dX")).isEmpty();
    r = check("Arr", "rosenbrock", (Object) new double[] {0.3});
    assertThat(r.vector("dX")).usingExactEquality().containsExactly(0.0);
    check("Arr", "recurrenceSum", (Object) new double[0]);
    check("Arr", "scratchTwoPasses", new double[0], 0.4);
    check("Arr", "scratchCompound", new double[0], 0.4);
    check("Arr", "localCopyLoop", new double[0], 0.4);
    check("Arr", "quadraticForm", new double[0], new double[0][0]);
    check("Arr", "quadraticFormLocalMatrix", new double[0], new double[0][0]);
    r = check("Arr", "linearSquaredLoss", new double[0], new double[0][0], new double[] {0.5, 2});
    assertVector(r, "dB", r.vector("dB"), new double[] {1.0, 4.0}, 1e-15);
    check("ArrCalls", "scaledSquareSum", new double[0], 2.0);
    check("ArrFloats", "floatDot", new float[0], new float[0], 2.0f);
    check("ArrMore", "variance", (Object) new double[] {0.5});
    check("ArrMore", "pingPong", (Object) new double[0]);
    check("ArrMore", "writtenTwicePerIteration", (Object) new double[0]);
    check("ArrMore", "localMatrixRowLengths", (Object) new double[0]);
    check("ArrMore", "labelledLoops", (Object) new double[0][0]);
  }

  // ---------------------------------------------------------------------------------------------
  // Sanity of the test sources themselves
  // ---------------------------------------------------------------------------------------------

  /** Groups that exist to show a processor bug; their own tests report it. */
  private static final java.util.Set<String> BUG_GROUPS =
      java.util.Set.of("ArrFloatLocals", "ArrEarlyReturn");

  @Test
  void everyGroupCompiles() {
    List<String> failed =
        compiledGroups().entrySet().stream()
            .filter(e -> !BUG_GROUPS.contains(e.getKey()))
            .filter(e -> !(e.getValue() instanceof InProcessCompiler))
            .map(e -> e.getKey() + ": " + ((Throwable) e.getValue()).getMessage())
            .toList();
    if (!failed.isEmpty()) {
      fail(String.join("\n\n", failed));
    }
    assertThat(original("Arr").getSimpleName()).isEqualTo("Arr");
  }
}
