package dev.adjoint.samples.spark;

import dev.adjoint.spark.AdjointGradient;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.optimization.Gradient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Examples per second on one core through MLlib's {@link Gradient} interface, the way {@code
 * LBFGS.runLBFGS} calls it inside a partition (one call per example, adding into one buffer):
 * {@link AdjointGradient} over the generated {@code NetworkDiff::lossAdjoint} against {@link
 * HandWrittenGradient}, in the same run.
 *
 * <p>Run it with {@code mvn -B -ntp -q -DskipTests -pl samples-optimisers -am
 * -Pspark-benchmark package} (short mode: one fork, 3 warm-up and 5 measured seconds per
 * benchmark; {@code -Dspark.benchmark.mode=full} for 3 forks of 5 + 10).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(GradientBenchmark.EXAMPLES)
public class GradientBenchmark {
  /** Examples per benchmark invocation (a partition's worth of work, small enough for L2). */
  static final int EXAMPLES = 4096;

  /** Hidden units of the network. */
  @Param({"8", "32"})
  public int hidden;

  private DenseVector[] features;
  private double[] labels;
  private DenseVector weights;
  private DenseVector cumGradient;
  private final Gradient adjoint = new AdjointGradient(NetworkDiff::lossAdjoint);
  private final Gradient handWritten = new HandWrittenGradient();

  /** Random examples and weights. */
  @Setup
  public void setUp() {
    Random random = new Random(1);
    features = new DenseVector[EXAMPLES];
    labels = new double[EXAMPLES];
    for (int i = 0; i < EXAMPLES; i++) {
      features[i] = new DenseVector(new double[] {4 * random.nextDouble() - 2, 4 * random.nextDouble() - 2});
      labels[i] = random.nextBoolean() ? 1 : 0;
    }
    double[] w = new double[Network.weightCount(hidden)];
    for (int i = 0; i < w.length; i++) {
      w[i] = 0.5 * random.nextGaussian();
    }
    weights = new DenseVector(w);
    cumGradient = new DenseVector(new double[w.length]);
  }

  private double pass(Gradient gradient) {
    Arrays.fill(cumGradient.values(), 0.0);
    double loss = 0;
    for (int i = 0; i < EXAMPLES; i++) {
      loss += gradient.compute(features[i], labels[i], weights, cumGradient);
    }
    return loss + cumGradient.values()[0];
  }

  /** @return the summed loss, so that nothing is dead code */
  @Benchmark
  public double adjoint() {
    return pass(adjoint);
  }

  /** @return the summed loss, so that nothing is dead code */
  @Benchmark
  public double handWritten() {
    return pass(handWritten);
  }

  /**
   * Runs both benchmarks and prints examples per second per core and their ratio.
   *
   * @param args {@code short} (default) or {@code full}
   * @throws RunnerException when JMH fails
   */
  public static void main(String[] args) throws RunnerException {
    boolean full = args.length > 0 && args[0].equals("full");
    Options options = new OptionsBuilder()
        .include(GradientBenchmark.class.getName() + "\\.")
        .forks(full ? 3 : 1)
        .warmupIterations(full ? 5 : 3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(full ? 10 : 5)
        .measurementTime(TimeValue.seconds(1))
        .threads(1)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    System.out.println();
    System.out.println("| hidden units | weights | Adjoint (examples/s, 1 core) | hand-written (examples/s, 1 core) | Adjoint / hand-written |");
    System.out.println("| ---: | ---: | ---: | ---: | ---: |");
    for (String h : new String[] {"8", "32"}) {
      double a = score(results, "adjoint", h);
      double b = score(results, "handWritten", h);
      System.out.printf(Locale.ROOT, "| %s | %d | %,.0f ± %,.0f | %,.0f ± %,.0f | %.2f |%n", h,
          Network.weightCount(Integer.parseInt(h)), a, error(results, "adjoint", h), b,
          error(results, "handWritten", h), a / b);
    }
  }

  private static RunResult find(Collection<RunResult> results, String method, String hidden) {
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().endsWith("." + method)
            && hidden.equals(r.getParams().getParam("hidden")))
        .findFirst().orElseThrow();
  }

  private static double score(Collection<RunResult> results, String method, String hidden) {
    return find(results, method, hidden).getPrimaryResult().getScore();
  }

  private static double error(Collection<RunResult> results, String method, String hidden) {
    double e = find(results, method, hidden).getPrimaryResult().getScoreError();
    return Double.isNaN(e) ? 0 : e;
  }
}
