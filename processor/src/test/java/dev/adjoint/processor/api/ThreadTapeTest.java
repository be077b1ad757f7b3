package dev.adjoint.processor.api;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.InProcessCompiler;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The entry points that take no tape record on this thread's tape ({@code Tape.ofThisThread()}):
 * once warm, {@code mAdjoint} without a tape allocates nothing more than with one, {@code mGrad}
 * only its result, {@code mHvp} only its result; nested calls on one thread share the tape and
 * still give the right numbers. Measured with the JVM's per-thread allocation counter.
 */
class ThreadTapeTest {
  private static final String MODEL = """
      package p;

      import dev.adjoint.Differentiable;

      public final class Model {
        @Differentiable(order = 2)
        public static double layer(double[] x, double w) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            double h = Math.tanh(w * x[i]);
            s = s + h * h * x[i];
          }
          return s;
        }

        /** A local array overwritten in a loop: its pullback restores a copy of it in place. */
        @Differentiable
        public static double smooth(double[] x, double w) {
          double[] h = new double[x.length];
          for (int t = 0; t < 3; t++) {
            for (int i = 0; i < x.length; i++) {
              h[i] = Math.tanh(w * x[i] + h[i]);
            }
          }
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += h[i] * h[i];
          }
          return s;
        }

        /** An array result, like a residual: two outputs of three inputs. */
        @Differentiable
        public static double[] residual(double[] p, double w) {
          double[] r = new double[2];
          double q = p[0] * p[1] + Math.sin(p[2]);
          r[0] = w * (q - 1);
          r[1] = w * q * p[2];
          return r;
        }
      }
      """;

  private static final String DRIVER = """
      package p;

      import dev.adjoint.runtime.Tape;
      import java.lang.management.ManagementFactory;

      public final class Driver {
        static double sink;
        static final double[] RESIDUAL_POINT = {0.3, -0.8, 1.1};
        static final double[] SEED = {1.0, 0.0};
        static final double[] RESIDUAL_ADJOINTS = new double[1];
        static final double[] RESIDUAL_P_ADJOINT = new double[3];
        static final ModelDiff.SmoothVjp RECORDING = ModelDiff.smoothVjp(point(), 0.3);

        static double[] point() {
          double[] x = new double[64];
          for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i);
          }
          return x;
        }

        static double once(String which, double[] x, double[] adjoints, double[] xAdjoint,
            double[] direction) {
          switch (which) {
            case "adjoint":
              return ModelDiff.layerAdjoint(x, 0.7, 1.0, adjoints, xAdjoint);
            case "grad":
              return ModelDiff.layerGrad(x, 0.7).value();
            case "hvp":
              return ModelDiff.layerHvp(x, 0.7, direction, 0.3)[0];
            case "vjp":
              return ModelDiff.smoothVjp(x, 0.7, RECORDING).pullback(1.0).dX()[5];
            case "residual":
              return ModelDiff.residualAdjoint(RESIDUAL_POINT, 0.7, SEED, RESIDUAL_ADJOINTS,
                  RESIDUAL_P_ADJOINT, Tape.ofThisThread())[1];
            default:
              throw new IllegalArgumentException(which);
          }
        }

        /** Bytes this thread allocates during {@code calls} calls of one entry point. */
        public static long allocatedBytes(String which, int calls) {
          double[] x = point();
          double[] adjoints = new double[1];
          double[] xAdjoint = new double[x.length];
          double[] direction = point();
          for (int i = 0; i < 20_000; i++) {
            sink += once(which, x, adjoints, xAdjoint, direction);
          }
          com.sun.management.ThreadMXBean bean =
              (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
          long id = Thread.currentThread().getId();
          long before = bean.getThreadAllocatedBytes(id);
          for (int i = 0; i < calls; i++) {
            sink += once(which, x, adjoints, xAdjoint, direction);
          }
          return bean.getThreadAllocatedBytes(id) - before;
        }

        /**
         * Pullbacks of a recording made anew and of one reused: the gradients of smooth at x
         * and at 2x by mAdjoint, then by pullbacks (two of the reused recording, one of them
         * while the thread tape holds a value of an open recording), then that value.
         */
        public static double[][] pullbacks() {
          double[] x = point();
          double[] x2 = point();
          for (int i = 0; i < x2.length; i++) {
            x2[i] *= 2;
          }
          double[] a1 = new double[x.length];
          double[] a2 = new double[x.length];
          double[] w1 = new double[1];
          double[] w2 = new double[1];
          ModelDiff.smoothAdjoint(x, 0.7, 1.0, w1, a1);
          ModelDiff.smoothAdjoint(x2, 0.7, 1.0, w2, a2);
          ModelDiff.SmoothVjp first = ModelDiff.smoothVjp(x, 0.7);
          double[] p1 = first.pullback(1.0).dX();
          ModelDiff.SmoothVjp reused = ModelDiff.smoothVjp(x2, 0.7, first);
          Tape tape = Tape.ofThisThread();
          tape.pushDouble(42);
          ModelDiff.SmoothGrad g2 = reused.pullback(1.0);
          double top = tape.popDouble();
          double[] p2 = reused.pullback(1.0).dX();
          return new double[][] {a1, p1, a2, g2.dX(), p2, {w2[0], g2.dW(), top,
              tape.doubleSize(), reused == first ? 1 : 0}};
        }

        /** Two array-result adjoints: value, seed after, the accumulated adjoint of w. */
        public static double[] residualTwice() {
          double[] seed = {1.0, 0.0};
          double[] adjoints = new double[1];
          double[] pAdjoint = new double[3];
          ModelDiff.residualAdjoint(RESIDUAL_POINT, 0.7, seed, adjoints, pAdjoint);
          double[] value = ModelDiff.residualAdjoint(RESIDUAL_POINT, 0.7, seed, adjoints,
              pAdjoint, new Tape());
          return new double[] {value[0], value[1], seed[0], seed[1], adjoints[0]};
        }

        /** The gradient's first entries computed inside another call on the same thread tape. */
        public static double[] nested() {
          double[] x = point();
          double[] inner = new double[x.length];
          double[] outer = new double[x.length];
          double[] adjoints = new double[1];
          Tape tape = Tape.ofThisThread();
          // A recording is open on the thread tape (as inside a sweep) while a call takes it.
          tape.pushDouble(42);
          ModelDiff.layerAdjoint(x, 0.7, 1.0, adjoints, inner);
          double top = tape.popDouble();
          ModelDiff.layerAdjoint(x, 0.7, 1.0, new double[1], outer, new Tape());
          return new double[] {top, inner[3], outer[3], tape.doubleSize()};
        }
      }
      """;

  private static InProcessCompiler compiled;

  private static synchronized InProcessCompiler compiled() {
    if (compiled == null) {
      compiled = InProcessCompiler.compile(MODEL, DRIVER);
    }
    return compiled;
  }

  private static long bytes(String which, int calls) throws Exception {
    Method m = compiled().load("p.Driver").getMethod("allocatedBytes", String.class, int.class);
    return (long) m.invoke(null, which, calls);
  }

  @Test
  void adjointWithoutATapeAllocatesNothingOnceWarm() throws Exception {
    // One allocation a call would add at least 16 bytes x 50 000 = 800 000 bytes.
    assertWithMessage("bytes allocated by 50 000 mAdjoint calls without a tape")
        .that(bytes("adjoint", 50_000)).isLessThan(50_000L * 16);
  }

  @Test
  void gradAllocatesOnlyItsResult() throws Exception {
    // The record and its 64-element gradient: about 16 + 16 + 528 bytes; a fresh tape growing
    // to 64 doubles would add over 1 000 bytes a call.
    assertWithMessage("bytes per mGrad call").that(bytes("grad", 20_000) / 20_000)
        .isLessThan(700);
  }

  @Test
  void hessianVectorProductAllocatesOnlyItsResult() throws Exception {
    // The result: 65 doubles, 536 bytes. Its buffers come from the thread's tape.
    assertWithMessage("bytes per mHvp call").that(bytes("hvp", 20_000) / 20_000)
        .isLessThan(700);
  }

  @Test
  void arrayResultAdjointAllocatesOnlyItsResult() throws Exception {
    // The method's own result array (double[2], 32 bytes); copies of the result or the seed
    // would add 32 bytes each.
    assertWithMessage("bytes per array-result mAdjoint call")
        .that(bytes("residual", 50_000) / 50_000).isLessThan(48);
  }

  @Test
  void arrayResultAdjointGivesTheForwardResultAndLeavesTheSeed() throws Exception {
    double[] r = (double[]) compiled().load("p.Driver").getMethod("residualTwice")
        .invoke(null);
    // value[0], value[1] as the plain method computes them; the seed untouched; the adjoint of
    // w for seed (1, 0) is q - 1, twice accumulated.
    double q = 0.3 * -0.8 + Math.sin(1.1);
    assertThat(r[0]).isWithin(1e-15).of(0.7 * (q - 1));
    assertThat(r[1]).isWithin(1e-15).of(0.7 * q * 1.1);
    assertThat(r[2]).isEqualTo(1.0);
    assertThat(r[3]).isEqualTo(0.0);
    assertThat(r[4]).isWithin(1e-15).of(2 * (q - 1));
  }

  @Test
  void reusedRecordingAndItsPullbacksAllocateOnlyTheMethodsArraysAndTheResult()
      throws Exception {
    // smooth's own array h (64 doubles, 528 bytes), the pullback's record and its gradient
    // (about 16 + 528 bytes): a fresh tape growing to 192 doubles would add over 3 000 bytes a
    // call, copies of the recording and of h in each pullback over 2 000 more.
    assertWithMessage("bytes per reused mVjp call and pullback")
        .that(bytes("vjp", 20_000) / 20_000).isLessThan(1_200);
  }

  @Test
  void pullbacksOfAReusedRecordingMatchTheAdjoint() throws Exception {
    double[][] r = (double[][]) compiled().load("p.Driver").getMethod("pullbacks")
        .invoke(null);
    // Same sweeps on the same values: bit-identical to mAdjoint, at x and at 2x.
    assertThat(r[1]).isEqualTo(r[0]);
    assertThat(r[3]).isEqualTo(r[2]);
    assertThat(r[4]).isEqualTo(r[2]);
    assertThat(r[5][1]).isEqualTo(r[5][0]);
    // The open recording's value is untouched and the thread tape is left empty.
    assertThat(r[5][2]).isEqualTo(42.0);
    assertThat(r[5][3]).isEqualTo(0.0);
    assertThat(r[5][4]).isEqualTo(1.0);
    // And the gradient is smooth's: against central differences at x.
    double[] x = new double[64];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.sin(i);
    }
    for (int i : new int[] {0, 5, 63}) {
      double h = 1e-6;
      double[] up = x.clone();
      double[] down = x.clone();
      up[i] += h;
      down[i] -= h;
      double fd = (smooth(up) - smooth(down)) / (2 * h);
      assertThat(r[0][i]).isWithin(1e-7 * Math.max(1, Math.abs(fd))).of(fd);
    }
  }

  /** The model's smooth at w = 0.7, in plain Java, for the difference quotient. */
  private static double smooth(double[] x) {
    double[] h = new double[x.length];
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < x.length; i++) {
        h[i] = Math.tanh(0.7 * x[i] + h[i]);
      }
    }
    double s = 0;
    for (double v : h) {
      s += v * v;
    }
    return s;
  }

  @Test
  void nestedCallsShareTheThreadTape() throws Exception {
    double[] r = (double[]) compiled().load("p.Driver").getMethod("nested").invoke(null);
    assertThat(r[0]).isEqualTo(42.0);
    assertThat(r[1]).isEqualTo(r[2]);
    assertThat(r[3]).isEqualTo(0.0);
  }
}
