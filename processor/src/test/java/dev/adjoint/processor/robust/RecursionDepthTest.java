package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recursion depth the gradient and the Hessian of a recursive method reach, relative to the
 * plain call's, each searched on fresh threads of one fixed stack size ({@link #STACK}, made
 * with {@code new Thread(group, runnable, name, stackSize)}): a depth counts as reached when
 * one of three tries returns. {@code mGrad}, {@code mHvp} and {@code mHessian} rerun a call that
 * overflows on a thread with a large stack ({@code dev.adjoint.runtime.DeepStack}), so they
 * reach at least the plain call's depth; the test asserts half of it, the target, and
 * that the rerun's result is the one a thread with a stack large enough for the first try
 * computes, which matches the oracle. Two forms of the recursion: {@code r}, whose call sits in
 * a conditional expression (the reverse sweep calls {@code rAdjoint} again, joint mode) and
 * {@code s}, whose call is a statement (the forward sweep calls {@code sAdjoint} and records its
 * partial). The measured depths are printed ({@code mvn -B -ntp -o -pl processor -am test
 * -Dtest=RecursionDepthTest -Dsurefire.failIfNoSpecifiedTests=false}).
 */
class RecursionDepthTest {
  /** The stack of every thread the depths are searched on. */
  static final long STACK = 256 * 1024;

  static final String SOURCE = "package p;\n"
      + "import dev.adjoint.Differentiable;\n"
      + "public class Deep {\n"
      + "  @Differentiable(order = 2)\n"
      + "  public static double r(double x, int n) {\n"
      + "    return n == 0 ? x : 0.5 * Math.sin(r(x, n - 1)) + x;\n"
      + "  }\n"
      + "  @Differentiable(order = 2)\n"
      + "  public static double s(double x, int n) {\n"
      + "    if (n == 0) {\n"
      + "      return x;\n"
      + "    }\n"
      + "    return 0.5 * Math.sin(s(x, n - 1)) + x;\n"
      + "  }\n"
      + "  @Differentiable\n"
      + "  public static double t(double x, int n) {\n"
      + "    x = 0.9 * x + 0.05;\n"
      + "    if (n == 0) {\n"
      + "      return x;\n"
      + "    }\n"
      + "    return 0.5 * Math.sin(t(x, n - 1)) + x;\n"
      + "  }\n"
      + "}\n";

  /**
   * Methods with an array result, whose {@code mJvp} prints the tangent code itself (a scalar
   * result's calls its tangent form), calling the recursive {@code t}: parameters whose names
   * are prefixes and suffixes of others, assigned by compound assignments and {@code ++}
   * ({@code prefixes}, {@code dotted}, whose parameter {@code xDot} pushes the tangents' names
   * to {@code xDot2} and {@code xDotDot}); names only in a string and a comment
   * ({@code quoted}); locals named like the fallback's own names, one in a nested block
   * ({@code shadowed}); an array parameter whose elements are written ({@code elements}).
   */
  static final String COPIES = "package p;\n"
      + "import dev.adjoint.Differentiable;\n"
      + "public class Copies {\n"
      + "  @Differentiable\n"
      + "  public static double t(double x, int n) {\n"
      + "    x = 0.9 * x + 0.05;\n"
      + "    if (n == 0) {\n"
      + "      return x;\n"
      + "    }\n"
      + "    return 0.5 * Math.sin(t(x, n - 1)) + x;\n"
      + "  }\n"
      + "  @Differentiable\n"
      + "  public static double[] prefixes(double x, double xs, double ax, int n) {\n"
      + "    xs += 0.1 * x;\n"
      + "    double[] out = new double[2];\n"
      + "    out[0] = t(xs, n);\n"
      + "    out[1] = x * ax + out[0];\n"
      + "    return out;\n"
      + "  }\n"
      + "  @Differentiable\n"
      + "  public static double[] quoted(double x, int n) {\n"
      + "    if (n < 0) {\n"
      + "      throw new IllegalArgumentException(\"x = x + 1; n -= 1; ++x are only words here\");\n"
      + "    }\n"
      + "    double[] out = new double[2];\n"
      + "    out[0] = t(x, n); // x = 2 * x, a comment\n"
      + "    out[1] = x * out[0];\n"
      + "    return out;\n"
      + "  }\n"
      + "  @Differentiable\n"
      + "  public static double[] shadowed(double x, int n) {\n"
      + "    double xAtEntry = 2 * x;\n"
      + "    x = 0.9 * x + 0.05;\n"
      + "    double[] out = new double[2];\n"
      + "    out[0] = t(x, n) * xAtEntry;\n"
      + "    if (n > 1) {\n"
      + "      double outermost = 0.5 * x;\n"
      + "      double overflow = outermost * x;\n"
      + "      out[0] += overflow;\n"
      + "    }\n"
      + "    out[1] = x * out[0];\n"
      + "    return out;\n"
      + "  }\n"
      + "  @Differentiable\n"
      + "  public static double[] dotted(double x, double xDot, int n) {\n"
      + "    x = x * xDot;\n"
      + "    xDot -= 0.25;\n"
      + "    x++;\n"
      + "    double[] out = new double[2];\n"
      + "    out[0] = t(x, n);\n"
      + "    out[1] = xDot * out[0];\n"
      + "    return out;\n"
      + "  }\n"
      + "  @Differentiable\n"
      + "  public static double[] elements(double[] a, int n) {\n"
      + "    a[0] = 0.9 * a[0] + 0.05;\n"
      + "    double[] out = new double[2];\n"
      + "    out[0] = t(a[0], n);\n"
      + "    out[1] = a[1] * out[0];\n"
      + "    return out;\n"
      + "  }\n"
      + "}\n";

  static Class<?> plain;
  static Class<?> diff;
  static Class<?> copiesPlain;
  static Class<?> copiesDiff;
  static String copiesSource;

  @BeforeAll
  static void compile() {
    InProcessCompiler c = InProcessCompiler.compile(SOURCE);
    plain = c.load("p.Deep");
    diff = c.load("p.DeepDiff");
    InProcessCompiler copies = InProcessCompiler.compile(COPIES);
    copiesPlain = copies.load("p.Copies");
    copiesDiff = copies.load("p.CopiesDiff");
    copiesSource = copies.generatedSource("p.CopiesDiff");
  }

  @Test
  void gradientAndHessianReachHalfThePlainCallsDepthInTheCallInAConditional() throws Exception {
    check("r");
  }

  @Test
  void gradientAndHessianReachHalfThePlainCallsDepthInTheCallAsAStatement() throws Exception {
    check("s");
  }

  /**
   * {@code t} assigns its parameter; its {@code mGrad} and {@code mJvp} only call its adjoint and
   * tangent form, which get the arguments by value, so their reruns start from the arguments
   * without a copy (the cases that need copies are those of {@link #COPIES}).
   */
  @Test
  void rerunOfAMethodAssigningItsParameterStartsFromTheArguments() throws Exception {
    Method grad = diff.getMethod("tGrad", double.class, int.class);
    Method jvp = diff.getMethod("tJvp", double.class, int.class, double.class);
    int depth = 20_000;
    Object small = onThread(() -> invoke(grad, 0.3, depth), STACK);
    Object smallJvp = onThread(() -> jvp.invoke(null, 0.3, depth, 1.0), STACK);
    Object big = onThread(() -> invoke(grad, 0.3, depth), 256L << 20);
    Object bigJvp = onThread(() -> jvp.invoke(null, 0.3, depth, 1.0), 256L << 20);
    assertThat(small).isEqualTo(big);
    assertThat(smallJvp).isEqualTo(bigJvp);
    assertThat(component(smallJvp, "tangent")).isEqualTo(component(big, "dX"));
    GradientAssert.Gradient[] oracle = new GradientAssert.Gradient[1];
    onThread(() -> oracle[0] = GradientAssert.check(diff, "t", 0.3, 50), 256L << 20);
  }

  /**
   * The copies each array-result {@code mJvp} takes before its code runs: exactly the
   * parameters the printed tangent code assigns, read off the IR. Names that only occur in a
   * string or a comment, or that contain an assigned parameter's name, get none; the user's
   * locals keep their names and the fallback's own are numbered instead.
   */
  @Test
  void arrayResultsJvpCopiesExactlyTheParametersItsCodeAssigns() {
    assertThat(copiesOf("prefixes")).containsExactly("xs", "xsDot").inOrder();
    assertThat(copiesOf("quoted")).isEmpty();
    assertThat(copiesOf("dotted")).containsExactly("x", "xDot", "xDot2", "xDotDot").inOrder();
    assertThat(copiesOf("shadowed")).containsExactly("x", "xDot").inOrder();
    String shadowed = jvpText("shadowed");
    assertThat(shadowed).contains("double xAtEntry2 = x;");
    assertThat(shadowed).contains("double xAtEntry = 2 * x;");
    assertThat(shadowed).contains("boolean outermost2 = DeepStack.outermost();");
    assertThat(shadowed).contains("catch (StackOverflowError overflow2)");
    assertThat(shadowed).contains("() -> shadowedJvp(xAtEntry2, n, xDotAtEntry)");
    // Writes into an array parameter: no rerun at all (below).
    assertThat(jvpText("elements")).doesNotContain("DeepStack");
  }

  /**
   * Each of those {@code mJvp}s, at a depth its first try cannot reach on {@link #STACK}, gives
   * bit for bit what a first try on a large stack gives, and that tangent matches Ridders'
   * derivative of the plain method along the same direction.
   */
  @Test
  void rerunOfAnArrayResultsJvpStartsFromTheArguments() throws Exception {
    int depth = 20_000;
    check(depth, "prefixes", new Class<?>[] {double.class, double.class, double.class, int.class,
        double.class, double.class, double.class}, new double[] {0.3, 0.7, -0.4},
        new double[] {1.0, 0.5, -2.0});
    check(depth, "quoted", new Class<?>[] {double.class, int.class, double.class},
        new double[] {0.3}, new double[] {1.0});
    check(depth, "shadowed", new Class<?>[] {double.class, int.class, double.class},
        new double[] {0.3}, new double[] {1.0});
    check(depth, "dotted", new Class<?>[] {double.class, double.class, int.class, double.class,
        double.class}, new double[] {0.3, 1.2}, new double[] {1.0, -0.5});
  }

  /**
   * A method writing the elements of its array parameter has no rerun: a copy of the reference
   * would not give a rerun the elements as they came, and a copy of the elements would cost an
   * allocation per call. Its {@code mJvp} overflows on {@link #STACK} as it is, and on a large
   * stack gives Ridders' tangent and leaves the array as the plain call does.
   */
  @Test
  void methodWritingItsArrayParameterIsNotRerun() throws Exception {
    Method jvp = copiesDiff.getMethod("elementsJvp", double[].class, int.class, double[].class);
    Method value = copiesPlain.getMethod("elements", double[].class, int.class);
    int depth = 20_000;
    double[] a = {0.3, 0.7};
    org.junit.jupiter.api.Assertions.assertThrows(StackOverflowError.class, () -> onThread(
        () -> call(jvp, a.clone(), depth, new double[] {1.0, 0.5}), STACK));
    double[] argument = a.clone();
    Object big = onThread(() -> call(jvp, argument, depth, new double[] {1.0, 0.5}),
        256L << 20);
    double[] plainArgument = a.clone();
    onThread(() -> call(value, plainArgument, depth), 256L << 20);
    assertThat(argument).usingExactEquality().containsExactly(plainArgument).inOrder();
    double[] tangent = (double[]) big.getClass().getMethod("tangent").invoke(big);
    for (int k = 0; k < 2; k++) {
      int output = k;
      Object estimate = onThread(() -> Oracle.derivative(h -> ((double[]) call(value,
          new double[] {a[0] + h, a[1] + 0.5 * h}, depth))[output], 0.0), 256L << 20);
      assertWithMessage("elementsJvp tangent %s", k).that(tangent[k])
          .isWithin(1e-7 * Math.max(1.0, Math.abs(tangent[k])))
          .of(((Oracle.Estimate) estimate).value());
    }
  }

  /** Checks {@code fJvp} (scalars, then {@code n}, then tangents) as above. */
  private static void check(int depth, String f, Class<?>[] types, double[] x, double[] dx)
      throws Exception {
    Method jvp = copiesDiff.getMethod(f + "Jvp", types);
    Class<?>[] plainTypes = java.util.Arrays.copyOf(types, x.length + 1);
    Method value = copiesPlain.getMethod(f, plainTypes);
    Object[] args = new Object[types.length];
    int at = 0;
    for (Class<?> type : types) {
      args[at] = type == int.class ? (Object) depth
          : at < x.length ? (Object) x[at] : (Object) dx[at - x.length - 1];
      at++;
    }
    Object small = onThread(() -> call(jvp, args), STACK);
    Object big = onThread(() -> call(jvp, args), 256L << 20);
    double[] smallValue = (double[]) small.getClass().getMethod("value").invoke(small);
    double[] smallTangent = (double[]) small.getClass().getMethod("tangent").invoke(small);
    assertWithMessage("%sJvp value", f).that(smallValue).usingExactEquality()
        .containsExactly((double[]) big.getClass().getMethod("value").invoke(big)).inOrder();
    assertWithMessage("%sJvp tangent", f).that(smallTangent).usingExactEquality()
        .containsExactly((double[]) big.getClass().getMethod("tangent").invoke(big)).inOrder();
    for (int k = 0; k < smallTangent.length; k++) {
      int output = k;
      Object estimate = onThread(() -> Oracle.derivative(h -> {
        Object[] moved = new Object[x.length + 1];
        for (int i = 0; i < x.length; i++) {
          moved[i] = x[i] + h * dx[i];
        }
        moved[x.length] = depth;
        return ((double[]) call(value, moved))[output];
      }, 0.0), 256L << 20);
      assertWithMessage("%sJvp tangent %s", f, k).that(smallTangent[k])
          .isWithin(1e-7 * Math.max(1.0, Math.abs(smallTangent[k])))
          .of(((Oracle.Estimate) estimate).value());
    }
  }

  /** The names of the parameters {@code fJvp} copies before its code runs. */
  private static java.util.List<String> copiesOf(String f) {
    String text = jvpText(f);
    String preamble = text.substring(0, text.indexOf("try {"));
    java.util.List<String> copied = new java.util.ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("double (\\w+)AtEntry\\d* = (\\w+);").matcher(preamble);
    while (m.find()) {
      assertThat(m.group(1)).isEqualTo(m.group(2));
      copied.add(m.group(2));
    }
    return copied;
  }

  /** The generated text of {@code fJvp}, from its signature to its end. */
  private static String jvpText(String f) {
    int start = copiesSource.indexOf(" " + f + "Jvp(");
    assertWithMessage("%sJvp in the generated source", f).that(start).isAtLeast(0);
    return copiesSource.substring(start, copiesSource.indexOf("\n    }\n", start));
  }

  private static Object call(Method m, Object... args) {
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error) {
        throw (Error) e.getCause();
      }
      throw new AssertionError(e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  private static void check(String f) throws Exception {
    Method value = plain.getMethod(f, double.class, int.class);
    Method grad = diff.getMethod(f + "Grad", double.class, int.class);
    Method hessian = diff.getMethod(f + "Hessian", double.class, int.class);
    IntFunction<Object> plainCall = n -> invoke(value, 0.3, n);
    IntFunction<Object> gradCall = n -> invoke(grad, 0.3, n);
    IntFunction<Object> hessianCall = n -> invoke(hessian, 0.3, n);
    // Warm up at a small depth, so that the depths below are those of compiled code.
    for (int i = 0; i < 20_000; i++) {
      plainCall.apply(50);
      gradCall.apply(50);
      hessianCall.apply(50);
    }
    int plainDepth = maxDepth(plainCall, 1, 1 << 22);
    int half = (plainDepth + 1) / 2;
    // Beyond the plain call's depth only up to twice it: the search would take long otherwise.
    // The Hessians' sweeps (and r's gradient) call the tangent form or the adjoint again at
    // each level, quadratic in the depth: those are only tried at half and at the plain depth.
    int gradDepth = f.equals("s") ? maxDepth(gradCall, half, 2 * plainDepth) : -1;
    boolean gradAtPlain = gradDepth >= plainDepth || reaches(gradCall, plainDepth);
    boolean hessianAtPlain = reaches(hessianCall, plainDepth);
    System.out.printf("%s: stack %d KB: plain %d; %sGrad %s; %sHessian reaches %d: %s%n", f,
        STACK >> 10, plainDepth, f, gradDepth >= 0 ? gradDepth + " (searched up to twice plain)"
            : "reaches " + plainDepth + ": " + gradAtPlain, f, plainDepth, hessianAtPlain);
    assertWithMessage("%sGrad at half the plain call's depth %s", f, plainDepth)
        .that(reaches(gradCall, half)).isTrue();
    assertWithMessage("%sHessian at half the plain call's depth %s", f, plainDepth)
        .that(reaches(hessianCall, half)).isTrue();
    if (gradDepth >= 0) {
      assertThat(gradDepth).isAtLeast(half);
    }

    // The rerun's results are those of a first try on a stack large enough for it.
    Object rerunGrad = onThread(() -> gradCall.apply(half), STACK);
    Object rerunHessian = onThread(() -> hessianCall.apply(half), STACK);
    GradientAssert.Gradient[] oracle = new GradientAssert.Gradient[1];
    Object bigGrad = onThread(() -> {
      oracle[0] = GradientAssert.check(diff, f, 0.3, half);
      return gradCall.apply(half);
    }, 256L << 20);
    Object bigHessian = onThread(() -> hessianCall.apply(half), 256L << 20);
    assertThat(rerunGrad).isEqualTo(bigGrad);
    assertThat(((double[][]) rerunHessian)[0][0])
        .isEqualTo(((double[][]) bigHessian)[0][0]);
    assertThat(oracle[0].value()).isEqualTo(component(rerunGrad, "value"));
    assertThat(oracle[0].d(0)).isEqualTo(component(rerunGrad, "dX"));
  }

  private static double component(Object record, String name) throws Exception {
    return (double) record.getClass().getMethod(name).invoke(record);
  }

  private static Object invoke(Method m, double x, int n) {
    try {
      return m.invoke(null, x, n);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error) {
        throw (Error) e.getCause();
      }
      throw new AssertionError(e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /** The largest depth in [lo, hi] reached, by bisection (lo is assumed reached). */
  private static int maxDepth(IntFunction<Object> call, int lo, int hi) throws Exception {
    while (lo < hi) {
      int mid = (int) (((long) lo + hi + 1) / 2);
      if (reaches(call, mid)) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Whether one of three calls at {@code depth}, each on a fresh thread of {@link #STACK}, returns. */
  private static boolean reaches(IntFunction<Object> call, int depth) throws Exception {
    for (int t = 0; t < 3; t++) {
      try {
        onThread(() -> call.apply(depth), STACK);
        return true;
      } catch (StackOverflowError e) {
        // tried again: a recompilation in between can change the frames' sizes
      }
    }
    return false;
  }

  private interface Call {
    Object run() throws Exception;
  }

  private static Object onThread(Call call, long stack) throws Exception {
    AtomicReference<Object> result = new AtomicReference<>();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(call.run());
      } catch (Throwable e) {
        thrown.set(e);
      }
    }, "depth", stack);
    t.start();
    t.join();
    if (thrown.get() instanceof Error) {
      throw (Error) thrown.get();
    }
    if (thrown.get() != null) {
      throw (Exception) thrown.get();
    }
    return result.get();
  }
}
