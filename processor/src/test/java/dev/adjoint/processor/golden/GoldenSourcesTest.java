package dev.adjoint.processor.golden;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated sources of a few methods, compared line by line with checked-in files, so that every
 * change to generated code shows up in review. After an intended change, regenerate them with
 * {@code mvn -pl processor test -Dtest=GoldenSourcesTest -Dadjoint.golden.update=true} and read
 * the diff.
 */
class GoldenSourcesTest {
  private static final Path GOLDEN = Paths.get("src", "test", "resources", "golden");
  private static final Path SAMPLES =
      Paths.get("..", "samples", "src", "main", "java", "dev", "adjoint", "samples");

  @ParameterizedTest
  @ValueSource(strings = {"Complexe", "Loops", "Calls", "BlackScholes", "Gmm", "Ba"})
  void generatedSourceMatchesGoldenFile(String name) throws IOException {
    List<JavaFileObject> inputs = new ArrayList<>();
    switch (name) {
      // The samples' showcase, read from samples/ as it is: Gmm's prior calls the samples' (not
      // differentiated) LogGamma.
      case "BlackScholes" -> inputs.add(sample("BlackScholes.java"));
      // A Jacobian with two rows: the vector reverse sweep (reprojectionErrorJacobian).
      case "Ba" -> inputs.add(sample("adbench/Ba.java"));
      case "Gmm" -> {
        inputs.add(sample("adbench/Gmm.java"));
        inputs.add(sample("adbench/LogGamma.java"));
      }
      default -> inputs.add(JavaFileObjects.forResource("golden/" + name + ".java"));
    }
    Compilation compilation =
        Compiler.javac().withProcessors(new AdjointProcessor()).withOptions("-Xlint:all",
            "-Werror").compile(inputs);
    assertThat(compilation).succeededWithoutWarnings();
    String generated = compilation.generatedSourceFile("golden." + name + "Diff").orElseThrow()
        .getCharContent(true).toString();
    Path expectedFile = GOLDEN.resolve(name + "Diff.java.txt");
    if (Boolean.getBoolean("adjoint.golden.update")) {
      Files.writeString(expectedFile, generated, StandardCharsets.UTF_8);
      return;
    }
    String expected;
    try (InputStream in = getClass().getResourceAsStream("/golden/" + name + "Diff.java.txt")) {
      assertWithMessage("golden file %s (create it with -Dadjoint.golden.update=true)",
          expectedFile).that(in).isNotNull();
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertWithMessage("generated %sDiff differs from %s", name, expectedFile)
        .that(generated).isEqualTo(expected);
  }

  /** A source file of the samples, moved into package {@code golden}. */
  private static JavaFileObject sample(String path) throws IOException {
    Path file = SAMPLES.resolve(path);
    String source = Files.readString(file, StandardCharsets.UTF_8)
        .replaceFirst("(?m)^package [\\w.]+;", "package golden;");
    String simpleName = file.getFileName().toString().replace(".java", "");
    return JavaFileObjects.forSourceString("golden." + simpleName, source);
  }

  /**
   * The README's first example shows {@code complexeAdjoint} as generated (the argument check
   * left out): every line of that excerpt must appear, in order, in the golden {@code
   * ComplexeDiff}, which is generated from the same method.
   */
  @Test
  void readmeExcerptIsTheGeneratedCode() throws IOException {
    String readme = Files.readString(Paths.get("..", "README.md"), StandardCharsets.UTF_8);
    int begin = readme.indexOf("<!-- generated-excerpt:begin");
    int end = readme.indexOf("<!-- generated-excerpt:end -->");
    assertWithMessage("README markers").that(begin >= 0 && end > begin).isTrue();
    List<String> excerpt = readme.substring(readme.indexOf("```java", begin), end).lines()
        .filter(l -> !l.startsWith("```") && !l.isBlank()).map(String::strip).toList();
    List<String> generated = Files.readAllLines(GOLDEN.resolve("ComplexeDiff.java.txt"),
        StandardCharsets.UTF_8).stream().map(String::strip).toList();
    int at = generated.indexOf(excerpt.get(0));
    assertWithMessage("first line of the README excerpt in ComplexeDiff").that(at).isAtLeast(0);
    for (String line : excerpt) {
      while (at < generated.size() && !generated.get(at).equals(line)) {
        at++;
      }
      assertWithMessage("README excerpt line, in order, in ComplexeDiff: %s", line)
          .that(at).isLessThan(generated.size());
    }
  }
}
