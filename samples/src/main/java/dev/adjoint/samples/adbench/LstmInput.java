package dev.adjoint.samples.adbench;

/** One ADBench LSTM instance: parameters to differentiate, initial state and sequence. */
public record LstmInput(
    double[][] mainParams, double[][] extraParams, double[][] state, double[][] sequence) {

  /** The shipped instance: 2 layers, 1024 characters of 14 bits. */
  public static final String L2_C1024 = "lstm/lstm_l2_c1024.txt";

  /** Reads a shipped instance. */
  public static LstmInput read(String path) {
    try (Tokens in = Tokens.open(path)) {
      int layers = in.nextInt();
      int c = in.nextInt();
      int b = in.nextInt();
      double[][] main = rows(in, 2 * layers, 4 * b);
      double[][] extra = rows(in, 3, b);
      double[][] state = rows(in, 2 * layers, b);
      double[][] sequence = rows(in, c, b);
      return new LstmInput(main, extra, state, sequence);
    }
  }

  private static double[][] rows(Tokens in, int count, int length) {
    double[][] rows = new double[count][];
    for (int r = 0; r < count; r++) {
      rows[r] = in.nextDoubles(length);
    }
    return rows;
  }

  /** Number of differentiated inputs: 2 l 4 b + 3 b. */
  public int parameterCount() {
    return mainParams.length * mainParams[0].length + extraParams.length * extraParams[0].length;
  }

  /** The objective at this instance's parameters. */
  public double objective() {
    return Lstm.objective(mainParams, extraParams, state, sequence);
  }
}
