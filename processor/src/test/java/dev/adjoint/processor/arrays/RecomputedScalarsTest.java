package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.Test;

/**
 * Scalars overwritten in a loop that the reverse sweep evaluates again instead of recording
 * ({@code transform.RecomputedScalars}): the variable of an enhanced {@code for} over an array,
 * a named cheap subexpression in a nested loop, an {@code int} index; and the variants that must
 * still record (an operand the loop changes, a read before the definition or after the loop, a
 * second writer, a dear value, a while loop stepping its counter, a checkpointed loop). Every
 * method is checked against the oracle; the generated source is read for what it records.
 */
class RecomputedScalarsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Scalars {
        /** Explicit heat steps, then the energy summed with an enhanced for. */
        @Differentiable
        public static double heatEnergy(double[] u0, double alpha, int steps) {
          int n = u0.length;
          double[] u = new double[n];
          for (int i = 0; i < n; i++) {
            u[i] = u0[i];
          }
          double[] old = new double[n];
          for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) {
              old[i] = u[i];
            }
            for (int i = 1; i < n - 1; i++) {
              u[i] = old[i] + alpha * (old[i - 1] - 2 * old[i] + old[i + 1]);
            }
          }
          double energy = 0;
          for (double v : u) {
            energy += v * v;
          }
          return energy;
        }

        /** A named difference in a nested loop, and an int index computed from the counters. */
        @Differentiable
        public static double weightedDistances(double[] x, double[] mu, double[] w) {
          int d = mu.length;
          double s = 0;
          for (int i = 0; i < x.length / d; i++) {
            for (int j = 0; j < d; j++) {
              double diff = x[i * d + j] - mu[j];
              int k = (i + j) % d;
              s += diff * diff * w[k] + Math.sin(s) * w[k];
            }
          }
          return s;
        }

        /** Log-sum-exp with a running Math.max over an enhanced for, then a softplus sum. */
        @Differentiable
        public static double logSumExp(double[] z) {
          double max = z[0];
          for (double m : z) {
            max = Math.max(max, m);
          }
          double sum = 0;
          for (double m : z) {
            sum += Math.exp(m - max);
          }
          double softplus = 0;
          for (double m : z) {
            softplus += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m)));
          }
          return max + Math.log(sum) + softplus;
        }

        /** Definitions that must be recorded: see each comment. */
        @Differentiable
        public static double mustRecord(double[] x) {
          double c = 0.5;
          double prev = 0;
          double s = 0;
          double last = 0;
          for (int i = 0; i < x.length; i++) {
            // An operand the loop changes.
            double a = x[i] * c;
            c += 0.25 * a;
            // Read before its definition, in the next iteration.
            s += prev * prev;
            prev = x[i] + 1;
            // A second writer.
            double b = x[i] - 0.5;
            if (b > 0) {
              b = b * 0.5;
            }
            s += b * b * a;
            // Read after the loop.
            last = x[i] * 2;
            s += last * last;
          }
          return s + last * s;
        }

        /** A while loop stepping its counter in the body: the element is recorded. */
        @Differentiable
        public static double whileLoop(double[] x) {
          double s = 1;
          int i = 0;
          while (i < x.length) {
            double v = x[i];
            s = s * v + v * v;
            i++;
          }
          return s;
        }

        /** Checkpointed: the top-level loop keeps its records, an inner loop recomputes. */
        @Differentiable(checkpointEvery = 2)
        public static double checkpointed(double[] x, double[] y) {
          double s = 0;
          for (int t = 0; t < 5; t++) {
            double v = x[t % x.length];
            s += v * v * s + 0.1 * v;
            for (double u : y) {
              s += u * u * s * 0.1;
            }
          }
          return s;
        }

        /** Second order: the tangent's adjoint recomputes both the value and its tangent. */
        @Differentiable(order = 2)
        public static double secondOrder(double[] x) {
          double s = 0;
          for (double v : x) {
            s += v * v * v;
          }
          return s * s;
        }

        /** Floats. */
        @Differentiable
        public static float floats(float[] x) {
          float s = 0;
          for (float v : x) {
            s += v * v * 0.5f;
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
    return ArrayOracle.on(compiled().load("p.ScalarsDiff"));
  }

  /** The body of the generated method {@code name}Adjoint taking a tape. */
  private static String adjointBody(String type, String name) {
    return compiled().adjointBody("p.ScalarsDiff", type, name);
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  @Test
  void heatEnergyMatchesTheOracleAndRereadsTheElement() {
    oracle().check("heatEnergy", new double[] {0.3, -0.7, 1.2, 0.5, -0.1, 0.9}, 0.2, 4);
    oracle().check("heatEnergy", new double[] {0.3, -0.7}, 0.2, 0);
    String body = adjointBody("double", "heatEnergy");
    assertThat(body).doesNotContain("tape.pushDouble(v)");
    assertThat(occurrences(body, "v = u[vIndex];")).isEqualTo(2);
    // The stencil's scratch copy reads u, which the time loop changes: still recorded (whole).
    assertThat(body).contains("tape.pushArray(old);");
  }

  @Test
  void weightedDistancesMatchTheOracleAndRecordNeitherScalar() {
    oracle().check("weightedDistances", new double[] {0.3, -0.7, 1.2, 0.5, -0.1, 0.9},
        new double[] {0.2, -0.4, 0.6}, new double[] {1.5, -0.5, 0.25});
    String body = adjointBody("double", "weightedDistances");
    assertThat(body).doesNotContain("tape.pushDouble(diff)");
    assertThat(body).doesNotContain("tape.pushInt(k)");
    assertThat(occurrences(body, "diff = x[i * d + j] - mu[j];")).isEqualTo(2);
    assertThat(occurrences(body, "k = (i + j) % d;")).isEqualTo(2);
  }

  @Test
  void logSumExpMatchesTheOracleAndRereadsTheElements() {
    oracle().check("logSumExp", (Object) new double[] {0.3, -0.7, 1.2, 0.5, -2.1, 0.9});
    oracle().check("logSumExp", (Object) new double[] {-0.4});
    String body = adjointBody("double", "logSumExp");
    assertThat(body).doesNotContain("tape.pushDouble(m)");
    assertThat(body).doesNotContain("tape.pushDouble(m2)");
    assertThat(body).doesNotContain("tape.pushDouble(m3)");
    // The running maximum still records its old value (its own writer reads it).
    assertThat(body).contains("tape.pushDouble(max)");
  }

  @Test
  void mustRecordMatchesTheOracleAndRecords() {
    oracle().check("mustRecord", (Object) new double[] {0.3, -0.7, 1.2, 0.5, -0.1, 0.9});
    oracle().check("mustRecord", (Object) new double[] {0.8});
    String body = adjointBody("double", "mustRecord");
    assertThat(body).contains("tape.pushDouble(a)");
    assertThat(body).contains("tape.pushDouble(prev)");
    assertThat(body).contains("tape.pushDouble(b)");
    assertThat(body).contains("tape.pushDouble(last)");
  }

  @Test
  void whileLoopMatchesTheOracleAndRecords() {
    oracle().check("whileLoop", (Object) new double[] {0.3, -0.7, 1.2, 0.5});
    oracle().check("whileLoop", (Object) new double[] {});
    assertThat(adjointBody("double", "whileLoop")).contains("tape.pushDouble(v)");
  }

  @Test
  void checkpointedMatchesTheOracle() {
    oracle().check("checkpointed", new double[] {0.3, -0.7, 0.4}, new double[] {0.2, -0.5});
    String body = adjointBody("double", "checkpointed");
    // The inner loop's element is in the snapshot of the loop's variables, never pushed per
    // iteration; the top-level loop's element is recorded in the segments' forward runs.
    assertThat(occurrences(body, "tape.pushDouble(u)")).isEqualTo(1);
    assertThat(occurrences(body, "tape.pushDouble(v)")).isEqualTo(2);
  }

  @Test
  void secondOrderAndFloatsMatchTheOracle() {
    oracle().check("secondOrder", (Object) new double[] {0.3, -0.7, 1.2});
    oracle().check("floats", (Object) new float[] {0.3f, -0.7f, 1.2f});
    assertThat(adjointBody("double", "secondOrder")).doesNotContain("tape.pushDouble(v)");
    assertThat(adjointBody("float", "floats")).doesNotContain("tape.pushFloat(v)");
  }
}
