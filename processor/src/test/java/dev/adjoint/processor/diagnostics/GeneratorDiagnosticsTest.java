package dev.adjoint.processor.diagnostics;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * ADJ411: {@code java.util.Random} and {@code SplittableRandom} outside the accepted use (a
 * local created from a seed, used only by drawing where Java always evaluates the draw), each
 * at its exact position with advice that leads to code that compiles.
 */
class GeneratorDiagnosticsTest extends DiagnosticsTestSupport {

  private static JavaFileObject method(String parameters, String... statements) {
    String[] lines = new String[9 + statements.length];
    lines[0] = "package p;";
    lines[1] = "import dev.adjoint.Differentiable;";
    lines[2] = "import java.util.Random;";
    lines[3] = "import java.util.SplittableRandom;";
    lines[4] = "public class Foo {";
    lines[5] = "  @Differentiable";
    lines[6] = "  public static double m(" + parameters + ") {";
    System.arraycopy(statements, 0, lines, 7, statements.length);
    lines[7 + statements.length] = "  }";
    lines[8 + statements.length] = "}";
    return source(lines);
  }

  private void assertError(JavaFileObject src, int line, int column, String text) {
    Compilation c = compile(src);
    com.google.testing.compile.CompilationSubject.assertThat(c).failed();
    com.google.testing.compile.CompilationSubject.assertThat(c).hadErrorContaining(text)
        .inFile(src).onLine(line).atColumn(column);
  }

  @Test
  void adj411_generatorWithoutASeed() {
    assertError(method("double x", "    Random rng = new Random();",
            "    return x * rng.nextDouble();"), 8, 18,
        "[ADJ411] 'rng' is not created here from a seed: a java.util.Random or "
            + "SplittableRandom local is created in the method from a seed");
  }

  @Test
  void adj411_generatorPassedToAMethod() {
    assertError(method("double x, long seed", "    Random rng = new Random(seed);",
            "    return x * draw(rng);", "  }",
            "  static double draw(Random r) {", "    return r.nextDouble();"), 9, 21,
        "[ADJ411] using 'rng' as a value");
  }

  @Test
  void adj411_drawEvaluatedOnlySometimes() {
    assertError(method("double x, long seed", "    Random rng = new Random(seed);",
            "    return x > 0 ? x * rng.nextGaussian() : x;"), 9, 40,
        "[ADJ411] drawing 'rng.nextGaussian()'");
  }

  @Test
  void adj411_drawTheGeneratorDoesNotHave() {
    assertError(method("double x, long seed",
            "    SplittableRandom rng = new SplittableRandom(seed);",
            "    return x * rng.nextGaussian();"), 9, 32,
        "use one of these draws (compute other distributions from them, e.g. a normal by "
            + "Box-Muller from nextDouble())");
  }

  @Test
  void adj411_generatorReassigned() {
    assertError(method("double x, long seed", "    Random rng = new Random(seed);",
            "    rng = new Random(seed + 1);", "    return x * rng.nextDouble();"), 9, 5,
        "[ADJ411] assigning 'rng'");
  }

  @Test
  void adj411_generatorParameter() {
    assertError(method("double x, Random rng", "    return x * rng.nextDouble();"), 7, 43,
        "[ADJ411] parameter 'rng' is a java.util.Random: a java.util.Random or SplittableRandom "
            + "local is created in the method from a seed");
  }
}
