package dev.adjoint.samples.notebook;

import dev.adjoint.Differentiable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles a Java snippet in-process with javac and Adjoint's annotation processor, exactly as a
 * user's build would, and returns the compiler's messages: how the notebook tour shows the real
 * diagnostics of the programs that the notebook's "failure game" gets wrong at run time.
 */
final class SnippetCompiler {
  private static final String PROCESSOR = "dev.adjoint.processor.AdjointProcessor";

  private SnippetCompiler() {}

  /** One compiler message: kind, line and text. */
  record Message(Diagnostic.Kind kind, long line, String text) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s at line %d: %s", kind.name().toLowerCase(Locale.ROOT),
          line, text);
    }
  }

  /** Compiles {@code source} (a compilation unit declaring {@code className}); its messages. */
  static List<Message> compile(String className, String source) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler in this runtime: run on a JDK, not a JRE");
    }
    Path work = temporaryDirectory();
    try {
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
        List<String> options = List.of("-classpath", runtimeClassPath(), "-d",
            work.resolve("classes").toString(), "-s", work.resolve("generated").toString(),
            "-implicit:none");
        Files.createDirectories(work.resolve("classes"));
        Files.createDirectories(work.resolve("generated"));
        JavaCompiler.CompilationTask task = javac.getTask(null, files, diagnostics, options, null,
            List.of(new Source(className, source)));
        task.setProcessors(List.of(processor()));
        task.call();
      }
      List<Message> messages = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        messages.add(new Message(d.getKind(), d.getLineNumber(), d.getMessage(Locale.ROOT)));
      }
      return messages;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      delete(work);
    }
  }

  private static Processor processor() {
    for (Processor p : ServiceLoader.load(Processor.class, SnippetCompiler.class.getClassLoader())) {
      if (p.getClass().getName().equals(PROCESSOR)) {
        return p;
      }
    }
    throw new IllegalStateException(PROCESSOR + " is not on the class path: the samples need the"
        + " adjoint-processor jar at run time to compile snippets");
  }

  /** Where the {@code @Differentiable} annotation (the runtime) was loaded from. */
  private static String runtimeClassPath() {
    try {
      return Path.of(Differentiable.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate adjoint-runtime", e);
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("adjoint-snippet");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A source file held in memory. */
  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String className, String code) {
      super(java.net.URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }
}
