package dev.adjoint.samples;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples' generated sources (built with the processor, like a user's) pass {@code javadoc
 * -Xdoclint:all} without a single error or warning.
 */
class GeneratedJavadocTest {
  private static final Path GENERATED = Paths.get("target", "generated-sources", "annotations");

  @Test
  void generatedSourcesPassDoclint(@TempDir Path out) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(GENERATED)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    assertWithMessage("generated sources under %s", GENERATED).that(files).isNotEmpty();
    DocumentationTool tool = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    List<String> found = new ArrayList<>();
    try (StandardJavaFileManager fm = tool.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      List<String> options = List.of("-Xdoclint:all", "-quiet", "-Xmaxwarns", "10000",
          "-d", out.toString(),
          "-sourcepath", Paths.get("src", "main", "java") + File.pathSeparator + GENERATED,
          "-classpath", Paths.get("target", "classes") + File.pathSeparator
              + System.getProperty("java.class.path"));
      StringWriter output = new StringWriter();
      boolean ok = tool.getTask(output, fm, diagnostics, null, options,
          fm.getJavaFileObjectsFromPaths(files)).call();
      diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .map(d -> d.getKind() + " " + (d.getSource() == null ? "" : d.getSource().getName())
              + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
          .collect(Collectors.toCollection(() -> found));
      if (!ok) {
        found.add("javadoc failed: " + output);
      }
    }
    assertWithMessage("javadoc -Xdoclint:all on %s", files).that(found).isEmpty();
  }
}
