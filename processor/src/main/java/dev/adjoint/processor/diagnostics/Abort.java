package dev.adjoint.processor.diagnostics;

/**
 * Thrown after an error has been reported, to abandon the current method: its later stages
 * would only produce noise. Other methods of the class still get their derivatives.
 */
public final class Abort extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public Abort() {
    super(null, null, false, false);
  }
}
