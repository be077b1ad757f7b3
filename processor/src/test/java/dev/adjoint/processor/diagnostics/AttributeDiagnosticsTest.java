package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of the attributes of {@code @Differentiable}: {@code wrt} naming no parameter or an
 * integer one (ADJ109, ADJ110), {@code retain} naming no floating-point local (ADJ112), and {@code
 * order} out of range or beyond what the method's inputs and result allow (ADJ117 to ADJ119).
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class AttributeDiagnosticsTest extends DiagnosticsTestSupport {

  @Test
  void adj109_wrtNamesNoParameter() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(wrt = {\"x\", \"z\"})",
            "  public static double m(double x, double y) {",
            "    return x * y;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ109] wrt names 'z', which is not a parameter of 'm'; its parameters are: x, y.")
        .inFile(src)
        .onLine(4)
        .atColumn(25);
  }

  @Test
  void adj110_wrtNamesIntegerParameter() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(wrt = \"n\")",
            "  public static double m(double x, int n) {",
            "    return x * n;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ110] wrt names parameter 'n' of type int, but only floating-point values have "
                + "derivatives")
        .inFile(src)
        .onLine(4)
        .atColumn(25);
  }

  @Test
  void adj112_retainNamesNoFloatingLocal() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(retain = \"k\")",
            "  public static double m(double x) {",
            "    int k = 2;",
            "    double t = x * k;",
            "    return t * t;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ112] retain names 'k', but 'm' has no local variable of that name declared "
                + "once with type double or float; retain one of: t.")
        .inFile(src)
        .onLine(4)
        .atColumn(3);
  }

  @Test
  void adj117_orderOutOfRange() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(order = 7)",
            "  public static double m(double x) {",
            "    return x * x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ117] order = 7: @Differentiable(order) must be between 1 and 6")
        .inFile(src)
        .onLine(4)
        .atColumn(27);
  }

  @Test
  void adj117_orderZero() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(order = 0)",
            "  public static double m(double x) {",
            "    return x * x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ117] order = 0").inFile(src).onLine(4).atColumn(27);
  }

  @Test
  void adj118_secondOrderOfAVectorFunction() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(order = 2)",
            "  public static double[] m(double x) {",
            "    double[] r = {x, x * x};",
            "    return r;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ118] order = 2 asks for second derivatives, which need a scalar result, but "
                + "'m' returns double[]")
        .inFile(src)
        .onLine(4)
        .atColumn(27);
  }

  @Test
  void adj119_thirdOrderWithTwoInputs() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(order = 3)",
            "  public static double m(double x, double y) {",
            "    return x * y;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ119] order = 3 asks for derivatives beyond the second, which Adjoint gives in "
                + "one variable only (mDerivatives), but 'm' differentiates 2 inputs (x, y): use "
                + "order = 2 for its Hessian, or name one double or float parameter in wrt.")
        .inFile(src)
        .onLine(4)
        .atColumn(27);
  }

  @Test
  void adj119_thirdOrderOfAnArray() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(order = 4)",
            "  public static double m(double[] v) {",
            "    return v[0] * v[1];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("differentiates the array (v)").inFile(src).onLine(4)
        .atColumn(27);
  }

  @Test
  void adj119_thirdOrderWithWrtNamingOneInputIsAccepted() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(order = 3, wrt = \"x\")",
            "  public static double m(double x, double y) {",
            "    return x * x * x * y;",
            "  }",
            "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }
}
