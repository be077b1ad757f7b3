package dev.adjoint.processor.diagnostics;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.Trees;
import java.io.PrintWriter;
import java.io.StringWriter;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports the diagnostics that belong to declarations rather than to positions in a body: on
 * an element (a method, a parameter) or on one value of its annotation. Every diagnostic
 * carries its element, so javac shows it at the declaration (the approach of google/auto's
 * {@code ErrorReporter}). It also makes the {@link Reporter} of each method body, so that the
 * processor's classes never print to the {@link Messager} themselves.
 */
public final class ElementReporter {
  private final Messager messager;
  private final boolean debug;
  private boolean errors;

  /**
   * @param messager javac's
   * @param debug whether internal errors (ADJ002) carry their stack trace (processor option
   *     {@code -Aadjoint.debug=true})
   */
  public ElementReporter(Messager messager, boolean debug) {
    this.messager = messager;
    this.debug = debug;
  }

  /** Reports {@code message} at the declaration of {@code at}. */
  public void report(Message message, Element at, Object... args) {
    errors |= message.kind() == Diagnostic.Kind.ERROR;
    messager.printMessage(message.kind(), message.format(args), at);
  }

  /** Reports {@code message} at an annotation's value (or the annotation, without one). */
  public void report(Message message, AnnotationSite at, Object... args) {
    errors |= message.kind() == Diagnostic.Kind.ERROR;
    messager.printMessage(message.kind(), message.format(args), at.element(), at.annotation(),
        at.value());
  }

  /**
   * The reporter of one method's body: at the exact position of a javac tree, or at {@code
   * method} where a stage has no position. {@code trees} may be null (no tree API).
   */
  public Reporter forBody(Trees trees, CompilationUnitTree unit, Element method) {
    return new JavacReporter(trees, unit, messager, method);
  }

  /** The reporter of a helper's body read for a caller, each message ending in {@code context}. */
  public Reporter forBody(Trees trees, CompilationUnitTree unit, Element method, String context) {
    return new JavacReporter(trees, unit, messager, method, context);
  }

  /**
   * The argument of {@link Message#INTERNAL_ERROR} for a failure: the exception, and its
   * stack trace with {@code -Aadjoint.debug=true}.
   */
  public Object failure(Throwable e) {
    if (!debug) {
      return e;
    }
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    return trace.toString().strip();
  }

  /** Whether an error was reported through this reporter (not through its body reporters). */
  public boolean hasErrors() {
    return errors;
  }
}
