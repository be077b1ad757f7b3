package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Position;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;

/** Keeps the messages a stage reports, for tests to assert on. */
final class RecordingReporter implements Reporter {
  final List<Message> messages = new ArrayList<>();

  @Override
  public void report(Message message, Position position, Object... args) {
    messages.add(message);
  }

  @Override
  public boolean hasErrors() {
    return messages.stream().anyMatch(m -> m.kind() == Diagnostic.Kind.ERROR);
  }
}
