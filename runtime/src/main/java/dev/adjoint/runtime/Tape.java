package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * A growable last-in-first-out stack of primitive values, used by generated gradient code to record
 * values during the forward sweep and replay them in reverse during the backward sweep.
 *
 * <p>There are three independent stacks: one of {@code double} (also holding {@code float} values,
 * widened exactly), one of {@code int} (also holding {@code boolean} values as 0/1) and one of
 * {@code long}. Values must be popped with the same type they were pushed with; order is only
 * defined within one stack, so pushes of different types may be interleaved freely.
 *
 * <p>Each backing array is allocated lazily on its first push (capacity 32) and doubled when full
 * up to {@link #CHUNK} values; past that, each stack grows by whole chunks instead of copying
 * (an Euler loop of 10^7 steps records its values once, not once more per doubling).
 *
 * <p><strong>Not thread-safe, by design.</strong> Generated code creates one {@code Tape} per
 * gradient call and never shares it, so no synchronization is done. A tape passed to a
 * generated {@code mAdjoint} is claimed for the call ({@link #enter}, {@link #exit}): a second
 * thread using it at the same time gets an {@link IllegalStateException} instead of a wrong
 * gradient. Popping an empty stack is a
 * bug in the caller; it fails with whatever exception the array access throws, because {@code pop}
 * methods do no checks of their own so that the JIT can inline them to a load and a decrement.
 */
public final class Tape {

  private static final int INITIAL_CAPACITY = 32;

  // Shared zero-length arrays: "not allocated yet" without a null check on the push fast path.
  private static final double[] NO_DOUBLES = {};
  private static final int[] NO_INTS = {};
  private static final long[] NO_LONGS = {};

  /**
   * Values per chunk: each stack is the array it is filling now, its chunks below being full. The
   * first chunk grows by doubling up to this size (small recordings stay small); past it the
   * stack takes a new chunk instead of copying, so a recording of n values costs n values and
   * one partly filled chunk, not twice n during a copy.
   */
  static final int CHUNK = 1 << 16;

  private double[] doubles = NO_DOUBLES;
  private int doubleTop;
  /** The double stack's chunks, kept for reuse after pops; {@code doubleChunk} is the current. */
  private double[][] doubleChunks = new double[0][];
  private int doubleChunk;
  private int[] ints = NO_INTS;
  private int intTop;
  private int[][] intChunks = new int[0][];
  private int intChunk;
  private long[] longs = NO_LONGS;
  private int longTop;
  private long[][] longChunks = new long[0][];
  private int longChunk;

  /** Creates an empty tape. No memory is allocated until the first push. */
  public Tape() {}

  private static final ThreadLocal<Tape> OF_THREAD = ThreadLocal.withInitial(Tape::new);

  /**
   * This thread's own tape, for the entry points that take none ({@code mGrad}, {@code mAdjoint}
   * without a tape, {@code mHessian}): its stacks and borrowed arrays keep their capacity from
   * call to call, so a convenient call records into warm memory instead of growing a fresh tape
   * by copying. Generated code leaves a tape as it found it, so nested calls on the same thread
   * share it safely; a call that throws leaves its records on it until {@link #clear()}.
   */
  public static Tape ofThisThread() {
    return OF_THREAD.get();
  }

  /**
   * Empties the stacks and gives back every borrowed array, keeping the memory for the next use.
   * Only for a tape no sweep is using, such as after a gradient call that threw.
   */
  public void clear() {
    if (doubleChunk > 0) {
      doubles = doubleChunks[0];
      doubleChunk = 0;
    }
    if (intChunk > 0) {
      ints = intChunks[0];
      intChunk = 0;
    }
    if (longChunk > 0) {
      longs = longChunks[0];
      longChunk = 0;
    }
    doubleTop = 0;
    intTop = 0;
    longTop = 0;
    borrowedTop = 0;
  }

  /**
   * {@link #clear()}, and no thread using it any more: for this thread's tape after a stack
   * overflow aborted the sweeps using it, some of whose {@link #exit()}s may not have run.
   */
  void reset() {
    clear();
    uses = 0;
    user = null;
  }

  /** Whether a generated method is running on this tape ({@link #enter} without its exit). */
  boolean inUse() {
    return uses != 0;
  }

  // ---------------------------------------------------------------- double / float

  /** Pushes a {@code double}. */
  public void pushDouble(double value) {
    int top = doubleTop;
    if (top == doubles.length) {
      growDoubles();
      top = doubleTop;
    }
    doubles[top] = value;
    doubleTop = top + 1;
  }

  /** Pops the most recently pushed {@code double} (or widened {@code float}). */
  public double popDouble() {
    if (doubleTop == 0) {
      previousDoubles();
    }
    return doubles[--doubleTop];
  }

  /** Pushes a {@code float}; it is stored on the double stack (the widening is exact). */
  public void pushFloat(float value) {
    pushDouble(value);
  }

  /** Pops a value pushed with {@link #pushFloat}; the narrowing back is exact. */
  public float popFloat() {
    return (float) popDouble();
  }

  // ---------------------------------------------------------------- int / boolean

  /** Pushes an {@code int}. */
  public void pushInt(int value) {
    int top = intTop;
    if (top == ints.length) {
      growInts();
      top = intTop;
    }
    ints[top] = value;
    intTop = top + 1;
  }

  /** Pops the most recently pushed {@code int} (or {@code boolean}, as 0 or 1). */
  public int popInt() {
    if (intTop == 0) {
      previousInts();
    }
    return ints[--intTop];
  }

  /** Pushes a {@code boolean}; it is stored on the int stack as 1 or 0. */
  public void pushBoolean(boolean value) {
    pushInt(value ? 1 : 0);
  }

  /** Pops a value pushed with {@link #pushBoolean}. */
  public boolean popBoolean() {
    return popInt() != 0;
  }

  // ---------------------------------------------------------------- long

  /** Pushes a {@code long}. */
  public void pushLong(long value) {
    int top = longTop;
    if (top == longs.length) {
      growLongs();
      top = longTop;
    }
    longs[top] = value;
    longTop = top + 1;
  }

  /** Pops the most recently pushed {@code long}. */
  public long popLong() {
    if (longTop == 0) {
      previousLongs();
    }
    return longs[--longTop];
  }

  // ---------------------------------------------------------------- sizes

  /** Number of values on the double stack ({@code double} and {@code float} pushes). */
  public int doubleSize() {
    return Math.toIntExact((long) doubleChunk * CHUNK + doubleTop);
  }

  /** Number of values on the int stack ({@code int} and {@code boolean} pushes). */
  public int intSize() {
    return Math.toIntExact((long) intChunk * CHUNK + intTop);
  }

  /** Number of values on the long stack. */
  public int longSize() {
    return Math.toIntExact((long) longChunk * CHUNK + longTop);
  }

  /**
   * Bytes taken by the element storage of the backing arrays currently allocated (their capacity,
   * not their used size; object headers not included). Zero for a tape that was never pushed to.
   */
  /** Saves every element of {@code values} (restored by {@link #popArray(double[])}). */
  public void pushArray(double[] values) {
    pushDoubles(values, values.length);
  }

  /** Restores the elements saved by {@link #pushArray(double[])}, in place. */
  public void popArray(double[] values) {
    // Bulk copies, chunk by chunk: the same values as popping element by element, last first.
    int to = values.length;
    while (to > 0) {
      if (doubleTop == 0) {
        previousDoubles();
      }
      int n = Math.min(to, doubleTop);
      doubleTop -= n;
      to -= n;
      System.arraycopy(doubles, doubleTop, values, to, n);
    }
  }

  /** Saves every element of {@code values}. */
  public void pushArray(float[] values) {
    for (float v : values) {
      pushFloat(v);
    }
  }

  /** Restores the elements saved by {@link #pushArray(float[])}, in place. */
  public void popArray(float[] values) {
    for (int i = values.length - 1; i >= 0; i--) {
      values[i] = popFloat();
    }
  }

  /** Saves every element of {@code values}. */
  public void pushArray(int[] values) {
    for (int v : values) {
      pushInt(v);
    }
  }

  /** Restores the elements saved by {@link #pushArray(int[])}, in place. */
  public void popArray(int[] values) {
    for (int i = values.length - 1; i >= 0; i--) {
      values[i] = popInt();
    }
  }

  /** Saves every element of {@code values} (labels, masks passed to a generated call). */
  public void pushArray(boolean[] values) {
    for (boolean v : values) {
      pushBoolean(v);
    }
  }

  /** Restores the elements saved by {@link #pushArray(boolean[])}, in place. */
  public void popArray(boolean[] values) {
    for (int i = values.length - 1; i >= 0; i--) {
      values[i] = popBoolean();
    }
  }

  /** Saves every element of {@code values}, row by row. */
  public void pushArray(double[][] values) {
    for (double[] row : values) {
      pushArray(row);
    }
  }

  /** Restores the elements saved by {@link #pushArray(double[][])}, in place. */
  public void popArray(double[][] values) {
    for (int r = values.length - 1; r >= 0; r--) {
      popArray(values[r]);
    }
  }

  private double[][] borrowed = new double[0][];
  /** Per level, the array of the other length last lent there (forward and reverse sweeps). */
  private double[][] spare = new double[0][];
  private int borrowedTop;

  /**
   * A zeroed array of exactly {@code length} elements, lent until {@link #release(int)}: the
   * scratch space of the sweeps (adjoints of local arrays, partials of calls), reused from call
   * to call so that steady-state gradient loops allocate nothing. Lending is a stack: nested
   * calls sharing this tape borrow above their caller. Each level keeps two arrays, since a
   * forward and a reverse sweep may lend different lengths at the same level.
   */
  public double[] borrow(int length) {
    if (borrowedTop == borrowed.length) {
      borrowed = Arrays.copyOf(borrowed, Math.max(4, 2 * borrowed.length));
      spare = Arrays.copyOf(spare, borrowed.length);
    }
    double[] a = borrowed[borrowedTop];
    if (a == null || a.length != length) {
      double[] other = spare[borrowedTop];
      spare[borrowedTop] = a;
      a = other != null && other.length == length ? other : new double[length];
      borrowed[borrowedTop] = a;
    }
    Arrays.fill(a, 0.0);
    borrowedTop++;
    return a;
  }

  /** A zeroed array shaped like {@code value} (null for null), lent like {@link #borrow}. */
  public double[] borrowLike(double[] value) {
    if (value == null) {
      borrow(0); // keeps borrow and release in step
      return null;
    }
    return borrow(value.length);
  }

  /** Gives back the last {@code count} borrowed arrays. */
  public void release(int count) {
    borrowedTop -= count;
  }

  /**
   * An independent copy holding exactly the recorded values (no spare capacity), for replaying
   * one recording several times: a pullback pops its own copy.
   */
  public Tape copy() {
    Tape copy = new Tape();
    if (doubleChunk == 0) {
      copy.doubles = doubleTop == 0 ? NO_DOUBLES : Arrays.copyOf(doubles, doubleTop);
    } else {
      copy.doubleChunks = new double[doubleChunk + 1][];
      for (int i = 0; i < doubleChunk; i++) {
        copy.doubleChunks[i] = doubleChunks[i].clone();
      }
      copy.doubles = copy.doubleChunks[doubleChunk] = Arrays.copyOf(doubles, CHUNK);
      copy.doubleChunk = doubleChunk;
    }
    copy.doubleTop = doubleTop;
    if (intChunk == 0) {
      copy.ints = intTop == 0 ? NO_INTS : Arrays.copyOf(ints, intTop);
    } else {
      copy.intChunks = new int[intChunk + 1][];
      for (int i = 0; i < intChunk; i++) {
        copy.intChunks[i] = intChunks[i].clone();
      }
      copy.ints = copy.intChunks[intChunk] = Arrays.copyOf(ints, CHUNK);
      copy.intChunk = intChunk;
    }
    copy.intTop = intTop;
    if (longChunk == 0) {
      copy.longs = longTop == 0 ? NO_LONGS : Arrays.copyOf(longs, longTop);
    } else {
      copy.longChunks = new long[longChunk + 1][];
      for (int i = 0; i < longChunk; i++) {
        copy.longChunks[i] = longChunks[i].clone();
      }
      copy.longs = copy.longChunks[longChunk] = Arrays.copyOf(longs, CHUNK);
      copy.longChunk = longChunk;
    }
    copy.longTop = longTop;
    return copy;
  }

  /**
   * Pushes, on top of this tape's values, every value recorded on {@code recording} (left
   * unchanged), so that a reverse sweep on this tape pops them as it would pop the recording's
   * own: a pullback replays a kept recording on this thread's tape, whose memory is warm,
   * instead of on a fresh copy.
   */
  public void pushRecorded(Tape recording) {
    for (int c = 0; c < recording.doubleChunk; c++) {
      pushDoubles(recording.doubleChunks[c], CHUNK);
    }
    pushDoubles(recording.doubles, recording.doubleTop);
    for (int c = 0; c < recording.intChunk; c++) {
      pushInts(recording.intChunks[c], CHUNK);
    }
    pushInts(recording.ints, recording.intTop);
    for (int c = 0; c < recording.longChunk; c++) {
      pushLongs(recording.longChunks[c], CHUNK);
    }
    pushLongs(recording.longs, recording.longTop);
  }

  private void pushDoubles(double[] values, int count) {
    int from = 0;
    while (from < count) {
      if (doubleTop == doubles.length) {
        growDoubles();
      }
      int n = Math.min(count - from, doubles.length - doubleTop);
      System.arraycopy(values, from, doubles, doubleTop, n);
      doubleTop += n;
      from += n;
    }
  }

  private void pushInts(int[] values, int count) {
    int from = 0;
    while (from < count) {
      if (intTop == ints.length) {
        growInts();
      }
      int n = Math.min(count - from, ints.length - intTop);
      System.arraycopy(values, from, ints, intTop, n);
      intTop += n;
      from += n;
    }
  }

  private void pushLongs(long[] values, int count) {
    int from = 0;
    while (from < count) {
      if (longTop == longs.length) {
        growLongs();
      }
      int n = Math.min(count - from, longs.length - longTop);
      System.arraycopy(values, from, longs, longTop, n);
      longTop += n;
      from += n;
    }
  }

  /**
   * A copy of {@code value} (null for null) in an array lent like {@link #borrow}: a pullback's
   * working copy of a kept local array, which its reverse sweep restores in place.
   */
  public double[] borrowCopy(double[] value) {
    double[] copy = borrowLike(value);
    if (value != null) {
      System.arraycopy(value, 0, copy, 0, value.length);
    }
    return copy;
  }

  /** Bytes of the values recorded so far (what {@link #copy()} would hold). */
  public long recordedBytes() {
    return (long) doubleSize() * Double.BYTES + (long) intSize() * Integer.BYTES
        + (long) longSize() * Long.BYTES;
  }

  public long bytes() {
    return allocated(doubleChunks, doubles.length) * Double.BYTES
        + allocated(intChunks, ints.length) * Integer.BYTES
        + allocated(longChunks, longs.length) * Long.BYTES;
  }

  /** Elements allocated in a stack's chunks ({@code first}: the only one, before any other). */
  private static long allocated(Object[] chunks, int first) {
    if (chunks.length == 0) {
      return first;
    }
    long n = 0;
    for (Object c : chunks) {
      n += c == null ? 0 : java.lang.reflect.Array.getLength(c);
    }
    return n;
  }

  // ---------------------------------------------------------------- growth (cold paths)

  // ---------------------------------------------------------------- out of memory

  /** An {@link OutOfMemoryError} while recording, naming the method and what was recorded. */
  public static final class RecordingOutOfMemoryError extends OutOfMemoryError {
    private static final long serialVersionUID = 1L;

    RecordingOutOfMemoryError(String message) {
      super(message);
    }
  }

  /**
   * What a generated {@code mAdjoint} throws instead of an {@link OutOfMemoryError} it met:
   * one naming {@code method}, the size of this tape's recording and what to do; an error
   * already naming a callee is passed on as it is. The recording is lost with the call: this
   * empties the tape and lets go of its memory first, so that the message can be built even
   * where the recording filled the heap.
   */
  public OutOfMemoryError outOfMemory(String method, OutOfMemoryError e) {
    if (e instanceof RecordingOutOfMemoryError) {
      return e;
    }
    int doubleCount = doubleSize();
    int intCount = intSize();
    int longCount = longSize();
    long megabytes = recordedBytes() / (1 << 20);
    // The recording is lost with the call, and its memory is what building the message needs
    // when the tape filled the heap.
    drop();
    OutOfMemoryError named = new RecordingOutOfMemoryError(method + " ran out of memory while "
        + "its gradient was recorded: the tape held " + doubleCount + " doubles, " + intCount
        + " ints and " + longCount + " longs (" + megabytes + " MB) when "
        + "Java could not allocate more: give the JVM a larger heap (-Xmx), or record less in "
        + "one call (@Differentiable(checkpoint = true) checkpoints the method's top-level "
        + "loops, recording one segment at a time)");
    named.initCause(e);
    return named;
  }

  private static final double[][] NO_DOUBLE_CHUNKS = {};
  private static final int[][] NO_INT_CHUNKS = {};
  private static final long[][] NO_LONG_CHUNKS = {};

  /** Empties the tape and lets its memory go (its chunks and borrowed arrays). */
  private void drop() {
    doubles = NO_DOUBLES;
    doubleChunks = NO_DOUBLE_CHUNKS;
    doubleChunk = 0;
    doubleTop = 0;
    ints = NO_INTS;
    intChunks = NO_INT_CHUNKS;
    intChunk = 0;
    intTop = 0;
    longs = NO_LONGS;
    longChunks = NO_LONG_CHUNKS;
    longChunk = 0;
    longTop = 0;
    borrowed = NO_DOUBLE_CHUNKS;
    spare = NO_DOUBLE_CHUNKS;
    borrowedTop = 0;
  }

  // ---------------------------------------------------------------- one thread at a time

  private static final java.lang.invoke.VarHandle USER;

  static {
    try {
      USER = java.lang.invoke.MethodHandles.lookup().findVarHandle(Tape.class, "user",
          Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The thread running a generated method on this tape, null between uses. */
  @SuppressWarnings("unused") // through USER
  private volatile Thread user;
  /** How many generated methods of {@link #user} are running on it (callers pass it down). */
  private int uses;

  /**
   * Marks the start of a generated method's use of this tape by the current thread: nested
   * calls on the same thread are counted; a use from another thread while one runs throws. One
   * compare-and-set per generated call, nothing per push or pop.
   *
   * @throws IllegalStateException when another thread is using this tape now
   */
  public void enter() {
    Thread current = Thread.currentThread();
    if (user != current && !USER.compareAndSet(this, null, current)) {
      Thread other = user;
      throw new IllegalStateException("this Tape is in use by thread '"
          + (other == null ? "?" : other.getName()) + "' while thread '" + current.getName()
          + "' tries to use it: a Tape records one computation at a time; give each thread its"
          + " own Tape (a new Tape() per thread, or a ThreadLocal<Tape>)");
    }
    uses++;
  }

  /** Marks the end of the use {@link #enter} started; the last one frees the tape. */
  public void exit() {
    if (--uses == 0) {
      user = null;
    }
  }

  private void growDoubles() {
    if (doubleChunk == 0 && doubles.length < CHUNK) {
      doubles = Arrays.copyOf(doubles, newCapacity(doubles.length));
      return;
    }
    if (doubleChunk + 1 >= doubleChunks.length) {
      doubleChunks = Arrays.copyOf(doubleChunks, Math.max(4, 2 * doubleChunks.length));
    }
    doubleChunks[doubleChunk] = doubles;
    doubleChunk++;
    if (doubleChunks[doubleChunk] == null) {
      doubleChunks[doubleChunk] = new double[CHUNK];
    }
    doubles = doubleChunks[doubleChunk];
    doubleTop = 0;
  }

  /** Steps back to the full chunk below (a pop at the start of a chunk). */
  private void previousDoubles() {
    doubleChunk--;
    doubles = doubleChunks[doubleChunk];
    doubleTop = doubles.length;
  }

  private void growInts() {
    if (intChunk == 0 && ints.length < CHUNK) {
      ints = Arrays.copyOf(ints, newCapacity(ints.length));
      return;
    }
    if (intChunk + 1 >= intChunks.length) {
      intChunks = Arrays.copyOf(intChunks, Math.max(4, 2 * intChunks.length));
    }
    intChunks[intChunk] = ints;
    intChunk++;
    if (intChunks[intChunk] == null) {
      intChunks[intChunk] = new int[CHUNK];
    }
    ints = intChunks[intChunk];
    intTop = 0;
  }

  /** Steps back to the full chunk below (a pop at the start of a chunk). */
  private void previousInts() {
    intChunk--;
    ints = intChunks[intChunk];
    intTop = ints.length;
  }

  private void growLongs() {
    if (longChunk == 0 && longs.length < CHUNK) {
      longs = Arrays.copyOf(longs, newCapacity(longs.length));
      return;
    }
    if (longChunk + 1 >= longChunks.length) {
      longChunks = Arrays.copyOf(longChunks, Math.max(4, 2 * longChunks.length));
    }
    longChunks[longChunk] = longs;
    longChunk++;
    if (longChunks[longChunk] == null) {
      longChunks[longChunk] = new long[CHUNK];
    }
    longs = longChunks[longChunk];
    longTop = 0;
  }

  /** Steps back to the full chunk below (a pop at the start of a chunk). */
  private void previousLongs() {
    longChunk--;
    longs = longChunks[longChunk];
    longTop = longs.length;
  }

  private static int newCapacity(int capacity) {
    if (capacity == 0) {
      return INITIAL_CAPACITY;
    }
    int doubled = capacity << 1;
    if (doubled < 0) {
      throw new OutOfMemoryError("Tape stack cannot grow beyond " + capacity + " elements");
    }
    return doubled;
  }
}
