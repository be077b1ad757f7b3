package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.runtime.Tape;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Misused buffers of a generated {@code mAdjoint} fail at once, naming the argument: a null
 * buffer, a short one, and, in the overload users call, a longer one (refused like a short one:
 * its layout is not the method's).
 */
class BufferMisuseTest {
  private static Method adjoint;
  private static Method adjointFreshTape;

  @BeforeAll
  static void compile() throws Exception {
    Class<?> diff = InProcessCompiler.compile("""
        package p;
        import dev.adjoint.Differentiable;
        public class Buf {
          @Differentiable
          public static double f(double x, double y) {
            return x * y + Math.sin(x);
          }
        }
        """).load("p.BufDiff");
    adjoint = diff.getMethod("fAdjoint", double.class, double.class, double.class,
        double[].class, Tape.class);
    adjointFreshTape = diff.getMethod("fAdjoint", double.class, double.class, double.class,
        double[].class);
  }

  private static Throwable call(double[] adjoints) {
    try {
      adjoint.invoke(null, 2.0, 3.0, 1.0, adjoints, new Tape());
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void exactLengthAccumulates() throws Exception {
    double[] adjoints = {1.0, 0.0};
    assertThat(call(adjoints)).isNull();
    assertThat(adjoints[0]).isEqualTo(1.0 + 3.0 + Math.cos(2.0));
    assertThat(adjoints[1]).isEqualTo(2.0);
  }

  @Test
  void longerBufferIsRefused() throws Exception {
    Throwable e = null;
    try {
      adjointFreshTape.invoke(null, 2.0, 3.0, 1.0, new double[3]);
    } catch (InvocationTargetException thrown) {
      e = thrown.getCause();
    }
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e).hasMessageThat().isEqualTo(
        "adjoints has length 3; f needs 2 (one per differentiated scalar: x, y)");
  }

  /**
   * The overload taking a tape is the one generated callers use, with a scratch array shared
   * by calls of several arities: it fills the first elements of a longer buffer.
   */
  @Test
  void onACallersTapeALongerBufferIsFilledFromTheStart() {
    double[] adjoints = {0.0, 0.0, 7.0};
    assertThat(call(adjoints)).isNull();
    assertThat(adjoints[0]).isEqualTo(3.0 + Math.cos(2.0));
    assertThat(adjoints[1]).isEqualTo(2.0);
    assertThat(adjoints[2]).isEqualTo(7.0);
  }

  @Test
  void shortBufferIsRefused() {
    Throwable e = call(new double[1]);
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e).hasMessageThat().isEqualTo(
        "adjoints has length 1; f needs 2 (one per differentiated scalar: x, y)");
  }

  @Test
  void nullBufferIsNamed() {
    Throwable e = call(null);
    assertThat(e).isInstanceOf(NullPointerException.class);
    assertThat(e).hasMessageThat().isEqualTo("adjoints");
  }
}
