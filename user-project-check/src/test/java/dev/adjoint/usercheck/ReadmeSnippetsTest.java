package dev.adjoint.usercheck;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Using it in your project" and the project the integration test builds
 * (src/it/readme-project) are the same files: the README's snippets sit between markers such as
 * {@code <!-- user-pom:begin -->} and {@code <!-- user-pom:end -->}, each around one fenced code
 * block, and this test compares them with the integration test's files, so neither can change
 * without the other. It also keeps the versions the snippet pins equal to this build's.
 */
class ReadmeSnippetsTest {

  /** Surefire runs in the module's directory; the README is the repository root's. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private static final Path IT_PROJECT = Path.of("src", "it", "readme-project");

  @Test
  void pomIsTheReadmeSnippet() throws IOException {
    assertSameText("user-pom", IT_PROJECT.resolve("pom.xml"));
  }

  @Test
  void javaClassIsTheReadmeSnippet() throws IOException {
    assertSameText(
        "user-java", IT_PROJECT.resolve(Path.of("src", "main", "java", "com", "example", "Example.java")));
  }

  @Test
  void commandsAreTheOnesTheIntegrationTestRuns() throws IOException {
    List<String> commands = snippet("user-run").lines()
        .map(String::strip)
        .filter(line -> line.startsWith("mvn "))
        .toList();
    Properties invoker = properties(IT_PROJECT.resolve("invoker.properties"));
    Properties test = properties(IT_PROJECT.resolve("test.properties"));
    assertThat(commands).containsExactly(
        "mvn " + invoker.getProperty("invoker.goals.1"),
        "mvn " + invoker.getProperty("invoker.goals.2") + " -Dexec.mainClass=" + test.getProperty("exec.mainClass"))
        .inOrder();
  }

  @Test
  void snippetPinsThisBuildsVersions() throws IOException {
    String parent = Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8);
    String pom = snippet("user-pom");
    String projectVersion = firstGroup(parent, "<artifactId>adjoint-parent</artifactId>\\s*<version>([^<]+)</version>");

    assertWithMessage("the compiler plugin version the parent pom pins")
        .that(firstGroup(pom, "<artifactId>maven-compiler-plugin</artifactId>\\s*(?:<!--.*?-->\\s*)?<version>([^<]+)</version>"))
        .isEqualTo(firstGroup(parent, "<maven-compiler-plugin.version>([^<]+)</maven-compiler-plugin.version>"));
    assertWithMessage("the runtime's version")
        .that(firstGroup(pom, "<artifactId>adjoint-runtime</artifactId>\\s*<version>([^<]+)</version>"))
        .isEqualTo(projectVersion);
    assertWithMessage("the processor's version")
        .that(firstGroup(pom, "<artifactId>adjoint-processor</artifactId>\\s*<version>([^<]+)</version>"))
        .isEqualTo(projectVersion);
    assertWithMessage("the Java release (generated code uses records)")
        .that(firstGroup(pom, "<maven.compiler.release>([^<]+)</maven.compiler.release>"))
        .isEqualTo(firstGroup(parent, "<maven.compiler.release>([^<]+)</maven.compiler.release>"));
    assertWithMessage("the exec plugin version the parent pom pins (it runs on Maven 3.8)")
        .that(firstGroup(snippet("user-run"), "exec-maven-plugin:([^:]+):java"))
        .isEqualTo(firstGroup(parent, "<exec-maven-plugin.version>([^<]+)</exec-maven-plugin.version>"));
  }

  private static void assertSameText(String marker, Path file) throws IOException {
    String expected = snippet(marker);
    String actual = Files.readString(file, StandardCharsets.UTF_8);
    assertWithMessage("%s must be the README's %s snippet, character for character", file, marker)
        .that(actual)
        .isEqualTo(expected);
  }

  /**
   * The code block between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->} in the README,
   * without its fences, ending with a newline; the README must hold exactly one such pair.
   */
  static String snippet(String name) throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    String begin = "<!-- " + name + ":begin -->";
    String end = "<!-- " + name + ":end -->";
    int from = readme.indexOf(begin);
    assertWithMessage("README.md has no %s marker", begin).that(from).isAtLeast(0);
    assertWithMessage("README.md has two %s markers", begin).that(readme.indexOf(begin, from + 1)).isEqualTo(-1);
    int to = readme.indexOf(end, from);
    assertWithMessage("README.md has no %s marker after %s", end, begin).that(to).isAtLeast(0);

    List<String> lines = new ArrayList<>(readme.substring(from + begin.length(), to).strip().lines().toList());
    assertWithMessage("the %s snippet must be one fenced code block", name)
        .that(lines.size() >= 2 && lines.get(0).startsWith("```") && lines.get(lines.size() - 1).equals("```"))
        .isTrue();
    List<String> body = lines.subList(1, lines.size() - 1);
    assertWithMessage("the %s snippet must be one fenced code block", name)
        .that(body.stream().anyMatch(line -> line.startsWith("```")))
        .isFalse();
    return String.join("\n", body) + "\n";
  }

  private static Properties properties(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    return properties;
  }

  private static String firstGroup(String text, String regex) {
    Matcher matcher = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
    assertWithMessage("no match for %s", regex).that(matcher.find()).isTrue();
    return matcher.group(1).strip();
  }
}
