package dev.adjoint.samples;

import dev.adjoint.Differentiable;

/** Small scalar functions exercising the differentiation rules. Gradients: {@code FunctionsDiff}. */
public final class Functions {

  private Functions() {}

  /** {@code 3x(x² + x)}; derivative {@code 9x² + 6x}. */
  @Differentiable
  public static double cubic(double x) {
    return 3 * x * (x * x + x);
  }

  /** {@code tanh(4 cos²x)}. */
  @Differentiable
  public static double tanhCosSquared(double x) {
    double y = Math.cos(x);
    double z = 4 * y * y;
    return Math.tanh(z);
  }

  /** {@code x² cos x / atan x}. */
  @Differentiable
  public static double accumulation(double x) {
    return x * x * Math.cos(x) / Math.atan(x);
  }

  /** Three inputs, shared subexpressions. */
  @Differentiable
  public static double complexe(double x, double y, double z) {
    double a = Math.atan(x / y);
    double b = Math.cos(z * z - x);
    return x * y * a * b / z + a - b;
  }

  /** {@code (x + 3)²}, via a loop that overwrites the parameter. */
  @Differentiable
  public static double loopIncrement(double x) {
    for (int i = 0; i < 3; i++) {
      x = x + 1;
    }
    return x * x;
  }

  /**
   * The extended Rosenbrock function, sum of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2: the classic
   * test of Newton's method, with a tridiagonal Hessian ({@code FunctionsDiff.rosenbrockHessian}).
   */
  @Differentiable(order = 2)
  public static double rosenbrock(double[] x) {
    double sum = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = 1 - x[i];
      double b = x[i + 1] - x[i] * x[i];
      sum += a * a + 100 * b * b;
    }
    return sum;
  }
}
