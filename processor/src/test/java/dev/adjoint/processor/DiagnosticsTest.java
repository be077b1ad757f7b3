package dev.adjoint.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test (or a few) per diagnostic of {@code dev.adjoint.processor.diagnostics.Message}: each
 * compiles a tiny source of its own and checks the kind, the id, a distinctive part of the text,
 * and the line and column javac reports.
 *
 * <p>Columns are javac's preferred positions, 1-based: the name of a method or parameter for
 * declaration-level diagnostics; the first character of a statement; for expressions, the
 * operator of a binary or unary expression, the {@code ?} of a conditional expression, the
 * {@code (} of a call or cast, the {@code .} of a qualified name, the {@code [} of an array
 * access, the {@code new} of an object or array creation, the name of a local variable, and the
 * first character of anything else.
 *
 * <p>ADJ002 (INTERNAL_ERROR) cannot be triggered from source: it is what the processor reports
 * when one of its stages throws. Instead, {@link #processorNeverCrashed()} checks after every test
 * that no diagnostic carries it.
 */
class DiagnosticsTest {

  /** The line of the first body statement in sources made by {@link #body}. */
  private static final int BODY = 6;

  /** Every compilation of the current test, for {@link #processorNeverCrashed()}. */
  private final List<Compilation> compilations = new ArrayList<>();

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private Compilation compile(JavaFileObject source) {
    return record(Compiler.javac().withProcessors(new AdjointProcessor()).compile(source));
  }

  private Compilation record(Compilation compilation) {
    compilations.add(compilation);
    return compilation;
  }

  /** {@code p.Foo}, one line per argument: line N of the file is argument N. */
  private static JavaFileObject source(String... lines) {
    return JavaFileObjects.forSourceLines("p.Foo", lines);
  }

  /**
   * {@code @Differentiable public static double m(double x)} in top-level class {@code p.Foo},
   * with the given body; the first body line is line {@link #BODY} (the signature is line 5).
   */
  private static JavaFileObject body(String... statements) {
    List<String> lines = new ArrayList<>();
    lines.add("package p;");
    lines.add("import dev.adjoint.Differentiable;");
    lines.add("public class Foo {");
    lines.add("  @Differentiable");
    lines.add("  public static double m(double x) {");
    lines.addAll(List.of(statements));
    lines.add("  }");
    lines.add("}");
    return source(lines.toArray(String[]::new));
  }

  /** The text of the generated {@code p.FooDiff}. */
  private static String generated(Compilation c) {
    try {
      return c.generatedSourceFile("p.FooDiff").orElseThrow().getCharContent(true).toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every error message of {@code c}, one per line. */
  private static String errorTexts(Compilation c) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
      out.append(d.getMessage(Locale.ROOT)).append('\n');
    }
    return out.toString();
  }

  @AfterEach
  void processorNeverCrashed() {
    for (Compilation compilation : compilations) {
      for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
        assertWithMessage("a diagnostic of %s", compilation)
            .that(d.getMessage(Locale.ROOT))
            .doesNotContain("ADJ002");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Control: a supported method compiles silently
  // ---------------------------------------------------------------------------------------------

  @Test
  void supportedMethodCompilesWithoutDiagnostics() {
    JavaFileObject src = body("    return x * x;");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("p.FooDiff").contentsAsUtf8String().contains("mGrad(");
  }

  // ---------------------------------------------------------------------------------------------
  // ADJ001 TREES_UNAVAILABLE
  // ---------------------------------------------------------------------------------------------

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

  // ---------------------------------------------------------------------------------------------
  // ADJ1xx: the declaration
  // ---------------------------------------------------------------------------------------------

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
        .hadErrorContaining("[ADJ100] @Differentiable method 'm' must be static")
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

  // ---------------------------------------------------------------------------------------------
  // ADJ200 UNSUPPORTED_STATEMENT: reported at the first character of the statement
  // ---------------------------------------------------------------------------------------------

  @Test
  void adj200_tryCatch() {
    JavaFileObject src =
        body("    try { return x; } catch (RuntimeException e) { return 0; }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] try (with catch, finally or resources) is not supported in a "
                + "@Differentiable method: differentiated code cannot catch exceptions")
        .inFile(src)
        .onLine(BODY)
        .atColumn(5);
  }

  @Test
  void adj200_synchronizedBlock() {
    JavaFileObject src = body("    synchronized (Foo.class) { return x; }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] a synchronized block is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(5);
  }

  @Test
  void adj200_throw() {
    JavaFileObject src =
        body(
            "    if (x < 0) throw new IllegalArgumentException();",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] throw is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj200_switchStatement() {
    JavaFileObject src =
        body(
            "    int k = 1;",
            "    switch (k) { default: return x; }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] switch is not supported in a @Differentiable method: use "
            + "an if / else-if chain")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(5);
  }

  @Test
  void adj200_enhancedFor() {
    JavaFileObject src =
        body(
            "    double s = 0;",
            "    for (double v : new double[] {x}) { s += v; }",
            "    return s;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] an enhanced for loop is not supported")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(5);
  }

  @Test
  void adj200_assert() {
    JavaFileObject src =
        body(
            "    assert x > 0;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] assert is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(5);
  }

  @Test
  void adj200_localClass() {
    JavaFileObject src =
        body(
            "    class Local {}",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] a local class is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(5);
  }

  @Test
  void adj200_arrayDeclaredInsideLoop() {
    JavaFileObject src =
        body(
            "    for (int i = 0; i < 2; i++) {",
            "      double[] a = new double[2];",
            "    }",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] declaring array 'a' inside a block or loop is not supported")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(16);
  }

  @Test
  void adj200_arrayInitialisedFromAnotherArray() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] b) {",
            "    double[] a = b;",
            "    return a[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] initialising array 'a' from another array is not supported")
        .inFile(src)
        .onLine(6)
        .atColumn(14);
  }

  @Test
  void adj200_arrayDeclaredWithoutInitializer() {
    JavaFileObject src =
        body(
            "    double[] a;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] declaring array 'a' without creating it is not supported in a "
                + "@Differentiable method: create it where it is declared: "
                + "double[] a = new double[n];")
        .inFile(src)
        .onLine(BODY)
        .atColumn(14);
  }

  @Test
  void adj200_matrixDeclaredWithoutInitializer() {
    JavaFileObject src =
        body(
            "    double[][] a;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] declaring array 'a' without creating it is not supported in a "
                + "@Differentiable method: create it where it is declared: "
                + "double[][] a = new double[n][m];")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void varArrayLocalCompiles() {
    JavaFileObject src =
        body(
            "    var w = new double[2];",
            "    w[0] = x;",
            "    w[1] = x * x;",
            "    return w[0] + w[1];");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c)).contains("mGrad(");
  }

  // ---------------------------------------------------------------------------------------------
  // ADJ201 UNSUPPORTED_EXPRESSION: reported at the offending expression
  // ---------------------------------------------------------------------------------------------

  @Test
  void adj201_lambda() {
    JavaFileObject src =
        body(
            "    Runnable r = () -> {};",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] a lambda is not supported in a @Differentiable method: write the function "
                + "as a @Differentiable method")
        .inFile(src)
        .onLine(BODY)
        .atColumn(18);
  }

  @Test
  void adj201_methodReference() {
    JavaFileObject src =
        body(
            "    Runnable r = Foo::new;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] a method reference is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(18);
  }

  @Test
  void adj201_newObject() {
    JavaFileObject src =
        body(
            "    Object o = new Object();",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] creating an object is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj201_objectCreationAsStatement() {
    JavaFileObject src =
        body(
            "    new Object();",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] this expression statement is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(5);
  }

  @Test
  void adj201_string() {
    JavaFileObject src =
        body(
            "    String s = \"a\";",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] a string is not supported in a @Differentiable method: compute with "
                + "numbers only")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj201_stringConcatenation() {
    JavaFileObject src = body("    return x + \"\";");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] a string is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj201_arrayCreatedInsideExpression() {
    JavaFileObject src =
        body(
            "    double s = (new double[] {x})[0];",
            "    return s;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] creating an array inside an expression is not supported in a "
                + "@Differentiable method: declare a local array at the top of the method")
        .inFile(src)
        .onLine(BODY)
        .atColumn(17);
  }

  @Test
  void adj201_replacingArrayVariable() {
    JavaFileObject src =
        body(
            "    double[] a = new double[2];",
            "    a = new double[3];",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] assigning array variable 'a' is not supported")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(5);
  }

  @Test
  void adj201_instanceof() {
    JavaFileObject src =
        body(
            "    boolean b = Double.valueOf(x) instanceof Number;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] instanceof is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(35);
  }

  @Test
  void adj201_switchExpression() {
    JavaFileObject src =
        body(
            "    int k = 1;",
            "    return switch (k) { default -> x; };");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] a switch expression is not supported")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(12);
  }

  @Test
  void adj201_null() {
    JavaFileObject src =
        body(
            "    Object o = null;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] null is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj201_methodCallOnAValue() {
    JavaFileObject src = body("    return Double.valueOf(x).doubleValue();");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] calling a method on a value ('Double.valueOf(x)') is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(41);
  }

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
  void adj201_sameArrayPassedTwiceToAVoidHelper() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void two(double[] a, double[] b) {",
            "    a[0] = b[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    double[] w = {x, x};",
            "    two(w, w);",
            "    return w[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] passing the same array twice to a method that writes it is not supported "
                + "in a @Differentiable method: pass distinct arrays: the writes would alias.")
        .inFile(src)
        .onLine(11)
        .atColumn(12);
  }

  @Test
  void adj201_conditionalBetweenArrays() {
    JavaFileObject src =
        body(
            "    double[] a = {x};",
            "    double[] b = {2 * x};",
            "    double s = (x > 0 ? a : b)[0];",
            "    return s;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] choosing between arrays with ?: is not supported in a @Differentiable "
                + "method: choose between elements (c ? x[i] : y[i]) or use if / else.")
        .inFile(src)
        .onLine(BODY + 2)
        .atColumn(23);
  }

  // ---------------------------------------------------------------------------------------------
  // ADJ202..ADJ219: the body
  // ---------------------------------------------------------------------------------------------

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
  void adj204_callOfNonDifferentiableMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double helper(double v) {",
            "    return v * v;",
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
        .hadErrorContaining(
            "[ADJ204] calls Foo.helper with an argument that depends on a differentiable "
                + "parameter, but Adjoint cannot differentiate that method")
        .inFile(src)
        .onLine(9)
        .atColumn(18);
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
            "  }",
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
            "  }",
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
            "  }",
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
  void adj205_incrementInsideExpression() {
    JavaFileObject src =
        body(
            "    double y = x++;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ205] 'x++' inside an expression is not supported: write it as a statement of "
                + "its own")
        .inFile(src)
        .onLine(BODY)
        .atColumn(17);
  }

  @Test
  void adj205_assignmentInsideExpression() {
    JavaFileObject src =
        body(
            "    double z;",
            "    double y = (z = x);",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ205] the assignment 'z = x' inside an expression")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(19);
  }

  @Test
  void adj205_bitwiseCompoundAssignmentInsideExpression() {
    JavaFileObject src =
        body(
            "    int z = 0;",
            "    int y = (z |= 1);",
            "    return x * y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ205] the assignment 'z |= 1' inside an expression is not supported: write it "
                + "as a statement of its own.")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(16);
  }

  @Test
  void adj206_unknownName() {
    JavaFileObject src = body("    return x + y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ206] cannot resolve 'y'")
        .inFile(src)
        .onLine(BODY)
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
  void adj207_integerCastOfActiveValue_isAWarning() {
    JavaFileObject src =
        body(
            "    int k = (int) x;",
            "    return x * k;");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c)
        .hadWarningContaining(
            "[ADJ207] casting a value that depends on a differentiable parameter to int cuts "
                + "its derivative")
        .inFile(src)
        .onLine(BODY)
        .atColumn(13);
  }

  @Test
  void adj208_shortLocal() {
    JavaFileObject src =
        body(
            "    short s = 1;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ208] local variable 's' has type short; locals must be double, float, int, "
                + "long or boolean")
        .inFile(src)
        .onLine(BODY)
        .atColumn(11);
  }

  @Test
  void adj208_unsupportedArrayLocal() {
    JavaFileObject src =
        body(
            "    long[] a = new long[2];",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ208] local variable 'a' has type long[] (arrays may be int[], float[], double[] "
                + "or double[][])")
        .inFile(src)
        .onLine(BODY)
        .atColumn(12);
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
  void adj211_typeMismatch() {
    // Not valid Java either; Adjoint checks types itself because it reads unattributed trees.
    JavaFileObject src =
        body(
            "    float f = x;",
            "    return f;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] initializer of 'f': expected float but the expression has type double.")
        .inFile(src)
        .onLine(BODY)
        .atColumn(15);
    assertThat(errorTexts(c)).doesNotContain("add an explicit cast");
  }

  @Test
  void adj211_returnWithoutValueInADoubleMethod() {
    JavaFileObject src =
        body(
            "    if (x > 0) return;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] return: expected double but the expression has type void (no value).")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj211_castOfAnArray() {
    JavaFileObject src =
        body(
            "    double[] a = {x};",
            "    double y = (double) a;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] cast: expected a primitive value but the expression has type double[].")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(16);
  }

  @Test
  void adj211_unaryMinusOfABoolean() {
    JavaFileObject src =
        body(
            "    boolean b = x > 0;",
            "    double y = -b;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] operand of unary -: expected a number but the expression has type "
                + "boolean.")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(16);
  }

  @Test
  void adj211_conditionalMixingBooleanAndNumber() {
    JavaFileObject src =
        body(
            "    double y = x > 0 ? true : 1.0;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] the branches of a ?: expression: expected boolean but the expression has "
                + "type double.")
        .inFile(src)
        .onLine(BODY)
        .atColumn(22);
  }

  @Test
  void adj211_voidHelperCallUsedAsAValue() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void scale(double[] a, double c) {",
            "    a[0] = a[0] * c;",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    double[] w = {x};",
            "    double y = scale(w, x);",
            "    return y;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] initializer of 'y': expected double but the expression has type void.")
        .inFile(src)
        .onLine(11)
        .atColumn(21);
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
  void adj213_labelNotOnLoop() {
    JavaFileObject src =
        body(
            "    outer: {",
            "      break outer;",
            "    }",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ213] label 'outer' is not on a loop")
        .inFile(src)
        .onLine(BODY)
        .atColumn(5);
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
  void adj219_vectorResultMustBeALocalArrayReturnedOnce() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double[] m(double[] a) {",
            "    return a;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ219] a double[]-valued @Differentiable method must end with 'return <local "
                + "array>;' and return nowhere else")
        .inFile(src)
        .onLine(6)
        .atColumn(5);
  }

  @Test
  void adj215_privateMethod() {
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
            "    return x * helper(2.0);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ215] method 'helper' is private, but the generated class FooDiff must use it")
        .inFile(src)
        .onLine(9)
        .atColumn(22);
  }

  @Test
  void adj215_privateNonConstantField() {
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
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ215] field 'ROOT2' is private, but the generated class FooDiff must use it")
        .inFile(src)
        .onLine(7)
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

  @Test
  void adj216_writeToArrayParameter() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x, double[] a) {",
            "    a[0] = x;",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ216] writes an element of parameter 'a'; array parameters are read-only")
        .inFile(src)
        .onLine(6)
        .atColumn(6);
  }

  @Test
  void adj216_parameterArrayPassedToAVoidHelper() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void scale(double[] a, double c) {",
            "    a[0] = a[0] * c;",
            "  }",
            "  @Differentiable",
            "  public static double m(double[] x, double c) {",
            "    scale(x, c);",
            "    return x[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ216] writes an element of parameter 'x'; array parameters are read-only in a "
                + "@Differentiable method")
        .inFile(src)
        .onLine(10)
        .atColumn(11);
  }

  @Test
  void adj216_notReportedInAVoidHelper() {
    // A void helper may write its own array parameters, and pass them on to other helpers.
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void scale(double[] a, double c) {",
            "    a[0] = a[0] * c;",
            "  }",
            "  @Differentiable",
            "  public static void twice(double[] a, double c) {",
            "    scale(a, c);",
            "    a[0]++;",
            "    scale(a, c);",
            "  }",
            "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }

  @Test
  void adj217_arrayPassedToPlainMethod() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double first(double[] v) {",
            "    return v[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double[] a) {",
            "    return first(a);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ217] passes array 'a' to Foo.first, which is not @Differentiable and might "
                + "write it")
        .inFile(src)
        .onLine(9)
        .atColumn(18);
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

  // ---------------------------------------------------------------------------------------------
  // ADJ220 JUMP_WITHOUT_TARGET
  // ---------------------------------------------------------------------------------------------

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

  @Test
  void adj220_breakOutsideALoop() {
    JavaFileObject src =
        body(
            "    if (x > 0) { break; }",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ220] break has no enclosing loop: break and continue must target a loop "
                + "around them.")
        .inFile(src)
        .onLine(BODY)
        .atColumn(18);
  }

  @Test
  void adj220_continueWithAnUnknownLabel() {
    JavaFileObject src =
        body(
            "    for (int i = 0; i < 2; i++) { continue foo; }",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ220] continue has no enclosing loop labelled 'foo': break and continue must "
                + "target a loop around them.")
        .inFile(src)
        .onLine(BODY)
        .atColumn(35);
  }

  @Test
  void adj220_notReportedForJumpsToEnclosingLoops() {
    JavaFileObject src =
        body(
            "    double s = 0;",
            "    outer:",
            "    for (int i = 0; i < 3; i++) {",
            "      for (int j = 0; j < 3; j++) {",
            "        if (j > i) continue outer;",
            "        if (i == 2) break outer;",
            "        if (j == 1) continue;",
            "        s += x * (i + j);",
            "      }",
            "      while (true) { break; }",
            "    }",
            "    return s;");
    assertThat(compile(src)).succeededWithoutWarnings();
  }

  // ---------------------------------------------------------------------------------------------
  // An error in one method does not stop the others
  // ---------------------------------------------------------------------------------------------

  @Test
  void badMethodIsSkippedAndGoodMethodIsStillGenerated(@TempDir Path generated)
      throws IOException {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double bad(double x) {",
            "    synchronized (Foo.class) { return x; }",
            "  }",
            "  @Differentiable",
            "  public static double good(double x, double y) {",
            "    return x * y;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] a synchronized block is not supported")
        .inFile(src)
        .onLine(6)
        .atColumn(5);

    // compile-testing withholds the generated files of a failed compilation, so run the
    // processor once more through javax.tools and read what it wrote.
    String diff = Files.readString(
        processOnly(src, generated).resolve("p/FooDiff.java"), UTF_8);
    assertThat(diff).contains("goodGrad(");
    assertThat(diff).contains("goodAdjoint(");
    assertThat(diff).doesNotContain("badGrad");
  }

  /** Runs only annotation processing on {@code source}, writing generated sources to {@code dir}. */
  private static Path processOnly(JavaFileObject source, Path dir) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> diagnostics = new ArrayList<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, UTF_8)) {
      JavaCompiler.CompilationTask task =
          javac.getTask(
              null,
              files,
              d -> diagnostics.add(d.getMessage(Locale.ROOT)),
              List.of("-proc:only", "-s", dir.toString()),
              null,
              List.of(source));
      task.setProcessors(List.of(new AdjointProcessor()));
      task.call();
    }
    assertWithMessage("diagnostics of the javax.tools run")
        .that(String.join("\n", diagnostics))
        .doesNotContain("ADJ002");
    return dir;
  }
}
