package dev.adjoint.processor.api;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import dev.adjoint.processor.testing.Oracle.Estimate;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import javax.tools.JavaFileObject;

/**
 * What the tests of the generated gradient API in this package share: compilation of their
 * sources, reflective access to the generated members, and the finite-difference oracle over
 * flattened inputs.
 *
 * <p>All generated members are reached reflectively: the sources are compiled at test time by
 * {@link InProcessCompiler}, each source once per test JVM, lazily (javac takes about a second per
 * compilation); a source that fails to compile fails only its own tests.
 *
 * <p>The oracle is the finite-difference {@link Oracle} (Ridders-extrapolated central differences)
 * applied to the plain method; array inputs are perturbed element by element, flattened in
 * declaration order (scalars one element, {@code double[]} its elements, {@code double[][]} row by
 * row), the order {@code mJacobian} uses for its columns.
 */
final class GradientApiSupport {

  private GradientApiSupport() {}

  /** Relative tolerance against the oracle (as in {@code GradientAssert}). */
  private static final double ORACLE_REL = 1e-7;

  // ---------------------------------------------------------------------------------------------
  // Compilation (each group once, lazily; a failing group fails only its own tests)
  // ---------------------------------------------------------------------------------------------

  private static final Map<String, Object> COMPILED = new ConcurrentHashMap<>();

  static InProcessCompiler compiled(String source) {
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

  static Class<?> diff(String source, String simpleName) {
    return compiled(source).load("p." + simpleName + "Diff");
  }

  static Class<?> plain(String source, String simpleName) {
    return compiled(source).load("p." + simpleName);
  }

  /** Compiles a source that is expected to produce diagnostics (no assertion on success). */
  static Compilation compileRaw(JavaFileObject file) {
    return Compiler.javac().withProcessors(new AdjointProcessor()).compile(file);
  }

  /** The 1-based line of the first line of {@code source} containing {@code marker}. */
  static int lineOf(String source, String marker) {
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

  static Method unique(Class<?> owner, String name) {
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
  static Method applicable(Class<?> owner, String name, Object[] args) {
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

  static boolean accepts(Class<?>[] types, Object[] args) {
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
  static Object call(Class<?> owner, String name, Object... args) {
    return invoke(applicable(owner, name, args), null, args);
  }

  /** Calls a public instance method by name (value, bytes, pullback). */
  static Object callOn(Object target, String name, Object... args) {
    return invoke(applicable(target.getClass(), name, args), target, args);
  }

  static Object invoke(Method m, Object target, Object[] args) {
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

  static Object component(Object record, String name) {
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

  static double d(Object record, String name) {
    return (Double) component(record, name);
  }

  static double[] vector(Object record, String name) {
    return (double[]) component(record, name);
  }

  static double[][] matrix(Object record, String name) {
    return (double[][]) component(record, name);
  }

  static List<String> componentNames(Class<?> recordClass) {
    return Arrays.stream(recordClass.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  static Class<?> nested(Class<?> diff, String simpleName) {
    for (Class<?> c : diff.getDeclaredClasses()) {
      if (c.getSimpleName().equals(simpleName)) {
        return c;
      }
    }
    throw new AssertionError(diff.getName() + " has no nested " + simpleName + "; it has "
        + Arrays.toString(diff.getDeclaredClasses()));
  }

  static void assertBits(String what, double actual, double expected) {
    if (Double.doubleToLongBits(actual) != Double.doubleToLongBits(expected)) {
      fail(what + ": expected exactly " + expected + " (" + Double.toHexString(expected)
          + ") but was " + actual + " (" + Double.toHexString(actual) + ")");
    }
  }

  static void assertRel(String what, double actual, double expected, double rel) {
    assertWithMessage("%s", what).that(actual)
        .isWithin(rel * Math.max(Double.MIN_NORMAL, Math.abs(expected))).of(expected);
  }

  // ---------------------------------------------------------------------------------------------
  // Oracle over flattened inputs
  // ---------------------------------------------------------------------------------------------

  /** The differentiated inputs {@code params} of {@code args}, flattened in declaration order. */
  static double[] flatten(Object[] args, int... params) {
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
  static Object[] unflatten(Object[] args, double[] v, int... params) {
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
  static Estimate[] oracle(Method plain, Object[] args, int output, int... params) {
    double[] x = flatten(args, params);
    ToDoubleFunction<double[]> f = v -> {
      Object r = invoke(plain, null, unflatten(args, v, params));
      return output < 0 ? (Double) r : ((double[]) r)[output];
    };
    return Oracle.gradient(f, x);
  }

  static Method plainMethod(Class<?> owner, String name) {
    return unique(owner, name);
  }

  /** As {@code GradientAssert}: within max(rel * max(1, |oracle|), 20 * oracle error). */
  static void assertMatchesOracle(String what, double actual, Estimate expected) {
    double scale = Math.max(1.0, Math.abs(expected.value()));
    assertWithMessage("%s: oracle %s is unreliable here", what, expected)
        .that(expected.error()).isAtMost(50 * ORACLE_REL * scale);
    double tol = Math.max(ORACLE_REL * scale, 20 * expected.error());
    assertWithMessage("%s: generated %s vs oracle %s", what, actual, expected)
        .that(actual).isWithin(tol).of(expected.value());
  }

  static void assertMatchesOracle(String what, double[] actual, Estimate[] expected) {
    assertWithMessage("%s: length", what).that(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertMatchesOracle(what + "[" + i + "]", actual[i], expected[i]);
    }
  }
}
