package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The restrictions on arrays in a {@code @Differentiable} method, by diagnostic id, text and line:
 * array parameters are read-only (ADJ216), arrays are declared at the top level and never aliased
 * (ADJ200) or replaced (ADJ201), and arrays are not passed to methods that are not
 * {@code @Differentiable} (ADJ217); the same shapes written as supported compile without warnings.
 */
class ArrayRestrictionsTest {

  // ---------------------------------------------------------------------------------------------
  // Diagnostics
  // ---------------------------------------------------------------------------------------------

  /** The source of the latest {@link #compileLines} call. */
  private JavaFileObject source;

  private Compilation compileLines(String... lines) {
    source = JavaFileObjects.forSourceLines("p.Foo", lines);
    Compilation c = Compiler.javac().withProcessors(new AdjointProcessor()).compile(source);
    for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
      assertWithMessage("a diagnostic of %s", c)
          .that(d.getMessage(Locale.ROOT))
          .doesNotContain("ADJ002");
    }
    return c;
  }

  /** The only error, asserted to carry the id, the text and the line. */
  private void assertSingleError(Compilation c, String id, String text, int line) {
    CompilationSubject.assertThat(c).failed();
    CompilationSubject.assertThat(c).hadErrorCount(1);
    CompilationSubject.assertThat(c).hadErrorContaining("[" + id + "]").inFile(source).onLine(line);
    CompilationSubject.assertThat(c).hadErrorContaining(text).inFile(source).onLine(line);
  }

  @Test
  void writingAParameterArrayElementIsADJ216() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[][] x) {",
            "    double s = 0;",
            "    for (int i = 0; i < x.length; i++) {",
            "      x[i][0] = x[i][0] * 2;",
            "      s += x[i][0];",
            "    }",
            "    return s;",
            "  }",
            "}");
    assertSingleError(c, "ADJ216", "writes an element of parameter 'x'", 8);
    CompilationSubject.assertThat(c).hadErrorContaining("copy it into a matrix of your own "
        + "(double[][] work = new double[x.length][x[0].length]; then a loop copying the "
        + "elements) and write the copy.").inFile(source).onLine(8);
  }

  @Test
  void compoundWriteAndIncrementOfAParameterArrayElementAreADJ216() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[][] w, double y) {",
            "    w[0][1] += y;",
            "    return w[0][1];",
            "  }",
            "}");
    CompilationSubject.assertThat(c).failed();
    CompilationSubject.assertThat(c)
        .hadErrorContaining("[ADJ216] writes an element of parameter 'w'")
        .inFile(source)
        .onLine(6);
  }

  @Test
  void arrayInsideALoopWhoseLengthChangesIsADJ200() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] x) {",
            "    double s = 0;",
            "    for (int i = 0; i < x.length; i++) {",
            "      double[] t = new double[i + 1];",
            "      t[0] = x[i];",
            "      s += t[0];",
            "    }",
            "    return s;",
            "  }",
            "}");
    assertSingleError(c, "ADJ200", "creating array 't' inside a block or loop with a length "
        + "that reads 'i', which changes", 8);
    CompilationSubject.assertThat(c).hadErrorContaining("computable at the top of the method")
        .inFile(source).onLine(8);
  }

  @Test
  void aliasingAnArrayIsADJ200() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] a) {",
            "    double[] b = a;",
            "    return b[0];",
            "  }",
            "}");
    assertSingleError(c, "ADJ200", "making 'b' a second name for the array 'a'", 6);
    CompilationSubject.assertThat(c).hadErrorContaining("copy it with a.clone()").inFile(source)
        .onLine(6);
  }

  @Test
  void reassigningAnArrayVariableIsADJ201() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] a) {",
            "    double[] b = new double[2];",
            "    b = a;",
            "    return b[0];",
            "  }",
            "}");
    // Reported as an unsupported expression (the target 'b'), unlike 'double[] b = a;' (ADJ200).
    assertSingleError(c, "ADJ201", "assigning array variable 'b'", 7);
    CompilationSubject.assertThat(c)
        .hadErrorContaining("an array variable keeps the array it is declared with")
        .inFile(source)
        .onLine(7);
  }

  @Test
  void passingAnArrayToAPlainMethodIsADJ217() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double plain(double[] a) {",
            "    return a[0];",
            "  } static double plain(float[] a) { return a[0]; }",
            "  @Differentiable",
            "  public static double m(double[] x) {",
            "    double y = plain(x);",
            "    return y * x[1];",
            "  }",
            "}");
    assertSingleError(c, "ADJ217", "passes array 'x' to Foo.plain", 9);
    CompilationSubject.assertThat(c)
        .hadErrorContaining("which Adjoint cannot differentiate")
        .inFile(source)
        .onLine(9)
        .atColumn(22);
  }

  @Test
  void passingALocalArrayToAPlainMethodIsADJ217() {
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double plain(double[] a) {",
            "    return a[0];",
            "  } static double plain(float[] a) { return a[0]; }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    double[] t = {x, 2 * x};",
            "    return plain(t);",
            "  }",
            "}");
    assertSingleError(c, "ADJ217", "passes array 't' to Foo.plain", 10);
  }

  @Test
  void passingAnIntArrayToAPlainMethodIsADJ217() {
    // An int[] carries no derivative, but the callee could still write it.
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static int first(int[] a) {",
            "    return a[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double x, int[] idx) {",
            "    int k = first(idx);",
            "    return x * k;",
            "  }",
            "}");
    assertSingleError(c, "ADJ217", "passes array 'idx'", 9);
  }

  @Test
  void arrayDiagnosticsLeaveTheSupportedMethodsAlone() {
    // Control: the same shapes, written as supported, compile without warnings.
    Compilation c =
        compileLines(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] x) {",
            "    double[] t = new double[x.length];",
            "    double s = 0;",
            "    for (int i = 0; i < x.length; i++) {",
            "      t[i] = x[i] * 2;",
            "      s += t[i];",
            "    }",
            "    return s + h(t);",
            "  }",
            "  @Differentiable",
            "  static double h(double[] a) {",
            "    return a.length == 0 ? 0 : a[0];",
            "  }",
            "}");
    CompilationSubject.assertThat(c).succeededWithoutWarnings();
  }
}
