package dev.adjoint.processor.diagnostics;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Where a diagnostic about one value of an annotation goes: javac points at the value
 * ({@code wrt = "q"}), or at the annotation when {@code value} is null (the attribute was left
 * at its default).
 *
 * @param element the annotated element
 * @param annotation the annotation on it
 * @param value the attribute's value as written, or null
 */
public record AnnotationSite(Element element, AnnotationMirror annotation,
    AnnotationValue value) {}
