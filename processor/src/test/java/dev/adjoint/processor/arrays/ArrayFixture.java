package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.ArrayOracle.Result;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the array tests of this package share: their sources' compilation and the element-wise
 * assertion helpers.
 *
 * <p>Every gradient is compared with the finite-difference oracle element by element ({@link
 * ArrayOracle}), the value with the plain call bit for bit, and the caller's arrays are checked to
 * be untouched by {@code mGrad} and {@code mAdjoint}. The sources (each declared in the test class
 * of its theme) are grouped into a few compilations, each made once per test JVM when a test first
 * needs it; a group that fails to compile only fails its own tests. Every oracle point is chosen
 * away from ties and branch boundaries.
 */
final class ArrayFixture {

  private ArrayFixture() {}

  // ---------------------------------------------------------------------------------------------
  // Compilation
  // ---------------------------------------------------------------------------------------------

  /** Source class name to its source; each source is declared in the test class of its theme. */
  static final Map<String, String[]> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put("Arr", new String[] {ArrayFunctionTest.ARR});
    GROUPS.put("ArrCalls", new String[] {ArrayCallTest.ARR_CALLS});
    GROUPS.put("ArrFloats", new String[] {FloatArrayTest.ARR_FLOATS});
    GROUPS.put("ArrTricky", new String[] {LocalArrayTest.ARR_TRICKY});
    GROUPS.put("ArrFloatLocals", new String[] {FloatArrayTest.ARR_FLOAT_LOCALS});
    GROUPS.put("ArrMore", new String[] {MoreArrayConstructsTest.ARR_MORE});
    GROUPS.put("ArrEarlyReturn", new String[] {LocalArrayTest.ARR_EARLY_RETURN});
  }

  /** Class name to its InProcessCompiler or to the error its compilation threw. */
  private static final Map<String, Object> COMPILED = new LinkedHashMap<>();

  /** Compiles source class {@code className}: its InProcessCompiler, or the error it threw. */
  private static Object compile(String className) {
    try {
      return InProcessCompiler.compile(GROUPS.get(className));
    } catch (Throwable t) {
      return t;
    }
  }

  /** The compilation of {@code p.<className>}, compiled on first use. */
  static synchronized InProcessCompiler compilation(String className) {
    if (!GROUPS.containsKey(className)) {
      throw new IllegalArgumentException("Unknown source class " + className);
    }
    Object c = COMPILED.computeIfAbsent(className, ArrayFixture::compile);
    if (c instanceof InProcessCompiler ipc) {
      return ipc;
    }
    throw new AssertionError("Compilation of p." + className + " failed", (Throwable) c);
  }

  /**
   * Every source class, in the order of {@link #GROUPS}, to its InProcessCompiler or to the error
   * its compilation threw; compiles those not compiled yet.
   */
  static synchronized Map<String, Object> compiledGroups() {
    Map<String, Object> all = new LinkedHashMap<>();
    for (String className : GROUPS.keySet()) {
      all.put(className, COMPILED.computeIfAbsent(className, ArrayFixture::compile));
    }
    return all;
  }

  static ArrayOracle on(String className) {
    return ArrayOracle.on(compilation(className).load("p." + className + "Diff"));
  }

  static Result check(String className, String method, Object... args) {
    return on(className).check(method, args);
  }

  static Class<?> original(String className) {
    return compilation(className).load("p." + className);
  }

  // ---------------------------------------------------------------------------------------------
  // Assertion helpers
  // ---------------------------------------------------------------------------------------------

  static void assertVector(Result r, String what, double[] actual, double[] expected,
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

  static void assertMatrix(Result r, String what, double[][] actual, double[][] expected,
      double tol) {
    assertWithMessage("%s: %s rows (%s)", r.label(), what, r).that(actual.length)
        .isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertVector(r, what + "[" + i + "]", actual[i], expected[i], tol);
    }
  }

  static double[] fill(int n, double v) {
    double[] a = new double[n];
    Arrays.fill(a, v);
    return a;
  }

  static double[][] fill(int r, int c, double v) {
    double[][] a = new double[r][c];
    for (double[] row : a) {
      Arrays.fill(row, v);
    }
    return a;
  }

  /** A point without ties or symmetric coordinates: 0.3 + 0.17 i with alternating signs. */
  static double[] point(int n, double scale) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = scale * (0.3 + 0.17 * i) * (i % 2 == 0 ? 1 : -1);
    }
    return a;
  }
}
