package dev.adjoint.maven;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding nvcc and the sources, compiling to PTX under the same relative path, failures. */
class CudaCompilerTest {
  @TempDir Path dir;

  @Test
  void locatesNvccOnThePathOrByPath() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fake = Files.createFile(bin.resolve("nvcc"));
    fake.toFile().setExecutable(true);
    assertThat(CudaCompiler.locate("nvcc", "/nonexistent:" + bin)).isEqualTo(fake);
    assertThat(CudaCompiler.locate(fake.toString(), null)).isEqualTo(fake);
    assertThat(CudaCompiler.locate("nvcc", "/nonexistent")).isNull();
    assertThat(CudaCompiler.locate(bin.resolve("missing").toString(), null)).isNull();
  }

  @Test
  void findsCudaSourcesUnderExistingFolders() throws Exception {
    Path root = Files.createDirectories(dir.resolve("gen/p"));
    Files.writeString(root.resolve("FooKernels.cu"), "");
    Files.writeString(root.resolve("FooKernels.java"), "");
    List<Path[]> found = CudaCompiler.sources(List.of(dir.resolve("gen"), dir.resolve("none")));
    assertThat(found).hasSize(1);
    assertThat(found.get(0)[1].getFileName().toString()).isEqualTo("FooKernels.cu");
  }

  @Test
  void compilesToPtxUnderTheSameRelativePathAndSkipsUpToDateFiles() throws Exception {
    Path nvcc = CudaCompiler.locate("nvcc", System.getenv("PATH"));
    assumeTrue(nvcc != null, "nvcc is not on the PATH: compile check skipped");
    Path root = Files.createDirectories(dir.resolve("src"));
    Path cu = Files.createDirectories(root.resolve("p")).resolve("Copy.cu");
    Files.writeString(cu, "extern \"C\" __global__ void copy(const float* a, float* b) "
        + "{ b[threadIdx.x] = a[threadIdx.x]; }\n");
    Files.setLastModifiedTime(cu, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    CudaCompiler compiler = new CudaCompiler(nvcc, "compute_90");
    CudaCompiler.Result first = compiler.compile(root, cu, dir.resolve("out"));
    assertThat(first.compiled()).isTrue();
    assertThat(first.ptx()).isEqualTo(dir.resolve("out/p/Copy.ptx"));
    assertThat(Files.readString(first.ptx())).contains(".entry copy(");
    assertThat(compiler.compile(root, cu, dir.resolve("out")).compiled()).isFalse();
  }

  @Test
  void nvccErrorsFailWithItsOutput() throws Exception {
    Path nvcc = CudaCompiler.locate("nvcc", System.getenv("PATH"));
    assumeTrue(nvcc != null, "nvcc is not on the PATH: compile check skipped");
    Path cu = Files.writeString(dir.resolve("Bad.cu"), "this is not CUDA\n");
    CudaCompiler.CompileException e = assertThrows(CudaCompiler.CompileException.class,
        () -> new CudaCompiler(nvcc, "compute_90").compile(dir, cu, dir.resolve("out")));
    assertThat(e).hasMessageThat().contains("nvcc failed on");
    assertThat(Files.exists(dir.resolve("out/Bad.ptx"))).isFalse();
  }
}
