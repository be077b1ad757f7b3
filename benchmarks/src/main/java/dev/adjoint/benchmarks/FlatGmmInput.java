package dev.adjoint.benchmarks;

import dev.adjoint.samples.adbench.GmmInput;

/** A GMM instance in ADBench's flat layout, the arguments of {@link NaturalGmm#objective}. */
record FlatGmmInput(int d, int k, int n, double[] alphas, double[] means, double[] icf,
    double[] x, double gamma, int m) {

  static FlatGmmInput of(GmmInput in) {
    return new FlatGmmInput(in.d(), in.k(), in.n(), in.alphas().clone(), flat(in.means()),
        flat(in.icf()), flat(in.x()), in.gamma(), in.m());
  }

  /** The objective at this instance's parameters. */
  double objective() {
    return NaturalGmm.objective(d, k, n, alphas, means, icf, x, gamma, m);
  }

  private static double[] flat(double[][] rows) {
    int width = rows[0].length;
    double[] flat = new double[rows.length * width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }
}
