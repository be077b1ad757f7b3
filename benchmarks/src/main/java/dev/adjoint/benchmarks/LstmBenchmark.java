package dev.adjoint.benchmarks;

import dev.adjoint.benchmarks.hipparchus.HipparchusLstm;
import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.Lstm;
import dev.adjoint.samples.adbench.LstmDiff;
import dev.adjoint.samples.adbench.LstmInput;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** ADBench LSTM l2 c1024: objective, Adjoint's gradient, Hipparchus, central differences. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LstmBenchmark {
  private LstmInput in;
  private final Tape tape = new Tape();
  private double[][] dMain;
  private double[][] dExtra;
  private double[] flat;

  @Setup
  public void setup() {
    in = LstmInput.read(LstmInput.L2_C1024);
    dMain = new double[in.mainParams().length][in.mainParams()[0].length];
    dExtra = new double[in.extraParams().length][in.extraParams()[0].length];
    flat = new double[in.parameterCount()];
  }

  @Benchmark
  public double objective() {
    return Lstm.objective(in.mainParams(), in.extraParams(), in.state(), in.sequence());
  }

  @Benchmark
  public double adjoint() {
    for (double[] row : dMain) {
      Arrays.fill(row, 0);
    }
    for (double[] row : dExtra) {
      Arrays.fill(row, 0);
    }
    return LstmDiff.objectiveAdjoint(in.mainParams(), in.extraParams(), in.state(), in.sequence(),
        1.0, dMain, dExtra, tape);
  }

  @Benchmark
  public double hipparchus() {
    return HipparchusLstm.gradient(in, flat);
  }

  @Benchmark
  public double finiteDifferences() {
    double[][] rows = new double[in.mainParams().length + in.extraParams().length][];
    System.arraycopy(in.mainParams(), 0, rows, 0, in.mainParams().length);
    System.arraycopy(in.extraParams(), 0, rows, in.mainParams().length, in.extraParams().length);
    return CentralDifferences.gradient(this::objective, rows, flat, Coverage.window(flat.length));
  }
}
