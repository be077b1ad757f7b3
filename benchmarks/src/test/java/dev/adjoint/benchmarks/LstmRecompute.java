package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.Lstm;
import dev.adjoint.samples.adbench.LstmDiff;
import dev.adjoint.samples.adbench.LstmInput;
import java.util.Arrays;

/**
 * Hand-edited copies of the generated {@code LstmDiff.objectiveAdjoint} that recompute a loop
 * iteration's forward part at the start of its reverse iteration instead of recording its
 * intermediates (per-iteration checkpointing), to compare with the recording adjoint that the
 * processor generates. {@code LstmRecomputeTest} checks both against the generated gradient.
 *
 * <p>Per time step and cell ({@code layer}, {@code i}), the generated adjoint records 11 values:
 * the partial of each of the three {@code sigmoid} calls, the four gates' previous values, the
 * old {@code cell}, {@code hidden} and {@code input} elements, and {@code tanh(cell)}; per time
 * step it also records the {@code b} {@code exp}s of the prediction. {@link #cellsAdjoint}
 * records per cell only the loop-carried state (the old {@code cell}, {@code hidden} and
 * {@code input} elements) and rebuilds the gates, their partials and {@code tanh(cell)} (three
 * {@code exp}s and two {@code tanh}s) at the start of the cell's reverse iteration;
 * {@link #cellsAndExpsAdjoint} also recomputes the prediction's {@code exp}s instead of
 * recording them. {@link #gatePartialsAdjoint} is the generated adjoint less the three partials
 * (rebuilt from the recorded gates), for comparison with recomputing single cheap values.
 *
 * <p>{@link #main} times the objective, the generated {@code objectiveAdjoint} on a reused tape
 * and the three copies interleaved in one JVM ({@link InterleavedTiming}). Run with
 * {@code -Xbatch}: the JIT then compiles in the timed thread, so that the warm-up ends with the
 * code compiled on a loaded machine too (without it, runs differed by up to 3x at GMM's small
 * sizes):
 *
 * <pre>{@code
 * mvn -B -ntp -q -DskipTests -pl benchmarks -am test-compile
 * java -Xbatch -cp benchmarks/target/classes:benchmarks/target/test-classes:runtime/target/classes:samples/target/classes \
 *     dev.adjoint.benchmarks.LstmRecompute
 * }</pre>
 */
public final class LstmRecompute {
  private LstmRecompute() {}

  /**
   * As the generated {@code objectiveAdjoint}, recomputing each cell's forward in its reverse
   * iteration; adds {@code seed} times the gradient into the two buffers.
   */
  static double cellsAdjoint(double[][] mainParams, double[][] extraParams, double[][] state,
      double[][] sequence, double seed, double[][] mainParamsAdjoint,
      double[][] extraParamsAdjoint, Tape tape) {
    return adjoint(mainParams, extraParams, state, sequence, seed, mainParamsAdjoint,
        extraParamsAdjoint, tape, false);
  }

  /** As {@link #cellsAdjoint}, recomputing the prediction's {@code exp}s as well. */
  static double cellsAndExpsAdjoint(double[][] mainParams, double[][] extraParams,
      double[][] state, double[][] sequence, double seed, double[][] mainParamsAdjoint,
      double[][] extraParamsAdjoint, Tape tape) {
    return adjoint(mainParams, extraParams, state, sequence, seed, mainParamsAdjoint,
        extraParamsAdjoint, tape, true);
  }

  /**
   * The generated adjoint (recording) less the three {@code sigmoid} partials: each is rebuilt in
   * the reverse iteration as {@code s * (1 - s)} from the gate {@code s}, which is recorded anyway
   * (8 values per cell instead of 11).
   */
  static double gatePartialsAdjoint(double[][] mainParams, double[][] extraParams,
      double[][] state, double[][] sequence, double seed, double[][] mainParamsAdjoint,
      double[][] extraParamsAdjoint, Tape tape) {
    tape.enter();
    try {
      double forget = 0.0;
      double ingate = 0.0;
      double outgate = 0.0;
      double change = 0.0;
      double sumExp = 0.0;
      double lse = 0.0;
      int layers = mainParams.length / 2;
      int b = extraParams[0].length;
      int c = sequence.length;
      double[][] hidden = new double[layers][b];
      double[][] cell = new double[layers][b];
      for (int layer = 0; layer < layers; layer++) {
        for (int i = 0; i < b; i++) {
          hidden[layer][i] = state[2 * layer][i];
          cell[layer][i] = state[2 * layer + 1][i];
        }
      }
      double[] input = new double[b];
      double total = 0;
      for (int t = 0; t < c - 1; t++) {
        for (int i = 0; i < b; i++) {
          tape.pushDouble(input[i]);
          input[i] = sequence[t][i] * extraParams[0][i];
        }
        for (int layer = 0; layer < layers; layer++) {
          for (int i = 0; i < b; i++) {
            tape.pushDouble(forget);
            forget = sigmoid(input[i] * mainParams[2 * layer][i] + mainParams[2 * layer + 1][i]);
            tape.pushDouble(ingate);
            ingate = sigmoid(hidden[layer][i] * mainParams[2 * layer][b + i]
                + mainParams[2 * layer + 1][b + i]);
            tape.pushDouble(outgate);
            outgate = sigmoid(input[i] * mainParams[2 * layer][2 * b + i]
                + mainParams[2 * layer + 1][2 * b + i]);
            tape.pushDouble(change);
            change = Math.tanh(hidden[layer][i] * mainParams[2 * layer][3 * b + i]
                + mainParams[2 * layer + 1][3 * b + i]);
            tape.pushDouble(cell[layer][i]);
            cell[layer][i] = cell[layer][i] * forget + ingate * change;
            double t2 = Math.tanh(cell[layer][i]);
            tape.pushDouble(t2);
            tape.pushDouble(hidden[layer][i]);
            hidden[layer][i] = outgate * t2;
            tape.pushDouble(input[i]);
            input[i] = hidden[layer][i];
          }
        }
        tape.pushDouble(sumExp);
        sumExp = 0;
        for (int i = 0; i < b; i++) {
          double t2 = Math.exp(input[i] * extraParams[1][i] + extraParams[2][i]);
          tape.pushDouble(t2);
          sumExp += t2;
        }
        lse = Math.log(sumExp + 2);
        for (int i = 0; i < b; i++) {
          total += sequence[t + 1][i] * (input[i] * extraParams[1][i] + extraParams[2][i] - lse);
        }
      }
      int t = (c - 1) * b;
      double result = -total / t;
      double resultBar = seed;
      double totalBar = 0.0;
      double[] inputBar = tape.borrowLike(input);
      double[][] extraParamsBar = extraParamsAdjoint;
      double lseBar = 0.0;
      double sumExpBar = 0.0;
      double[][] hiddenBar = new double[layers][b];
      double outgateBar = 0.0;
      double[][] cellBar = new double[layers][b];
      double forgetBar = 0.0;
      double ingateBar = 0.0;
      double changeBar = 0.0;
      double[][] mainParamsBar = mainParamsAdjoint;
      totalBar -= resultBar / t;
      for (int t2 = c - 1 - 1; t2 >= 0; t2--) {
        for (int i = b - 1; i >= 0; i--) {
          double g = totalBar * sequence[t2 + 1][i];
          inputBar[i] += g * extraParams[1][i];
          extraParamsBar[1][i] += g * input[i];
          extraParamsBar[2][i] += g;
          lseBar -= g;
        }
        sumExpBar += lseBar / (sumExp + 2);
        lseBar = 0.0;
        for (int i = b - 1; i >= 0; i--) {
          double t3 = tape.popDouble();
          double g = sumExpBar * t3;
          inputBar[i] += g * extraParams[1][i];
          extraParamsBar[1][i] += g * input[i];
          extraParamsBar[2][i] += g;
        }
        sumExp = tape.popDouble();
        sumExpBar = 0.0;
        for (int layer = layers - 1; layer >= 0; layer--) {
          for (int i = b - 1; i >= 0; i--) {
            input[i] = tape.popDouble();
            hiddenBar[layer][i] += inputBar[i];
            inputBar[i] = 0.0;
            hidden[layer][i] = tape.popDouble();
            double g = hiddenBar[layer][i];
            double t3 = tape.popDouble();
            outgateBar += g * t3;
            cellBar[layer][i] += g * outgate * (1.0 - t3 * t3);
            hiddenBar[layer][i] = 0.0;
            cell[layer][i] = tape.popDouble();
            double cellBarIn = cellBar[layer][i];
            cellBar[layer][i] = 0.0;
            cellBar[layer][i] += cellBarIn * forget;
            forgetBar += cellBarIn * cell[layer][i];
            ingateBar += cellBarIn * change;
            changeBar += cellBarIn * ingate;
            double changeResult = change;
            change = tape.popDouble();
            double g2 = changeBar * (1.0 - changeResult * changeResult);
            hiddenBar[layer][i] += g2 * mainParams[2 * layer][3 * b + i];
            mainParamsBar[2 * layer][3 * b + i] += g2 * hidden[layer][i];
            mainParamsBar[2 * layer + 1][3 * b + i] += g2;
            changeBar = 0.0;
            double g3 = outgateBar * (outgate * (1.0 - outgate));
            outgate = tape.popDouble();
            inputBar[i] += g3 * mainParams[2 * layer][2 * b + i];
            mainParamsBar[2 * layer][2 * b + i] += g3 * input[i];
            mainParamsBar[2 * layer + 1][2 * b + i] += g3;
            outgateBar = 0.0;
            double g4 = ingateBar * (ingate * (1.0 - ingate));
            ingate = tape.popDouble();
            hiddenBar[layer][i] += g4 * mainParams[2 * layer][b + i];
            mainParamsBar[2 * layer][b + i] += g4 * hidden[layer][i];
            mainParamsBar[2 * layer + 1][b + i] += g4;
            ingateBar = 0.0;
            double g5 = forgetBar * (forget * (1.0 - forget));
            forget = tape.popDouble();
            inputBar[i] += g5 * mainParams[2 * layer][i];
            mainParamsBar[2 * layer][i] += g5 * input[i];
            mainParamsBar[2 * layer + 1][i] += g5;
            forgetBar = 0.0;
          }
        }
        for (int i = b - 1; i >= 0; i--) {
          input[i] = tape.popDouble();
          extraParamsBar[0][i] += inputBar[i] * sequence[t2][i];
          inputBar[i] = 0.0;
        }
      }
      tape.release(1);
      return result;
    } finally {
      tape.exit();
    }
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  // The generated method's text, with the cell body's recording replaced by recomputation; the
  // flag chooses whether the prediction's exps are recorded or recomputed (a branch per exp that
  // goes the same way for a whole call, so that the CPU predicts it).
  private static double adjoint(double[][] mainParams, double[][] extraParams,
      double[][] state, double[][] sequence, double seed, double[][] mainParamsAdjoint,
      double[][] extraParamsAdjoint, Tape tape, boolean recomputeExps) {
    tape.enter();
    try {
      double sumExp = 0.0;
      double lse = 0.0;
      double[] callPartials = tape.borrow(1);
      int layers = mainParams.length / 2;
      int b = extraParams[0].length;
      int c = sequence.length;
      double[][] hidden = new double[layers][b];
      double[][] cell = new double[layers][b];
      for (int layer = 0; layer < layers; layer++) {
        for (int i = 0; i < b; i++) {
          hidden[layer][i] = state[2 * layer][i];
          cell[layer][i] = state[2 * layer + 1][i];
        }
      }
      double[] input = new double[b];
      double total = 0;
      for (int t = 0; t < c - 1; t++) {
        for (int i = 0; i < b; i++) {
          tape.pushDouble(input[i]);
          input[i] = sequence[t][i] * extraParams[0][i];
        }
        for (int layer = 0; layer < layers; layer++) {
          for (int i = 0; i < b; i++) {
            // Only the loop-carried state is recorded.
            tape.pushDouble(cell[layer][i]);
            tape.pushDouble(hidden[layer][i]);
            tape.pushDouble(input[i]);
            double forget = sigmoid(input[i] * mainParams[2 * layer][i]
                + mainParams[2 * layer + 1][i]);
            double ingate = sigmoid(hidden[layer][i] * mainParams[2 * layer][b + i]
                + mainParams[2 * layer + 1][b + i]);
            double outgate = sigmoid(input[i] * mainParams[2 * layer][2 * b + i]
                + mainParams[2 * layer + 1][2 * b + i]);
            double change = Math.tanh(hidden[layer][i] * mainParams[2 * layer][3 * b + i]
                + mainParams[2 * layer + 1][3 * b + i]);
            cell[layer][i] = cell[layer][i] * forget + ingate * change;
            hidden[layer][i] = outgate * Math.tanh(cell[layer][i]);
            input[i] = hidden[layer][i];
          }
        }
        tape.pushDouble(sumExp);
        sumExp = 0;
        for (int i = 0; i < b; i++) {
          double t2 = Math.exp(input[i] * extraParams[1][i] + extraParams[2][i]);
          if (!recomputeExps) {
            tape.pushDouble(t2);
          }
          sumExp += t2;
        }
        lse = Math.log(sumExp + 2);
        for (int i = 0; i < b; i++) {
          total += sequence[t + 1][i] * (input[i] * extraParams[1][i] + extraParams[2][i] - lse);
        }
      }
      int t = (c - 1) * b;
      double result = -total / t;
      double resultBar = seed;
      double totalBar = 0.0;
      double[] inputBar = tape.borrowLike(input);
      double[][] extraParamsBar = extraParamsAdjoint;
      double lseBar = 0.0;
      double sumExpBar = 0.0;
      double[][] hiddenBar = new double[layers][b];
      double[][] cellBar = new double[layers][b];
      double[][] mainParamsBar = mainParamsAdjoint;
      totalBar -= resultBar / t;
      for (int t2 = c - 1 - 1; t2 >= 0; t2--) {
        for (int i = b - 1; i >= 0; i--) {
          double g = totalBar * sequence[t2 + 1][i];
          inputBar[i] += g * extraParams[1][i];
          extraParamsBar[1][i] += g * input[i];
          extraParamsBar[2][i] += g;
          lseBar -= g;
        }
        sumExpBar += lseBar / (sumExp + 2);
        lseBar = 0.0;
        for (int i = b - 1; i >= 0; i--) {
          double t3 = recomputeExps
              ? Math.exp(input[i] * extraParams[1][i] + extraParams[2][i])
              : tape.popDouble();
          double g = sumExpBar * t3;
          inputBar[i] += g * extraParams[1][i];
          extraParamsBar[1][i] += g * input[i];
          extraParamsBar[2][i] += g;
        }
        sumExp = tape.popDouble();
        sumExpBar = 0.0;
        for (int layer = layers - 1; layer >= 0; layer--) {
          for (int i = b - 1; i >= 0; i--) {
            // The iteration's forward, rebuilt from the state it started from.
            input[i] = tape.popDouble();
            hidden[layer][i] = tape.popDouble();
            cell[layer][i] = tape.popDouble();
            callPartials[0] = 0.0;
            double forget = LstmDiff.sigmoidAdjoint(input[i] * mainParams[2 * layer][i]
                + mainParams[2 * layer + 1][i], 1.0, callPartials, tape);
            double dSigmoid3 = callPartials[0];
            callPartials[0] = 0.0;
            double ingate = LstmDiff.sigmoidAdjoint(hidden[layer][i] * mainParams[2 * layer][b + i]
                + mainParams[2 * layer + 1][b + i], 1.0, callPartials, tape);
            double dSigmoid2 = callPartials[0];
            callPartials[0] = 0.0;
            double outgate = LstmDiff.sigmoidAdjoint(input[i] * mainParams[2 * layer][2 * b + i]
                + mainParams[2 * layer + 1][2 * b + i], 1.0, callPartials, tape);
            double dSigmoid = callPartials[0];
            double change = Math.tanh(hidden[layer][i] * mainParams[2 * layer][3 * b + i]
                + mainParams[2 * layer + 1][3 * b + i]);
            double t3 = Math.tanh(cell[layer][i] * forget + ingate * change);
            // Its reverse, as generated.
            hiddenBar[layer][i] += inputBar[i];
            inputBar[i] = 0.0;
            double g = hiddenBar[layer][i];
            double outgateBar = g * t3;
            cellBar[layer][i] += g * outgate * (1.0 - t3 * t3);
            hiddenBar[layer][i] = 0.0;
            double cellBarIn = cellBar[layer][i];
            cellBar[layer][i] = cellBarIn * forget;
            double forgetBar = cellBarIn * cell[layer][i];
            double ingateBar = cellBarIn * change;
            double changeBar = cellBarIn * ingate;
            double g2 = changeBar * (1.0 - change * change);
            hiddenBar[layer][i] += g2 * mainParams[2 * layer][3 * b + i];
            mainParamsBar[2 * layer][3 * b + i] += g2 * hidden[layer][i];
            mainParamsBar[2 * layer + 1][3 * b + i] += g2;
            double g3 = outgateBar * dSigmoid;
            inputBar[i] += g3 * mainParams[2 * layer][2 * b + i];
            mainParamsBar[2 * layer][2 * b + i] += g3 * input[i];
            mainParamsBar[2 * layer + 1][2 * b + i] += g3;
            double g4 = ingateBar * dSigmoid2;
            hiddenBar[layer][i] += g4 * mainParams[2 * layer][b + i];
            mainParamsBar[2 * layer][b + i] += g4 * hidden[layer][i];
            mainParamsBar[2 * layer + 1][b + i] += g4;
            double g5 = forgetBar * dSigmoid3;
            inputBar[i] += g5 * mainParams[2 * layer][i];
            mainParamsBar[2 * layer][i] += g5 * input[i];
            mainParamsBar[2 * layer + 1][i] += g5;
          }
        }
        for (int i = b - 1; i >= 0; i--) {
          input[i] = tape.popDouble();
          extraParamsBar[0][i] += inputBar[i] * sequence[t2][i];
          inputBar[i] = 0.0;
        }
      }
      tape.release(2);
      return result;
    } finally {
      tape.exit();
    }
  }

  /**
   * Times the objective, the generated adjoint and the two recomputing copies on ADBench's LSTM
   * l2 c1024, interleaved in one JVM.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    LstmInput in = LstmInput.read(LstmInput.L2_C1024);
    double[][] dMain = new double[in.mainParams().length][in.mainParams()[0].length];
    double[][] dExtra = new double[in.extraParams().length][in.extraParams()[0].length];
    Tape tape = new Tape();
    Runnable objective = () -> Lstm.objective(in.mainParams(), in.extraParams(), in.state(),
        in.sequence());
    Runnable recorded = () -> {
      clear(dMain, dExtra);
      LstmDiff.objectiveAdjoint(in.mainParams(), in.extraParams(), in.state(), in.sequence(),
          1.0, dMain, dExtra, tape);
    };
    Runnable cells = () -> {
      clear(dMain, dExtra);
      cellsAdjoint(in.mainParams(), in.extraParams(), in.state(), in.sequence(), 1.0, dMain,
          dExtra, tape);
    };
    Runnable cellsAndExps = () -> {
      clear(dMain, dExtra);
      cellsAndExpsAdjoint(in.mainParams(), in.extraParams(), in.state(), in.sequence(), 1.0,
          dMain, dExtra, tape);
    };
    Runnable gatePartials = () -> {
      clear(dMain, dExtra);
      gatePartialsAdjoint(in.mainParams(), in.extraParams(), in.state(), in.sequence(), 1.0,
          dMain, dExtra, tape);
    };
    InterleavedTiming.print("LSTM l2 c1024", objective,
        new String[] {"generated (recording) objectiveAdjoint", "recomputing cells",
            "recomputing cells and exps", "recording without the sigmoid partials"},
        recorded, cells, cellsAndExps, gatePartials);
  }

  private static void clear(double[][] a, double[][] b) {
    for (double[] row : a) {
      Arrays.fill(row, 0);
    }
    for (double[] row : b) {
      Arrays.fill(row, 0);
    }
  }
}
