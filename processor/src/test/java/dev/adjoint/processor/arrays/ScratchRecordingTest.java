package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.Test;

/**
 * What code written naturally records ({@code transform.Reversible}): integer steps are undone
 * in place instead of pushed, and a scratch array refilled by a loop records only the refill,
 * not every later increment of its elements. Every method is checked against the oracle; the
 * generated source is read for what it records.
 */
class ScratchRecordingTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Scratch {
        /** ADBench's GMM inner loop, as its C++ reference writes it, on flat arrays. */
        @Differentiable
        public static double packedTriangle(int d, int k, int n, double[] means, double[] icf,
            double[] x) {
          int icfSize = d * (d + 1) / 2;
          double[] xcentered = new double[d];
          double[] qxcentered = new double[d];
          double[] mainTerm = new double[k];
          double total = 0;
          for (int ix = 0; ix < n; ix++) {
            for (int ik = 0; ik < k; ik++) {
              for (int id = 0; id < d; id++) {
                xcentered[id] = x[ix * d + id] - means[ik * d + id];
              }
              for (int id = 0; id < d; id++) {
                qxcentered[id] = Math.exp(icf[ik * icfSize + id]) * xcentered[id];
              }
              int li = ik * icfSize + d;
              for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                  qxcentered[j] += icf[li] * xcentered[i];
                  li++;
                }
              }
              double sqnorm = 0;
              for (int id = 0; id < d; id++) {
                sqnorm += qxcentered[id] * qxcentered[id];
              }
              mainTerm[ik] = -0.5 * sqnorm;
            }
            total += logsumexp(mainTerm);
          }
          return total;
        }

        @Differentiable
        static double logsumexp(double[] v) {
          double mx = v[0];
          for (int i = 1; i < v.length; i++) {
            if (v[i] > mx) {
              mx = v[i];
            }
          }
          double semx = 0;
          for (int i = 0; i < v.length; i++) {
            semx += Math.exp(v[i] - mx);
          }
          return Math.log(semx) + mx;
        }

        /** An index stepped by 2 and by -1, then overwritten after the loop and read again. */
        @Differentiable(wrt = "w")
        public static double steppedIndex(double[] w, int n) {
          double s = 0;
          int k = 0;
          long m = 3L * n - 1;
          for (int i = 0; i < n; i++) {
            s += w[k] * w[(int) m] * s + w[k];
            k += 2;
            m--;
          }
          k = 1;
          s += w[k] * s;
          return s;
        }

        /** A while loop whose counter is stepped in its body: the undo replaces the trip pushes. */
        @Differentiable
        public static double whileStep(double[] w) {
          double s = 1;
          int i = 0;
          while (i < w.length) {
            s = s * w[i] + Math.sin(s);
            i++;
          }
          return s;
        }

        /**
         * A scratch array refilled, then updated from its own other elements: the updates read
         * the array, so they are still recorded.
         */
        @Differentiable
        public static double refillThenSelfUpdate(double[] x, double[] v) {
          int d = x.length;
          double[] t = new double[d];
          double s = 0;
          for (int p = 0; p < v.length; p++) {
            for (int j = 0; j < d; j++) {
              t[j] = x[j] * v[p];
            }
            for (int j = 0; j < d; j++) {
              t[j] += t[(j + 1) % d] * x[j];
            }
            s += t[0] * t[d - 1];
          }
          return s;
        }

        /** Refills that must be recorded: read before them, or reading what the loop changes. */
        @Differentiable
        public static double refillsNotRecomputed(double[] x, double[] v) {
          double[] t = new double[x.length];
          double[] u = new double[x.length];
          double c = 0;
          double s = 0;
          for (int p = 0; p < v.length; p++) {
            s += t[0] * v[p];
            for (int j = 0; j < x.length; j++) {
              t[j] = x[j] * v[p];
            }
            c += v[p];
            for (int j = 0; j < u.length; j++) {
              u[j] = x[j] * c;
            }
            s += t[x.length - 1] * u[0] * s;
          }
          return s;
        }

        /** A refill recomputed in a while loop, the cheap one of two. */
        @Differentiable
        public static double refillInAWhileLoop(double[] x, double y) {
          double[] t = new double[x.length];
          double[] e = new double[x.length];
          double s = 0;
          int p = 0;
          while (s < 10 && p < 4) {
            for (int j = 0; j < t.length; j++) {
              t[j] = x[j] * y - x[j] * x[j];
            }
            for (int j = 0; j < t.length; j++) {
              e[j] = Math.exp(t[j]);
            }
            for (int j = 0; j < t.length; j++) {
              s += t[j] * e[j] * y;
            }
            p++;
          }
          return s;
        }

        /** A refill that reads the old elements, one bounded by length, one conditional. */
        @Differentiable
        public static double refillReadingOldValues(double[] x) {
          double[] a = new double[x.length];
          double[] b = new double[x.length + 1];
          double s = 0;
          for (int p = 0; p < 3; p++) {
            for (int j = 0; j < a.length; j++) {
              a[j] = a[j] * x[j] + x[(j + p) % x.length];
            }
            for (int j = 0; j < x.length; j++) {
              if (x[j] > 0) {
                b[j] = a[j] * x[j];
              }
              b[j + 1] += a[j];
            }
            for (int j = 0; j < a.length; j++) {
              a[j] += b[j] * b[j + 1];
              s += a[j] * a[j];
            }
          }
          return s;
        }
      }
      """;

  private static InProcessCompiler compilation;

  private static synchronized InProcessCompiler compiled() {
    if (compilation == null) {
      compilation = InProcessCompiler.compile(SOURCE);
    }
    return compilation;
  }

  private static ArrayOracle oracle() {
    return ArrayOracle.on(compiled().load("p.ScratchDiff"));
  }

  /** The body of the generated method {@code name}Adjoint taking a tape. */
  private static String adjointBody(String name) {
    return compiled().adjointBody("p.ScratchDiff", "double", name);
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  @Test
  void packedTriangleMatchesTheOracle() {
    int d = 3;
    int k = 2;
    int n = 2;
    double[] means = {0.3, -0.2, 0.5, -0.4, 0.1, 0.25};
    double[] icf = {0.1, -0.2, 0.15, 0.3, -0.5, 0.7, -0.1, 0.05, 0.2, -0.3, 0.4, 0.6};
    double[] x = {0.9, -0.7, 0.2, -0.3, 0.8, 1.1};
    oracle().check("packedTriangle", d, k, n, means, icf, x);
  }

  @Test
  void packedTriangleRecordsNeitherTheIndexStepsNorTheIncrements() {
    String body = adjointBody("packedTriangle");
    // The index is restored once per component (its start), never per step.
    assertThat(occurrences(body, "tape.pushInt(li)")).isEqualTo(1);
    assertThat(body).contains("li--;");
    // The increments of the product record nothing; only the refill of qxcentered does (it
    // calls exp, dearer than a push and a pop), the whole array at once (WholeArraySaves).
    assertThat(body).doesNotContain("tape.pushDouble(qxcentered[");
    assertThat(occurrences(body, "tape.pushArray(qxcentered);")).isEqualTo(1);
    assertThat(occurrences(body, "tape.popArray(qxcentered);")).isEqualTo(1);
    // xcentered is recomputed at the start of each reverse iteration instead of recorded.
    assertThat(body).doesNotContain("tape.pushDouble(xcentered");
    assertThat(occurrences(body, "xcentered[id] = x[ix * d + id] - means[ik * d + id];"))
        .isEqualTo(2);
    // The row's adjoint is summed in a local, not loaded and stored on every step.
    assertThat(body).contains("xcenteredBarSum += g");
  }

  @Test
  void steppedIndexMatchesTheOracle() {
    double[] w = {0.3, -0.6, 0.9, 0.4, -0.2, 0.7, 0.15, -0.35, 0.5, 0.8, -0.45, 0.25};
    oracle().check("steppedIndex", w, 4);
    oracle().check("steppedIndex", w, 1);
    oracle().check("steppedIndex", w, 0);
  }

  @Test
  void steppedIndexUndoesItsStepsAndSavesTheOverwrite() {
    String body = adjointBody("steppedIndex");
    // Only the overwrite after the loop saves k: the steps in the loop are undone.
    assertThat(occurrences(body, "tape.pushInt(k)")).isEqualTo(1);
    assertThat(body).doesNotContain("tape.pushLong(m)");
    assertThat(body).contains("k -= 2;");
    assertThat(body).contains("m++;");
  }

  @Test
  void whileStepMatchesTheOracle() {
    oracle().check("whileStep", (Object) new double[] {0.4, 1.2, -0.7, 0.9});
    oracle().check("whileStep", (Object) new double[] {0.4});
  }

  @Test
  void refillsThatMustBeRecordedAre() {
    oracle().check("refillsNotRecomputed", new double[] {0.4, -0.8, 1.1},
        new double[] {0.5, -1.2, 0.9});
    String body = adjointBody("refillsNotRecomputed");
    // Whole arrays, each saved once before its refill (WholeArraySaves).
    assertThat(body).contains("tape.pushArray(t);");
    assertThat(body).contains("tape.pushArray(u);");
  }

  @Test
  void refillInAWhileLoopIsRecomputed() {
    oracle().check("refillInAWhileLoop", new double[] {0.4, -0.8, 0.3}, 0.7);
    oracle().check("refillInAWhileLoop", new double[] {2.4, 1.8, 2.3}, 1.7);
    String body = adjointBody("refillInAWhileLoop");
    assertThat(body).doesNotContain("tape.pushDouble(t[");
    assertThat(body).contains("tape.pushDouble(e[j])");
  }

  @Test
  void refillsMatchTheOracle() {
    oracle().check("refillThenSelfUpdate", new double[] {0.4, -0.8, 1.1}, new double[] {0.5, -1.2});
    oracle().check("refillThenSelfUpdate", new double[] {0.7}, new double[] {0.5, -1.2, 0.3});
    oracle().check("refillReadingOldValues", (Object) new double[] {0.4, -0.8, 1.1, 0.6});
  }
}
