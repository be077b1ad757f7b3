package dev.adjoint.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Compiles the test CUDA sources to PTX in {@code target/test-classes}: kernels generated from
 * test classes, and hand-written ones under {@code src/test/cuda}.
 */
@Mojo(name = "test-ptx", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES, threadSafe = true)
public final class TestPtxMojo extends AbstractPtxMojo {
  @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/test-annotations",
      required = true)
  private File generatedSources;

  @Parameter(defaultValue = "${project.basedir}/src/test/cuda", required = true)
  private File cudaSources;

  @Parameter(defaultValue = "${project.build.testOutputDirectory}", required = true)
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
