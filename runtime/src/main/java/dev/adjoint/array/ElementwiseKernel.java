package dev.adjoint.array;

import java.util.List;

/**
 * The kernels of one {@code @Elementwise} method, as generated into {@code FooKernels}: the CPU
 * code (subclass methods, called per chunk of elements) and the names of the CUDA kernels in the
 * PTX module {@code p/FooKernels.ptx}. The public entry points of {@code FooKernels} call {@link
 * #value}, {@link #valueAndGradient} and {@link #sumAndGradient}, which check the arrays and hand
 * the call to their backend.
 *
 * <p>CPU chunk methods see input {@code k} as {@code in[k]} (null for a broadcast scalar, whose
 * value is {@code scalars[k]}). Gradient methods write {@code gradients[g][i]} for array inputs
 * (when the buffer is not null) and add broadcast inputs' gradients into {@code sums[g]}; {@code
 * sums[differentiated]} receives the sum of the values.
 */
public abstract class ElementwiseKernel {
  private final Class<?> owner;
  private final String name;
  private final List<String> inputs;
  private final List<String> differentiated;

  /**
   * @param owner the generated class, whose resources hold the PTX
   * @param name the method's name, which prefixes its CUDA kernels' names
   * @param inputs the method's parameter names, in order
   * @param differentiated the parameters with a gradient, in order
   */
  protected ElementwiseKernel(Class<?> owner, String name, List<String> inputs,
      List<String> differentiated) {
    this.owner = owner;
    this.name = name;
    this.inputs = List.copyOf(inputs);
    this.differentiated = List.copyOf(differentiated);
  }

  public final Class<?> owner() {
    return owner;
  }

  public final String name() {
    return name;
  }

  public final List<String> inputs() {
    return inputs;
  }

  public final List<String> differentiated() {
    return differentiated;
  }

  /** The class-path resource of the PTX module: {@code p/FooKernels.ptx}. */
  public final String module() {
    return owner.getName().replace('.', '/') + ".ptx";
  }

  /** {@code out[i] = f(inputs[i]...)}. */
  public final void value(Array out, Operand... inputs) {
    java.util.Objects.requireNonNull(out, "out");
    KernelCall call = KernelCall.check(this, KernelCall.Form.VALUE, inputs, null, out,
        new Array[differentiated.size()]);
    call.backend().execute(call);
  }

  /**
   * {@code out[i] = f(inputs[i]...)} and {@code gradients[g][i] = seed[i] * df/dx_g} in one pass;
   * null buffers are not written. A broadcast input's gradient buffer has one element: the sum.
   */
  public final void valueAndGradient(Operand seed, Array out, Array[] gradients,
      Operand... inputs) {
    java.util.Objects.requireNonNull(seed, "seed");
    KernelCall call = KernelCall.check(this, KernelCall.Form.GRAD, inputs, seed, out, gradients);
    call.backend().execute(call);
  }

  /**
   * Returns {@code sum_i f(inputs[i]...)} and writes {@code gradients[g][i] = seed * df/dx_g}:
   * the gradient of {@code seed} times the sum, as a loss function's.
   */
  public final double sumAndGradient(double seed, Array[] gradients, Operand... inputs) {
    KernelCall call = KernelCall.check(this, KernelCall.Form.SUM_GRAD, inputs,
        Operand.scalar(seed), null, gradients);
    return call.backend().execute(call);
  }

  // ------------------------------------------------------------ CPU code, per chunk [from, to)

  /** {@code out[i] = f(...)} for F32 arrays. */
  protected abstract void valueF32(int from, int to, float[][] in, double[] scalars,
      float[] out);

  /** {@code out[i] = f(...)} for F64 arrays. */
  protected abstract void valueF64(int from, int to, double[][] in, double[] scalars,
      double[] out);

  /**
   * Values and {@code seed[i]} (or {@code seedScalar} when {@code seed} is null) times the
   * gradient, for F32 arrays; {@code out} may be null.
   */
  protected abstract void gradientF32(int from, int to, float[][] in, double[] scalars,
      float[] seed, double seedScalar, float[] out, float[][] gradients, double[] sums);

  /** As {@link #gradientF32}, for F64 arrays. */
  protected abstract void gradientF64(int from, int to, double[][] in, double[] scalars,
      double[] seed, double seedScalar, double[] out, double[][] gradients, double[] sums);

  // Package-private bridges for the CPU backend (the chunk methods are protected).

  final void runValueF32(int from, int to, float[][] in, double[] scalars, float[] out) {
    valueF32(from, to, in, scalars, out);
  }

  final void runValueF64(int from, int to, double[][] in, double[] scalars, double[] out) {
    valueF64(from, to, in, scalars, out);
  }

  final void runGradientF32(int from, int to, float[][] in, double[] scalars, float[] seed,
      double seedScalar, float[] out, float[][] gradients, double[] sums) {
    gradientF32(from, to, in, scalars, seed, seedScalar, out, gradients, sums);
  }

  final void runGradientF64(int from, int to, double[][] in, double[] scalars, double[] seed,
      double seedScalar, double[] out, double[][] gradients, double[] sums) {
    gradientF64(from, to, in, scalars, seed, seedScalar, out, gradients, sums);
  }

  @Override
  public String toString() {
    return owner.getSimpleName() + "." + name + inputs;
  }
}
