package dev.adjoint.processor;

import dev.adjoint.processor.read.DifferentiableAnnotation;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.Name;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** The shape a {@code @CustomAdjoint} method must have: that of the generated adjoint. */
final class CustomAdjoints {
  private CustomAdjoints() {}

  /** Parameter types of the generated {@code mAdjoint} of {@code primal}, as source text. */
  static List<String> expectedParameterTypes(ExecutableElement primal) {
    DifferentiableAnnotation annotation = DifferentiableAnnotation.of(primal).orElseThrow();
    List<String> types = new ArrayList<>();
    List<String> buffers = new ArrayList<>();
    boolean scalars = false;
    for (VariableElement p : primal.getParameters()) {
      TypeMirror t = p.asType();
      types.add(t.toString());
      boolean differentiated = annotation.differentiates(p.getSimpleName().toString());
      if (differentiated && (t.getKind() == TypeKind.DOUBLE || t.getKind() == TypeKind.FLOAT)) {
        scalars = true;
      } else if (differentiated && t.getKind() == TypeKind.ARRAY
          && (t.toString().startsWith("double") || t.toString().startsWith("float"))) {
        buffers.add(t.toString());
      }
    }
    TypeKind result = primal.getReturnType().getKind();
    if (result != TypeKind.VOID) {
      // A void helper's seed is the adjoint in its array buffers.
      types.add(result == TypeKind.ARRAY ? "double[]" : "double");
    }
    if (scalars) {
      types.add("double[]");
    }
    types.addAll(buffers);
    return types;
  }

  static String expectedSignature(ExecutableElement primal, Name customName) {
    return "static (not private) " + primal.getReturnType() + " " + customName + "("
        + String.join(", ", expectedParameterTypes(primal)) + ")";
  }

  static boolean matches(ExecutableElement primal, ExecutableElement custom) {
    List<String> actual = custom.getParameters().stream().map(p -> p.asType().toString())
        .toList();
    return custom.getModifiers().contains(Modifier.STATIC)
        && !custom.getModifiers().contains(Modifier.PRIVATE)
        && custom.getReturnType().toString().equals(primal.getReturnType().toString())
        && actual.equals(expectedParameterTypes(primal));
  }
}
