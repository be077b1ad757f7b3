package dev.adjoint.processor.fuzz;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.fuzz.BatchCompiler.Unit;
import dev.adjoint.processor.fuzz.FuzzChecker.Verdict;
import dev.adjoint.processor.fuzz.Regressions.Regression;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every reproducer the fuzzer wrote to {@code src/test/resources/regressions} (see {@link
 * Regressions} for the format), compiled with the processor in one javac run and checked like the
 * fuzzer checks a program: no processor diagnostic but the expected cut warnings, generated code
 * that compiles, and at the recorded point and three random points a bit-identical value,
 * derivatives that match the oracle, and the mAdjoint contract. A bug once found stays fixed.
 */
class RegressionProgramsTest {

  /** The folder: {@code adjoint.fuzz.regressions} if set, else this module's resources. */
  static Path directory() throws URISyntaxException {
    String configured = System.getProperty("adjoint.fuzz.regressions");
    if (configured != null && !configured.equals("none")) {
      return Files.isDirectory(Path.of(configured)) ? Path.of(configured) : null;
    }
    Path source =
        Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "regressions");
    if (Files.isDirectory(source)) {
      return source;
    }
    URL url = RegressionProgramsTest.class.getClassLoader().getResource("regressions");
    return url == null ? null : Path.of(url.toURI());
  }

  private static final Pattern SIGNATURE_TEMPLATE =
      Pattern.compile("static\\s+double\\s+%s\\s*\\(([^)]*)\\)");

  /** The parameter types of a method, read from its declaration. */
  static Class<?>[] parameterTypes(String source, String method) {
    Matcher m = Pattern.compile(String.format(SIGNATURE_TEMPLATE.pattern(), Pattern.quote(method)))
        .matcher(source);
    if (!m.find()) {
      throw new IllegalArgumentException("no method " + method);
    }
    List<Class<?>> types = new ArrayList<>();
    for (String p : m.group(1).split(",")) {
      String t = p.strip();
      if (t.isEmpty()) {
        continue;
      }
      types.add(t.startsWith("int[] ") ? int[].class : t.startsWith("double[] ") ? double[].class
          : t.startsWith("int ") ? int.class : double.class);
    }
    return types.toArray(new Class<?>[0]);
  }

  @TestFactory
  Stream<DynamicTest> regressionPrograms() throws IOException, URISyntaxException {
    Path dir = directory();
    if (dir == null) {
      return Stream.of();
    }
    List<Regression> regressions = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        regressions.add(Regressions.parse(p.getFileName().toString(),
            Files.readString(p, StandardCharsets.UTF_8)));
      }
    }
    if (regressions.isEmpty()) {
      return Stream.of();
    }
    List<Unit> units = new ArrayList<>();
    Map<String, String> targets = new LinkedHashMap<>();
    Map<String, List<Object[]>> points = new LinkedHashMap<>();
    for (Regression r : regressions) {
      units.add(Unit.raw(r.pkg(), r.className(), r.source(), r.twin()));
      targets.put(r.className(), r.target());
      Class<?>[] types = parameterTypes(r.source(), r.target());
      List<Object[]> ps = new ArrayList<>();
      List<String> recorded = r.point();
      if (recorded != null && recorded.size() == types.length) {
        Object[] p = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
          p[i] = parseArgument(types[i], recorded.get(i));
        }
        ps.add(p);
      }
      Random rnd = new Random(r.file().hashCode());
      for (int i = 0; i < 3; i++) {
        ps.add(FuzzChecker.randomPoint(types, rnd));
      }
      points.put(r.className(), ps);
    }
    Map<String, Verdict> verdicts;
    try (FuzzChecker.Watchdog watchdog = new FuzzChecker.Watchdog()) {
      verdicts = FuzzChecker.verify(units, targets, points, watchdog, 60);
    }
    return regressions.stream().map(r -> DynamicTest.dynamicTest(r.file(), () -> {
      Verdict v = verdicts.get(r.className());
      assertWithMessage("no verdict for %s", r.file()).that(v).isNotNull();
      assertWithMessage("%s (originally: %s) fails: %s %s%s%s", r.file(), r.header().get("kind"),
          v.kind(), v.signature(), v.point() == null ? ""
              : " at (" + FuzzChecker.formatArgs(v.point()) + ")",
          "\n" + v.detail() + "\n--- program ---\n" + r.source()
              + (v.generatedSource() == null ? "" : "\n--- generated ---\n" + v.generatedSource()))
          .that(v.passed()).isTrue();
    }));
  }

  /** One recorded argument: a number, or an array written {a, b, c}. */
  private static Object parseArgument(Class<?> type, String text) {
    if (type == int.class) {
      return Integer.parseInt(text);
    }
    if (type == double.class) {
      return Double.parseDouble(text);
    }
    String inner = text.strip();
    inner = inner.substring(1, inner.length() - 1).strip();
    String[] parts = inner.isEmpty() ? new String[0] : inner.split(",");
    if (type == int[].class) {
      return java.util.Arrays.stream(parts).mapToInt(x -> Integer.parseInt(x.strip())).toArray();
    }
    return java.util.Arrays.stream(parts).mapToDouble(x -> Double.parseDouble(x.strip()))
        .toArray();
  }
}
