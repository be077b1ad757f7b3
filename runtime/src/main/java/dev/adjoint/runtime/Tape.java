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
 * <p>Each backing array is allocated lazily on its first push (capacity 32) and doubled when full.
 *
 * <p><strong>Not thread-safe, by design.</strong> Generated code creates one {@code Tape} per
 * gradient call and never shares it, so no synchronization is done. Popping an empty stack is a
 * bug in the caller; it fails with whatever exception the array access throws, because {@code pop}
 * methods do no checks of their own so that the JIT can inline them to a load and a decrement.
 */
public final class Tape {

  private static final int INITIAL_CAPACITY = 32;

  // Shared zero-length arrays: "not allocated yet" without a null check on the push fast path.
  private static final double[] NO_DOUBLES = {};
  private static final int[] NO_INTS = {};
  private static final long[] NO_LONGS = {};

  private double[] doubles = NO_DOUBLES;
  private int doubleTop;
  private int[] ints = NO_INTS;
  private int intTop;
  private long[] longs = NO_LONGS;
  private int longTop;

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
    doubleTop = 0;
    intTop = 0;
    longTop = 0;
    borrowedTop = 0;
  }

  // ---------------------------------------------------------------- double / float

  /** Pushes a {@code double}. */
  public void pushDouble(double value) {
    int top = doubleTop;
    if (top == doubles.length) {
      growDoubles();
    }
    doubles[top] = value;
    doubleTop = top + 1;
  }

  /** Pops the most recently pushed {@code double} (or widened {@code float}). */
  public double popDouble() {
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
    }
    ints[top] = value;
    intTop = top + 1;
  }

  /** Pops the most recently pushed {@code int} (or {@code boolean}, as 0 or 1). */
  public int popInt() {
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
    }
    longs[top] = value;
    longTop = top + 1;
  }

  /** Pops the most recently pushed {@code long}. */
  public long popLong() {
    return longs[--longTop];
  }

  // ---------------------------------------------------------------- sizes

  /** Number of values on the double stack ({@code double} and {@code float} pushes). */
  public int doubleSize() {
    return doubleTop;
  }

  /** Number of values on the int stack ({@code int} and {@code boolean} pushes). */
  public int intSize() {
    return intTop;
  }

  /** Number of values on the long stack. */
  public int longSize() {
    return longTop;
  }

  /**
   * Bytes taken by the element storage of the backing arrays currently allocated (their capacity,
   * not their used size; object headers not included). Zero for a tape that was never pushed to.
   */
  /** Saves every element of {@code values} (restored by {@link #popArray(double[])}). */
  public void pushArray(double[] values) {
    for (double v : values) {
      pushDouble(v);
    }
  }

  /** Restores the elements saved by {@link #pushArray(double[])}, in place. */
  public void popArray(double[] values) {
    for (int i = values.length - 1; i >= 0; i--) {
      values[i] = popDouble();
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
    copy.doubles = doubleTop == 0 ? NO_DOUBLES : java.util.Arrays.copyOf(doubles, doubleTop);
    copy.doubleTop = doubleTop;
    copy.ints = intTop == 0 ? NO_INTS : java.util.Arrays.copyOf(ints, intTop);
    copy.intTop = intTop;
    copy.longs = longTop == 0 ? NO_LONGS : java.util.Arrays.copyOf(longs, longTop);
    copy.longTop = longTop;
    return copy;
  }

  /** Bytes of the values recorded so far (what {@link #copy()} would hold). */
  public long recordedBytes() {
    return (long) doubleTop * Double.BYTES + (long) intTop * Integer.BYTES
        + (long) longTop * Long.BYTES;
  }

  public long bytes() {
    return (long) doubles.length * Double.BYTES
        + (long) ints.length * Integer.BYTES
        + (long) longs.length * Long.BYTES;
  }

  // ---------------------------------------------------------------- growth (cold paths)

  private void growDoubles() {
    doubles = Arrays.copyOf(doubles, newCapacity(doubles.length));
  }

  private void growInts() {
    ints = Arrays.copyOf(ints, newCapacity(ints.length));
  }

  private void growLongs() {
    longs = Arrays.copyOf(longs, newCapacity(longs.length));
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
