package dev.adjoint.samples.adbench;

import dev.adjoint.Differentiable;

/**
 * ADBench's bundle-adjustment residual: the weighted reprojection error of one observed point in
 * one camera (see {@code adbench/OBJECTIVES.md}). A camera is 11 values: angle-axis rotation (3),
 * centre (3), focal length, principal point (2), radial distortion (2). Its Jacobian row pair
 * comes from {@code BaDiff.reprojectionErrorJacobian}: one forward and one reverse sweep for both.
 */
public final class Ba {
  private Ba() {}

  /** Values per camera, per point. */
  public static final int CAMERA = 11;

  public static final int POINT = 3;

  /**
   * The two reprojection residuals {@code w (proj(camera, point) - feature)}.
   *
   * @param camera the 11 camera parameters
   * @param point the 3D point
   * @param w the observation's weight
   * @param feature the observed 2D position (a constant)
   */
  @Differentiable(wrt = {"camera", "point", "w"})
  public static double[] reprojectionError(
      double[] camera, double[] point, double w, double[] feature) {
    double xo0 = point[0] - camera[3];
    double xo1 = point[1] - camera[4];
    double xo2 = point[2] - camera[5];
    double r0 = camera[0];
    double r1 = camera[1];
    double r2 = camera[2];
    // Rodrigues' rotation of the point into the camera frame.
    double theta2 = r0 * r0 + r1 * r1 + r2 * r2;
    double xc0;
    double xc1;
    double xc2;
    if (theta2 != 0) {
      double theta = Math.sqrt(theta2);
      double cos = Math.cos(theta);
      double sin = Math.sin(theta);
      double w0 = r0 / theta;
      double w1 = r1 / theta;
      double w2 = r2 / theta;
      double wCross0 = w1 * xo2 - w2 * xo1;
      double wCross1 = w2 * xo0 - w0 * xo2;
      double wCross2 = w0 * xo1 - w1 * xo0;
      double along = (w0 * xo0 + w1 * xo1 + w2 * xo2) * (1 - cos);
      xc0 = xo0 * cos + wCross0 * sin + w0 * along;
      xc1 = xo1 * cos + wCross1 * sin + w1 * along;
      xc2 = xo2 * cos + wCross2 * sin + w2 * along;
    } else {
      // First order at theta = 0: X + r x X.
      xc0 = xo0 + r1 * xo2 - r2 * xo1;
      xc1 = xo1 + r2 * xo0 - r0 * xo2;
      xc2 = xo2 + r0 * xo1 - r1 * xo0;
    }
    double p0 = xc0 / xc2;
    double p1 = xc1 / xc2;
    // Radial distortion.
    double rho = p0 * p0 + p1 * p1;
    double distortion = 1 + camera[9] * rho + camera[10] * rho * rho;
    double[] error = new double[2];
    error[0] = w * (camera[6] * p0 * distortion + camera[7] - feature[0]);
    error[1] = w * (camera[6] * p1 * distortion + camera[8] - feature[1]);
    return error;
  }

  /** The weight residual {@code 1 - w^2}; its derivative {@code -2 w} is written by hand. */
  public static double weightError(double w) {
    return 1 - w * w;
  }
}
