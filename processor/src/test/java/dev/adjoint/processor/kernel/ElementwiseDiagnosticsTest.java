package dev.adjoint.processor.kernel;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One test per kernel diagnostic (ADJ300 to ADJ309): the id, a distinctive part of the text,
 * and the line and column. Kept apart from {@code DiagnosticsTest}, with the same conventions.
 */
class ElementwiseDiagnosticsTest {
  private Compilation last;

  private Compilation compile(JavaFileObject source) {
    last = Compiler.javac().withProcessors(new AdjointProcessor()).compile(source);
    return last;
  }

  /** Line N of {@code p.Foo} is argument N; imports Differentiable, Elementwise, CustomAdjoint. */
  private static JavaFileObject source(String... lines) {
    String[] all = new String[lines.length + 4];
    all[0] = "package p;";
    all[1] = "import dev.adjoint.Differentiable;";
    all[2] = "import dev.adjoint.Elementwise;";
    all[3] = "import dev.adjoint.CustomAdjoint;";
    System.arraycopy(lines, 0, all, 4, lines.length);
    return JavaFileObjects.forSourceLines("p.Foo", all);
  }

  @AfterEach
  void processorNeverCrashed() {
    if (last != null) {
      for (Diagnostic<? extends JavaFileObject> d : last.diagnostics()) {
        assertThat(d.getMessage(null)).doesNotContain("[ADJ002]");
      }
    }
  }

  @Test
  void adj300_elementwiseWithoutDifferentiable() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Elementwise",
        "  public static double m(double x) { return x; }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[ADJ300] @Elementwise method 'm' is not @Differentiable")
        .inFile(src).onLine(6).atColumn(3);
  }

  @Test
  void adj301_integerParameter() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable @Elementwise",
        "  public static double m(double x, int n) { return x * n; }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[ADJ301] parameter 'n' of @Elementwise method 'm' has "
        + "type int").inFile(src).onLine(7).atColumn(40);
  }

  @Test
  void adj302_arrayResult() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable @Elementwise",
        "  public static double[] m(double x) { double[] r = {x}; return r; }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[ADJ302] @Elementwise method 'm' returns double[]")
        .inFile(src).onLine(7).atColumn(26);
  }

  @Test
  void adj310_throw() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable @Elementwise",
        "  public static double m(double x) {",
        "    if (x < 0) throw new IllegalArgumentException();",
        "    return x * x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[ADJ310] @Elementwise method 'm' throws an exception, "
        + "which a GPU kernel cannot")
        .inFile(src).onLine(8).atColumn(16);
  }

  @Test
  void adj303_loop() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable @Elementwise",
        "  public static double m(double x) {",
        "    double s = 0;",
        "    for (int i = 0; i < 3; i++) { s += x; }",
        "    return s;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[ADJ303] @Elementwise method 'm' contains a loop")
        .inFile(src).onLine(9).atColumn(5);
  }

  @Test
  void adj304_localArray() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable @Elementwise",
        "  public static double m(double x) {",
        "    double[] pair = {x, 2 * x};",
        "    return pair[0] * pair[1];",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[ADJ304] @Elementwise method 'm' uses an array (local "
        + "'pair' of type double[])").inFile(src).onLine(8).atColumn(14);
  }

  @Test
  void adj305_callOfAMethodThatIsNotAKernel() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable",
        "  public static double sq(double x) { return x * x; }",
        "  @Differentiable @Elementwise",
        "  public static double m(double x) {",
        "    return sq(x) + 1;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[ADJ305] @Elementwise method 'm' calls Foo.sq, which is "
        + "not a valid @Elementwise method").inFile(src).onLine(10).atColumn(14);
  }

  @Test
  void adj305_reportedOnceForACalleeThatFailed() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable @Elementwise",
        "  public static double sq(double x, int n) { return x * n; }",
        "  @Differentiable @Elementwise",
        "  public static double m(double x) {",
        "    return sq(x, 2) + 1;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(2);
    assertThat(c).hadErrorContaining("[ADJ301] parameter 'n'").inFile(src).onLine(7);
    assertThat(c).hadErrorContaining("[ADJ305] @Elementwise method 'm' calls Foo.sq")
        .inFile(src).onLine(10);
  }

  @Test
  void adj306_fieldThatIsNotAConstant() {
    JavaFileObject src = source(
        "public class Foo {",
        "  static final double SCALE = Math.sqrt(2);",
        "  @Differentiable @Elementwise",
        "  public static double m(double x) {",
        "    double y = x * SCALE;",
        "    return y;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[ADJ306] @Elementwise method 'm' reads field p.Foo.SCALE, "
        + "which is not a compile-time constant").inFile(src).onLine(9).atColumn(12);
  }

  @Test
  void adj307_customAdjoint() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable @Elementwise",
        "  public static double m(double x) { return x * x; }",
        "  @CustomAdjoint(\"m\")",
        "  static double mAdjoint(double x, double seed, double[] adjoints) {",
        "    adjoints[0] += seed * 2 * x;",
        "    return x * x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[ADJ307] @Elementwise method 'm' has a hand-written "
        + "@CustomAdjoint").inFile(src).onLine(7).atColumn(24);
  }

  @Test
  void adj308_retain() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable(retain = \"y\") @Elementwise",
        "  public static double m(double x) {",
        "    double y = x * x;",
        "    return y + 1;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorCount(1);
    assertThat(c).hadErrorContaining("[ADJ308] @Elementwise method 'm' retains locals (y)")
        .inFile(src).onLine(7).atColumn(24);
  }

  @Test
  void adj309_private() {
    JavaFileObject src = source(
        "public class Foo {",
        "  @Differentiable @Elementwise",
        "  private static double m(double x) { return x * x; }",
        "}");
    Compilation c = compile(src);
    assertThat(c).hadErrorContaining("[ADJ309] @Elementwise method 'm' is private, but the "
        + "generated class FooKernels must call it").inFile(src).onLine(7).atColumn(25);
  }

  @Test
  void validMethodCompilesWithoutWarnings() {
    JavaFileObject src = source(
        "public class Foo {",
        "  static final double TWO = 2;",
        "  @Differentiable @Elementwise",
        "  public static double sq(double x) { return x * x; }",
        "  @Differentiable @Elementwise",
        "  public static double m(double x, float y) {",
        "    double s = x > y ? sq(x) : Math.PI * y;",
        "    return TWO * s;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("p.FooKernels");
  }
}
