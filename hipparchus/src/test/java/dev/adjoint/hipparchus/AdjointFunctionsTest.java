package dev.adjoint.hipparchus;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.Random;
import java.util.function.Function;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleValueChecker;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.gradient.NonLinearConjugateGradientOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer.Optimum;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.ValueAndJacobianFunction;
import org.hipparchus.util.Pair;
import org.junit.jupiter.api.Test;

/** The adapters against central differences of the plain methods, and in Hipparchus's optimisers. */
class AdjointFunctionsTest {
  private static final double[] TRUE_P = {2.0, 0.3, 3.0, 0.4};
  private static final double[] P = {1.7, 0.25, 3.1, 0.2};

  private static double[] abscissae(int m) {
    double[] t = new double[m];
    for (int i = 0; i < m; i++) {
      t[i] = 10.0 * i / (m - 1);
    }
    return t;
  }

  /** Central differences with step 1e-6 (1 + |x_j|): column j of the Jacobian of f at x. */
  private static double[][] centralJacobian(Function<double[], double[]> f, double[] x) {
    int m = f.apply(x).length;
    double[][] jac = new double[m][x.length];
    for (int j = 0; j < x.length; j++) {
      double h = 1e-6 * (1 + Math.abs(x[j]));
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[j] += h;
      minus[j] -= h;
      double[] fp = f.apply(plus);
      double[] fm = f.apply(minus);
      for (int i = 0; i < m; i++) {
        jac[i][j] = (fp[i] - fm[i]) / (2 * h);
      }
    }
    return jac;
  }

  private static void assertClose(String what, double[][] actual, double[][] expected, double tol) {
    assertWithMessage(what + ": rows").that(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertWithMessage("%s[%s][%s]", what, i, j)
            .that(actual[i][j])
            .isWithin(tol * (1 + Math.abs(expected[i][j])))
            .of(expected[i][j]);
      }
    }
  }

  @Test
  void curveMatchesCentralDifferences() {
    double[] t = abscissae(40);
    ValueAndJacobianFunction model = AdjointFunctions.curve(t, TestModelsDiff::oscillatorAdjoint);
    Pair<RealVector, RealMatrix> vj = model.value(new ArrayRealVector(P));
    double[] expectedValues = TestModels.oscillatorCurve(P, t);
    assertThat(vj.getFirst().toArray()).usingTolerance(1e-15).containsExactly(expectedValues).inOrder();
    assertThat(model.computeValue(P).toArray()).usingTolerance(1e-15).containsExactly(expectedValues).inOrder();
    assertClose("curve Jacobian", vj.getSecond().getData(),
        centralJacobian(p -> TestModels.oscillatorCurve(p, t), P), 1e-7);
    assertClose("computeJacobian", model.computeJacobian(P).getData(), vj.getSecond().getData(), 0);
  }

  @Test
  void leastSquaresFromGeneratedJacobianMatchesCentralDifferencesAndCurve() {
    double[] t = abscissae(40);
    ValueAndJacobianFunction model = AdjointFunctions.leastSquares(
        p -> TestModels.oscillatorCurve(p, t), p -> TestModelsDiff.oscillatorCurveJacobian(p, t));
    Pair<RealVector, RealMatrix> vj = model.value(new ArrayRealVector(P));
    assertClose("mJacobian", vj.getSecond().getData(),
        centralJacobian(p -> TestModels.oscillatorCurve(p, t), P), 1e-7);
    assertClose("mJacobian against curve", vj.getSecond().getData(),
        AdjointFunctions.curve(t, TestModelsDiff::oscillatorAdjoint).computeJacobian(P).getData(),
        1e-13);
  }

  @Test
  void finiteDifferencesAdapterApproximatesTheJacobian() {
    double[] t = abscissae(40);
    assertClose("finite differences",
        AdjointFunctions.finiteDifferences(p -> TestModels.oscillatorCurve(p, t))
            .computeJacobian(P).getData(),
        TestModelsDiff.oscillatorCurveJacobian(P, t), 1e-6);
  }

  @Test
  void gradientMatchesCentralDifferences() {
    double[] x = {-1.2, 1.0, 0.3, 0.8, -0.5};
    double[] g = AdjointFunctions.gradient(TestModelsDiff::rosenbrockAdjoint).value(x);
    double[][] expected = centralJacobian(y -> new double[] {TestModels.rosenbrock(y)}, x);
    assertClose("gradient", new double[][] {g}, expected, 1e-7);
    // The gradient function starts from zero at every call (the generated adjoint adds).
    assertThat(AdjointFunctions.gradient(TestModelsDiff::rosenbrockAdjoint).value(x))
        .usingExactEquality().containsExactly(g).inOrder();
  }

  @Test
  void conjugateGradientMinimisesRosenbrockWithTheGeneratedGradient() {
    NonLinearConjugateGradientOptimizer optimizer = new NonLinearConjugateGradientOptimizer(
        NonLinearConjugateGradientOptimizer.Formula.POLAK_RIBIERE,
        new SimpleValueChecker(1e-14, 1e-14));
    PointValuePair optimum = optimizer.optimize(
        new MaxEval(100_000),
        GoalType.MINIMIZE,
        new InitialGuess(new double[] {-1.2, 1.0}),
        new ObjectiveFunction(TestModels::rosenbrock),
        AdjointFunctions.objectiveGradient(TestModelsDiff::rosenbrockAdjoint));
    assertThat(optimum.getPoint()).usingTolerance(1e-3).containsExactly(1.0, 1.0).inOrder();
    assertThat(optimum.getValue()).isLessThan(1e-6);
  }

  @Test
  void levenbergMarquardtRecoversTheParametersWithinTheNoise() {
    int m = 400;
    double sigma = 0.05;
    double[] t = abscissae(m);
    double[] y = TestModels.oscillatorCurve(TRUE_P, t);
    Random random = new Random(16);
    for (int i = 0; i < m; i++) {
      y[i] += sigma * random.nextGaussian();
    }
    Optimum fit = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
        .model(AdjointFunctions.curve(t, TestModelsDiff::oscillatorAdjoint))
        .target(y)
        .start(P)
        .maxEvaluations(1000)
        .maxIterations(1000)
        .build());
    double[] p = fit.getPoint().toArray();
    double[] standardErrors = fit.getSigma(1e-12).toArray();
    for (int j = 0; j < p.length; j++) {
      // The fit's own standard error scaled by the residual RMS (the noise's estimate).
      double se = standardErrors[j] * fit.getRMS();
      assertWithMessage("p[%s] = %s, true %s, standard error %s", j, p[j], TRUE_P[j], se)
          .that(Math.abs(p[j] - TRUE_P[j]))
          .isLessThan(4 * se);
      assertThat(se).isLessThan(0.05);
    }
    assertThat(fit.getRMS()).isWithin(0.1 * sigma).of(sigma);
  }
}
