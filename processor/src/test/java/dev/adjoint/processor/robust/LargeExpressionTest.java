package dev.adjoint.processor.robust;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Expressions javac accepts but whose walks are deep: a sum of 500 terms and a nesting 250
 * deep. The processor runs on a thread with a large stack, so both are differentiated, and the
 * gradients match the oracle.
 */
class LargeExpressionTest {
  private static Class<?> diff;

  /** {@code x + 1 * x * y + 2 * x * y + ...}, 500 terms. */
  static String sum() {
    StringBuilder s = new StringBuilder("x");
    for (int i = 1; i < 500; i++) {
      s.append(" + ").append(i % 7).append(" * x * y");
    }
    return s.toString();
  }

  /** {@code ((((x * 0.99 + y) * 0.99 + y) ...)}, 250 deep. */
  static String nested() {
    String e = "x";
    for (int i = 0; i < 250; i++) {
      e = "(" + e + " * 0.99 + y * y)";
    }
    return e;
  }

  @BeforeAll
  static void compile() {
    String src = "package p;\nimport dev.adjoint.Differentiable;\npublic class Big {\n"
        + "  @Differentiable public static double sum(double x, double y) {\n    return " + sum()
        + ";\n  }\n"
        + "  @Differentiable public static double nested(double x, double y) {\n    return "
        + nested() + ";\n  }\n"
        + "}\n";
    diff = InProcessCompiler.compile(src).load("p.BigDiff");
  }

  @Test
  void sumOf500Terms() {
    GradientAssert.check(diff, "sum", 0.7, -1.3);
  }

  @Test
  void nesting250Deep() {
    GradientAssert.check(diff, "nested", 0.7, -0.3);
  }

}
