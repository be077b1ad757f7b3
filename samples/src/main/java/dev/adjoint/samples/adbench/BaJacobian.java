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

  // One observation's two rows, filled by BaDiff.reprojectionErrorJacobian; owned by this object.
  private final double[][] rows = new double[2][ROW_NONZEROS];

  /** An empty Jacobian for {@code observations} observations. */
  public BaJacobian(int observations) {
    reprojectionRows = new double[2 * observations * ROW_NONZEROS];
    weightRows = new double[observations];
    reprojectionErrors = new double[2 * observations];
    weightErrors = new double[observations];
  }

  /**
   * Residuals and Jacobian at {@code input}: per observation, one forward sweep and one reverse
   * sweep carrying both residual rows ({@code BaDiff.reprojectionErrorJacobian}) on {@code tape}.
   */
  public void compute(BaInput input, Tape tape) {
    double[][] cameras = input.cameras();
    double[][] points = input.points();
    double[] weights = input.weights();
    double[][] features = input.features();
    int[] cameraOf = input.observationCamera();
    int[] pointOf = input.observationPoint();
    for (int i = 0; i < weights.length; i++) {
      double[] error = BaDiff.reprojectionErrorJacobian(cameras[cameraOf[i]],
          points[pointOf[i]], weights[i], features[i], rows, tape);
      System.arraycopy(rows[0], 0, reprojectionRows, 2 * i * ROW_NONZEROS, ROW_NONZEROS);
      System.arraycopy(rows[1], 0, reprojectionRows, (2 * i + 1) * ROW_NONZEROS, ROW_NONZEROS);
      reprojectionErrors[2 * i] = error[0];
      reprojectionErrors[2 * i + 1] = error[1];
      weightErrors[i] = Ba.weightError(weights[i]);
      weightRows[i] = -2 * weights[i];
    }
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
