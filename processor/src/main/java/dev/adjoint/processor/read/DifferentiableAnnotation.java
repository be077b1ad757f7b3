package dev.adjoint.processor.read;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;

/**
 * The attributes of a method's {@code @Differentiable}, read from its annotation mirror (the
 * processor never loads the annotation class itself).
 *
 * @param mirror the annotation, for diagnostics
 * @param wrt parameter names to differentiate with respect to; empty means all
 * @param retain locals whose derivative is wanted too
 * @param order the highest order of derivative wanted (1 unless given)
 * @param checkpoint whether {@code checkpoint = true} is given
 * @param checkpointEvery the iterations between snapshots of a checkpointed loop; 0 for
 *     {@code ceil(sqrt(n))}
 */
public record DifferentiableAnnotation(AnnotationMirror mirror, List<String> wrt,
    List<String> retain, int order, boolean checkpoint, int checkpointEvery) {
  public static final String NAME = "dev.adjoint.Differentiable";

  /** The annotation on {@code method}, if it has one. */
  public static Optional<DifferentiableAnnotation> of(Element method) {
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      if (mirror.getAnnotationType().toString().equals(NAME)) {
        AnnotationValue order = valueOf(mirror, "order");
        AnnotationValue checkpoint = valueOf(mirror, "checkpoint");
        AnnotationValue every = valueOf(mirror, "checkpointEvery");
        return Optional.of(new DifferentiableAnnotation(mirror, strings(mirror, "wrt"),
            strings(mirror, "retain"),
            order != null && order.getValue() instanceof Integer n ? n : 1,
            checkpoint != null && Boolean.TRUE.equals(checkpoint.getValue()),
            every != null && every.getValue() instanceof Integer k ? k : 0));
      }
    }
    return Optional.empty();
  }

  /** The value of attribute {@code name}, to point diagnostics at it; null when absent. */
  public AnnotationValue value(String name) {
    return valueOf(mirror, name);
  }

  private static AnnotationValue valueOf(AnnotationMirror mirror, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** Whether the method's top-level loops are checkpointed in reverse mode. */
  public boolean checkpoints() {
    return checkpoint || checkpointEvery > 0;
  }

  /** Whether parameter {@code name} is differentiated, given that its type could be. */
  public boolean differentiates(String name) {
    return wrt.isEmpty() || wrt.contains(name);
  }

  private static List<String> strings(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)) {
        Object v = e.getValue().getValue();
        if (v instanceof List<?> values) {
          return values.stream()
              .map(x -> String.valueOf(((AnnotationValue) x).getValue())).toList();
        }
        return List.of(String.valueOf(v));
      }
    }
    return List.of();
  }
}
