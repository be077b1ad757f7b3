package dev.adjoint.runtime;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

class TapeTest {

  @Test
  void newTapeIsEmptyAndAllocatesNothing() {
    Tape tape = new Tape();

    assertThat(tape.doubleSize()).isEqualTo(0);
    assertThat(tape.intSize()).isEqualTo(0);
    assertThat(tape.longSize()).isEqualTo(0);
    assertThat(tape.bytes()).isEqualTo(0L);
  }

  @Test
  void doublesAreLastInFirstOut() {
    Tape tape = new Tape();
    tape.pushDouble(1.5);
    tape.pushDouble(-0.0);
    tape.pushDouble(Double.NaN);
    tape.pushDouble(Double.MAX_VALUE);

    assertThat(tape.doubleSize()).isEqualTo(4);
    assertThat(tape.popDouble()).isEqualTo(Double.MAX_VALUE);
    assertThat(tape.popDouble()).isNaN();
    assertThat(Double.doubleToRawLongBits(tape.popDouble()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(tape.popDouble()).isEqualTo(1.5);
    assertThat(tape.doubleSize()).isEqualTo(0);
  }

  @Test
  void floatsRoundTripExactlyThroughTheDoubleStack() {
    Tape tape = new Tape();
    float[] values = {0.1f, Float.MIN_VALUE, Float.MAX_VALUE, -3.75f, Float.NEGATIVE_INFINITY};
    for (float v : values) {
      tape.pushFloat(v);
    }

    assertThat(tape.doubleSize()).isEqualTo(values.length);
    for (int i = values.length - 1; i >= 0; i--) {
      assertThat(Float.floatToRawIntBits(tape.popFloat()))
          .isEqualTo(Float.floatToRawIntBits(values[i]));
    }
  }

  @Test
  void intsAreLastInFirstOut() {
    Tape tape = new Tape();
    tape.pushInt(Integer.MIN_VALUE);
    tape.pushInt(0);
    tape.pushInt(42);

    assertThat(tape.intSize()).isEqualTo(3);
    assertThat(tape.popInt()).isEqualTo(42);
    assertThat(tape.popInt()).isEqualTo(0);
    assertThat(tape.popInt()).isEqualTo(Integer.MIN_VALUE);
    assertThat(tape.intSize()).isEqualTo(0);
  }

  @Test
  void booleansShareTheIntStack() {
    Tape tape = new Tape();
    tape.pushBoolean(true);
    tape.pushInt(7);
    tape.pushBoolean(false);

    assertThat(tape.intSize()).isEqualTo(3);
    assertThat(tape.popBoolean()).isFalse();
    assertThat(tape.popInt()).isEqualTo(7);
    assertThat(tape.popBoolean()).isTrue();
  }

  @Test
  void booleanArraysRoundTripInPlace() {
    Tape tape = new Tape();
    boolean[] mask = {true, false, true};
    tape.pushArray(mask);
    mask[0] = false;
    mask[1] = true;
    tape.popArray(mask);
    assertThat(mask).asList().containsExactly(true, false, true).inOrder();
    assertThat(tape.intSize()).isEqualTo(0);
  }

  @Test
  void longsAreLastInFirstOut() {
    Tape tape = new Tape();
    tape.pushLong(Long.MAX_VALUE);
    tape.pushLong(-1L);
    tape.pushLong(1L << 40);

    assertThat(tape.longSize()).isEqualTo(3);
    assertThat(tape.popLong()).isEqualTo(1L << 40);
    assertThat(tape.popLong()).isEqualTo(-1L);
    assertThat(tape.popLong()).isEqualTo(Long.MAX_VALUE);
    assertThat(tape.longSize()).isEqualTo(0);
  }

  @Test
  void interleavedTypesKeepIndependentOrder() {
    Tape tape = new Tape();
    tape.pushDouble(1.0);
    tape.pushInt(1);
    tape.pushLong(1L);
    tape.pushBoolean(true);
    tape.pushFloat(2.0f);
    tape.pushLong(2L);
    tape.pushInt(2);
    tape.pushDouble(3.0);

    assertThat(tape.doubleSize()).isEqualTo(3);
    assertThat(tape.intSize()).isEqualTo(3);
    assertThat(tape.longSize()).isEqualTo(2);

    // Pop in an order unrelated to the push order across types.
    assertThat(tape.popLong()).isEqualTo(2L);
    assertThat(tape.popDouble()).isEqualTo(3.0);
    assertThat(tape.popInt()).isEqualTo(2);
    assertThat(tape.popFloat()).isEqualTo(2.0f);
    assertThat(tape.popBoolean()).isTrue();
    assertThat(tape.popLong()).isEqualTo(1L);
    assertThat(tape.popInt()).isEqualTo(1);
    assertThat(tape.popDouble()).isEqualTo(1.0);

    assertThat(tape.doubleSize()).isEqualTo(0);
    assertThat(tape.intSize()).isEqualTo(0);
    assertThat(tape.longSize()).isEqualTo(0);
  }

  @Test
  void growsPastTenThousandElementsPerStack() {
    int n = 10_000 + 123;
    Tape tape = new Tape();
    for (int i = 0; i < n; i++) {
      tape.pushDouble(i * 0.5);
      tape.pushInt(i);
      tape.pushLong(-(long) i * 3);
      if (i % 2 == 0) {
        tape.pushBoolean(i % 4 == 0);
      }
    }

    assertThat(tape.doubleSize()).isEqualTo(n);
    assertThat(tape.longSize()).isEqualTo(n);
    assertThat(tape.intSize()).isEqualTo(n + (n + 1) / 2);

    for (int i = n - 1; i >= 0; i--) {
      if (i % 2 == 0) {
        assertThat(tape.popBoolean()).isEqualTo(i % 4 == 0);
      }
      assertThat(tape.popLong()).isEqualTo(-(long) i * 3);
      assertThat(tape.popInt()).isEqualTo(i);
      assertThat(tape.popDouble()).isEqualTo(i * 0.5);
    }

    assertThat(tape.doubleSize()).isEqualTo(0);
    assertThat(tape.intSize()).isEqualTo(0);
    assertThat(tape.longSize()).isEqualTo(0);
  }

  @Test
  void bytesReflectsAllocatedCapacity() {
    Tape tape = new Tape();

    tape.pushDouble(1.0);
    assertThat(tape.bytes()).isEqualTo(32L * Double.BYTES);

    tape.pushBoolean(true); // int stack
    assertThat(tape.bytes()).isEqualTo(32L * Double.BYTES + 32L * Integer.BYTES);

    tape.pushLong(1L);
    assertThat(tape.bytes())
        .isEqualTo(32L * Double.BYTES + 32L * Integer.BYTES + 32L * Long.BYTES);

    // Filling the first 32 slots does not grow; the 33rd push doubles the capacity.
    for (int i = 1; i < 32; i++) {
      tape.pushDouble(i);
    }
    assertThat(tape.bytes())
        .isEqualTo(32L * Double.BYTES + 32L * Integer.BYTES + 32L * Long.BYTES);
    tape.pushDouble(32.0);
    assertThat(tape.bytes())
        .isEqualTo(64L * Double.BYTES + 32L * Integer.BYTES + 32L * Long.BYTES);

    // Popping does not shrink the backing arrays.
    while (tape.doubleSize() > 0) {
      tape.popDouble();
    }
    assertThat(tape.bytes())
        .isEqualTo(64L * Double.BYTES + 32L * Integer.BYTES + 32L * Long.BYTES);
  }

  @Test
  void bytesAfterGrowthToTenThousand() {
    Tape tape = new Tape();
    for (int i = 0; i < 10_000; i++) {
      tape.pushInt(i);
    }
    // 32 -> 64 -> ... -> 16384 is the first capacity >= 10_000.
    assertThat(tape.bytes()).isEqualTo(16_384L * Integer.BYTES);
  }

  @Test
  void copyReplaysIndependently() {
    Tape tape = new Tape();
    tape.pushDouble(1.5);
    tape.pushInt(7);
    tape.pushLong(9L);
    Tape first = tape.copy();
    Tape second = tape.copy();
    assertThat(first.popLong()).isEqualTo(9L);
    assertThat(first.popInt()).isEqualTo(7);
    assertThat(first.popDouble()).isEqualTo(1.5);
    assertThat(second.popDouble()).isEqualTo(1.5);
    assertThat(tape.doubleSize()).isEqualTo(1);
    assertThat(first.recordedBytes()).isEqualTo(0);
    assertThat(tape.recordedBytes()).isEqualTo(Double.BYTES + Integer.BYTES + Long.BYTES);
  }

  @Test
  void borrowedArraysAreZeroedAndReusedForTwoLengthsPerLevel() {
    Tape tape = new Tape();
    double[] forward = tape.borrow(3);
    forward[1] = 7;
    tape.release(1);
    double[] reverse = tape.borrow(5);
    double[] nested = tape.borrow(2);
    tape.release(2);
    // A forward sweep and a reverse sweep lending other lengths at the same level: both kept.
    double[] forwardAgain = tape.borrow(3);
    assertThat(forwardAgain).isSameInstanceAs(forward);
    assertThat(forwardAgain).isEqualTo(new double[3]);
    tape.release(1);
    assertThat(tape.borrow(5)).isSameInstanceAs(reverse);
    assertThat(tape.borrow(2)).isSameInstanceAs(nested);
    tape.release(2);
  }

  /**
   * Past one chunk each stack takes new chunks instead of copying: values cross chunk
   * boundaries both ways, sizes and bytes count whole chunks, a copy replays across them, and
   * chunks are kept for the next recording.
   */
  @Test
  void growsByChunksPastTheFirst() {
    int n = 3 * Tape.CHUNK + 17;
    Tape tape = new Tape();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < n; i++) {
        tape.pushDouble(i * 0.25);
        tape.pushInt(-i);
        tape.pushLong(7L * i);
      }
      assertThat(tape.doubleSize()).isEqualTo(n);
      assertThat(tape.intSize()).isEqualTo(n);
      assertThat(tape.longSize()).isEqualTo(n);
      assertThat(tape.recordedBytes()).isEqualTo((long) n * (8 + 4 + 8));
      // Four chunks per stack, nothing copied past the first.
      assertThat(tape.bytes()).isEqualTo(4L * Tape.CHUNK * (8 + 4 + 8));
      Tape copy = tape.copy();
      for (int i = n - 1; i >= 0; i--) {
        assertThat(tape.popLong()).isEqualTo(7L * i);
        assertThat(tape.popInt()).isEqualTo(-i);
        assertThat(tape.popDouble()).isEqualTo(i * 0.25);
      }
      assertThat(tape.doubleSize()).isEqualTo(0);
      for (int i = n - 1; i >= n - Tape.CHUNK - 40; i--) {
        assertThat(copy.popDouble()).isEqualTo(i * 0.25);
      }
      assertThat(copy.doubleSize()).isEqualTo(2 * Tape.CHUNK - 23);
      // Pushes after pops go on in the chunks already there.
      assertThat(tape.bytes()).isEqualTo(4L * Tape.CHUNK * (8 + 4 + 8));
    }
  }

  @Test
  void pushRecordedAppendsAnotherTapesValuesAcrossChunks() {
    for (int n : new int[] {0, 5, 2 * Tape.CHUNK + 9}) {
      Tape recording = new Tape();
      for (int i = 0; i < n; i++) {
        recording.pushDouble(i * 0.5);
        recording.pushInt(i);
        recording.pushLong(3L * i);
      }
      Tape tape = new Tape();
      // Values already there (an open recording) stay below the replayed ones.
      for (int i = 0; i < 40; i++) {
        tape.pushDouble(-1 - i);
        tape.pushInt(-1 - i);
        tape.pushLong(-1 - i);
      }
      for (int round = 0; round < 2; round++) {
        tape.pushRecorded(recording);
        assertThat(tape.doubleSize()).isEqualTo(40 + n);
        assertThat(tape.intSize()).isEqualTo(40 + n);
        assertThat(tape.longSize()).isEqualTo(40 + n);
        for (int i = n - 1; i >= 0; i--) {
          assertThat(tape.popLong()).isEqualTo(3L * i);
          assertThat(tape.popInt()).isEqualTo(i);
          assertThat(tape.popDouble()).isEqualTo(i * 0.5);
        }
        assertThat(tape.doubleSize()).isEqualTo(40);
      }
      assertThat(tape.popDouble()).isEqualTo(-40.0);
      assertThat(tape.popInt()).isEqualTo(-40);
      assertThat(tape.popLong()).isEqualTo(-40L);
      // The recording itself is unchanged.
      assertThat(recording.doubleSize()).isEqualTo(n);
      assertThat(recording.longSize()).isEqualTo(n);
    }
  }

  @Test
  void borrowCopyLendsACopyAndKeepsNullsInStep() {
    Tape tape = new Tape();
    double[] value = {1, 2, 3};
    double[] copy = tape.borrowCopy(value);
    assertThat(copy).isNotSameInstanceAs(value);
    assertThat(copy).isEqualTo(value);
    assertThat(tape.borrowCopy(null)).isNull();
    double[] above = tape.borrow(3);
    assertThat(above).isNotSameInstanceAs(copy);
    tape.release(3);
    // The same memory lent again, zeroed by the copy's length.
    assertThat(tape.borrowCopy(new double[] {4, 5, 6})).isSameInstanceAs(copy);
  }

  @Test
  void copyReusingOverwritesArraysOfTheSameShapeOnly() {
    double[] kept = new double[3];
    assertThat(Shapes.copyReusing(new double[] {1, 2, 3}, kept)).isSameInstanceAs(kept);
    assertThat(kept).isEqualTo(new double[] {1, 2, 3});
    double[] longer = {1, 2, 3, 4};
    double[] copied = Shapes.copyReusing(longer, kept);
    assertThat(copied).isNotSameInstanceAs(longer);
    assertThat(copied).isEqualTo(longer);
    double[][] matrix = {{1, 2}, {3}};
    double[][] keptMatrix = {{0, 0}, {0}};
    assertThat(Shapes.copyReusing(matrix, keptMatrix)).isSameInstanceAs(keptMatrix);
    assertThat(keptMatrix[1]).isEqualTo(new double[] {3});
    double[][] ragged = Shapes.copyReusing(matrix, new double[][] {{0}, {0}});
    assertThat(ragged[0]).isEqualTo(new double[] {1, 2});
    assertThat(ragged[0]).isNotSameInstanceAs(matrix[0]);
    assertThat(Shapes.copyReusing(new int[] {7}, new int[1])).isEqualTo(new int[] {7});
    assertThat(Shapes.copyReusing(new boolean[] {true}, null)).isEqualTo(new boolean[] {true});
    assertThat(Shapes.copyReusing(new float[] {2f}, new float[1])).isEqualTo(new float[] {2f});
    assertThat(Shapes.copyReusing((double[]) null, kept)).isNull();
  }

  @Test
  void anOutOfMemoryNamesTheMethodTheRecordingAndARemedy() {
    Tape tape = new Tape();
    for (int i = 0; i < 3; i++) {
      tape.pushDouble(i);
    }
    tape.pushInt(1);
    OutOfMemoryError cause = new OutOfMemoryError("Java heap space");
    OutOfMemoryError e = tape.outOfMemory("p.Pendulum.energy(double, int)", cause);
    assertThat(e).hasMessageThat().isEqualTo("p.Pendulum.energy(double, int) ran out of memory "
        + "while its gradient was recorded: the tape held 3 doubles, 1 ints and 0 longs (0 MB) "
        + "when Java could not allocate more: give the JVM a larger heap (-Xmx), or record less "
        + "in one call (@Differentiable(checkpoint = true) checkpoints the method's top-level "
        + "loops, recording one segment at a time)");
    assertThat(e.getCause()).isSameInstanceAs(cause);
    // A caller passes on what its callee named.
    assertThat(tape.outOfMemory("p.Pendulum.caller(double)", e)).isSameInstanceAs(e);
  }
  @Test
  void wholeArraysMixWithSingleValuesAcrossChunks() {
    // Arrays saved in bulk and single values, over several chunks; popped element by element or
    // in bulk, every value comes back in last-in, first-out order.
    Tape tape = new Tape();
    double[] big = new double[Tape.CHUNK + 123];
    for (int i = 0; i < big.length; i++) {
      big[i] = i * 0.5 - 7;
    }
    double[] small = {1.25, -3.5, 8};
    tape.pushDouble(42);
    tape.pushArray(big);
    tape.pushDouble(-1);
    tape.pushArray(small);
    tape.pushArray(big);
    tape.pushArray(new double[0]);
    assertThat(tape.doubleSize()).isEqualTo(2 * big.length + small.length + 2);

    double[] back = new double[big.length];
    tape.popArray(new double[0]);
    tape.popArray(back);
    assertThat(back).usingExactEquality().containsExactly(big).inOrder();
    assertThat(tape.popDouble()).isEqualTo(8.0);
    double[] rest = new double[2];
    tape.popArray(rest);
    assertThat(rest).usingExactEquality().containsExactly(1.25, -3.5).inOrder();
    assertThat(tape.popDouble()).isEqualTo(-1.0);
    for (int i = big.length - 1; i >= 0; i--) {
      assertThat(tape.popDouble()).isEqualTo(big[i]);
    }
    assertThat(tape.popDouble()).isEqualTo(42.0);
    assertThat(tape.doubleSize()).isEqualTo(0);
  }
}
