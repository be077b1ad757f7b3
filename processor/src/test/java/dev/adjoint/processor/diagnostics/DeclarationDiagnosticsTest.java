package dev.adjoint.processor.diagnostics;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.adjoint.processor.AdjointProcessor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of the declaration of a {@code @Differentiable} method (ADJ001, ADJ100 to ADJ108,
 * ADJ111): where it may be declared, its modifiers, return type and parameter types, overloads,
 * and parameters whose derivative cannot reach the result; a supported method compiles silently.
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class DeclarationDiagnosticsTest extends DiagnosticsTestSupport {

  @Test
  void supportedMethodCompilesWithoutDiagnostics() {
    JavaFileObject src = body("    return x * x;");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("p.FooDiff").contentsAsUtf8String().contains("mGrad(");
  }

  @Test
  void adj001_treesUnavailable() {
    JavaFileObject src = body("    return x;");
    Compilation c =
        record(Compiler.javac().withProcessors(new AdjointWithoutTrees()).compile(src));
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ001] Adjoint reads method bodies through the javac tree API "
                + "(com.sun.source.util.Trees), which this compiler does not provide")
        .inFile(src)
        .onLine(5)
        .atColumn(24);
    assertThat(c).hadErrorContaining("Compile with the JDK's javac");
    // The exception had no message: only its class is named (no ": null").
    assertThat(c)
        .hadErrorContaining("which this compiler does not provide (IllegalArgumentException). "
            + "Compile with the JDK's javac");
    assertThat(errorTexts(c)).doesNotContain(": null");
  }

  /**
   * Runs {@link AdjointProcessor} inside a real javac run, but hands it a {@link Proxy} of javac's
   * {@link ProcessingEnvironment} that forwards every call. {@code Trees.instance} accepts only
   * javac's own environment class, so it throws, as it would under a compiler without the tree
   * API (such as ECJ); messages and elements still come from javac.
   */
  static final class AdjointWithoutTrees extends AbstractProcessor {
    private final AdjointProcessor adjoint = new AdjointProcessor();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return adjoint.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return adjoint.getSupportedSourceVersion();
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      ProcessingEnvironment forwarding =
          (ProcessingEnvironment)
              Proxy.newProxyInstance(
                  AdjointWithoutTrees.class.getClassLoader(),
                  new Class<?>[] {ProcessingEnvironment.class},
                  (proxy, method, args) -> {
                    try {
                      return method.invoke(env, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      adjoint.init(forwarding);
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return adjoint.process(annotations, round);
    }
  }

  @Test
  void adj100_notStatic() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public double m(double x) {",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ100] @Differentiable method 'm' is an instance method of Foo, "
            + "which is not final: a call could run an override the processor cannot see. Make "
            + "the class final (or a record), or make the method static")
        .inFile(src)
        .onLine(5)
        .atColumn(17);
  }

  @Test
  void adj101_methodOfNestedClass() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static class Inner {",
            "    @Differentiable",
            "    public static double m(double x) {",
            "      return x;",
            "    }",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ101] @Differentiable method 'm' must be declared in a top-level class, "
                + "not in class Inner")
        .inFile(src)
        .onLine(6)
        .atColumn(26);
  }

  @Test
  void adj101_methodOfInterface() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public interface Foo {",
            "  @Differentiable",
            "  static double m(double x) {",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ101] @Differentiable method 'm' must be declared in a top-level class, "
                + "not in interface Foo: move it to a top-level class.")
        .inFile(src)
        .onLine(5)
        .atColumn(17);
  }

  @Test
  void adj102_returnsInt() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static int m(double x) {",
            "    return 0;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ102] @Differentiable method 'm' returns int; it must return double or float")
        .inFile(src)
        .onLine(5)
        .atColumn(21);
  }

  @Test
  void adj102_voidWithoutFloatingArrayParameter() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void m(double x, int[] k) {",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ102] @Differentiable method 'm' returns void; it must return double or float (a "
                + "scalar objective), double[] (a vector function: mJacobian and mVjp, no mGrad), "
                + "or void while writing a double[] parameter (a helper that updates its "
                + "argument).")
        .inFile(src)
        .onLine(5)
        .atColumn(22);
  }

  @Test
  void adj102_notReportedForAVoidHelper() {
    // A void method that writes its double[] parameter is a helper: it gets mAdjoint only, and
    // callers call it as a statement on a local array.
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void square(double[] a, double c) {",
            "    for (int i = 0; i < a.length; i++) {",
            "      a[i] = c * a[i] * a[i];",
            "    }",
            "    if (c > 1) {",
            "      return;",
            "    }",
            "    a[0] = a[0] + c;",
            "  }",
            "  @Differentiable",
            "  public static double m(double[] x, double c) {",
            "    double[] w = new double[x.length];",
            "    for (int i = 0; i < x.length; i++) {",
            "      w[i] = x[i];",
            "    }",
            "    square(w, c);",
            "    square(w, c);",
            "    return w[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    String diff = generated(c);
    assertThat(diff).contains("public static void squareAdjoint(double[] a, double c, "
        + "double[] adjoints, double[] aAdjoint)");
    assertThat(diff).doesNotContain("squareGrad");
    assertThat(diff).contains("mGrad(");
  }

  @Test
  void adj103_unsupportedArrayParameter() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x, long[] ys) {",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ103] parameter 'ys' has type long[]")
        .inFile(src)
        .onLine(5)
        .atColumn(43);
  }

  @Test
  void adj103_boxedParameter() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(Double x) {",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ103] parameter 'x' has type java.lang.Double")
        .inFile(src)
        .onLine(5)
        .atColumn(33);
  }

  @Test
  void adj104_nativeMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static native double m(double x);",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ104] @Differentiable method 'm' has no body to differentiate")
        .inFile(src)
        .onLine(5)
        .atColumn(31);
  }

  @Test
  void adj105_genericMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static <T> double m(double x) {",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ105] @Differentiable method 'm' declares type parameters")
        .inFile(src)
        .onLine(5)
        .atColumn(28);
  }

  @Test
  void adj106_noFloatingPointParameter_isAWarning() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(int n) {",
            "    return n * 2.0;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c)
        .hadWarningContaining(
            "[ADJ106] @Differentiable method 'm' has no double or float parameter, so its "
                + "gradient is empty")
        .inFile(src)
        .onLine(5)
        .atColumn(24);
    // Only a warning: the (empty) gradient is still generated.
    assertThat(c).generatedSourceFile("p.FooDiff").contentsAsUtf8String().contains("mGrad(");
  }

  @Test
  void adj107_varargs() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double... xs) {",
            "    return 0;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ107] @Differentiable method 'm' is variadic")
        .inFile(src)
        .onLine(5)
        .atColumn(24);
  }

  @Test
  void adj108_overloaded_reportedAtEachOverload() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    return x;",
            "  }",
            "  @Differentiable",
            "  public static double m(double x, double y) {",
            "    return x * y;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    String text = "[ADJ108] @Differentiable method 'm' is overloaded; generated names (mGrad, "
        + "mAdjoint) would clash";
    assertThat(c).hadErrorContaining(text).inFile(src).onLine(5).atColumn(24);
    assertThat(c).hadErrorContaining(text).inFile(src).onLine(9).atColumn(24);
  }

  @Test
  void adj111_parameterDoesNotInfluenceResult_isAWarning() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x, double y) {",
            "    return x * 2;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c)
        .hadWarningContaining(
            "[ADJ111] no derivative of 'y' reaches the result of 'm' (it is unused, or used "
                + "only in conditions, indices or integer conversions), so its derivative is "
                + "always 0")
        .inFile(src)
        .onLine(5)
        .atColumn(43);
    assertThat(c).generatedSourceFile("p.FooDiff").contentsAsUtf8String().contains("mGrad(");
  }

  @Test
  void adj111_parameterUsedOnlyInACondition_isAWarning() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x, double y) {",
            "    if (y > 0) {",
            "      return x;",
            "    }",
            "    return 2 * x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c)
        .hadWarningContaining("[ADJ111] no derivative of 'y' reaches the result of 'm'")
        .inFile(src)
        .onLine(5)
        .atColumn(43);
  }
}
