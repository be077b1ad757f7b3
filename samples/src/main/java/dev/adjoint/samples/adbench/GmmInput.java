package dev.adjoint.samples.adbench;

/**
 * One ADBench GMM instance: the parameters to differentiate ({@code alphas}, {@code means}, {@code
 * icf}) and the constants (points {@code x}, Wishart {@code gamma} and {@code m}).
 */
public record GmmInput(
    double[] alphas, double[][] means, double[][] icf, double[][] x, double gamma, int m) {

  /** The shipped instances, by ADBench path. */
  public static final String TEST = "gmm/test.txt";
  public static final String D2_K5 = "gmm/1k/gmm_d2_K5.txt";
  public static final String D10_K5 = "gmm/1k/gmm_d10_K5.txt";
  public static final String D64_K10 = "gmm/1k/gmm_d64_K10.txt.gz";

  /** Reads a shipped instance (see {@link #TEST} and the others). */
  public static GmmInput read(String path) {
    try (Tokens in = Tokens.open(path)) {
      int d = in.nextInt();
      int k = in.nextInt();
      int n = in.nextInt();
      double[] alphas = in.nextDoubles(k);
      double[][] means = new double[k][];
      for (int c = 0; c < k; c++) {
        means[c] = in.nextDoubles(d);
      }
      double[][] icf = new double[k][];
      for (int c = 0; c < k; c++) {
        icf[c] = in.nextDoubles(d * (d + 1) / 2);
      }
      double[][] x = new double[n][];
      for (int i = 0; i < n; i++) {
        x[i] = in.nextDoubles(d);
      }
      double gamma = in.nextDouble();
      int m = (int) in.nextDouble();
      return new GmmInput(alphas, means, icf, x, gamma, m);
    }
  }

  public int d() {
    return means[0].length;
  }

  public int k() {
    return alphas.length;
  }

  public int n() {
    return x.length;
  }

  /** Number of differentiated inputs: K + K d + K d(d+1)/2. */
  public int parameterCount() {
    return k() + k() * d() + k() * icf[0].length;
  }

  /** The objective at this instance's parameters. */
  public double objective() {
    return Gmm.objective(alphas, means, icf, x, gamma, m);
  }
}
