package dev.adjoint.processor.kernel;

import com.google.testing.compile.Compilation;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.tools.JavaFileObject;

/** Compiles sources with the processor and hands back the generated classes and CUDA files. */
final class KernelSources {
  private KernelSources() {}

  /** The generated {@code .cu} file whose name ends with {@code fileName}. */
  static String cuda(InProcessCompiler compiled, String fileName) {
    Compilation c = compiled.compilation();
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.toUri().getPath().endsWith("/" + fileName)) {
        try {
          return f.getCharContent(true).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    throw new AssertionError("no generated " + fileName + " among "
        + c.generatedFiles().stream().map(f -> f.toUri().toString()).toList());
  }
}
