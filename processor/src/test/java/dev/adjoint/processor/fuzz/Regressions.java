package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.FuzzChecker.Failure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regression file format: a header of {@code // @key value} lines, the class under test, a
 * marker line, and its margin-tracking twin. {@code RegressionProgramsTest} compiles every such
 * file under {@code src/test/resources/regressions} and checks it like the fuzzer does.
 */
final class Regressions {
  static final String TWIN_MARKER =
      "//==== twin (plain, margin-tracking; not @Differentiable) ====";
  private static final Pattern HEADER = Pattern.compile("^// @(\\w+) (.*)$", Pattern.MULTILINE);
  private static final Pattern CLASS =
      Pattern.compile("(?m)^public (?:final )?class (\\w+)");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");

  private Regressions() {}

  /** A parsed regression file. */
  record Regression(String file, Map<String, String> header, String pkg, String className,
      String source, String twin) {
    String target() {
      return header.get("target");
    }

    /** The recorded point's values as text (null: none recorded). */
    List<String> point() {
      String p = header.get("point");
      if (p == null || p.isBlank() || p.equals("none")) {
        return null;
      }
      // Split at top-level commas: an array argument is written {a, b, c}.
      List<String> out = new ArrayList<>();
      int depth = 0;
      StringBuilder current = new StringBuilder();
      for (char ch : p.toCharArray()) {
        depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
        if (ch == ',' && depth == 0) {
          out.add(current.toString().strip());
          current.setLength(0);
        } else {
          current.append(ch);
        }
      }
      out.add(current.toString().strip());
      return out;
    }
  }

  /** The file name stem: {@code <kind>_<seed>}, with {@code _2}, {@code _3}... on collisions. */
  static String stem(Failure f, int attempt) {
    String base = f.kind().id + "_" + Long.toUnsignedString(f.seed());
    return attempt <= 1 ? base : base + "_" + attempt;
  }

  static String className(String stem) {
    return "Regression_" + stem.replace('-', '_');
  }

  /** The text of the regression file for a (shrunk) failure, with this class name. */
  static String format(Failure f, long runSeed, String className) {
    Ast.ClassUnit unit = f.unit().withName(className);
    StringBuilder sb = new StringBuilder();
    sb.append("// Adjoint fuzz regression, written by dev.adjoint.processor.fuzz.FuzzChecker"
        + " (shrunk).\n");
    sb.append("// RegressionProgramsTest compiles it with the processor and checks @target at"
        + " @point and at\n// random points like the fuzzer does; after the twin marker is the"
        + " plain margin-tracking twin.\n");
    sb.append("// @kind ").append(f.kind().id).append('\n');
    sb.append("// @signature ").append(f.signature()).append('\n');
    sb.append("// @target ").append(f.method()).append('\n');
    sb.append("// @point ").append(f.point() == null ? "none" : FuzzChecker.formatArgs(f.point()))
        .append('\n');
    sb.append("// @found run seed ").append(runSeed).append(", program seed ")
        .append(Long.toUnsignedString(f.seed())).append('\n');
    sb.append("// Failure when found:\n");
    if (f.detail() != null) {
      for (String line : f.detail().split("\n")) {
        sb.append("//   ").append(line).append('\n');
      }
    }
    sb.append(JavaWriter.print(unit, JavaWriter.Mode.DIFF).source());
    sb.append(TWIN_MARKER).append('\n');
    sb.append(JavaWriter.print(unit, JavaWriter.Mode.TWIN).source());
    return sb.toString();
  }

  /** The file without its header (the programs only, class names blanked): equal = duplicate. */
  static String body(String text) {
    int at = text.indexOf("\npackage ");
    String body = at < 0 ? text : text.substring(at + 1);
    return body.replaceAll("Regression_[A-Za-z0-9_]+", "R");
  }

  /**
   * Writes the failure to {@code dir} as {@code <kind>_<seed>.java}, unless a file with the same
   * programs is there already; returns the file (new or existing).
   */
  static Path write(Path dir, Failure f, long runSeed) {
    try {
      Files.createDirectories(dir);
      String body = body(format(f, runSeed, "R"));
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (p.toString().endsWith(".java")
              && body(Files.readString(p, StandardCharsets.UTF_8)).equals(body)) {
            return p;
          }
        }
      }
      for (int attempt = 1; ; attempt++) {
        String stem = stem(f, attempt);
        Path file = dir.resolve(stem + ".java");
        if (!Files.exists(file)) {
          Files.writeString(file, format(f, runSeed, className(stem)), StandardCharsets.UTF_8);
          return file;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Regression parse(String file, String text) {
    Map<String, String> header = new LinkedHashMap<>();
    int packageAt = text.indexOf("\npackage ");
    String head = packageAt < 0 ? text : text.substring(0, packageAt);
    Matcher h = HEADER.matcher(head);
    while (h.find()) {
      header.putIfAbsent(h.group(1), h.group(2).strip());
    }
    int marker = text.indexOf(TWIN_MARKER);
    if (packageAt < 0 || marker < 0) {
      throw new IllegalArgumentException(file + ": not a regression file (no package or no twin"
          + " marker)");
    }
    String source = text.substring(packageAt + 1, marker);
    String twin = text.substring(marker + TWIN_MARKER.length() + 1);
    Matcher c = CLASS.matcher(source);
    Matcher p = PACKAGE.matcher(source);
    if (!c.find() || !p.find()) {
      throw new IllegalArgumentException(file + ": no package or public class");
    }
    return new Regression(file, header, p.group(1), c.group(1), source, twin);
  }
}
