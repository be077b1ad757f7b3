package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.arrays.ArrayFixture.assertVector;
import static dev.adjoint.processor.arrays.ArrayFixture.check;
import static dev.adjoint.processor.arrays.ArrayFixture.point;

import dev.adjoint.processor.testing.ArrayOracle.Result;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local arrays and the restore logic of the reverse sweep: in-place recurrences on a local copy,
 * scratch arrays, initializer lists; local elements read and then overwritten (by a later write, a
 * call, an index that changes), time stepping, early exits, conditional writes, a local matrix
 * updated in place, and a local array declared after an early return.
 *
 * <p>Sources are compiled, and checked against the oracle, through {@link ArrayFixture}.
 */
class LocalArrayTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** A guard clause before a top-level local array: the generated code does not compile. */
  static final String ARR_EARLY_RETURN =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class ArrEarlyReturn {
        @Differentiable
        public static double guardThenArray(double[] x) {
          if (x.length == 0) {
            return 0;
          }
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = x[i] * x[i];
          }
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += t[i] * x[i];
          }
          return s;
        }

        @Differentiable
        public static double guardThenInitializer(double x) {
          if (x > 10) {
            return x;
          }
          double[] t = {x, x * x};
          return t[0] * t[1];
        }
      }
      """;

  /**
   * Constructs beyond the brief's list that exercise the reverse sweep's restore logic: local
   * arrays whose elements are overwritten after being read (by a later write, a call, an index
   * that changes), time stepping, early exit.
   */
  static final String ARR_TRICKY =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class ArrTricky {
        @Differentiable
        public static double scaledSquareSum(double[] a, double c) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * a[i];
          }
          return c * s;
        }

        @Differentiable
        public static double overwriteWithConstant(double[] x) {
          double[] t = {x[0], x[1]};
          double a = t[0] * t[1];
          t[0] = 2.0;
          t[1] = t[0] * t[1];
          return a + t[1] * t[1];
        }

        @Differentiable
        public static double ringBuffer(double[] x) {
          double[] t = new double[2];
          double s = 0;
          int j = 0;
          for (int i = 0; i < x.length; i++) {
            t[j] = t[j] * 0.5 + x[i] * x[i];
            s += t[j] * t[1 - j];
            j = 1 - j;
          }
          return s;
        }

        @Differentiable
        public static double heat(double[] u0, double k, int steps) {
          int n = u0.length;
          double[] u = new double[n];
          double[] v = new double[n];
          for (int i = 0; i < n; i++) {
            u[i] = u0[i];
          }
          for (int s = 0; s < steps; s++) {
            for (int i = 1; i + 1 < n; i++) {
              v[i] = u[i] + k * (u[i - 1] - 2 * u[i] + u[i + 1]);
            }
            for (int i = 1; i + 1 < n; i++) {
              u[i] = v[i] * v[i];
            }
          }
          double e = 0;
          for (int i = 0; i < n; i++) {
            e += u[i] * u[i];
          }
          return e;
        }

        @Differentiable
        public static double earlyExit(double[] x, double limit) {
          double s = 0;
          int i = 0;
          while (i < x.length) {
            if (s > limit) {
              break;
            }
            s += x[i] * x[i];
            i++;
          }
          return s;
        }

        @Differentiable
        public static double conditionalWrites(double[] x) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            if (x[i] > 0) {
              t[i] = x[i] * x[i];
            } else {
              t[i] = -2 * x[i];
            }
          }
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += t[i] > 1 ? t[i] * x[i] : t[i];
          }
          return s;
        }

        @Differentiable
        public static double matrixInPlace(double[][] a) {
          int r = a.length;
          int c = a[0].length;
          double[][] m = new double[r][c];
          for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
              m[i][j] = a[i][j];
            }
          }
          for (int i = 1; i < r; i++) {
            for (int j = 0; j < c; j++) {
              m[i][j] = m[i][j] * m[i - 1][j] + Math.cos(m[i][j]);
              m[i][j]++;
            }
          }
          double s = 0;
          for (int j = 0; j < c; j++) {
            s += m[r - 1][j];
          }
          return s;
        }

        @Differentiable
        public static double modifiedAfterCall(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = x[i];
          }
          double a = scaledSquareSum(t, c);
          for (int i = 0; i < x.length; i++) {
            t[i] = t[i] * 2;
          }
          double b = scaledSquareSum(t, c);
          return a * b;
        }

        @Differentiable
        public static double overwrittenAfterCall(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = x[i];
          }
          double a = scaledSquareSum(t, c);
          for (int i = 0; i < x.length; i++) {
            t[i] = 3.0;
          }
          return a + scaledSquareSum(t, c);
        }

        @Differentiable
        public static double callInLoopOnLocal(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = x[i];
          }
          double s = 0;
          for (int k = 0; k < 3; k++) {
            s += scaledSquareSum(t, c);
            for (int i = 0; i < t.length; i++) {
              t[i] = t[i] * 0.5 + x[i];
            }
          }
          return s;
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // In-place recurrence, scratch arrays
  // ---------------------------------------------------------------------------------------------

  static Stream<double[]> recurrencePoints() {
    return Stream.of(
        new double[] {0.7},
        new double[] {0.4, -0.9},
        new double[] {0.5, 0.3, -0.8, 0.6, 0.2},
        new double[] {-0.6, 0.45, 0.9, -0.35, 0.1, 0.75, -0.2, 0.55});
  }

  @ParameterizedTest
  @MethodSource("recurrencePoints")
  void inPlaceRecurrenceOnALocalCopy(double[] p0) {
    check("Arr", "recurrence", (Object) p0);
    check("Arr", "recurrenceSum", (Object) p0);
  }

  @Test
  void inPlaceRecurrenceTwoElementsByHand() {
    // p1' = p0 p1 + sin p1: d/dp0 = p1, d/dp1 = p0 + cos p1.
    double p0 = 0.4;
    double p1 = -0.9;
    Result r = check("Arr", "recurrence", (Object) new double[] {p0, p1});
    assertVector(r, "dP0", r.vector("dP0"), new double[] {p1, p0 + Math.cos(p1)}, 1e-15);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 6})
  void scratchArrayUsedInTwoPasses(int n) {
    check("Arr", "scratchTwoPasses", point(n, 1.0), 0.4);
    check("Arr", "scratchTwoPasses", point(n, -0.7), 1.3);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 4})
  void scratchArrayWithCompoundAssignmentsAndIncrements(int n) {
    check("Arr", "scratchCompound", point(n, 1.0), 0.4);
    check("Arr", "scratchCompound", point(n, -1.5), -2.0);
  }

  @Test
  void localArrayFromInitializerList() {
    Result r = check("Arr", "initializerList", 1.3, -0.7);
    double x = 1.3;
    double y = -0.7;
    // s = x^2 + 2 (xy)^2 + 27
    assertThat(r.d("dX")).isWithin(1e-12).of(2 * x + 4 * x * y * y);
    assertThat(r.d("dY")).isWithin(1e-12).of(4 * x * x * y);
  }

  @Test
  void localCopyThenSequentialUse() {
    check("Arr", "localCopyLoop", point(5, 1.0), 0.8);
  }

  // ---------------------------------------------------------------------------------------------
  // Restore logic of the reverse sweep (beyond the basic list)
  // ---------------------------------------------------------------------------------------------

  @Test
  void localElementsReadThenOverwritten() {
    Result r = check("ArrTricky", "overwriteWithConstant", (Object) new double[] {0.7, -1.3});
    // a = x0 x1, t1 = 2 x1, f = x0 x1 + 4 x1^2
    assertVector(r, "dX", r.vector("dX"), new double[] {-1.3, 0.7 + 8 * -1.3}, 1e-14);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 5})
  void ringBufferWithAnIndexThatChanges(int n) {
    check("ArrTricky", "ringBuffer", (Object) point(n, 1.0));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3})
  void timeSteppingWithTwoLocalArrays(int steps) {
    check("ArrTricky", "heat", new double[] {0.2, 0.5, -0.3, 0.4, 0.1}, 0.2, steps);
  }

  @Test
  void earlyExitFromAWhileLoop() {
    check("ArrTricky", "earlyExit", new double[] {0.5, 1.2, -0.9, 2.0, 0.3}, 1.5);
    check("ArrTricky", "earlyExit", new double[] {0.5, 1.2, -0.9, 2.0, 0.3}, 100.0);
  }

  @Test
  void conditionalElementWrites() {
    check("ArrTricky", "conditionalWrites", (Object) new double[] {0.5, 1.5, -0.3, -0.9, 2.0});
  }

  @Test
  void localMatrixUpdatedInPlace() {
    check("ArrTricky", "matrixInPlace",
        (Object) new double[][] {{0.3, -0.5, 0.8}, {0.6, 0.2, -0.4}, {-0.1, 0.7, 0.25}});
    check("ArrTricky", "matrixInPlace", (Object) new double[][] {{0.3, -0.5}});
  }

  @Test
  void localArrayModifiedAfterBeingPassedToAHelper() {
    check("ArrTricky", "modifiedAfterCall", new double[] {0.6, -0.4, 1.1}, 0.8);
  }

  @Test
  void localArrayOverwrittenAfterBeingPassedToAHelper() {
    Result r = check("ArrTricky", "overwrittenAfterCall", new double[] {0.6, -0.4, 1.1}, 0.8);
    // f = c |x|^2 + c * 9 n: df/dx = 2 c x
    assertVector(r, "dX", r.vector("dX"), new double[] {2 * 0.8 * 0.6, 2 * 0.8 * -0.4,
        2 * 0.8 * 1.1}, 1e-14);
  }

  @Test
  void helperCalledInALoopOnALocalArrayUpdatedEachIteration() {
    check("ArrTricky", "callInLoopOnLocal", new double[] {0.6, -0.4, 1.1}, 0.8);
  }

  /**
   * BUG: a local array declared at the top level after a guard clause ({@code if (...) return
   * ...;}) makes the generated code fail to compile: the declaration is hoisted as {@code
   * double[] t = 0;} and the reverse of the declaration emits {@code tBar = 0.0;} (and {@code
   * Shapes.zerosLike(t)} would meet a null t on the early-return path).
   */
  @Test
  void localArrayDeclaredAfterAnEarlyReturn() {
    check("ArrEarlyReturn", "guardThenArray", (Object) new double[] {0.5, -0.3, 1.2});
    check("ArrEarlyReturn", "guardThenArray", (Object) new double[0]);
    check("ArrEarlyReturn", "guardThenInitializer", 0.5);
    check("ArrEarlyReturn", "guardThenInitializer", 12.0);
  }
}
