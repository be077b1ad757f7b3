package dev.adjoint.processor.diagnostics;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** The element reporter: message texts, error tracking, and the debug option's stack traces. */
class ElementReporterTest {
  /** Records what would go to javac. */
  private static final class RecordingMessager implements Messager {
    final List<String> printed = new ArrayList<>();

    @Override
    public void printMessage(Diagnostic.Kind kind, CharSequence msg) {
      printed.add(kind + " " + msg);
    }

    @Override
    public void printMessage(Diagnostic.Kind kind, CharSequence msg, Element e) {
      printed.add(kind + " " + msg);
    }

    @Override
    public void printMessage(Diagnostic.Kind kind, CharSequence msg, Element e,
        AnnotationMirror a) {
      printed.add(kind + " " + msg);
    }

    @Override
    public void printMessage(Diagnostic.Kind kind, CharSequence msg, Element e,
        AnnotationMirror a, AnnotationValue v) {
      printed.add(kind + " " + msg);
    }
  }

  @Test
  void reportsTheCataloguedTextAndTracksErrors() {
    RecordingMessager messager = new RecordingMessager();
    ElementReporter reporter = new ElementReporter(messager, false);
    reporter.report(Message.UNUSED_INPUT, (Element) null, "x", "f");
    assertThat(reporter.hasErrors()).isFalse();
    reporter.report(Message.NOT_STATIC, (Element) null, "f", "Foo");
    assertThat(reporter.hasErrors()).isTrue();
    assertThat(messager.printed.get(1))
        .isEqualTo("ERROR " + Message.NOT_STATIC.format("f", "Foo"));
  }

  @Test
  void annotationSitesKeepTheMessage() {
    RecordingMessager messager = new RecordingMessager();
    ElementReporter reporter = new ElementReporter(messager, false);
    reporter.report(Message.ORDER_OUT_OF_RANGE, new AnnotationSite(null, null, null), 9, 6);
    assertThat(messager.printed).containsExactly(
        "ERROR " + Message.ORDER_OUT_OF_RANGE.format(9, 6));
  }

  @Test
  void internalErrorsShowTheStackTraceOnlyInDebugMode() {
    IllegalStateException failure = new IllegalStateException("boom");
    assertThat(new ElementReporter(new RecordingMessager(), false).failure(failure))
        .isSameInstanceAs(failure);
    String debug = new ElementReporter(new RecordingMessager(), true).failure(failure)
        .toString();
    assertThat(debug).startsWith("java.lang.IllegalStateException: boom");
    assertThat(debug).contains("at dev.adjoint.processor.diagnostics.ElementReporterTest");
  }
}
