package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.runtime.Tape;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A {@link Tape} used by two threads at once is refused with an {@link IllegalStateException}
 * naming both threads, instead of giving wrong gradients; used by one thread after another,
 * and by nested generated calls on one thread, it works.
 */
class TapeMisuseTest {
  private static Method adjoint;

  @BeforeAll
  static void compile() throws Exception {
    Class<?> diff = InProcessCompiler.compile("""
        package p;
        import dev.adjoint.Differentiable;
        public class Shared {
          @Differentiable
          public static double inner(double x) {
            return Math.sin(x) * x;
          }
          @Differentiable
          public static double f(double x, int n) {
            double s = x;
            for (int i = 0; i < n; i++) {
              s = 0.5 * s + inner(s) * 0.1;
            }
            return s;
          }
        }
        """).load("p.SharedDiff");
    adjoint = diff.getMethod("fAdjoint", double.class, int.class, double.class,
        double[].class, Tape.class);
  }

  private static Throwable call(Tape tape, double[] adjoints) {
    try {
      adjoint.invoke(null, 0.7, 50, 1.0, adjoints, tape);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aTapeInUseByAnotherThreadIsRefused() throws Exception {
    Tape tape = new Tape();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(1);
    Thread other = new Thread(() -> {
      tape.enter(); // as a generated method running on it does
      held.countDown();
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tape.exit();
    }, "other-user");
    other.start();
    held.await();
    Throwable e = call(tape, new double[1]);
    done.countDown();
    other.join();
    assertThat(e).isInstanceOf(IllegalStateException.class);
    assertThat(e).hasMessageThat().contains("this Tape is in use by thread 'other-user' while "
        + "thread '" + Thread.currentThread().getName() + "' tries to use it");
    assertThat(e).hasMessageThat().contains("give each thread its own Tape");
    // Once the other thread is done, the tape is free again and gives the right gradient.
    double[] shared = new double[1];
    double[] fresh = new double[1];
    assertThat(call(tape, shared)).isNull();
    assertThat(call(new Tape(), fresh)).isNull();
    assertThat(shared[0]).isEqualTo(fresh[0]);
  }

  @Test
  void oneThreadAfterAnotherIsFine() throws Exception {
    Tape tape = new Tape();
    double[] first = new double[1];
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> failure.set(call(tape, first)));
    t.start();
    t.join();
    assertThat(failure.get()).isNull();
    double[] second = new double[1];
    assertThat(call(tape, second)).isNull();
    assertThat(second[0]).isEqualTo(first[0]);
    assertThat(first[0]).isNotEqualTo(0.0);
  }

  @Test
  void twoThreadsSharingATapeFailLoudly() throws Exception {
    Tape tape = new Tape();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Runnable work = () -> {
      for (int k = 0; k < 20_000 && seen.get() == null; k++) {
        Throwable e = call(tape, new double[1]);
        if (e != null) {
          seen.compareAndSet(null, e);
        }
      }
    };
    Thread a = new Thread(work);
    Thread b = new Thread(work);
    a.start();
    b.start();
    a.join();
    b.join();
    assertThat(seen.get()).isInstanceOf(IllegalStateException.class);
    assertThat(seen.get()).hasMessageThat().contains("give each thread its own Tape");
  }
}
