package dev.adjoint.cuda;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.array.BackendProvider;
import dev.adjoint.array.Backends;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * Backend choice with the CUDA provider on the class path, on any machine: it never throws in
 * {@code auto} mode; without a driver it picks the CPU and says why (CI has no libcuda).
 */
class BackendSelectionTest {
  @Test
  void cudaProviderIsFoundByTheServiceLoader() {
    List<String> names = ServiceLoader.load(BackendProvider.class).stream()
        .map(p -> p.get().name()).toList();
    assertThat(names).contains("cuda");
  }

  @Test
  void autoNeverThrowsAndExplainsItsChoice() {
    Backends.Selection s = Backends.select(null, List.of(new CudaBackendProvider()));
    assertThat(s.describe()).startsWith("Adjoint backend: " + s.backend().name() + " (");
    if (!s.backend().isGpu()) {
      assertThat(s.reason()).startsWith("cuda unavailable: ");
    }
  }

  @Test
  void explicitCpuOverride() {
    Backends.Selection s = Backends.select("cpu", List.of(new CudaBackendProvider()));
    assertThat(s.backend()).isSameInstanceAs(Backends.cpu());
    assertThat(s.reason()).isEqualTo("adjoint.backend=cpu");
  }

  @Test
  void explicitCudaWithoutDriverIsAClearError() {
    Backends.Selection auto = Backends.select("auto", List.of(new CudaBackendProvider()));
    if (auto.backend().isGpu()) {
      return; // a GPU machine: the explicit request succeeds, as the gpu tests show
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Backends.select("cuda", List.of(new CudaBackendProvider())));
    assertThat(e).hasMessageThat().startsWith("adjoint.backend=cuda but cuda is unavailable: ");
  }

  @Test
  void unknownOverrideNamesTheChoices() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Backends.select("opencl", List.of(new CudaBackendProvider())));
    assertThat(e).hasMessageThat().contains("use cpu, auto, cuda");
  }
}
