package dev.adjoint.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles the main CUDA sources to PTX in {@code target/classes}: the {@code FooKernels.cu}
 * files the Adjoint processor generated, and hand-written ones under {@code src/main/cuda}.
 */
@Mojo(name = "ptx", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true)
public final class PtxMojo extends AbstractPtxMojo {
  @Parameter(defaultValue = "${project.build.directory}/generated-sources/annotations",
      required = true)
  private File generatedSources;

  @Parameter(defaultValue = "${project.basedir}/src/main/cuda", required = true)
  private File cudaSources;

  @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
  private File outputDirectory;

  @Override
  List<File> sourceFolders() {
    return List.of(generatedSources, cudaSources);
  }

  @Override
  File outputFolder() {
    return outputDirectory;
  }
}
