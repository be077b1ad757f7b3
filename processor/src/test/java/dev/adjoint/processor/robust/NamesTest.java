package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Every legal Java name works: names with {@code $} and {@code _}, unicode, names that differ
 * only in case, names of {@code java.lang} classes and of the generated code's own members.
 * Each program is compiled with every entry point family (order 2) and its gradient checked
 * against the oracle.
 */
class NamesTest {
  private static Class<?> compile(String cls, String body) {
    String src = "package p;\nimport dev.adjoint.Differentiable;\npublic class " + cls + " {\n"
        + body + "\n}\n";
    return InProcessCompiler.compile(src).load("p." + cls + "Diff");
  }

  @Test
  void dollarsAndUnderscores() {
    Class<?> d = compile("Dollar", """
          @Differentiable(order = 2)
          public static double f(double $x, double a$b, double _y) {
            double $ = $x * a$b;
            double b$$ = Math.sin($) + _y * $x;
            double __ = b$$ * b$$;
            return __ + $;
          }
        """);
    GradientAssert.check(d, "f", 0.7, -1.3, 0.4);
  }

  @Test
  void unicode() {
    Class<?> d = compile("Uni", """
          @Differentiable(order = 2)
          public static double f(double λ, double größe) {
            double é = λ * größe;
            return Math.exp(é) + λ;
          }
        """);
    GradientAssert.check(d, "f", 0.7, -1.3);
  }

  @Test
  void methodsDifferingInCase() {
    Class<?> d = compile("Cased", """
          @Differentiable(order = 2)
          public static double f(double x) {
            return x * x;
          }
          @Differentiable(order = 2)
          public static double F(double x) {
            return Math.exp(x) * x;
          }
        """);
    GradientAssert.check(d, "f", 0.7);
    GradientAssert.check(d, "F", 0.7);
  }

  @Test
  void parametersDifferingInCase() {
    Class<?> d = compile("CasedParams", """
          @Differentiable(order = 2)
          public static double f(double x, double X, double xBar) {
            return x * X + Math.sin(X) * xBar;
          }
        """);
    GradientAssert.check(d, "f", 0.7, 1.1, -0.4);
  }

  @Test
  void retainedLocalDifferingInCaseFromParameter() throws Exception {
    Class<?> d = compile("CasedRetain", """
          @Differentiable(retain = "y")
          public static double f(double x, double Y) {
            double y = x * Y;
            return y * y + Y;
          }
        """);
    // Components dX, dY (the parameter), dY2 (the retained local); by hand: y = xY,
    // f = y^2 + Y, so df/dx = 2yY, df/dY = 2yx + 1, df/dy = 2y.
    Object g = d.getMethod("fGrad", double.class, double.class).invoke(null, 0.7, 1.1);
    double y = 0.7 * 1.1;
    assertThat((double) g.getClass().getMethod("dX").invoke(g)).isWithin(1e-12).of(2 * y * 1.1);
    assertThat((double) g.getClass().getMethod("dY").invoke(g))
        .isWithin(1e-12).of(2 * y * 0.7 + 1);
    assertThat((double) g.getClass().getMethod("dY2").invoke(g)).isWithin(1e-12).of(2 * y);
  }

  @Test
  void javaLangClassNames() {
    Class<?> d = compile("Lang", """
          @Differentiable(order = 2)
          public static double f(double Math, double Objects, double Double, double System,
              double Arrays, double java, double dev, double p) {
            double Tape = Math * Objects;
            double Shapes = Tape + Double * System + java * dev;
            for (int Integer = 0; Integer < 3; Integer++) {
              Shapes += Arrays * Tape * p;
            }
            return Shapes;
          }
          @Differentiable(order = 2)
          public static double g(double x, double String) {
            double IllegalArgumentException = StrictMath.sin(x) * String;
            return IllegalArgumentException + java.lang.Math.exp(String);
          }
        """);
    GradientAssert.check(d, "f", 0.7, 1.1, -0.4, 0.3, 0.5, -0.25, 1.5, 0.2);
    GradientAssert.check(d, "g", 0.7, 1.1);
  }

  /**
   * Names the deep-stack fallback uses (the runtime class it calls, the error it catches, its
   * flag and caught error) as parameters and locals of a method that calls a differentiable
   * method, whose {@code mGrad}, {@code mJvp}, {@code mHvp} and {@code mHessian} have the
   * fallback.
   */
  @Test
  void deepStackFallbackNames() {
    Class<?> d = compile("Deep", """
          @Differentiable(order = 2)
          public static double t(double x, int n) {
            return n == 0 ? x : Math.sin(t(x, n - 1)) + 0.5 * x;
          }
          @Differentiable(order = 2)
          public static double f(double DeepStack, double StackOverflowError, double outermost,
              double overflow, int n) {
            double OutOfMemoryError = DeepStack * StackOverflowError;
            double DeepStack2 = t(OutOfMemoryError + outermost, n);
            return DeepStack2 * overflow + t(DeepStack, n);
          }
        """);
    GradientAssert.check(d, "f", 0.7, 1.1, -0.4, 0.3, 3);
  }

  @Test
  void runtimeClassNamesOfSeededGenerators() {
    Class<?> d = compile("Draws", """
          @Differentiable(order = 2)
          public static double f(double RandomDraws, double Tape, long seed) {
            java.util.Random rng = new java.util.Random(seed);
            double Shapes = RandomDraws * rng.nextGaussian();
            return Shapes * Tape + Math.sin(RandomDraws * rng.nextDouble());
          }
        """);
    GradientAssert.check(d, "f", 0.7, 1.1, 42L);
  }

  @Test
  void generatedMemberNames() {
    Class<?> d = compile("Members", """
          @Differentiable(order = 2)
          public static double f(double valueAndTangent, double tape, double seed,
              double adjoints, double value, double result) {
            double tangents = valueAndTangent * tape + seed;
            double pullback = tangents * value;
            double valueBar = pullback * result + adjoints * adjoints;
            double scratch = Math.exp(valueBar);
            return scratch + tangents;
          }
          @Differentiable(order = 2)
          public static double g(double x, double xDot, double xBar, double xAdjoint, double t,
              double i, double direction, double directions, double output) {
            double t2 = x * xDot + xBar * xAdjoint;
            double g = t2 * t + i * direction + directions * output;
            return f(g, x, t, xDot, i, output);
          }
        """);
    GradientAssert.check(d, "f", 0.7, 1.1, -0.4, 0.5, 0.3, 0.9);
    GradientAssert.check(d, "g", 0.7, 1.1, -0.4, 0.3, 0.2, 0.1, -0.6, 0.8, 0.45);
  }

  @Test
  void localNamedLikeThePackageOfATable() {
    String tables = """
        package q;
        public class Tables {
          public static final double[] POWERS = {1.0, 2.0, 4.0};
        }
        """;
    String user = """
        package p;
        import dev.adjoint.Differentiable;
        import q.Tables;
        public class Pk {
          @Differentiable(order = 2)
          public static double f(double x, double q) {
            double p = x * Tables.POWERS[1];
            return p * q + Tables.POWERS[2];
          }
        }
        """;
    Class<?> d = InProcessCompiler.compile(tables, user).load("p.PkDiff");
    GradientAssert.check(d, "f", 0.7, 1.1);
  }

  @Test
  void localNamedLikeTheOwnPackage() {
    String tables = """
        package p.sub;
        public class Tables {
          public static final double[] POWERS = {1.0, 2.0, 4.0};
        }
        """;
    String same = """
        package p;
        public class Tables {
          public static final double[] POWERS = {1.0, 3.0, 9.0};
        }
        """;
    String user = """
        package p;
        import dev.adjoint.Differentiable;
        public class Own {
          @Differentiable(order = 2)
          public static double f(double x, double y) {
            double s = 0.0;
            for (int k = 0; k < 3; k++) {
              double a = x * p.sub.Tables.POWERS[k] + Math.sin(y);
              double p = a * Tables.POWERS[k];
              double Tables = p * y;
              s += p * Tables;
            }
            return s;
          }
        }
        """;
    Class<?> d = InProcessCompiler.compile(tables, same, user).load("p.OwnDiff");
    GradientAssert.check(d, "f", 0.7, 1.1);
  }

  /**
   * Java 22's unnamed variable {@code _}: the reverse sweep reads the value the source
   * discards, so the generated code names it. Runs where the JDK running the tests accepts
   * {@code _} (the JDK 25 pass of {@code .ci/run}).
   */
  @Test
  @EnabledForJreRange(min = JRE.JAVA_22)
  void unnamedVariable() {
    Class<?> d = compile("Unnamed", """
          @Differentiable(order = 2)
          public static double f(double x, double y) {
            double s = x * y;
            double _ = Math.sin(s);
            for (int k = 0; k < 2; k++) {
              double _ = s * k;
              s = s * 0.5 + x;
            }
            return s * s;
          }
        """);
    GradientAssert.check(d, "f", 0.7, 1.1);
  }
}
