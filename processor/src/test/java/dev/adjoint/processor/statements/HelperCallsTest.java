package dev.adjoint.processor.statements;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Helpers without {@code @Differentiable} differentiated where they are called: private ones
 * (copied into the generated class), package-private and public ones of another class,
 * helpers calling helpers, recursion and mutual recursion, void helpers writing an array, a
 * helper called with constant arguments only, and private constants and tables a helper
 * reads. Each method is checked in every mode by {@link Modes}.
 */
class HelperCallsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Calls {
        private static final double SHIFT = Math.log(2.0);
        private static final double[] WEIGHTS = {0.5, -1.25, 2.0};

        private static double sq(double x) {
          return x * x;
        }

        private static int clampIndex(int i, int n) {
          return i < 0 ? 0 : Math.min(i, n - 1);
        }

        static double powi(double x, int n) {
          if (n == 0) {
            return 1;
          }
          return x * powi(x, n - 1);
        }

        private static double even(double x, int n) {
          return n == 0 ? x : Math.sin(odd(x, n - 1));
        }

        private static double odd(double x, int n) {
          return n == 0 ? x * x : Math.cos(even(x, n - 1)) + x;
        }

        private static void scale(double[] a, double c) {
          for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * c + sq(a[i]);
          }
        }

        private static double weighted(double[] x) {
          double s = SHIFT;
          for (int i = 0; i < x.length; i++) {
            s += WEIGHTS[clampIndex(i, WEIGHTS.length)] * Math.exp(x[i]);
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double privateHelper(double x, double y) {
          return sq(x) * y + sq(Math.sin(y));
        }

        @Differentiable(order = 2)
        public static double otherClass(double x) {
          return Stats.logGamma(x) + Stats.square(x - 1.5);
        }

        @Differentiable(order = 2)
        public static double recursion(double x, int n) {
          return powi(x, n) + even(x, n);
        }

        @Differentiable(order = 2)
        public static double voidHelper(double[] x, double c) {
          double[] w = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            w[i] = x[i];
          }
          scale(w, c);
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            s += w[i] * x[i];
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double tables(double[] x) {
          return weighted(x) * x[clampIndex(5, x.length)];
        }

        @Differentiable
        public static double firstOrder(double x) {
          return sq(x) + Stats.square(x);
        }

        @Differentiable(order = 2)
        public static double otherPackage(double x, double y) {
          return q.Kernels.gauss(x - y, 0.7) * q.Kernels.gauss(y, 1.3);
        }

        @Differentiable(order = 2)
        public static double callsAnnotated(double x) {
          return viaAnnotated(x) * 2;
        }

        private static double viaAnnotated(double x) {
          return Math.log1p(privateHelper(x, x) + 1);
        }

        @Differentiable
        public static double[] residuals(double[] p) {
          double[] r = new double[3];
          for (int i = 0; i < 3; i++) {
            r[i] = sq(p[0] - i) * Stats.logGamma(2 + p[1] * p[1]) + powi(p[1], i);
          }
          return r;
        }
      }
      """;

  static final String KERNELS =
      """
      package q;

      public final class Kernels {
        private static final double NORM = 1 / Math.sqrt(2 * Math.PI);

        private Kernels() {}

        public static double gauss(double u, double h) {
          double z = u / h;
          return NORM / h * Math.exp(-0.5 * z * z);
        }
      }
      """;

  static final String STATS =
      """
      package p;

      public final class Stats {
        private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851,
            -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

        private Stats() {}

        static double logGamma(double x) {
          double z = x - 1;
          double a = LANCZOS[0];
          double t = z + 7.5;
          for (int i = 1; i < 9; i++) {
            a += LANCZOS[i] / (z + i);
          }
          return HALF_LOG_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
        }

        public static double square(double v) {
          return times(v, v);
        }

        private static double times(double a, double b) {
          return a * b;
        }
      }
      """;

  private static Modes modes;
  private static Class<?> diff;

  @BeforeAll
  static void compile() {
    InProcessCompiler c = InProcessCompiler.compile(SOURCE, STATS, KERNELS);
    diff = c.load("p.CallsDiff");
    modes = new Modes(diff);
  }

  @Test
  void privateHelperOfTheSameClass() {
    double[] g = modes.check("privateHelper", 0.7, -1.3);
    assertThat(g[0]).isWithin(1e-12).of(2 * 0.7 * -1.3);
  }

  @Test
  void helpersOfAnotherClassWithPrivateTablesAndConstants() {
    for (double x : new double[] {0.8, 2.5, 6.0}) {
      modes.check("otherClass", x);
    }
  }

  @Test
  void recursionAndMutualRecursion() {
    for (int n : new int[] {0, 1, 4}) {
      modes.check("recursion", 0.6, n);
    }
  }

  @Test
  void voidHelperWritingAnArray() {
    modes.check("voidHelper", new double[] {0.3, -0.8, 1.2}, 0.9);
  }

  @Test
  void privateTablesAndAHelperWithConstantArguments() {
    modes.check("tables", new double[] {0.2, -0.4, 0.7, 1.1});
  }

  @Test
  void firstOrderCaller() {
    double[] g = modes.gradient("firstOrder", new Object[] {1.25});
    assertThat(g[0]).isWithin(1e-12).of(4 * 1.25);
  }

  @Test
  void publicHelperOfAnotherPackage() {
    modes.check("otherPackage", 0.4, -0.3);
  }

  @Test
  void helperCallingAnAnnotatedMethod() {
    modes.check("callsAnnotated", 0.45);
  }

  @Test
  void jacobianOfAVectorFunctionCallingHelpers() {
    double[] p = {0.6, 0.9};
    double[][] j = (double[][]) modes.call("residualsJacobian", (Object) p);
    for (int k = 0; k < p.length; k++) {
      int column = k;
      for (int row = 0; row < 3; row++) {
        int r = row;
        dev.adjoint.processor.testing.Oracle.Estimate e =
            dev.adjoint.processor.testing.Oracle.derivative(v -> {
              double[] q = p.clone();
              q[column] = v;
              return ((double[]) invoke("residuals", q))[r];
            }, p[column]);
        assertThat(j[row][column]).isWithin(1e-8 * (1 + Math.abs(e.value())) + 10 * e.error())
            .of(e.value());
      }
    }
  }

  private static Object invoke(String name, double[] arg) {
    try {
      return diff.getClassLoader().loadClass("p.Calls").getMethod(name, double[].class)
          .invoke(null, (Object) arg);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
