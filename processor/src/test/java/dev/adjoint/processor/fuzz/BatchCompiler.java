package dev.adjoint.processor.fuzz;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles many independent units (a class under test plus its margin twin) in one javac run with
 * the Adjoint processor, and attributes every diagnostic to its unit (and, where possible, to the
 * method it is in). A unit with an error is set aside and the others are compiled again, so that
 * one bad unit does not cost the others their classes.
 */
final class BatchCompiler {

  /** Where a diagnostic was reported. */
  enum Place {
    /** The class under test (the generator's source). */
    SOURCE,
    /** The twin (the generator's source). */
    TWIN,
    /** The class the processor generated ({@code <Name>Diff}). */
    GENERATED,
    /** Nowhere that can be attributed. */
    UNKNOWN
  }

  /** One diagnostic, attributed. */
  record Diag(
      Diagnostic.Kind kind,
      Place place,
      String unit,
      String method,
      long line,
      String code,
      String message,
      String lineText) {

    /** The [ADJnnn] id of a processor message, or null. */
    String adjId() {
      Matcher m = ADJ.matcher(message);
      return m.find() ? m.group(1) : null;
    }

    boolean isError() {
      return kind == Diagnostic.Kind.ERROR;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s %s %s%s line %d: %s%s", kind, place, unit,
          method == null ? "" : "." + method, line, message,
          lineText == null ? "" : "\n    | " + lineText.strip());
    }
  }

  private static final Pattern ADJ = Pattern.compile("\\[(ADJ\\d+)\\]");

  /**
   * A unit to compile: a class and its twin, printed from the same AST (or read back from a
   * regression file, with no AST).
   */
  record Unit(String pkg, String name, JavaWriter.Printed source, JavaWriter.Printed twin,
      Ast.ClassUnit ast) {
    static Unit of(Ast.ClassUnit ast) {
      return new Unit(ast.pkg(), ast.name(), JavaWriter.print(ast, JavaWriter.Mode.DIFF),
          JavaWriter.print(ast, JavaWriter.Mode.TWIN), ast);
    }

    /** A unit from source text: methods are found by their declarations. */
    static Unit raw(String pkg, String name, String source, String twin) {
      return new Unit(pkg, name, JavaWriter.Printed.scan(source), JavaWriter.Printed.scan(twin),
          null);
    }
  }

  /** The loaded classes of a unit that compiled. */
  record Loaded(Unit unit, Class<?> main, Class<?> twin, Class<?> diff, String generatedSource,
      List<Diag> warnings) {}

  /** A unit that did not compile, with its errors (and warnings). */
  record Failed(Unit unit, List<Diag> diagnostics, String generatedSource) {}

  /** The outcome of compiling a list of units. */
  record Result(List<Loaded> loaded, List<Failed> failed, int javacRuns) {}

  private BatchCompiler() {}

  /** Compiles the units, setting aside those with errors, until the rest compiles. */
  static Result compile(List<Unit> units) {
    List<Unit> remaining = new ArrayList<>(units);
    List<Failed> failed = new ArrayList<>();
    int runs = 0;
    while (!remaining.isEmpty()) {
      runs++;
      Run run = javac(remaining);
      if (run.compilation.status() == Compilation.Status.SUCCESS) {
        List<Loaded> loaded = new ArrayList<>();
        MemoryLoader loader = new MemoryLoader(run.classes);
        for (Unit u : remaining) {
          String pkg = u.pkg() + ".";
          try {
            loaded.add(new Loaded(u,
                Class.forName(pkg + u.name(), true, loader),
                Class.forName(pkg + JavaWriter.twinName(u.name()), true, loader),
                Class.forName(pkg + u.name() + "Diff", true, loader),
                run.generated.get(u.name()),
                run.diagnosticsOf(u.name())));
          } catch (ClassNotFoundException | LinkageError e) {
            failed.add(new Failed(u, List.of(new Diag(Diagnostic.Kind.ERROR, Place.UNKNOWN,
                u.name(), null, 0, "load", "cannot load the compiled classes: " + e, null)),
                run.generated.get(u.name())));
          }
        }
        return new Result(loaded, failed, runs);
      }
      List<Unit> next = new ArrayList<>();
      boolean anyAttributed = false;
      for (Unit u : remaining) {
        List<Diag> diags = run.diagnosticsOf(u.name());
        if (diags.stream().anyMatch(Diag::isError)) {
          failed.add(new Failed(u, diags, run.generated.get(u.name())));
          anyAttributed = true;
        } else {
          next.add(u);
        }
      }
      if (!anyAttributed) {
        // An error nobody owns: give every unit the whole list.
        for (Unit u : remaining) {
          failed.add(new Failed(u, run.all, run.generated.get(u.name())));
        }
        next.clear();
      }
      remaining = next;
    }
    return new Result(List.of(), failed, runs);
  }

  // ---------------------------------------------------------------------------------------

  private static final class Run {
    Compilation compilation;
    final Map<String, byte[]> classes = new LinkedHashMap<>();
    final Map<String, String> generated = new LinkedHashMap<>();
    final List<Diag> all = new ArrayList<>();

    List<Diag> diagnosticsOf(String unit) {
      List<Diag> out = new ArrayList<>();
      for (Diag d : all) {
        if (unit.equals(d.unit())) {
          out.add(d);
        }
      }
      return out;
    }
  }

  private static final Pattern GENERATED_METHOD = Pattern.compile(
      "^\\s*(?:public\\s+)?(?:static\\s+)?[\\w.]+\\s+(\\w+?)(?:Grad|Adjoint)\\s*\\(");
  private static final Pattern GENERATED_RECORD =
      Pattern.compile("^\\s*(?:public\\s+)?(?:static\\s+)?record\\s+(\\w+?)Grad\\s*\\(");

  private static Run javac(List<Unit> units) {
    List<JavaFileObject> files = new ArrayList<>();
    Map<String, Unit> byName = new LinkedHashMap<>();
    for (Unit u : units) {
      String pkg = u.pkg() + ".";
      files.add(JavaFileObjects.forSourceString(pkg + u.name(), u.source().source()));
      files.add(JavaFileObjects.forSourceString(pkg + JavaWriter.twinName(u.name()),
          u.twin().source()));
      byName.put(u.name(), u);
    }
    Run run = new Run();
    run.compilation = Compiler.javac()
        .withProcessors(new AdjointProcessor())
        .withOptions("-Xmaxerrs", "100000", "-Xmaxwarns", "100000", "-implicit:none")
        .compile(files);
    // compile-testing only lists generated files after a successful compilation; after a
    // failure, generated sources are read from the diagnostics that point into them.
    if (run.compilation.status() == Compilation.Status.SUCCESS) {
      for (JavaFileObject f : run.compilation.generatedSourceFiles()) {
        String file = simpleFileName(f);
        if (file.endsWith("Diff")) {
          String unit = file.substring(0, file.length() - "Diff".length());
          run.generated.put(unit, content(f));
        }
      }
      for (JavaFileObject f : run.compilation.generatedFiles()) {
        if (f.getKind() == JavaFileObject.Kind.CLASS) {
          run.classes.put(binaryName(f), bytes(f));
        }
      }
    }
    for (Diagnostic<? extends JavaFileObject> d : run.compilation.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE) {
        continue;
      }
      String message = d.getMessage(Locale.ROOT);
      if (d.getSource() == null) {
        run.all.add(new Diag(d.getKind(), Place.UNKNOWN, null, null, 0, d.getCode(), message,
            null));
        continue;
      }
      String file = simpleFileName(d.getSource());
      Place place;
      String unit;
      if (file.endsWith("Twin") && byName.containsKey(file.substring(0, file.length() - 4))) {
        place = Place.TWIN;
        unit = file.substring(0, file.length() - 4);
      } else if (file.endsWith("Diff")
          && byName.containsKey(file.substring(0, file.length() - 4))) {
        place = Place.GENERATED;
        unit = file.substring(0, file.length() - 4);
      } else if (byName.containsKey(file)) {
        place = Place.SOURCE;
        unit = file;
      } else {
        place = Place.UNKNOWN;
        unit = null;
      }
      long line = d.getLineNumber();
      String method = null;
      String lineText = null;
      if (place == Place.SOURCE) {
        method = byName.get(unit).source().methodAt(line);
        lineText = lineOf(byName.get(unit).source().source(), line);
      } else if (place == Place.TWIN) {
        method = byName.get(unit).twin().methodAt(line);
        lineText = lineOf(byName.get(unit).twin().source(), line);
      } else if (place == Place.GENERATED) {
        String text = run.generated.get(unit);
        if (text == null) {
          text = contentOrNull(d.getSource());
          if (text != null) {
            run.generated.put(unit, text);
          }
        }
        method = text == null ? null : generatedMethodAt(text, line);
        lineText = text == null ? null : lineOf(text, line);
      }
      run.all.add(new Diag(d.getKind(), place, unit, method, line, d.getCode(), message,
          lineText));
    }
    return run;
  }

  /** The user method whose generated code ({@code mGrad}, {@code mAdjoint}, record) has a line. */
  static String generatedMethodAt(String generated, long line) {
    String[] lines = generated.split("\n", -1);
    String current = null;
    for (int i = 0; i < lines.length && i < line; i++) {
      Matcher m = GENERATED_METHOD.matcher(lines[i]);
      Matcher r = GENERATED_RECORD.matcher(lines[i]);
      if (m.find()) {
        current = m.group(1);
      } else if (r.find()) {
        String name = r.group(1);
        current = Character.toLowerCase(name.charAt(0)) + name.substring(1);
      }
    }
    return current;
  }

  private static String lineOf(String text, long line) {
    String[] lines = text.split("\n", -1);
    return line >= 1 && line <= lines.length ? lines[(int) line - 1] : null;
  }

  private static String simpleFileName(JavaFileObject f) {
    String path = f.toUri().getPath();
    if (path == null) {
      path = f.getName();
    }
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  private static String binaryName(JavaFileObject f) {
    String path = f.toUri().getPath();
    // mem:///CLASS_OUTPUT/fz/Gen0$F0Grad.class
    String rest = path.startsWith("/") ? path.substring(1) : path;
    rest = rest.substring(rest.indexOf('/') + 1);
    rest = rest.substring(0, rest.length() - ".class".length());
    return rest.replace('/', '.');
  }

  private static String content(JavaFileObject f) {
    try {
      return f.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contentOrNull(JavaFileObject f) {
    try {
      return f.getCharContent(true).toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static byte[] bytes(JavaFileObject f) {
    try (InputStream in = f.openInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Defines the compiled classes; everything else comes from the test class loader. */
  static final class MemoryLoader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final Map<String, byte[]> classes;

    MemoryLoader(Map<String, byte[]> classes) {
      super("adjoint-fuzz", BatchCompiler.class.getClassLoader());
      this.classes = classes;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!classes.containsKey(name)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = classes.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }
  }
}
