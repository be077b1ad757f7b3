package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.Test;

/**
 * How the reverse sweep's loops read: an element a loop does not change is read once before the
 * loop ({@code transform.InvariantReads}), guarded so that a loop that does not run reads
 * nothing, and a call's recorded array partials are added straight from the tape
 * ({@code transform.DirectPops}). Every method is checked against the oracle; the generated
 * source is read for the shape.
 */
class ReverseLoopReadsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Reads {
        /**
         * A triangular product whose inner loop reads a[i + 1], out of range for the last row,
         * where the inner loop does not run.
         */
        @Differentiable
        public static double shiftedTriangle(double[] a, double[] b) {
          int n = a.length;
          double[] q = new double[n];
          double s = 0;
          for (int p = 0; p < 2; p++) {
            for (int j = 0; j < n; j++) {
              q[j] = a[j] * b[p];
            }
            for (int i = 0; i < n; i++) {
              for (int j = i + 1; j < n; j++) {
                q[j] += a[j] * a[i + 1] * b[i];
              }
            }
            for (int j = 0; j < n; j++) {
              s += q[j] * q[j];
            }
          }
          return s;
        }

        /** A call with an array argument in a loop, its result scaled and subtracted. */
        @Differentiable
        public static double callsInALoop(double[] v, double[] w) {
          double[] t = new double[v.length];
          double s = 0;
          for (int p = 0; p < w.length; p++) {
            for (int j = 0; j < v.length; j++) {
              t[j] = v[j] * w[p];
            }
            s -= 2.0 * w[p] * softmax(t);
          }
          return s;
        }

        /** Two array arguments: their partials are taken back as before. */
        @Differentiable
        public static double twoArrayArguments(double[] v, double[] w) {
          double[] t = new double[v.length];
          double s = 0;
          for (int p = 0; p < 3; p++) {
            for (int j = 0; j < v.length; j++) {
              t[j] = v[j] + p * w[j];
            }
            s += dot(t, w);
          }
          return s;
        }

        @Differentiable
        static double softmax(double[] v) {
          double mx = v[0];
          for (int i = 1; i < v.length; i++) {
            if (v[i] > mx) {
              mx = v[i];
            }
          }
          double e = 0;
          for (int i = 0; i < v.length; i++) {
            e += Math.exp(v[i] - mx);
          }
          return Math.log(e) + mx;
        }

        @Differentiable
        static double dot(double[] u, double[] v) {
          double s = 0;
          for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i] * v[i];
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
    return ArrayOracle.on(compiled().load("p.ReadsDiff"));
  }

  /** The body of the generated method {@code name}Adjoint taking a tape. */
  private static String adjointBody(String name) {
    return compiled().adjointBody("p.ReadsDiff", "double", name);
  }

  @Test
  void shiftedTriangleMatchesTheOracle() {
    oracle().check("shiftedTriangle", new double[] {0.3, -0.7, 1.2, 0.4},
        new double[] {0.5, -0.25, 0.8, 1.5});
    oracle().check("shiftedTriangle", new double[] {0.9}, new double[] {0.5, -0.25});
  }

  @Test
  void shiftedTriangleReadsTheInvariantElementsOnceBeforeTheInnerLoop() {
    String body = adjointBody("shiftedTriangle");
    // The guard is the inner loop's condition on its first iteration.
    assertThat(body).containsMatch("double \\w+ = n - 1 >= i \\+ 1 \\? a\\[i \\+ 1\\] : 0\\.0;");
    assertThat(body).containsMatch("double \\w+ = n - 1 >= i \\+ 1 \\? b\\[i\\] : 0\\.0;");
  }

  @Test
  void callsInALoopMatchTheOracle() {
    oracle().check("callsInALoop", new double[] {0.3, -0.7, 1.2}, new double[] {0.5, -1.25});
  }

  @Test
  void callsInALoopAddTheirPartialsStraightFromTheTape() {
    String body = adjointBody("callsInALoop");
    assertThat(body).containsMatch("tBar\\[j\\] \\+= \\w+ \\* tape\\.popDouble\\(\\);");
    assertThat(body).doesNotContain("popArray");
  }

  @Test
  void twoArrayArgumentsMatchTheOracle() {
    oracle().check("twoArrayArguments", new double[] {0.3, -0.7, 1.2},
        new double[] {0.5, -1.25, 0.75});
  }
}
