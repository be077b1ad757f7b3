package dev.adjoint.processor.diagnostics;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.AfterEach;

/**
 * The base of the diagnostics tests of this package, one test (or a few) per diagnostic of {@link
 * Message}: each compiles a tiny source of its own and checks the kind, the id, a distinctive part
 * of the text, and the line and column javac reports.
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
 * of every subclass that no diagnostic carries it.
 */
abstract class DiagnosticsTestSupport {

  /** The line of the first body statement in sources made by {@link #body}. */
  static final int BODY = 6;

  /** Every compilation of the current test, for {@link #processorNeverCrashed()}. */
  private final List<Compilation> compilations = new ArrayList<>();

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  Compilation compile(JavaFileObject source) {
    return record(Compiler.javac().withProcessors(new AdjointProcessor()).compile(source));
  }

  Compilation record(Compilation compilation) {
    compilations.add(compilation);
    return compilation;
  }

  /** {@code p.Foo}, one line per argument: line N of the file is argument N. */
  static JavaFileObject source(String... lines) {
    return JavaFileObjects.forSourceLines("p.Foo", lines);
  }

  /**
   * {@code @Differentiable public static double m(double x)} in top-level class {@code p.Foo},
   * with the given body; the first body line is line {@link #BODY} (the signature is line 5).
   */
  static JavaFileObject body(String... statements) {
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
  static String generated(Compilation c) {
    try {
      return c.generatedSourceFile("p.FooDiff").orElseThrow().getCharContent(true).toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every error message of {@code c}, one per line. */
  static String errorTexts(Compilation c) {
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
}
