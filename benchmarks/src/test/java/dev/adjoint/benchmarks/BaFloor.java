package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.Ba;
import dev.adjoint.samples.adbench.BaInput;
import dev.adjoint.samples.adbench.BaJacobian;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A hand-written Jacobian of {@link Ba#reprojectionError}, the floor for the generated {@code
 * BaDiff.reprojectionErrorJacobian}: one forward sweep whose values stay in locals (the {@code
 * sin} and {@code cos} of the rotation reused by the reverse), then the reverse sweep once per
 * row in a loop over the two rows, scalar adjoints, each row's entries written straight into
 * the caller's buffer; no tape, no arrays but the result. {@code BaFloorTest} checks it against
 * the generated Jacobian.
 *
 * <p>{@link #main} times the objective ({@link BaJacobian#residuals}), the generated Jacobian
 * ({@link BaJacobian#compute}) and {@link #compute}, the same loop over the observations with
 * this Jacobian, interleaved in rounds, in thread CPU time, and prints the median ratios to the
 * objective over 30 rounds with their interquartile range:
 *
 * <pre>{@code
 * mvn -B -ntp -q -DskipTests -pl benchmarks -am test-compile
 * java -cp benchmarks/target/classes:benchmarks/target/test-classes:runtime/target/classes:samples/target/classes \
 *     dev.adjoint.benchmarks.BaFloor
 * }</pre>
 */
public final class BaFloor {
  private BaFloor() {}

  /**
   * The two residuals of {@link Ba#reprojectionError}, returned in a new array, and their
   * derivatives by camera (11), point (3) and {@code w}, written into {@code rows[0]} and {@code
   * rows[1]} (15 each).
   */
  static double[] reprojectionErrorJacobian(double[] camera, double[] point, double w,
      double[] feature, double[][] rows) {
    double xo0 = point[0] - camera[3];
    double xo1 = point[1] - camera[4];
    double xo2 = point[2] - camera[5];
    double r0 = camera[0];
    double r1 = camera[1];
    double r2 = camera[2];
    double theta2 = r0 * r0 + r1 * r1 + r2 * r2;
    boolean rotated = theta2 != 0;
    double theta = 0;
    double cos = 0;
    double sin = 0;
    double w0 = 0;
    double w1 = 0;
    double w2 = 0;
    double wCross0 = 0;
    double wCross1 = 0;
    double wCross2 = 0;
    double dot = 0;
    double along = 0;
    double xc0;
    double xc1;
    double xc2;
    if (rotated) {
      theta = Math.sqrt(theta2);
      cos = Math.cos(theta);
      sin = Math.sin(theta);
      w0 = r0 / theta;
      w1 = r1 / theta;
      w2 = r2 / theta;
      wCross0 = w1 * xo2 - w2 * xo1;
      wCross1 = w2 * xo0 - w0 * xo2;
      wCross2 = w0 * xo1 - w1 * xo0;
      dot = w0 * xo0 + w1 * xo1 + w2 * xo2;
      along = dot * (1 - cos);
      xc0 = xo0 * cos + wCross0 * sin + w0 * along;
      xc1 = xo1 * cos + wCross1 * sin + w1 * along;
      xc2 = xo2 * cos + wCross2 * sin + w2 * along;
    } else {
      xc0 = xo0 + r1 * xo2 - r2 * xo1;
      xc1 = xo1 + r2 * xo0 - r0 * xo2;
      xc2 = xo2 + r0 * xo1 - r1 * xo0;
    }
    double p0 = xc0 / xc2;
    double p1 = xc1 / xc2;
    double rho = p0 * p0 + p1 * p1;
    double k1 = camera[9];
    double k2 = camera[10];
    double distortion = 1 + k1 * rho + k2 * rho * rho;
    double f = camera[6];
    double[] error = new double[2];
    double u0 = f * p0 * distortion + camera[7] - feature[0];
    double u1 = f * p1 * distortion + camera[8] - feature[1];
    error[0] = w * u0;
    error[1] = w * u1;
    for (int axis = 0; axis < 2; axis++) {
      double[] row = rows[axis];
      double p = axis == 0 ? p0 : p1;
      // error[axis] = w (f p distortion + camera[7 + axis] - feature[axis])
      double distortionBar = w * f * p;
      double pBar = w * f * distortion;
      double rhoBar = distortionBar * (k1 + 2 * k2 * rho);
      double p0Bar = 2 * rhoBar * p0 + (axis == 0 ? pBar : 0);
      double p1Bar = 2 * rhoBar * p1 + (axis == 1 ? pBar : 0);
      double xc0Bar = p0Bar / xc2;
      double xc1Bar = p1Bar / xc2;
      double xc2Bar = -(p0Bar * p0 + p1Bar * p1) / xc2;
      double xo0Bar;
      double xo1Bar;
      double xo2Bar;
      double r0Bar;
      double r1Bar;
      double r2Bar;
      if (rotated) {
        // xc = xo cos + wCross sin + w along; along = dot (1 - cos); wCross = w x xo.
        double cosBar = xc0Bar * xo0 + xc1Bar * xo1 + xc2Bar * xo2;
        double sinBar = xc0Bar * wCross0 + xc1Bar * wCross1 + xc2Bar * wCross2;
        double alongBar = xc0Bar * w0 + xc1Bar * w1 + xc2Bar * w2;
        double dotBar = alongBar * (1 - cos);
        cosBar -= alongBar * dot;
        double wc0Bar = xc0Bar * sin;
        double wc1Bar = xc1Bar * sin;
        double wc2Bar = xc2Bar * sin;
        // w bar: xc bar along, dot bar xo, xo x wCross bar.
        double w0Bar = xc0Bar * along + dotBar * xo0 + (xo1 * wc2Bar - xo2 * wc1Bar);
        double w1Bar = xc1Bar * along + dotBar * xo1 + (xo2 * wc0Bar - xo0 * wc2Bar);
        double w2Bar = xc2Bar * along + dotBar * xo2 + (xo0 * wc1Bar - xo1 * wc0Bar);
        // xo bar: xc bar cos, dot bar w, wCross bar x w.
        xo0Bar = xc0Bar * cos + dotBar * w0 + (wc1Bar * w2 - wc2Bar * w1);
        xo1Bar = xc1Bar * cos + dotBar * w1 + (wc2Bar * w0 - wc0Bar * w2);
        xo2Bar = xc2Bar * cos + dotBar * w2 + (wc0Bar * w1 - wc1Bar * w0);
        double thetaBar = sinBar * cos - cosBar * sin
            - (w0Bar * w0 + w1Bar * w1 + w2Bar * w2) / theta;
        double theta2Bar = thetaBar * 0.5 / theta;
        r0Bar = w0Bar / theta + 2 * theta2Bar * r0;
        r1Bar = w1Bar / theta + 2 * theta2Bar * r1;
        r2Bar = w2Bar / theta + 2 * theta2Bar * r2;
      } else {
        // xc = xo + r x xo.
        xo0Bar = xc0Bar + (xc1Bar * r2 - xc2Bar * r1);
        xo1Bar = xc1Bar + (xc2Bar * r0 - xc0Bar * r2);
        xo2Bar = xc2Bar + (xc0Bar * r1 - xc1Bar * r0);
        r0Bar = xo1 * xc2Bar - xo2 * xc1Bar;
        r1Bar = xo2 * xc0Bar - xo0 * xc2Bar;
        r2Bar = xo0 * xc1Bar - xo1 * xc0Bar;
      }
      row[0] = r0Bar;
      row[1] = r1Bar;
      row[2] = r2Bar;
      row[3] = -xo0Bar;
      row[4] = -xo1Bar;
      row[5] = -xo2Bar;
      row[6] = w * p * distortion;
      row[7] = axis == 0 ? w : 0;
      row[8] = axis == 1 ? w : 0;
      row[9] = distortionBar * rho;
      row[10] = distortionBar * rho * rho;
      row[11] = xo0Bar;
      row[12] = xo1Bar;
      row[13] = xo2Bar;
      row[14] = axis == 0 ? u0 : u1;
    }
    return error;
  }

  /** {@link BaJacobian#compute}'s loop with this Jacobian: rows and residuals into the arrays. */
  static void compute(BaInput input, double[][] rows, double[] reprojectionRows,
      double[] weightRows, double[] reprojectionErrors, double[] weightErrors) {
    double[][] cameras = input.cameras();
    double[][] points = input.points();
    double[] weights = input.weights();
    double[][] features = input.features();
    int[] cameraOf = input.observationCamera();
    int[] pointOf = input.observationPoint();
    int n = BaJacobian.ROW_NONZEROS;
    for (int i = 0; i < weights.length; i++) {
      double[] error = reprojectionErrorJacobian(cameras[cameraOf[i]], points[pointOf[i]],
          weights[i], features[i], rows);
      System.arraycopy(rows[0], 0, reprojectionRows, 2 * i * n, n);
      System.arraycopy(rows[1], 0, reprojectionRows, (2 * i + 1) * n, n);
      reprojectionErrors[2 * i] = error[0];
      reprojectionErrors[2 * i + 1] = error[1];
      weightErrors[i] = Ba.weightError(weights[i]);
      weightRows[i] = -2 * weights[i];
    }
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /**
   * Times the objective, the generated Jacobian and this one on ADBench's ba1.
   *
   * @param args none
   */
  public static void main(String[] args) {
    BaInput in = BaInput.read(BaInput.BA1);
    int p = in.observations();
    double[] reprojection = new double[2 * p];
    double[] weight = new double[p];
    BaJacobian generated = new BaJacobian(p);
    Tape tape = new Tape();
    double[][] rows = new double[2][BaJacobian.ROW_NONZEROS];
    double[] reprojectionRows = new double[2 * p * BaJacobian.ROW_NONZEROS];
    double[] weightRows = new double[p];
    double[] reprojectionErrors = new double[2 * p];
    double[] weightErrors = new double[p];
    Runnable objective = () -> BaJacobian.residuals(in, reprojection, weight);
    Runnable generatedJacobian = () -> generated.compute(in, tape);
    Runnable hand = () -> compute(in, rows, reprojectionRows, weightRows, reprojectionErrors,
        weightErrors);
    int reps = 1;
    long start = THREADS.getCurrentThreadCpuTime();
    while (THREADS.getCurrentThreadCpuTime() - start < 3_000_000_000L) {
      objective.run();
      generatedJacobian.run();
      hand.run();
    }
    List<Double> generatedRatios = new ArrayList<>();
    List<Double> handRatios = new ArrayList<>();
    double objectiveNanos = 0;
    reps = 10;
    for (int round = 0; round < 40; round++) {
      double o = time(objective, reps);
      double gen = time(generatedJacobian, reps);
      double h = time(hand, reps);
      o = (o + time(objective, reps)) / 2;
      if (round >= 10) {
        generatedRatios.add(gen / o);
        handRatios.add(h / o);
        objectiveNanos = o / reps;
      }
    }
    System.out.printf("BA ba1: objective %.2f ms; generated Jacobian %s; hand-written %s%n",
        objectiveNanos / 1e6, median(generatedRatios), median(handRatios));
  }

  private static double time(Runnable r, int reps) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < reps; i++) {
      r.run();
    }
    return THREADS.getCurrentThreadCpuTime() - t0;
  }

  private static String median(List<Double> ratios) {
    Collections.sort(ratios);
    int n = ratios.size();
    return String.format("%.2f (IQR %.2f - %.2f)", ratios.get(n / 2), ratios.get(n / 4),
        ratios.get(3 * n / 4));
  }
}
