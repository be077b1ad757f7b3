package dev.adjoint.processor.read;

import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import dev.adjoint.processor.diagnostics.Abort;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Position;

/**
 * What the readers of one method body share: the scope of the names declared so far, the
 * symbols around the method, and the reporter of what falls outside the supported subset.
 */
final class ReadContext {
  private final Symbols symbols;
  private final Reporter reporter;
  private final Scope scope = new Scope();

  /** Locals whose declaration was rejected: reading them reports nothing more. */
  private final java.util.Set<String> poisoned = new java.util.HashSet<>();

  ReadContext(Symbols symbols, Reporter reporter) {
    this.symbols = symbols;
    this.reporter = reporter;
  }

  Symbols symbols() {
    return symbols;
  }

  Scope scope() {
    return scope;
  }

  /** Marks a local whose declaration was rejected, so that its uses are not reported too. */
  void poison(String name) {
    poisoned.add(name);
  }

  boolean poisoned(String name) {
    return poisoned.contains(name);
  }

  /** Reports {@code message} at {@code at}; the caller throws the result. */
  Abort error(Message message, Tree at, Object... args) {
    reporter.report(message, new Position(at), args);
    return new Abort();
  }

  /** Reports a construct outside the subset, with what to write instead. */
  Abort unsupported(Tree at, String construct, String advice) {
    return error(at.getKind().name().endsWith("STATEMENT") || at instanceof StatementTree
        ? Message.UNSUPPORTED_STATEMENT : Message.UNSUPPORTED_EXPRESSION, at, construct, advice);
  }
}
