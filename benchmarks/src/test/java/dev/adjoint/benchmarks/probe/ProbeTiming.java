package dev.adjoint.benchmarks.probe;

import dev.adjoint.benchmarks.InterleavedTiming;
import dev.adjoint.runtime.Tape;

/**
 * Times each probe function's objective against its generated {@code mAdjoint} on a reused tape,
 * interleaved in one JVM in thread CPU time ({@link InterleavedTiming}). Command and one run's
 * figures: docs/benchmarks.md, "Naturally written code".
 */
public final class ProbeTiming {
  static volatile double sink;

  private ProbeTiming() {}

  public static void main(String[] args) {
    String filter = args.length > 0 ? args[0] : "";
    System.out.println(System.getProperty("java.vm.name") + " " + System.getProperty(
        "java.vm.version") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
    for (ProbeCase c : ProbeCase.all(true)) {
      if (!c.name.contains(filter)) {
        continue;
      }
      Tape tape = new Tape();
      InterleavedTiming.print(c.name, () -> sink = c.objective(),
          new String[] {"mAdjoint (reused tape)"}, () -> {
            c.zeroAdjoints();
            sink = c.adjoint(tape);
          });
    }
  }
}
