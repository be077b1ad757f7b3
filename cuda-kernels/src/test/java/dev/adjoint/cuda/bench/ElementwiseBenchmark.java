package dev.adjoint.cuda.bench;

import dev.adjoint.array.Array;
import dev.adjoint.array.Operand;
import dev.adjoint.array.Precision;
import dev.adjoint.cuda.CudaBackend;
import dev.adjoint.cuda.CudaBackendProvider;
import java.util.Locale;
import jcuda.driver.CUevent;
import jcuda.driver.JCudaDriver;

/**
 * The benchmark: float32, n = 2^26, f(x) = tanh(4 cos^2 x), value and gradient in one
 * fused kernel ({@code ActivationsKernels.tanh4cos2Grad} with a broadcast seed of 1), timed with
 * CUDA events, beside a copy of the same array with the backend's copy kernel in the same run.
 * Effective bandwidth counts 12 bytes per element for f (read x, write f(x) and f'(x)) and 8 for
 * the copy. On the GPU machine: {@code bash .device/on-device.sh main
 * dev.adjoint.cuda.bench.ElementwiseBenchmark [log2n] [calls]}.
 */
public final class ElementwiseBenchmark {
  private ElementwiseBenchmark() {}

  public static void main(String[] args) throws Exception {
    int log2n = args.length > 0 ? Integer.parseInt(args[0]) : 26;
    int calls = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    long n = 1L << log2n;
    CudaBackend gpu = (CudaBackend) new CudaBackendProvider().open();
    System.out.printf(Locale.ROOT, "device: %s (%d SMs); float32, n = 2^%d, %d timed calls%n",
        gpu.deviceName(), gpu.multiprocessors(), log2n, calls);
    float[] host = new float[(int) n];
    for (int i = 0; i < host.length; i++) {
      host[i] = (float) (-3 + 6 * ((i * 0.618033988749895) % 1.0));
    }
    try (Array x = gpu.upload(host); Array y = gpu.zeros(Precision.F32, n);
        Array dx = gpu.zeros(Precision.F32, n); Array copy = gpu.zeros(Precision.F32, n)) {
      Operand one = Operand.scalar(1);
      double fused = time(gpu, calls, () -> ActivationsKernels.tanh4cos2Grad(x, one, y, dx));
      double copied = time(gpu, calls, () -> gpu.copy(x, copy));
      report("tanh(4cos^2 x) value+gradient, fused", fused, 12.0 * n);
      report("copy (adj_copy kernel)", copied, 8.0 * n);
      System.out.printf(Locale.ROOT, "ratio: fused bandwidth / copy bandwidth = %.3f%n",
          (12.0 * n / fused) / (8.0 * n / copied));
      check(host, y.toFloatArray(), dx.toFloatArray());
    }
  }

  /** Milliseconds per call, from CUDA events around {@code calls} calls after a warm-up. */
  private static double time(CudaBackend gpu, int calls, Runnable call) {
    for (int i = 0; i < 10; i++) {
      call.run();
    }
    gpu.synchronize();
    CUevent start = new CUevent();
    CUevent stop = new CUevent();
    JCudaDriver.cuEventCreate(start, 0);
    JCudaDriver.cuEventCreate(stop, 0);
    JCudaDriver.cuEventRecord(start, null);
    for (int i = 0; i < calls; i++) {
      call.run();
    }
    JCudaDriver.cuEventRecord(stop, null);
    JCudaDriver.cuEventSynchronize(stop);
    float[] ms = new float[1];
    JCudaDriver.cuEventElapsedTime(ms, start, stop);
    JCudaDriver.cuEventDestroy(start);
    JCudaDriver.cuEventDestroy(stop);
    return ms[0] / calls;
  }

  private static void report(String what, double ms, double bytes) {
    System.out.printf(Locale.ROOT, "%-40s %8.4f ms/call  %7.1f GB/s effective%n", what, ms,
        bytes / (ms * 1e-3) / 1e9);
  }

  /** Spot checks against the Java method and its generated derivative. */
  private static void check(float[] x, float[] y, float[] dx) {
    double worst = 0;
    for (int i = 0; i < x.length; i += 9973) {
      ActivationsDiff.Tanh4cos2Grad g = ActivationsDiff.tanh4cos2Grad(x[i]);
      worst = Math.max(worst, Math.abs(y[i] - g.value()));
      worst = Math.max(worst, Math.abs(dx[i] - g.dX()) / Math.max(1, Math.abs(g.dX())));
    }
    System.out.printf(Locale.ROOT, "largest difference from the Java derivative (sampled): %.2e%n",
        worst);
    if (worst > 1e-4) {
      throw new AssertionError("GPU results differ from Java by " + worst);
    }
  }
}
