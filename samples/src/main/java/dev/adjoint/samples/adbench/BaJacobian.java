package dev.adjoint.samples.adbench;

import dev.adjoint.runtime.Tape;
import java.util.Arrays;

/**
 * The sparse Jacobian of all bundle-adjustment residuals, in ADBench's layout: rows {@code 2i} and
 * {@code 2i+1} (observation {@code i}'s reprojection error) have 15 non-zeros, the 11 columns of
 * its camera, the 3 of its point and the one of its weight; row {@code 2p + i} (its weight error)
 * has one, {@code -2 w_i}. Filled by {@link #compute}, reusable across calls.
 */
public final class BaJacobian {
  /** Non-zeros per reprojection row: camera, point, weight. */
  public static final int ROW_NONZEROS = Ba.CAMERA + Ba.POINT + 1;

  private final double[] reprojectionRows;
  private final double[] weightRows;
  private final double[] reprojectionErrors;
  private final double[] weightErrors;

  // Scratch for one observation's adjoints and seeds; owned by this object.
  private final double[] cameraAdjoint = new double[Ba.CAMERA];
  private final double[] pointAdjoint = new double[Ba.POINT];
  private final double[] weightAdjoint = new double[1];
  private final double[] seedX = {1, 0};
  private final double[] seedY = {0, 1};

  /** An empty Jacobian for {@code observations} observations. */
  public BaJacobian(int observations) {
    reprojectionRows = new double[2 * observations * ROW_NONZEROS];
    weightRows = new double[observations];
    reprojectionErrors = new double[2 * observations];
    weightErrors = new double[observations];
  }

  /**
   * Residuals and Jacobian at {@code input}, with two reverse sweeps per observation (one per
   * residual row) on {@code tape}.
   */
  public void compute(BaInput input, Tape tape) {
    double[][] cameras = input.cameras();
    double[][] points = input.points();
    double[] weights = input.weights();
    double[][] features = input.features();
    int[] cameraOf = input.observationCamera();
    int[] pointOf = input.observationPoint();
    for (int i = 0; i < weights.length; i++) {
      double[] camera = cameras[cameraOf[i]];
      double[] point = points[pointOf[i]];
      double[] error = row(camera, point, weights[i], features[i], seedX, tape, 2 * i);
      row(camera, point, weights[i], features[i], seedY, tape, 2 * i + 1);
      reprojectionErrors[2 * i] = error[0];
      reprojectionErrors[2 * i + 1] = error[1];
      weightErrors[i] = Ba.weightError(weights[i]);
      weightRows[i] = -2 * weights[i];
    }
  }

  private double[] row(double[] camera, double[] point, double w, double[] feature, double[] seed,
      Tape tape, int row) {
    Arrays.fill(cameraAdjoint, 0);
    Arrays.fill(pointAdjoint, 0);
    weightAdjoint[0] = 0;
    double[] error = BaDiff.reprojectionErrorAdjoint(
        camera, point, w, feature, seed, weightAdjoint, cameraAdjoint, pointAdjoint, tape);
    int at = row * ROW_NONZEROS;
    System.arraycopy(cameraAdjoint, 0, reprojectionRows, at, Ba.CAMERA);
    System.arraycopy(pointAdjoint, 0, reprojectionRows, at + Ba.CAMERA, Ba.POINT);
    reprojectionRows[at + Ba.CAMERA + Ba.POINT] = weightAdjoint[0];
    return error;
  }

  /**
   * The plain residuals (the objective ADBench times against the Jacobian): reprojection errors
   * into {@code reprojectionErrors} (2p), weight errors into {@code weightErrors} (p).
   */
  public static void residuals(BaInput input, double[] reprojectionErrors, double[] weightErrors) {
    double[][] cameras = input.cameras();
    double[][] points = input.points();
    double[] weights = input.weights();
    double[][] features = input.features();
    int[] cameraOf = input.observationCamera();
    int[] pointOf = input.observationPoint();
    for (int i = 0; i < weights.length; i++) {
      double[] error = Ba.reprojectionError(
          cameras[cameraOf[i]], points[pointOf[i]], weights[i], features[i]);
      reprojectionErrors[2 * i] = error[0];
      reprojectionErrors[2 * i + 1] = error[1];
      weightErrors[i] = Ba.weightError(weights[i]);
    }
  }

  /** Row {@code 2i + axis}'s 15 non-zeros: camera (11), point (3), weight (1). */
  public double[] reprojectionRow(int observation, int axis) {
    int at = (2 * observation + axis) * ROW_NONZEROS;
    return Arrays.copyOfRange(reprojectionRows, at, at + ROW_NONZEROS);
  }

  /** Row {@code 2p + i}'s one non-zero, {@code -2 w_i}. */
  public double weightRow(int observation) {
    return weightRows[observation];
  }

  /** The reprojection error computed alongside the Jacobian (2 per observation). */
  public double reprojectionError(int observation, int axis) {
    return reprojectionErrors[2 * observation + axis];
  }

  /** The weight error computed alongside the Jacobian. */
  public double weightError(int observation) {
    return weightErrors[observation];
  }
}
