package dev.adjoint.processor.arrays;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.statements.Modes;
import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.Test;

/**
 * A {@code private static final double[][]} table with an initializer list (quadrature nodes
 * and weights, ragged rows too) is copied into the generated class row by row, read by index,
 * by {@code length} and by an enhanced for over its rows, in every mode against the oracle; a
 * private matrix whose elements the class writes stays ADJ215.
 */
class PrivateMatrixTableTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Quad {
        private static final double[][] RULE = {
          {0.0, 0.5688888888888889},
          {-0.5384693101056831, 0.4786286704993665},
          {0.5384693101056831, 0.4786286704993665},
          {-0.9061798459386640, 0.2369268850561891},
          {0.9061798459386640, 0.2369268850561891}
        };
        private static final double[][] RAGGED = {{1}, {2, 3.5}, {}};
        private static final double SCALE = Math.sqrt(2);

        @Differentiable(order = 2)
        public static double integral(double a, double b, double k) {
          double half = 0.5 * (b - a), mid = 0.5 * (a + b);
          double sum = 0;
          for (double[] nw : RULE) {
            double x = mid + half * nw[0];
            sum += nw[1] * Math.sin(k * x) * Math.exp(-x);
          }
          for (int i = 0; i < RULE.length; i++) {
            sum += RULE[i][RULE[i].length - 1] * k * k * RAGGED[1][i % 2] / SCALE;
          }
          return half * sum + RAGGED[2].length;
        }
      }
      """;

  @Test
  void copiedRowByRowAndDifferentiatedInEveryMode() {
    Modes modes = new Modes(InProcessCompiler.compile(SOURCE).load("p.QuadDiff"));
    modes.check("integral", 0.2, 1.7, 2.3);
    modes.check("integral", -0.5, 0.4, -1.1);
  }

  @Test
  void aPrivateMatrixTheClassWritesIsStillADJ215() {
    Compilation c = Compiler.javac().withProcessors(new AdjointProcessor()).compile(
        JavaFileObjects.forSourceLines("p.Foo",
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  private static final double[][] W = {{1, 2}, {3, 4}};",
            "  static { W[1][0] = 5; }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * W[1][0];",
            "  }",
            "}"));
    CompilationSubject.assertThat(c).hadErrorCount(1);
    CompilationSubject.assertThat(c).hadErrorContaining("[ADJ215] field 'W' is private")
        .inFile(c.sourceFiles().get(0)).onLine(8).atColumn(16);
  }
}
