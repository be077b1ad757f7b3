package dev.adjoint.benchmarks;

import dev.adjoint.benchmarks.hipparchus.HipparchusScalar;
import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.BlackScholes;
import dev.adjoint.samples.BlackScholesDiff;
import dev.adjoint.samples.Functions;
import dev.adjoint.samples.FunctionsDiff;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Two small scalar functions: the notebook's complex function (3 inputs), Black-Scholes (5). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ScalarBenchmark {
  // Fields, not constants, so that the JIT cannot fold the computation away.
  public double x = 7;
  public double y = 5;
  public double z = 2;
  public double[] option = {100, 100, 0.05, 0.2, 1};

  // The finite differences perturb these copies in place.
  private final double[][] complexePoint = {{7, 5, 2}};
  private final double[][] optionPoint = {{100, 100, 0.05, 0.2, 1}};
  private final DoubleSupplier complexeAtPoint = () -> {
    double[] p = complexePoint[0];
    return Functions.complexe(p[0], p[1], p[2]);
  };
  private final DoubleSupplier callAtPoint = () -> {
    double[] o = optionPoint[0];
    return BlackScholes.call(o[0], o[1], o[2], o[3], o[4]);
  };

  private final double[] complexeAdjoints = new double[3];
  private final double[] callAdjoints = new double[5];
  private final double[] fd = new double[5];
  private final Tape tape = new Tape();

  @Benchmark
  public double complexeObjective() {
    return Functions.complexe(x, y, z);
  }

  @Benchmark
  public double complexeAdjoint() {
    complexeAdjoints[0] = 0;
    complexeAdjoints[1] = 0;
    complexeAdjoints[2] = 0;
    return FunctionsDiff.complexeAdjoint(x, y, z, 1.0, complexeAdjoints, tape);
  }

  @Benchmark
  public double complexeHipparchus() {
    return HipparchusScalar.complexe(x, y, z).getPartialDerivative(0);
  }

  @Benchmark
  public double complexeFiniteDifferences() {
    return CentralDifferences.gradient(complexeAtPoint, complexePoint, fd, 3);
  }

  @Benchmark
  public double blackScholesObjective() {
    double[] o = option;
    return BlackScholes.call(o[0], o[1], o[2], o[3], o[4]);
  }

  @Benchmark
  public double blackScholesAdjoint() {
    java.util.Arrays.fill(callAdjoints, 0);
    double[] o = option;
    return BlackScholesDiff.callAdjoint(o[0], o[1], o[2], o[3], o[4], 1.0, callAdjoints, tape);
  }

  @Benchmark
  public double blackScholesHipparchus() {
    double[] o = option;
    return HipparchusScalar.call(o[0], o[1], o[2], o[3], o[4]).getPartialDerivative(0);
  }

  @Benchmark
  public double blackScholesFiniteDifferences() {
    return CentralDifferences.gradient(callAtPoint, optionPoint, fd, 5);
  }
}
