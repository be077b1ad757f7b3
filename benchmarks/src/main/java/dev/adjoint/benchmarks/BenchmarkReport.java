package dev.adjoint.benchmarks;

import dev.adjoint.samples.adbench.BaInput;
import dev.adjoint.samples.adbench.GmmInput;
import dev.adjoint.samples.adbench.LstmInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every benchmark of this module once and writes the Markdown table that the README quotes:
 * per problem, derivative time over objective time for Adjoint, Hipparchus and central
 * differences, Adjoint's speed-ups, the field's published ratios and whether the targets are met.
 *
 * <p>Usage: {@code BenchmarkReport quick|full <report.md>} ({@code short} is {@code quick}).
 * {@code quick} (1 fork, 2 warm-up and 3
 * measured iterations of 1 s) takes about 5 minutes on 2 cores; {@code full} (2 forks, 5 + 5
 * iterations of 2 s) is for quieter machines.
 */
public final class BenchmarkReport {
  private BenchmarkReport() {}

  public static void main(String[] args) throws RunnerException {
    if (args.length != 2
        || !(args[0].equals("short") || args[0].equals("quick") || args[0].equals("full"))) {
      throw new IllegalArgumentException("usage: BenchmarkReport quick|short|full <report.md>");
    }
    boolean full = args[0].equals("full");
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include(BenchmarkReport.class.getPackageName() + ".*Benchmark.*")
        .forks(full ? 2 : 1)
        .warmupIterations(full ? 5 : 2)
        .warmupTime(TimeValue.seconds(full ? 2 : 1))
        .measurementIterations(full ? 5 : 3)
        .measurementTime(TimeValue.seconds(full ? 2 : 1))
        .jvmArgsAppend("-Xmx3g")
        .shouldFailOnError(true);
    long start = System.nanoTime();
    Collection<RunResult> results = new Runner(options.build()).run();
    double minutes = (System.nanoTime() - start) / 60e9;
    String table = table(scores(results), args[0], minutes);
    System.out.println();
    System.out.println(table);
    try {
      Path report = Path.of(args[1]);
      Files.createDirectories(report.toAbsolutePath().getParent());
      Files.writeString(report, table);
      System.out.println("Written to " + report.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Scores in nanoseconds per operation, keyed "Class.method" or "Class.method/instance". */
  private static Map<String, Double> scores(Collection<RunResult> results) {
    Map<String, Double> scores = new HashMap<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
      String instance = result.getParams().getParam("instance");
      double nanos = result.getPrimaryResult().getScore()
          * nanosPer(result.getParams().getTimeUnit().name());
      scores.put(instance == null ? name : name + "/" + instance, nanos);
    }
    return scores;
  }

  private static double nanosPer(String unit) {
    return switch (unit) {
      case "NANOSECONDS" -> 1;
      case "MICROSECONDS" -> 1e3;
      case "MILLISECONDS" -> 1e6;
      case "SECONDS" -> 1e9;
      default -> throw new IllegalStateException("unexpected time unit " + unit);
    };
  }

  static String table(Map<String, Double> scores, String mode, double minutes) {
    List<Problem> problems = Problem.all();
    StringBuilder md = new StringBuilder();
    md.append("| problem | inputs | objective | Adjoint ratio | mGrad ratio | target | met "
        + "| Hipparchus ratio | Adjoint vs Hipparchus | FD ratio | Adjoint vs FD "
        + "| published ratios (GradBench) |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | --- |\n");
    List<String> notes = new ArrayList<>();
    for (Problem p : problems) {
      double objective = scores.get(p.key("objective"));
      double adjoint = scores.get(p.key("adjoint"));
      int window = p.window();
      double scale = (double) p.inputs() / window;
      Double grad = scores.get(p.key("grad"));
      String gradRatio = grad == null ? "-" : String.format(Locale.ROOT, "%.2f", grad / objective);
      double ratio = adjoint / objective;
      boolean ratioMet = p.target() == 0 || ratio <= p.target();
      Double hipparchusScore = scores.get(p.key("hipparchus"));
      if (hipparchusScore == null) {
        // Rows without their own forward-mode and FD runs (the natural-style GMM).
        md.append(String.format(Locale.ROOT,
            "| %s | %d | %s | **%.2f** | %s | %s | %s | - | - | - | - | %s |\n",
            p.name(), p.inputs(), time(objective), ratio, gradRatio,
            String.format(Locale.ROOT, "ratio <= %.1f", p.target()),
            ratioMet ? "yes" : "**no** (ratio)", p.published()));
        continue;
      }
      double hipparchus = hipparchusScore * (p.windowed() ? scale : 1);
      double fd = scores.get(p.key("finiteDifferences")) * (p.windowed() ? scale : 1);
      String estimate = p.windowed() ? " *" : "";
      if (p.windowed()) {
        notes.add(String.format(Locale.ROOT, "* %s: Hipparchus and FD measured on %d of the %d "
            + "inputs and scaled by %.0f (each pass costs the same).", p.name(), window,
            p.inputs(), scale));
      }
      double speedUpHipparchus = hipparchus / adjoint;
      boolean hipparchusMet = p.inputs() < 30 || speedUpHipparchus >= 10;
      md.append(String.format(Locale.ROOT,
          "| %s | %d | %s | **%.2f** | %s | %s | %s | %s%s | %s | %s%s | %s | %s |\n",
          p.name(), p.inputs(), time(objective), ratio, gradRatio,
          target(p), met(p, ratioMet, hipparchusMet),
          ratio(hipparchus / objective), estimate, speedUp(speedUpHipparchus),
          ratio(fd / objective), estimate, speedUp(fd / adjoint), p.published()));
    }
    md.append('\n');
    md.append(String.format(Locale.ROOT, "Ratios are derivative time / objective time (the plain "
        + "Java objective, measured in the same run); \"Adjoint vs X\" is X's time over Adjoint's. "
        + "JMH %s mode, %.1f minutes in all, %s, %d cores.%n", mode, minutes,
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors()));
    for (String note : notes) {
      md.append('\n').append(note).append('\n');
    }
    md.append('\n').append(secondOrder(scores));
    return md.toString();
  }

  /** The cost of forward mode and second derivatives against the gradient. */
  static String secondOrder(Map<String, Double> scores) {
    Double objective = scores.get("HessianBenchmark.objective");
    if (objective == null) {
      return "";
    }
    double gradient = scores.get("HessianBenchmark.gradient");
    double tangent = scores.get("HessianBenchmark.tangent");
    double hvp = scores.get("HessianBenchmark.hessianVector");
    double hessian = scores.get("HessianBenchmark.hessian");
    StringBuilder md = new StringBuilder();
    md.append("Forward mode and second derivatives, extended Rosenbrock in 100 dimensions "
        + "(`order = 2`):\n\n");
    md.append("| derivative | time | / objective | / gradient |\n");
    md.append("| --- | ---: | ---: | ---: |\n");
    String row = "| %s | %s | %.1f | %.2f |\n";
    md.append(String.format(Locale.ROOT, row, "objective", time(objective), 1.0,
        objective / gradient));
    md.append(String.format(Locale.ROOT, row, "gradient (mAdjoint, reused tape)", time(gradient),
        gradient / objective, 1.0));
    md.append(String.format(Locale.ROOT, row, "one directional derivative (mJvp)", time(tangent),
        tangent / objective, tangent / gradient));
    md.append(String.format(Locale.ROOT, row, "Hessian-vector product (mHvp)", time(hvp),
        hvp / objective, hvp / gradient));
    md.append(String.format(Locale.ROOT, row, "whole Hessian, 100 x 100 (mHessian)",
        time(hessian), hessian / objective, hessian / gradient));
    md.append(String.format(Locale.ROOT, "%nThe whole Hessian costs %.2f gradients per input "
        + "(one Hessian-vector product per row).%n", hessian / gradient / 100));
    return md.toString();
  }

  private static String target(Problem p) {
    String ratio = p.target() == 0 ? "" : String.format(Locale.ROOT, "ratio <= %.1f", p.target());
    String hipparchus = p.inputs() >= 30 ? ">= 10x Hipparchus" : "";
    return ratio.isEmpty() ? (hipparchus.isEmpty() ? "-" : hipparchus)
        : (hipparchus.isEmpty() ? ratio : ratio + ", " + hipparchus);
  }

  private static String met(Problem p, boolean ratioMet, boolean hipparchusMet) {
    if (p.target() == 0 && p.inputs() < 30) {
      return "-";
    }
    if (ratioMet && hipparchusMet) {
      return "yes";
    }
    List<String> missed = new ArrayList<>();
    if (!ratioMet) {
      missed.add("ratio");
    }
    if (!hipparchusMet) {
      missed.add("vs Hipparchus");
    }
    return "**no** (" + String.join(", ", missed) + ")";
  }

  private static String time(double nanos) {
    if (nanos < 1e3) {
      return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
    if (nanos < 1e6) {
      return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }

  private static String ratio(double r) {
    return r < 100 ? String.format(Locale.ROOT, "%.1f", r) : String.format(Locale.ROOT, "%.0f", r);
  }

  private static String speedUp(double s) {
    return s < 100 ? String.format(Locale.ROOT, "%.1fx", s) : String.format(Locale.ROOT, "%.0fx", s);
  }

  /** One row of the table: a benchmarked problem and what the field reports for it. */
  record Problem(String name, String benchmark, String instance, int inputs, int window,
      double target, String published) {
    /** The score key of one method: {@code Gmm.adjoint/d2_K5}, {@code Scalar.complexeAdjoint}. */
    String key(String method) {
      String full = benchmark.endsWith(".")
          ? benchmark + method
          : benchmark + Character.toUpperCase(method.charAt(0)) + method.substring(1);
      return full + (instance == null ? "" : "/" + instance);
    }

    /** Whether Hipparchus and FD were measured on a window of the inputs. */
    boolean windowed() {
      return window < inputs;
    }

    static List<Problem> all() {
      List<Problem> problems = new ArrayList<>();
      // The targets: the samples' GMM 1.5 / 1.5 / 2.5, the natural GMM 2.0 (the issue's).
      String[][] gmm = {
        {"d2_K5", "GMM d2 K5 (n=1000)", "manual 1.77, Tapenade 3.64, JAX 2.4, PyTorch 1.8, FD 60",
            "1.5"},
        {"d10_K5", "GMM d10 K5 (n=1000)", "manual 1.74, Tapenade 2.36, JAX 3.9, PyTorch 2.2, FD 659",
            "1.5"},
        {"d64_K10", "GMM d64 K10 (n=1000)",
            "manual 3.90, Tapenade 3.35, JAX 3.0, PyTorch 3.9, FD 42800", "2.5"},
      };
      for (String[] g : gmm) {
        int inputs = GmmInput.read(GmmBenchmark.path(g[0])).parameterCount();
        problems.add(new Problem(g[1], "GmmBenchmark.", g[0], inputs, Coverage.window(inputs),
            Double.parseDouble(g[3]), g[2]));
        problems.add(new Problem(g[1].replace("GMM", "GMM natural"), "GmmBenchmark.natural",
            g[0], inputs, inputs, 2.0, g[2]));
      }
      int baInputs = BaInput.read(BaInput.BA1).parameterCount();
      problems.add(new Problem("BA ba1 (Jacobian, p=31843)", "BaBenchmark.", null, baInputs,
          baInputs, 4.0,
          "manual 7.2, Enzyme 9.0, Tapenade 14.4, CoDiPack ~20, FD 52.6"));
      int lstmInputs = LstmInput.read(LstmInput.L2_C1024).parameterCount();
      problems.add(new Problem("LSTM l2 c1024", "LstmBenchmark.", null, lstmInputs,
          Coverage.window(lstmInputs), 2.0,
          "Tapenade 3.2, Enzyme 2.6-3.0, PyTorch 2.1-2.9, manual 5.4, FD 530+"));
      problems.add(new Problem("notebook complexe(x, y, z)", "ScalarBenchmark.complexe", null, 3, 3,
          0, "-"));
      problems.add(new Problem("Black-Scholes call", "ScalarBenchmark.blackScholes", null, 5,
          5, 0, "-"));
      return problems;
    }
  }
}
