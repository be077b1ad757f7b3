package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Tape;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The gradient of a large method against its plain call ({@link LargeMethods}): the generated
 * {@code mAdjoint} of 300 statements is about 25 KB of bytecode and of 1000 statements about
 * 80 KB unsplit, so unsplit it would run interpreted (or not compile at all); split, each part
 * is JIT-compiled. The plain method of 1000 statements is itself over the JIT's 8000-byte
 * limit and runs interpreted with the default flags: compare it with {@code
 * -XX:-DontCompileHugeMethods} too (docs/robustness.md gives both), or use the 300-statement
 * method, whose plain call is compiled either way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LargeMethodBenchmark {
  // Fields, not constants, so that the JIT cannot fold the computation away.
  public double x = 0.3;
  public double y = -0.7;

  private final double[] adjoints = new double[2];
  private final Tape tape = new Tape();

  @Benchmark
  public double straight300Objective() {
    return LargeMethods.straight300(x, y);
  }

  @Benchmark
  public double straight300Adjoint() {
    adjoints[0] = 0;
    adjoints[1] = 0;
    return LargeMethodsDiff.straight300Adjoint(x, y, 1.0, adjoints, tape);
  }

  @Benchmark
  public double straight1000Objective() {
    return LargeMethods.straight1000(x, y);
  }

  @Benchmark
  public double straight1000Adjoint() {
    adjoints[0] = 0;
    adjoints[1] = 0;
    return LargeMethodsDiff.straight1000Adjoint(x, y, 1.0, adjoints, tape);
  }
}
