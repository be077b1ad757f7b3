package dev.adjoint.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What the {@code ptx} and {@code test-ptx} goals share: find nvcc, compile, or warn once. */
abstract class AbstractPtxMojo extends AbstractMojo {
  /** One warning per build about a missing nvcc, however many modules have CUDA sources. */
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  /** nvcc: a name looked up on the PATH, or a path. */
  @Parameter(property = "adjoint.nvcc", defaultValue = "nvcc")
  private String nvcc;

  /** The virtual architecture of the PTX; the driver compiles it for the actual GPU. */
  @Parameter(property = "adjoint.cuda.arch", defaultValue = "compute_90")
  private String arch;

  /** Skips the goal. */
  @Parameter(property = "adjoint.cuda.skip", defaultValue = "false")
  private boolean skip;

  /** The folders searched for {@code .cu} files. */
  abstract List<File> sourceFolders();

  /** Where the PTX goes (a class-path root, so it is packed with the classes). */
  abstract File outputFolder();

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("adjoint: CUDA compilation skipped (adjoint.cuda.skip)");
      return;
    }
    List<Path[]> sources;
    try {
      sources = CudaCompiler.sources(sourceFolders().stream().map(File::toPath).toList());
    } catch (IOException e) {
      throw new MojoExecutionException("cannot list CUDA sources: " + e.getMessage(), e);
    }
    if (sources.isEmpty()) {
      return;
    }
    Path compiler = CudaCompiler.locate(nvcc, System.getenv("PATH"));
    if (compiler == null) {
      String message = "adjoint: nvcc (" + nvcc + ") not found, so CUDA sources were not "
          + "compiled to PTX; their GPU kernels will report themselves unavailable at run time "
          + "(the CPU backend is unaffected). Put nvcc on the PATH or set -Dadjoint.nvcc=PATH.";
      if (WARNED.compareAndSet(false, true)) {
        getLog().warn(message);
      } else {
        getLog().info("adjoint: " + sources.size() + " CUDA source(s) not compiled (no nvcc)");
      }
      return;
    }
    CudaCompiler cuda = new CudaCompiler(compiler, arch);
    int compiled = 0;
    for (Path[] source : sources) {
      try {
        compiled += cuda.compile(source[0], source[1], outputFolder().toPath()).compiled() ? 1 : 0;
      } catch (CudaCompiler.CompileException e) {
        throw new MojoFailureException(e.getMessage());
      } catch (IOException e) {
        throw new MojoExecutionException("compiling " + source[1] + ": " + e.getMessage(), e);
      }
    }
    getLog().info("adjoint: " + compiled + " of " + sources.size() + " CUDA source(s) compiled "
        + "to PTX (" + arch + ") in " + outputFolder());
  }
}
