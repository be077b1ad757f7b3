package dev.adjoint.samples.stats;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.check.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * The Student-t log-likelihood, whose private {@code logGamma} has no annotation: values
 * against closed forms, and the gradient against Ridders-extrapolated central differences.
 */
class StudentTTest {
  private static final double[] DATA = {0.3, -1.2, 2.5, 0.9, -0.4, 4.1};

  @Test
  void valuesMatchClosedForms() {
    // nu = 1 is the Cauchy distribution: log density -log(pi sigma (1 + z^2)).
    assertThat(StudentT.logLikelihood(new double[] {0}, 0, 1, 1))
        .isWithin(1e-13).of(-Math.log(Math.PI));
    assertThat(StudentT.logLikelihood(new double[] {2}, 1, 0.5, 1))
        .isWithin(1e-13).of(-Math.log(Math.PI * 0.5 * 5));
    // nu = 2: density (1 + z^2/2)^(-3/2) / (2 sqrt 2) (gamma(3/2)/gamma(1) = sqrt(pi)/2).
    double z = 0.7;
    assertThat(StudentT.logLikelihood(new double[] {z}, 0, 1, 2))
        .isWithin(1e-13).of(-1.5 * Math.log1p(z * z / 2) - Math.log(2 * Math.sqrt(2)));
  }

  @Test
  void gradientInTheParametersMatchesTheOracle() {
    for (double[] p : new double[][] {{0.5, 1.3, 3.0}, {-0.2, 0.8, 0.4}, {1.1, 2.5, 12.0}}) {
      GradCheck.of(q -> StudentT.logLikelihood(DATA, q[0], q[1], q[2]), (q, gradient) -> {
        StudentTDiff.LogLikelihoodGrad g = StudentTDiff.logLikelihoodGrad(DATA, q[0], q[1], q[2]);
        gradient[0] = g.dMu();
        gradient[1] = g.dSigma();
        gradient[2] = g.dNu();
        return g.value();
      }).tolerances(1e-7, 1e-9).at(p).assertPassed();
    }
  }

  @Test
  void gradientInTheDataMatchesTheOracle() {
    GradCheck.of(x -> StudentT.logLikelihood(x, 0.5, 1.3, 3.0), (x, gradient) -> {
      StudentTDiff.LogLikelihoodGrad g = StudentTDiff.logLikelihoodGrad(x, 0.5, 1.3, 3.0);
      System.arraycopy(g.dData(), 0, gradient, 0, x.length);
      return g.value();
    }).tolerances(1e-7, 1e-9).at(DATA).assertPassed();
  }

  @Test
  void invalidArgumentsThrowAsThePlainMethodDoes() {
    IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
        () -> StudentT.logLikelihood(DATA, 0, -1, 3));
    IllegalArgumentException generated = assertThrows(IllegalArgumentException.class,
        () -> StudentTDiff.logLikelihoodGrad(DATA, 0, -1, 3));
    assertThat(generated).hasMessageThat().isEqualTo(plain.getMessage());
    assertThat(generated).hasMessageThat().isEqualTo("sigma must be positive: -1.0");
  }
}
