package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.arrays.ArrayFixture.assertVector;
import static dev.adjoint.processor.arrays.ArrayFixture.check;
import static dev.adjoint.processor.arrays.ArrayFixture.on;

import dev.adjoint.processor.testing.ArrayOracle.Result;
import org.junit.jupiter.api.Test;

/**
 * {@code float[]}: parameters (alone and next to a {@code double[]}), passed to a helper, and local
 * {@code float[]} arrays with and without element assignments.
 *
 * <p>Sources are compiled, and checked against the oracle, through {@link ArrayFixture}.
 */
class FloatArrayTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** float[] parameters, float[] passed to a helper, local float arrays without overwrites. */
  static final String ARR_FLOATS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class ArrFloats {
        @Differentiable
        public static float floatDot(float[] a, float[] b, float c) {
          float s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i] * c;
          }
          return s;
        }

        @Differentiable
        public static double floatAndDouble(float[] a, double[] b) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += Math.exp(a[i] * b[i]);
          }
          return s;
        }

        @Differentiable
        public static float floatToHelper(float[] x, float c) {
          return floatDot(x, x, c) * floatDot(x, x, 2 * c);
        }

        @Differentiable
        public static float floatInitializer(float a, float b) {
          float[] v = {a, b * a};
          return v[0] * v[1];
        }

        @Differentiable
        public static float floatLocalAccumulated(float[] a) {
          float[] t = new float[a.length];
          for (int i = 0; i < a.length; i++) {
            t[i] += a[i] * a[i];
          }
          float s = 0;
          for (int i = 0; i < a.length; i++) {
            s += t[i] * a[i];
          }
          return s;
        }
      }
      """;

  /**
   * A local float[] whose elements are assigned with {@code =}: separate, because the generated
   * code does not compile (the reverse sweep writes {@code tBar[i] = 0.0} into a float[]).
   */
  static final String ARR_FLOAT_LOCALS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class ArrFloatLocals {
        @Differentiable
        public static float floatLocal(float[] a, float c) {
          float[] t = new float[a.length];
          for (int i = 0; i < a.length; i++) {
            t[i] = (float) Math.sin(a[i] * c);
          }
          float s = 0;
          for (int i = 0; i < t.length; i++) {
            s += t[i] * t[i] + a[i];
          }
          return s;
        }

        @Differentiable
        public static float floatScalarIntoLocal(float x) {
          float[] t = new float[1];
          t[0] = x * x;
          return t[0];
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // float[]
  // ---------------------------------------------------------------------------------------------

  @Test
  void floatArrayParameters() {
    Result r =
        check("ArrFloats", "floatDot", new float[] {0.5f, -1.25f, 2.0f},
            new float[] {1.5f, 0.75f, -0.5f}, 0.8f);
    assertThat(r.component("dA")).isInstanceOf(float[].class);
    assertThat(r.component("dC")).isInstanceOf(Float.class);
    // d/da = b c, d/db = a c, d/dc = a . b
    assertVector(r, "dA", r.vector("dA"), new double[] {1.2, 0.6, -0.4}, 1e-3);
    assertVector(r, "dB", r.vector("dB"), new double[] {0.4, -1.0, 1.6}, 1e-3);
    assertThat(r.d("dC")).isWithin(1e-3).of(0.75 - 0.9375 - 1.0);
  }

  @Test
  void floatArrayNextToADoubleArray() {
    Result r =
        check("ArrFloats", "floatAndDouble", new float[] {0.3f, -0.8f}, new double[] {1.1, 0.6});
    assertThat(r.component("dA")).isInstanceOf(float[].class);
    assertThat(r.component("dB")).isInstanceOf(double[].class);
  }

  @Test
  void floatArrayPassedToAHelper() {
    check("ArrFloats", "floatToHelper", new float[] {0.5f, -0.3f, 1.2f}, 0.7f);
  }

  @Test
  void floatLocalArraysWithoutOverwrites() {
    check("ArrFloats", "floatInitializer", 0.5f, -1.5f);
    check("ArrFloats", "floatLocalAccumulated", (Object) new float[] {0.5f, -1.5f, 0.25f});
    on("ArrFloats")
        .withRelativeTolerance(1e-3)
        .check("floatLocalAccumulated", (Object) new float[] {1.1f, -0.4f});
  }

  /**
   * BUG: an element assignment to a local float[] does not compile: the reverse sweep writes
   * {@code tBar[i] = 0.0;} and tBar is a float[] (ReverseTransform.reverseElementWrite zeroes
   * the adjoint element with a double literal).
   */
  @Test
  void floatLocalArrayElementAssignment() {
    check("ArrFloatLocals", "floatLocal", new float[] {0.3f, -0.8f, 1.4f, 0.05f}, 1.25f);
    on("ArrFloatLocals")
        .withRelativeTolerance(1e-3)
        .check("floatLocal", new float[] {1.1f, -0.4f}, -0.6f);
    Result r = check("ArrFloatLocals", "floatScalarIntoLocal", 1.5f);
    assertThat(r.d("dX")).isWithin(1e-6).of(3.0);
  }
}
