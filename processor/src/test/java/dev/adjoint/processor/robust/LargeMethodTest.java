package dev.adjoint.processor.robust;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated methods far larger than test functions, each compiled with every entry point and
 * checked against the oracle (their generated methods are split into parts under the JIT's
 * 8000 bytes, see docs/robustness.md; {@link HugeMethodTest} goes further):
 * hundreds of statements each declaring a local, hundreds of reassignments of three scalars,
 * a loop over a long body, and an expression nested 127 deep.
 */
class LargeMethodTest {
  static final int STATEMENTS = 400;
  static final int REASSIGNMENTS = 300;
  static final int DEPTH = 127;

  private static Class<?> diff;

  /** {@code double v1 = ...; double v2 = ...;}: each new local reads the two before it. */
  static String straightLine(int n) {
    StringBuilder s = new StringBuilder();
    s.append("    double v0 = x;\n    double v1 = y;\n");
    for (int i = 2; i < n; i++) {
      String a = "v" + (i - 1);
      String b = "v" + (i - 2);
      s.append("    double v").append(i).append(" = ").append(switch (i % 4) {
        case 0 -> "0.5 * Math.sin(" + a + ") + 0.4 * " + b;
        case 1 -> "0.7 * " + a + " * Math.cos(" + b + ") + 0.1";
        case 2 -> "Math.tanh(" + a + " + " + b + " * y)";
        default -> "0.6 * " + a + " - 0.3 * " + b + " * " + b;
      }).append(";\n");
    }
    s.append("    return v").append(n - 1).append(" + v").append(n / 2).append(";\n");
    return s.toString();
  }

  /** Three scalars reassigned in turn. */
  static String reassignments(int n) {
    StringBuilder s = new StringBuilder("    double a = x;\n    double b = y;\n    double c = 0.5;\n");
    String[] v = {"a", "b", "c"};
    for (int i = 0; i < n; i++) {
      String t = v[i % 3];
      String u = v[(i + 1) % 3];
      String w = v[(i + 2) % 3];
      s.append("    ").append(t).append(" = ").append(i % 2 == 0
          ? "0.8 * " + t + " + 0.2 * Math.sin(" + u + " * " + w + ")"
          : "0.9 * " + t + " - 0.1 * " + u + " + 0.05 * Math.exp(-" + w + " * " + w + ")")
          .append(";\n");
    }
    s.append("    return a * b + c;\n");
    return s.toString();
  }

  /** {@code ((x * 0.99 + y * y) * 0.98 + ...)}, {@code depth} deep. */
  static String nested(int depth) {
    String e = "x";
    for (int i = 0; i < depth; i++) {
      e = "(" + e + (i % 3 == 0 ? " * 0.99 + y * y)" : i % 3 == 1 ? " * Math.cos(y) + 0.01)"
          : " - 0.01 * x * y)");
    }
    return "    return " + e + ";\n";
  }

  /** A loop whose body is a long straight-line block. */
  static String loop(int n) {
    StringBuilder s = new StringBuilder("    double s = x;\n    double t = y;\n");
    s.append("    for (int i = 0; i < 4; i++) {\n");
    for (int k = 0; k < n; k++) {
      s.append(k % 2 == 0 ? "      s = 0.9 * s + 0.1 * Math.sin(t * " + (k % 7) + ");\n"
          : "      t = 0.8 * t + 0.2 * Math.cos(s) * s;\n");
    }
    s.append("    }\n    return s * t;\n");
    return s.toString();
  }

  @BeforeAll
  static void compile() {
    String src = "package p;\nimport dev.adjoint.Differentiable;\npublic class Big {\n"
        + method("straight", 1, straightLine(STATEMENTS))
        + method("reassign", 1, reassignments(REASSIGNMENTS))
        + method("deep", 2, nested(DEPTH))
        + method("looped", 1, loop(200))
        // Second order (Hessians, the tangent forms' adjoints) at the sizes issue 14 measured.
        + method("straight2", 2, straightLine(100))
        + method("reassign2", 2, reassignments(92))
        + "}\n";
    diff = InProcessCompiler.compile(src).load("p.BigDiff");
  }

  private static String method(String name, int order, String body) {
    return "  @Differentiable(order = " + order + ")\n  public static double " + name
        + "(double x, double y) {\n" + body + "  }\n";
  }

  @Test
  void hundredsOfStatements() {
    GradientAssert.check(diff, "straight", 0.3, -0.7);
  }

  @Test
  void hundredsOfReassignments() {
    GradientAssert.check(diff, "reassign", 0.3, -0.7);
  }

  @Test
  void nesting127Deep() {
    GradientAssert.check(diff, "deep", 0.3, -0.7);
  }

  @Test
  void longLoopBody() {
    GradientAssert.check(diff, "looped", 0.3, -0.7);
  }

  @Test
  void secondOrderOfAHundredStatements() {
    GradientAssert.check(diff, "straight2", 0.3, -0.7);
  }

  @Test
  void secondOrderOf92Reassignments() {
    GradientAssert.check(diff, "reassign2", 0.3, -0.7);
  }
}
