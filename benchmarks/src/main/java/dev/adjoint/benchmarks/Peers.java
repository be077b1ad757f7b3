package dev.adjoint.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same GMM gradient computed by the tools users would pick instead, run right after our
 * measurement on the same machine: PyTorch on the CPU, one thread, through {@code
 * gmm_torch.py} (ADBench's vectorised formulation; see the peers directory's README).
 */
final class Peers {
  private Peers() {}

  /** One line of gmm_torch.py's output. */
  record TorchRow(String version, String instance, double objectiveMicros,
      double gradientMicros) {}

  private static final Pattern LINE = Pattern.compile(
      "torch (\\S+) threads=\\d+ gmm_(\\S+) n1000: F=\\S+ objective ([0-9.]+) us, "
      + "gradient ([0-9.]+) us, ratio [0-9.]+");

  static List<TorchRow> parse(List<String> lines) {
    List<TorchRow> rows = new ArrayList<>();
    for (String line : lines) {
      Matcher m = LINE.matcher(line.trim());
      if (m.matches()) {
        rows.add(new TorchRow(m.group(1), m.group(2), Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4))));
      }
    }
    return rows;
  }

  /** Runs PyTorch's GMM and writes its table beside Adjoint's gradient times. */
  static String torch(Path peers, Path adbench, Map<String, List<double[]>> rounds) {
    Path script = peers.resolve("gmm_torch.py");
    if (!Files.isRegularFile(script)) {
      return "PyTorch: not run (no " + script + ").\n";
    }
    List<String> output = new ArrayList<>();
    int exit;
    try {
      Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), adbench.toString(),
          "1").redirectErrorStream(true).start();
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          System.out.println("  " + line);
          output.add(line);
        }
      }
      exit = p.waitFor();
    } catch (IOException e) {
      return "PyTorch: not run (" + e.getMessage() + ").\n";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "PyTorch: interrupted.\n";
    }
    List<TorchRow> rows = parse(output);
    if (exit != 0 || rows.isEmpty()) {
      return "PyTorch: gmm_torch.py failed (exit " + exit + "; install with `apt-get install -y "
          + "python3-torch`): " + String.join(" / ", output) + "\n";
    }
    return table(rows, rounds);
  }

  static String table(List<TorchRow> rows, Map<String, List<double[]>> rounds) {
    StringBuilder md = new StringBuilder();
    md.append("GMM gradient beside PyTorch ").append(rows.get(0).version())
        .append(" on the CPU (one thread, `gmm_torch.py`, run right after on the same machine;"
            + " median times):\n\n");
    md.append("| GMM (n=1000) | PyTorch objective | PyTorch gradient | PyTorch ratio "
        + "| Adjoint samples, mAdjoint | Adjoint natural, mAdjoint | Adjoint natural, mGrad "
        + "| every Adjoint gradient faster |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (TorchRow row : rows) {
      String instance = row.instance();
      double torch = row.gradientMicros() * 1e3;
      Double samples = derivative(rounds, "GMM " + instance + " samples, mAdjoint (reused tape)");
      Double natural = derivative(rounds, "GMM " + instance + " natural, mAdjoint (reused tape)");
      Double naturalGrad = derivative(rounds, "GMM " + instance + " natural, mGrad");
      String faster = samples == null || natural == null || naturalGrad == null ? "-"
          : Math.max(samples, Math.max(natural, naturalGrad)) < torch ? "yes" : "**no**";
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %s | %s | %s | %s |\n",
          instance.replace('_', ' '), RatioHarness.time(row.objectiveMicros() * 1e3),
          RatioHarness.time(torch), row.gradientMicros() / row.objectiveMicros(),
          orDash(samples), orDash(natural), orDash(naturalGrad), faster));
    }
    return md.toString();
  }

  private static Double derivative(Map<String, List<double[]>> rounds, String name) {
    List<double[]> r = rounds.get(name);
    return r == null ? null : RatioHarness.Summary.of(r).derivative();
  }

  private static String orDash(Double nanos) {
    return nanos == null ? "-" : RatioHarness.time(nanos);
  }
}
