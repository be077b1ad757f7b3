package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.Functions;
import dev.adjoint.samples.FunctionsDiff;
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
 * The cost of second derivatives against the gradient, on the extended Rosenbrock function in n
 * dimensions: objective, gradient (reverse mode on a reused tape), one Hessian-vector product
 * (the reverse transform of the forward transform), the whole Hessian (n of those), and one
 * forward-mode directional derivative.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HessianBenchmark {
  @Param({"100"})
  public int n;

  private double[] x;
  private double[] direction;
  private double[] gradient;
  private final Tape tape = new Tape();

  @Setup
  public void setUp() {
    x = new double[n];
    direction = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = -1.2 + 0.01 * i;
      direction[i] = Math.sin(i);
    }
    gradient = new double[n];
  }

  @Benchmark
  public double objective() {
    return Functions.rosenbrock(x);
  }

  @Benchmark
  public double gradient() {
    Arrays.fill(gradient, 0);
    return FunctionsDiff.rosenbrockAdjoint(x, 1.0, gradient, tape);
  }

  @Benchmark
  public double tangent() {
    return FunctionsDiff.rosenbrockJvp(x, direction).tangent();
  }

  @Benchmark
  public double[] hessianVector() {
    return FunctionsDiff.rosenbrockHvp(x, direction);
  }

  @Benchmark
  public double[][] hessian() {
    return FunctionsDiff.rosenbrockHessian(x);
  }
}
