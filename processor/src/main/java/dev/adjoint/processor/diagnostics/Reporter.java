package dev.adjoint.processor.diagnostics;

import dev.adjoint.processor.ir.Position;

/** Where stages send diagnostics; positions are opaque to them. */
public interface Reporter {
  void report(Message message, Position position, Object... args);

  /** Whether an error was reported since this reporter was made. */
  boolean hasErrors();
}
