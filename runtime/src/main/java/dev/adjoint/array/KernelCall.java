package dev.adjoint.array;

import java.util.Arrays;
import java.util.List;

/**
 * One checked call of an {@link ElementwiseKernel}: every array on one backend, with one
 * precision and consistent lengths. Backends receive only calls that passed these checks.
 *
 * @param kernel the kernel
 * @param form which of its kernels runs
 * @param length the number of elements {@code n}
 * @param precision the arrays' precision
 * @param backend the arrays' backend
 * @param inputs one per parameter of the method: an array of length n, or a scalar
 * @param seed the upstream gradient: an array of length n or a scalar (GRAD), a scalar
 *     (SUM_GRAD), null (VALUE)
 * @param out receives the values (VALUE, GRAD); null when not wanted
 * @param gradients one per differentiated parameter, in order: for an array input an array of
 *     length n, for a scalar input an array of length 1 (the sum over elements); null when not
 *     wanted
 */
public record KernelCall(
    ElementwiseKernel kernel,
    Form form,
    long length,
    Precision precision,
    Backend backend,
    List<Operand> inputs,
    Operand seed,
    Array out,
    List<Array> gradients) {

  /** The three kernels generated per method. */
  public enum Form {
    /** {@code out[i] = f(x[i], ...)}. */
    VALUE("value"),
    /** {@code out[i] = f(...)} and {@code d_k[i] = seed[i] * df/dx_k}, in one pass. */
    GRAD("grad"),
    /** {@code sum_i f(...)} and {@code d_k[i] = seed * df/dx_k}, in one pass. */
    SUM_GRAD("sum_grad");

    private final String suffix;

    Form(String suffix) {
      this.suffix = suffix;
    }

    /** The part of the kernel's name that names the form. */
    public String suffix() {
      return suffix;
    }
  }

  /** The CUDA function name of this call: {@code <method>_<form>_<f32|f64>}. */
  public String function() {
    return kernel.name() + "_" + form.suffix() + "_" + precision.suffix();
  }

  /** The array of input {@code k}, or null when it is a broadcast scalar. */
  public Array inputArray(int k) {
    return inputs.get(k) instanceof Array a ? a : null;
  }

  /** The value of input {@code k} when it is a broadcast scalar, else 0. */
  public double inputScalar(int k) {
    return inputs.get(k) instanceof Operand.Scalar s ? s.value() : 0.0;
  }

  /** Whether gradient {@code g} is wanted, and its input is an array (one value per element). */
  public boolean gradientPerElement(int g) {
    return gradients.get(g) != null && !gradientReduced(g);
  }

  /** Whether gradient {@code g}'s input is a broadcast scalar (its gradient is a sum). */
  public boolean gradientReduced(int g) {
    return inputArray(kernel.inputs().indexOf(kernel.differentiated().get(g))) == null;
  }

  /**
   * Writes each wanted broadcast input's gradient, {@code sums[g]}, into its one-element buffer
   * (backends call this once their reductions are done).
   */
  public void writeReducedGradients(double[] sums) {
    for (int g = 0; g < gradients.size(); g++) {
      Array buffer = gradients.get(g);
      if (buffer == null || !gradientReduced(g)) {
        continue;
      }
      if (buffer.precision() == Precision.F32) {
        buffer.copyFrom(new float[] {(float) sums[g]});
      } else {
        buffer.copyFrom(new double[] {sums[g]});
      }
    }
  }

  /** Checks a call and infers its length, precision and backend. */
  static KernelCall check(ElementwiseKernel kernel, Form form, Operand[] inputs, Operand seed,
      Array out, Array[] gradients) {
    String method = kernel.name();
    if (inputs.length != kernel.inputs().size()) {
      throw new IllegalArgumentException(method + " takes " + kernel.inputs().size()
          + " inputs " + kernel.inputs() + ", got " + inputs.length);
    }
    Array reference = out;
    for (int k = 0; k < inputs.length; k++) {
      if (inputs[k] == null) {
        throw new NullPointerException(method + ": input '" + kernel.inputs().get(k)
            + "' is null; pass an Array or Operand.scalar(value)");
      }
      if (reference == null && inputs[k] instanceof Array a) {
        reference = a;
      }
    }
    if (reference == null && seed instanceof Array a) {
      reference = a;
    }
    if (reference == null) {
      throw new IllegalArgumentException(method + ": every input is a scalar, so the number of "
          + "elements is unknown; pass at least one Array" + (form == Form.VALUE ? "" : " input"));
    }
    long n = form == Form.VALUE || form == Form.GRAD ? (out != null ? out.length()
        : reference.length()) : reference.length();
    Precision precision = reference.precision();
    Backend backend = reference.backend();
    for (int k = 0; k < inputs.length; k++) {
      if (inputs[k] instanceof Array a) {
        same(method, "input '" + kernel.inputs().get(k) + "'", a, n, precision, backend,
            reference);
      }
    }
    if (seed instanceof Array a) {
      same(method, "seed", a, n, precision, backend, reference);
    }
    if (out != null) {
      same(method, "out", out, n, precision, backend, reference);
    }
    List<String> differentiated = kernel.differentiated();
    if (gradients.length != differentiated.size()) {
      throw new IllegalArgumentException(method + " has " + differentiated.size()
          + " gradients " + differentiated + ", got " + gradients.length + " buffers");
    }
    for (int g = 0; g < gradients.length; g++) {
      if (gradients[g] == null) {
        continue;
      }
      int k = kernel.inputs().indexOf(differentiated.get(g));
      boolean broadcast = !(inputs[k] instanceof Array);
      String what = "gradient d" + capitalize(differentiated.get(g))
          + (broadcast ? " of the broadcast scalar '" + differentiated.get(g) + "'" : "");
      same(method, what, gradients[g], broadcast ? 1 : n, precision, backend, reference);
    }
    return new KernelCall(kernel, form, n, precision, backend, List.of(inputs), seed, out,
        Arrays.asList(gradients.clone()));
  }

  private static void same(String method, String what, Array a, long n, Precision precision,
      Backend backend, Array reference) {
    if (a.backend() != backend) {
      throw new IllegalArgumentException(method + ": " + what + " lives on " + a.backend().name()
          + " but the other arrays on " + backend.name() + "; move it with "
          + "backend.upload(array.to" + (precision == Precision.F32 ? "Float" : "Double")
          + "Array())");
    }
    if (a.precision() != precision) {
      throw new IllegalArgumentException(method + ": " + what + " is " + a.precision()
          + " but the other arrays are " + precision + "; use one precision per call");
    }
    if (a.length() != n) {
      throw new IllegalArgumentException(method + ": " + what + " has " + a.length()
          + " elements, expected " + n + (a == reference ? "" : " (like the other arrays)"));
    }
  }

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
