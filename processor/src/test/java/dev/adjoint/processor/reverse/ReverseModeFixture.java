package dev.adjoint.processor.reverse;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.GradientAssert.Gradient;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the reverse-mode numeric tests of this package share: the source groups (each source is
 * declared in the test class of its theme), their compilation, and the oracle comparison that
 * every parameterized test runs.
 *
 * <p>The sources are grouped into a few compilations (javac takes about a second each). Each group
 * is compiled once per test JVM, the first time a test needs it, and shared by every class of the
 * package. A compilation that fails only fails the tests of its group, with every diagnostic and
 * every generated source in the message.
 *
 * <p>Every oracle point is chosen so that no branch, loop trip count or integer cast changes within
 * the oracle's first finite-difference step ({@code 0.1 * max(1, |x|)}); {@link GradientAssert}
 * flags a point where that assumption fails (the oracle's error estimate blows up) rather than
 * accepting it.
 */
final class ReverseModeFixture {

  private ReverseModeFixture() {}

  // ---------------------------------------------------------------------------------------------
  // Compilation
  // ---------------------------------------------------------------------------------------------

  /** Group name to the sources compiled together. */
  static final Map<String, String[]> GROUPS = new LinkedHashMap<>();

  /** Source class simple name to its group. */
  static final Map<String, String> GROUP_OF = new LinkedHashMap<>();

  static {
    group("basics", BasicsGradientTest.BASICS);
    group("loops", LoopGradientTest.LOOPS);
    group("calls", CallGradientTest.CALLS, CallGradientTest.HELPER);
    group("directCalls", CallGradientTest.DIRECT_CALLS);
    group("floats", FloatGradientTest.FLOATS);
    group("exact", ExactValueTest.EXACT);
    group("kinks", MathFunctionGradientTest.KINKS);
    group("math", MathFunctionGradientTest.intrinsicSource("MathFns", "Math"));
    group("strictMath", MathFunctionGradientTest.intrinsicSource("StrictFns", "StrictMath"));
    group("edge", BasicsGradientTest.EDGE);
    group("privates", BasicsGradientTest.PRIVATE_MEMBERS);
  }

  private static void group(String name, String... sources) {
    GROUPS.put(name, sources);
    for (String s : sources) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("public class (\\w+)").matcher(s);
      if (!m.find()) {
        throw new IllegalStateException("no class in " + s);
      }
      GROUP_OF.put(m.group(1), name);
    }
  }

  /** Group name to its InProcessCompiler or to the error its compilation threw. */
  private static final Map<String, Object> COMPILED = new LinkedHashMap<>();

  /** Compiles group {@code name}: its InProcessCompiler, or the error its compilation threw. */
  private static Object compile(String name) {
    try {
      return InProcessCompiler.compile(GROUPS.get(name));
    } catch (Throwable t) {
      return t;
    }
  }

  /** The compilation of the group of {@code p.<className>}, compiled on first use. */
  static synchronized InProcessCompiler compilation(String className) {
    String group = GROUP_OF.get(className);
    if (group == null) {
      throw new IllegalArgumentException("Unknown source class " + className);
    }
    Object c = COMPILED.computeIfAbsent(group, ReverseModeFixture::compile);
    if (c instanceof InProcessCompiler) {
      return (InProcessCompiler) c;
    }
    throw new AssertionError(
        "Compilation of group '" + group + "' (containing p." + className + ") failed",
        (Throwable) c);
  }

  /** The generated {@code p.<className>Diff}. */
  static Class<?> diff(String className) {
    return compilation(className).load("p." + className + "Diff");
  }

  static Gradient check(String className, String method, Object... args) {
    return GradientAssert.check(diff(className), method, args);
  }

  static Gradient grad(String className, String method, Object... args) {
    return GradientAssert.on(diff(className)).grad(method, args);
  }

  // ---------------------------------------------------------------------------------------------
  // Oracle comparisons
  // ---------------------------------------------------------------------------------------------

  static Arguments c(String className, String method, Object... args) {
    return relTol(Double.NaN, className, method, args);
  }

  static Arguments relTol(double tol, String className, String method, Object... args) {
    String label = className + "." + method + Arrays.toString(args);
    return Arguments.of(label, className, method, args, tol);
  }

  static void run(String label, String cls, String method, Object[] args, double tol) {
    GradientAssert a = GradientAssert.on(diff(cls));
    if (!Double.isNaN(tol)) {
      a = a.withRelativeTolerance(tol);
    }
    a.check(method, args);
  }

  // ---------------------------------------------------------------------------------------------
  // Exact values
  // ---------------------------------------------------------------------------------------------

  static void assertRel(Gradient g, String what, double actual, double expected, double rel) {
    assertWithMessage("%s: %s (gradient %s)", g.label(), what, g)
        .that(actual)
        .isWithin(rel * Math.max(1.0, Math.abs(expected)))
        .of(expected);
  }
}
