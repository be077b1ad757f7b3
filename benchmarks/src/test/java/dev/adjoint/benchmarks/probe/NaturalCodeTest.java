package dev.adjoint.benchmarks.probe;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.check.GradCheck;
import dev.adjoint.runtime.Tape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each probe function's generated {@code mAdjoint} against Ridders' differences of the plain
 * method ({@link GradCheck}), at small sizes and at the timing sizes of {@link ProbeTiming}; and
 * twice on one tape, the second call seeing nothing of the first.
 */
class NaturalCodeTest {

  static java.util.List<ProbeCase> small() {
    return ProbeCase.all(false);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("small")
  void gradientMatchesRiddersDifferences(ProbeCase c) {
    GradCheck.of(x -> {
      c.set(x);
      return c.objective();
    }, (x, g) -> {
      c.set(x);
      c.zeroAdjoints();
      double value = c.adjoint(new Tape());
      System.arraycopy(c.gradient(), 0, g, 0, g.length);
      return value;
    }).at(c.point()).assertPassed();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("small")
  void reusedTapeGivesTheSameGradient(ProbeCase c) {
    Tape tape = new Tape();
    c.zeroAdjoints();
    double first = c.adjoint(tape);
    double[] g = c.gradient();
    c.zeroAdjoints();
    assertThat(c.adjoint(tape)).isEqualTo(first);
    assertThat(c.gradient()).usingExactEquality().containsExactly(g).inOrder();
    assertThat(first).isEqualTo(c.objective());
  }
}
