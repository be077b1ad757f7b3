package dev.adjoint.processor.statements;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statements of ordinary Java that the reader lowers to the IR: enhanced for loops over
 * arrays and matrix rows, {@code ++}, {@code --} and compound assignments inside expressions
 * (loop conditions included), switch statements and expressions, throw, constants and tables,
 * {@code long} and {@code boolean[]} constants. Each method is checked in every mode by
 * {@link Modes}: reverse against the oracle, the pullback, forward, and the Hessian-vector
 * product.
 */
class StatementFormsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Forms {
        static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851,
            -1259.1392167224028, 771.32342877765313};
        static final int[] POWERS = {1, 2, 3};
        static final double HALF = 0.5;

        @Differentiable(order = 2)
        public static double series(double x) {
          double a = LANCZOS[0];
          for (int i = 1; i < LANCZOS.length; i++) {
            a += LANCZOS[i] / (x + i);
          }
          double poly = 0;
          for (int k : Tables.POWERS) {
            poly += Math.pow(x, k) * Tables.WEIGHTS[k - 1] * HALF;
          }
          return Math.log(a) + poly;
        }
        @Differentiable(order = 2)
        public static double switches(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            switch (i % 5) {
              case 0:
                s += x;
                break;
              case 1:
              case 2:
                s += x * x;
              case 3:
                s += Math.sin(x * i);
                break;
              default:
                s *= 0.5;
                continue;
            }
            s += 0.25 * x;
          }
          int c = n > 2 ? 'b' : 'a';
          switch (c) {
            default -> s += 1;
            case 'b' -> {
              s = s * x;
            }
          }
          double w = switch (n) {
            case 0, 1 -> x * 2;
            case 2 -> Math.exp(x);
            default -> s * x;
          };
          return s + w;
        }

        @Differentiable(order = 2)
        public static double sumSquares(double[] x) {
          double s = 0;
          for (double v : x) {
            s += v * v;
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double weightedInts(double[] x, int[] w) {
          float[] f = {0.5f, 1.5f};
          double s = 0;
          int k = 0;
          for (int wi : w) {
            s += wi * Math.sin(x[k]);
            k++;
          }
          for (var fi : f) {
            s += fi * x[0];
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double rows(double[][] m, double[] v) {
          double s = 0;
          for (double[] row : m) {
            double d = 0;
            for (int j = 0; j < row.length; j++) {
              d += row[j] * v[j];
            }
            s += Math.tanh(d);
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double rowsWritten(double[][] m, double c) {
          double[][] w = new double[m.length][m[0].length];
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
              w[i][j] = m[i][j];
            }
          }
          for (double[] row : w) {
            for (int j = 0; j < row.length; j++) {
              row[j] = row[j] * c + Math.sin(row[j]);
            }
          }
          double s = 0;
          for (double[] row : w) {
            for (double e : row) {
              s += e * e;
            }
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double countdown(double x, int n) {
          int counter = n;
          double y = x;
          while (counter-- > 0) {
            y = Math.sin(y) + x * y;
          }
          return y + counter;
        }

        @Differentiable(order = 2)
        public static double iterations(double x, int max) {
          int iter = 0;
          double y = x;
          while (true) {
            if (++iter > max) {
              break;
            }
            y = y * 0.5 + Math.cos(x * iter);
          }
          return y;
        }

        @Differentiable(order = 2)
        public static double postfixIndex(double[] x) {
          double[] a = new double[x.length];
          int i = 0;
          for (int k = 0; k < x.length; k++) {
            a[i++] = Math.exp(x[k]);
          }
          double s = 0;
          int j = 0;
          while (j < a.length) {
            s += a[j++] * x[0];
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double compoundValue(double x, double y) {
          double s = 1;
          double t = (s += x * y) * 2;
          double u = (s *= y) + t;
          int k = 3;
          double v = x * --k;
          v += x * k--;
          v = (v += v * y);
          return s + t * u + v + k;
        }

        @Differentiable(order = 2)
        public static double doLoop(double x, int n) {
          int k = n;
          double y = x;
          do {
            y = y * x + 1;
          } while (--k > 0);
          return y;
        }

        @Differentiable(order = 2)
        public static double forCondition(double x, int n) {
          double y = 0;
          int k = 0;
          for (int i = 0; k++ < n; i += 2) {
            if (i == 4) {
              continue;
            }
            y += Math.sin(x * i);
          }
          return y;
        }

        @Differentiable(order = 2)
        public static double doubleBound(double x, double n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += x * i;
          }
          for (int i = 4; i >= n; i--) {
            s += x * x * i;
          }
          return s * n;
        }
      }
      """;

  static final String TABLES =
      """
      package p;

      public final class Tables {
        public static final int[] POWERS = {1, 2};
        static final double[] WEIGHTS = {0.25, -1.5};

        private Tables() {}
      }
      """;

  private static Modes modes;

  @BeforeAll
  static void compile() {
    InProcessCompiler c = InProcessCompiler.compile(SOURCE, TABLES);
    modes = new Modes(c.load("p.FormsDiff"));
  }

  @Test
  void switchStatementsWithFallThroughAndSwitchExpressions() {
    for (int n : new int[] {0, 1, 2, 3, 7, 11}) {
      modes.check("switches", 0.7, n);
    }
  }

  @Test
  void enhancedForOverDoubles() {
    double[] g = modes.check("sumSquares", new double[] {0.5, -1.25, 2.0});
    assertThat(g).usingTolerance(1e-15).containsExactly(1.0, -2.5, 4.0).inOrder();
  }

  @Test
  void enhancedForOverIntsAndFloats() {
    modes.check("weightedInts", new double[] {0.3, -0.7, 1.1}, new int[] {2, -1, 3});
  }

  @Test
  void enhancedForOverRowsOfAMatrix() {
    modes.check("rows", new double[][] {{0.2, -0.4}, {1.1, 0.3}, {-0.6, 0.9}},
        new double[] {0.7, -1.3});
  }

  @Test
  void rowVariableWrittenThrough() {
    modes.check("rowsWritten", new double[][] {{0.2, -0.4}, {1.1, 0.3}}, 0.8);
  }

  @Test
  void postfixDecrementInALoopCondition() {
    for (int n : new int[] {0, 1, 4}) {
      modes.check("countdown", 0.6, n);
    }
  }

  @Test
  void prefixIncrementInAnIfCondition() {
    for (int max : new int[] {0, 1, 5}) {
      modes.check("iterations", 0.4, max);
    }
  }

  @Test
  void postfixIncrementInIndices() {
    modes.check("postfixIndex", new double[] {0.1, -0.5, 0.9});
  }

  @Test
  void compoundAssignmentAndIncrementsAsValues() {
    double[] g = modes.check("compoundValue", 0.7, -1.3);
    // s = 1 + xy; t = 2s; s' = s y; u = s' + t; v = 2x + 2x; k = 1.
    assertThat(g).hasLength(2);
  }

  @Test
  void sideEffectInADoWhileCondition() {
    for (int n : new int[] {0, 1, 3}) {
      modes.check("doLoop", 0.9, n);
    }
  }

  @Test
  void sideEffectInAForConditionWithContinue() {
    for (int n : new int[] {0, 2, 5}) {
      modes.check("forCondition", 0.35, n);
    }
  }

  @Test
  void staticFinalTablesOfThisAndAnotherClassAreConstants() {
    for (double x : new double[] {0.6, 1.7}) {
      double[] g = modes.check("series", x);
      double a = 0.99999999999980993 + 676.5203681218851 / (x + 1)
          - 1259.1392167224028 / (x + 2) + 771.32342877765313 / (x + 3);
      double da = -676.5203681218851 / ((x + 1) * (x + 1))
          + 1259.1392167224028 / ((x + 2) * (x + 2))
          - 771.32342877765313 / ((x + 3) * (x + 3));
      double want = da / a + 0.5 * (0.25 - 1.5 * 2 * x);
      assertThat(g[0]).isWithin(1e-10 * (1 + Math.abs(want))).of(want);
    }
  }

  @Test
  void countedLoopWithADoubleBound() {
    for (double n : new double[] {-1.5, 0.5, 2.5, 3.4, 5.25}) {
      modes.check("doubleBound", 0.8, n);
    }
  }
}
