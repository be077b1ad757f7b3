package dev.adjoint.processor.kernel;

import dev.adjoint.processor.testing.InProcessCompiler;

/**
 * The elementwise methods the kernel tests compile once and share: the benchmark's activation,
 * a two-input function with a branch, a reassigned local (which needs the tape), a call of
 * another kernel, a float parameter and a Math constant, and a function of three inputs with
 * min, max, abs and a named constant.
 */
final class KernelFixtures {
  static final String SOURCE = """
      package p;

      import dev.adjoint.Differentiable;
      import dev.adjoint.Elementwise;

      public final class Fns {
        static final double HALF = 0.5;

        /** The issue's benchmark function: tanh(4 cos^2 x). */
        @Differentiable
        @Elementwise
        public static double act(double x) {
          double c = Math.cos(x);
          return Math.tanh(4 * c * c);
        }

        @Differentiable
        @Elementwise
        public static double branchy(double x, float y) {
          double s = x;
          if (x > y) {
            s = x * Math.PI;
          } else {
            s = act(y) * x;
          }
          s = s * s;
          return Math.max(s, y) + Math.abs(x);
        }

        @Differentiable
        @Elementwise
        public static double mix(double a, double b, double c) {
          double m = Math.min(a, b) * Math.exp(-HALF * c * c);
          double r = Math.sqrt(a * a + b * b + 1);
          return m / r + Math.log1p(Math.abs(c)) - Math.atan2(a, b + 3);
        }

        @Differentiable(wrt = "x")
        @Elementwise
        public static float scaled(float x, double k) {
          float y = (float) Math.sin(x);
          return y * y * (float) k;
        }
      }
      """;

  private static InProcessCompiler compiled;

  private KernelFixtures() {}

  static synchronized InProcessCompiler compiled() {
    if (compiled == null) {
      compiled = InProcessCompiler.compile(SOURCE);
    }
    return compiled;
  }

  static String cuda() {
    return KernelSources.cuda(compiled(), "FnsKernels.cu");
  }
}
