package dev.adjoint.samples;

import dev.adjoint.Differentiable;

/** Lessons of the gradients notebook that need more than a scalar function. */
public final class Notebook {
  private Notebook() {}

  /** t = tanh(4 cos^2 x), keeping the derivatives with respect to y = cos x and z = 4 y^2. */
  @Differentiable(retain = {"y", "z"})
  public static double chain(double x) {
    double y = Math.cos(x);
    double z = 4 * y * y;
    return Math.tanh(z);
  }

  /** y = x w + b, z = y^2, loss = sum z: the notebook's linear model. */
  @Differentiable(wrt = {"w", "b"})
  public static double linearLoss(double[] x, double[][] w, double[] b) {
    double loss = 0;
    for (int j = 0; j < b.length; j++) {
      double y = b[j];
      for (int i = 0; i < x.length; i++) {
        y += x[i] * w[i][j];
      }
      loss += y * y;
    }
    return loss;
  }

  /** A vector function, for its Jacobian: polar to Cartesian coordinates. */
  @Differentiable
  public static double[] polar(double r, double theta) {
    double[] xy = new double[2];
    xy[0] = r * Math.cos(theta);
    xy[1] = r * Math.sin(theta);
    return xy;
  }
}
