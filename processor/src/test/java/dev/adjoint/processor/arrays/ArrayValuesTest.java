package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.statements.Modes;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Arrays as values: local arrays declared inside loops and blocks, initializer lists, {@code
 * clone()}, {@code Arrays.copyOf}/{@code copyOfRange}, {@code Arrays.fill}, {@code
 * System.arraycopy} (overlapping ranges both ways), the swap of two arrays (the double buffer
 * of a time-stepping scheme), and {@code return new double[] {...}}. Scalar methods are checked
 * in every mode by {@link Modes} (reverse against the oracle, {@code mAdjoint}, the pullbacks of
 * {@code mVjp}, {@code mJvp}, {@code mHvp}); vector results through {@code mJacobian} against
 * Ridders' differences column by column. The caller's arrays stay untouched.
 */
class ArrayValuesTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;
      import java.util.Arrays;

      public class Values {
        @Differentiable(order = 2)
        public static double heat(double[] x, double k, int steps) {
          int n = x.length;
          double[] u = x.clone();
          double[] next = new double[n];
          for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) {
              double left = i > 0 ? u[i - 1] : 0;
              double right = i < n - 1 ? u[i + 1] : 0;
              next[i] = u[i] + k * (left - 2 * u[i] + right) * u[i];
            }
            double[] tmp = u;
            u = next;
            next = tmp;
          }
          double e = 0;
          for (double v : u) {
            e += v * v * Math.exp(-v);
          }
          return e + next[0];
        }

        @Differentiable(order = 2)
        public static double loopLocals(double[] x, int steps) {
          int n = x.length;
          double[] u = Arrays.copyOf(x, n);
          double s = 0;
          for (int t = 0; t < steps; t++) {
            double[] next = new double[n];
            for (int i = 1; i < n - 1; i++) {
              next[i] = u[i] + 0.1 * (u[i - 1] - 2 * u[i] + u[i + 1]) * u[i];
            }
            double[] pair = {next[1], u[0] * next[1]};
            s += pair[0] * pair[1];
            double[] tail = Arrays.copyOfRange(u, 1, n + 1);
            s += tail[n - 1] + tail[0] * Math.sin(tail[1]);
            if (t % 2 == 0) {
              double[] c = next.clone();
              c[0] = Math.exp(c[1]);
              s += c[0] * c[n - 2];
            }
            System.arraycopy(next, 1, u, 1, n - 2);
            double[] a = Arrays.copyOfRange(x, 1, 4);
            double[] b = new double[3];
            b[t % 3] = s;
            double[] held = a;
            a = b;
            b = held;
            s += a[0] * b[1] + a[t % 3];
          }
          return s + u[1] * u[1];
        }

        @Differentiable(order = 2)
        public static double fills(double[] x, double c) {
          double[] w = new double[x.length + 2];
          Arrays.fill(w, c);
          System.arraycopy(x, 0, w, 1, x.length);
          System.arraycopy(w, 0, w, 1, x.length);
          System.arraycopy(w, 2, w, 0, x.length);
          Arrays.fill(w, 0, 1, w[1] * c);
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            s += w[i] * w[i] * (i + 1);
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double matrixInLoop(double[] x, int rounds) {
          double s = 0;
          for (int r = 0; r < rounds; r++) {
            double[][] m = new double[2][x.length];
            for (int j = 0; j < x.length; j++) {
              m[0][j] += x[j] * (r + 1);
              m[1][j] = m[0][j] * x[j] + s;
            }
            float[] f = new float[2];
            f[1] += 2f;
            double[] g = {x[0] * x[1], 2};
            s += m[1][x.length - 1] * g[0] + f[1] * g[1] * m[0][0];
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double rowCopies(double[][] a, double c) {
          double[][] m = new double[a.length][a[0].length];
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, m[i], 0, a[i].length);
            Arrays.fill(m[i], 0, 1, c * a[i][1]);
            double[] row = Arrays.copyOf(a[i], a[0].length);
            for (int j = 0; j < row.length; j++) {
              s += m[i][j] * row[j] * c;
            }
          }
          return s;
        }

        static double[] dense(double[][] w, double[] x, double[] b) {
          double[] h = new double[b.length];
          for (int i = 0; i < b.length; i++) {
            double s = b[i];
            for (int j = 0; j < x.length; j++) {
              s += w[i][j] * x[j];
            }
            h[i] = Math.tanh(s);
          }
          return h;
        }

        @Differentiable
        static double[] affine(double[] x, double a, int n) {
          double[] y = new double[n];
          for (int i = 0; i < n; i++) {
            y[i] = a * x[i % x.length] + i;
          }
          return y;
        }

        @Differentiable(order = 2)
        public static double network(double[][] w1, double[] b1, double[][] w2, double[] b2,
            double[] x) {
          double[] h = dense(w1, x, b1);
          double[] y = Values.dense(w2, h, b2);
          double loss = 0;
          for (double v : y) {
            loss += v * v;
          }
          return loss;
        }

        @Differentiable(order = 2)
        public static double recurrent(double[][] w, double[] b, double[] x0, int steps) {
          double[] state = x0.clone();
          for (int t = 0; t < steps; t++) {
            double[] next = dense(w, state, b);
            System.arraycopy(next, 0, state, 0, state.length);
            double[] wide = affine(next, state[0], 2 * next.length + 1);
            state[0] += wide[wide.length - 1] * 0.1;
          }
          return state[0] * state[1];
        }

        @Differentiable(order = 2)
        static double total(double[] v) {
          double s = 0;
          for (double e : v) {
            s += Math.sin(e);
          }
          return s;
        }

        static double[] exps(double[] x, double c) {
          double[] r = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            r[i] = Math.exp(c * x[i]);
          }
          return r;
        }

        @Differentiable(order = 2)
        public static double inExpressions(double[] x, double c) {
          double s = total(new double[] {c * x[0], x[1] * x[1]}) + total(x.clone());
          int i = 0;
          while (total(Arrays.copyOf(x, 2)) + i < 2.5 && i < 2) {
            s += total(exps(x, c)) * total(Arrays.copyOfRange(x, 1, 3));
            i++;
          }
          return s;
        }

        @Differentiable
        public static double[] layer(double[][] w, double[] b, double[] x) {
          return dense(w, x, b);
        }

        @Differentiable
        public static double[] polar(double r, double theta) {
          return new double[] {r * Math.cos(theta), r * Math.sin(theta)};
        }

        @Differentiable
        public static double[] shifted(double[] x, double c) {
          double[] y = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * c;
          }
          return Arrays.copyOfRange(y, 1, x.length + 1);
        }

        @Differentiable
        public static double[] cloned(double[] x) {
          double[] y = x.clone();
          y[0] = y[0] * y[1];
          return y.clone();
        }
      }
      """;

  private static Modes modes;
  private static Class<?> diff;
  private static Class<?> plain;

  @BeforeAll
  static void compile() {
    InProcessCompiler c = InProcessCompiler.compile(SOURCE);
    diff = c.load("p.ValuesDiff");
    plain = c.load("p.Values");
    modes = new Modes(diff);
  }

  @Test
  void doubleBufferSwappedEachStep() {
    for (int steps : new int[] {0, 1, 2, 5}) {
      double[] x = {0.3, -0.8, 1.1, 0.45};
      double[] copy = x.clone();
      modes.check("heat", x, 0.2, steps);
      assertThat(x).isEqualTo(copy);
    }
  }

  @Test
  void localArraysInLoopsCopiesAndArraycopy() {
    for (int steps : new int[] {0, 1, 3}) {
      modes.check("loopLocals", new double[] {0.3, -0.8, 1.1, 0.45, 0.2}, steps);
    }
  }

  @Test
  void fillAndOverlappingArraycopyBothWays() {
    modes.check("fills", new double[] {0.3, -0.8, 1.1}, 0.7);
  }

  @Test
  void matrixAndFloatArrayDeclaredInALoop() {
    for (int rounds : new int[] {0, 1, 3}) {
      modes.check("matrixInLoop", new double[] {0.3, -0.8, 1.1}, rounds);
    }
  }

  @Test
  void rowsCopiedFilledAndCloned() {
    modes.check("rowCopies", new double[][] {{0.3, -0.8, 1.1}, {0.5, 0.25, -1.5}}, 0.7);
  }

  @Test
  void returnNewArrayInitializer() throws Exception {
    double[] y = (double[]) plain.getMethod("polar", double.class, double.class)
        .invoke(null, 2.0, 0.5);
    assertThat(y).usingExactEquality().containsExactly(2 * Math.cos(0.5), 2 * Math.sin(0.5))
        .inOrder();
    checkJacobian("polar", 2.0, 0.5);
  }

  @Test
  void returnCopyOfRangeAndClone() throws Exception {
    double[] x = {0.3, -0.8, 1.1};
    double[] copy = x.clone();
    checkJacobian("shifted", x, 1.7);
    checkJacobian("cloned", (Object) x);
    assertThat(x).isEqualTo(copy);
  }

  @Test
  void helperReturningAFreshArrayInANetwork() {
    double[][] w1 = {{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.7}};
    double[] b1 = {0.05, -0.1, 0.2};
    double[][] w2 = {{0.6, -0.3, 0.2}, {-0.1, 0.4, 0.5}};
    double[] b2 = {0.1, -0.05};
    double[] x = {0.8, -1.2};
    modes.check("network", w1, b1, w2, b2, x);
  }

  @Test
  void helperReturningAnArrayCalledInALoop() {
    double[][] w = {{0.3, -0.2}, {0.5, 0.1}};
    for (int steps : new int[] {0, 1, 4}) {
      modes.check("recurrent", w, new double[] {0.05, -0.1}, new double[] {0.8, -1.2}, steps);
    }
  }

  @Test
  void arraysInsideExpressionsAndLoopConditions() {
    modes.check("inExpressions", new double[] {0.3, -0.8, 0.6}, 0.7);
    modes.check("inExpressions", new double[] {1.3, 0.9, 0.6}, -0.4);
  }

  @Test
  void returnOfAHelperCall() throws Exception {
    checkJacobian("layer", new double[][] {{0.3, -0.2}, {0.5, 0.1}}, new double[] {0.1, 0.2},
        new double[] {0.8, -1.2});
  }

  /** mJacobian against Ridders' differences, column by column over the flattened inputs. */
  private static void checkJacobian(String method, Object... args) throws Exception {
    Method jac = Arrays.stream(diff.getMethods())
        .filter(m -> m.getName().equals(method + "Jacobian")
            && m.getParameterCount() == args.length).findFirst().orElseThrow();
    Method f = Arrays.stream(plain.getMethods())
        .filter(m -> m.getName().equals(method)).findFirst().orElseThrow();
    double[][] j = (double[][]) jac.invoke(null, args);
    double[] x = flatten(args);
    for (int col = 0; col < x.length; col++) {
      int c = col;
      double[] value = (double[]) f.invoke(null, unflatten(args, x));
      assertWithMessage("%s rows", method).that(j.length).isEqualTo(value.length);
      for (int row = 0; row < value.length; row++) {
        int r = row;
        Oracle.Estimate e = Oracle.derivative(s -> {
          double[] xs = x.clone();
          xs[c] += s;
          try {
            return ((double[]) f.invoke(null, unflatten(args, xs)))[r];
          } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
          }
        }, 0.0);
        assertWithMessage("%s: J[%s][%s] (oracle %s)", method, row, col, e).that(j[row][col])
            .isWithin(1e-8 * (1 + Math.abs(e.value())) + 10 * e.error()).of(e.value());
      }
    }
  }

  private static double[] flatten(Object[] args) {
    return Arrays.stream(args).flatMapToDouble(a -> a instanceof double[][] m
        ? Arrays.stream(m).flatMapToDouble(Arrays::stream) : a instanceof double[] d
        ? Arrays.stream(d) : java.util.stream.DoubleStream.of(((Number) a).doubleValue()))
        .toArray();
  }

  private static Object[] unflatten(Object[] args, double[] flat) {
    Object[] out = new Object[args.length];
    int k = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof double[][] m) {
        double[][] copy = new double[m.length][];
        for (int r = 0; r < m.length; r++) {
          copy[r] = Arrays.copyOfRange(flat, k, k + m[r].length);
          k += m[r].length;
        }
        out[i] = copy;
      } else if (args[i] instanceof double[] d) {
        out[i] = Arrays.copyOfRange(flat, k, k + d.length);
        k += d.length;
      } else {
        out[i] = flat[k++];
      }
    }
    return out;
  }
}
