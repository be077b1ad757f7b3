package dev.adjoint.samples;

import java.util.Locale;

/**
 * Prints values and gradients of the sample functions, computed by the classes Adjoint generates
 * ({@code FunctionsDiff}, {@code BlackScholesDiff}), next to central finite differences of the
 * original functions as a sanity check.
 *
 * <p>Run from the repository root with {@code mvn -B -ntp -q -DskipTests -Prun-samples package},
 * adding {@code -Dsample=notebook}, {@code training}, {@code finance}, {@code adbench}, {@code objects} or {@code
 * all} for the other programs (the default, {@code overview}, is this one).
 */
public final class Main {

  private Main() {}

  /** A function of its active inputs, used only for the finite-difference column. */
  @FunctionalInterface
  private interface Fn {
    double at(double[] p);
  }

  private static final String ROW = "%-16s %-14s %18s   %-22s %18s %18s%n";

  public static void main(String[] args) {
    String sample = args.length == 0 ? "overview" : args[0];
    switch (sample) {
      case "overview" -> overview();
      case "notebook" -> dev.adjoint.samples.notebook.NotebookTour.main(new String[0]);
      case "training" -> dev.adjoint.samples.training.TrainingSample.main(new String[0]);
      case "finance" -> dev.adjoint.samples.finance.FinanceSample.main(new String[0]);
      case "adbench" -> dev.adjoint.samples.adbench.AdbenchSample.main(new String[0]);
      case "objects" -> {
        dev.adjoint.samples.objects.BondPricer.main(new String[0]);
        dev.adjoint.samples.objects.Oscillator.main(new String[0]);
      }
      case "all" -> {
        overview();
        for (String other : new String[] {"notebook", "training", "finance", "adbench", "objects"}) {
          System.out.println();
          System.out.println("=".repeat(100));
          main(new String[] {other});
        }
      }
      default -> throw new IllegalArgumentException("unknown sample '" + sample
          + "': overview, notebook, training, finance, adbench, objects or all");
    }
  }

  /** Values and gradients of the small sample functions next to finite differences. */
  private static void overview() {
    System.out.println("Adjoint samples: reverse-mode gradients (generated) vs central finite differences");
    System.out.println();
    header("function", "point");

    FunctionsDiff.CubicGrad cubic = FunctionsDiff.cubicGrad(3);
    block("cubic", "x = 3", cubic.value(), p -> Functions.cubic(p[0]), new double[] {3},
        new String[] {"d/dx"}, cubic.dX());

    FunctionsDiff.TanhCosSquaredGrad tanhCos = FunctionsDiff.tanhCosSquaredGrad(7);
    block("tanhCosSquared", "x = 7", tanhCos.value(), p -> Functions.tanhCosSquared(p[0]),
        new double[] {7}, new String[] {"d/dx"}, tanhCos.dX());

    FunctionsDiff.AccumulationGrad accumulation = FunctionsDiff.accumulationGrad(7);
    block("accumulation", "x = 7", accumulation.value(), p -> Functions.accumulation(p[0]),
        new double[] {7}, new String[] {"d/dx"}, accumulation.dX());

    FunctionsDiff.ComplexeGrad complexe = FunctionsDiff.complexeGrad(7, 5, 2);
    block("complexe", "(7, 5, 2)", complexe.value(),
        p -> Functions.complexe(p[0], p[1], p[2]), new double[] {7, 5, 2},
        new String[] {"d/dx", "d/dy", "d/dz"}, complexe.dX(), complexe.dY(), complexe.dZ());

    FunctionsDiff.LoopIncrementGrad loop = FunctionsDiff.loopIncrementGrad(1);
    block("loopIncrement", "x = 1", loop.value(), p -> Functions.loopIncrement(p[0]),
        new double[] {1}, new String[] {"d/dx"}, loop.dX());

    double spot = 100;
    double strike = 100;
    double rate = 0.05;
    double volatility = 0.2;
    double maturity = 1;
    BlackScholesDiff.CallGrad bs =
        BlackScholesDiff.callGrad(spot, strike, rate, volatility, maturity);

    System.out.println();
    System.out.printf(Locale.ROOT,
        "Black-Scholes call: spot %s, strike %s, rate %s, volatility %s, maturity %s years%n",
        spot, strike, rate, volatility, maturity);
    System.out.println();
    header("option", "");
    // "theta" here is d(price)/d(maturity), i.e. minus the calendar-time theta.
    block("call", "", bs.value(),
        p -> BlackScholes.call(p[0], p[1], p[2], p[3], p[4]),
        new double[] {spot, strike, rate, volatility, maturity},
        new String[] {
          "delta    d/dspot", "         d/dstrike", "rho      d/drate",
          "vega     d/dvolatility", "theta    d/dmaturity"
        },
        bs.dSpot(), bs.dStrike(), bs.dRate(), bs.dVolatility(), bs.dMaturity());

    notebook();
    forwardAndSecondOrder(spot, strike, rate, volatility, maturity);
  }

  /** Forward mode, a Hessian and derivatives of higher order, all generated. */
  private static void forwardAndSecondOrder(double spot, double strike, double rate,
      double volatility, double maturity) {
    System.out.println();
    System.out.println("Forward mode and higher derivatives");
    FunctionsDiff.ComplexeJvp jvp = FunctionsDiff.complexeJvp(7, 5, 2, 1, 0, 0);
    System.out.printf(Locale.ROOT, "  complexe at (7, 5, 2) along (1, 0, 0), forward mode: %.10g"
        + " (the gradient's d/dx)%n", jvp.tangent());
    double[][] hessian = BlackScholesDiff.callHessian(spot, strike, rate, volatility, maturity);
    System.out.printf(Locale.ROOT, "  Black-Scholes gamma d2C/dS2 from callHessian: %.10g,"
        + " vanna d2C/dS dsigma: %.10g%n", hessian[0][0], hessian[0][3]);
    double[][] rosenbrock = FunctionsDiff.rosenbrockHessian(new double[] {1, 1});
    System.out.printf(Locale.ROOT, "  Rosenbrock Hessian at (1, 1): %s%n",
        java.util.Arrays.deepToString(rosenbrock));
    System.out.printf(Locale.ROOT, "  3x^2 at 5 and its derivatives to the 4th: %s%n",
        java.util.Arrays.toString(
            dev.adjoint.samples.notebook.LessonsDiff.threeXSquaredDerivatives(5)));
  }

  /** The notebook's intermediates, linear model, pullbacks and Jacobian, the Adjoint way. */
  private static void notebook() {
    System.out.println();
    System.out.println("From the notebook");
    NotebookDiff.ChainGrad chain = NotebookDiff.chainGrad(7);
    System.out.printf(Locale.ROOT, "  t = tanh(4 cos^2 x) at 7: dt/dz %s, dt/dy %s, dt/dx %s%n",
        fmt(chain.dZ()), fmt(chain.dY()), fmt(chain.dX()));

    double[] x = {1, 1};
    double[][] w = {{1, 1, 1}, {1, 1, 1}};
    double[] b = {1, 1, 1};
    NotebookDiff.LinearLossGrad linear = NotebookDiff.linearLossGrad(x, w, b);
    System.out.printf(Locale.ROOT, "  y = x w + b, loss = sum y^2, all ones: loss %s, dloss/dw %s,"
        + " dloss/db %s%n", fmt(linear.value()), java.util.Arrays.deepToString(linear.dW()),
        java.util.Arrays.toString(linear.dB()));

    NotebookDiff.LinearLossVjp recording = NotebookDiff.linearLossVjp(x, w, b);
    System.out.printf(Locale.ROOT, "  one recording, two pullbacks (seeds 1 and 0.5): dloss/db[0] "
        + "%s and %s; the recording holds %d bytes, the plain call none%n",
        fmt(recording.pullback(1).dB()[0]), fmt(recording.pullback(0.5).dB()[0]),
        recording.bytes());

    double[][] jacobian = NotebookDiff.polarJacobian(2, 0.5);
    System.out.printf(Locale.ROOT, "  Jacobian of (r cos t, r sin t) at (2, 0.5): %s%n",
        java.util.Arrays.deepToString(jacobian));
  }

  private static void header(String first, String point) {
    System.out.printf(Locale.ROOT, ROW, first, point, "value", "partial", "adjoint", "finite diff");
    System.out.printf(Locale.ROOT, ROW, "-".repeat(16), "-".repeat(14), "-".repeat(18),
        "-".repeat(22), "-".repeat(18), "-".repeat(18));
  }

  /** One function: its value on the first line, then one line per partial derivative. */
  private static void block(String name, String point, double value, Fn f, double[] at,
      String[] partials, double... gradient) {
    for (int i = 0; i < partials.length; i++) {
      System.out.printf(Locale.ROOT, ROW,
          i == 0 ? name : "", i == 0 ? point : "", i == 0 ? fmt(value) : "",
          partials[i], fmt(gradient[i]), fmt(centralDifference(f, at, i)));
    }
  }

  private static double centralDifference(Fn f, double[] at, int i) {
    double h = 1e-6 * Math.max(1.0, Math.abs(at[i]));
    double[] plus = at.clone();
    double[] minus = at.clone();
    plus[i] += h;
    minus[i] -= h;
    return (f.at(plus) - f.at(minus)) / (plus[i] - minus[i]);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.10g", v);
  }
}
