package dev.adjoint.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds {@code .cu} files under source folders and compiles each to PTX with nvcc, into the
 * output folder under the same relative path ({@code p/FooKernels.cu} becomes {@code
 * p/FooKernels.ptx}), skipping files whose PTX is newer than their source. Knows nothing of
 * Maven, so it can be tested alone.
 */
final class CudaCompiler {
  private final Path nvcc;
  private final String arch;

  /** One compiled (or skipped) source. */
  record Result(Path source, Path ptx, boolean compiled) {}

  CudaCompiler(Path nvcc, String arch) {
    this.nvcc = nvcc;
    this.arch = arch;
  }

  /** nvcc named by {@code setting}: a path (containing a separator) or a name on the PATH. */
  static Path locate(String setting, String path) {
    if (setting.contains(File.separator)) {
      Path p = Path.of(setting);
      return Files.isExecutable(p) ? p : null;
    }
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, setting))) {
        return Path.of(dir, setting);
      }
    }
    return null;
  }

  /** Every {@code .cu} under the folders that exist, with the folder it was found in. */
  static List<Path[]> sources(List<Path> roots) throws IOException {
    List<Path[]> out = new ArrayList<>();
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        files.filter(f -> f.toString().endsWith(".cu") && Files.isRegularFile(f)).sorted()
            .forEach(f -> out.add(new Path[] {root, f}));
      }
    }
    return out;
  }

  /** Compiles {@code source} (found under {@code root}) into {@code output}. */
  Result compile(Path root, Path source, Path output) throws IOException, CompileException {
    String relative = root.relativize(source).toString();
    Path ptx = output.resolve(relative.substring(0, relative.length() - ".cu".length()) + ".ptx");
    if (Files.exists(ptx)
        && Files.getLastModifiedTime(ptx).compareTo(Files.getLastModifiedTime(source)) >= 0) {
      return new Result(source, ptx, false);
    }
    Files.createDirectories(ptx.getParent());
    List<String> command = List.of(nvcc.toString(), "-ptx", "-arch=" + arch, "-o",
        ptx.toString(), source.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new CompileException("nvcc did not finish in 10 minutes: " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompileException("interrupted while running " + command);
    }
    if (process.exitValue() != 0) {
      Files.deleteIfExists(ptx);
      throw new CompileException("nvcc failed on " + source + " (exit " + process.exitValue()
          + "):\n" + String.join(" ", command) + "\n" + log);
    }
    return new Result(source, ptx, true);
  }

  /** nvcc rejected a source. */
  static final class CompileException extends Exception {
    private static final long serialVersionUID = 1L;

    CompileException(String message) {
      super(message);
    }
  }
}
