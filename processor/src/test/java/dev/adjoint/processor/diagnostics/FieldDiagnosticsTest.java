package dev.adjoint.processor.diagnostics;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of fields and constants: writing a field (ADJ202), reading a mutable field (ADJ203),
 * a private field the generated class cannot read (ADJ215), a constant that is not a number
 * (ADJ201); and the constants that are accepted (private compile-time constants, constants of
 * nested classes).
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class FieldDiagnosticsTest extends DiagnosticsTestSupport {

  @Test
  void adj201_nonPrimitiveConstant() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static final String NAME = \"a\";",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return NAME == null ? 0 : x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] reading field 'NAME' of type java.lang.String is not supported")
        .inFile(src)
        .onLine(7)
        .atColumn(12);
  }

  @Test
  void adj202_fieldWrite() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double last;",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    last = x;",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ202] assigns to field 'last'; a @Differentiable method may not write fields")
        .inFile(src)
        .onLine(7)
        .atColumn(5);
  }

  @Test
  void adj202_qualifiedFieldWrite() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double last;",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    Foo.last += x;",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ202] assigns to field 'Foo.last'")
        .inFile(src)
        .onLine(7)
        .atColumn(8);
  }

  @Test
  void adj203_mutableFieldRead() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double scale = 2;",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * scale;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ203] reads field 'scale', which is not static final")
        .inFile(src)
        .onLine(7)
        .atColumn(16);
  }

  @Test
  void adj206_notReportedForConstantsOfNestedClasses() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static class Inner {",
            "    static final double K = 2.5;",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * Inner.K + x * Foo.Inner.K;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c)).contains("Foo.Inner.K");
  }

  @Test
  void privateComputedConstantIsCopied() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  private static final double ROOT2 = Math.sqrt(2);",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * ROOT2;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c)).contains("private static final double ROOT2 = Math.sqrt(2);");
  }

  @Test
  void adj215_privateTableFilledAtInitialisation() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  private static final double[] T = new double[2];",
            "  static { T[0] = 1; }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * T[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ215] field 'T' is private and the generated class FooDiff must use it, but it "
                + "cannot be copied there either (only a scalar or a table with an "
                + "initializer list built from constants, whose elements the class never writes, "
                + "can be): make it package-private (or public).")
        .inFile(src)
        .onLine(8)
        .atColumn(16);
  }

  @Test
  void adj215_notReportedForPrivateCompileTimeConstant() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  private static final double TWO = 2;",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * TWO;",
            "  }",
            "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }
}
