package dev.adjoint.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import dev.adjoint.processor.testing.Oracle.Estimate;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Tests of the generated gradient API beyond {@code mGrad}: {@code wrt}, {@code retain}, unused
 * inputs, {@code mVjp} pullbacks and {@code bytes()}, vector outputs ({@code mAdjoint} with an
 * array seed, {@code mJacobian}), accumulation through {@code mAdjoint}, and {@code
 * @CustomAdjoint}.
 *
 * <p>Every number is checked against a closed form or against the finite-difference {@link
 * Oracle} (Ridders-extrapolated central differences) applied to the plain method; array inputs are
 * perturbed element by element, flattened in declaration order (scalars one element, {@code
 * double[]} its elements, {@code double[][]} row by row), the order {@code mJacobian} uses for its
 * columns. Diagnostics are checked through compile-testing's {@code CompilationSubject}: id,
 * distinctive text and line.
 *
 * <p>All generated members are reached reflectively: the sources are compiled at test time by
 * {@link InProcessCompiler}, each group once (javac takes about a second per compilation).
 */
class GradientApiTest {

  /** Relative tolerance against the oracle (as in {@code GradientAssert}). */
  private static final double ORACLE_REL = 1e-7;

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** The notebook examples: retain, wrt, unused inputs, retain of a loop-carried local. */
  static final String NOTEBOOK =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Notebook {
        @Differentiable(retain = {"y", "z"})
        public static double t(double x) {
          double y = Math.cos(x);
          double z = 4 * y * y;
          return Math.tanh(z);
        }

        @Differentiable(wrt = {"x", "w"})
        public static double linear(double x, double w, double b) {
          return x * w + b;
        }

        @Differentiable
        public static double unused(double x, double u) {
          return x * x;
        }

        @Differentiable
        public static double unusedArrays(double x, double[] v, double[][] m) {
          return 3 * x;
        }

        @Differentiable(wrt = {"x"})
        public static double notInWrtNeedsNoWarning(double x, double b) {
          return x * x;
        }

        @Differentiable(retain = {"s"})
        public static double loopRetain(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s = 0.5 * s + Math.sin(x + i);
          }
          return s * s + x;
        }

        @Differentiable(retain = {"s"})
        public static double retainReassigned(double x) {
          double s = x * x;
          double a = 3 * s;
          s = Math.sin(s);
          return a * s;
        }

        @Differentiable(wrt = {"w"}, retain = {"h"})
        public static double wrtAndRetain(double x, double w) {
          double h = Math.tanh(w * x);
          return h * h + w;
        }
      }
      """;

  /** Pullbacks and bytes(): one method with a loop that needs its tape, one straight line. */
  static final String PULL =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Pull {
        @Differentiable
        public static double series(double x, double y, int n) {
          double acc = 0.25;
          for (int i = 0; i < n; i++) {
            acc = Math.sin(acc * x + y) + 0.01 * i;
          }
          return acc * y;
        }

        @Differentiable
        public static double straight(double x, double y) {
          double a = x * y;
          double b = Math.sin(a);
          return a * b + y;
        }
      }
      """;

  /** Vector outputs. */
  static final String VEC =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Vec {
        @Differentiable
        public static double[] polar(double r, double theta) {
          double[] out = new double[2];
          out[0] = r * Math.cos(theta);
          out[1] = r * Math.sin(theta);
          return out;
        }

        @Differentiable
        public static double[] softmax(double[] z) {
          int n = z.length;
          double max = z[0];
          for (int i = 1; i < n; i++) {
            max = Math.max(max, z[i]);
          }
          double[] p = new double[n];
          double sum = 0;
          for (int i = 0; i < n; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
          }
          for (int i = 0; i < n; i++) {
            p[i] = p[i] / sum;
          }
          return p;
        }

        @Differentiable
        public static double[] mixed(double[] x, double c, double[][] w) {
          double[] out = new double[w.length];
          for (int k = 0; k < w.length; k++) {
            double s = c;
            for (int j = 0; j < x.length; j++) {
              s += w[k][j] * x[j];
            }
            out[k] = Math.tanh(s) + c * c * x[k % x.length] * w[k][0];
          }
          return out;
        }

        @Differentiable
        public static double[] recurrence(double x, double[] a) {
          double[] out = new double[a.length];
          out[0] = x * a[0];
          for (int i = 1; i < a.length; i++) {
            out[i] = Math.sin(out[i - 1]) * x + a[i];
            out[i - 1] = out[i - 1] * out[i];
          }
          return out;
        }
      }
      """;

  /** Mini-batch accumulation: data points as constant (not differentiated) parameters. */
  static final String BATCH =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Batch {
        @Differentiable(wrt = {"w", "b"})
        public static double squared(double w, double b, double xi, double yi) {
          double r = w * xi + b - yi;
          return r * r;
        }

        @Differentiable(wrt = {"w", "b"})
        public static double logistic(double[] w, double b, double[] feature, int label) {
          double z = b;
          for (int j = 0; j < w.length; j++) {
            z += w[j] * feature[j];
          }
          return Math.log1p(Math.exp(-label * z));
        }
      }
      """;

  /**
   * Custom adjoints: a stable softplus used from another method, and a norm with a double[]
   * parameter whose body (a lambda) the processor could not differentiate.
   */
  static final String CUSTOM =
      """
      package p;

      import dev.adjoint.CustomAdjoint;
      import dev.adjoint.Differentiable;

      public class Custom {
        @Differentiable
        public static double softplus(double x) {
          return Math.log1p(Math.exp(x));
        }

        @CustomAdjoint("softplus")
        static double stableSoftplus(double x, double seed, double[] adjoints) {
          adjoints[0] += seed / (1 + Math.exp(-x));
          return x > 30 ? x : Math.log1p(Math.exp(x));
        }

        @Differentiable
        public static double model(double x, double w) {
          double h = softplus(w * x);
          return h * h + softplus(-x);
        }

        @Differentiable
        public static double norm(double[] v) {
          return Math.sqrt(java.util.Arrays.stream(v).map(a -> a * a).sum());
        }

        @CustomAdjoint("norm")
        static double normByHand(double[] v, double seed, double[] vAdjoint) {
          double s = 0;
          for (double a : v) {
            s += a * a;
          }
          double n = Math.sqrt(s);
          if (vAdjoint != null) {
            for (int i = 0; i < v.length; i++) {
              vAdjoint[i] += seed * v[i] / n;
            }
          }
          return n;
        }

        @Differentiable
        public static double useNorm(double[] v, double t) {
          double n = norm(v);
          return n * t + v[0] * Math.sin(n);
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // Compilation (each group once, lazily; a failing group fails only its own tests)
  // ---------------------------------------------------------------------------------------------

  private static final Map<String, Object> COMPILED = new ConcurrentHashMap<>();

  private static InProcessCompiler compiled(String source) {
    Object c = COMPILED.computeIfAbsent(source, s -> {
      try {
        return InProcessCompiler.compile(s);
      } catch (Throwable t) {
        return t;
      }
    });
    if (c instanceof InProcessCompiler compiler) {
      return compiler;
    }
    throw new AssertionError("Compilation failed", (Throwable) c);
  }

  private static Class<?> diff(String source, String simpleName) {
    return compiled(source).load("p." + simpleName + "Diff");
  }

  private static Class<?> plain(String source, String simpleName) {
    return compiled(source).load("p." + simpleName);
  }

  /** Compiles a source that is expected to produce diagnostics (no assertion on success). */
  private static Compilation compileRaw(JavaFileObject file) {
    return Compiler.javac().withProcessors(new AdjointProcessor()).compile(file);
  }

  /** The 1-based line of the first line of {@code source} containing {@code marker}. */
  private static int lineOf(String source, String marker) {
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(marker)) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("No line contains " + marker);
  }

  // ---------------------------------------------------------------------------------------------
  // Reflection helpers
  // ---------------------------------------------------------------------------------------------

  private static Method unique(Class<?> owner, String name) {
    List<Method> found = new ArrayList<>();
    for (Method m : owner.getMethods()) {
      if (m.getName().equals(name) && !m.isSynthetic() && !m.isBridge()) {
        found.add(m);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError("Expected one public method " + owner.getName() + "." + name
          + ", found " + found + "; declared: " + Arrays.toString(owner.getDeclaredMethods()));
    }
    return found.get(0);
  }

  /**
   * The public method {@code name} of {@code owner} that accepts {@code args} (by count and
   * type), so that overloads (say, an {@code mAdjoint} taking extra arguments) do not matter.
   */
  private static Method applicable(Class<?> owner, String name, Object[] args) {
    List<Method> found = new ArrayList<>();
    for (Method m : owner.getMethods()) {
      if (m.getName().equals(name) && !m.isSynthetic() && !m.isBridge()
          && accepts(m.getParameterTypes(), args)) {
        found.add(m);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError("Expected one public method " + owner.getName() + "." + name
          + " accepting " + args.length + " arguments, found " + found + "; declared: "
          + Arrays.toString(owner.getDeclaredMethods()));
    }
    return found.get(0);
  }

  private static boolean accepts(Class<?>[] types, Object[] args) {
    if (types.length != args.length) {
      return false;
    }
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      Object a = args[i];
      boolean ok = a == null ? !t.isPrimitive()
          : t == double.class ? a instanceof Double
          : t == int.class ? a instanceof Integer
          : t == long.class ? a instanceof Long
          : t == float.class ? a instanceof Float
          : t == boolean.class ? a instanceof Boolean
          : t.isInstance(a);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Calls a public static method by name; exceptions it throws are rethrown as they are. */
  private static Object call(Class<?> owner, String name, Object... args) {
    return invoke(applicable(owner, name, args), null, args);
  }

  /** Calls a public instance method by name (value, bytes, pullback). */
  private static Object callOn(Object target, String name, Object... args) {
    return invoke(applicable(target.getClass(), name, args), target, args);
  }

  private static Object invoke(Method m, Object target, Object[] args) {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new AssertionError(e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError("Cannot call " + m, e);
    }
  }

  private static Object component(Object record, String name) {
    assertWithMessage("%s is a record", record.getClass()).that(record.getClass().isRecord())
        .isTrue();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        return invoke(c.getAccessor(), record, new Object[0]);
      }
    }
    throw new AssertionError("Record " + record.getClass().getName() + " has no component "
        + name + "; components: " + componentNames(record.getClass()));
  }

  private static double d(Object record, String name) {
    return (Double) component(record, name);
  }

  private static double[] vector(Object record, String name) {
    return (double[]) component(record, name);
  }

  private static double[][] matrix(Object record, String name) {
    return (double[][]) component(record, name);
  }

  private static List<String> componentNames(Class<?> recordClass) {
    return Arrays.stream(recordClass.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  private static Class<?> nested(Class<?> diff, String simpleName) {
    for (Class<?> c : diff.getDeclaredClasses()) {
      if (c.getSimpleName().equals(simpleName)) {
        return c;
      }
    }
    throw new AssertionError(diff.getName() + " has no nested " + simpleName + "; it has "
        + Arrays.toString(diff.getDeclaredClasses()));
  }

  private static void assertBits(String what, double actual, double expected) {
    if (Double.doubleToLongBits(actual) != Double.doubleToLongBits(expected)) {
      fail(what + ": expected exactly " + expected + " (" + Double.toHexString(expected)
          + ") but was " + actual + " (" + Double.toHexString(actual) + ")");
    }
  }

  private static void assertRel(String what, double actual, double expected, double rel) {
    assertWithMessage("%s", what).that(actual)
        .isWithin(rel * Math.max(Double.MIN_NORMAL, Math.abs(expected))).of(expected);
  }

  // ---------------------------------------------------------------------------------------------
  // Oracle over flattened inputs
  // ---------------------------------------------------------------------------------------------

  /** The differentiated inputs {@code params} of {@code args}, flattened in declaration order. */
  private static double[] flatten(Object[] args, int... params) {
    List<Double> flat = new ArrayList<>();
    for (int p : params) {
      Object a = args[p];
      if (a instanceof Double v) {
        flat.add(v);
      } else if (a instanceof double[] v) {
        for (double e : v) {
          flat.add(e);
        }
      } else if (a instanceof double[][] m) {
        for (double[] row : m) {
          for (double e : row) {
            flat.add(e);
          }
        }
      } else {
        throw new IllegalArgumentException("Not a differentiable argument: " + a);
      }
    }
    return flat.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A deep copy of {@code args} with the flattened {@code params} replaced by {@code v}. */
  private static Object[] unflatten(Object[] args, double[] v, int... params) {
    Object[] out = args.clone();
    int at = 0;
    for (int p : params) {
      Object a = args[p];
      if (a instanceof Double) {
        out[p] = v[at++];
      } else if (a instanceof double[] vec) {
        double[] copy = new double[vec.length];
        for (int i = 0; i < copy.length; i++) {
          copy[i] = v[at++];
        }
        out[p] = copy;
      } else {
        double[][] m = (double[][]) a;
        double[][] copy = new double[m.length][];
        for (int r = 0; r < m.length; r++) {
          copy[r] = new double[m[r].length];
          for (int c = 0; c < m[r].length; c++) {
            copy[r][c] = v[at++];
          }
        }
        out[p] = copy;
      }
    }
    if (at != v.length) {
      throw new IllegalArgumentException("used " + at + " of " + v.length + " values");
    }
    return out;
  }

  /**
   * Oracle partials of the plain method (its scalar result, or element {@code output} of its
   * array result when {@code output >= 0}) with respect to every flattened element of {@code
   * params}.
   */
  private static Estimate[] oracle(Method plain, Object[] args, int output, int... params) {
    double[] x = flatten(args, params);
    ToDoubleFunction<double[]> f = v -> {
      Object r = invoke(plain, null, unflatten(args, v, params));
      return output < 0 ? (Double) r : ((double[]) r)[output];
    };
    return Oracle.gradient(f, x);
  }

  private static Method plainMethod(Class<?> owner, String name) {
    return unique(owner, name);
  }

  /** As {@code GradientAssert}: within max(rel * max(1, |oracle|), 20 * oracle error). */
  private static void assertMatchesOracle(String what, double actual, Estimate expected) {
    double scale = Math.max(1.0, Math.abs(expected.value()));
    assertWithMessage("%s: oracle %s is unreliable here", what, expected)
        .that(expected.error()).isAtMost(50 * ORACLE_REL * scale);
    double tol = Math.max(ORACLE_REL * scale, 20 * expected.error());
    assertWithMessage("%s: generated %s vs oracle %s", what, actual, expected)
        .that(actual).isWithin(tol).of(expected.value());
  }

  private static void assertMatchesOracle(String what, double[] actual, Estimate[] expected) {
    assertWithMessage("%s: length", what).that(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertMatchesOracle(what + "[" + i + "]", actual[i], expected[i]);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 1. Notebook examples: retain, wrt, unused inputs
  // ---------------------------------------------------------------------------------------------

  @Test
  void retainGivesDerivativesWithRespectToIntermediates() {
    Class<?> d = diff(NOTEBOOK, "Notebook");
    Object g = call(d, "tGrad", 7.0);
    // Parameter components first, then the retained locals in the order of retain.
    assertThat(componentNames(g.getClass())).containsExactly("value", "dX", "dY", "dZ").inOrder();

    double y = Math.cos(7.0);
    double z = 4 * y * y;
    double t = Math.tanh(z);
    double dz = 1 - t * t;
    double dy = dz * 8 * y;
    double dx = -dy * Math.sin(7.0);
    assertBits("value", d(g, "value"), t);
    assertRel("dt/dz", d(g, "dZ"), dz, 1e-14);
    assertRel("dt/dy", d(g, "dY"), dy, 1e-14);
    assertRel("dt/dx", d(g, "dX"), dx, 1e-14);
    // The values of the notebook (printed with float32 precision: dY and dX differ from the
    // double-precision closed form by 2.7e-7 and 1.6e-7, so they are compared to 1e-6).
    assertThat(d(g, "dZ")).isWithin(1e-7).of(0.041513324);
    assertThat(d(g, "dY")).isWithin(1e-6).of(0.2503759);
    assertThat(d(g, "dX")).isWithin(1e-6).of(-0.1644936);
    // The double-precision values to 1e-9.
    assertThat(d(g, "dZ")).isWithin(1e-9).of(0.0415132784);
    assertThat(d(g, "dY")).isWithin(1e-9).of(0.2503756335);
    assertThat(d(g, "dX")).isWithin(1e-9).of(-0.1644934358);
    assertMatchesOracle("dt/dx", d(g, "dX"),
        Oracle.derivative(x -> Math.tanh(4 * Math.cos(x) * Math.cos(x)), 7.0));
    // dt/dz and dt/dy as the oracle sees them: t as a function of z, and of y.
    assertMatchesOracle("dt/dz", d(g, "dZ"), Oracle.derivative(Math::tanh, z));
    assertMatchesOracle("dt/dy", d(g, "dY"), Oracle.derivative(v -> Math.tanh(4 * v * v), y));

    // The adjoint form takes a buffer for the retained locals, and adds into it.
    double[] adjoints = {0.5};
    double[] retained = {1.0, -1.0};
    double value = (Double) call(d, "tAdjoint", 7.0, 2.0, adjoints, retained);
    assertBits("tAdjoint value", value, t);
    assertRel("adjoints[0]", adjoints[0], 0.5 + 2 * d(g, "dX"), 1e-14);
    assertRel("retained[0] (y)", retained[0], 1.0 + 2 * d(g, "dY"), 1e-14);
    assertRel("retained[1] (z)", retained[1], -1.0 + 2 * d(g, "dZ"), 1e-14);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "tAdjoint", 7.0, 1.0, new double[1], new double[1]));
    assertThat(e).hasMessageThat().contains("retained has length 1");
    assertThat(e).hasMessageThat().contains("retains 2 (y, z)");

    // The pullback carries the retained derivatives too, scaled by the seed.
    Object p = callOn(call(d, "tVjp", 7.0), "pullback", -3.0);
    assertRel("pullback dZ", d(p, "dZ"), -3 * d(g, "dZ"), 1e-15);
    assertRel("pullback dY", d(p, "dY"), -3 * d(g, "dY"), 1e-15);
  }

  @Test
  void wrtLimitsTheRecordToTheNamedParameters() throws Exception {
    Class<?> d = diff(NOTEBOOK, "Notebook");
    Class<?> record = nested(d, "LinearGrad");
    assertThat(componentNames(record)).containsExactly("value", "dX", "dW").inOrder();
    // mAdjoint takes one scalar slot per differentiated scalar only: b has none.
    Method adjoint = d.getMethod("linearAdjoint", double.class, double.class, double.class,
        double.class, double[].class);
    assertThat(adjoint.getReturnType()).isEqualTo(double.class);

    double x = 1.5;
    double w = -2.0;
    double b = 0.25;
    Object g = call(d, "linearGrad", x, w, b);
    assertBits("value", d(g, "value"), x * w + b);
    assertBits("dX = w", d(g, "dX"), w);
    assertBits("dW = x", d(g, "dW"), x);

    double[] adjoints = {10.0, 20.0};
    call(d, "linearAdjoint", x, w, b, 3.0, adjoints);
    assertBits("adjoints[0]", adjoints[0], 10.0 + 3.0 * w);
    assertBits("adjoints[1]", adjoints[1], 20.0 + 3.0 * x);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "linearAdjoint", x, w, b, 1.0, new double[1]));
    assertThat(e).hasMessageThat().contains("adjoints has length 1");
    assertThat(e).hasMessageThat().contains("linear needs 2");
    assertThat(e).hasMessageThat().contains("x, w");

    // wrt and retain together: dW, then dH; x has no component.
    Object h = call(d, "wrtAndRetainGrad", 0.7, 1.3);
    assertThat(componentNames(h.getClass())).containsExactly("value", "dW", "dH").inOrder();
    double th = Math.tanh(1.3 * 0.7);
    assertRel("dH", d(h, "dH"), 2 * th, 1e-15);
    assertRel("dW", d(h, "dW"), 2 * th * (1 - th * th) * 0.7 + 1, 1e-14);
    Method wrtAndRetain = plainMethod(plain(NOTEBOOK, "Notebook"), "wrtAndRetain");
    assertMatchesOracle("dW", d(h, "dW"), oracle(wrtAndRetain, new Object[] {0.7, 1.3}, -1, 1)[0]);
  }

  @Test
  void unusedInputIsWarnedAboutAndHasExactlyZeroDerivative() {
    InProcessCompiler c = compiled(NOTEBOOK);
    JavaFileObject file = JavaFileObjects.forSourceString("p.Notebook", NOTEBOOK);
    Compilation compilation = c.compilation();
    assertThat(compilation)
        .hadWarningContaining(
            "[ADJ111] no derivative of 'u' reaches the result of 'unused'")
        .inFile(file)
        .onLine(lineOf(NOTEBOOK, "unused(double x, double u)"));
    assertThat(compilation)
        .hadWarningContaining("[ADJ111] no derivative of 'v' reaches the result of"
            + " 'unusedArrays'")
        .inFile(file)
        .onLine(lineOf(NOTEBOOK, "unusedArrays(double x, double[] v, double[][] m)"));
    assertThat(compilation)
        .hadWarningContaining("[ADJ111] no derivative of 'm' reaches the result of"
            + " 'unusedArrays'")
        .inFile(file)
        .onLine(lineOf(NOTEBOOK, "unusedArrays(double x, double[] v, double[][] m)"));
    // The column is the parameter's name.
    String signature = "  public static double unused(double x, double u) {";
    assertThat(compilation)
        .hadWarningContaining("[ADJ111] no derivative of 'u'")
        .inFile(file)
        .onLine(lineOf(NOTEBOOK, "unused(double x, double u)"))
        .atColumn(signature.indexOf("u)") + 1);
    // Exactly these three: x is used everywhere, and b of notInWrtNeedsNoWarning is not
    // differentiated, so it is no one's business that it is unused.
    List<String> adj111 = compilation.warnings().stream()
        .map(w -> w.getMessage(Locale.ROOT)).filter(m -> m.contains("[ADJ111]")).toList();
    assertWithMessage("ADJ111 warnings").that(adj111).hasSize(3);
    assertThat(adj111.stream().noneMatch(m -> m.contains("'b'"))).isTrue();

    Class<?> d = diff(NOTEBOOK, "Notebook");
    Object g = call(d, "unusedGrad", 1.25, 4.0);
    assertBits("dU", d(g, "dU"), 0.0);
    assertBits("dX", d(g, "dX"), 2.5);
    Object p = callOn(call(d, "unusedVjp", 1.25, 4.0), "pullback", -2.0);
    assertBits("pullback dU", d(p, "dU"), 0.0);
    double[] adjoints = {7.0, 9.0};
    call(d, "unusedAdjoint", 1.25, 4.0, 1.0, adjoints);
    assertBits("adjoints[1] untouched", adjoints[1], 9.0);

    // Array parameters: materialised zero arrays of the parameters' shapes, never null.
    double[] v = {1.0, 2.0, 3.0};
    double[][] m = {{1.0, 2.0}, {3.0}};
    Object a = call(d, "unusedArraysGrad", 0.5, v, m);
    assertThat(componentNames(a.getClass()))
        .containsExactly("value", "dX", "dV", "dM").inOrder();
    assertThat(vector(a, "dV")).isNotNull();
    assertThat(vector(a, "dV")).usingExactEquality().containsExactly(0.0, 0.0, 0.0).inOrder();
    double[][] dm = matrix(a, "dM");
    assertThat(dm).isNotNull();
    assertThat(dm).hasLength(2);
    assertThat(dm[0]).usingExactEquality().containsExactly(0.0, 0.0).inOrder();
    assertThat(dm[1]).usingExactEquality().containsExactly(0.0);
    assertBits("dX", d(a, "dX"), 3.0);
    Object ap = callOn(call(d, "unusedArraysVjp", 0.5, v, m), "pullback", 4.0);
    assertThat(vector(ap, "dV")).usingExactEquality().containsExactly(0.0, 0.0, 0.0).inOrder();
    assertThat(matrix(ap, "dM")[0]).usingExactEquality().containsExactly(0.0, 0.0).inOrder();
    assertBits("pullback dX", d(ap, "dX"), 12.0);
  }

  @Test
  void integerWrtIsAnErrorAtTheAnnotation() {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class IntWrt {
          @Differentiable(wrt = {"x", "n"})
          public static double f(double x, int n) {
            return x * n;
          }
        }
        """;
    JavaFileObject file = JavaFileObjects.forSourceString("p.IntWrt", source);
    Compilation c = compileRaw(file);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ110] wrt names parameter 'n' of type int, but only"
            + " floating-point values have derivatives")
        .inFile(file)
        .onLine(lineOf(source, "@Differentiable(wrt"));
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void unknownWrtAndRetainNamesAreErrorsAtTheAnnotation() {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class BadNames {
          @Differentiable(wrt = {"x", "q"})
          public static double unknownWrt(double x, double y) {
            return x * y;
          }

          @Differentiable(retain = {"k"})
          public static double intRetain(double x) {
            int k = 3;
            double a = x * k;
            return a;
          }

          @Differentiable(retain = {"nope"})
          public static double unknownRetain(double x) {
            double a = x * 2;
            return a;
          }
        }
        """;
    JavaFileObject file = JavaFileObjects.forSourceString("p.BadNames", source);
    Compilation c = compileRaw(file);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ109] wrt names 'q', which is not a parameter of 'unknownWrt';"
            + " its parameters are: x, y.")
        .inFile(file)
        .onLine(lineOf(source, "wrt = {\"x\", \"q\"}"));
    assertThat(c)
        .hadErrorContaining("[ADJ112] retain names 'k', but 'intRetain' has no local variable of"
            + " that name declared once with type double or float; retain one of: a.")
        .inFile(file)
        .onLine(lineOf(source, "retain = {\"k\"}"));
    assertThat(c)
        .hadErrorContaining("[ADJ112] retain names 'nope'")
        .inFile(file)
        .onLine(lineOf(source, "retain = {\"nope\"}"));
    assertThat(c).hadErrorCount(3);
  }

  @Test
  void retainOfALoopCarriedLocalIsWithRespectToItsFinalValue() {
    Class<?> d = diff(NOTEBOOK, "Notebook");
    Method plain = plainMethod(plain(NOTEBOOK, "Notebook"), "loopRetain");
    for (int n : new int[] {0, 1, 2, 7}) {
      double x = 0.4;
      double s = 0;
      for (int i = 0; i < n; i++) {
        s = 0.5 * s + Math.sin(x + i);
      }
      Object g = call(d, "loopRetainGrad", x, n);
      String at = "loopRetain(" + x + ", " + n + ")";
      assertThat(componentNames(g.getClass())).containsExactly("value", "dX", "dS").inOrder();
      assertBits(at + " value", d(g, "value"), s * s + x);
      // result = s_final^2 + x, so d result / d s_final = 2 s_final (not a sum over the loop).
      assertRel(at + " dS = 2 s_final", d(g, "dS"), 2 * s, 1e-15);
      // dX: s_n = sum_i 0.5^(n-1-i) sin(x + i), ds/dx = sum_i 0.5^(n-1-i) cos(x + i).
      double dsdx = 0;
      for (int i = 0; i < n; i++) {
        dsdx = 0.5 * dsdx + Math.cos(x + i);
      }
      // (2 s ds/dx nearly cancels the 1 at n = 7: compared to 1e-14 absolute.)
      assertWithMessage("%s dX closed form", at).that(d(g, "dX")).isWithin(1e-14)
          .of(2 * s * dsdx + 1);
      assertMatchesOracle(at + " dX", d(g, "dX"), oracle(plain, new Object[] {x, n}, -1, 0)[0]);
    }

    // A local reassigned after another local was computed from it: its final value s1 = sin(s0)
    // enters the result only through a * s1, so d result / d s1 = a = 3 x^2 (the earlier value
    // reaches the result through a, which is not part of that derivative).
    for (double x : new double[] {0.3, 1.1, -0.8}) {
      Object g = call(d, "retainReassignedGrad", x);
      assertRel("retainReassigned(" + x + ") dS", d(g, "dS"), 3 * x * x, 1e-15);
      Method rr = plainMethod(plain(NOTEBOOK, "Notebook"), "retainReassigned");
      assertMatchesOracle("retainReassigned dX", d(g, "dX"),
          oracle(rr, new Object[] {x}, -1, 0)[0]);
      // The oracle's view of d result / d s_final: perturb s after its last assignment.
      double s0 = x * x;
      double a = 3 * s0;
      double s1 = Math.sin(s0);
      assertMatchesOracle("retainReassigned dS", d(g, "dS"), Oracle.derivative(v -> a * v, s1));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Pullbacks and bytes()
  // ---------------------------------------------------------------------------------------------

  @Test
  void pullbackIsReusableAndLinearInTheSeed() {
    Class<?> d = diff(PULL, "Pull");
    Method plain = plainMethod(plain(PULL, "Pull"), "series");
    double x = 0.7;
    double y = 0.3;
    int n = 25;
    Object g = call(d, "seriesGrad", x, y, n);
    Estimate[] o = oracle(plain, new Object[] {x, y, n}, -1, 0, 1);
    assertMatchesOracle("series dX", d(g, "dX"), o[0]);
    assertMatchesOracle("series dY", d(g, "dY"), o[1]);

    Object vjp = call(d, "seriesVjp", x, y, n);
    assertBits("vjp value", (Double) callOn(vjp, "value"), (Double) invoke(plain, null,
        new Object[] {x, y, n}));
    Object one = callOn(vjp, "pullback", 1.0);
    assertThat(one.getClass()).isEqualTo(g.getClass());
    assertBits("seed 1 value", d(one, "value"), d(g, "value"));
    assertBits("seed 1 dX", d(one, "dX"), d(g, "dX"));
    assertBits("seed 1 dY", d(one, "dY"), d(g, "dY"));
    assertThat(one).isEqualTo(g);

    Object minus = callOn(vjp, "pullback", -2.5);
    assertRel("seed -2.5 dX", d(minus, "dX"), -2.5 * d(g, "dX"), 1e-15);
    assertRel("seed -2.5 dY", d(minus, "dY"), -2.5 * d(g, "dY"), 1e-15);
    assertBits("seed -2.5 value", d(minus, "value"), d(g, "value"));

    Object zero = callOn(vjp, "pullback", 0.0);
    assertThat(d(zero, "dX")).isEqualTo(0.0);
    assertThat(d(zero, "dY")).isEqualTo(0.0);

    // Each call is independent of the ones before: same seed, identical record.
    Object again = callOn(vjp, "pullback", 1.0);
    assertThat(again).isEqualTo(one);
    assertBits("seed 1 again dX", d(again, "dX"), d(one, "dX"));
    Object minusAgain = callOn(vjp, "pullback", -2.5);
    assertThat(minusAgain).isEqualTo(minus);

    // The scalar mAdjoint with a seed agrees with the pullback.
    double[] adjoints = new double[2];
    call(d, "seriesAdjoint", x, y, n, -2.5, adjoints);
    assertBits("seriesAdjoint dX", adjoints[0], d(minus, "dX"));
    assertBits("seriesAdjoint dY", adjoints[1], d(minus, "dY"));
  }

  @Test
  void bytesGrowsWithTheLoopCount() {
    Class<?> d = diff(PULL, "Pull");
    long b1 = (Long) callOn(call(d, "seriesVjp", 0.7, 0.3, 1), "bytes");
    long b10 = (Long) callOn(call(d, "seriesVjp", 0.7, 0.3, 10), "bytes");
    long b20 = (Long) callOn(call(d, "seriesVjp", 0.7, 0.3, 20), "bytes");
    long b1000 = (Long) callOn(call(d, "seriesVjp", 0.7, 0.3, 1000), "bytes");
    assertThat(b1).isGreaterThan(0L);
    assertThat(b10).isGreaterThan(b1);
    assertThat(b1000).isGreaterThan(b10);
    // The tape holds the same amount per iteration: growth is linear in n.
    assertThat(b1000 - b10).isEqualTo(99 * (b20 - b10));
    // At least one double (the overwritten acc) per iteration.
    assertThat(b20 - b10).isAtLeast(10L * Double.BYTES);
    // The recording does not depend on the values, only on the path.
    assertThat((Long) callOn(call(d, "seriesVjp", -3.0, 2.0, 10), "bytes")).isEqualTo(b10);
    // A pullback does not consume the recording.
    Object vjp = call(d, "seriesVjp", 0.7, 0.3, 10);
    callOn(vjp, "pullback", 1.0);
    assertThat((Long) callOn(vjp, "bytes")).isEqualTo(b10);
  }

  @Test
  void bytesOfStraightLineCodeIsTheKeptScalarsOnly() {
    Class<?> d = diff(PULL, "Pull");
    Object vjp = call(d, "straightVjp", 1.2, -0.4);
    long bytes = (Long) callOn(vjp, "bytes");
    long scalars = 0;
    List<String> fields = new ArrayList<>();
    for (Field f : vjp.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      fields.add(f.getType().getSimpleName() + " " + f.getName());
      Class<?> t = f.getType();
      assertWithMessage("straight-line code keeps no tape: field %s", fields)
          .that(t.isPrimitive()).isTrue();
      scalars += t == double.class || t == long.class ? 8 : 4;
    }
    assertWithMessage("bytes() vs kept fields %s", fields).that(bytes).isEqualTo(scalars);
    // x, y, a, b and the result: five doubles, whatever the values.
    assertThat(bytes).isEqualTo(5L * Double.BYTES);
    assertThat((Long) callOn(call(d, "straightVjp", -7.0, 3.0), "bytes")).isEqualTo(bytes);
    // Straight-line pullbacks agree with mGrad, too.
    Object g = call(d, "straightGrad", 1.2, -0.4);
    assertThat(callOn(vjp, "pullback", 1.0)).isEqualTo(g);
    Method plain = plainMethod(plain(PULL, "Pull"), "straight");
    Estimate[] o = oracle(plain, new Object[] {1.2, -0.4}, -1, 0, 1);
    assertMatchesOracle("straight dX", d(g, "dX"), o[0]);
    assertMatchesOracle("straight dY", d(g, "dY"), o[1]);
  }

  // ---------------------------------------------------------------------------------------------
  // 3. Vector outputs
  // ---------------------------------------------------------------------------------------------

  @Test
  void polarJacobianIsExact() {
    Class<?> d = diff(VEC, "Vec");
    assertWithMessage("no polarGrad for a double[] result")
        .that(Arrays.stream(d.getMethods()).map(Method::getName).toList())
        .doesNotContain("polarGrad");
    double r = 2.0;
    double th = 0.6;
    double[][] j = (double[][]) call(d, "polarJacobian", r, th);
    assertThat(j).hasLength(2);
    assertThat(j[0]).usingExactEquality()
        .containsExactly(Math.cos(th), -(r * Math.sin(th))).inOrder();
    assertThat(j[1]).usingExactEquality()
        .containsExactly(Math.sin(th), r * Math.cos(th)).inOrder();

    // mAdjoint returns the output and adds seed^T J into the buffer.
    double[] seed = {0.5, -3.0};
    double[] adjoints = {1.0, 2.0};
    double[] out = (double[]) call(d, "polarAdjoint", r, th, seed, adjoints);
    double[] plainOut = (double[]) call(plain(VEC, "Vec"), "polar", r, th);
    assertThat(out).usingExactEquality().containsExactly(plainOut[0], plainOut[1]).inOrder();
    assertRel("adjoints[0]", adjoints[0], 1.0 + 0.5 * j[0][0] - 3.0 * j[1][0], 1e-15);
    assertRel("adjoints[1]", adjoints[1], 2.0 + 0.5 * j[0][1] - 3.0 * j[1][1], 1e-15);
    assertThat(seed).usingExactEquality().containsExactly(0.5, -3.0).inOrder();

    Object vjp = call(d, "polarVjp", r, th);
    Object p = callOn(vjp, "pullback", (Object) seed);
    assertThat(vector(p, "value")).usingExactEquality()
        .containsExactly(plainOut[0], plainOut[1]).inOrder();
    assertRel("pullback dR", d(p, "dR"), 0.5 * j[0][0] - 3.0 * j[1][0], 1e-15);
    assertRel("pullback dTheta", d(p, "dTheta"), 0.5 * j[0][1] - 3.0 * j[1][1], 1e-15);
    // value() hands out a copy: writing it does not change the recording.
    ((double[]) callOn(vjp, "value"))[0] = 1e300;
    assertThat((double[]) callOn(vjp, "value")).usingExactEquality()
        .containsExactly(plainOut[0], plainOut[1]).inOrder();
  }

  @Test
  void softmaxJacobianIsDiagPMinusPPTransposed() {
    Class<?> d = diff(VEC, "Vec");
    double[] z = {0.3, -1.2, 2.0, 0.5};
    double[] p = (double[]) call(plain(VEC, "Vec"), "softmax", (Object) z);
    double[][] j = (double[][]) call(d, "softmaxJacobian", (Object) z);
    assertThat(j).hasLength(4);
    for (int a = 0; a < 4; a++) {
      assertThat(j[a]).hasLength(4);
      double rowSum = 0;
      for (int b = 0; b < 4; b++) {
        double expected = (a == b ? p[a] : 0) - p[a] * p[b];
        assertWithMessage("J[%s][%s]", a, b).that(j[a][b]).isWithin(1e-15).of(expected);
        rowSum += j[a][b];
      }
      assertWithMessage("row %s sums to 0 (softmax is shift invariant)", a).that(rowSum)
          .isWithin(1e-15).of(0.0);
    }
    // The recording keeps a copy of z: changing z afterwards changes nothing.
    Object vjp = call(d, "softmaxVjp", (Object) z);
    double[] seed = {1.0, 0.0, 0.0, 0.0};
    Object before = callOn(vjp, "pullback", (Object) seed);
    double[] zCopy = z.clone();
    Arrays.fill(z, 100.0);
    Object after = callOn(vjp, "pullback", (Object) seed);
    assertThat(vector(after, "dZ")).usingExactEquality()
        .containsExactlyElementsIn(Arrays.stream(vector(before, "dZ")).boxed().toList())
        .inOrder();
    assertThat(vector(before, "dZ")).usingExactEquality()
        .containsExactlyElementsIn(Arrays.stream(j[0]).boxed().toList()).inOrder();
    assertThat(seed).usingExactEquality().containsExactly(1.0, 0.0, 0.0, 0.0).inOrder();
    System.arraycopy(zCopy, 0, z, 0, z.length);
  }

  @Test
  void mixedInputsJacobianAgainstFiniteDifferencesColumnByColumn() {
    Class<?> d = diff(VEC, "Vec");
    Method plain = plainMethod(plain(VEC, "Vec"), "mixed");
    double[] x = {0.4, -0.7};
    double c = 0.3;
    double[][] w = {{0.5, -0.2}, {0.1, 0.9}, {-0.6, 0.3}};
    Object[] args = {x, c, w};
    double[][] j = (double[][]) call(d, "mixedJacobian", x, c, w);
    // Rows: the 3 outputs; columns: x0, x1, c, w00, w01, w10, w11, w20, w21.
    assertThat(j).hasLength(3);
    for (int k = 0; k < 3; k++) {
      assertWithMessage("row %s", k).that(j[k]).hasLength(9);
      Estimate[] o = oracle(plain, args, k, 0, 1, 2);
      assertMatchesOracle("J row " + k, j[k], o);
    }
    // Spot checks of the layout with closed forms: out[k] = tanh(s_k) + c^2 x[k % 2] w[k][0].
    double s2 = c + w[2][0] * x[0] + w[2][1] * x[1];
    double sech2 = 1 - Math.tanh(s2) * Math.tanh(s2);
    assertRel("d out2 / d c", j[2][2], sech2 + 2 * c * x[0] * w[2][0], 1e-14);
    assertRel("d out2 / d w21", j[2][8], sech2 * x[1], 1e-14);
    assertRel("d out2 / d w20", j[2][7], sech2 * x[0] + c * c * x[0], 1e-14);
    assertThat(j[2][3]).isEqualTo(0.0); // w00 does not reach out2
    assertThat(j[0][5]).isEqualTo(0.0); // w10 does not reach out0

    // Row k of the Jacobian is the pullback of e_k; a general seed gives seed^T J.
    Object vjp = call(d, "mixedVjp", x, c, w);
    double[] seed = {0.7, -1.1, 2.5};
    Object sp = callOn(vjp, "pullback", (Object) seed);
    double[] flat = new double[9];
    double[] dx = vector(sp, "dX");
    double[][] dw = matrix(sp, "dW");
    flat[0] = dx[0];
    flat[1] = dx[1];
    flat[2] = d(sp, "dC");
    for (int r = 0; r < 3; r++) {
      flat[3 + 2 * r] = dw[r][0];
      flat[4 + 2 * r] = dw[r][1];
    }
    for (int col = 0; col < 9; col++) {
      double expected = 0;
      for (int k = 0; k < 3; k++) {
        expected += seed[k] * j[k][col];
      }
      assertWithMessage("(seed^T J)[%s]", col).that(flat[col]).isWithin(1e-14).of(expected);
    }
    for (int k = 0; k < 3; k++) {
      double[] e = new double[3];
      e[k] = 1.0;
      Object row = callOn(vjp, "pullback", (Object) e);
      double[] rx = vector(row, "dX");
      double[][] rw = matrix(row, "dW");
      double[] got = {rx[0], rx[1], d(row, "dC"), rw[0][0], rw[0][1], rw[1][0], rw[1][1],
          rw[2][0], rw[2][1]};
      for (int col = 0; col < 9; col++) {
        assertBits("pullback(e_" + k + ")[" + col + "] vs mJacobian", got[col], j[k][col]);
      }
    }
    // mAdjoint with buffers for each differentiated input; null buffers are allowed.
    double[] adjoints = {0.0};
    double[] xAdjoint = new double[2];
    double[] out = (double[]) call(d, "mixedAdjoint", x, c, w, seed, adjoints, xAdjoint, null);
    assertThat(out).usingExactEquality().containsExactlyElementsIn(
        Arrays.stream((double[]) invoke(plain, null, args)).boxed().toList()).inOrder();
    assertRel("mixedAdjoint dC", adjoints[0], flat[2], 1e-14);
    assertRel("mixedAdjoint dX0", xAdjoint[0], flat[0], 1e-14);
    assertRel("mixedAdjoint dX1", xAdjoint[1], flat[1], 1e-14);
  }

  @Test
  void pullbacksOfAnOutputOverwrittenInPlaceAreIndependent() {
    // recurrence writes its output elements twice, so each pullback must restore them from its
    // own copy of the recording.
    Class<?> d = diff(VEC, "Vec");
    Method plain = plainMethod(plain(VEC, "Vec"), "recurrence");
    double x = 0.9;
    double[] a = {0.3, -0.2, 0.5, 0.1};
    Object[] args = {x, a};
    double[][] j = (double[][]) call(d, "recurrenceJacobian", x, a);
    assertThat(j).hasLength(4);
    for (int k = 0; k < 4; k++) {
      assertMatchesOracle("recurrence J row " + k, j[k], oracle(plain, args, k, 0, 1));
    }
    Object vjp = call(d, "recurrenceVjp", x, a);
    assertThat((double[]) callOn(vjp, "value")).usingExactEquality().containsExactlyElementsIn(
        Arrays.stream((double[]) invoke(plain, null, args)).boxed().toList()).inOrder();
    double[] seed = {1.0, -2.0, 0.5, 3.0};
    Object first = callOn(vjp, "pullback", (Object) seed);
    for (int k = 3; k >= 0; k--) {
      double[] e = new double[4];
      e[k] = 1.0;
      callOn(vjp, "pullback", (Object) e);
    }
    Object again = callOn(vjp, "pullback", (Object) seed);
    assertBits("dX again", d(again, "dX"), d(first, "dX"));
    assertThat(vector(again, "dA")).usingExactEquality().containsExactlyElementsIn(
        Arrays.stream(vector(first, "dA")).boxed().toList()).inOrder();
    for (int col = 0; col < 5; col++) {
      double expected = 0;
      for (int k = 0; k < 4; k++) {
        expected += seed[k] * j[k][col];
      }
      double actual = col == 0 ? d(first, "dX") : vector(first, "dA")[col - 1];
      assertWithMessage("(seed^T J)[%s]", col).that(actual).isWithin(1e-14).of(expected);
    }
    assertThat(a).usingExactEquality().containsExactly(0.3, -0.2, 0.5, 0.1).inOrder();
  }

  @Test
  void wrongSeedLengthNamesBothLengths() {
    Class<?> d = diff(VEC, "Vec");
    Object vjp = call(d, "polarVjp", 2.0, 0.6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> callOn(vjp, "pullback", (Object) new double[3]));
    assertThat(e).hasMessageThat().contains("length 3");
    assertThat(e).hasMessageThat().contains("length 2");
    e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "polarAdjoint", 2.0, 0.6, new double[1], new double[2]));
    assertThat(e).hasMessageThat().contains("length 1");
    assertThat(e).hasMessageThat().contains("length 2");
    e = assertThrows(IllegalArgumentException.class,
        () -> callOn(call(d, "softmaxVjp", (Object) new double[] {1, 2, 3, 4, 5}), "pullback",
            (Object) new double[4]));
    assertThat(e).hasMessageThat().contains("length 4");
    assertThat(e).hasMessageThat().contains("length 5");
    // Wrong-length array buffers for mAdjoint.
    e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "mixedAdjoint", new double[] {1, 2}, 0.5, new double[][] {{1, 2}},
            new double[1], new double[1], new double[3], null));
    assertThat(e).hasMessageThat().contains("xAdjoint has length 3");
    assertThat(e).hasMessageThat().contains("length 2");
    e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "mixedAdjoint", new double[] {1, 2}, 0.5, new double[][] {{1, 2}},
            new double[1], new double[1], null, new double[][] {{1, 2}, {3, 4}}));
    assertThat(e).hasMessageThat().contains("wAdjoint");
  }

  @Test
  void arrayResultMustBeALocalReturnedOnceAtTheEnd() {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class ArrayForm {
          @Differentiable
          public static double[] returnsParameter(double[] x) {
            return x;
          }

          @Differentiable
          public static double[] returnsEarly(double[] x) {
            double[] out = new double[1];
            if (x[0] > 0) {
              return out;
            }
            out[0] = x[0];
            return out;
          }
        }
        """;
    JavaFileObject file = JavaFileObjects.forSourceString("p.ArrayForm", source);
    Compilation c = compileRaw(file);
    assertThat(c).failed();
    String text = "[ADJ219] a double[]-valued @Differentiable method must end with"
        + " 'return <local array>;'";
    assertThat(c).hadErrorContaining(text).inFile(file).onLine(lineOf(source, "return x;"));
    assertThat(c).hadErrorCount(2);
    // The early return: reported inside returnsEarly (javac points at one of its returns).
    int from = lineOf(source, "returnsEarly(double[] x)");
    int to = from + 7;
    List<Long> lines = c.errors().stream()
        .filter(e -> e.getMessage(Locale.ROOT).contains("[ADJ219]"))
        .map(Diagnostic::getLineNumber).toList();
    assertWithMessage("ADJ219 lines %s; returnsEarly spans %s..%s", lines, from, to)
        .that(lines.stream().anyMatch(l -> l > from && l <= to)).isTrue();
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Accumulation over a mini-batch
  // ---------------------------------------------------------------------------------------------

  private static final double[] XS = {0.5, -1.0, 2.0, 1.5, -0.25};
  private static final double[] YS = {1.0, 0.2, 2.5, -0.7, 0.0};

  @Test
  void accumulationOverAMiniBatchSumsTheGradients() {
    Class<?> d = diff(BATCH, "Batch");
    double w = 0.8;
    double b = -0.3;
    double[] adjoints = new double[2];
    double loss = 0;
    double sumW = 0;
    double sumB = 0;
    for (int i = 0; i < XS.length; i++) {
      loss += (Double) call(d, "squaredAdjoint", w, b, XS[i], YS[i], 1.0, adjoints);
      Object g = call(d, "squaredGrad", w, b, XS[i], YS[i]);
      assertThat(componentNames(g.getClass())).containsExactly("value", "dW", "dB").inOrder();
      sumW += d(g, "dW");
      sumB += d(g, "dB");
    }
    double expectedW = 0;
    double expectedB = 0;
    double expectedLoss = 0;
    for (int i = 0; i < XS.length; i++) {
      double r = w * XS[i] + b - YS[i];
      expectedLoss += r * r;
      expectedW += 2 * r * XS[i];
      expectedB += 2 * r;
    }
    assertBits("sum of dW", adjoints[0], sumW);
    assertBits("sum of dB", adjoints[1], sumB);
    assertRel("dW closed form", adjoints[0], expectedW, 1e-14);
    assertRel("dB closed form", adjoints[1], expectedB, 1e-14);
    assertRel("loss", loss, expectedLoss, 1e-14);

    // Zeroing restarts the accumulation.
    Arrays.fill(adjoints, 0.0);
    call(d, "squaredAdjoint", w, b, XS[0], YS[0], 1.0, adjoints);
    Object g0 = call(d, "squaredGrad", w, b, XS[0], YS[0]);
    assertBits("after fill dW", adjoints[0], d(g0, "dW"));
    assertBits("after fill dB", adjoints[1], d(g0, "dB"));

    // A mean: seed 1/n.
    Arrays.fill(adjoints, 0.0);
    for (int i = 0; i < XS.length; i++) {
      call(d, "squaredAdjoint", w, b, XS[i], YS[i], 1.0 / XS.length, adjoints);
    }
    assertRel("mean dW", adjoints[0], expectedW / XS.length, 1e-14);
    assertRel("mean dB", adjoints[1], expectedB / XS.length, 1e-14);
  }

  @Test
  void accumulationWithAnArrayParameterAndAnIntLabel() throws Exception {
    Class<?> d = diff(BATCH, "Batch");
    // Buffers: adjoints for b (the only differentiated scalar), wAdjoint for w; feature is
    // constant (not in wrt) and gets none.
    Method adjoint = d.getMethod("logisticAdjoint", double[].class, double.class, double[].class,
        int.class, double.class, double[].class, double[].class);
    assertThat(adjoint.getReturnType()).isEqualTo(double.class);
    double[] w = {0.4, -0.9, 0.25};
    double b = 0.1;
    double[][] features = {{1, 0.5, -1}, {0.2, 0.3, 0.4}, {-1, 2, 0}, {0.7, -0.7, 1.5}, {3, 1, 1}};
    int[] labels = {1, -1, 1, 1, -1};
    double[] adjoints = new double[1];
    double[] wAdjoint = new double[3];
    double[] sumW = new double[3];
    double sumB = 0;
    Method plain = plainMethod(plain(BATCH, "Batch"), "logistic");
    for (int i = 0; i < labels.length; i++) {
      invoke(adjoint, null, new Object[] {w, b, features[i], labels[i], 1.0, adjoints, wAdjoint});
      Object g = call(d, "logisticGrad", w, b, features[i], labels[i]);
      assertThat(componentNames(g.getClass())).containsExactly("value", "dW", "dB").inOrder();
      double[] gw = vector(g, "dW");
      Object[] args = {w, b, features[i], labels[i]};
      Estimate[] o = oracle(plain, args, -1, 0, 1);
      assertMatchesOracle("point " + i + " dW", gw, Arrays.copyOf(o, 3));
      assertMatchesOracle("point " + i + " dB", d(g, "dB"), o[3]);
      for (int j = 0; j < 3; j++) {
        sumW[j] += gw[j];
      }
      sumB += d(g, "dB");
    }
    for (int j = 0; j < 3; j++) {
      assertRel("sum dW[" + j + "]", wAdjoint[j], sumW[j], 1e-14);
    }
    assertRel("sum dB", adjoints[0], sumB, 1e-14);
    // The parameters are untouched.
    assertThat(w).usingExactEquality().containsExactly(0.4, -0.9, 0.25).inOrder();

    // Zeroing restarts; a null array buffer skips w but still accumulates b.
    Arrays.fill(adjoints, 0.0);
    Arrays.fill(wAdjoint, 0.0);
    invoke(adjoint, null, new Object[] {w, b, features[2], labels[2], 1.0, adjoints, null});
    Object g2 = call(d, "logisticGrad", w, b, features[2], labels[2]);
    assertBits("null wAdjoint, dB", adjoints[0], d(g2, "dB"));
    assertThat(wAdjoint).usingExactEquality().containsExactly(0.0, 0.0, 0.0).inOrder();
    invoke(adjoint, null, new Object[] {w, b, features[2], labels[2], 1.0, adjoints, wAdjoint});
    assertBits("twice dB", adjoints[0], d(g2, "dB") + d(g2, "dB"));
    for (int j = 0; j < 3; j++) {
      assertBits("after fill dW[" + j + "]", wAdjoint[j], vector(g2, "dW")[j]);
    }

    // Wrong lengths.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> invoke(adjoint, null,
            new Object[] {w, b, features[0], 1, 1.0, new double[1], new double[2]}));
    assertThat(e).hasMessageThat().contains("wAdjoint has length 2");
    assertThat(e).hasMessageThat().contains("length 3");
    e = assertThrows(IllegalArgumentException.class,
        () -> invoke(adjoint, null,
            new Object[] {w, b, features[0], 1, 1.0, new double[0], new double[3]}));
    assertThat(e).hasMessageThat().contains("adjoints has length 0");
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Custom adjoints
  // ---------------------------------------------------------------------------------------------

  private static double logistic(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void customAdjointIsStableWhereThePlainFormulaOverflows() {
    Class<?> d = diff(CUSTOM, "Custom");
    Class<?> plain = plain(CUSTOM, "Custom");
    // The plain method overflows: exp(1000) is infinite.
    assertThat((Double) call(plain, "softplus", 1000.0)).isPositiveInfinity();
    Object g = call(d, "softplusGrad", 1000.0);
    assertBits("softplus(1000) through its adjoint", d(g, "value"), 1000.0);
    assertBits("softplus'(1000)", d(g, "dX"), 1.0);
    double[] adjoints = {0.0};
    double v = (Double) call(d, "softplusAdjoint", 1000.0, 2.0, adjoints);
    assertBits("softplusAdjoint value", v, 1000.0);
    assertBits("softplusAdjoint 2 * derivative", adjoints[0], 2.0);
    Object p = callOn(call(d, "softplusVjp", 1000.0), "pullback", -1.5);
    assertBits("pullback dX", d(p, "dX"), -1.5);
    assertBits("pullback value", d(p, "value"), 1000.0);
    // Very negative x: derivative underflows to 0, not NaN.
    Object neg = call(d, "softplusGrad", -1000.0);
    assertBits("softplus'(-1000)", d(neg, "dX"), 0.0);
    assertBits("softplus(-1000)", d(neg, "value"), 0.0);

    // At moderate x the hand-written derivative matches the oracle on the plain method.
    for (double x : new double[] {-3.0, 0.0, 0.8, 5.0}) {
      Object gx = call(d, "softplusGrad", x);
      assertRel("softplus'(" + x + ")", d(gx, "dX"), logistic(x), 1e-15);
      assertMatchesOracle("softplus'(" + x + ")", d(gx, "dX"),
          oracle(unique(plain, "softplus"), new Object[] {x}, -1, 0)[0]);
    }
  }

  @Test
  void customAdjointValueIsTheSameThroughEveryEntryPoint() {
    // The record, mAdjoint and the pullback return what the hand-written adjoint returns (1000
    // at x = 1000); mVjp(...).value() must agree with them rather than run the plain method.
    Class<?> d = diff(CUSTOM, "Custom");
    Object vjp = call(d, "softplusVjp", 1000.0);
    double fromVjp = (Double) callOn(vjp, "value");
    double fromPullback = d(callOn(vjp, "pullback", 1.0), "value");
    double fromGrad = d(call(d, "softplusGrad", 1000.0), "value");
    assertWithMessage("softplusVjp(1000).value() vs softplusVjp(1000).pullback(1).value() and"
        + " softplusGrad(1000).value()").that(fromVjp).isEqualTo(fromPullback);
    assertThat(fromGrad).isEqualTo(fromPullback);
  }

  @Test
  void callersChainThroughTheCustomAdjoint() {
    Class<?> d = diff(CUSTOM, "Custom");
    Method plain = plainMethod(plain(CUSTOM, "Custom"), "model");
    double[][] points = {{0.5, 1.2}, {-1.3, 0.7}, {2.0, -0.4}, {0.1, 3.0}};
    for (double[] pt : points) {
      double x = pt[0];
      double w = pt[1];
      Object g = call(d, "modelGrad", x, w);
      String at = "model(" + x + ", " + w + ")";
      assertBits(at + " value", d(g, "value"), (Double) invoke(plain, null, new Object[] {x, w}));
      Estimate[] o = oracle(plain, new Object[] {x, w}, -1, 0, 1);
      assertMatchesOracle(at + " dX", d(g, "dX"), o[0]);
      assertMatchesOracle(at + " dW", d(g, "dW"), o[1]);
      // Closed form: h = softplus(w x), f = h^2 + softplus(-x).
      double h = Math.log1p(Math.exp(w * x));
      double dfdx = 2 * h * logistic(w * x) * w - logistic(-x);
      double dfdw = 2 * h * logistic(w * x) * x;
      assertRel(at + " dX closed form", d(g, "dX"), dfdx, 1e-13);
      assertRel(at + " dW closed form", d(g, "dW"), dfdw, 1e-13);
      Object p = callOn(call(d, "modelVjp", x, w), "pullback", 3.0);
      assertRel(at + " pullback dX", d(p, "dX"), 3 * d(g, "dX"), 1e-15);
      assertRel(at + " pullback dW", d(p, "dW"), 3 * d(g, "dW"), 1e-15);
    }
  }

  @Test
  void customAdjointWithAnArrayParameter() {
    Class<?> d = diff(CUSTOM, "Custom");
    Class<?> plain = plain(CUSTOM, "Custom");
    // norm's body (a stream with a lambda) is outside the differentiable subset: it compiled
    // only because the processor does not read it (see customAdjointBodyIsNotRead).
    double[] v = {3.0, -4.0, 12.0};
    Object g = call(d, "normGrad", (Object) v);
    assertThat(componentNames(g.getClass())).containsExactly("value", "dV").inOrder();
    assertBits("norm", d(g, "value"), 13.0);
    assertThat(vector(g, "dV")).usingExactEquality()
        .containsExactly(3.0 / 13, -4.0 / 13, 12.0 / 13).inOrder();
    // Null buffer: value only.
    assertBits("normAdjoint(null buffer)",
        (Double) call(d, "normAdjoint", v, 1.0, null), 13.0);
    double[] buffer = {1.0, 1.0, 1.0};
    call(d, "normAdjoint", v, 2.0, buffer);
    assertThat(buffer).usingExactEquality()
        .containsExactly(1 + 2 * 3.0 / 13, 1 + 2 * -4.0 / 13, 1 + 2 * 12.0 / 13).inOrder();
    assertThrows(IllegalArgumentException.class,
        () -> call(d, "normAdjoint", v, 1.0, new double[2]));
    Object p = callOn(call(d, "normVjp", (Object) v), "pullback", -1.0);
    assertThat(vector(p, "dV")).usingExactEquality()
        .containsExactly(-3.0 / 13, 4.0 / 13, -12.0 / 13).inOrder();

    // A caller: chain rule through the hand-written adjoint, against the oracle.
    Method useNorm = unique(plain, "useNorm");
    double[] u = {0.6, -1.1, 0.35};
    double t = 0.8;
    Object ug = call(d, "useNormGrad", u, t);
    assertThat(componentNames(ug.getClass())).containsExactly("value", "dV", "dT").inOrder();
    Estimate[] o = oracle(useNorm, new Object[] {u, t}, -1, 0, 1);
    assertMatchesOracle("useNorm dV", vector(ug, "dV"), Arrays.copyOf(o, 3));
    assertMatchesOracle("useNorm dT", d(ug, "dT"), o[3]);
    double n = Math.sqrt(0.6 * 0.6 + 1.1 * 1.1 + 0.35 * 0.35);
    assertRel("useNorm dT closed form", d(ug, "dT"), n, 1e-15);
  }

  @Test
  void customAdjointBodyIsNotRead() {
    // Without its @CustomAdjoint, norm's body is rejected: so the Custom group compiling at all
    // shows that the processor did not read it.
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class NoCustom {
          @Differentiable
          public static double norm(double[] v) {
            return Math.sqrt(java.util.Arrays.stream(v).map(a -> a * a).sum());
          }
        }
        """;
    Compilation c = compileRaw(JavaFileObjects.forSourceString("p.NoCustom", source));
    assertThat(c).failed();
    assertThat(c.errors().stream().anyMatch(e -> e.getMessage(Locale.ROOT).contains("[ADJ")))
        .isTrue();
    assertThat(compiled(CUSTOM).compilation().errors()).isEmpty();
  }

  @Test
  void customAdjointWithTheWrongShapeSpellsOutTheExpectedSignature() {
    String source =
        """
        package p;

        import dev.adjoint.CustomAdjoint;
        import dev.adjoint.Differentiable;

        public class BadCustom {
          @Differentiable
          public static double sp(double x) {
            return Math.log1p(Math.exp(x));
          }

          @CustomAdjoint("sp")
          static double spMissingBuffer(double x, double seed) {
            return x;
          }

          @Differentiable
          public static double weighted(double[] v, double k, int n) {
            return v[0] * k * n;
          }

          @CustomAdjoint("weighted")
          static double weightedWithoutArrayBuffer(double[] v, double k, int n, double seed,
              double[] adjoints) {
            return 0;
          }

          @CustomAdjoint("nothingOfThatName")
          static double orphan(double x, double seed, double[] adjoints) {
            return x;
          }
        }
        """;
    JavaFileObject file = JavaFileObjects.forSourceString("p.BadCustom", source);
    Compilation c = compileRaw(file);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ114] @CustomAdjoint method 'spMissingBuffer' must have the"
            + " shape of the generated adjoint: static")
        .inFile(file)
        .onLine(lineOf(source, "spMissingBuffer(double x, double seed)"));
    // The expected signature, spelled out (the text between "static" and the return type may
    // add modifiers' advice such as "(not private)").
    assertThat(c)
        .hadErrorContainingMatch("\\[ADJ114\\] .* static .*double spMissingBuffer\\(double,"
            + " double, double\\[\\]\\)")
        .inFile(file)
        .onLine(lineOf(source, "spMissingBuffer(double x, double seed)"));
    assertThat(c)
        .hadErrorContainingMatch("\\[ADJ114\\] @CustomAdjoint method"
            + " 'weightedWithoutArrayBuffer' must have the shape of the generated adjoint: static"
            + " .*double weightedWithoutArrayBuffer\\(double\\[\\], double, int, double,"
            + " double\\[\\], double\\[\\]\\)")
        .inFile(file)
        .onLine(lineOf(source, "weightedWithoutArrayBuffer(double[] v"));
    assertThat(c)
        .hadErrorContaining("[ADJ113] @CustomAdjoint names 'nothingOfThatName', but this class"
            + " has no @Differentiable method of that name")
        .inFile(file)
        .onLine(lineOf(source, "orphan(double x"));
  }
}
