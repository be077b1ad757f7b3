package dev.adjoint.processor.objects;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code java.util.Random} and {@code SplittableRandom} locals created from a seed: every mode
 * ({@link ObjectModes}: mGrad, mVjp, mJvp, mHvp, against Ridders' differences of the user's own
 * method, which draws from a fresh generator on each call) sees exactly the numbers the plain
 * call draws, so the derivatives are the pathwise ones and the values are bit-identical.
 */
class RandomGeneratorsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;
      import java.util.Random;
      import java.util.SplittableRandom;

      public class Mc {
        /** A European call by Monte Carlo, written as a quant would. */
        @Differentiable(order = 2)
        public static double call(double spot, double vol, double rate, double maturity,
            double strike, long seed, int paths) {
          Random rng = new Random(seed);
          double drift = (rate - 0.5 * vol * vol) * maturity;
          double diffusion = vol * Math.sqrt(maturity);
          double sum = 0;
          for (int i = 0; i < paths; i++) {
            double z = rng.nextGaussian();
            double st = spot * Math.exp(drift + diffusion * z);
            sum += Math.max(st - strike, 0);
          }
          return Math.exp(-rate * maturity) * sum / paths;
        }

        /** Draws inside expressions, two in one statement, nextInt(bound), nextBoolean. */
        @Differentiable(order = 2)
        public static double mixed(double a, double b, double[] w, long seed, int n) {
          var rng = new Random(seed);
          double x = a;
          for (int i = 0; i < n; i++) {
            x += 0.1 * Math.sin(x * rng.nextGaussian()) * rng.nextDouble()
                + 0.05 * b * w[rng.nextInt(w.length)];
            if (rng.nextBoolean()) {
              x = x * (1 + 0.01 * rng.nextGaussian()) + 0.001 * b * b;
            }
            long l = rng.nextLong();
            if (l % 3 == 0) {
              x -= 0.02 * a * x;
            }
          }
          return x + rng.nextInt() % 7;
        }

        /** SplittableRandom, Box-Muller by hand, one generator per path. */
        @Differentiable(order = 2)
        public static double splittable(double mu, double sigma, long seed, int paths) {
          double sum = 0;
          for (int p = 0; p < paths; p++) {
            SplittableRandom rng = new SplittableRandom(seed + 31L * p);
            double u1 = 1 - rng.nextDouble();
            double u2 = rng.nextDouble();
            double z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
            double x = mu + sigma * z;
            sum += x * x + Math.exp(0.1 * x);
          }
          return sum / paths;
        }

        /** A helper drawing from its own generator, called per path (its sweeps re-run). */
        static double path(double spot, double vol, long seed, int steps) {
          Random rng = new Random(seed);
          double s = spot;
          for (int k = 0; k < steps; k++) {
            s = s * Math.exp(-0.5 * vol * vol * 0.1 + vol * Math.sqrt(0.1) * rng.nextGaussian());
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double basket(double spot, double vol, long seed, int paths) {
          double sum = 0;
          for (int i = 0; i < paths; i++) {
            double s = path(spot, vol, seed + i, 6);
            sum += Math.log(1 + s * s);
          }
          return sum / paths;
        }

        /** Straight-line draws, no loop. */
        @Differentiable
        public static double straight(double a, double b, long seed) {
          Random rng = new Random(seed);
          double u = rng.nextDouble();
          double y = a * rng.nextGaussian() + b * u;
          return y * y + a * rng.nextGaussian();
        }
      }
      """;

  private static InProcessCompiler compiled;
  private static ObjectModes mc;

  @BeforeAll
  static void compile() {
    compiled = InProcessCompiler.compile(SOURCE);
    mc = new ObjectModes(compiled.load("p.Mc"), compiled.load("p.McDiff"));
    if (Boolean.getBoolean("adjoint.print")) {
      System.out.println(compiled.generatedSource("p.McDiff"));
    }
  }

  @Test
  void monteCarloCallWithRandomInEveryMode() {
    double[] g = mc.check("call", 100.0, 0.2, 0.03, 1.5, 105.0, 42L, 64);
    // delta and vega of an at-the-money-ish call are positive
    assertThat(g[0]).isGreaterThan(0.0);
    assertThat(g[1]).isGreaterThan(0.0);
  }

  @Test
  void drawsInsideExpressionsAndConditions() {
    mc.check("mixed", 0.7, -0.4, new double[] {0.3, -1.2, 2.0, 0.5, 0.9}, 7L, 25);
  }

  @Test
  void splittableRandomPerPath() {
    mc.check("splittable", 0.3, 1.1, 11L, 40);
  }

  @Test
  void helperWithItsOwnGeneratorCalledPerPath() {
    mc.check("basket", 1.2, 0.3, 3L, 12);
  }

  @Test
  void jacobianAndHessianSeeTheSameDraws() throws Exception {
    Class<?> diff = compiled.load("p.McDiff");
    Class<?> src = compiled.load("p.Mc");
    double[] w = {0.3, -1.2, 2.0, 0.5, 0.9};
    double plain = (double) src.getMethod("mixed", double.class, double.class, double[].class,
        long.class, int.class).invoke(null, 0.7, -0.4, w, 7L, 25);
    Object grad = diff.getMethod("mixedGrad", double.class, double.class, double[].class,
        long.class, int.class).invoke(null, 0.7, -0.4, w, 7L, 25);
    double[][] h = (double[][]) diff.getMethod("mixedHessian", double.class, double.class,
        double[].class, long.class, int.class).invoke(null, 0.7, -0.4, w, 7L, 25);
    assertThat((double) grad.getClass().getMethod("value").invoke(grad)).isEqualTo(plain);
    for (int i = 0; i < h.length; i++) {
      for (int j = 0; j < i; j++) {
        assertThat(h[i][j]).isWithin(1e-9 * (1 + Math.abs(h[j][i]))).of(h[j][i]);
      }
    }
  }

  @Test
  void straightLineDraws() {
    mc.check("straight", 0.8, -1.3, 5L);
  }
}
