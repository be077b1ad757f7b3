package dev.adjoint.processor;

import dev.adjoint.processor.diagnostics.ElementReporter;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.read.DifferentiableAnnotation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Pairs each {@code @CustomAdjoint} method with the differentiable method it names and checks
 * the pair: one target of that name, the shape {@link CustomAdjoints} expects, order 1, no
 * {@code retain}, one custom adjoint per method. A method whose custom adjoint is wrong is not
 * differentiated (its errors are reported); a custom adjoint naming no method is ignored after
 * its error.
 */
final class CustomAdjointValidator {
  private final Elements elements;
  private final ElementReporter reporter;

  CustomAdjointValidator(Elements elements, ElementReporter reporter) {
    this.elements = elements;
    this.reporter = reporter;
  }

  /**
   * Per differentiable method, its checked custom adjoint. Removes from {@code byClass} the
   * methods whose custom adjoint was rejected.
   */
  Map<ExecutableElement, ExecutableElement> validate(RoundEnvironment round,
      Map<TypeElement, List<ExecutableElement>> byClass) {
    Map<ExecutableElement, ExecutableElement> found = new LinkedHashMap<>();
    TypeElement annotation = elements.getTypeElement(AdjointProcessor.CUSTOM_ADJOINT);
    if (annotation == null) {
      return found;
    }
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (!(e instanceof ExecutableElement custom)) {
        continue;
      }
      ExecutableElement primal = target(custom, byClass);
      if (primal == null) {
        continue;
      }
      if (!acceptable(primal, custom)) {
        byClass.get((TypeElement) custom.getEnclosingElement()).remove(primal);
        continue;
      }
      if (found.containsKey(primal)) {
        reporter.report(Message.DUPLICATE_CUSTOM_ADJOINT, custom, primal.getSimpleName(),
            found.get(primal).getSimpleName() + ", " + custom.getSimpleName());
        continue;
      }
      found.put(primal, custom);
    }
    return found;
  }

  /** The one differentiable method of the class the annotation names; null after an error. */
  private ExecutableElement target(ExecutableElement custom,
      Map<TypeElement, List<ExecutableElement>> byClass) {
    String target = custom.getAnnotationMirrors().stream()
        .filter(a -> a.getAnnotationType().toString().equals(AdjointProcessor.CUSTOM_ADJOINT))
        .flatMap(a -> a.getElementValues().values().stream())
        .map(v -> String.valueOf(v.getValue())).findFirst().orElse("");
    List<ExecutableElement> candidates = byClass.getOrDefault(
        (TypeElement) custom.getEnclosingElement(), List.of()).stream()
        .filter(m -> m.getSimpleName().contentEquals(target)).toList();
    if (candidates.size() != 1) {
      reporter.report(Message.CUSTOM_ADJOINT_TARGET, custom, target);
      return null;
    }
    return candidates.get(0);
  }

  /** Whether the pair can be used: the custom adjoint's shape, and what the primal asks for. */
  private boolean acceptable(ExecutableElement primal, ExecutableElement custom) {
    if (!CustomAdjoints.matches(primal, custom)) {
      reporter.report(Message.CUSTOM_ADJOINT_SIGNATURE, custom, custom.getSimpleName(),
          CustomAdjoints.expectedSignature(primal, custom.getSimpleName()));
      return false;
    }
    DifferentiableAnnotation annotation = DifferentiableAnnotation.of(primal).orElseThrow();
    if (annotation.order() > 1) {
      reporter.report(Message.CUSTOM_ADJOINT_WITH_ORDER, primal, primal.getSimpleName(),
          annotation.order());
      return false;
    }
    if (!annotation.retain().isEmpty()) {
      reporter.report(Message.CUSTOM_ADJOINT_WITH_RETAIN, primal, primal.getSimpleName());
      return false;
    }
    return true;
  }
}
