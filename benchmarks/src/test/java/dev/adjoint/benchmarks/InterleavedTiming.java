package dev.adjoint.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Times an objective and variants of its adjoint interleaved in one JVM, in thread CPU time (less
 * disturbed by other processes than wall time): a warm-up of all of them in turn (1 s of CPU time,
 * or {@code -Dadjoint.timing.warmupMs}), then 30 rounds, each timing every variant over the same
 * number of calls (enough for about 40 ms of the whole round) between two timings of the
 * objective; prints, per variant, the median over the rounds of its time over the objective's,
 * with the interquartile range, and for the second variant on, the median of its time over the
 * first variant's in the same round.
 */
public final class InterleavedTiming {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private InterleavedTiming() {}

  /**
   * Times and prints one line: {@code label}, the objective's time per call and each variant's
   * median ratio.
   *
   * @param label what is timed
   * @param objective the objective
   * @param names the variants' names
   * @param variants the variants, each clearing what it adds into before it runs
   */
  public static void print(String label, Runnable objective, String[] names, Runnable... variants) {
    long warmup = Long.getLong("adjoint.timing.warmupMs", 1000L) * 1_000_000L;
    long start = THREADS.getCurrentThreadCpuTime();
    while (THREADS.getCurrentThreadCpuTime() - start < warmup) {
      objective.run();
      for (Runnable v : variants) {
        v.run();
      }
    }
    int reps = 0;
    start = THREADS.getCurrentThreadCpuTime();
    while (THREADS.getCurrentThreadCpuTime() - start < 40_000_000L) {
      objective.run();
      for (Runnable v : variants) {
        v.run();
      }
      reps++;
    }
    List<List<Double>> ratios = new ArrayList<>();
    List<List<Double>> toFirst = new ArrayList<>();
    for (int v = 0; v < variants.length; v++) {
      ratios.add(new ArrayList<>());
      toFirst.add(new ArrayList<>());
    }
    double objectiveNanos = 0;
    for (int round = 0; round < 30; round++) {
      double o = time(objective, reps);
      double[] t = new double[variants.length];
      for (int v = 0; v < variants.length; v++) {
        t[v] = time(variants[v], reps);
      }
      o = (o + time(objective, reps)) / 2;
      for (int v = 0; v < variants.length; v++) {
        ratios.get(v).add(t[v] / o);
        toFirst.get(v).add(t[v] / t[0]);
      }
      objectiveNanos += o / reps / 30;
    }
    StringBuilder line = new StringBuilder(String.format("%s: objective %.1f us", label,
        objectiveNanos / 1e3));
    for (int v = 0; v < variants.length; v++) {
      line.append("; ").append(names[v]).append(' ').append(median(ratios.get(v)));
      if (v > 0) {
        line.append(", ").append(median(toFirst.get(v))).append(" times the first");
      }
    }
    System.out.println(line);
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
