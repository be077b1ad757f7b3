package dev.adjoint.benchmarks;

import static com.google.common.truth.Truth.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The interleaved ratios' statistics and the PyTorch table, on made-up rounds. */
class RatioHarnessTest {

  @Test
  void quantilesInterpolateBetweenOrderStatistics() {
    double[] values = {4, 1, 3, 2};
    assertThat(RatioHarness.quantile(values, 0.5)).isWithin(1e-12).of(2.5);
    assertThat(RatioHarness.quantile(values, 0.25)).isWithin(1e-12).of(1.75);
    assertThat(RatioHarness.quantile(values, 0)).isWithin(1e-12).of(1);
    assertThat(RatioHarness.quantile(values, 1)).isWithin(1e-12).of(4);
  }

  @Test
  void theMedianRatioIsTheMedianOfRoundRatiosNotARatioOfMedians() {
    // Rounds whose load moved both sides: the ratio of each round is 2.
    List<double[]> rounds = List.of(new double[] {100, 200}, new double[] {300, 600},
        new double[] {150, 300});
    RatioHarness.Summary s = RatioHarness.Summary.of(rounds);
    assertThat(s.ratio()).isWithin(1e-12).of(2);
    assertThat(s.ratioLow()).isWithin(1e-12).of(2);
    assertThat(s.objective()).isWithin(1e-12).of(150);
  }

  @Test
  void torchOutputBecomesATableBesideAdjointsGradients() {
    List<Peers.TorchRow> rows = Peers.parse(List.of(
        "torch 1.13.1 threads=1 gmm_d2_K5 n1000: F=-5240.590563 objective 800.0 us, gradient "
            + "1800.0 us, ratio 2.25",
        "something else"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).instance()).isEqualTo("d2_K5");
    Map<String, List<double[]>> rounds = new LinkedHashMap<>();
    rounds.put("GMM d2_K5 samples, mAdjoint (reused tape)", List.of(new double[] {1e5, 3e5}));
    rounds.put("GMM d2_K5 natural, mAdjoint (reused tape)", List.of(new double[] {1e5, 5e5}));
    rounds.put("GMM d2_K5 natural, mGrad", List.of(new double[] {1e5, 6e5}));
    String table = Peers.table(rows, rounds);
    assertThat(table).contains("PyTorch 1.13.1");
    assertThat(table).contains(
        "| d2 K5 | 800.0 us | 1.80 ms | 2.25 | 300.0 us | 500.0 us | 600.0 us | yes |");
  }
}
