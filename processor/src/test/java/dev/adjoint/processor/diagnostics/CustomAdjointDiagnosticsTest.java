package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of {@code @CustomAdjoint} (ADJ113 to ADJ116, ADJ120): naming no {@code
 * @Differentiable} method, the wrong shape, combined with {@code retain} or {@code order}, and two
 * custom adjoints for one method.
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class CustomAdjointDiagnosticsTest extends DiagnosticsTestSupport {

  @Test
  void adj113_customAdjointNamesNoDifferentiableMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.CustomAdjoint;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * x;",
            "  }",
            "  @CustomAdjoint(\"n\")",
            "  static double mine(double x, double seed, double[] adjoints) {",
            "    adjoints[0] += seed * 2 * x;",
            "    return x * x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ113] @CustomAdjoint names 'n', but this class has no @Differentiable method of "
                + "that name")
        .inFile(src)
        .onLine(10)
        .atColumn(17);
  }

  @Test
  void adj114_customAdjointWithWrongShape() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.CustomAdjoint;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * x;",
            "  }",
            "  @CustomAdjoint(\"m\")",
            "  static double mine(double x, double seed) {",
            "    return x * x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ114] @CustomAdjoint method 'mine' must have the shape of the generated adjoint: "
                + "static (not private) double mine(double, double, double[])")
        .inFile(src)
        .onLine(10)
        .atColumn(17);
  }

  @Test
  void adj115_customAdjointWithRetain() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.CustomAdjoint;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(retain = \"t\")",
            "  public static double m(double x) {",
            "    double t = x * x;",
            "    return t;",
            "  }",
            "  @CustomAdjoint(\"m\")",
            "  static double mine(double x, double seed, double[] adjoints) {",
            "    adjoints[0] += seed * 2 * x;",
            "    return x * x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ115] 'm' has a @CustomAdjoint, so its body is not differentiated and retain "
                + "cannot apply")
        .inFile(src)
        .onLine(6)
        .atColumn(24);
  }

  @Test
  void adj116_twoCustomAdjointsForOneMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.CustomAdjoint;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * x;",
            "  }",
            "  @CustomAdjoint(\"m\")",
            "  static double mine(double x, double seed, double[] adjoints) {",
            "    adjoints[0] += seed * 2 * x;",
            "    return x * x;",
            "  }",
            "  @CustomAdjoint(\"m\")",
            "  static double other(double x, double seed, double[] adjoints) {",
            "    adjoints[0] += seed * 2 * x;",
            "    return x * x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ116] 'm' has more than one @CustomAdjoint (mine, other): keep one.")
        .inFile(src)
        .onLine(15)
        .atColumn(17);
  }

  @Test
  void adj120_customAdjointWithOrder() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.CustomAdjoint;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(order = 2)",
            "  public static double m(double x) {",
            "    return x * x;",
            "  }",
            "  @CustomAdjoint(\"m\")",
            "  static double mine(double x, double seed, double[] adjoints) {",
            "    adjoints[0] += seed * 2 * x;",
            "    return x * x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ120] 'm' has a @CustomAdjoint, which gives first derivatives only, so it "
                + "cannot have order = 2")
        .inFile(src)
        .onLine(6)
        .atColumn(24);
  }
}
