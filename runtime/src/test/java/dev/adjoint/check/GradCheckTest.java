package dev.adjoint.check;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GradCheckTest {
  private static double rosenbrock(double[] x) {
    return (1 - x[0]) * (1 - x[0]) + 100 * Math.pow(x[1] - x[0] * x[0], 2);
  }

  private static double rosenbrockGradient(double[] x, double[] g) {
    g[0] += -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]);
    g[1] += 200 * (x[1] - x[0] * x[0]);
    return rosenbrock(x);
  }

  @Test
  void passesACorrectGradient() {
    GradCheckReport report = GradCheck.of(GradCheckTest::rosenbrock,
        GradCheckTest::rosenbrockGradient).at(-1.2, 1.0);
    assertThat(report.passed()).isTrue();
    assertThat(report.numeric()[0]).isWithin(1e-6).of(-215.6);
    assertThat(report.numeric()[1]).isWithin(1e-6).of(-88.0);
    report.assertPassed();
  }

  @Test
  void reportsAWrongEntryWithTheWorstFirst() {
    GradCheck check = GradCheck.of(GradCheckTest::rosenbrock, (x, g) -> {
      double v = rosenbrockGradient(x, g);
      g[1] += 1e-3;
      return v;
    });
    GradCheckReport report = check.at(-1.2, 1.0);
    assertThat(report.passed()).isFalse();
    assertThat(report.passed(0)).isTrue();
    assertThat(report.passed(1)).isFalse();
    AssertionError error = assertThrows(AssertionError.class, report::assertPassed);
    assertThat(error).hasMessageThat().contains("FAILED (1 of 2 entries");
    String table = report.toString();
    assertThat(table.indexOf("     1 ")).isLessThan(table.indexOf("     0 "));
  }

  @Test
  void flagsAValueThatDiffersFromThePlainCall() {
    GradCheckReport report = GradCheck.of(x -> x[0] * x[0], (x, g) -> {
      g[0] += 2 * x[0];
      return x[0] * x[0] + 1e-12;
    }).at(3);
    assertThat(report.passed()).isFalse();
    assertThat(report.toString()).contains("differs from the plain call");
  }

  @Test
  void aKinkShowsAsALargeFiniteDifferenceError() {
    GradCheckReport report = GradCheck.of(x -> Math.abs(x[0]), (x, g) -> {
      g[0] += Math.signum(x[0]);
      return Math.abs(x[0]);
    }).at(0.0);
    assertThat(report.passed()).isTrue();
    GradCheckReport nearJump = GradCheck.of(x -> x[0] < 0 ? 0 : 1, (x, g) -> 0).at(1e-9);
    assertThat(nearJump.passed()).isFalse();
    assertThat(nearJump.toString()).contains("not smooth near this point");
  }

  @Test
  void rejectsNegativeTolerances() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GradCheck.of(x -> 0, (x, g) -> 0).tolerances(-1, 0));
    assertThat(e).hasMessageThat().contains("relative -1.0");
  }
}
