package dev.adjoint.cuda;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.array.Array;
import dev.adjoint.array.Backend;
import dev.adjoint.array.BackendUnavailableException;
import dev.adjoint.array.Backends;
import dev.adjoint.array.Operand;
import dev.adjoint.array.Precision;
import dev.adjoint.cuda.bench.ActivationsKernels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The generated kernels on the GPU against the same entry points on the CPU (whose gradients
 * the processor's tests check against the oracle): every form, both precisions, broadcast
 * inputs, lengths that are not multiples of the vector width; copies both ways; the
 * allocator's statistics and reuse on the device. Run on the GPU machine: {@code bash
 * .device/on-device.sh test} (and with {@code SANITIZE=1} under compute-sanitizer).
 */
@Tag("gpu")
class CudaKernelsGpuTest {
  private static CudaBackend gpu;
  private static final Backend CPU = Backends.cpu();

  @BeforeAll
  static void open() throws BackendUnavailableException {
    Backend b = new CudaBackendProvider().open();
    assumeTrue(b.isGpu(), "no CUDA device");
    gpu = (CudaBackend) b;
  }

  private static double[] points(int n, double from, double to) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = from + (to - from) * ((i * 0.618033988749895) % 1.0);
    }
    return x;
  }

  private static float[] floats(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  @Test
  void valueAndGradientF32MatchTheCpu() {
    for (int n : new int[] {1, 3, 4, 1023, 1 << 20, (1 << 20) + 5}) {
      float[] xs = floats(points(n, -3, 3));
      try (Array gx = gpu.upload(xs); Array gy = gpu.zeros(Precision.F32, n);
          Array gd = gpu.zeros(Precision.F32, n); Array gv = gpu.zeros(Precision.F32, n);
          Array cx = CPU.upload(xs); Array cy = CPU.zeros(Precision.F32, n);
          Array cd = CPU.zeros(Precision.F32, n)) {
        ActivationsKernels.tanh4cos2Grad(gx, Operand.scalar(1), gy, gd);
        ActivationsKernels.tanh4cos2(gx, gv);
        ActivationsKernels.tanh4cos2Grad(cx, Operand.scalar(1), cy, cd);
        assertClose(gy.toFloatArray(), cy.toFloatArray(), 2e-6);
        assertClose(gd.toFloatArray(), cd.toFloatArray(), 2e-5);
        assertClose(gv.toFloatArray(), cy.toFloatArray(), 2e-6);
      }
    }
  }

  @Test
  void twoInputsBroadcastAndSeedArrayF64() {
    int n = 100_001;
    double[] xs = points(n, -3, 3);
    double[] seeds = points(n, -1, 1);
    try (Array gx = gpu.upload(xs); Array gs = gpu.upload(seeds);
        Array gy = gpu.zeros(Precision.F64, n); Array gdx = gpu.zeros(Precision.F64, n);
        Array gdScale = gpu.zeros(Precision.F64, 1);
        Array cx = CPU.upload(xs); Array cs = CPU.upload(seeds);
        Array cy = CPU.zeros(Precision.F64, n); Array cdx = CPU.zeros(Precision.F64, n);
        Array cdScale = CPU.zeros(Precision.F64, 1)) {
      ActivationsKernels.scaledClipGrad(gx, Operand.scalar(1.5), gs, gy, gdx, gdScale);
      ActivationsKernels.scaledClipGrad(cx, Operand.scalar(1.5), cs, cy, cdx, cdScale);
      assertClose(gy.toDoubleArray(), cy.toDoubleArray(), 1e-12);
      assertClose(gdx.toDoubleArray(), cdx.toDoubleArray(), 1e-12);
      double expected = cdScale.toDoubleArray()[0];
      assertThat(gdScale.toDoubleArray()[0]).isWithin(1e-9 * Math.abs(expected)).of(expected);
    }
  }

  @Test
  void sumFormF32() {
    int n = (1 << 22) + 3;
    float[] xs = floats(points(n, -3, 3));
    try (Array gx = gpu.upload(xs); Array gd = gpu.zeros(Precision.F32, n);
        Array cx = CPU.upload(xs); Array cd = CPU.zeros(Precision.F32, n)) {
      double g = ActivationsKernels.tanh4cos2SumGrad(gx, 0.25, gd);
      double c = ActivationsKernels.tanh4cos2SumGrad(cx, 0.25, cd);
      // The GPU sums float32 values in double, the CPU double values: float32 rounding remains.
      assertThat(g).isWithin(1e-6 * n).of(c);
      assertClose(gd.toFloatArray(), cd.toFloatArray(), 2e-5);
    }
  }

  @Test
  void copiesBothWaysAndOnTheDevice() {
    double[] xs = points(1001, -5, 5);
    try (Array a = gpu.upload(xs); Array b = gpu.zeros(Precision.F64, 1001)) {
      gpu.copy(a, b);
      assertThat(b.toDoubleArray()).usingExactEquality().containsExactly(xs).inOrder();
    }
  }

  @Test
  void allocatorCountsRoundedBytesAndReusesBlocks() {
    DeviceAllocator allocator = gpu.allocator();
    long before = allocator.stats().allocatedBytes();
    allocator.resetPeak();
    try (Array a = gpu.zeros(Precision.F32, 1024)) {
      assertThat(allocator.stats().allocatedBytes() - before).isEqualTo(4096);
    }
    try (Array a = gpu.zeros(Precision.F32, 1025)) {
      assertThat(allocator.stats().allocatedBytes() - before).isEqualTo(4608);
      assertThat(allocator.stats().peakAllocatedBytes() - before).isEqualTo(4608);
    }
    assertThat(allocator.stats().allocatedBytes()).isEqualTo(before);
    long calls = allocator.stats().deviceAllocations();
    for (int i = 0; i < 10; i++) {
      try (Array a = gpu.zeros(Precision.F32, 1000)) {
        assertThat(a.length()).isEqualTo(1000);
      }
    }
    assertThat(allocator.stats().deviceAllocations()).isEqualTo(calls);
  }

  private static void assertClose(float[] actual, float[] expected, double tolerance) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertThat((double) actual[i]).isWithin(tolerance * Math.max(1, Math.abs(expected[i])))
          .of(expected[i]);
    }
  }

  private static void assertClose(double[] actual, double[] expected, double tolerance) {
    assertThat(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < actual.length; i++) {
      assertThat(actual[i]).isWithin(tolerance * Math.max(1, Math.abs(expected[i])))
          .of(expected[i]);
    }
  }
}
