package dev.adjoint.samples.notebook;

import dev.adjoint.Differentiable;

/**
 * The notebook's small functions that the other sample classes do not already hold, each the
 * Java counterpart of a PyTorch or TensorFlow cell. Their derivatives: {@code LessonsDiff}.
 */
public final class Lessons {
  private Lessons() {}

  /** Accumulation rule: z = y1 y2 / y3 with y1 = x^2, y2 = cos x, y3 = atan x; keeps dz/dy_i. */
  @Differentiable(retain = {"y1", "y2", "y3"})
  public static double accumulation(double x) {
    double y1 = x * x;
    double y2 = Math.cos(x);
    double y3 = Math.atan(x);
    return y1 * y2 / y3;
  }

  /** PyTorch's first graph: y = a x, z = y^2, with only x a leaf that requires grad. */
  @Differentiable(wrt = "x")
  public static double squareOfProductInX(double x, double a) {
    double y = a * x;
    return y * y;
  }

  /** The same graph with both x and a requiring grad, and y's gradient retained. */
  @Differentiable(retain = "y")
  public static double squareOfProduct(double x, double a) {
    double y = a * x;
    return y * y;
  }

  /** The diamond: z = (x^2 cos x)^2; at pi, z = pi^4 and dz/dx = 4 pi^3. */
  @Differentiable
  public static double diamond(double x) {
    double a = x * x;
    double b = Math.cos(x);
    double y = a * b;
    return y * y;
  }

  /** y = a x with a constant: the first backward of the retain_graph cell. */
  @Differentiable(wrt = "x")
  public static double product(double x, double a) {
    return a * x;
  }

  /** z = (a x)^2: the second backward of the retain_graph cell. */
  @Differentiable(wrt = "x")
  public static double productSquared(double x, double a) {
    double y = a * x;
    return y * y;
  }

  /** y = x^2. */
  @Differentiable
  public static double square(double x) {
    return x * x;
  }

  /**
   * The GPU-memory cell: A = rand(1000), then n times A = A * rand(1000). {@code factors} holds
   * the n random vectors; the result sums A so that it is a scalar.
   */
  @Differentiable(wrt = "a")
  public static double someCalculus(double[] a, double[][] factors) {
    double[] product = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      product[i] = a[i];
    }
    for (int k = 0; k < factors.length; k++) {
      for (int i = 0; i < a.length; i++) {
        product[i] = product[i] * factors[k][i];
      }
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += product[i];
    }
    return sum;
  }

  /** u = x^2 + y, the notebook's second-derivative example (u_xx = 2): order 2 for its Hessian. */
  @Differentiable(order = 2)
  public static double u(double x, double y) {
    return x * x + y;
  }

  /** Failure A: z = y^2 does not depend on x (a warning, ADJ111, and an exact zero). */
  @Differentiable
  public static double unusedInput(double x, double y) {
    return y * y;
  }

  /** Failure B: z1 = y^3 and z2 = (y - 3)^3 with y = x^2 + 1. */
  @Differentiable
  public static double z1(double x) {
    double y = x * x + 1;
    return y * y * y;
  }

  /** Failure B, second output. */
  @Differentiable
  public static double z2(double x) {
    double y = x * x + 1;
    double d = y - 3;
    return d * d * d;
  }

  /** Failure C: two graphs from one leaf, y^3 and (y - 3)^3. */
  @Differentiable
  public static double cube(double y) {
    return y * y * y;
  }

  /** Failure C, second graph. */
  @Differentiable
  public static double shiftedCube(double y) {
    double d = y - 3;
    return d * d * d;
  }

  /** Failures D and E: y = x^2 + 1. */
  @Differentiable
  public static double squarePlusOne(double x) {
    return x * x + 1;
  }

  /** Failure G: B = A^2 elementwise, a non-scalar output (a 2 x 2 matrix, flattened). */
  @Differentiable
  public static double[] elementwiseSquare(double[][] a) {
    double[] b = new double[4];
    b[0] = a[0][0] * a[0][0];
    b[1] = a[0][1] * a[0][1];
    b[2] = a[1][0] * a[1][0];
    b[3] = a[1][1] * a[1][1];
    return b;
  }

  /** Exercise: z = exp((x1 + x2)^2 x3); at (2, 0, 1), z = e^4 = 54.5981... */
  @Differentiable
  public static double drawing(double x1, double x2, double x3) {
    double y = (x1 + x2) * (x1 + x2);
    return Math.exp(y * x3);
  }

  /** Exercise: z = (x1 / x2)^2, keeping dz/dy for y = x1 / x2; at (2, 1), dz/dx2 = -8. */
  @Differentiable(retain = "y")
  public static double quotientSquared(double x1, double x2) {
    double y = x1 / x2;
    return y * y;
  }

  /** 3x^2, whose fourth derivative PyTorch cannot take (the notebook shows the error). */
  @Differentiable(order = 4)
  public static double threeXSquared(double x) {
    return 3 * x * x;
  }
}
