package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.Test;

/**
 * Whole-array overwrites whose old values the reverse sweep needs are saved with one {@code
 * tape.pushArray} before the loop and restored with one {@code tape.popArray} after its reverse
 * ({@code transform.WholeArraySaves}): a heat stepper's scratch copy, a refill with recorded
 * values of its own between, a {@code float[]} one, a checkpointed method; a refill reading its
 * own old elements keeps the element saves. Every method is checked against the oracle; the
 * generated source is read for what it records.
 */
class WholeArraySavesTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Saves {
        /** Explicit heat steps: the scratch copy of u is refilled on every step. */
        @Differentiable
        public static double heat(double[] u0, double alpha, int steps) {
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
          for (int i = 0; i < n; i++) {
            energy += u[i] * u[i] * u[i];
          }
          return energy;
        }

        /** A refill whose values are recorded too (exp): their pushes sit after the array's. */
        @Differentiable
        public static double recordedValues(double[] x, double y) {
          double[] e = new double[x.length];
          double s = y;
          for (int p = 0; p < 3; p++) {
            for (int j = 0; j < e.length; j++) {
              e[j] = Math.exp(x[j] * s);
            }
            for (int j = 0; j < e.length; j++) {
              s += 0.1 * e[j] * x[j] * s;
            }
          }
          return s;
        }

        /** Floats. */
        @Differentiable
        public static float floats(float[] x) {
          float[] f = new float[x.length];
          float s = 1;
          for (int p = 0; p < 3; p++) {
            for (int j = 0; j < f.length; j++) {
              f[j] = x[j] * s;
            }
            for (int j = 0; j < f.length; j++) {
              s += 0.1f * f[j] * f[j];
            }
          }
          return s;
        }

        /** Checkpointed: the top-level loop is left to the checkpoints, the inner one saves. */
        @Differentiable(checkpointEvery = 2)
        public static double checkpointed(double[] x) {
          double[] a = new double[x.length];
          double s = 1;
          for (int t = 0; t < 5; t++) {
            for (int j = 0; j < a.length; j++) {
              a[j] = x[j] * s + t;
            }
            for (int j = 0; j < a.length; j++) {
              s += 0.1 * a[j] * a[j];
            }
          }
          return s;
        }

        /** A refill reading its own old elements keeps a save per element. */
        @Differentiable
        public static double readsItself(double[] x) {
          double[] a = new double[x.length];
          double s = 0;
          for (int p = 0; p < 3; p++) {
            for (int j = 0; j < a.length; j++) {
              a[j] = a[j] * x[j] + x[(j + p) % x.length];
            }
            for (int j = 0; j < a.length; j++) {
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
    return ArrayOracle.on(compiled().load("p.SavesDiff"));
  }

  /** The body of the generated method {@code name}Adjoint taking a tape. */
  private static String adjointBody(String type, String name) {
    return compiled().adjointBody("p.SavesDiff", type, name);
  }

  @Test
  void heatMatchesTheOracleAndSavesTheScratchCopyWhole() {
    oracle().check("heat", new double[] {0.3, -0.7, 1.2, 0.5, -0.1, 0.9}, 0.2, 4);
    oracle().check("heat", new double[] {0.3, -0.7}, 0.2, 0);
    String body = adjointBody("double", "heat");
    assertThat(body).doesNotContain("tape.pushDouble(old[i])");
    assertThat(body).contains("tape.pushArray(old);");
    assertThat(body).contains("tape.popArray(old);");
  }

  @Test
  void recordedValuesMatchTheOracle() {
    oracle().check("recordedValues", new double[] {0.3, -0.7, 1.2}, 0.4);
    oracle().check("recordedValues", new double[] {}, 0.4);
    String body = adjointBody("double", "recordedValues");
    assertThat(body).contains("tape.pushArray(e);");
    assertThat(body).doesNotContain("tape.pushDouble(e[j])");
  }

  @Test
  void floatsMatchTheOracle() {
    oracle().check("floats", (Object) new float[] {0.3f, -0.7f, 1.2f});
    assertThat(adjointBody("float", "floats")).contains("tape.pushArray(f);");
  }

  @Test
  void checkpointedMatchesTheOracle() {
    oracle().check("checkpointed", (Object) new double[] {0.3, -0.7, 0.4});
    assertThat(adjointBody("double", "checkpointed")).contains("tape.pushArray(a);");
  }

  @Test
  void aRefillReadingItselfSavesEachElement() {
    oracle().check("readsItself", (Object) new double[] {0.3, -0.7, 1.2, 0.5});
    String body = adjointBody("double", "readsItself");
    assertThat(body).contains("tape.pushDouble(a[j])");
    assertThat(body).doesNotContain("tape.pushArray(a)");
  }
}
