package dev.adjoint.hipparchus;

import dev.adjoint.runtime.Tape;
import java.util.Objects;
import org.hipparchus.analysis.MultivariateVectorFunction;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunctionGradient;
import org.hipparchus.optim.nonlinear.vector.leastsquares.MultivariateJacobianFunction;
import org.hipparchus.optim.nonlinear.vector.leastsquares.ValueAndJacobianFunction;
import org.hipparchus.util.Pair;

/**
 * Hands Adjoint's generated derivatives to Hipparchus's optimisers.
 *
 * <p>Generated code is static methods, so every adapter here takes a functional interface whose
 * shape is that of a generated entry point: most of the time a method reference to the generated
 * class fills it, otherwise a one-line lambda that passes the data along.
 *
 * <pre>{@code
 * // Least squares: a scalar model y = model(p, t), differentiated with respect to p.
 * //   @Differentiable(wrt = "p") static double model(double[] p, double t) { ... }
 * LeastSquaresProblem problem = new LeastSquaresBuilder()
 *     .model(AdjointFunctions.curve(t, ModelsDiff::modelAdjoint))
 *     .target(y).start(p0).maxEvaluations(1000).maxIterations(1000).build();
 * Optimum fit = new LevenbergMarquardtOptimizer().optimize(problem);
 *
 * // Gradient-based minimisation of a scalar objective f(double[] x):
 * optimizer.optimize(new ObjectiveFunction(Models::f),
 *     AdjointFunctions.objectiveGradient(ModelsDiff::fAdjoint), ...);
 * }</pre>
 *
 * <p>The adapters are thread-safe when the generated code is (it keeps no state): each call
 * records on a tape of its own.
 */
public final class AdjointFunctions {
  private AdjointFunctions() {}

  /**
   * The shape of the generated {@code mAdjoint} of a scalar model {@code double m(double[] p,
   * double t)} differentiated with respect to {@code p} ({@code @Differentiable(wrt = "p")}):
   * {@code mAdjoint(p, t, seed, pAdjoint, tape)}, so that {@code FooDiff::mAdjoint} fills it.
   */
  @FunctionalInterface
  public interface CurveAdjoint {
    /**
     * Evaluates the model at abscissa {@code t} and adds {@code seed} times its gradient with
     * respect to {@code parameters} into {@code parametersAdjoint}.
     *
     * @param parameters the model's parameters
     * @param t the abscissa of one observation
     * @param seed the factor of the gradient
     * @param parametersAdjoint the buffer the gradient is added into, as long as {@code
     *     parameters}
     * @param tape the tape to record on
     * @return the model's value at {@code t}
     */
    double adjoint(double[] parameters, double t, double seed, double[] parametersAdjoint,
        Tape tape);
  }

  /**
   * The shape of the generated {@code mAdjoint} of a scalar function {@code double f(double[] x)}:
   * {@code fAdjoint(x, seed, xAdjoint)}, so that {@code FooDiff::fAdjoint} fills it (with data
   * arguments: {@code (x, seed, g) -> FooDiff.fAdjoint(x, data, seed, g)}).
   */
  @FunctionalInterface
  public interface ArrayAdjoint {
    /**
     * Evaluates the function at {@code x} and adds {@code seed} times its gradient into {@code
     * xAdjoint}.
     *
     * @param x the point
     * @param seed the factor of the gradient
     * @param xAdjoint the buffer the gradient is added into, as long as {@code x}
     * @return the function's value at {@code x}
     */
    double adjoint(double[] x, double seed, double[] xAdjoint);
  }

  /**
   * The shape of the generated {@code mJacobian} of a vector function {@code double[] f(double[]
   * x)}, so that {@code FooDiff::fJacobian} fills it.
   */
  @FunctionalInterface
  public interface JacobianFunction {
    /**
     * The Jacobian at {@code x}.
     *
     * @param x the point
     * @return one row per output, one column per element of {@code x}
     */
    double[][] jacobian(double[] x);
  }

  /**
   * A least-squares model for curve fitting: the value {@code model(p, t_i)} and the gradient
   * with respect to {@code p} at each abscissa, from one generated adjoint call per observation
   * (one forward and one reverse sweep each, on one tape reused across the observations).
   * Hipparchus compares the values with the observations given to {@code
   * LeastSquaresBuilder.target}. {@code computeValue} (used with lazy evaluation) calls the
   * adjoint too, with seed 0.
   *
   * @param abscissae the observations' abscissae {@code t_i}; read, never changed (copy it if
   *     you will change it while the model is in use)
   * @param modelAdjoint the generated adjoint of the model, e.g. {@code FooDiff::modelAdjoint}
   * @return the model's values and Jacobian (one row per observation, one column per parameter)
   */
  public static ValueAndJacobianFunction curve(double[] abscissae, CurveAdjoint modelAdjoint) {
    Objects.requireNonNull(abscissae, "abscissae");
    Objects.requireNonNull(modelAdjoint, "modelAdjoint");
    return new ValueAndJacobianFunction() {
      @Override
      public Pair<RealVector, RealMatrix> value(RealVector point) {
        double[] p = point.toArray();
        double[] values = new double[abscissae.length];
        double[][] jacobian = new double[abscissae.length][p.length];
        Tape tape = new Tape();
        for (int i = 0; i < abscissae.length; i++) {
          values[i] = modelAdjoint.adjoint(p, abscissae[i], 1.0, jacobian[i], tape);
        }
        return new Pair<>(new ArrayRealVector(values, false),
            new Array2DRowRealMatrix(jacobian, false));
      }

      @Override
      public RealVector computeValue(double[] params) {
        double[] values = new double[abscissae.length];
        double[] scratch = new double[params.length];
        Tape tape = new Tape();
        for (int i = 0; i < abscissae.length; i++) {
          values[i] = modelAdjoint.adjoint(params, abscissae[i], 0.0, scratch, tape);
        }
        return new ArrayRealVector(values, false);
      }

      @Override
      public RealMatrix computeJacobian(double[] params) {
        return value(new ArrayRealVector(params, false)).getSecond();
      }
    };
  }

  /**
   * A least-squares model from a vector function and its generated Jacobian ({@code mJacobian},
   * which picks forward mode when the parameters are fewer than the outputs and reverse mode
   * otherwise).
   *
   * @param values the model's values, e.g. {@code p -> Foo.curve(p, t)}
   * @param jacobian its Jacobian, e.g. {@code p -> FooDiff.curveJacobian(p, t)}
   * @return the model's values and Jacobian, for {@code LeastSquaresBuilder.model}
   */
  public static ValueAndJacobianFunction leastSquares(MultivariateVectorFunction values,
      JacobianFunction jacobian) {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(jacobian, "jacobian");
    return new ValueAndJacobianFunction() {
      @Override
      public Pair<RealVector, RealMatrix> value(RealVector point) {
        double[] p = point.toArray();
        return new Pair<>(computeValue(p), computeJacobian(p));
      }

      @Override
      public RealVector computeValue(double[] params) {
        return new ArrayRealVector(values.value(params), false);
      }

      @Override
      public RealMatrix computeJacobian(double[] params) {
        return new Array2DRowRealMatrix(jacobian.jacobian(params), false);
      }
    };
  }

  /**
   * The gradient of a scalar function as a {@link MultivariateVectorFunction}, from its generated
   * adjoint (one forward and one reverse sweep per call).
   *
   * @param adjoint the generated adjoint, e.g. {@code FooDiff::fAdjoint}
   * @return {@code x -> gradient of f at x}, a new array per call
   */
  public static MultivariateVectorFunction gradient(ArrayAdjoint adjoint) {
    Objects.requireNonNull(adjoint, "adjoint");
    return x -> {
      double[] g = new double[x.length];
      adjoint.adjoint(x, 1.0, g);
      return g;
    };
  }

  /**
   * The gradient of an objective for Hipparchus's gradient-based optimisers ({@code
   * NonLinearConjugateGradientOptimizer}), to pass beside {@code new ObjectiveFunction(Foo::f)}.
   *
   * @param adjoint the generated adjoint of the objective, e.g. {@code FooDiff::fAdjoint}
   * @return the optimisation data that carries the gradient
   */
  public static ObjectiveFunctionGradient objectiveGradient(ArrayAdjoint adjoint) {
    return new ObjectiveFunctionGradient(gradient(adjoint));
  }

  /**
   * The same model as a {@link MultivariateJacobianFunction} computed with central finite
   * differences of the plain method, for comparison only: {@code 2n} evaluations of the model
   * per Jacobian, each with a step of {@code 1e-6 (1 + |p_j|)}, and truncation and rounding
   * errors that the generated derivatives do not have.
   *
   * @param values the model's values, e.g. {@code p -> Foo.curve(p, t)}
   * @return the model's values and its finite-difference Jacobian
   */
  public static ValueAndJacobianFunction finiteDifferences(MultivariateVectorFunction values) {
    Objects.requireNonNull(values, "values");
    return leastSquares(values, p -> {
      double[] x = p.clone();
      double[][] columns = new double[p.length][];
      for (int j = 0; j < p.length; j++) {
        double h = 1e-6 * (1 + Math.abs(p[j]));
        x[j] = p[j] + h;
        double[] plus = values.value(x);
        x[j] = p[j] - h;
        double[] minus = values.value(x);
        x[j] = p[j];
        for (int i = 0; i < plus.length; i++) {
          plus[i] = (plus[i] - minus[i]) / (2 * h);
        }
        columns[j] = plus;
      }
      int m = p.length == 0 ? values.value(p).length : columns[0].length;
      double[][] jacobian = new double[m][p.length];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < p.length; j++) {
          jacobian[i][j] = columns[j][i];
        }
      }
      return jacobian;
    });
  }
}
