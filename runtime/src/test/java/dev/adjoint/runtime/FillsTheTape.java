package dev.adjoint.runtime;

/**
 * Records on a tape until the heap is full, as a generated {@code mAdjoint} does (claim, record,
 * name an {@link OutOfMemoryError}, release), and prints the error that reaches the caller: run
 * by {@link TapeOutOfMemoryTest} in a JVM of a small heap. Small arrays kept beside the
 * recording (as a method's own objects) fill the heap to the last bytes, so that nothing is left
 * for the message but what the tape lets go.
 */
public final class FillsTheTape {
  private FillsTheTape() {}

  public static void main(String[] args) {
    Tape tape = new Tape();
    java.util.List<long[]> kept = new java.util.ArrayList<>();
    try {
      record(tape, kept);
    } catch (OutOfMemoryError e) {
      kept = null;
      System.out.println(e.getClass().getName() + ": " + e.getMessage());
    }
    // The tape is usable again.
    tape.pushDouble(1.5);
    System.out.println("after: " + tape.popDouble() + " " + tape.doubleSize());
  }

  private static void record(Tape tape, java.util.List<long[]> kept) {
    tape.enter();
    try {
      for (long i = 0; ; i++) {
        tape.pushDouble(i);
        if ((i & 7) == 0) {
          tape.pushInt((int) i);
        }
        if ((i & 255) == 0) {
          kept.add(new long[4]);
        }
      }
    } catch (OutOfMemoryError outOfMemory) {
      throw tape.outOfMemory("p.Pendulum.energy(double, int)", outOfMemory);
    } finally {
      tape.exit();
    }
  }
}
