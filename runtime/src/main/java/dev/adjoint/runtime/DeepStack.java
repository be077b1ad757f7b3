package dev.adjoint.runtime;

import java.util.function.Supplier;

/**
 * The stack-overflow fallback of the entry points that own their results ({@code mGrad},
 * {@code mJvp}, {@code mHvp}, {@code mHessian}): a gradient's frames are larger than the plain
 * method's (each level keeps its sweep's locals, its tape and its adjoint buffers), so a
 * recursion the plain call survives can overflow the calling thread's stack in the gradient.
 * Such an entry point, when it is the outermost generated call on its thread, catches the
 * {@link StackOverflowError}, empties the thread's tape (which the aborted sweeps left
 * half-recorded) and runs the whole call again, once, on a fresh thread with a stack of
 * {@link #STACK_BYTES} (system property {@code adjoint.stackBytes}, default 1 GiB; only the
 * part the recursion touches is committed), returning its result or throwing what it threw.
 *
 * <p>The rerun computes exactly what the first try would have: a differentiated method is a
 * function of its arguments (its array parameters are read-only, its random draws come from
 * seeds it is given), these entry points write only into arrays they allocate themselves, and
 * the rerun records on its own thread's tape. The first try's work is lost, so a call that
 * overflows costs its time up to the overflow plus a whole rerun. Entry points that add into
 * the caller's buffers or record on the caller's tape ({@code mAdjoint}, {@code mVjp} and its
 * pullbacks) are not rerun: there a {@link StackOverflowError} reaches the caller as it is.
 */
public final class DeepStack {
  /** Bytes of stack of the thread a rerun runs on. */
  public static final long STACK_BYTES = Long.getLong("adjoint.stackBytes", 1L << 30);

  private static final ThreadLocal<Boolean> RERUNNING = new ThreadLocal<>();

  private DeepStack() {}

  /**
   * Whether a generated entry point starting now is the outermost generated call on this thread
   * (no sweep is using this thread's tape): only such a call may be rerun.
   */
  public static boolean outermost() {
    return !Tape.ofThisThread().inUse();
  }

  /**
   * Runs {@code call}, the entry point that threw {@code overflow}, again on a fresh thread with
   * a stack of {@link #STACK_BYTES}; throws {@code overflow} itself when the entry point was not
   * the outermost generated call on its thread ({@code outermost} false). A rerun that
   * overflows too throws a {@link StackOverflowError} naming {@code method} and the stack size.
   *
   * @param overflow what the first try threw
   * @param outermost what {@link #outermost()} said when the entry point started
   * @param method the differentiated method, for the message
   * @param call the entry point with the same arguments
   * @param <T> the entry point's result
   * @return what the rerun returned
   */
  public static <T> T rerun(StackOverflowError overflow, boolean outermost, String method,
      Supplier<T> call) {
    if (!outermost) {
      throw overflow;
    }
    if (RERUNNING.get() != null) {
      StackOverflowError again = new StackOverflowError(method + " overflowed the stack when "
          + "differentiated, and again when rerun on a thread with a stack of " + STACK_BYTES
          + " bytes: a larger one (-Dadjoint.stackBytes=...) may hold it, if the recursion "
          + "ends at all");
      again.initCause(overflow);
      throw again;
    }
    // The sweeps the overflow aborted left their records, borrowed arrays and claims here.
    Tape.ofThisThread().reset();
    Object[] result = new Object[1];
    Throwable[] thrown = new Throwable[1];
    Thread rerun = new Thread(null, () -> {
      RERUNNING.set(Boolean.TRUE);
      try {
        result[0] = call.get();
      } catch (Throwable t) {
        thrown[0] = t;
      }
    }, "adjoint-deep-stack", STACK_BYTES);
    rerun.setDaemon(true);
    rerun.start();
    boolean interrupted = false;
    while (true) {
      try {
        rerun.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (thrown[0] instanceof RuntimeException) {
      throw (RuntimeException) thrown[0];
    }
    if (thrown[0] instanceof Error) {
      throw (Error) thrown[0];
    }
    if (thrown[0] != null) {
      throw new IllegalStateException(thrown[0]); // entry points declare no checked exceptions
    }
    @SuppressWarnings("unchecked")
    T t = (T) result[0];
    return t;
  }
}
