package dev.adjoint.benchmarks;

import dev.adjoint.benchmarks.hipparchus.HipparchusBa;
import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.Ba;
import dev.adjoint.samples.adbench.BaInput;
import dev.adjoint.samples.adbench.BaJacobian;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ADBench BA ba1 (49 cameras, 7 776 points, 31 843 observations): the residuals, then the full
 * sparse Jacobian by Adjoint (one vector reverse sweep per observation), by Hipparchus (15 free
 * parameters per observation) and by central differences (30 projections per observation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BaBenchmark {
  private BaInput in;
  private final Tape tape = new Tape();
  private BaJacobian jacobian;
  private double[] reprojection;
  private double[] weight;
  private double[] rows;

  @Setup
  public void setup() {
    in = BaInput.read(BaInput.BA1);
    jacobian = new BaJacobian(in.observations());
    reprojection = new double[2 * in.observations()];
    weight = new double[in.observations()];
    rows = new double[2 * in.observations() * BaJacobian.ROW_NONZEROS];
  }

  @Benchmark
  public double objective() {
    BaJacobian.residuals(in, reprojection, weight);
    return reprojection[0] + weight[0];
  }

  @Benchmark
  public double adjoint() {
    jacobian.compute(in, tape);
    return jacobian.reprojectionError(0, 0);
  }

  @Benchmark
  public double hipparchus() {
    return HipparchusBa.jacobian(in, rows);
  }

  @Benchmark
  public double finiteDifferences() {
    double sum = 0;
    for (int i = 0; i < in.observations(); i++) {
      double[] camera = in.cameras()[in.observationCamera()[i]];
      double[] point = in.points()[in.observationPoint()[i]];
      double[] feature = in.features()[i];
      double[] w = {in.weights()[i]};
      int at = 2 * i * BaJacobian.ROW_NONZEROS;
      at = columns(camera, camera, point, w, feature, at);
      at = columns(point, camera, point, w, feature, at);
      columns(w, camera, point, w, feature, at);
      sum += rows[2 * i * BaJacobian.ROW_NONZEROS];
    }
    return sum;
  }

  /** Both rows' entries for the inputs in {@code perturbed}, by two projections per input. */
  private int columns(double[] perturbed, double[] camera, double[] point, double[] w,
      double[] feature, int at) {
    for (int j = 0; j < perturbed.length; j++) {
      double x = perturbed[j];
      double h = 6e-6 * Math.max(1, Math.abs(x));
      perturbed[j] = x + h;
      double[] plus = Ba.reprojectionError(camera, point, w[0], feature);
      perturbed[j] = x - h;
      double[] minus = Ba.reprojectionError(camera, point, w[0], feature);
      perturbed[j] = x;
      rows[at] = (plus[0] - minus[0]) / (2 * h);
      rows[at + BaJacobian.ROW_NONZEROS] = (plus[1] - minus[1]) / (2 * h);
      at++;
    }
    return at;
  }
}
