package dev.adjoint.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.ArrayOracle.Result;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numeric tests of the generated gradients of methods with array parameters and local arrays:
 * every gradient is compared with the finite-difference oracle element by element ({@link
 * ArrayOracle}), the value with the plain call bit for bit, and the caller's arrays are checked to
 * be untouched by {@code mGrad} and {@code mAdjoint}. A few closed forms (Rosenbrock, softmax,
 * linear layer, quadratic form) are asserted exactly as well, and the array diagnostics (ADJ216,
 * ADJ200, ADJ217) by id, text and line.
 *
 * <p>As in {@link ReverseModeNumericTest}, the sources are grouped into a few compilations made
 * once; a group that fails to compile only fails its own tests. Every oracle point is chosen away
 * from ties and branch boundaries.
 */
class ArrayGradientTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** Classic array functions: Rosenbrock, log-sum-exp, recurrences, scratch arrays, layers. */
  static final String ARR =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Arr {
        @Differentiable
        public static double rosenbrock(double[] x) {
          double s = 0;
          for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            s += 100 * a * a + b * b;
          }
          return s;
        }

        @Differentiable
        public static double logSumExp(double[] x) {
          double m = x[0];
          for (int i = 1; i < x.length; i++) {
            if (x[i] > m) {
              m = x[i];
            }
          }
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += Math.exp(x[i] - m);
          }
          return m + Math.log(s);
        }

        @Differentiable
        public static double recurrence(double[] p0) {
          double[] p = new double[p0.length];
          for (int i = 0; i < p0.length; i++) {
            p[i] = p0[i];
          }
          for (int i = 1; i < p.length; i++) {
            p[i] = p[i - 1] * p[i] + Math.sin(p[i]);
          }
          return p[p.length - 1];
        }

        @Differentiable
        public static double recurrenceSum(double[] p0) {
          double[] p = new double[p0.length];
          for (int i = 0; i < p0.length; i++) {
            p[i] = p0[i];
          }
          for (int i = 1; i < p.length; i++) {
            p[i] = p[i - 1] * p[i] + Math.sin(p[i]);
          }
          double s = 0;
          for (int i = 0; i < p.length; i++) {
            s += p[i] * (i + 1);
          }
          return s;
        }

        @Differentiable
        public static double scratchTwoPasses(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = x[i] * x[i] + c;
          }
          double s = 0;
          for (int i = 0; i < t.length; i++) {
            s += t[i];
          }
          for (int i = 0; i < t.length; i++) {
            t[i] = Math.exp(-t[i] / s);
          }
          double r = 0;
          for (int i = 0; i < t.length; i++) {
            r += t[i] * x[i];
          }
          return r;
        }

        @Differentiable
        public static double scratchCompound(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] += x[i] * c;
            t[i]++;
            t[i] += t[i] * x[i];
          }
          double r = 0;
          for (int i = 0; i < x.length; i++) {
            t[i]--;
            r += t[i] * t[i];
          }
          return r;
        }

        @Differentiable
        public static double linearSquaredLoss(double[] x, double[][] w, double[] b) {
          double[] y = new double[b.length];
          for (int j = 0; j < b.length; j++) {
            y[j] = b[j];
            for (int i = 0; i < x.length; i++) {
              y[j] += x[i] * w[i][j];
            }
          }
          double loss = 0;
          for (int j = 0; j < y.length; j++) {
            double z = y[j] * y[j];
            loss += z;
          }
          return loss;
        }

        @Differentiable
        public static double quadraticForm(double[] x, double[][] a) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
              s += x[i] * a[i][j] * x[j];
            }
          }
          return s;
        }

        @Differentiable
        public static double quadraticFormLocalMatrix(double[] x, double[][] a) {
          int n = x.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              m[i][j] = a[i][j] * x[j];
            }
          }
          double[] ax = new double[n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              ax[i] += m[i][j];
            }
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += x[i] * ax[i];
          }
          return s;
        }

        @Differentiable
        public static double gatherSquares(double[] x, int[] idx) {
          double s = 0;
          for (int k = 0; k < idx.length; k++) {
            s += x[idx[k]] * x[idx[k]];
          }
          return s;
        }

        @Differentiable
        public static double scatterSin(double[] x, int[] idx, int m) {
          double[] t = new double[m];
          for (int k = 0; k < x.length; k++) {
            t[idx[k]] += x[k] * x[k];
          }
          double s = 0;
          for (int j = 0; j < m; j++) {
            s += Math.sin(t[j]);
          }
          return s;
        }

        @Differentiable
        public static double sumSquares(double[] x, double c) {
          double s = c * c;
          for (int i = 0; i < x.length; i++) {
            s += c * x[i] * x[i];
          }
          return s;
        }

        @Differentiable
        public static double localCopyLoop(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = Math.sin(x[i] * c);
          }
          double s = c;
          for (int i = 0; i < t.length; i++) {
            s = s * t[i] + x[i];
          }
          return s;
        }

        @Differentiable
        public static double initializerList(double x, double y) {
          double[] v = {x, y * x, 3};
          double s = 0;
          for (int i = 0; i < v.length; i++) {
            s += v[i] * v[i] * (i + 1);
          }
          return s;
        }

        @Differentiable
        public static double mixed(double[] x, double c, double[][] w, int[] idx) {
          double s = 0;
          for (int k = 0; k < idx.length; k++) {
            int i = idx[k];
            for (int j = 0; j < w[i].length; j++) {
              s += Math.tanh(c * x[i] * w[i][j]);
            }
          }
          return s * c;
        }
      }
      """;

  /** Calls between @Differentiable methods that pass arrays. */
  static final String ARR_CALLS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class ArrCalls {
        @Differentiable
        public static double scaledSquareSum(double[] a, double c) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * a[i];
          }
          return c * s;
        }

        @Differentiable
        public static double dot(double[] a, double[] b) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
          }
          return s;
        }

        @Differentiable
        public static double twoArrays(double[] x, double[] y, double c) {
          double p = scaledSquareSum(x, c);
          double q = scaledSquareSum(y, x[0]);
          return p * q + scaledSquareSum(x, q);
        }

        @Differentiable
        public static double localArrayToHelper(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = Math.sin(x[i]) * c;
          }
          return scaledSquareSum(t, c);
        }

        @Differentiable
        public static double sameArrayTwice(double[] x) {
          double d = dot(x, x);
          return d + dot(x, x) * x[0];
        }

        @Differentiable
        public static double callInLoop(double[] x, double c, int n) {
          double s = 0;
          for (int k = 0; k < n; k++) {
            s += scaledSquareSum(x, c + k) * s + 1;
          }
          return s;
        }
      }
      """;

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

  /** More constructs around arrays: helpers, int[] locals, reversals, labels, early exits. */
  static final String ARR_MORE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class ArrMore {
        @Differentiable
        public static double sq(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * a[i];
          }
          return s;
        }

        @Differentiable
        public static double weighted(double[] a, double c) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * a[i];
          }
          return c * s;
        }

        @Differentiable
        public static double gathered(double[] a, int[] idx) {
          double s = 0;
          for (int k = 0; k < idx.length; k++) {
            s += a[idx[k]] * a[k];
          }
          return s;
        }

        @Differentiable
        public static double bilinear(double[][] a, double[] v) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < v.length; j++) {
              s += a[i][j] * v[j] * v[i];
            }
          }
          return s;
        }

        @Differentiable
        public static double intArraysToHelper(double[] x, int[] idx) {
          int[] j = {1, 0, 1};
          return gathered(x, idx) * gathered(x, j);
        }

        @Differentiable
        public static double constantLocalToHelper(double[] x, double c) {
          double[] k = {1, 2, 3};
          return weighted(k, c) + weighted(x, c * c);
        }

        @Differentiable
        public static double constantRowToHelper(double c) {
          double[][] w = new double[2][2];
          w[1][0] = 3;
          double[] r = {w[1][0], w[0][1]};
          return weighted(r, c);
        }

        @Differentiable
        public static double nestedHelpers(double[] x, double[][] w) {
          double s = sq(x);
          for (int r = 0; r < w.length; r++) {
            s += w[r][0] * sq(x);
          }
          return s;
        }

        @Differentiable
        public static double nestedHelpersOuter(double[] x, double[][] w) {
          return nestedHelpers(x, w) * sq(x);
        }

        @Differentiable
        public static double matrixToHelper(double[][] a, double[] v) {
          double[][] b = new double[a.length][a.length];
          for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
              b[i][j] = a[i][j] * a[j][i];
            }
          }
          return bilinear(a, v) + bilinear(b, v);
        }

        @Differentiable
        public static double recursive(double[] a, int k) {
          return k == a.length ? 0 : a[k] * a[k] * (k + 1) + Math.sin(recursive(a, k + 1));
        }

        @Differentiable
        public static double unusedArray(double[] x, double[] unused, double c) {
          return c * x[0];
        }

        @Differentiable
        public static double elementIsResult(double[] x, int i) {
          return x[i];
        }

        @Differentiable
        public static double variance(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i];
          }
          double mean = s / x.length;
          double v = 0;
          for (int i = 0; i < x.length; i++) {
            double d = x[i] - mean;
            v += d * d;
          }
          return v / x.length;
        }

        @Differentiable
        public static double compoundOps(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = x[i] + 2;
            t[i] -= c * x[i];
            t[i] *= x[i];
            t[i] /= 1 + c * c;
            t[i] *= t[i];
          }
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += t[i];
          }
          return s;
        }

        @Differentiable
        public static double reverseInPlace(double[] x) {
          int n = x.length;
          double[] t = new double[n];
          for (int i = 0; i < n; i++) {
            t[i] = x[i];
          }
          for (int i = 0; i < n; i++) {
            t[i] = t[i] * t[i];
          }
          for (int i = 0; i < n; i++) {
            t[n - 1 - i] = Math.sin(t[i]) + t[n - 1 - i];
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += t[i] * (i + 1);
          }
          return s;
        }

        @Differentiable
        public static double intLocalArrayWritten(double[] x) {
          int[] k = {0, 1};
          double s = 0;
          for (int it = 0; it < 4; it++) {
            s += x[k[0]] * Math.sin(x[k[1]] * s + 1);
            k[0] = k[1];
            k[1] = (k[1] + 1) % x.length;
          }
          return s;
        }

        @Differentiable
        public static double earlyReturnInLoop(double[] x) {
          double[] t = new double[x.length];
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            t[i] = s + x[i] * x[i];
            if (t[i] > 2) {
              return t[i] * s;
            }
            s += t[i];
          }
          return s;
        }

        @Differentiable
        public static double labelledLoops(double[][] w) {
          double[] t = new double[w.length];
          outer:
          for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[i].length; j++) {
              if (w[i][j] < 0) {
                continue outer;
              }
              if (w[i][j] > 5) {
                break outer;
              }
              t[i] += w[i][j] * w[i][j];
            }
            t[i] = Math.sqrt(t[i] + 1);
          }
          double s = 0;
          for (int i = 0; i < t.length; i++) {
            s += t[i];
          }
          return s;
        }

        @Differentiable
        public static double nameCollisions(double[] seed, double adjoints, double[] tape,
            double[][] seedAdjoint, int[] result) {
          double t = 0;
          double g = 0;
          for (int i = 0; i < seed.length; i++) {
            t += seed[i] * tape[i] * adjoints;
            g += seedAdjoint[i][0] * t;
          }
          return t * g + result.length;
        }

        @Differentiable
        public static double elementAsLoopBound(double[] x, int[] n) {
          double s = 1;
          for (int k = 0; k < n[0]; k++) {
            s = s * x[k % x.length] + 1;
          }
          return s;
        }

        @Differentiable
        public static double mathOnElements(double[] x) {
          double[] t = new double[3];
          t[0] = Math.max(x[0], x[1]);
          t[1] = Math.pow(x[1], 3);
          t[2] = Math.hypot(t[0], t[1]) + Math.atan2(x[2], x[0]);
          return t[0] * t[1] * t[2];
        }

        @Differentiable
        public static double horner(double x, int n) {
          double[] p = new double[n + 1];
          p[0] = 1;
          for (int i = 1; i <= n; i++) {
            p[i] = p[i - 1] * x + i;
          }
          return p[n];
        }

        @Differentiable
        public static double pingPong(double[] x) {
          int n = x.length;
          double[] a = new double[n];
          double[] b = new double[n];
          for (int i = 0; i < n; i++) {
            a[i] = x[i];
          }
          for (int it = 0; it < 3; it++) {
            for (int i = 0; i < n; i++) {
              b[i] = Math.sin(a[i]) + a[(i + 1) % n] * 0.5;
            }
            for (int i = 0; i < n; i++) {
              a[i] = b[i] * b[i];
            }
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += a[i];
          }
          return s;
        }

        @Differentiable
        public static double writtenTwicePerIteration(double[] x) {
          double[] t = new double[1];
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            t[0] = x[i] * x[i];
            s += t[0] * s;
            t[0] = Math.sin(t[0]);
            s += t[0];
          }
          return s + t[0];
        }

        @Differentiable
        public static double matrixElementUpdates(double[][] w) {
          double[][] c = new double[2][2];
          for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < 2; j++) {
              c[i % 2][j] += w[i][j];
              c[i % 2][j]++;
              c[j][i % 2] *= w[i][j];
            }
          }
          return c[0][0] * c[1][1] - c[0][1] * c[1][0];
        }

        @Differentiable
        public static double localMatrixRowLengths(double[] x) {
          double[][] w = new double[x.length][x.length + 1];
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < w[i].length; j++) {
              w[i][j] = x[i] * j;
              s += w[i][j] * w[i][j];
            }
          }
          return s;
        }

        @Differentiable
        public static double returnInsideLoop(double[] x, double lim) {
          double[] t = new double[x.length + 1];
          for (int i = 0; i < x.length; i++) {
            t[i + 1] = t[i] + x[i] * x[i];
            if (t[i + 1] > lim) {
              return t[i + 1] * t[i];
            }
          }
          return t[x.length];
        }

        @Differentiable
        public static double breakBeforeDeclaration(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            if (x[i] > 5) {
              break;
            }
            s += x[i];
          }
          double[] t = {s, s * s};
          return t[0] + t[1];
        }
      }
      """;

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

  static final Map<String, String[]> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("Arr", new String[] {ARR});
    GROUPS.put("ArrCalls", new String[] {ARR_CALLS});
    GROUPS.put("ArrFloats", new String[] {ARR_FLOATS});
    GROUPS.put("ArrTricky", new String[] {ARR_TRICKY});
    GROUPS.put("ArrFloatLocals", new String[] {ARR_FLOAT_LOCALS});
    GROUPS.put("ArrMore", new String[] {ARR_MORE});
    GROUPS.put("ArrEarlyReturn", new String[] {ARR_EARLY_RETURN});
  }

  /** Class name to its InProcessCompiler or to the error its compilation threw. */
  private static final Map<String, Object> COMPILED = new LinkedHashMap<>();

  @BeforeAll
  static void compileAll() {
    for (Map.Entry<String, String[]> g : GROUPS.entrySet()) {
      try {
        COMPILED.put(g.getKey(), InProcessCompiler.compile(g.getValue()));
      } catch (Throwable t) {
        COMPILED.put(g.getKey(), t);
      }
    }
  }

  private static InProcessCompiler compilation(String className) {
    Object c = COMPILED.get(className);
    if (c instanceof InProcessCompiler ipc) {
      return ipc;
    }
    if (c == null) {
      throw new IllegalArgumentException("Unknown source class " + className);
    }
    throw new AssertionError("Compilation of p." + className + " failed", (Throwable) c);
  }

  private static ArrayOracle on(String className) {
    return ArrayOracle.on(compilation(className).load("p." + className + "Diff"));
  }

  private static Result check(String className, String method, Object... args) {
    return on(className).check(method, args);
  }

  private static Class<?> original(String className) {
    return compilation(className).load("p." + className);
  }

  // ---------------------------------------------------------------------------------------------
  // Assertion helpers
  // ---------------------------------------------------------------------------------------------

  private static void assertVector(Result r, String what, double[] actual, double[] expected,
      double tol) {
    assertWithMessage("%s: %s length (%s)", r.label(), what, r).that(actual.length)
        .isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertWithMessage("%s: %s[%s] (%s)", r.label(), what, i, r)
          .that(actual[i])
          .isWithin(tol * Math.max(1.0, Math.abs(expected[i])))
          .of(expected[i]);
    }
  }

  private static void assertMatrix(Result r, String what, double[][] actual, double[][] expected,
      double tol) {
    assertWithMessage("%s: %s rows (%s)", r.label(), what, r).that(actual.length)
        .isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertVector(r, what + "[" + i + "]", actual[i], expected[i], tol);
    }
  }

  private static double[] fill(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  private static double[][] fill(int r, int c, double v) {
    double[][] a = new double[r][c];
    for (double[] row : a) {
      Arrays.fill(row, v);
    }
    return a;
  }

  /** A point without ties or symmetric coordinates: 0.3 + 0.17 i with alternating signs. */
  private static double[] point(int n, double scale) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = scale * (0.3 + 0.17 * i) * (i % 2 == 0 ? 1 : -1);
    }
    return a;
  }

  // ---------------------------------------------------------------------------------------------
  // Rosenbrock
  // ---------------------------------------------------------------------------------------------

  /** The analytic gradient of the n-dimensional Rosenbrock function. */
  private static double[] rosenbrockGradient(double[] x) {
    double[] g = new double[x.length];
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      g[i] += -400 * x[i] * a - 2 * (1 - x[i]);
      g[i + 1] += 200 * a;
    }
    return g;
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {2, 5, 10})
  void rosenbrockAgainstOracleAndClosedForm(int n) {
    double[] x = point(n, 1.0);
    Result r = check("Arr", "rosenbrock", (Object) x);
    assertVector(r, "dX", r.vector("dX"), rosenbrockGradient(x), 1e-12);
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {2, 5, 10})
  void rosenbrockAtItsMinimumHasGradientExactlyZero(int n) {
    Result r = check("Arr", "rosenbrock", (Object) fill(n, 1.0));
    assertThat(r.value()).isEqualTo(0.0);
    for (double d : r.vector("dX")) {
      assertWithMessage("%s", r).that(d).isEqualTo(0.0);
    }
  }

  @Test
  void rosenbrockClassicStartingPoint() {
    Result r = check("Arr", "rosenbrock", (Object) new double[] {-1.2, 1.0});
    assertThat(r.value()).isWithin(1e-12).of(24.2);
    assertVector(r, "dX", r.vector("dX"), new double[] {-215.6, -88.0}, 1e-12);
  }

  @Test
  void rosenbrockClassicStartingPointRepeated() {
    // (-1.2, 1, -1.2, 1, ...): the textbook starting point of the extended Rosenbrock function.
    double[] x = new double[10];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 2 == 0 ? -1.2 : 1.0;
    }
    Result r = check("Arr", "rosenbrock", (Object) x);
    assertVector(r, "dX", r.vector("dX"), rosenbrockGradient(x), 1e-12);
  }

  // ---------------------------------------------------------------------------------------------
  // log-sum-exp
  // ---------------------------------------------------------------------------------------------

  static Stream<double[]> logSumExpPoints() {
    return Stream.of(
        new double[] {0.5},
        new double[] {1.0, -2.0},
        new double[] {-0.3, 2.1, 0.7, -1.4},
        new double[] {3.0, 1.5, 2.9, -4.0, 0.1, 2.2},
        // The maximum last, first, and large values (where the shift by m matters).
        new double[] {-1.0, 0.0, 1.0, 2.0, 3.5},
        new double[] {800.0, 799.0, 797.5});
  }

  @ParameterizedTest
  @MethodSource("logSumExpPoints")
  void logSumExpGradientIsSoftmax(double[] x) {
    Result r = check("Arr", "logSumExp", (Object) x);
    double m = Arrays.stream(x).max().orElseThrow();
    double s = 0;
    for (double v : x) {
      s += Math.exp(v - m);
    }
    double[] softmax = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      softmax[i] = Math.exp(x[i] - m) / s;
    }
    assertVector(r, "dX vs softmax", r.vector("dX"), softmax, 1e-12);
    assertWithMessage("%s: softmax sums to 1", r)
        .that(Arrays.stream(r.vector("dX")).sum())
        .isWithin(1e-12)
        .of(1.0);
  }

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
  // Calls with arrays
  // ---------------------------------------------------------------------------------------------

  @Test
  void helperCalledDirectly() {
    double[] a = {0.5, -1.25, 2.0};
    Result r = check("ArrCalls", "scaledSquareSum", a, 1.5);
    assertVector(r, "dA", r.vector("dA"), new double[] {1.5, -3.75, 6.0}, 1e-15);
    assertThat(r.d("dC")).isWithin(1e-15).of(0.25 + 1.5625 + 4.0);
  }

  @Test
  void helperCalledWithParameterArrays() {
    check("ArrCalls", "twoArrays", new double[] {0.8, -0.3, 1.1}, new double[] {0.4, 0.9}, 0.7);
    check("ArrCalls", "twoArrays", new double[] {-1.4}, new double[] {}, 2.0);
  }

  @Test
  void helperCalledWithALocalArray() {
    check("ArrCalls", "localArrayToHelper", point(4, 1.0), 1.7);
  }

  @Test
  void sameArrayPassedForTwoParameters() {
    double[] x = {0.6, -1.1, 0.35};
    Result r = check("ArrCalls", "sameArrayTwice", (Object) x);
    // f = |x|^2 (1 + x0): df/dxi = 2 xi (1 + x0) + [i == 0] |x|^2
    double n2 = 0.6 * 0.6 + 1.1 * 1.1 + 0.35 * 0.35;
    double[] expected = new double[3];
    for (int i = 0; i < 3; i++) {
      expected[i] = 2 * x[i] * (1 + x[0]) + (i == 0 ? n2 : 0);
    }
    assertVector(r, "dX", r.vector("dX"), expected, 1e-13);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4})
  void helperCalledInALoop(int n) {
    check("ArrCalls", "callInLoop", new double[] {0.3, -0.2}, 0.25, n);
  }

  // ---------------------------------------------------------------------------------------------
  // Linear layer, quadratic form
  // ---------------------------------------------------------------------------------------------

  @Test
  void linearLayerSquaredLossAtAllOnes() {
    // y = x w + b = (3, 3, 3), loss = sum y^2 = 27; dloss/dy = 2 y = 6, so dloss/db = 6,
    // dloss/dw_ij = x_i * 6 = 6, dloss/dx_i = sum_j w_ij * 6 = 18.
    Result r = check("Arr", "linearSquaredLoss", fill(2, 1.0), fill(2, 3, 1.0), fill(3, 1.0));
    assertThat(r.value()).isEqualTo(27.0);
    assertMatrix(r, "dW", r.matrix("dW"), fill(2, 3, 6.0), 1e-12);
    assertVector(r, "dB", r.vector("dB"), fill(3, 6.0), 1e-12);
    assertVector(r, "dX", r.vector("dX"), fill(2, 18.0), 1e-12);
  }

  @Test
  void linearLayerSquaredLossAtAGenericPoint() {
    double[] x = {0.5, -1.5};
    double[][] w = {{0.2, -0.7, 1.1}, {0.9, 0.4, -0.3}};
    double[] b = {0.1, -0.2, 0.35};
    Result r = check("Arr", "linearSquaredLoss", x, w, b);
    double[] y = new double[3];
    for (int j = 0; j < 3; j++) {
      y[j] = b[j] + x[0] * w[0][j] + x[1] * w[1][j];
    }
    double[][] dw = new double[2][3];
    double[] dx = new double[2];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        dw[i][j] = 2 * y[j] * x[i];
        dx[i] += 2 * y[j] * w[i][j];
      }
    }
    assertMatrix(r, "dW", r.matrix("dW"), dw, 1e-13);
    assertVector(r, "dB", r.vector("dB"), new double[] {2 * y[0], 2 * y[1], 2 * y[2]}, 1e-13);
    assertVector(r, "dX", r.vector("dX"), dx, 1e-13);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quadraticForm", "quadraticFormLocalMatrix"})
  void quadraticFormWithANonSymmetricMatrix(String method) {
    double[] x = {0.7, -1.3, 2.1};
    double[][] a = {{1.0, 2.0, -0.5}, {0.3, -1.2, 4.0}, {-2.2, 0.6, 0.9}};
    Result r = check("Arr", method, x, a);
    double[] expectedDx = new double[3];
    double[][] expectedDa = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        expectedDx[i] += (a[i][j] + a[j][i]) * x[j];
        expectedDa[i][j] = x[i] * x[j];
      }
    }
    assertVector(r, "dX = (A + A^T) x", r.vector("dX"), expectedDx, 1e-13);
    assertMatrix(r, "dA = x x^T", r.matrix("dA"), expectedDa, 1e-13);
  }

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

  // ---------------------------------------------------------------------------------------------
  // int[] index arrays
  // ---------------------------------------------------------------------------------------------

  @Test
  void gatherWithRepeatedIndices() {
    double[] x = {0.5, -1.5, 2.25, 0.75};
    int[] idx = {2, 0, 2, 3};
    Result r = check("Arr", "gatherSquares", x, idx);
    assertVector(r, "dX", r.vector("dX"), new double[] {1.0, 0.0, 9.0, 1.5}, 1e-15);
    assertThat(r.names()).containsExactly("dX");
    assertThat(idx).isEqualTo(new int[] {2, 0, 2, 3});
  }

  @Test
  void gatherWithNoIndices() {
    Result r = check("Arr", "gatherSquares", new double[] {0.5, -1.5}, new int[0]);
    assertVector(r, "dX", r.vector("dX"), new double[] {0, 0}, 0);
  }

  @Test
  void scatterIntoALocalArrayWithRepeatedIndices() {
    check("Arr", "scatterSin", new double[] {0.5, -0.8, 0.3, 0.9}, new int[] {1, 0, 1, 2}, 3);
    check("Arr", "scatterSin", new double[] {0.5, -0.8}, new int[] {1, 1}, 3);
  }

  @Test
  void indexArrayMixedWithMatrixAndScalar() {
    check("Arr", "mixed", new double[] {0.5, -0.4, 1.2},
        0.9, new double[][] {{0.3, -0.6}, {1.1, 0.2}, {-0.7, 0.8}}, new int[] {2, 0, 2});
  }

  @Test
  void raggedMatrixParameter() {
    check("Arr", "mixed", new double[] {0.5, -0.4, 1.2},
        0.9, new double[][] {{0.3}, {1.1, 0.2, 0.45}, {}}, new int[] {1, 0, 2});
  }

  // ---------------------------------------------------------------------------------------------
  // Loop trip counts, empty arrays
  // ---------------------------------------------------------------------------------------------

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {0, 1, 2, 17})
  void loopsWithZeroOneAndManyIterations(int n) {
    double[] x = point(n, 1.0);
    Result r = check("Arr", "sumSquares", x, 0.6);
    double[] expected = new double[n];
    double dc = 2 * 0.6;
    for (int i = 0; i < n; i++) {
      expected[i] = 2 * 0.6 * x[i];
      dc += x[i] * x[i];
    }
    assertVector(r, "dX", r.vector("dX"), expected, 1e-14);
    assertThat(r.d("dC")).isWithin(1e-13).of(dc);
  }

  @Test
  void emptyArraysEverywhereAllowed() {
    Result r = check("Arr", "rosenbrock", (Object) new double[0]);
    assertThat(r.vector("dX")).isEmpty();
    r = check("Arr", "rosenbrock", (Object) new double[] {0.3});
    assertThat(r.vector("dX")).usingExactEquality().containsExactly(0.0);
    check("Arr", "recurrenceSum", (Object) new double[0]);
    check("Arr", "scratchTwoPasses", new double[0], 0.4);
    check("Arr", "scratchCompound", new double[0], 0.4);
    check("Arr", "localCopyLoop", new double[0], 0.4);
    check("Arr", "quadraticForm", new double[0], new double[0][0]);
    check("Arr", "quadraticFormLocalMatrix", new double[0], new double[0][0]);
    r = check("Arr", "linearSquaredLoss", new double[0], new double[0][0], new double[] {0.5, 2});
    assertVector(r, "dB", r.vector("dB"), new double[] {1.0, 4.0}, 1e-15);
    check("ArrCalls", "scaledSquareSum", new double[0], 2.0);
    check("ArrFloats", "floatDot", new float[0], new float[0], 2.0f);
    check("ArrMore", "variance", (Object) new double[] {0.5});
    check("ArrMore", "pingPong", (Object) new double[0]);
    check("ArrMore", "writtenTwicePerIteration", (Object) new double[0]);
    check("ArrMore", "localMatrixRowLengths", (Object) new double[0]);
    check("ArrMore", "labelledLoops", (Object) new double[0][0]);
  }

  // ---------------------------------------------------------------------------------------------
  // mAdjoint: accumulation, null buffers, shape checks
  // ---------------------------------------------------------------------------------------------

  private static final double[] MX = {0.5, -0.4, 1.2};
  private static final double MC = 0.9;
  private static final double[][] MW = {{0.3, -0.6}, {1.1, 0.2}, {-0.7, 0.8}};
  private static final int[] MIDX = {2, 0, 2};

  private static Object[] mixedArgs() {
    return new Object[] {MX.clone(), MC, ArrayOracle.deepCopy(MW), MIDX.clone()};
  }

  @Test
  void adjointAccumulatesTwoSeedsIntoTheSameBuffers() throws Throwable {
    ArrayOracle o = on("Arr");
    Result g = o.check("mixed", mixedArgs());
    double[] adjoints = new double[1];
    double[] xAdjoint = new double[3];
    double[][] wAdjoint = {new double[2], new double[2], new double[2]};
    Object[] args = mixedArgs();
    double v1 = o.adjoint("mixed", args, 1.0, adjoints, xAdjoint, wAdjoint);
    double v2 = o.adjoint("mixed", args, 2.5, adjoints, xAdjoint, wAdjoint);
    assertThat(Double.doubleToLongBits(v1)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(Double.doubleToLongBits(v2)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(adjoints[0]).isWithin(1e-14 * Math.max(1, Math.abs(g.d("dC"))))
        .of(3.5 * g.d("dC"));
    double[] dx = g.vector("dX");
    for (int i = 0; i < 3; i++) {
      dx[i] *= 3.5;
    }
    assertVector(g, "xAdjoint", xAdjoint, dx, 1e-14);
    double[][] dw = g.matrix("dW");
    for (double[] row : dw) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= 3.5;
      }
    }
    assertMatrix(g, "wAdjoint", wAdjoint, dw, 1e-14);
    // The arguments were not touched.
    assertThat(args[0]).isEqualTo(MX);
    assertThat(Arrays.deepEquals((double[][]) args[2], MW)).isTrue();
    assertThat(args[3]).isEqualTo(MIDX);
  }

  @Test
  void adjointAddsToWhatTheBuffersAlreadyHold() throws Throwable {
    ArrayOracle o = on("Arr");
    Result g = o.grad("mixed", mixedArgs());
    double[] adjoints = {10.0};
    double[] xAdjoint = {1.0, 2.0, 3.0};
    double[][] wAdjoint = {{-1.0, 0.5}, {0.25, 4.0}, {7.0, -3.0}};
    o.adjoint("mixed", mixedArgs(), -2.0, adjoints, xAdjoint, wAdjoint);
    assertThat(adjoints[0]).isWithin(1e-13).of(10.0 - 2.0 * g.d("dC"));
    double[] dx = g.vector("dX");
    assertVector(g, "xAdjoint", xAdjoint,
        new double[] {1.0 - 2 * dx[0], 2.0 - 2 * dx[1], 3.0 - 2 * dx[2]}, 1e-13);
    double[][] dw = g.matrix("dW");
    double[][] start = {{-1.0, 0.5}, {0.25, 4.0}, {7.0, -3.0}};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        dw[i][j] = start[i][j] - 2 * dw[i][j];
      }
    }
    assertMatrix(g, "wAdjoint", wAdjoint, dw, 1e-13);
  }

  @Test
  void adjointAcceptsNullBuffers() throws Throwable {
    ArrayOracle o = on("Arr");
    Result g = o.grad("mixed", mixedArgs());
    double[] adjoints = new double[1];
    double[][] wAdjoint = {new double[2], new double[2], new double[2]};
    double v = o.adjoint("mixed", mixedArgs(), 1.0, adjoints, null, wAdjoint);
    assertThat(Double.doubleToLongBits(v)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(adjoints[0]).isEqualTo(g.d("dC"));
    assertThat(Arrays.deepEquals(wAdjoint, g.matrix("dW"))).isTrue();

    double[] xAdjoint = new double[3];
    adjoints[0] = 0;
    o.adjoint("mixed", mixedArgs(), 1.0, adjoints, xAdjoint, null);
    assertThat(Arrays.equals(xAdjoint, g.vector("dX"))).isTrue();
    assertThat(adjoints[0]).isEqualTo(g.d("dC"));

    adjoints[0] = 0;
    v = o.adjoint("mixed", mixedArgs(), 1.0, adjoints, null, null);
    assertThat(Double.doubleToLongBits(v)).isEqualTo(Double.doubleToLongBits(g.value()));
    assertThat(adjoints[0]).isEqualTo(g.d("dC"));

    // No scalar parameter: no adjoints array at all, and a null buffer is fine too.
    Result rg = o.grad("rosenbrock", (Object) new double[] {-1.2, 1.0});
    v = o.adjoint("rosenbrock", new Object[] {new double[] {-1.2, 1.0}}, 1.0, null,
        (Object) null);
    assertThat(Double.doubleToLongBits(v)).isEqualTo(Double.doubleToLongBits(rg.value()));
  }

  @Test
  void adjointSignatureHasOneNamedBufferPerArrayParameter() {
    java.lang.reflect.Method m = on("Arr").adjointMethod("mixed");
    assertThat(m.getParameterTypes())
        .asList()
        .containsExactly(double[].class, double.class, double[][].class, int[].class,
            double.class, double[].class, double[].class, double[][].class)
        .inOrder();
    assertThat(on("Arr").adjointMethod("rosenbrock").getParameterTypes())
        .asList()
        .containsExactly(double[].class, double.class, double[].class)
        .inOrder();
    assertThat(on("Arr").adjointMethod("gatherSquares").getParameterTypes())
        .asList()
        .containsExactly(double[].class, int[].class, double.class, double[].class)
        .inOrder();
    String src = compilation("Arr").generatedSource("p.ArrDiff");
    assertThat(src).contains("double[] adjoints, double[] xAdjoint, double[][] wAdjoint)");
    assertThat(src).contains("record MixedGrad(double value, double[] dX, double dC, double[][] dW)");
    assertThat(src).contains("record GatherSquaresGrad(double value, double[] dX)");
    assertThat(compilation("ArrFloats").generatedSource("p.ArrFloatsDiff"))
        .contains("record FloatDotGrad(float value, float[] dA, float[] dB, float dC)");
  }

  @Test
  void adjointRejectsAWrongLengthVectorBuffer() {
    ArrayOracle o = on("Arr");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.adjoint("mixed", mixedArgs(), 1.0, new double[1], new double[2],
                null));
    assertThat(e).hasMessageThat().contains("xAdjoint");
    assertThat(e).hasMessageThat().contains("2");
    assertThat(e).hasMessageThat().contains("3");
    assertThat(e).hasMessageThat().isEqualTo("xAdjoint has length 2 but must have length 3");
  }

  @Test
  void adjointRejectsAWrongShapeMatrixBuffer() {
    ArrayOracle o = on("Arr");
    IllegalArgumentException rows =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.adjoint("mixed", mixedArgs(), 1.0, new double[1], null, new double[2][2]));
    assertThat(rows).hasMessageThat().contains("wAdjoint");
    assertThat(rows).hasMessageThat().contains("2");
    assertThat(rows).hasMessageThat().contains("3");
    IllegalArgumentException cols =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.adjoint("mixed", mixedArgs(), 1.0, new double[1], null,
                new double[][] {new double[2], new double[5], new double[2]}));
    assertThat(cols).hasMessageThat().contains("wAdjoint[1]");
    assertThat(cols).hasMessageThat().contains("5");
    assertThat(cols).hasMessageThat().contains("2");
  }

  @Test
  void adjointRejectsAWrongLengthFloatBuffer() {
    ArrayOracle o = on("ArrFloats");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> o.adjoint("floatDot",
                new Object[] {new float[] {1f, 2f}, new float[] {3f, 4f}, 1f},
                1.0, new double[1], new float[2], new float[3]));
    assertThat(e).hasMessageThat().isEqualTo("bAdjoint has length 3 but must have length 2");
  }

  @Test
  void wrongShapeBufferIsRejectedBeforeAnyOtherBufferIsWritten() {
    ArrayOracle o = on("Arr");
    double[] adjoints = {0.0};
    double[] xAdjoint = {0.0, 0.0, 0.0};
    assertThrows(
        IllegalArgumentException.class,
        () -> o.adjoint("mixed", mixedArgs(), 1.0, adjoints, xAdjoint, new double[3][1]));
    assertThat(adjoints[0]).isEqualTo(0.0);
    assertThat(xAdjoint).usingExactEquality().containsExactly(0.0, 0.0, 0.0);
  }

  @Test
  void gradientCallsAreRepeatableAndReturnFreshArrays() {
    ArrayOracle o = on("Arr");
    double[] x = point(5, 1.0);
    Result a = o.grad("rosenbrock", (Object) x);
    Result b = o.grad("rosenbrock", (Object) x);
    assertThat(a.component("dX")).isNotSameInstanceAs(b.component("dX"));
    assertThat(Arrays.equals(a.vector("dX"), b.vector("dX"))).isTrue();
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

  // ---------------------------------------------------------------------------------------------
  // More constructs
  // ---------------------------------------------------------------------------------------------

  static Stream<Arguments> more() {
    return Stream.of(
        c("intArraysToHelper", new double[] {0.5, -0.3, 1.2}, new int[] {2, 2, 0}),
        c("constantLocalToHelper", new double[] {0.5, -0.3}, 0.7),
        c("constantRowToHelper", 0.7),
        c("nestedHelpersOuter", new double[] {0.5, -0.3, 1.1},
            new double[][] {{0.4}, {-0.2, 1}}),
        c("matrixToHelper", new double[][] {{0.5, -0.3}, {1.1, 0.2}}, new double[] {0.7, -1.4}),
        c("recursive", new double[] {0.5, -0.3, 1.1, 0.2}, 0),
        c("recursive", new double[] {0.5, -0.3, 1.1, 0.2}, 2),
        c("recursive", new double[] {0.5, -0.3}, 2),
        c("variance", new double[] {0.5, -0.3, 1.1, 0.2}),
        c("compoundOps", new double[] {0.5, -0.3, 1.1, 0.2}, 0.6),
        c("reverseInPlace", new double[] {0.5, -0.3, 1.1, 0.2, 0.9}),
        c("reverseInPlace", new double[] {0.5, -0.3, 1.1, 0.2}),
        c("intLocalArrayWritten", new double[] {0.5, -0.3, 1.1}),
        c("earlyReturnInLoop", new double[] {0.5, -0.3, 1.1, 0.2}),
        c("earlyReturnInLoop", new double[] {0.5, 0.3}),
        c("labelledLoops", (Object) new double[][] {{0.5, -0.3, 1.0}, {1.1, 0.2}, {0.4, 6.0, 0.3}, {0.8}}),
        c("labelledLoops", (Object) new double[][] {{0.5, 1.0}, {1.1, 0.2}}),
        c("nameCollisions", new double[] {0.5, -1.5}, 0.3, new double[] {0.7, 0.2},
            new double[][] {{0.1}, {0.9}}, new int[] {1, 2}),
        c("elementAsLoopBound", new double[] {0.5, -1.5, 0.7}, new int[] {5}),
        c("elementAsLoopBound", new double[] {0.5, -1.5, 0.7}, new int[] {0}),
        c("mathOnElements", new double[] {0.5, -1.5, 0.7}),
        c("mathOnElements", new double[] {-0.5, 1.5, 0.7}),
        c("horner", 0.7, 0),
        c("horner", 0.7, 4),
        c("pingPong", new double[] {0.5, -1.5, 0.7}),
        c("pingPong", new double[] {0.4}),
        c("writtenTwicePerIteration", new double[] {0.5, -1.5, 0.7}),
        c("matrixElementUpdates", (Object) new double[][] {{0.5, -1.5}, {0.7, 0.3}, {1.2, -0.4}}),
        c("localMatrixRowLengths", new double[] {0.5, -0.3}),
        c("returnInsideLoop", new double[] {0.5, -0.3, 1.2, 0.4}, 1.0),
        c("returnInsideLoop", new double[] {0.5, -0.3, 1.2, 0.4}, 10.0),
        c("breakBeforeDeclaration", new double[] {0.5, -0.3, 7.0, 0.4}),
        c("breakBeforeDeclaration", new double[] {0.5, -0.3}));
  }

  private static Arguments c(String method, Object... args) {
    StringBuilder label = new StringBuilder(method).append('(');
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      label.append(i == 0 ? "" : ", ")
          .append(a instanceof Object[] m ? Arrays.deepToString(m)
              : a instanceof double[] d ? Arrays.toString(d)
              : a instanceof int[] n ? Arrays.toString(n) : String.valueOf(a));
    }
    return Arguments.of(label.append(')').toString(), method, args);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("more")
  void moreConstructs(String label, String method, Object[] args) {
    check("ArrMore", method, args);
  }

  @Test
  void unusedArrayParameterHasAZeroGradient() throws Throwable {
    Result r = check("ArrMore", "unusedArray", new double[] {0.5, -0.3}, new double[] {1, 2, 3},
        0.7);
    assertThat(r.vector("dUnused")).usingExactEquality().containsExactly(0.0, 0.0, 0.0);
    assertThat(r.vector("dX")).usingExactEquality().containsExactly(0.7, 0.0).inOrder();
    double[] unusedAdjoint = {4.0, 5.0, 6.0};
    on("ArrMore").adjoint("unusedArray",
        new Object[] {new double[] {0.5, -0.3}, new double[] {1, 2, 3}, 0.7}, 3.0,
        new double[1], null, unusedAdjoint);
    assertThat(unusedAdjoint).usingExactEquality().containsExactly(4.0, 5.0, 6.0).inOrder();
  }

  @Test
  void elementOfAParameterAsTheResult() {
    Result r = check("ArrMore", "elementIsResult", new double[] {0.5, -0.3, 2}, 1);
    assertThat(r.vector("dX")).usingExactEquality().containsExactly(0.0, 1.0, 0.0).inOrder();
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

  /**
   * BUG: passing a row {@code w[r]} of a double[][] to a @Differentiable double[] parameter
   * crashes the processor (ADJ002, a ClassCastException from Expr.ArrayRead to Expr.Local in
   * ReverseTransform.seededCall). Either a working gradient or a proper diagnostic on the call
   * line is acceptable; an internal error is not.
   */
  @ParameterizedTest
  @ValueSource(strings = {"w[r]", "m[1]"})
  void matrixRowPassedToAHelper(String argument) {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class ArrRow {
          @Differentiable
          public static double h(double[] a, double c) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              s += a[i] * a[i];
            }
            return c * s;
          }

          @Differentiable
          public static double m(double[][] w, double c) {
            double[][] m = new double[2][w[0].length];
            for (int j = 0; j < w[0].length; j++) {
              m[1][j] = w[0][j] * c;
            }
            double s = 0;
            for (int r = 0; r < w.length; r++) {
              s += h(ARG, c + r);
            }
            return s;
          }
        }
        """
            .replace("ARG", argument);
    assertGradientOrCleanDiagnostic(source, "p.ArrRow", 24, "m",
        new double[][] {{0.5, -0.3}, {1.2, 0.4}, {0.7, 0.1}}, 0.8);
  }

  /**
   * BUG (diagnostic): a conditional choosing between two arrays is typed {@code int} (BodyReader
   * promotes the branch types numerically), so a call gets ADJ209 "cannot resolve method h with
   * arguments (int, double)" and an index gets ADJ211 "expected an array but the expression has
   * type int; add an explicit cast". Either a working gradient or a diagnostic that does not
   * invent an int is acceptable.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h(c > 0 ? x : y, c)", "(c > 0 ? x : y)[0] * c"})
  void conditionalBetweenArrays(String expression) {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class ArrCond {
          @Differentiable
          public static double h(double[] a, double c) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              s += a[i] * a[i];
            }
            return c * s;
          }

          @Differentiable
          public static double m(double[] x, double[] y, double c) {
            return EXPR;
          }
        }
        """
            .replace("EXPR", expression);
    assertGradientOrCleanDiagnostic(source, "p.ArrCond", 17, "m",
        new double[] {0.5, -0.3}, new double[] {1.5}, 0.7);
  }

  /**
   * Compiles {@code source}: if it compiles, checks {@code method} at {@code args} against the
   * oracle; if not, requires one Adjoint error on {@code line} that is neither an internal error
   * nor a complaint about a type {@code int} the source never wrote.
   */
  private static void assertGradientOrCleanDiagnostic(String source, String name, int line,
      String method, Object... args) {
    Compilation c =
        Compiler.javac()
            .withProcessors(new AdjointProcessor())
            .compile(JavaFileObjects.forSourceString(name, source));
    List<Diagnostic<? extends JavaFileObject>> errors = c.errors();
    for (Diagnostic<? extends JavaFileObject> d : errors) {
      String message = d.getMessage(Locale.ROOT);
      assertWithMessage("diagnostic at line %s", d.getLineNumber())
          .that(message)
          .doesNotContain("ADJ002");
      assertWithMessage("diagnostic at line %s", d.getLineNumber())
          .that(message)
          .doesNotContain("type int");
      assertWithMessage("diagnostic at line %s", d.getLineNumber())
          .that(message)
          .doesNotContain("(int, double)");
    }
    if (c.status() == Compilation.Status.SUCCESS) {
      InProcessCompiler compiled = InProcessCompiler.compile(source);
      ArrayOracle.on(compiled.load(name + "Diff")).check(method, args);
    } else {
      assertWithMessage("errors: %s", errors).that(errors).hasSize(1);
      assertThat(errors.get(0).getMessage(Locale.ROOT)).containsMatch("\\[ADJ2\\d\\d\\]");
      assertThat(errors.get(0).getLineNumber()).isEqualTo((long) line);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Diagnostics
  // ---------------------------------------------------------------------------------------------

  /** The source of the latest {@link #compileLines} call. */
  private JavaFileObject source;

  private Compilation compileLines(String... lines) {
    source = JavaFileObjects.forSourceLines("p.Foo", lines);
    Compilation c = Compiler.javac().withProcessors(new AdjointProcessor()).compile(source);
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      assertWithMessage("a diagnostic of %s", c)
          .that(d.getMessage(Locale.ROOT))
          .doesNotContain("ADJ002");
    }
    return c;
  }

  /** The only error, asserted to carry the id, the text and the line. */
  private void assertSingleError(Compilation c, String id, String text, int line) {
    CompilationSubject.assertThat(c).failed();
    CompilationSubject.assertThat(c).hadErrorCount(1);
    CompilationSubject.assertThat(c).hadErrorContaining("[" + id + "]").inFile(source).onLine(line);
    CompilationSubject.assertThat(c).hadErrorContaining(text).inFile(source).onLine(line);
  }

  @Test
  void writingAParameterArrayElementIsADJ216() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] x) {",
            "    double s = 0;",
            "    for (int i = 0; i < x.length; i++) {",
            "      x[i] = x[i] * 2;",
            "      s += x[i];",
            "    }",
            "    return s;",
            "  }",
            "}");
    assertSingleError(c, "ADJ216", "writes an element of parameter 'x'", 8);
    CompilationSubject.assertThat(c).hadErrorContaining("read-only").inFile(source).onLine(8).atColumn(8);
    CompilationSubject.assertThat(c).hadErrorContaining("double[x.length]");
  }

  @Test
  void compoundWriteAndIncrementOfAParameterArrayElementAreADJ216() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[][] w, double y) {",
            "    w[0][1] += y;",
            "    return w[0][1];",
            "  }",
            "  @Differentiable",
            "  public static double n(double[] v) {",
            "    v[0]++;",
            "    return v[0];",
            "  }",
            "}");
    CompilationSubject.assertThat(c).failed();
    CompilationSubject.assertThat(c)
        .hadErrorContaining("[ADJ216] writes an element of parameter 'w'")
        .inFile(source)
        .onLine(6);
    CompilationSubject.assertThat(c)
        .hadErrorContaining("[ADJ216] writes an element of parameter 'v'")
        .inFile(source)
        .onLine(11);
  }

  @Test
  void declaringAnArrayInsideALoopIsADJ200() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] x) {",
            "    double s = 0;",
            "    for (int i = 0; i < x.length; i++) {",
            "      double[] t = new double[2];",
            "      t[0] = x[i];",
            "      s += t[0];",
            "    }",
            "    return s;",
            "  }",
            "}");
    assertSingleError(c, "ADJ200", "declaring array 't' inside a block or loop", 8);
    CompilationSubject.assertThat(c).hadErrorContaining("top level").inFile(source).onLine(8);
  }

  @Test
  void aliasingAnArrayIsADJ200() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] a) {",
            "    double[] b = a;",
            "    return b[0];",
            "  }",
            "}");
    assertSingleError(c, "ADJ200", "initialising array 'b' from another array", 6);
    CompilationSubject.assertThat(c).hadErrorContaining("may not alias").inFile(source).onLine(6);
  }

  @Test
  void reassigningAnArrayVariableIsADJ201() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] a) {",
            "    double[] b = new double[2];",
            "    b = a;",
            "    return b[0];",
            "  }",
            "}");
    // Reported as an unsupported expression (the target 'b'), unlike 'double[] b = a;' (ADJ200).
    assertSingleError(c, "ADJ201", "assigning array variable 'b'", 7);
    CompilationSubject.assertThat(c)
        .hadErrorContaining("arrays may not be replaced or aliased")
        .inFile(source)
        .onLine(7);
  }

  @Test
  void passingAnArrayToAPlainMethodIsADJ217() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double plain(double[] a) {",
            "    return a[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double[] x) {",
            "    double y = plain(x);",
            "    return y * x[1];",
            "  }",
            "}");
    assertSingleError(c, "ADJ217", "passes array 'x' to Foo.plain", 9);
    CompilationSubject.assertThat(c)
        .hadErrorContaining("not @Differentiable and might write it")
        .inFile(source)
        .onLine(9)
        .atColumn(22);
  }

  @Test
  void passingALocalArrayToAPlainMethodIsADJ217() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double plain(double[] a) {",
            "    return a[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    double[] t = {x, 2 * x};",
            "    return plain(t);",
            "  }",
            "}");
    assertSingleError(c, "ADJ217", "passes array 't' to Foo.plain", 10);
  }

  @Test
  void passingAnIntArrayToAPlainMethodIsADJ217() {
    // An int[] carries no derivative, but the callee could still write it.
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static int first(int[] a) {",
            "    return a[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double x, int[] idx) {",
            "    int k = first(idx);",
            "    return x * k;",
            "  }",
            "}");
    assertSingleError(c, "ADJ217", "passes array 'idx'", 9);
  }

  @Test
  void arrayDiagnosticsLeaveTheSupportedMethodsAlone() {
    // Control: the same shapes, written as supported, compile without warnings.
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] x) {",
            "    double[] t = new double[x.length];",
            "    double s = 0;",
            "    for (int i = 0; i < x.length; i++) {",
            "      t[i] = x[i] * 2;",
            "      s += t[i];",
            "    }",
            "    return s + h(t);",
            "  }",
            "  @Differentiable",
            "  static double h(double[] a) {",
            "    return a.length == 0 ? 0 : a[0];",
            "  }",
            "}");
    CompilationSubject.assertThat(c).succeededWithoutWarnings();
  }

  // ---------------------------------------------------------------------------------------------
  // Sanity of the test sources themselves
  // ---------------------------------------------------------------------------------------------

  /** Groups that exist to show a processor bug; their own tests report it. */
  private static final java.util.Set<String> BUG_GROUPS =
      java.util.Set.of("ArrFloatLocals", "ArrEarlyReturn");

  @Test
  void everyGroupCompiles() {
    List<String> failed =
        COMPILED.entrySet().stream()
            .filter(e -> !BUG_GROUPS.contains(e.getKey()))
            .filter(e -> !(e.getValue() instanceof InProcessCompiler))
            .map(e -> e.getKey() + ": " + ((Throwable) e.getValue()).getMessage())
            .toList();
    if (!failed.isEmpty()) {
      fail(String.join("\n\n", failed));
    }
    assertThat(original("Arr").getSimpleName()).isEqualTo("Arr");
  }
}
