package dev.adjoint.benchmarks;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.adbench.Gmm;
import dev.adjoint.samples.adbench.GmmInput;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A hand-written adjoint of {@link NaturalGmm#objective}, the floor for the generated one: per
 * point, the forward sweep of every component (its centred point and {@code Q (x - mu)} kept in
 * arrays of k rows), the log-sum-exp with its {@code exp}s kept, then the reverse of every
 * component, with no tape. {@code NaturalGmmFloorTest} checks it against the generated
 * gradient.
 *
 * <p>{@link #main} times the objective, the generated {@code objectiveAdjoint} on a reused tape
 * and this adjoint, interleaved in rounds of at least 40 ms each, in thread CPU time (less
 * disturbed by other processes than wall time), and prints the median ratios over 30 rounds
 * with their interquartile range:
 *
 * <pre>{@code
 * mvn -B -ntp -q -DskipTests -pl benchmarks -am test-compile
 * for i in gmm/1k/gmm_d2_K5.txt gmm/1k/gmm_d10_K5.txt gmm/1k/gmm_d64_K10.txt.gz; do
 *   java -cp benchmarks/target/classes:benchmarks/target/test-classes:runtime/target/classes:samples/target/classes \
 *       dev.adjoint.benchmarks.NaturalGmmFloor $i
 * done
 * }</pre>
 *
 * <p>One JVM per size: in one JVM, the sizes after the first run code compiled for the first
 * one's trip counts.
 */
public final class NaturalGmmFloor {
  private NaturalGmmFloor() {}

  /** Adds the gradient into {@code dAlphas}, {@code dMeans}, {@code dIcf}; returns the value. */
  static double gradient(int d, int k, int n, double[] alphas, double[] means, double[] icf,
      double[] x, double gamma, int m, double[] dAlphas, double[] dMeans, double[] dIcf) {
    int icfSize = d * (d + 1) / 2;
    double[] qdiags = new double[d * k];
    double[] sumQs = new double[k];
    double[] xcs = new double[k * d];
    double[] qxs = new double[k * d];
    double[] mainTerm = new double[k];
    double[] qxBar = new double[d];
    double[] xcBar = new double[d];
    double[] qdiagsBar = new double[d * k];
    double[] sumQsBar = new double[k];
    for (int ik = 0; ik < k; ik++) {
      double s = 0;
      for (int id = 0; id < d; id++) {
        double q = icf[ik * icfSize + id];
        s += q;
        qdiags[ik * d + id] = Math.exp(q);
      }
      sumQs[ik] = s;
    }
    double slse = 0;
    for (int ix = 0; ix < n; ix++) {
      for (int ik = 0; ik < k; ik++) {
        int o = ik * d;
        for (int id = 0; id < d; id++) {
          xcs[o + id] = x[ix * d + id] - means[o + id];
        }
        for (int id = 0; id < d; id++) {
          qxs[o + id] = qdiags[o + id] * xcs[o + id];
        }
        int li = ik * icfSize + d;
        for (int i = 0; i < d; i++) {
          for (int j = i + 1; j < d; j++) {
            qxs[o + j] += icf[li] * xcs[o + i];
            li++;
          }
        }
        double sqnorm = 0;
        for (int id = 0; id < d; id++) {
          sqnorm += qxs[o + id] * qxs[o + id];
        }
        mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * sqnorm;
      }
      double mx = mainTerm[0];
      for (int i = 1; i < k; i++) {
        mx = Math.max(mx, mainTerm[i]);
      }
      double semx = 0;
      for (int i = 0; i < k; i++) {
        mainTerm[i] = Math.exp(mainTerm[i] - mx);
        semx += mainTerm[i];
      }
      slse += Math.log(semx) + mx;
      for (int ik = 0; ik < k; ik++) {
        double g = mainTerm[ik] / semx;
        int o = ik * d;
        dAlphas[ik] += g;
        sumQsBar[ik] += g;
        for (int id = 0; id < d; id++) {
          qxBar[id] = -g * qxs[o + id];
          xcBar[id] = 0;
        }
        int li = ik * icfSize + d;
        for (int i = 0; i < d; i++) {
          double sum = 0;
          double xi = xcs[o + i];
          for (int j = i + 1; j < d; j++) {
            dIcf[li] += qxBar[j] * xi;
            sum += qxBar[j] * icf[li];
            li++;
          }
          xcBar[i] += sum;
        }
        for (int id = 0; id < d; id++) {
          qdiagsBar[o + id] += qxBar[id] * xcs[o + id];
          xcBar[id] += qxBar[id] * qdiags[o + id];
          dMeans[o + id] -= xcBar[id];
        }
      }
    }
    double mx = alphas[0];
    for (int i = 1; i < k; i++) {
      mx = Math.max(mx, alphas[i]);
    }
    double semx = 0;
    for (int i = 0; i < k; i++) {
      semx += Math.exp(alphas[i] - mx);
    }
    double lseAlphas = Math.log(semx) + mx;
    for (int i = 0; i < k; i++) {
      dAlphas[i] -= n * Math.exp(alphas[i] - mx) / semx;
    }
    double prior = 0;
    for (int ik = 0; ik < k; ik++) {
      double frobenius = 0;
      for (int id = 0; id < d; id++) {
        double q = qdiags[ik * d + id];
        frobenius += q * q;
        qdiagsBar[ik * d + id] += gamma * gamma * q;
      }
      for (int i = ik * icfSize + d; i < (ik + 1) * icfSize; i++) {
        frobenius += icf[i] * icf[i];
        dIcf[i] += gamma * gamma * icf[i];
      }
      prior += 0.5 * gamma * gamma * frobenius - m * sumQs[ik];
      sumQsBar[ik] -= m;
      for (int id = 0; id < d; id++) {
        dIcf[ik * icfSize + id] += sumQsBar[ik] + qdiagsBar[ik * d + id] * qdiags[ik * d + id];
      }
    }
    prior -= k * Gmm.wishartLogConstant(gamma, m, d);
    double constant = -n * d * 0.5 * Math.log(2 * NaturalGmm.PI);
    return constant + slse - n * lseAlphas + prior;
  }

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

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
      Runnable generated = () -> NaturalGmmDiff.objectiveAdjoint(g.d(), g.k(), g.n(),
          g.alphas(), g.means(), g.icf(), g.x(), g.gamma(), g.m(), 1.0, dA, dM, dI, tape);
      Runnable hand = () -> gradient(g.d(), g.k(), g.n(), g.alphas(), g.means(), g.icf(),
          g.x(), g.gamma(), g.m(), dA, dM, dI);
      int reps = 1;
      long start = THREADS.getCurrentThreadCpuTime();
      while (THREADS.getCurrentThreadCpuTime() - start < 40_000_000L) {
        objective.run();
        generated.run();
        hand.run();
        reps++;
      }
      List<Double> generatedRatios = new ArrayList<>();
      List<Double> handRatios = new ArrayList<>();
      double objectiveNanos = 0;
      for (int round = 0; round < 40; round++) {
        double o = time(objective, reps);
        double gen = time(generated, reps);
        double h = time(hand, reps);
        o = (o + time(objective, reps)) / 2;
        if (round >= 10) {
          generatedRatios.add(gen / o);
          handRatios.add(h / o);
          objectiveNanos = o / reps;
        }
      }
      System.out.printf("%s: objective %.1f us; generated objectiveAdjoint %s; hand-written %s%n",
          path, objectiveNanos / 1e3, median(generatedRatios), median(handRatios));
    }
  }

  private static double time(Runnable r, int reps) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < reps; i++) {
      r.run();
    }
    return THREADS.getCurrentThreadCpuTime() - t0;
  }

  private static String median(List<Double> ratios) {
    Collections.sort(ratios);
    int n = ratios.size();
    return String.format("%.2f (IQR %.2f - %.2f)", ratios.get(n / 2), ratios.get(n / 4),
        ratios.get(3 * n / 4));
  }
}
