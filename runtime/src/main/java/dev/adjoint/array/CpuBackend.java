package dev.adjoint.array;

import java.util.stream.IntStream;

/**
 * Heap arrays, and elementwise kernels as the generated Java loops, split into chunks of {@value
 * #CHUNK} elements that run in parallel on the common fork-join pool when there are several.
 * Sums (broadcast inputs' gradients, the sum form's value) are added per chunk, then across
 * chunks in order, so results do not depend on scheduling.
 */
final class CpuBackend implements Backend {
  /** Elements per chunk: large enough to amortise a task, small enough to balance cores. */
  static final int CHUNK = 1 << 15;

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public boolean isGpu() {
    return false;
  }

  @Override
  public Array zeros(Precision precision, long length) {
    return new CpuArray(this, precision, length);
  }

  @Override
  public void copy(Array from, Array to) {
    CpuArray a = own(from);
    CpuArray b = own(to);
    if (a.precision() != b.precision() || a.length() != b.length()) {
      throw new IllegalArgumentException("copy needs the same precision and length: "
          + a.precision() + "[" + a.length() + "] to " + b.precision() + "[" + b.length() + "]");
    }
    if (a.precision() == Precision.F32) {
      System.arraycopy(a.floats(), 0, b.floats(), 0, a.floats().length);
    } else {
      System.arraycopy(a.doubles(), 0, b.doubles(), 0, a.doubles().length);
    }
  }

  @Override
  public void synchronize() {}

  @Override
  public double execute(KernelCall call) {
    int n = (int) call.length();
    int inputs = call.inputs().size();
    int slots = call.kernel().differentiated().size() + 1;
    int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
    double[][] sums = new double[chunks][slots];
    double[] scalars = new double[inputs];
    for (int k = 0; k < inputs; k++) {
      scalars[k] = call.inputScalar(k);
    }
    Runnable[] work = new Runnable[chunks];
    boolean f32 = call.precision() == Precision.F32;
    for (int c = 0; c < chunks; c++) {
      int from = c * CHUNK;
      int to = Math.min(n, from + CHUNK);
      double[] chunkSums = sums[c];
      work[c] = f32 ? f32Chunk(call, from, to, scalars, chunkSums)
          : f64Chunk(call, from, to, scalars, chunkSums);
    }
    if (chunks == 1) {
      work[0].run();
    } else {
      IntStream.range(0, chunks).parallel().forEach(c -> work[c].run());
    }
    double[] total = new double[slots];
    for (double[] chunkSums : sums) {
      for (int s = 0; s < slots; s++) {
        total[s] += chunkSums[s];
      }
    }
    call.writeReducedGradients(total);
    return call.form() == KernelCall.Form.SUM_GRAD ? total[slots - 1] : 0.0;
  }

  private Runnable f32Chunk(KernelCall call, int from, int to, double[] scalars,
      double[] sums) {
    ElementwiseKernel k = call.kernel();
    float[][] in = new float[call.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = call.inputArray(i) == null ? null : own(call.inputArray(i)).floats();
    }
    float[] out = call.out() == null ? null : own(call.out()).floats();
    if (call.form() == KernelCall.Form.VALUE) {
      return () -> k.runValueF32(from, to, in, scalars, out);
    }
    float[] seed = call.seed() instanceof Array a ? own(a).floats() : null;
    double seedScalar = call.seed() instanceof Operand.Scalar s ? s.value() : 0.0;
    float[][] gradients = new float[call.gradients().size()][];
    for (int g = 0; g < gradients.length; g++) {
      gradients[g] = call.gradientPerElement(g) ? own(call.gradients().get(g)).floats() : null;
    }
    return () -> k.runGradientF32(from, to, in, scalars, seed, seedScalar, out, gradients, sums);
  }

  private Runnable f64Chunk(KernelCall call, int from, int to, double[] scalars,
      double[] sums) {
    ElementwiseKernel k = call.kernel();
    double[][] in = new double[call.inputs().size()][];
    for (int i = 0; i < in.length; i++) {
      in[i] = call.inputArray(i) == null ? null : own(call.inputArray(i)).doubles();
    }
    double[] out = call.out() == null ? null : own(call.out()).doubles();
    if (call.form() == KernelCall.Form.VALUE) {
      return () -> k.runValueF64(from, to, in, scalars, out);
    }
    double[] seed = call.seed() instanceof Array a ? own(a).doubles() : null;
    double seedScalar = call.seed() instanceof Operand.Scalar s ? s.value() : 0.0;
    double[][] gradients = new double[call.gradients().size()][];
    for (int g = 0; g < gradients.length; g++) {
      gradients[g] = call.gradientPerElement(g) ? own(call.gradients().get(g)).doubles() : null;
    }
    return () -> k.runGradientF64(from, to, in, scalars, seed, seedScalar, out, gradients, sums);
  }

  private CpuArray own(Array a) {
    if (!(a instanceof CpuArray c) || c.backend() != this) {
      throw new IllegalArgumentException(a + " is not an array of the CPU backend");
    }
    return c;
  }

  @Override
  public String toString() {
    return "cpu, " + Runtime.getRuntime().availableProcessors() + " threads";
  }
}
