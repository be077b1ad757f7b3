package dev.adjoint.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.Trees;
import dev.adjoint.processor.ir.Position;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports at the exact source position of a javac tree, or at an element when a stage has no
 * position (then javac points at the declaration).
 */
public final class JavacReporter implements Reporter {
  private final Trees trees;
  private final CompilationUnitTree unit;
  private final Messager messager;
  private final Element fallback;
  private final String context;
  private boolean errors;

  public JavacReporter(Trees trees, CompilationUnitTree unit, Messager messager,
      Element fallback) {
    this(trees, unit, messager, fallback, "");
  }

  /**
   * @param context appended to every message (where a helper's body is read for a caller:
   *     which call), empty for none
   */
  public JavacReporter(Trees trees, CompilationUnitTree unit, Messager messager,
      Element fallback, String context) {
    this.trees = trees;
    this.unit = unit;
    this.messager = messager;
    this.fallback = fallback;
    this.context = context;
  }

  @Override
  public void report(Message message, Position position, Object... args) {
    errors |= message.kind() == Diagnostic.Kind.ERROR;
    String text = context.isEmpty() ? message.format(args) : message.format(args) + " " + context;
    if (position != null && position.tree() instanceof Tree tree && trees != null) {
      trees.printMessage(message.kind(), text, tree, unit);
    } else {
      messager.printMessage(message.kind(), text, fallback);
    }
  }

  @Override
  public boolean hasErrors() {
    return errors;
  }
}
