package dev.adjoint.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.InProcessCompiler;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/**
 * The accumulation entry point on a reused tape allocates nothing once warm: loops (tape
 * pushes), local arrays (borrowed adjoints) and calls (shared tape, borrowed partials) included.
 * Measured with the JVM's per-thread allocation counter, which counts bytes, not time.
 */
class AllocationTest {
  private static final String MODEL = """
      package p;

      import dev.adjoint.Differentiable;

      public final class Model {
        @Differentiable
        public static double layer(double[] x, double w, double b) {
          double[] h = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            h[i] = Math.tanh(w * x[i] + b);
          }
          double s = 0;
          for (int i = 0; i < h.length; i++) {
            s = s + h[i] * h[i];
            if (s > 10) {
              s = s * 0.5;
            }
          }
          return s + square(w, b);
        }

        @Differentiable
        static double square(double w, double b) {
          double r = 0;
          for (int k = 0; k < 3; k++) {
            r += w * b;
          }
          return r;
        }
      }
      """;

  private static final String DRIVER = """
      package p;

      import dev.adjoint.runtime.Tape;
      import java.lang.management.ManagementFactory;

      public final class Driver {
        /**
         * Bytes this thread allocates during {@code calls} gradient accumulations, or, when
         * {@code plain}, during as many plain calls of the method.
         */
        public static long allocatedBytes(int calls, boolean plain) {
          double[] x = new double[64];
          for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i);
          }
          double[] adjoints = new double[2];
          double[] xAdjoint = new double[x.length];
          Tape tape = new Tape();
          double sink = 0;
          for (int i = 0; i < 20_000; i++) {
            sink += plain ? Model.layer(x, 0.7, 0.1)
                : ModelDiff.layerAdjoint(x, 0.7, 0.1, 1.0, adjoints, xAdjoint, tape);
          }
          com.sun.management.ThreadMXBean bean =
              (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
          long id = Thread.currentThread().getId();
          long before = bean.getThreadAllocatedBytes(id);
          for (int i = 0; i < calls; i++) {
            sink += plain ? Model.layer(x, 0.7, 0.1)
                : ModelDiff.layerAdjoint(x, 0.7, 0.1, 1.0, adjoints, xAdjoint, tape);
          }
          long bytes = bean.getThreadAllocatedBytes(id) - before;
          return sink == 42 ? -1 : bytes;
        }
      }
      """;

  @Test
  void accumulatingOnAReusedTapeAllocatesNothing() throws Exception {
    InProcessCompiler compiled = InProcessCompiler.compile(MODEL, DRIVER);
    Method measure =
        compiled.load("p.Driver").getMethod("allocatedBytes", int.class, boolean.class);
    long plain = (long) measure.invoke(null, 50_000, true);
    long gradient = (long) measure.invoke(null, 50_000, false);
    // The method allocates its own local array (528 bytes a call); the gradient may allocate
    // that too, and nothing more: one more allocation a call would add at least 800 000
    // bytes. What is left is the measurement itself (a few hundred bytes at most).
    assertWithMessage("bytes allocated by 50 000 plain calls").that(plain)
        .isAtLeast(50_000L * 64 * Double.BYTES);
    assertWithMessage("bytes allocated by 50 000 gradient calls on a reused tape, beyond the "
        + "plain calls' %s", plain).that(gradient - plain).isLessThan(4_096L);
  }
}
