package dev.adjoint.benchmarks.hipparchus;

import dev.adjoint.samples.adbench.Ba;
import dev.adjoint.samples.adbench.BaInput;
import org.hipparchus.analysis.differentiation.Gradient;

/**
 * The bundle-adjustment Jacobian with Hipparchus's forward-mode {@link Gradient}: per
 * observation, its 15 inputs (camera, point, weight) are the free parameters, the structure a
 * Java user would exploit by hand.
 */
public final class HipparchusBa {
  private HipparchusBa() {}

  private static final int WIDTH = Ba.CAMERA + Ba.POINT + 1;

  /**
   * Fills {@code rows} (15 values per reprojection row, 2 rows per observation, as {@code
   * BaJacobian}) and returns the sum of the residuals (so that nothing is dead code).
   */
  public static double jacobian(BaInput in, double[] rows) {
    double sum = 0;
    Gradient[] camera = new Gradient[Ba.CAMERA];
    Gradient[] point = new Gradient[Ba.POINT];
    for (int i = 0; i < in.observations(); i++) {
      double[] cam = in.cameras()[in.observationCamera()[i]];
      double[] pt = in.points()[in.observationPoint()[i]];
      for (int j = 0; j < Ba.CAMERA; j++) {
        camera[j] = Gradient.variable(WIDTH, j, cam[j]);
      }
      for (int j = 0; j < Ba.POINT; j++) {
        point[j] = Gradient.variable(WIDTH, Ba.CAMERA + j, pt[j]);
      }
      Gradient w = Gradient.variable(WIDTH, WIDTH - 1, in.weights()[i]);
      Gradient[] error = reprojectionError(camera, point, w, in.features()[i]);
      System.arraycopy(error[0].getGradient(), 0, rows, 2 * i * WIDTH, WIDTH);
      System.arraycopy(error[1].getGradient(), 0, rows, (2 * i + 1) * WIDTH, WIDTH);
      double weight = in.weights()[i];
      sum += error[0].getValue() + error[1].getValue() + (1 - weight * weight) - 2 * weight;
    }
    return sum;
  }

  static Gradient[] reprojectionError(Gradient[] cam, Gradient[] x, Gradient w, double[] feat) {
    Gradient xo0 = x[0].subtract(cam[3]);
    Gradient xo1 = x[1].subtract(cam[4]);
    Gradient xo2 = x[2].subtract(cam[5]);
    Gradient r0 = cam[0];
    Gradient r1 = cam[1];
    Gradient r2 = cam[2];
    Gradient theta2 = r0.multiply(r0).add(r1.multiply(r1)).add(r2.multiply(r2));
    Gradient xc0;
    Gradient xc1;
    Gradient xc2;
    if (theta2.getValue() != 0) {
      Gradient theta = theta2.sqrt();
      Gradient cos = theta.cos();
      Gradient sin = theta.sin();
      Gradient w0 = r0.divide(theta);
      Gradient w1 = r1.divide(theta);
      Gradient w2 = r2.divide(theta);
      Gradient cross0 = w1.multiply(xo2).subtract(w2.multiply(xo1));
      Gradient cross1 = w2.multiply(xo0).subtract(w0.multiply(xo2));
      Gradient cross2 = w0.multiply(xo1).subtract(w1.multiply(xo0));
      Gradient along = w0.multiply(xo0).add(w1.multiply(xo1)).add(w2.multiply(xo2))
          .multiply(cos.negate().add(1));
      xc0 = xo0.multiply(cos).add(cross0.multiply(sin)).add(w0.multiply(along));
      xc1 = xo1.multiply(cos).add(cross1.multiply(sin)).add(w1.multiply(along));
      xc2 = xo2.multiply(cos).add(cross2.multiply(sin)).add(w2.multiply(along));
    } else {
      xc0 = xo0.add(r1.multiply(xo2)).subtract(r2.multiply(xo1));
      xc1 = xo1.add(r2.multiply(xo0)).subtract(r0.multiply(xo2));
      xc2 = xo2.add(r0.multiply(xo1)).subtract(r1.multiply(xo0));
    }
    Gradient p0 = xc0.divide(xc2);
    Gradient p1 = xc1.divide(xc2);
    Gradient rho = p0.multiply(p0).add(p1.multiply(p1));
    Gradient distortion = cam[9].multiply(rho).add(cam[10].multiply(rho).multiply(rho)).add(1);
    Gradient e0 = cam[6].multiply(p0).multiply(distortion).add(cam[7]).subtract(feat[0]).multiply(w);
    Gradient e1 = cam[6].multiply(p1).multiply(distortion).add(cam[8]).subtract(feat[1]).multiply(w);
    return new Gradient[] {e0, e1};
  }
}
