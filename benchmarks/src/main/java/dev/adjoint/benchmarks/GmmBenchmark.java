package dev.adjoint.benchmarks;

import dev.adjoint.benchmarks.hipparchus.HipparchusGmm;
import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.Gmm;
import dev.adjoint.samples.adbench.GmmDiff;
import dev.adjoint.samples.adbench.GmmInput;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * ADBench GMM, n = 1000: objective, Adjoint's gradient (through {@code mAdjoint} on a reused tape
 * and through {@code mGrad}), Hipparchus, central differences; and the same objective and
 * gradients for {@link NaturalGmm}, the objective written as ADBench's C++ reference writes it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GmmBenchmark {
  @Param({"d2_K5", "d10_K5", "d64_K10"})
  public String instance;

  private GmmInput in;
  private double[] alphas;
  private double[][] means;
  private double[][] icf;
  private final Tape tape = new Tape();
  private double[] dAlphas;
  private double[][] dMeans;
  private double[][] dIcf;
  private double[] flat;
  private FlatGmmInput natural;
  private double[] dNaturalAlphas;
  private double[] dNaturalMeans;
  private double[] dNaturalIcf;

  /** The shipped file of an instance name. */
  static String path(String instance) {
    return switch (instance) {
      case "d2_K5" -> GmmInput.D2_K5;
      case "d10_K5" -> GmmInput.D10_K5;
      case "d64_K10" -> GmmInput.D64_K10;
      default -> throw new IllegalArgumentException("unknown GMM instance " + instance);
    };
  }

  @Setup
  public void setup() {
    in = GmmInput.read(path(instance));
    alphas = in.alphas();
    means = in.means();
    icf = in.icf();
    dAlphas = new double[alphas.length];
    dMeans = new double[means.length][means[0].length];
    dIcf = new double[icf.length][icf[0].length];
    flat = new double[in.parameterCount()];
    natural = FlatGmmInput.of(in);
    dNaturalAlphas = new double[natural.alphas().length];
    dNaturalMeans = new double[natural.means().length];
    dNaturalIcf = new double[natural.icf().length];
  }

  @Benchmark
  public double objective() {
    return Gmm.objective(alphas, means, icf, in.x(), in.gamma(), in.m());
  }

  @Benchmark
  public double adjoint() {
    Arrays.fill(dAlphas, 0);
    for (double[] row : dMeans) {
      Arrays.fill(row, 0);
    }
    for (double[] row : dIcf) {
      Arrays.fill(row, 0);
    }
    return GmmDiff.objectiveAdjoint(
        alphas, means, icf, in.x(), in.gamma(), in.m(), 1.0, dAlphas, dMeans, dIcf, tape);
  }

  @Benchmark
  public double grad() {
    return GmmDiff.objectiveGrad(alphas, means, icf, in.x(), in.gamma(), in.m()).value();
  }

  @Benchmark
  public double naturalObjective() {
    FlatGmmInput g = natural;
    return NaturalGmm.objective(
        g.d(), g.k(), g.n(), g.alphas(), g.means(), g.icf(), g.x(), g.gamma(), g.m());
  }

  @Benchmark
  public double naturalAdjoint() {
    Arrays.fill(dNaturalAlphas, 0);
    Arrays.fill(dNaturalMeans, 0);
    Arrays.fill(dNaturalIcf, 0);
    FlatGmmInput g = natural;
    return NaturalGmmDiff.objectiveAdjoint(g.d(), g.k(), g.n(), g.alphas(), g.means(), g.icf(),
        g.x(), g.gamma(), g.m(), 1.0, dNaturalAlphas, dNaturalMeans, dNaturalIcf, tape);
  }

  @Benchmark
  public double naturalGrad() {
    FlatGmmInput g = natural;
    return NaturalGmmDiff.objectiveGrad(g.d(), g.k(), g.n(), g.alphas(), g.means(), g.icf(),
        g.x(), g.gamma(), g.m()).value();
  }

  @Benchmark
  public double hipparchus() {
    return HipparchusGmm.pass(in, 0, Coverage.window(flat.length), flat);
  }

  @Benchmark
  public double finiteDifferences() {
    double[][] rows = new double[1 + means.length + icf.length][];
    rows[0] = alphas;
    System.arraycopy(means, 0, rows, 1, means.length);
    System.arraycopy(icf, 0, rows, 1 + means.length, icf.length);
    return CentralDifferences.gradient(
        this::objective, rows, flat, Coverage.window(flat.length));
  }
}
