package dev.adjoint.processor.kernel;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds nvcc and the host C compiler on the PATH ({@code -Dadjoint.nvcc=PATH} overrides, e.g.
 * with a path that does not exist to test a machine without nvcc) and runs them.
 */
final class Toolchain {
  private Toolchain() {}

  /** The result of one command: its exit code and what it printed. */
  record Run(int exitCode, String output) {}

  static Path nvcc() {
    String override = System.getProperty("adjoint.nvcc");
    if (override != null && !override.isBlank()) {
      Path p = Path.of(override);
      return Files.isExecutable(p) ? p : null;
    }
    return onPath("nvcc");
  }

  static Path hostCompiler() {
    Path gcc = onPath("gcc");
    return gcc != null ? gcc : onPath("cc");
  }

  static Path onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  static Run run(Path workDir, List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(workDir.toFile())
        .redirectErrorStream(true).start();
    byte[] out = process.getInputStream().readAllBytes();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
