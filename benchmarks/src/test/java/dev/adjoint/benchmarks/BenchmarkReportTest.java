package dev.adjoint.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's table from made-up scores: every row is written, ratios are computed right. */
class BenchmarkReportTest {

  @Test
  void tableHasTheNaturalGmmBesideTheSamplesGmm() {
    Map<String, Double> scores = new HashMap<>();
    for (BenchmarkReport.Problem p : BenchmarkReport.Problem.all()) {
      scores.put(p.key("objective"), 1000.0);
      scores.put(p.key("adjoint"), 2500.0);
      if (p.benchmark().startsWith("Gmm")) {
        scores.put(p.key("grad"), 3000.0);
      }
      if (!p.benchmark().endsWith("natural")) {
        scores.put(p.key("hipparchus"), 50_000.0);
        scores.put(p.key("finiteDifferences"), 60_000.0);
      }
    }
    String table = BenchmarkReport.table(scores, "quick", 1.0);
    assertThat(table).contains("| GMM d2 K5 (n=1000) | 30 | 1.0 us | **2.50** | 3.00 |");
    assertThat(table).contains("| GMM natural d2 K5 (n=1000) | 30 | 1.0 us | **2.50** | 3.00 | "
        + "ratio <= 2.0 | **no** (ratio) | - |");
    assertThat(table).contains("| GMM natural d64 K10 (n=1000) |");
    assertThat(table).contains("| LSTM l2 c1024 | 266 | 1.0 us | **2.50** | - |");
  }
}
