package dev.adjoint.samples.optim;

import dev.adjoint.hipparchus.AdjointFunctions;
import java.util.Locale;
import java.util.Random;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer.Optimum;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.MultivariateJacobianFunction;

/**
 * Fits a damped oscillator to noisy synthetic observations with Hipparchus's {@code
 * LevenbergMarquardtOptimizer}, once on the Jacobian from Adjoint's generated adjoint and once
 * on central finite differences, and prints both fits, their iterations and their times.
 *
 * <p>Run it with {@code mvn -B -ntp -q -DskipTests -pl samples-optimisers -am
 * -Prun-hipparchus-sample package}.
 */
public final class OscillatorFit {
  /** The parameters the data are drawn from: amplitude, damping rate, angular frequency, phase. */
  static final double[] TRUE_PARAMETERS = {2.0, 0.3, 3.0, 0.4};
  /** Where both fits start. */
  static final double[] START = {1.5, 0.2, 2.9, 0.0};
  /** The noise's standard deviation. */
  static final double NOISE = 0.05;

  private OscillatorFit() {}

  /** Synthetic observations: {@code m} times in [0, 10] and noisy displacements. */
  record Data(double[] t, double[] y) {
    static Data synthetic(int m, long seed) {
      double[] t = new double[m];
      for (int i = 0; i < m; i++) {
        t[i] = 10.0 * i / (m - 1);
      }
      double[] y = Oscillator.displacements(TRUE_PARAMETERS, t);
      Random random = new Random(seed);
      for (int i = 0; i < m; i++) {
        y[i] += NOISE * random.nextGaussian();
      }
      return new Data(t, y);
    }
  }

  /** The model with Adjoint's Jacobian: one generated adjoint call per observation. */
  static MultivariateJacobianFunction adjointModel(Data data) {
    return AdjointFunctions.curve(data.t(), OscillatorDiff::displacementAdjoint);
  }

  /** The same model with a central finite-difference Jacobian. */
  static MultivariateJacobianFunction finiteDifferenceModel(Data data) {
    return AdjointFunctions.finiteDifferences(p -> Oscillator.displacements(p, data.t()));
  }

  /** Levenberg-Marquardt from {@link #START} on {@code model}. */
  static Optimum fit(MultivariateJacobianFunction model, Data data) {
    return new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
        .model(model)
        .target(data.y())
        .start(START)
        .maxEvaluations(10_000)
        .maxIterations(10_000)
        .build());
  }

  /** Median wall time of one fit over {@code repeats} runs, in microseconds. */
  private static double medianMicros(MultivariateJacobianFunction model, Data data, int repeats) {
    double[] times = new double[repeats];
    for (int r = 0; r < repeats; r++) {
      long start = System.nanoTime();
      fit(model, data);
      times[r] = (System.nanoTime() - start) / 1e3;
    }
    java.util.Arrays.sort(times);
    return times[repeats / 2];
  }

  private static void report(String name, Optimum fit, double micros) {
    double[] p = fit.getPoint().toArray();
    double[] se = fit.getSigma(1e-12).toArray();
    System.out.printf(Locale.ROOT, "%-22s a = %.5f ± %.5f  k = %.5f ± %.5f  w = %.5f ± %.5f  phi = %.5f ± %.5f%n",
        name, p[0], se[0] * fit.getRMS(), p[1], se[1] * fit.getRMS(), p[2], se[2] * fit.getRMS(),
        p[3], se[3] * fit.getRMS());
    System.out.printf(Locale.ROOT, "%-22s RMS %.6f, %d iterations, %d evaluations, %.1f µs per fit (median)%n",
        "", fit.getRMS(), fit.getIterations(), fit.getEvaluations(), micros);
  }

  /**
   * Runs both fits and prints them.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    Data data = Data.synthetic(2_000, 16);
    System.out.printf(Locale.ROOT, "Damped oscillator a e^(-k t) cos(w t + phi): %d noisy observations (sigma %.2f)%n",
        data.t().length, NOISE);
    System.out.printf(Locale.ROOT, "%-22s a = %.5f            k = %.5f            w = %.5f            phi = %.5f%n",
        "true parameters", TRUE_PARAMETERS[0], TRUE_PARAMETERS[1], TRUE_PARAMETERS[2], TRUE_PARAMETERS[3]);
    MultivariateJacobianFunction adjoint = adjointModel(data);
    MultivariateJacobianFunction differences = finiteDifferenceModel(data);
    // Warm both up so that the times compare compiled code.
    medianMicros(adjoint, data, 200);
    medianMicros(differences, data, 200);
    report("Adjoint Jacobian", fit(adjoint, data), medianMicros(adjoint, data, 201));
    report("finite differences", fit(differences, data), medianMicros(differences, data, 201));
    double[][] exact = adjoint.value(new ArrayRealVector(START)).getSecond().getData();
    double[][] approximate = differences.value(new ArrayRealVector(START)).getSecond().getData();
    double worst = 0;
    for (int i = 0; i < exact.length; i++) {
      for (int j = 0; j < exact[i].length; j++) {
        worst = Math.max(worst, Math.abs(exact[i][j] - approximate[i][j]) / (1 + Math.abs(exact[i][j])));
      }
    }
    System.out.printf(Locale.ROOT, "the two Jacobians at the start differ by %.1e at most (relative): the finite differences' error%n", worst);
  }
}
