package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of calls: to a method Adjoint cannot differentiate (ADJ204, and where it is not
 * reported), that cannot be resolved (ADJ209), to a Math function without a derivative rule
 * (ADJ210), whose result is discarded (ADJ212), to a Math function with an integer result (ADJ214),
 * to a private method (ADJ215), outside the callee's {@code wrt} (ADJ218), and to a callee of lower
 * order (ADJ221).
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class CallDiagnosticsTest extends DiagnosticsTestSupport {

  @Test
  void adj204_callOfNonDifferentiableMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(double v) {",
            "    return v * v;",
            "  } static double helper(int v) { return v; }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return helper(x);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ204] calls Foo.helper with an argument that depends on a differentiable "
                + "parameter, but Adjoint cannot differentiate that method")
        .inFile(src)
        .onLine(9)
        .atColumn(18);
  }

  @Test
  void adj204_libraryMethodWithoutSource() {
    JavaFileObject src = body("    return Double.sum(x, 1.0) * x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ204] calls Double.sum with an argument that depends on a "
            + "differentiable parameter, but Adjoint cannot differentiate that method: its "
            + "source is not part of this compilation (a library method), or it is overloaded "
            + "or declared in a nested class.")
        .inFile(src)
        .onLine(BODY)
        .atColumn(22);
  }

  @Test
  void adj204_notReportedForConstantArguments() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(double v) {",
            "    return v * v;",
            "  } static double helper(int v) { return v; }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * helper(3.0);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void adj204_notReportedForABooleanResultInACondition() {
    JavaFileObject src =
        body(
            "    if (Double.isNaN(x)) {",
            "      return 0;",
            "    }",
            "    return x * x;");
    assertThat(compile(src)).succeededWithoutWarnings();
  }

  @Test
  void adj204_notReportedForAnIntegerResult() {
    JavaFileObject src =
        body(
            "    int c = Double.compare(x, 1.0);",
            "    return x * c;");
    assertThat(compile(src)).succeededWithoutWarnings();
  }

  @Test
  void adj204_notReportedWhereTheValueCannotReachTheResult() {
    // An unused local, a condition and an array index: no derivative is lost there.
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(double v) {",
            "    return v * v;",
            "  } static double helper(int v) { return v; }",
            "  @Differentiable",
            "  public static double m(double x, double[] a) {",
            "    double unused = helper(x);",
            "    double y = 0;",
            "    if (helper(x) > 1) {",
            "      y = x;",
            "    }",
            "    return x * y + a[(int) helper(x) % a.length];",
            "  }",
            "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }

  @Test
  void adj204_stillReportedThroughALocal() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(double v) {",
            "    return v * v;",
            "  } static double helper(int v) { return v; }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    double t = helper(x);",
            "    return t + x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ204] calls Foo.helper with an argument that depends on a "
            + "differentiable parameter")
        .inFile(src)
        .onLine(9)
        .atColumn(22);
  }

  @Test
  void adj209_unknownMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(Double v) {",
            "    return v;",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return helper(x);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ209] cannot resolve method helper with arguments (double)")
        .inFile(src)
        .onLine(9)
        .atColumn(18);
  }

  @Test
  void adj210_mathFunctionWithoutDerivativeRule() {
    JavaFileObject src = body("    return Math.ulp(x);");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ210] Math.ulp has no derivative rule in Adjoint")
        .inFile(src)
        .onLine(BODY)
        .atColumn(20);
  }

  @Test
  void adj210_namesStrictMath() {
    JavaFileObject src = body("    return StrictMath.ulp(x);");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ210] StrictMath.ulp has no derivative rule in Adjoint")
        .inFile(src)
        .onLine(BODY)
        .atColumn(26);
  }

  @Test
  void adj212_discardedCallResult() {
    JavaFileObject src =
        body(
            "    Math.sin(x);",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ212] this call's result is discarded (or it has none)")
        .inFile(src)
        .onLine(BODY)
        .atColumn(13);
  }

  @Test
  void adj212_plainVoidMethodAsAStatement() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static void log(double v) {",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    log(x);",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ212] this call's result is discarded (or it has none)")
        .inFile(src)
        .onLine(8)
        .atColumn(8);
  }

  @Test
  void adj214_integerResultOfMathCall_isAWarning() {
    JavaFileObject src =
        body(
            "    long r = Math.round(x);",
            "    return x + r;");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c)
        .hadWarningContaining(
            "[ADJ214] Math.round returns an integer, which cuts the derivative of its argument")
        .inFile(src)
        .onLine(BODY)
        .atColumn(24);
  }

  @Test
  void adj218_activeArgumentOutsideCalleeWrt() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(wrt = \"a\")",
            "  static double h(double a, double b) {",
            "    return a * b;",
            "  }",
            "  @Differentiable",
            "  public static double m(double x, double y) {",
            "    return h(x, y);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ218] passes a value that depends on a differentiable parameter as 'b' of Foo.h, "
                + "but h is not differentiated with respect to 'b'")
        .inFile(src)
        .onLine(10)
        .atColumn(13);
  }

  @Test
  void adj218_activeScalarPassedToAVoidHelperOutsideItsWrt() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable(wrt = \"a\")",
            "  public static void scale(double[] a, double c) {",
            "    a[0] = a[0] * c;",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    double[] w = {1.0};",
            "    scale(w, x);",
            "    return w[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ218] passes a value that depends on a differentiable parameter as 'c' of "
                + "Foo.scale, but scale is not differentiated with respect to 'c'")
        .inFile(src)
        .onLine(11)
        .atColumn(10);
  }

  @Test
  void adj215_privateOverloadedMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  private static double helper(double v) {",
            "    return v * v;",
            "  } private static double helper(int v) { return v; }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * helper(2.0);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ215] method 'helper' is private and the generated class FooDiff must use it, "
                + "but it cannot be copied there either (it is overloaded or declared in a "
                + "nested class, or its source is not part of this compilation): make it "
                + "package-private (or public).")
        .inFile(src)
        .onLine(9)
        .atColumn(22);
  }

  @Test
  void privateHelperIsDifferentiatedWhereItIsCalled() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  private static double helper(double v) {",
            "    return v * v;",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * helper(2.0) + helper(x);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
  }

  @Test
  void adj222_helperBodyOutsideTheSubset() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(double v) {",
            "    String s = \"v\";",
            "    return v * s.length();",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * helper(x);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ222] calls Foo.helper, which is not @Differentiable, so Adjoint differentiates "
                + "(or copies) its body where it is called; its body is outside the supported "
                + "subset (see Foo.java:5, reported there)")
        .inFile(src)
        .onLine(10)
        .atColumn(22);
    assertThat(c)
        .hadErrorContaining("[ADJ201] a string is not supported")
        .inFile(src)
        .onLine(5)
        .atColumn(16);
    assertThat(c)
        .hadErrorContaining("(in Foo.helper, differentiated for its call in Foo.m, line 10)");
  }

  @Test
  void adj222_notReportedForConstantArguments() {
    // The body is only read for a caller that needs its derivative (or a copy of it).
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(double v) {",
            "    String s = \"v\";",
            "    return v * s.length();",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * helper(2.0);",
            "  }",
            "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }

  @Test
  void adj222_notReportedWhereTheDerivativeCannotReachTheResult() {
    // A condition and an index: the call stays a plain call, in every mode.
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(double v) {",
            "    String s = \"v\";",
            "    return v * s.length();",
            "  }",
            "  @Differentiable(order = 2)",
            "  public static double m(double x, double[] a) {",
            "    double y = 0;",
            "    if (helper(x) > 1) {",
            "      y = x;",
            "    }",
            "    return x * y + a[(int) helper(x) % a.length];",
            "  }",
            "}");
    assertThat(compile(src)).succeeded();
  }

  @Test
  void adj222_privateHelperIsCopiedSoItsBodyMustBeRead() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  private static double helper(double v) {",
            "    String s = \"v\";",
            "    return v * s.length();",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x * helper(2.0);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[ADJ222] calls Foo.helper").inFile(src).onLine(10)
        .atColumn(22);
  }

  @Test
  void adj214_namesStrictMath() {
    JavaFileObject src = body("    return StrictMath.round(x) + x;");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c)
        .hadWarningContaining("[ADJ214] StrictMath.round returns an integer")
        .inFile(src)
        .onLine(BODY)
        .atColumn(28);
  }

  @Test
  void adj221_calleeOfLowerOrder() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  static double sq(double x) {",
            "    return x * x;",
            "  }",
            "  @Differentiable(order = 2)",
            "  public static double m(double x) {",
            "    return Math.sin(sq(x));",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ221] calls Foo.sq, whose @Differentiable order is 1, from a method of order 2: "
                + "its derivatives of order 2 are needed too: annotate Foo.sq with "
                + "@Differentiable(order = 2).")
        .inFile(src)
        .onLine(10)
        .atColumn(23);
  }
}
