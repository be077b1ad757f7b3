package dev.adjoint.benchmarks.probe;

import dev.adjoint.benchmarks.probe.NaturalCode.Option;
import dev.adjoint.runtime.Tape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * One probe function at one size: its inputs, the plain call and the generated {@code mAdjoint}
 * on a caller's tape (seed 1, adding into the adjoint buffers). The differentiated inputs are
 * the rows of {@link #in} (each array parameter, each row of a matrix, a row for the scalars),
 * their adjoints the rows of {@link #out} in the same order.
 */
abstract class ProbeCase {
  @Override
  public String toString() {
    return name;
  }

  final String name;
  final List<double[]> in = new ArrayList<>();
  final List<double[]> out = new ArrayList<>();

  ProbeCase(String name, double[][]... inputs) {
    this.name = name;
    for (double[][] m : inputs) {
      for (double[] row : m) {
        in.add(row);
        out.add(new double[row.length]);
      }
    }
  }

  abstract double objective();

  abstract double adjoint(Tape tape);

  /** Called after {@link #in} changed (rebuilds records made from it). */
  void refresh() {}

  void zeroAdjoints() {
    for (double[] row : out) {
      Arrays.fill(row, 0);
    }
  }

  int size() {
    int n = 0;
    for (double[] row : in) {
      n += row.length;
    }
    return n;
  }

  double[] point() {
    double[] x = new double[size()];
    int k = 0;
    for (double[] row : in) {
      System.arraycopy(row, 0, x, k, row.length);
      k += row.length;
    }
    return x;
  }

  void set(double[] x) {
    int k = 0;
    for (double[] row : in) {
      System.arraycopy(x, k, row, 0, row.length);
      k += row.length;
    }
    refresh();
  }

  double[] gradient() {
    double[] g = new double[size()];
    int k = 0;
    for (double[] row : out) {
      System.arraycopy(row, 0, g, k, row.length);
      k += row.length;
    }
    return g;
  }

  private static double[][] matrix(Random r, int rows, int cols, double scale) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = scale * r.nextGaussian();
      }
    }
    return m;
  }

  private static double[] vector(Random r, int n, double scale) {
    return matrix(r, 1, n, scale)[0];
  }

  double[][] adjointOf(int from, int rows) {
    return out.subList(from, from + rows).toArray(new double[0][]);
  }

  /** The eight probes; {@code large} picks the timing sizes, otherwise small checking sizes. */
  static List<ProbeCase> all(boolean large) {
    return List.of(mlp(large), heat(large), polyFit(large), kalman(large), ridge(large),
        portfolio(large), compound(large), logistic(large));
  }

  static ProbeCase mlp(boolean large) {
    Random r = new Random(1);
    int input = large ? 32 : 3;
    int hidden = large ? 64 : 4;
    int classes = large ? 10 : 3;
    int batch = large ? 64 : 5;
    double[][] w1 = matrix(r, hidden, input, 0.3);
    double[] b1 = vector(r, hidden, 0.1);
    double[][] w2 = matrix(r, classes, hidden, 0.3);
    double[] b2 = vector(r, classes, 0.1);
    double[][] xs = matrix(r, batch, input, 1);
    int[] labels = new int[batch];
    for (int i = 0; i < batch; i++) {
      labels[i] = r.nextInt(classes);
    }
    return new ProbeCase("mlp softmax cross-entropy", w1, new double[][] {b1}, w2,
        new double[][] {b2}, xs) {
      final double[][] dW1 = adjointOf(0, hidden);
      final double[] dB1 = out.get(hidden);
      final double[][] dW2 = adjointOf(hidden + 1, classes);
      final double[] dB2 = out.get(hidden + 1 + classes);
      final double[][] dXs = adjointOf(hidden + 2 + classes, batch);

      @Override
      double objective() {
        return NaturalCode.mlpLoss(w1, b1, w2, b2, xs, labels);
      }

      @Override
      double adjoint(Tape tape) {
        return NaturalCodeDiff.mlpLossAdjoint(w1, b1, w2, b2, xs, labels, 1.0, dW1, dB1, dW2,
            dB2, dXs, tape);
      }
    };
  }

  static ProbeCase heat(boolean large) {
    Random r = new Random(2);
    int n = large ? 200 : 8;
    int steps = large ? 200 : 5;
    double[] u0 = vector(r, n, 1);
    double[] scalars = {0.2};
    return new ProbeCase("heat equation, explicit steps in place", new double[][] {u0, scalars}) {
      @Override
      double objective() {
        return NaturalCode.heat(u0, scalars[0], steps);
      }

      @Override
      double adjoint(Tape tape) {
        return NaturalCodeDiff.heatAdjoint(u0, scalars[0], steps, 1.0, out.get(1), out.get(0),
            tape);
      }
    };
  }

  static ProbeCase polyFit(boolean large) {
    Random r = new Random(3);
    int degree = large ? 8 : 4;
    int points = large ? 1000 : 10;
    double[] coeffs = vector(r, degree + 1, 0.5);
    double[] xs = vector(r, points, 0.7);
    double[] ys = vector(r, points, 1);
    return new ProbeCase("polynomial fit, Horner", new double[][] {coeffs, xs, ys}) {
      @Override
      double objective() {
        return NaturalCode.polyFit(coeffs, xs, ys);
      }

      @Override
      double adjoint(Tape tape) {
        return NaturalCodeDiff.polyFitAdjoint(coeffs, xs, ys, 1.0, out.get(0), out.get(1),
            out.get(2), tape);
      }
    };
  }

  static ProbeCase kalman(boolean large) {
    Random r = new Random(4);
    int n = large ? 4 : 3;
    int observations = large ? 200 : 6;
    double[][] f = matrix(r, n, n, 0.2);
    for (int i = 0; i < n; i++) {
      f[i][i] += 0.8;
    }
    double[] h = vector(r, n, 1);
    double[] scalars = {0.1, 0.5};
    double[] x0 = vector(r, n, 1);
    double[] zs = vector(r, observations, 1);
    return new ProbeCase("Kalman filter likelihood, helper returning an array", f,
        new double[][] {h, scalars, x0, zs}) {
      final double[][] dF = adjointOf(0, n);

      @Override
      double objective() {
        return NaturalCode.kalman(f, h, scalars[0], scalars[1], x0, zs);
      }

      @Override
      double adjoint(Tape tape) {
        return NaturalCodeDiff.kalmanAdjoint(f, h, scalars[0], scalars[1], x0, zs, 1.0,
            out.get(n + 1), dF, out.get(n),
            out.get(n + 2), out.get(n + 3), tape);
      }
    };
  }

  static ProbeCase ridge(boolean large) {
    Random r = new Random(5);
    int rows = large ? 500 : 6;
    int cols = large ? 20 : 3;
    double[] w = vector(r, cols, 1);
    double[][] xs = matrix(r, rows, cols, 1);
    double[] ys = vector(r, rows, 1);
    double[] scalars = {0.1};
    return new ProbeCase("ridge regression, private dot helper", new double[][] {w}, xs,
        new double[][] {ys, scalars}) {
      final double[][] dXs = adjointOf(1, rows);

      @Override
      double objective() {
        return NaturalCode.ridge(w, xs, ys, scalars[0]);
      }

      @Override
      double adjoint(Tape tape) {
        return NaturalCodeDiff.ridgeAdjoint(w, xs, ys, scalars[0], 1.0, out.get(rows + 2),
            out.get(0), dXs, out.get(rows + 1), tape);
      }
    };
  }

  static ProbeCase portfolio(boolean large) {
    Random r = new Random(6);
    int options = large ? 200 : 4;
    double[] strikes = new double[options];
    double[] maturities = new double[options];
    double[] quantities = new double[options];
    for (int i = 0; i < options; i++) {
      strikes[i] = 80 + 40 * r.nextDouble();
      maturities[i] = 0.25 + 2 * r.nextDouble();
      quantities[i] = 1 + r.nextInt(10);
    }
    double[] scalars = {100, 0.25, 0.03};
    Option[][] book = {new Option[options]};
    ProbeCase c = new ProbeCase("Black-Scholes book over records",
        new double[][] {scalars, strikes, maturities, quantities}) {
      @Override
      void refresh() {
        for (int i = 0; i < options; i++) {
          book[0][i] = new Option(strikes[i], maturities[i], quantities[i]);
        }
      }

      @Override
      double objective() {
        return NaturalCode.portfolio(scalars[0], scalars[1], scalars[2], book[0]);
      }

      @Override
      double adjoint(Tape tape) {
        return NaturalCodeDiff.portfolioAdjoint(scalars[0], scalars[1], scalars[2], book[0],
            1.0, out.get(0), out.get(1), out.get(2), out.get(3), tape);
      }
    };
    c.refresh();
    return c;
  }

  static ProbeCase compound(boolean large) {
    Random r = new Random(7);
    int n = large ? 1000 : 6;
    double[] growth = new double[n];
    for (int i = 0; i < n; i++) {
      growth[i] = 1 + 0.01 * r.nextGaussian();
    }
    double[] weights = vector(r, n, 1);
    return new ProbeCase("cumulative product", new double[][] {growth, weights}) {
      @Override
      double objective() {
        return NaturalCode.compound(growth, weights);
      }

      @Override
      double adjoint(Tape tape) {
        return NaturalCodeDiff.compoundAdjoint(growth, weights, 1.0, out.get(0), out.get(1),
            tape);
      }
    };
  }

  static ProbeCase logistic(boolean large) {
    Random r = new Random(8);
    int rows = large ? 500 : 6;
    int cols = large ? 20 : 3;
    double[] w = vector(r, cols, 1);
    double[][] xs = matrix(r, rows, cols, 1);
    double[] ys = new double[rows];
    for (int i = 0; i < rows; i++) {
      ys[i] = r.nextBoolean() ? 1 : -1;
    }
    return new ProbeCase("logistic loss, softplus and log-sum-exp with Math.max",
        new double[][] {w}, xs, new double[][] {ys}) {
      final double[][] dXs = adjointOf(1, rows);

      @Override
      double objective() {
        return NaturalCode.logistic(w, xs, ys);
      }

      @Override
      double adjoint(Tape tape) {
        return NaturalCodeDiff.logisticAdjoint(w, xs, ys, 1.0, out.get(0),
            dXs, out.get(rows + 1), tape);
      }
    };
  }
}
