package dev.adjoint.benchmarks;

/**
 * How much of a full gradient one benchmark invocation computes. Forward mode (Hipparchus) and
 * finite differences cost about one objective evaluation (or two) per input; on the largest GMM
 * (21 450 inputs) a full gradient would take tens of minutes, so one invocation computes a
 * window of the inputs and the report scales its time by {@code inputs / window}, marking the
 * figure as an estimate. Every pass costs the same whichever window it seeds.
 */
public final class Coverage {
  private Coverage() {}

  /** Problems with more inputs than this are measured on a window. */
  static final int FULL_UP_TO = 1000;

  /** The window's width. */
  static final int WINDOW = 16;

  /** The inputs one invocation differentiates. */
  public static int window(int inputs) {
    return inputs <= FULL_UP_TO ? inputs : WINDOW;
  }
}
