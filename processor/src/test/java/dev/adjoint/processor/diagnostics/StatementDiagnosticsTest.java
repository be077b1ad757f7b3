package dev.adjoint.processor.diagnostics;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.AdjointProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Diagnostics of statements outside the differentiable subset (ADJ200: try, synchronized, throw,
 * a break inside a switch case, assert, local classes), labels not on a loop (ADJ213) and jumps without a
 * target (ADJ220); and an error in one method does not stop the others from being generated.
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class StatementDiagnosticsTest extends DiagnosticsTestSupport {

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
  void adj200_breakBeforeTheEndOfASwitchCase() {
    JavaFileObject src =
        body(
            "    int k = 1;",
            "    double y = x;",
            "    switch (k) {",
            "      case 1:",
            "        if (y > 0) break;",
            "        y = 2 * y;",
            "        break;",
            "      default:",
            "        y = -y;",
            "    }",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] a break before the end of a switch case is not supported "
            + "in a @Differentiable method: end the case with its break, and guard the "
            + "statements before it with if / else.")
        .inFile(src)
        .onLine(BODY + 4)
        .atColumn(20);
  }

  @Test
  void adj201_enhancedForOverARowWhoseIndexTheBodyChanges() {
    JavaFileObject src =
        body(
            "    double[][] m = new double[2][2];",
            "    int k = 0;",
            "    for (double v : m[k]) { k = k + 1; }",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] an enhanced for loop over 'm[k]' whose body changes 'k' "
            + "is not supported in a @Differentiable method: loop over an index with a classic "
            + "for loop.")
        .inFile(src)
        .onLine(BODY + 2)
        .atColumn(22);
  }

  @Test
  void adj202_writingAnElementOfAStaticFinalTable() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static final double[] TABLE = {1.0, 2.0};",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    TABLE[0] = x;",
            "    return x * TABLE[1];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ202] assigns to field 'TABLE'; a @Differentiable method may "
            + "not write fields")
        .inFile(src)
        .onLine(7)
        .atColumn(10);
  }

  @Test
  void adj201_assigningTheRowVariable() {
    JavaFileObject src =
        body(
            "    double[][] m = new double[2][2];",
            "    for (double[] row : m) { row = null; }",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] assigning the row variable 'row' of an enhanced for loop "
            + "is not supported in a @Differentiable method: write its elements (row[j] = ...) "
            + "or loop over an index.")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(30);
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
