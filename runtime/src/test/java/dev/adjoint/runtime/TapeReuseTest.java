package dev.adjoint.runtime;

import static com.google.common.truth.Truth.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-thread tape of the entry points without a tape, and clearing a tape for reuse. */
class TapeReuseTest {

  @Test
  void eachThreadHasItsOwnTape() throws Exception {
    Tape mine = Tape.ofThisThread();
    assertThat(Tape.ofThisThread()).isSameInstanceAs(mine);
    AtomicReference<Tape> other = new AtomicReference<>();
    Thread t = new Thread(() -> other.set(Tape.ofThisThread()));
    t.start();
    t.join();
    assertThat(other.get()).isNotNull();
    assertThat(other.get()).isNotSameInstanceAs(mine);
  }

  @Test
  void clearEmptiesTheStacksAndKeepsTheMemory() {
    Tape tape = new Tape();
    for (int i = 0; i < 100; i++) {
      tape.pushDouble(i);
      tape.pushInt(i);
      tape.pushLong(i);
    }
    double[] lent = tape.borrow(5);
    long bytes = tape.bytes();

    tape.clear();

    assertThat(tape.doubleSize()).isEqualTo(0);
    assertThat(tape.intSize()).isEqualTo(0);
    assertThat(tape.longSize()).isEqualTo(0);
    assertThat(tape.bytes()).isEqualTo(bytes);
    // The lent array was given back: the next borrow of that length at the bottom reuses it.
    assertThat(tape.borrow(5)).isSameInstanceAs(lent);
    tape.pushDouble(7);
    assertThat(tape.popDouble()).isEqualTo(7.0);
  }
}
