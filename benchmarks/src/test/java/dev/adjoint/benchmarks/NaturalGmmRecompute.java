package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.Gmm;
import dev.adjoint.samples.adbench.GmmInput;
import java.util.Arrays;

/**
 * A hand-edited copy of the generated {@code NaturalGmmDiff.objectiveAdjoint} that recomputes
 * each component's forward (the refill of {@code qxcentered}, its triangular increments and the
 * index {@code li}) at the start of the component's reverse iteration instead of recording the
 * refill's d old values and {@code li} (per-iteration checkpointing; {@code xcentered} is
 * recomputed there by the generated adjoint already). {@code NaturalGmmRecomputeTest} checks it
 * against the generated gradient.
 *
 * <p>{@link #main} times the objective, the generated {@code objectiveAdjoint} on a reused tape
 * and this copy interleaved in one JVM ({@link InterleavedTiming}), with {@code -Xbatch} as for
 * {@link LstmRecompute}, one JVM per size:
 *
 * <pre>{@code
 * mvn -B -ntp -q -DskipTests -pl benchmarks -am test-compile
 * for i in gmm/1k/gmm_d2_K5.txt gmm/1k/gmm_d10_K5.txt gmm/1k/gmm_d64_K10.txt.gz; do
 *   java -Xbatch -cp benchmarks/target/classes:benchmarks/target/test-classes:runtime/target/classes:samples/target/classes \
 *       dev.adjoint.benchmarks.NaturalGmmRecompute $i
 * done
 * }</pre>
 */
public final class NaturalGmmRecompute {
  private NaturalGmmRecompute() {}

  /** As the generated {@code objectiveAdjoint} on the caller's tape, recomputing components. */
  static double objectiveAdjoint(int d, int k, int n, double[] alphas, double[] means,
      double[] icf, double[] x, double gamma, int m, double seed, double[] alphasAdjoint,
      double[] meansAdjoint, double[] icfAdjoint, Tape tape) {
    tape.enter();
    try {
      double q = 0.0;
      int li = 0;
      double sqnorm = 0.0;
      double frobenius = 0.0;
      double constant = -n * d * 0.5 * Math.log(2 * NaturalGmm.PI);
      int icfSize = d * (d + 1) / 2;
      double[] qdiags = new double[d * k];
      double[] sumQs = new double[k];
      double[] xcentered = new double[d];
      double[] qxcentered = new double[d];
      double[] mainTerm = new double[k];
      for (int ik = 0; ik < k; ik++) {
        sumQs[ik] = 0;
        for (int id = 0; id < d; id++) {
          q = icf[ik * icfSize + id];
          sumQs[ik] += q;
          double t = Math.exp(q);
          tape.pushDouble(t);
          qdiags[ik * d + id] = t;
        }
      }
      double slse = 0;
      for (int ix = 0; ix < n; ix++) {
        for (int ik = 0; ik < k; ik++) {
          for (int id = 0; id < d; id++) {
            xcentered[id] = x[ix * d + id] - means[ik * d + id];
          }
          // Nothing recorded: the reverse iteration rebuilds the component.
          for (int id = 0; id < d; id++) {
            qxcentered[id] = qdiags[ik * d + id] * xcentered[id];
          }
          li = ik * icfSize + d;
          for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
              qxcentered[j] += icf[li] * xcentered[i];
              li++;
            }
          }
          sqnorm = 0;
          for (int id = 0; id < d; id++) {
            sqnorm += qxcentered[id] * qxcentered[id];
          }
          mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqnorm;
        }
        double[] dLogsumexp = tape.borrow(mainTerm.length);
        double logsumexp = NaturalGmmDiff.logsumexpAdjoint(mainTerm, 1.0, dLogsumexp, tape);
        tape.pushArray(dLogsumexp);
        tape.release(1);
        slse += logsumexp;
      }
      double[] dLogsumexp = tape.borrow(alphas.length);
      double logsumexp = NaturalGmmDiff.logsumexpAdjoint(alphas, 1.0, dLogsumexp, tape);
      double lseAlphas = logsumexp;
      double prior = 0;
      for (int ik = 0; ik < k; ik++) {
        frobenius = 0;
        for (int id = 0; id < d; id++) {
          frobenius += qdiags[ik * d + id] * qdiags[ik * d + id];
        }
        for (int i = ik * icfSize + d; i < (ik + 1) * icfSize; i++) {
          frobenius += icf[i] * icf[i];
        }
        prior += 0.5 * gamma * gamma * frobenius - m * sumQs[ik];
      }
      prior -= k * Gmm.wishartLogConstant(gamma, m, d);
      double result = constant + slse - n * lseAlphas + prior;
      double resultBar = seed;
      double slseBar = 0.0;
      double lseAlphasBar = 0.0;
      double priorBar = 0.0;
      double frobeniusBar = 0.0;
      double[] sumQsBar = tape.borrowLike(sumQs);
      double[] icfBar = icfAdjoint;
      double[] qdiagsBar = tape.borrowLike(qdiags);
      double[] alphasBar = alphasAdjoint;
      double[] mainTermBar = tape.borrowLike(mainTerm);
      double sqnormBar = 0.0;
      double[] qxcenteredBar = tape.borrowLike(qxcentered);
      double[] xcenteredBar = tape.borrowLike(xcentered);
      double[] meansBar = meansAdjoint;
      double qBar = 0.0;
      slseBar += resultBar;
      lseAlphasBar -= resultBar * n;
      priorBar += resultBar;
      for (int ik = k - 1; ik >= 0; ik--) {
        frobeniusBar += priorBar * (0.5 * gamma * gamma);
        sumQsBar[ik] -= priorBar * m;
        for (int i = (ik + 1) * icfSize - 1; i >= ik * icfSize + d; i--) {
          icfBar[i] += 2.0 * frobeniusBar * icf[i];
        }
        for (int id = d - 1; id >= 0; id--) {
          double t = qdiags[ik * d + id];
          qdiagsBar[ik * d + id] += 2.0 * frobeniusBar * t;
        }
        frobeniusBar = 0.0;
      }
      for (int j = 0; j < dLogsumexp.length; j++) {
        alphasBar[j] += lseAlphasBar * dLogsumexp[j];
      }
      for (int ix = n - 1; ix >= 0; ix--) {
        for (int j = mainTerm.length - 1; j >= 0; j--) {
          mainTermBar[j] += slseBar * tape.popDouble();
        }
        for (int ik = k - 1; ik >= 0; ik--) {
          // The component's forward, rebuilt from values the loop does not change.
          for (int id = 0; id < d; id++) {
            xcentered[id] = x[ix * d + id] - means[ik * d + id];
          }
          for (int id = 0; id < d; id++) {
            qxcentered[id] = qdiags[ik * d + id] * xcentered[id];
          }
          li = ik * icfSize + d;
          for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
              qxcentered[j] += icf[li] * xcentered[i];
              li++;
            }
          }
          // Its reverse, as generated, less the pops.
          double g = mainTermBar[ik];
          alphasBar[ik] += g;
          sumQsBar[ik] += g;
          sqnormBar -= g * 0.5;
          mainTermBar[ik] = 0.0;
          for (int id = d - 1; id >= 0; id--) {
            qxcenteredBar[id] += 2.0 * sqnormBar * qxcentered[id];
          }
          sqnormBar = 0.0;
          for (int i = d - 1; i >= 0; i--) {
            double xcenteredBarSum = 0.0;
            double xcenteredI = d - 1 >= i + 1 ? xcentered[i] : 0.0;
            for (int j = d - 1; j >= i + 1; j--) {
              li--;
              double g2 = qxcenteredBar[j];
              icfBar[li] += g2 * xcenteredI;
              xcenteredBarSum += g2 * icf[li];
            }
            if (xcenteredBarSum != 0.0) {
              xcenteredBar[i] += xcenteredBarSum;
            }
          }
          for (int id = d - 1; id >= 0; id--) {
            double g2 = qxcenteredBar[id];
            qdiagsBar[ik * d + id] += g2 * xcentered[id];
            xcenteredBar[id] += g2 * qdiags[ik * d + id];
            qxcenteredBar[id] = 0.0;
          }
          for (int id = d - 1; id >= 0; id--) {
            meansBar[ik * d + id] -= xcenteredBar[id];
            xcenteredBar[id] = 0.0;
          }
        }
      }
      for (int ik = k - 1; ik >= 0; ik--) {
        double sumQsBarIk = d - 1 >= 0 ? sumQsBar[ik] : 0.0;
        for (int id = d - 1; id >= 0; id--) {
          double t = tape.popDouble();
          qBar += qdiagsBar[ik * d + id] * t;
          qdiagsBar[ik * d + id] = 0.0;
          qBar += sumQsBarIk;
          icfBar[ik * icfSize + id] += qBar;
          qBar = 0.0;
        }
        sumQsBar[ik] = 0.0;
      }
      tape.release(6);
      return result;
    } finally {
      tape.exit();
    }
  }

  /**
   * Times the three on ADBench's d2 K5, d10 K5 and d64 K10 (or the instances named as
   * arguments, e.g. {@code gmm/1k/gmm_d2_K5.txt}).
   *
   * @param args instance paths under ADBench's data; none for the three sizes
   */
  public static void main(String[] args) {
    String[] paths = args.length > 0 ? args
        : new String[] {GmmInput.D2_K5, GmmInput.D10_K5, GmmInput.D64_K10};
    for (String path : paths) {
      FlatGmmInput g = FlatGmmInput.of(GmmInput.read(path));
      double[] dA = new double[g.alphas().length];
      double[] dM = new double[g.means().length];
      double[] dI = new double[g.icf().length];
      Tape tape = new Tape();
      Runnable objective = g::objective;
      Runnable recorded = () -> {
        clear(dA, dM, dI);
        NaturalGmmDiff.objectiveAdjoint(g.d(), g.k(), g.n(), g.alphas(), g.means(), g.icf(),
            g.x(), g.gamma(), g.m(), 1.0, dA, dM, dI, tape);
      };
      Runnable recomputing = () -> {
        clear(dA, dM, dI);
        objectiveAdjoint(g.d(), g.k(), g.n(), g.alphas(), g.means(), g.icf(), g.x(), g.gamma(),
            g.m(), 1.0, dA, dM, dI, tape);
      };
      InterleavedTiming.print(path, objective,
          new String[] {"generated (recording) objectiveAdjoint", "recomputing components"},
          recorded, recomputing);
    }
  }

  private static void clear(double[]... buffers) {
    for (double[] b : buffers) {
      Arrays.fill(b, 0);
    }
  }
}
