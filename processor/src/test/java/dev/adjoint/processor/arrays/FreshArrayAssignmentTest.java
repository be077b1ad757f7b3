package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.statements.Modes;
import dev.adjoint.processor.testing.InProcessCompiler;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A local array variable assigned a fresh array ({@code h = cell(w, x, h);}, {@code v = new
 * double[] {...};}, {@code u = Arrays.copyOf(...)}): the new array is copied into the variable's
 * array, whose length it must have. Checked in every mode by {@link Modes} against the oracle;
 * a new array that may differ in length, and an array parameter assigned, are rejected at the
 * variable with advice that compiles.
 */
class FreshArrayAssignmentTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;
      import java.util.Arrays;

      public class Fresh {
        private static double[] cell(double[][] w, double[] x, double[] h) {
          double[] next = new double[h.length];
          for (int i = 0; i < h.length; i++) {
            double s = x[i % x.length];
            for (int j = 0; j < h.length; j++) s += w[i][j] * h[j];
            next[i] = Math.tanh(s);
          }
          return next;
        }

        @Differentiable(order = 2)
        public static double recurrent(double[][] w, double[][] xs, double[] b) {
          double[] h = new double[b.length];
          for (double[] x : xs) {
            h = cell(w, x, h);
          }
          h = cell(w, b, h);
          double s = 0;
          for (int i = 0; i < h.length; i++) s += h[i] * b[i];
          return s;
        }

        @Differentiable(order = 2)
        public static double rotations(double[] x, double c, int steps) {
          double[] v = {x[0], x[1]};
          for (int t = 0; t < steps; t++) {
            v = new double[] {c * v[1] - v[0] * v[0], v[0] * Math.sin(v[1])};
          }
          return v[0] + 2 * v[1];
        }

        @Differentiable(order = 2)
        public static double copies(double[] x, double k, int steps) {
          int n = x.length;
          double[] u = Arrays.copyOf(x, n);
          for (int t = 0; t < steps; t++) {
            double[] next = new double[n];
            for (int i = 0; i < n; i++) next[i] = u[i] + k * u[(i + 1) % n] * u[i];
            next = next.clone();
            u = Arrays.copyOf(next, n);
          }
          return u[0] * u[n - 1];
        }
      }
      """;

  private static Modes modes;

  @BeforeAll
  static void compile() {
    modes = new Modes(InProcessCompiler.compile(SOURCE).load("p.FreshDiff"));
  }

  @Test
  void helperResultAssignedInAnEnhancedForOverRows() {
    double[][] w = {{0.3, -0.2}, {0.5, 0.1}};
    modes.check("recurrent", w, new double[][] {}, new double[] {0.05, -0.1});
    modes.check("recurrent", w, new double[][] {{0.8, -1.2}, {0.1, 0.5}, {-0.6, 0.3}},
        new double[] {0.05, -0.1});
  }

  @Test
  void initializerListReadingTheVariableItReplaces() {
    for (int steps : new int[] {0, 1, 4}) {
      modes.check("rotations", new double[] {0.3, -0.8}, 0.7, steps);
    }
  }

  @Test
  void copiesAssignedToTopLevelAndLoopLocals() {
    for (int steps : new int[] {0, 1, 3}) {
      modes.check("copies", new double[] {0.3, -0.8, 1.1}, 0.2, steps);
    }
  }

  private static Compilation compileLines(String... lines) {
    return Compiler.javac().withProcessors(new AdjointProcessor())
        .compile(JavaFileObjects.forSourceLines("p.Foo", lines));
  }

  @Test
  void aNewArrayOfAnotherLengthIsRejectedAtTheVariable() {
    Compilation c = compileLines(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  @Differentiable",
        "  public static double m(double[] x) {",
        "    double[] h = new double[2];",
        "    h = x.clone();",
        "    return h[0];",
        "  }",
        "}");
    CompilationSubject.assertThat(c).hadErrorCount(1);
    CompilationSubject.assertThat(c).hadErrorContaining("[ADJ201] assigning array variable 'h'"
        + " is not supported in a @Differentiable method: its new array may differ in length")
        .inFile(c.sourceFiles().get(0)).onLine(7).atColumn(5);
    // The advice: a new local for the result.
    Compilation fixed = compileLines(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  @Differentiable",
        "  public static double m(double[] x) {",
        "    double[] h = new double[2];",
        "    double[] h2 = x.clone();",
        "    return h2[0];",
        "  }",
        "}");
    CompilationSubject.assertThat(fixed).succeeded();
  }

  @Test
  void anArrayParameterAssignedIsRejectedWithAdviceThatCompiles() {
    Compilation c = compileLines(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  @Differentiable",
        "  public static double m(double[] x) {",
        "    x = x.clone();",
        "    return x[0];",
        "  }",
        "}");
    CompilationSubject.assertThat(c).hadErrorCount(1);
    CompilationSubject.assertThat(c).hadErrorContaining("[ADJ201] assigning array parameter 'x'"
        + " is not supported in a @Differentiable method: declare a local array for the new "
        + "value (double[] x2 = ...;)").inFile(c.sourceFiles().get(0)).onLine(6).atColumn(5);
    Compilation fixed = compileLines(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  @Differentiable",
        "  public static double m(double[] x) {",
        "    double[] x2 = x.clone();",
        "    return x2[0];",
        "  }",
        "}");
    CompilationSubject.assertThat(fixed).succeeded();
    assertThat(fixed.errors()).isEmpty();
  }
}
