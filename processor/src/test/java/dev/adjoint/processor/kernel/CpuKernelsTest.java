package dev.adjoint.processor.kernel;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.array.Array;
import dev.adjoint.array.Backend;
import dev.adjoint.array.Backends;
import dev.adjoint.array.Operand;
import dev.adjoint.array.Precision;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The generated {@code FnsKernels} entry points on the CPU backend: values and gradients of
 * every form against the method itself and the Ridders oracle, broadcast inputs' reduced
 * gradients against the sum of the oracle's partials, float32 against float64, several chunks
 * (the parallel path), and the checks that reject mismatched arrays.
 */
class CpuKernelsTest {
  private static final Backend CPU = Backends.cpu();
  /** More than one chunk of the CPU backend, and not a multiple of 4. */
  private static final int N = 100_003;

  private static Class<?> kernels() {
    return KernelFixtures.compiled().load("p.FnsKernels");
  }

  private static Object call(String name, Object... args) {
    for (Method m : kernels().getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length) {
        try {
          return m.invoke(null, args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          throw new AssertionError(e);
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no " + name + " with " + args.length + " parameters");
  }

  private static double act(double x) {
    double c = Math.cos(x);
    return Math.tanh(4 * c * c);
  }

  private static double[] points(int n, double from, double to) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = from + (to - from) * ((i * 0.618033988749895) % 1.0);
    }
    return x;
  }

  @Test
  void actValueAndGradientAgainstTheOracle() {
    double[] xs = points(N, -3, 3);
    try (Array x = CPU.upload(xs); Array y = CPU.zeros(Precision.F64, N);
        Array dx = CPU.zeros(Precision.F64, N)) {
      call("actGrad", x, Operand.scalar(1.0), y, dx);
      double[] value = y.toDoubleArray();
      double[] grad = dx.toDoubleArray();
      for (int i = 0; i < N; i += 997) {
        assertThat(value[i]).isEqualTo(act(xs[i]));
        Oracle.Estimate fd = Oracle.derivative(CpuKernelsTest::act, xs[i]);
        assertWithMessage("d act at %s", xs[i]).that(grad[i])
            .isWithin(1e-7 * Math.max(1, Math.abs(fd.value())) + 10 * fd.error()).of(fd.value());
      }
    }
  }

  @Test
  void valueKernelAndSeedArray() {
    double[] xs = points(1000, -2, 2);
    double[] seeds = points(1000, -1, 1);
    try (Array x = CPU.upload(xs); Array seed = CPU.upload(seeds);
        Array y = CPU.zeros(Precision.F64, 1000); Array dx = CPU.zeros(Precision.F64, 1000);
        Array plain = CPU.zeros(Precision.F64, 1000)) {
      call("act", x, plain);
      call("actGrad", x, seed, y, dx);
      assertThat(plain.toDoubleArray()).usingExactEquality().containsExactly(y.toDoubleArray())
          .inOrder();
      double[] grad = dx.toDoubleArray();
      for (int i = 0; i < 1000; i += 37) {
        Oracle.Estimate fd = Oracle.derivative(CpuKernelsTest::act, xs[i]);
        assertThat(grad[i]).isWithin(1e-7 + 10 * fd.error()).of(seeds[i] * fd.value());
      }
    }
  }

  @Test
  void broadcastInputGradientIsTheSumOfThePartials() {
    // mix(a, b, c) with b broadcast: dB is one number, the sum over i of d mix / d b.
    double[] as = points(N, -2, 2);
    double[] cs = points(N, -1, 1.5);
    double b = 0.7;
    try (Array a = CPU.upload(as); Array c = CPU.upload(cs); Array out = CPU.zeros(Precision.F64, N);
        Array dA = CPU.zeros(Precision.F64, N); Array dB = CPU.zeros(Precision.F64, 1);
        Array dC = CPU.zeros(Precision.F64, N)) {
      call("mixGrad", a, Operand.scalar(b), c, Operand.scalar(2.0), out, dA, dB, dC);
      Class<?> fns = KernelFixtures.compiled().load("p.Fns");
      double expected = 0;
      double error = 0;
      for (int i = 0; i < N; i += 101) {
        double[] point = {as[i], b, cs[i]};
        Oracle.Estimate fd = Oracle.partial(p -> mix(fns, p), point, 1);
        double[] mine = {dA.toDoubleArray()[i], dC.toDoubleArray()[i]};
        Oracle.Estimate fa = Oracle.partial(p -> mix(fns, p), point, 0);
        Oracle.Estimate fc = Oracle.partial(p -> mix(fns, p), point, 2);
        assertThat(mine[0]).isWithin(1e-6 + 20 * fa.error()).of(2 * fa.value());
        assertThat(mine[1]).isWithin(1e-6 + 20 * fc.error()).of(2 * fc.value());
        assertThat(out.toDoubleArray()[i]).isEqualTo(mix(fns, point));
        expected += 2 * fd.value();
        error += 20 * fd.error();
      }
      // The reduced gradient over all elements, against the sum of Java per-element partials.
      double sum = 0;
      for (int i = 0; i < N; i++) {
        sum += 2 * javaPartial(fns, as[i], b, cs[i], 1);
      }
      assertThat(dB.toDoubleArray()[0]).isWithin(1e-9 * Math.abs(sum)).of(sum);
      // The sampled oracle sum agrees with the sampled Java partials' sum.
      double sampled = 0;
      for (int i = 0; i < N; i += 101) {
        sampled += 2 * javaPartial(fns, as[i], b, cs[i], 1);
      }
      assertThat(sampled).isWithin(1e-6 * Math.max(1, Math.abs(expected)) + error).of(expected);
    }
  }

  @Test
  void sumFormIsTheLossAndItsGradient() {
    double[] xs = points(N, -3, 3);
    try (Array x = CPU.upload(xs); Array dx = CPU.zeros(Precision.F64, N)) {
      double total = (double) call("actSumGrad", x, 0.5, dx);
      double expected = 0;
      for (double v : xs) {
        expected += act(v);
      }
      assertThat(total).isWithin(1e-9 * Math.abs(expected)).of(expected);
      double[] grad = dx.toDoubleArray();
      for (int i = 0; i < N; i += 1009) {
        Oracle.Estimate fd = Oracle.derivative(CpuKernelsTest::act, xs[i]);
        assertThat(grad[i]).isWithin(1e-7 + 10 * fd.error()).of(0.5 * fd.value());
      }
    }
  }

  @Test
  void float32AgreesWithFloat64() {
    double[] xs = points(N, -3, 3);
    float[] fs = new float[N];
    for (int i = 0; i < N; i++) {
      fs[i] = (float) xs[i];
      xs[i] = fs[i];
    }
    try (Array x32 = CPU.upload(fs); Array y32 = CPU.zeros(Precision.F32, N);
        Array d32 = CPU.zeros(Precision.F32, N); Array x64 = CPU.upload(xs);
        Array y64 = CPU.zeros(Precision.F64, N); Array d64 = CPU.zeros(Precision.F64, N)) {
      call("actGrad", x32, Operand.scalar(1), y32, d32);
      call("actGrad", x64, Operand.scalar(1), y64, d64);
      float[] y = y32.toFloatArray();
      float[] d = d32.toFloatArray();
      double[] yy = y64.toDoubleArray();
      double[] dd = d64.toDoubleArray();
      for (int i = 0; i < N; i++) {
        assertThat((double) y[i]).isWithin(1e-6).of(yy[i]);
        assertThat((double) d[i]).isWithin(1e-6 * Math.max(1, Math.abs(dd[i]))).of(dd[i]);
      }
    }
  }

  @Test
  void floatParameterWithConstantBroadcast() {
    // scaled(float x, double k) is differentiated with respect to x only.
    float[] xs = {0.75f, -1.25f, 2f, 0.1f, -0.3f};
    try (Array x = CPU.upload(xs); Array out = CPU.zeros(Precision.F32, 5);
        Array dx = CPU.zeros(Precision.F32, 5)) {
      call("scaledGrad", x, Operand.scalar(2.5), Operand.scalar(1), out, dx);
      Class<?> fns = KernelFixtures.compiled().load("p.Fns");
      for (int i = 0; i < xs.length; i++) {
        double xi = xs[i];
        Oracle.Estimate fd = Oracle.partial(p -> scaled(fns, p[0]), new double[] {xi}, 0,
            v -> (float) v, Oracle.initialStep(xi));
        assertThat((double) dx.toFloatArray()[i]).isWithin(1e-3 * Math.max(1,
            Math.abs(fd.value())) + 10 * fd.error()).of(fd.value());
        assertThat(out.toFloatArray()[i]).isEqualTo((float) scaled(fns, xi));
      }
    }
  }

  @Test
  void mismatchedArraysAreRejectedWithAClearMessage() {
    try (Array x = CPU.zeros(Precision.F64, 10); Array y = CPU.zeros(Precision.F64, 9);
        Array f = CPU.zeros(Precision.F32, 10)) {
      IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
          () -> call("act", x, y));
      assertThat(length).hasMessageThat().contains("act: input 'x' has 10 elements, expected 9");
      IllegalArgumentException precision = assertThrows(IllegalArgumentException.class,
          () -> call("act", x, f));
      assertThat(precision).hasMessageThat().contains("is F64 but the other arrays are F32");
      IllegalArgumentException scalars = assertThrows(IllegalArgumentException.class,
          () -> call("actSumGrad", Operand.scalar(1), 1.0, null));
      assertThat(scalars).hasMessageThat().contains("every input is a scalar");
      IllegalArgumentException broadcastBuffer = assertThrows(IllegalArgumentException.class,
          () -> call("mixGrad", x, Operand.scalar(1), x, Operand.scalar(1), null, null, x, null));
      assertThat(broadcastBuffer).hasMessageThat()
          .contains("gradient dB of the broadcast scalar 'b' has 10 elements, expected 1");
    }
  }

  private static double mix(Class<?> fns, double[] p) {
    try {
      return (double) fns.getMethod("mix", double.class, double.class, double.class)
          .invoke(null, p[0], p[1], p[2]);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static double scaled(Class<?> fns, double x) {
    try {
      return (float) fns.getMethod("scaled", float.class, double.class)
          .invoke(null, (float) x, 2.5);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static double javaPartial(Class<?> fns, double a, double b, double c, int k) {
    try {
      Class<?> diff = KernelFixtures.compiled().load("p.FnsDiff");
      double[] adjoints = new double[3];
      diff.getMethod("mixAdjoint", double.class, double.class, double.class, double.class,
          double[].class).invoke(null, a, b, c, 1.0, adjoints);
      return adjoints[k];
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
