package dev.adjoint.processor.diagnostics;

import dev.adjoint.processor.ir.Position;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;

/**
 * Keeps diagnostics until it is known whether they matter: those of a helper's body are shown
 * only when a caller needs the helper differentiated or copied.
 */
public final class BufferedReporter implements Reporter {
  /** One kept diagnostic. */
  public record Entry(Message message, Position position, Object[] args) {}

  private final List<Entry> entries = new ArrayList<>();
  private boolean errors;

  @Override
  public void report(Message message, Position position, Object... args) {
    errors |= message.kind() == Diagnostic.Kind.ERROR;
    entries.add(new Entry(message, position, args));
  }

  @Override
  public boolean hasErrors() {
    return errors;
  }

  /** The diagnostics kept so far, in order. */
  public List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** The position of the first error kept, if any. */
  public Position firstError() {
    return entries.stream().filter(e -> e.message().kind() == Diagnostic.Kind.ERROR)
        .map(Entry::position).findFirst().orElse(Position.NONE);
  }

  /** Sends every kept diagnostic to {@code to}. */
  public void replay(Reporter to) {
    entries.forEach(e -> to.report(e.message(), e.position(), e.args()));
  }
}
