package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
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

  static Class<?> plain;
  static Class<?> diff;

  @BeforeAll
  static void compile() {
    InProcessCompiler c = InProcessCompiler.compile(SOURCE);
    plain = c.load("p.Deep");
    diff = c.load("p.DeepDiff");
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
   * {@code t} assigns its parameter, and so does its {@code mJvp}'s code (the tangent with it):
   * the rerun after an overflow calls the method with the arguments as they came, not as the
   * first try left them.
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
