package dev.adjoint.processor.statements;

import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code long} parameters and locals and {@code boolean[]} parameters (labels, masks) are
 * constants, as {@code int} ones are: loops counted in {@code long}, {@code long} arithmetic
 * mixed with doubles, masks choosing terms, in every mode.
 */
class IntLikeConstantsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Constants {
        @Differentiable(order = 2)
        public static double longs(double x, long n, long seed) {
          long state = seed;
          double s = 0;
          for (long i = 0; i < n; i++) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            double u = (state >>> 11) * 0x1.0p-53;
            s += Math.sin(x * u) + x * i;
          }
          long half = n / 2;
          return s * half + x / (n + 1);
        }

        @Differentiable(order = 2)
        public static double masked(double[] x, boolean[] mask, boolean flip) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            if (mask[i] != flip) {
              s += x[i] * x[i];
            } else {
              s += Math.exp(x[i] * 0.5);
            }
          }
          int count = 0;
          for (boolean m : mask) {
            if (m) {
              count++;
            }
          }
          return s * count + (mask.length > 2 && mask[2] ? x[0] : 0);
        }

        private static double weightedBy(double[] x, boolean[] labels) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += labels[i] ? Math.log1p(x[i] * x[i]) : -x[i];
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double viaHelper(double[] x, boolean[] labels, long scale) {
          return weightedBy(x, labels) * scale;
        }
      }
      """;

  private static Modes modes;

  @BeforeAll
  static void compile() {
    modes = new Modes(InProcessCompiler.compile(SOURCE).load("p.ConstantsDiff"));
  }

  @Test
  void longParametersAndLocals() {
    for (long n : new long[] {0, 1, 5}) {
      modes.check("longs", 0.7, n, 42L);
    }
  }

  @Test
  void booleanArrayMasks() {
    modes.check("masked", new double[] {0.3, -0.6, 1.1, 0.2},
        new boolean[] {true, false, true, false}, false);
    modes.check("masked", new double[] {0.3, -0.6}, new boolean[] {false, true}, true);
  }

  @Test
  void booleanArrayPassedToAHelper() {
    modes.check("viaHelper", new double[] {0.3, -0.6, 1.1},
        new boolean[] {true, false, true}, 3L);
  }
}
