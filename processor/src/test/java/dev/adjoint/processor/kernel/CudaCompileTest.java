package dev.adjoint.processor.kernel;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every generated kernel compiles with nvcc to PTX for compute_90 (what the build plugin does)
 * and that PTX assembles with ptxas for sm_90 (what the driver does on an H100), with no
 * warning. Skipped, saying so, where nvcc is missing.
 */
class CudaCompileTest {
  @TempDir Path dir;

  @Test
  void generatedKernelsCompileAndAssembleForSm90() throws Exception {
    Path nvcc = Toolchain.nvcc();
    assumeTrue(nvcc != null, "nvcc is not on the PATH: the CUDA compile check is skipped");
    Path cu = dir.resolve("FnsKernels.cu");
    Files.writeString(cu, KernelFixtures.cuda());
    Toolchain.Run ptx = Toolchain.run(dir, List.of(nvcc.toString(), "-ptx",
        "-arch=compute_90", "-o", "FnsKernels.ptx", "FnsKernels.cu"));
    assertWithMessage("nvcc -ptx:\n" + ptx.output()).that(ptx.exitCode()).isEqualTo(0);
    assertWithMessage("nvcc warnings").that(ptx.output().trim()).isEmpty();
    Path ptxas = nvcc.resolveSibling("ptxas");
    Toolchain.Run cubin = Toolchain.run(dir, List.of(ptxas.toString(), "-arch=sm_90",
        "-o", "FnsKernels.cubin", "FnsKernels.ptx"));
    assertWithMessage("ptxas:\n" + cubin.output()).that(cubin.exitCode()).isEqualTo(0);
    assertWithMessage("ptxas warnings").that(cubin.output().trim()).isEmpty();
    String text = Files.readString(dir.resolve("FnsKernels.ptx"));
    for (String method : List.of("act", "branchy", "mix", "scaled")) {
      for (String form : List.of("value", "grad", "sum_grad")) {
        for (String precision : List.of("f32", "f64")) {
          assertWithMessage("PTX entry").that(text)
              .contains(".entry " + method + "_" + form + "_" + precision + "(");
        }
      }
    }
  }

  @Test
  void float32KernelsUse128BitLoadsAndStores() throws Exception {
    Path nvcc = Toolchain.nvcc();
    assumeTrue(nvcc != null, "nvcc is not on the PATH: the CUDA compile check is skipped");
    Files.writeString(dir.resolve("FnsKernels.cu"), KernelFixtures.cuda());
    Toolchain.Run ptx = Toolchain.run(dir, List.of(nvcc.toString(), "-ptx",
        "-arch=compute_90", "-o", "FnsKernels.ptx", "FnsKernels.cu"));
    assertWithMessage(ptx.output()).that(ptx.exitCode()).isEqualTo(0);
    String text = Files.readString(dir.resolve("FnsKernels.ptx"));
    int start = text.indexOf(".entry act_grad_f32(");
    int next = text.indexOf(".entry", start + 1);
    String grad = text.substring(start, next < 0 ? text.length() : next);
    assertWithMessage("vector loads in act_grad_f32").that(grad).contains("ld.global.nc.v4.f32");
    assertWithMessage("vector stores in act_grad_f32").that(grad).contains("st.global.v4.f32");
  }
}
