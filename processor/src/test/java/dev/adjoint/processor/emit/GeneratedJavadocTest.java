package dev.adjoint.processor.emit;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated code documents itself: the JDK's documentation tool with {@code -Xdoclint:all}
 * reports nothing on a {@code FooDiff} whose methods cover every entry-point family (scalar,
 * array and matrix parameters, an array result, {@code wrt}, {@code retain}, a void helper, a
 * hand-written adjoint, {@code order = 2} with a call, {@code order = 3}).
 */
class GeneratedJavadocTest {
  private static final String SOURCE = String.join("\n",
      "package p;",
      "",
      "import dev.adjoint.CustomAdjoint;",
      "import dev.adjoint.Differentiable;",
      "",
      "/** Every family of entry points. */",
      "public class Family {",
      "  private Family() {}",
      "",
      "  @Differentiable",
      "  public static double scalar(double x, double y) {",
      "    return x * Math.sin(y);",
      "  }",
      "",
      "  @Differentiable(wrt = {\"x\"})",
      "  public static double partial(double x, double y) {",
      "    return x * y + y;",
      "  }",
      "",
      "  @Differentiable(retain = {\"s\"})",
      "  public static double retained(double x) {",
      "    double s = x * x;",
      "    return Math.exp(s);",
      "  }",
      "",
      "  @Differentiable",
      "  public static double arrays(double[] v, double[][] m, float f) {",
      "    double s = 0;",
      "    for (int i = 0; i < v.length; i++) {",
      "      for (int j = 0; j < m[i].length; j++) {",
      "        s += v[i] * m[i][j] * f;",
      "      }",
      "    }",
      "    return s;",
      "  }",
      "",
      "  @Differentiable",
      "  public static double[] vector(double[] v, double c) {",
      "    double[] out = new double[v.length];",
      "    for (int i = 0; i < v.length; i++) {",
      "      out[i] = c * Math.tanh(v[i]);",
      "    }",
      "    return out;",
      "  }",
      "",
      "  @Differentiable",
      "  public static double[] pair(double[] v, double c) {",
      "    double[] out = new double[2];",
      "    out[0] = c * v[0];",
      "    out[1] = Math.sin(c) * v[1];",
      "    return out;",
      "  }",
      "",
      "  @Differentiable",
      "  public static void scale(double[] a, double c) {",
      "    for (int i = 0; i < a.length; i++) {",
      "      a[i] *= c;",
      "    }",
      "  }",
      "",
      "  @Differentiable",
      "  public static double scaledFirst(double[] a, double c) {",
      "    double[] b = new double[a.length];",
      "    for (int i = 0; i < a.length; i++) {",
      "      b[i] = a[i];",
      "    }",
      "    scale(b, c);",
      "    return b[0];",
      "  }",
      "",
      "  @Differentiable",
      "  public static double softplus(double x) {",
      "    return Math.log1p(Math.exp(x));",
      "  }",
      "",
      "  @CustomAdjoint(\"softplus\")",
      "  static double softplusByHand(double x, double seed, double[] adjoints) {",
      "    adjoints[0] += seed / (1 + Math.exp(-x));",
      "    return Math.log1p(Math.exp(x));",
      "  }",
      "",
      "  @Differentiable(order = 3)",
      "  public static double third(double x) {",
      "    return x * x * x + Math.sin(x);",
      "  }",
      "",
      "  @Differentiable(order = 2)",
      "  public static double second(double x, double[] v) {",
      "    double s = 0;",
      "    for (int i = 0; i < v.length; i++) {",
      "      s += v[i] * v[i];",
      "    }",
      "    return s * third(x);",
      "  }",
      "}",
      "");

  @Test
  void doclintReportsNothingOnGeneratedSources(@TempDir Path dir) throws IOException {
    Compilation compilation = Compiler.javac().withProcessors(new AdjointProcessor())
        .withOptions("-Xlint:all").compile(JavaFileObjects.forSourceString("p.Family", SOURCE));
    com.google.testing.compile.CompilationSubject.assertThat(compilation)
        .succeededWithoutWarnings();
    Path sources = dir.resolve("src");
    Files.createDirectories(sources.resolve("p"));
    Files.writeString(sources.resolve("p/Family.java"), SOURCE, StandardCharsets.UTF_8);
    List<Path> generated = new ArrayList<>();
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      Path path = sources.resolve(file.getName().replaceFirst("^.*?/(p/)", "$1"));
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getCharContent(true), StandardCharsets.UTF_8);
      generated.add(path);
    }
    assertWithMessage("generated sources").that(generated).isNotEmpty();
    String diff = Files.readString(sources.resolve("p/FamilyDiff.java"));
    for (String member : List.of("scalarGrad(", "partialVjp(", "retainedGrad(", "arraysJvp(",
        "vectorJacobian(", "scaleAdjoint(", "scaledFirstAdjoint(", "softplusTangent(",
        "thirdDerivatives(", "secondHvp(", "secondHessian(", "secondTangentAdjoint(",
        "thirdTangentTangent(")) {
      assertWithMessage("FamilyDiff covers %s", member).that(diff).contains(member);
    }
    assertWithMessage("javadoc -Xdoclint:all on the generated sources")
        .that(javadoc(generated, sources, dir.resolve("doc"))).isEmpty();
  }

  /** The check above can fail: a public method without its {@code @param} is reported. */
  @Test
  void doclintReportsAMissingParameter(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("src/q/Bare.java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "package q;\n/** A class. */\npublic final class Bare {\n"
        + "  private Bare() {}\n  /** Nothing. @return 1 */\n"
        + "  public static int one(int x) { return 1; }\n}\n");
    assertWithMessage("javadoc on a method without @param")
        .that(javadoc(List.of(file), dir.resolve("src"), dir.resolve("doc"))).isNotEmpty();
  }

  /** Runs javadoc with {@code -Xdoclint:all} on {@code files}; every diagnostic it reports. */
  static List<String> javadoc(List<Path> files, Path sourcePath, Path out) {
    DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = tool.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      List<String> options = List.of("-Xdoclint:all", "-quiet", "-Xmaxwarns", "10000",
          "-d", out.toString(), "-sourcepath", sourcePath.toString(),
          "-classpath", classPath());
      StringWriter output = new StringWriter();
      Boolean ok = tool.getTask(output, fm, diagnostics, null, options,
          fm.getJavaFileObjectsFromPaths(files)).call();
      List<String> found = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName())
              + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
          .collect(Collectors.toCollection(ArrayList::new));
      if (!ok) {
        found.add("javadoc failed: " + output);
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The test class path, with the runtime's location made explicit. */
  private static String classPath() {
    String runtime = new File(dev.adjoint.runtime.Tape.class.getProtectionDomain()
        .getCodeSource().getLocation().getPath()).getPath();
    return runtime + File.pathSeparator + System.getProperty("java.class.path");
  }
}
