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
  void nestedCallsShareTheThreadTape() throws Exception {
    double[] r = (double[]) compiled().load("p.Driver").getMethod("nested").invoke(null);
    assertThat(r[0]).isEqualTo(42.0);
    assertThat(r[1]).isEqualTo(r[2]);
    assertThat(r[3]).isEqualTo(0.0);
  }
}
