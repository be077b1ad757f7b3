package dev.adjoint.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DeepStackTest {
  @Test
  void rerunsOnAThreadWithTheLargeStackAndResetsThisThreadsTape() {
    Tape tape = Tape.ofThisThread();
    tape.enter();
    tape.pushDouble(1.0);
    tape.borrow(3);
    // As a generated entry point: outermost when it started, its sweeps aborted by the overflow.
    String where = DeepStack.rerun(new StackOverflowError(), true, "p.A.f(double)",
        () -> Thread.currentThread().getName() + " " + DeepStack.outermost());
    assertThat(where).isEqualTo("adjoint-deep-stack true");
    assertThat(tape.doubleSize()).isEqualTo(0);
    assertThat(DeepStack.outermost()).isTrue();
  }

  @Test
  void anInnerEntryPointPassesTheOverflowOn() {
    StackOverflowError overflow = new StackOverflowError();
    StackOverflowError thrown = assertThrows(StackOverflowError.class,
        () -> DeepStack.rerun(overflow, false, "p.A.f(double)", () -> "rerun"));
    assertThat(thrown).isSameInstanceAs(overflow);
  }

  @Test
  void aRerunThatOverflowsAgainSaysSo() {
    StackOverflowError thrown = assertThrows(StackOverflowError.class,
        () -> DeepStack.rerun(new StackOverflowError(), true, "p.A.f(double)",
            () -> DeepStack.rerun(new StackOverflowError(), true, "p.A.f(double)", () -> 1)));
    assertThat(thrown).hasMessageThat().startsWith("p.A.f(double) overflowed the stack when "
        + "differentiated, and again when rerun on a thread with a stack of "
        + DeepStack.STACK_BYTES + " bytes");
  }

  @Test
  void whatTheRerunThrowsReachesTheCaller() {
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
        () -> DeepStack.rerun(new StackOverflowError(), true, "p.A.f(double)", () -> {
          throw new IllegalArgumentException("x");
        }));
    assertThat(thrown).hasMessageThat().isEqualTo("x");
  }

  @Test
  void clearGoesBackToTheFirstChunk() {
    Tape tape = new Tape();
    for (int i = 0; i < 3 * Tape.CHUNK; i++) {
      tape.pushDouble(i);
    }
    tape.clear();
    assertThat(tape.doubleSize()).isEqualTo(0);
    tape.pushDouble(2.5);
    assertThat(tape.doubleSize()).isEqualTo(1);
    assertThat(tape.popDouble()).isEqualTo(2.5);
  }
}
