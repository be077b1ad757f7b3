package dev.adjoint.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Derivative time over objective time, measured so that a ratio can be compared from one run to
 * the next on a noisy machine. JMH measures each benchmark in its own forks, minutes apart, so
 * a load that comes and goes moves the objective and the derivative differently. Here both run
 * in the same JVM, interleaved: each round times a batch of objectives and a batch of
 * derivatives back to back (alternating which goes first), and gives one ratio. Several forks
 * (fresh JVMs, so that JIT decisions vary too) each run every case; the report gives, per case,
 * the median ratio over all rounds of all forks with its interquartile range, and the median
 * absolute times.
 *
 * <p>Usage: {@code RatioHarness quick|full <report.md> [filter] [peers-dir adbench-dir]}. {@code
 * quick}: 3 forks, 1 s warm-up, 12 rounds of at least 60 ms per side and case; {@code full}: 5
 * forks, 3 s warm-up, 30 rounds of at least 150 ms. {@code filter} keeps the cases whose name
 * contains it ({@code all} for every case). With the peers directory ({@code
 * ../shared/peers}) and ADBench's data directory, PyTorch's GMM gradient ({@code gmm_torch.py},
 * one thread) runs right after, on the same machine, and its figures join the report.
 */
public final class RatioHarness {
  private RatioHarness() {}

  /** One measured pair: an objective and one way of computing its derivative. */
  record Case(String name, DoubleSupplier objective, DoubleSupplier derivative) {}

  /** Sink for results, so that the JIT cannot drop a call. */
  static volatile double sink;

  static List<Case> cases(String filter) {
    List<Case> cases = new ArrayList<>();
    for (String instance : new String[] {"d2_K5", "d10_K5", "d64_K10"}) {
      if (!matches(filter, "gmm " + instance)) {
        continue;
      }
      GmmBenchmark g = new GmmBenchmark();
      g.instance = instance;
      g.setup();
      cases.add(new Case("GMM " + instance + " samples, mAdjoint (reused tape)", g::objective,
          g::adjoint));
      cases.add(new Case("GMM " + instance + " samples, mGrad", g::objective, g::grad));
      cases.add(new Case("GMM " + instance + " natural, mAdjoint (reused tape)",
          g::naturalObjective, g::naturalAdjoint));
      cases.add(new Case("GMM " + instance + " natural, mGrad", g::naturalObjective,
          g::naturalGrad));
    }
    if (matches(filter, "lstm")) {
      LstmBenchmark l = new LstmBenchmark();
      l.setup();
      cases.add(new Case("LSTM l2 c1024, mAdjoint (reused tape)", l::objective, l::adjoint));
    }
    if (matches(filter, "ba")) {
      BaBenchmark b = new BaBenchmark();
      b.setup();
      cases.add(new Case("BA ba1 Jacobian", b::objective, b::adjoint));
      // Against Adjoint's Jacobian, not the objective: the ratio is "Adjoint vs Hipparchus".
      cases.add(new Case("BA ba1, Hipparchus Jacobian / Adjoint Jacobian", b::adjoint,
          b::hipparchus));
    }
    if (matches(filter, "hessian")) {
      HessianBenchmark h = new HessianBenchmark();
      h.n = 100;
      h.setUp();
      // Against the gradient, not the objective: the target is in gradients.
      cases.add(new Case("Rosenbrock n=100, mHvp / gradient", h::gradient,
          () -> h.hessianVector()[0]));
    }
    return cases;
  }

  private static boolean matches(String filter, String name) {
    return filter.equals("all") || name.toLowerCase(Locale.ROOT).contains(
        filter.toLowerCase(Locale.ROOT));
  }

  /** The settings of a mode. */
  record Mode(int forks, double warmupSeconds, int rounds, double roundMillis) {
    static Mode of(String name) {
      return switch (name) {
        case "quick" -> new Mode(3, 1.0, 12, 60);
        case "full" -> new Mode(5, 3.0, 30, 150);
        default -> throw new IllegalArgumentException("mode is quick or full, not " + name);
      };
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("--fork")) {
      fork(Mode.of(args[1]), args.length > 2 ? args[2] : "all");
      return;
    }
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: RatioHarness quick|full <report.md> [filter] [peers-dir adbench-dir]");
    }
    String modeName = args[0];
    Mode mode = Mode.of(modeName);
    String filter = args.length > 2 ? args[2] : "all";
    long start = System.nanoTime();
    Map<String, List<double[]>> rounds = new LinkedHashMap<>();
    for (int f = 0; f < mode.forks(); f++) {
      System.out.printf(Locale.ROOT, "fork %d of %d%n", f + 1, mode.forks());
      for (String line : runFork(modeName, filter)) {
        // ROUND <objective ns> <derivative ns> <name>
        String[] parts = line.split(" ", 4);
        rounds.computeIfAbsent(parts[3], k -> new ArrayList<>()).add(
            new double[] {Double.parseDouble(parts[1]), Double.parseDouble(parts[2])});
      }
    }
    double minutes = (System.nanoTime() - start) / 60e9;
    StringBuilder md = new StringBuilder();
    md.append(table(rounds, modeName, mode, minutes));
    if (args.length > 4) {
      md.append('\n').append(Peers.torch(Path.of(args[3]), Path.of(args[4]), rounds));
    }
    System.out.println();
    System.out.println(md);
    Path report = Path.of(args[1]);
    Files.createDirectories(report.toAbsolutePath().getParent());
    Files.writeString(report, md.toString());
    System.out.println("Written to " + report.toAbsolutePath());
  }

  /** Runs one fork in a fresh JVM with this class path; returns its ROUND lines. */
  private static List<String> runFork(String mode, String filter) {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Xmx3g", "-cp", System.getProperty("java.class.path"),
        RatioHarness.class.getName(), "--fork", mode, filter);
    List<String> lines = new ArrayList<>();
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          if (line.startsWith("ROUND ")) {
            lines.add(line);
          } else {
            System.out.println("  " + line);
          }
        }
      }
      if (p.waitFor() != 0) {
        throw new IllegalStateException("fork failed with exit code " + p.exitValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return lines;
  }

  /** In the fork: every case, warm-up then interleaved rounds, one ROUND line per round. */
  private static void fork(Mode mode, String filter) {
    for (Case c : cases(filter)) {
      long warmupEnd = System.nanoTime() + (long) (mode.warmupSeconds() * 1e9);
      while (System.nanoTime() < warmupEnd) {
        sink += c.objective().getAsDouble();
        sink += c.derivative().getAsDouble();
      }
      for (int r = 0; r < mode.rounds(); r++) {
        double objective;
        double derivative;
        if (r % 2 == 0) {
          objective = perCall(c.objective(), mode.roundMillis());
          derivative = perCall(c.derivative(), mode.roundMillis());
        } else {
          derivative = perCall(c.derivative(), mode.roundMillis());
          objective = perCall(c.objective(), mode.roundMillis());
        }
        System.out.printf(Locale.ROOT, "ROUND %.1f %.1f %s%n", objective, derivative, c.name());
      }
    }
  }

  /** Nanoseconds per call, over at least {@code millis} and at least one call. */
  private static double perCall(DoubleSupplier f, double millis) {
    long budget = (long) (millis * 1e6);
    long start = System.nanoTime();
    long calls = 0;
    long elapsed;
    do {
      sink += f.getAsDouble();
      calls++;
      elapsed = System.nanoTime() - start;
    } while (elapsed < budget);
    return (double) elapsed / calls;
  }

  static String table(Map<String, List<double[]>> rounds, String modeName, Mode mode,
      double minutes) {
    StringBuilder md = new StringBuilder();
    md.append("| case | objective | derivative | ratio (median) | ratio IQR | rounds |\n");
    md.append("| --- | ---: | ---: | ---: | --- | ---: |\n");
    for (Map.Entry<String, List<double[]>> e : rounds.entrySet()) {
      Summary s = Summary.of(e.getValue());
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | **%.2f** | %.2f - %.2f | %d |\n",
          e.getKey(), time(s.objective()), time(s.derivative()), s.ratio(), s.ratioLow(),
          s.ratioHigh(), e.getValue().size()));
    }
    md.append(String.format(Locale.ROOT, "%nInterleaved in the same JVM: %s mode, %d forks, "
        + "%.0f s warm-up and %d rounds of at least %.0f ms per side and case; %.1f minutes in "
        + "all, %s, %d cores. Ratio: median over all rounds; IQR: its 25th to 75th percentile."
        + "%n", modeName, mode.forks(), mode.warmupSeconds(), mode.rounds(), mode.roundMillis(),
        minutes, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors()));
    return md.toString();
  }

  /** Medians over the rounds of one case. */
  record Summary(double objective, double derivative, double ratio, double ratioLow,
      double ratioHigh) {
    static Summary of(List<double[]> rounds) {
      double[] objective = new double[rounds.size()];
      double[] derivative = new double[rounds.size()];
      double[] ratio = new double[rounds.size()];
      for (int i = 0; i < rounds.size(); i++) {
        objective[i] = rounds.get(i)[0];
        derivative[i] = rounds.get(i)[1];
        ratio[i] = derivative[i] / objective[i];
      }
      return new Summary(quantile(objective, 0.5), quantile(derivative, 0.5),
          quantile(ratio, 0.5), quantile(ratio, 0.25), quantile(ratio, 0.75));
    }
  }

  /** The {@code q} quantile, interpolated linearly between order statistics. */
  static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double at = q * (sorted.length - 1);
    int below = (int) Math.floor(at);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (at - below) * (sorted[above] - sorted[below]);
  }

  static String time(double nanos) {
    if (nanos < 1e3) {
      return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
    if (nanos < 1e6) {
      return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
