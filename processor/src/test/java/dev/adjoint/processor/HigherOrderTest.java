package dev.adjoint.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward mode ({@code mJvp}), second derivatives ({@code mHessian}, {@code mHvp}) and
 * derivatives of any order in one variable ({@code mDerivatives}): the exact values,
 * and every result against an independent oracle (Ridders-extrapolated central differences of
 * the plain method, or of the already-checked lower derivative).
 */
class HigherOrderTest {

  private static final String SOURCE = """
      package p;

      import dev.adjoint.CustomAdjoint;
      import dev.adjoint.Differentiable;

      public class H {
        @Differentiable(order = 2)
        public static double u(double x, double y) {
          return x * x + y;
        }

        @Differentiable(order = 2)
        public static double rosenbrock(double x, double y) {
          double a = 1 - x;
          double b = y - x * x;
          return a * a + 100 * b * b;
        }

        @Differentiable(order = 2)
        public static double logSumExp(double[] z) {
          double max = z[0];
          for (int i = 1; i < z.length; i++) {
            max = Math.max(max, z[i]);
          }
          double sum = 0;
          for (int i = 0; i < z.length; i++) {
            sum += Math.exp(z[i] - max);
          }
          return max + Math.log(sum);
        }

        @Differentiable(order = 2)
        static double sq(double x) {
          return x * x;
        }

        @Differentiable(order = 2)
        static void smooth(double[] a, double w) {
          for (int i = 1; i < a.length; i++) {
            a[i] = a[i] + w * Math.tanh(a[i - 1]);
          }
        }

        /** Local arrays written in place, a void helper, calls, branches, a scalar input. */
        @Differentiable(order = 2)
        public static double mixed(double[] v, double s) {
          double[] work = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            work[i] = v[i] * s;
          }
          smooth(work, 0.5 * s);
          double acc = 0;
          for (int i = 0; i < work.length; i++) {
            if (work[i] > 0) {
              acc += sq(work[i]) * Math.exp(-work[i]);
            } else {
              acc -= Math.sin(work[i]) * s;
            }
          }
          return acc + Math.log1p(sq(s));
        }

        @Differentiable(order = 2)
        public static double quadraticForm(double[][] a, double[] x) {
          double q = 0;
          for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
              q += x[i] * a[i][j] * x[j];
            }
          }
          return q * Math.cos(a[0][1]);
        }

        /** Newton's method for sqrt(a): a loop whose trip count depends on the input. */
        @Differentiable(order = 2)
        public static double newton(double a) {
          double x = a;
          int iterations = 0;
          while (Math.abs(x * x - a) > 1e-13 * a && iterations < 60) {
            x = 0.5 * (x + a / x);
            iterations++;
          }
          return x * x * x;
        }

        @Differentiable(order = 2)
        public static double power(double x, double y, int n) {
          return n == 0 ? y : x * power(x, y, n - 1);
        }

        @Differentiable(order = 2)
        public static float floats(float x, float y) {
          return x * x * y + (float) Math.sin(x * y);
        }

        @Differentiable(order = 2)
        public static double labelled(double x, double y, int n) {
          double s = 0;
          outer:
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              if (i + j > 5) {
                break outer;
              }
              if ((i + j) % 2 == 1) {
                continue;
              }
              s += Math.atan2(x * i + 1, y + j) * Math.exp(0.1 * x * y);
            }
          }
          return s;
        }

        @Differentiable(order = 4)
        public static double threeXSquared(double x) {
          return 3 * x * x;
        }

        @Differentiable(order = 3)
        public static double sinTwoX(double x) {
          return Math.sin(2 * x);
        }

        @Differentiable(order = 6)
        public static double fifthPower(double x) {
          double p = 1;
          for (int i = 0; i < 5; i++) {
            p *= x;
          }
          return p;
        }

        @Differentiable(order = 5)
        public static double expSin(double x) {
          return Math.exp(Math.sin(x));
        }

        @Differentiable(order = 4)
        static double cube(double x) {
          return x * x * x;
        }

        @Differentiable(order = 4)
        public static double callsCube(double x) {
          return cube(x) + cube(2 * x);
        }

        @Differentiable(order = 4)
        public static double powerOf(double x, int n) {
          return n == 0 ? 1 : x * powerOf(x, n - 1);
        }

        @Differentiable(order = 3, wrt = "x")
        public static double scaledLog(double x, double k) {
          return k * Math.log(x);
        }

        @Differentiable(order = 6)
        public static double tanhLoop(double x) {
          double y = x;
          for (int i = 0; i < 3; i++) {
            y = Math.tanh(y) + 0.5 * y;
          }
          return y;
        }

        @Differentiable
        public static double[] curve(double t) {
          double[] r = new double[3];
          r[0] = Math.cos(t);
          r[1] = Math.sin(t);
          r[2] = t * t;
          return r;
        }

        @Differentiable
        public static double[] softmax(double[] z) {
          double[] p = new double[z.length];
          double sum = 0;
          for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i]);
            sum += p[i];
          }
          for (int i = 0; i < z.length; i++) {
            p[i] = p[i] / sum;
          }
          return p;
        }

        @Differentiable
        public static double norm(double[] v) {
          return Math.sqrt(v[0] * v[0] + v[1] * v[1]);
        }

        @CustomAdjoint("norm")
        static double normAdjoint(double[] v, double seed, double[] vAdjoint) {
          double n = Math.sqrt(v[0] * v[0] + v[1] * v[1]);
          vAdjoint[0] += seed * v[0] / n;
          vAdjoint[1] += seed * v[1] / n;
          return n;
        }

        @Differentiable
        public static double callsNorm(double[] v, double s) {
          return s * norm(v) + Math.exp(s * v[0]);
        }
      }
      """;

  private static InProcessCompiler compiled;

  private static synchronized InProcessCompiler compiled() {
    if (compiled == null) {
      compiled = InProcessCompiler.compile(SOURCE);
    }
    return compiled;
  }

  private static Class<?> diff() {
    return compiled().load("p.HDiff");
  }

  private static Class<?> plain() {
    return compiled().load("p.H");
  }

  private static Method method(Class<?> c, String name) {
    return Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError(c + " has no " + name));
  }

  private static Object call(Class<?> c, String name, Object... args) {
    // By name and arity: mJacobian has overloads taking a buffer.
    Method m = Arrays.stream(c.getDeclaredMethods())
        .filter(x -> x.getName().equals(name) && x.getParameterCount() == args.length)
        .findFirst().orElseThrow(() -> new AssertionError(c + " has no " + name));
    m.setAccessible(true);
    try {
      return m.invoke(null, args);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    } catch (InvocationTargetException e) {
      throw new AssertionError(name + " threw", e.getCause());
    }
  }

  // ---------------------------------------------------------------- the values

  @Test
  void hessianOfXSquaredPlusY() {
    double[][] h = (double[][]) call(diff(), "uHessian", 10.0, 12.0);
    assertThat(h).isEqualTo(new double[][] {{2, 0}, {0, 0}});
  }

  @Test
  void rosenbrockHessianAtTheMinimum() {
    double[][] h = (double[][]) call(diff(), "rosenbrockHessian", 1.0, 1.0);
    assertThat(h).isEqualTo(new double[][] {{802, -400}, {-400, 200}});
  }

  @Test
  void logSumExpHessianIsDiagPMinusPPTransposed() {
    double[] z = {0.3, -1.2, 2.0, 0.7};
    double[][] h = (double[][]) call(diff(), "logSumExpHessian", (Object) z);
    double sum = 0;
    for (double v : z) {
      sum += Math.exp(v);
    }
    for (int i = 0; i < z.length; i++) {
      for (int j = 0; j < z.length; j++) {
        double pi = Math.exp(z[i]) / sum;
        double pj = Math.exp(z[j]) / sum;
        double want = (i == j ? pi : 0) - pi * pj;
        assertWithMessage("H[%s][%s]", i, j).that(h[i][j]).isWithin(1e-15).of(want);
      }
    }
  }

  @Test
  void derivativesOfThreeXSquaredAtFive() {
    double[] d = (double[]) call(diff(), "threeXSquaredDerivatives", 5.0);
    assertThat(d).isEqualTo(new double[] {75, 30, 6, 0, 0});
  }

  @Test
  void derivativesOfSinTwoXToOrderThree() {
    for (double x : new double[] {-1.3, 0, 0.4, 2.9}) {
      double[] d = (double[]) call(diff(), "sinTwoXDerivatives", x);
      double[] want = {Math.sin(2 * x), 2 * Math.cos(2 * x), -4 * Math.sin(2 * x),
          -8 * Math.cos(2 * x)};
      assertThat(d.length).isEqualTo(4);
      for (int k = 0; k < 4; k++) {
        assertWithMessage("order %s at %s", k, x).that(d[k]).isWithin(1e-14).of(want[k]);
      }
    }
  }

  @Test
  void derivativesOfALoopPolynomialAreExactAndZeroPastItsDegree() {
    double x = 1.5;
    double[] d = (double[]) call(diff(), "fifthPowerDerivatives", x);
    double[] want = {Math.pow(x, 5), 5 * Math.pow(x, 4), 20 * Math.pow(x, 3), 60 * x * x,
        120 * x, 120, 0};
    assertThat(d).usingTolerance(1e-12).containsExactly(want).inOrder();
    assertThat(d[6]).isEqualTo(0.0);
  }

  @Test
  void derivativesThroughCallsAndRecursion() {
    double x = 0.7;
    double[] calls = (double[]) call(diff(), "callsCubeDerivatives", x);
    assertThat(calls).usingTolerance(1e-13)
        .containsExactly(9 * x * x * x, 27 * x * x, 54 * x, 54, 0).inOrder();
    double[] recursion = (double[]) call(diff(), "powerOfDerivatives", x, 4);
    assertThat(recursion).usingTolerance(1e-13)
        .containsExactly(x * x * x * x, 4 * x * x * x, 12 * x * x, 24 * x, 24).inOrder();
    double[] log = (double[]) call(diff(), "scaledLogDerivatives", 2.0, 3.0);
    assertThat(log).usingTolerance(1e-15)
        .containsExactly(3 * Math.log(2), 1.5, -0.75, 0.75).inOrder();
  }

  /** Each derivative is the oracle's derivative of the one before (itself checked so). */
  @ParameterizedTest
  @MethodSource("chains")
  void eachDerivativeIsTheDerivativeOfTheOneBefore(String name, double x) {
    double[] d = (double[]) call(diff(), name + "Derivatives", x);
    Method plainMethod = method(plain(), name);
    assertThat(d[0]).isEqualTo((double) call(plain(), name, x));
    for (int k = 1; k < d.length; k++) {
      int previous = k - 1;
      DoubleUnaryOperator lower = v -> ((double[]) call(diff(), name + "Derivatives", v))[
          previous];
      Oracle.Estimate e = Oracle.derivative(lower, x);
      assertWithMessage("%s order %s at %s (oracle %s)", plainMethod.getName(), k, x, e)
          .that(d[k]).isWithin(1e-7 * (1 + Math.abs(e.value())) + 10 * e.error()).of(e.value());
    }
  }

  static Stream<Arguments> chains() {
    return Stream.of(Arguments.of("expSin", 0.8), Arguments.of("expSin", -2.1),
        Arguments.of("tanhLoop", 0.3), Arguments.of("tanhLoop", -1.1),
        Arguments.of("sinTwoX", 1.1));
  }

  // ---------------------------------------------------------------- Hessians through the subset

  /** A method, a point, and how to pass a flat vector of the differentiated inputs. */
  private record Case(String name, Object[] args) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> hessianCases() {
    return Stream.of(
        new Case("u", new Object[] {10.0, 12.0}),
        new Case("rosenbrock", new Object[] {-0.7, 1.3}),
        new Case("logSumExp", new Object[] {new double[] {0.3, -1.2, 2.0}}),
        new Case("mixed", new Object[] {new double[] {0.8, -0.4, 1.3, -1.9}, 0.9}),
        new Case("quadraticForm", new Object[] {new double[][] {{1.0, 0.3}, {-0.2, 2.0}},
            new double[] {0.5, -1.5}}),
        new Case("newton", new Object[] {2.7}),
        new Case("power", new Object[] {1.3, 0.7, 5}),
        new Case("floats", new Object[] {0.75f, -1.25f}),
        new Case("labelled", new Object[] {0.6, 1.7, 4}));
  }

  @ParameterizedTest
  @MethodSource("hessianCases")
  void hessianIsSymmetricAndMatchesTheOracleOnTheGradient(Case c) {
    double[][] h = (double[][]) call(diff(), c.name() + "Hessian", c.args());
    double[] x = flatten(c.args());
    assertThat(h.length).isEqualTo(x.length);
    double scale = 0;
    for (double[] row : h) {
      assertThat(row.length).isEqualTo(x.length);
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    boolean single = c.name().equals("floats");
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < i; j++) {
        assertWithMessage("%s: H[%s][%s] against H[%s][%s]", c, i, j, j, i)
            .that(h[i][j]).isWithin((single ? 1e-5 : 1e-12) * (1 + scale)).of(h[j][i]);
      }
    }
    // Row i is the derivative of the (reverse-mode, oracle-checked) gradient along input i.
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < x.length; j++) {
        int component = j;
        Oracle.Estimate e = Oracle.partial(
            v -> gradient(c.name(), unflatten(c.args(), v))[component], x, i,
            single ? v -> (float) v : DoubleUnaryOperator.identity(),
            single ? 1e-2 : Oracle.initialStep(x[i]));
        double tolerance = (single ? 2e-3 : 1e-7) * (1 + Math.abs(e.value()) + scale)
            + 10 * e.error();
        assertWithMessage("%s: H[%s][%s] (oracle %s)", c, i, j, e).that(h[i][j])
            .isWithin(tolerance).of(e.value());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("hessianCases")
  void hessianVectorProductIsTheHessianTimesTheVector(Case c) {
    double[][] h = (double[][]) call(diff(), c.name() + "Hessian", c.args());
    double[] x = flatten(c.args());
    Random random = new Random(c.name().hashCode());
    double[] v = new double[x.length];
    for (int k = 0; k < v.length; k++) {
      v[k] = random.nextDouble() * 2 - 1;
    }
    List<Object> args = new ArrayList<>(Arrays.asList(c.args()));
    args.addAll(directions(c.args(), v));
    double[] hv = (double[]) call(diff(), c.name() + "Hvp", args.toArray());
    for (int i = 0; i < x.length; i++) {
      double want = 0;
      double scale = 0;
      for (int j = 0; j < x.length; j++) {
        want += h[i][j] * v[j];
        scale += Math.abs(h[i][j] * v[j]);
      }
      assertWithMessage("%s: (Hv)[%s]", c, i).that(hv[i]).isWithin(1e-13 * (1 + scale))
          .of(want);
    }
  }

  // ---------------------------------------------------------------- forward mode

  @ParameterizedTest
  @MethodSource("hessianCases")
  void tangentIsTheGradientDottedWithTheTangent(Case c) {
    double[] x = flatten(c.args());
    Random random = new Random(c.name().hashCode() * 7L);
    double[] t = new double[x.length];
    for (int k = 0; k < t.length; k++) {
      t[k] = random.nextDouble() * 2 - 1;
    }
    List<Object> args = new ArrayList<>(Arrays.asList(c.args()));
    args.addAll(directions(c.args(), t));
    Object jvp = call(diff(), c.name() + "Jvp", args.toArray());
    double[] g = gradient(c.name(), c.args());
    double want = 0;
    double scale = 0;
    for (int k = 0; k < x.length; k++) {
      want += g[k] * t[k];
      scale += Math.abs(g[k] * t[k]);
    }
    assertThat(((Number) component(jvp, "value")).doubleValue())
        .isEqualTo(((Number) call(plain(), c.name(), c.args())).doubleValue());
    assertThat(((Number) component(jvp, "tangent")).doubleValue())
        .isWithin((c.name().equals("floats") ? 1e-6 : 1e-13) * (1 + scale)).of(want);
  }

  @Test
  void tangentOfAVectorFunctionAndItsForwardJacobian() {
    double t = 0.9;
    Object jvp = call(diff(), "curveJvp", t, 2.0);
    assertThat((double[]) component(jvp, "tangent")).usingTolerance(1e-15)
        .containsExactly(-2 * Math.sin(t), 2 * Math.cos(t), 4 * t).inOrder();
    // One input, three outputs of a length the code fixes: one vector reverse sweep.
    double[][] jacobian = (double[][]) call(diff(), "curveJacobian", t);
    for (int r = 0; r < 3; r++) {
      int row = r;
      Oracle.Estimate e = Oracle.derivative(v -> ((double[]) call(plain(), "curve", v))[row], t);
      assertWithMessage("row %s (oracle %s)", r, e).that(jacobian[r][0])
          .isWithin(1e-9 + 10 * e.error()).of(e.value());
    }
  }

  @Test
  void softmaxTangentIsItsJacobianTimesTheTangent() {
    double[] z = {0.2, -0.5, 1.1};
    double[] dz = {0.3, 1.0, -0.6};
    double[] tangent = (double[]) component(call(diff(), "softmaxJvp", z, dz), "tangent");
    double[][] jacobian = (double[][]) call(diff(), "softmaxJacobian", (Object) z);
    for (int i = 0; i < z.length; i++) {
      double want = 0;
      for (int j = 0; j < z.length; j++) {
        want += jacobian[i][j] * dz[j];
      }
      assertThat(tangent[i]).isWithin(1e-15).of(want);
    }
  }

  @Test
  void tangentThroughACustomAdjointUsesIt() {
    double[] v = {3, 4};
    double s = 0.5;
    Object jvp = call(diff(), "callsNormJvp", v, s, new double[] {1, -2}, 0.25);
    // d/dv: s v / |v| + (s e^{s v0}, 0); d/ds: |v| + v0 e^{s v0}.
    double e = Math.exp(s * v[0]);
    double want = (s * 3 / 5 + s * e) * 1 + (s * 4 / 5) * -2 + (5 + v[0] * e) * 0.25;
    assertThat(((Number) component(jvp, "tangent")).doubleValue()).isWithin(1e-13).of(want);
  }

  @Test
  void tangentRejectsATangentArrayOfTheWrongLength() {
    AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
        () -> call(diff(), "softmaxJvp", new double[] {1, 2}, new double[] {1}));
    assertThat(e).hasCauseThat().isInstanceOf(IllegalArgumentException.class);
    assertThat(e).hasCauseThat().hasMessageThat()
        .isEqualTo("zDot has length 1 but must have length 2");
  }

  // ---------------------------------------------------------------- flattening helpers

  private static Object component(Object record, String name) {
    for (RecordComponent rc : record.getClass().getRecordComponents()) {
      if (rc.getName().equals(name)) {
        try {
          Method accessor = rc.getAccessor();
          accessor.setAccessible(true);
          return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError(record + " has no " + name);
  }

  /** The gradient from {@code mGrad}, flattened in declaration order. */
  private static double[] gradient(String name, Object[] args) {
    Object grad = call(diff(), name + "Grad", args);
    List<Double> out = new ArrayList<>();
    RecordComponent[] components = grad.getClass().getRecordComponents();
    for (int k = 1; k < components.length; k++) {
      Object v;
      try {
        Method accessor = components[k].getAccessor();
        accessor.setAccessible(true);
        v = accessor.invoke(grad);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
      addFlat(v, out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void addFlat(Object v, List<Double> out) {
    if (v instanceof double[] a) {
      for (double e : a) {
        out.add(e);
      }
    } else if (v instanceof double[][] m) {
      for (double[] row : m) {
        addFlat(row, out);
      }
    } else if (v instanceof Double || v instanceof Float) {
      out.add(((Number) v).doubleValue());
    }
  }

  /** The floating-point arguments, flattened (ints are constants). */
  private static double[] flatten(Object[] args) {
    List<Double> out = new ArrayList<>();
    for (Object a : args) {
      addFlat(a, out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** {@code args} with the floating-point values replaced from {@code flat}, in order. */
  private static Object[] unflatten(Object[] args, double[] flat) {
    Object[] out = new Object[args.length];
    int at = 0;
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Double) {
        out[i] = flat[at++];
      } else if (a instanceof Float) {
        out[i] = (float) flat[at++];
      } else if (a instanceof double[] v) {
        out[i] = Arrays.copyOfRange(flat, at, at + v.length);
        at += v.length;
      } else if (a instanceof double[][] m) {
        double[][] copy = new double[m.length][];
        for (int r = 0; r < m.length; r++) {
          copy[r] = Arrays.copyOfRange(flat, at, at + m[r].length);
          at += m[r].length;
        }
        out[i] = copy;
      } else {
        out[i] = a;
      }
    }
    return out;
  }

  /** One tangent or direction argument per floating-point parameter, shaped like it. */
  private static List<Object> directions(Object[] args, double[] flat) {
    Object[] shaped = unflatten(args, flat);
    List<Object> out = new ArrayList<>();
    int at = 0;
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof Double || args[i] instanceof Float) {
        out.add(flat[at++]);
      } else if (!(args[i] instanceof Integer)) {
        out.add(shaped[i]);
        at += flatten(new Object[] {args[i]}).length;
      }
    }
    return out;
  }
}
