package dev.adjoint.processor;

import dev.adjoint.processor.diagnostics.AnnotationSite;
import dev.adjoint.processor.diagnostics.ElementReporter;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.read.DifferentiableAnnotation;
import dev.adjoint.processor.ir.Type;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/**
 * Checks a {@code @Differentiable} method's declaration before its body is read: where it is,
 * its modifiers and its signature. Reports every problem it finds, at the element concerned.
 */
final class MethodValidator {
  private final ElementReporter reporter;

  MethodValidator(ElementReporter reporter) {
    this.reporter = reporter;
  }

  /** Whether the method can be differentiated; otherwise its errors have been reported. */
  boolean validate(ExecutableElement method) {
    boolean ok = true;
    String name = method.getSimpleName().toString();
    Element enclosing = method.getEnclosingElement();
    if (!(enclosing instanceof TypeElement type) || type.getNestingKind() != NestingKind.TOP_LEVEL
        || type.getKind() != ElementKind.CLASS) {
      ok = error(Message.NOT_IN_TOP_LEVEL_CLASS, method, name,
          enclosing.getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + " " + enclosing.getSimpleName());
    }
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      ok = error(Message.NOT_STATIC, method, name);
    }
    if (method.getModifiers().contains(Modifier.ABSTRACT)
        || method.getModifiers().contains(Modifier.NATIVE)) {
      ok = error(Message.NO_BODY, method, name);
    }
    if (!method.getTypeParameters().isEmpty()) {
      ok = error(Message.GENERIC_METHOD, method, name);
    }
    if (method.isVarArgs()) {
      ok = error(Message.VARARGS_METHOD, method, name);
    }
    TypeKind returnKind = method.getReturnType().getKind();
    boolean vector = returnKind == TypeKind.ARRAY
        && method.getReturnType().toString().equals("double[]");
    boolean helper = returnKind == TypeKind.VOID && method.getParameters().stream()
        .anyMatch(p -> p.asType().getKind() == TypeKind.ARRAY
            && !p.asType().toString().startsWith("int"));
    if (returnKind != TypeKind.DOUBLE && returnKind != TypeKind.FLOAT && !vector && !helper) {
      ok = error(Message.UNSUPPORTED_RETURN_TYPE, method, name, method.getReturnType());
    }
    boolean anyFloating = false;
    for (VariableElement p : method.getParameters()) {
      Type t = p.asType().getKind().isPrimitive()
          ? Type.forName(p.asType().getKind().name().toLowerCase(java.util.Locale.ROOT))
          : p.asType().getKind() == TypeKind.ARRAY ? Type.forName(p.asType().toString()) : null;
      if (t == null) {
        ok = error(Message.UNSUPPORTED_PARAMETER_TYPE, p, p.getSimpleName(), p.asType());
      } else {
        anyFloating |= t.carriesDerivatives();
      }
    }
    var annotation = DifferentiableAnnotation.of(method);
    if (annotation.isPresent()) {
      var a = annotation.get();
      String names = method.getParameters().stream().map(p -> p.getSimpleName().toString())
          .collect(java.util.stream.Collectors.joining(", "));
      for (String w : a.wrt()) {
        VariableElement p = method.getParameters().stream()
            .filter(q -> q.getSimpleName().contentEquals(w)).findFirst().orElse(null);
        if (p == null) {
          ok = false;
          reporter.report(Message.UNKNOWN_WRT, site(method, a, "wrt"), w, name, names);
        } else {
          Type t = p.asType().getKind().isPrimitive()
              ? Type.forName(p.asType().getKind().name().toLowerCase(java.util.Locale.ROOT))
              : p.asType().getKind() == TypeKind.ARRAY ? Type.forName(p.asType().toString())
              : null;
          if (t != null && !t.carriesDerivatives()) {
            ok = false;
            reporter.report(Message.WRT_NOT_FLOATING, site(method, a, "wrt"), w, p.asType());
          }
        }
      }
    }
    if (annotation.isPresent()) {
      ok &= validateOrder(method, annotation.get(), vector);
      if (annotation.get().checkpointEvery() < 0) {
        ok = false;
        reporter.report(Message.CHECKPOINT_EVERY_NEGATIVE,
            site(method, annotation.get(), "checkpointEvery"),
            annotation.get().checkpointEvery());
      }
    }
    if (ok && !anyFloating) {
      reporter.report(Message.NO_DIFFERENTIABLE_PARAMETER, method, name);
    }
    return ok;
  }

  /** The highest order of derivative supported by {@code mDerivatives}. */
  static final int MAX_ORDER = 6;

  private boolean validateOrder(ExecutableElement method,
      DifferentiableAnnotation a, boolean vector) {
    int order = a.order();
    String name = method.getSimpleName().toString();
    Message problem = null;
    Object[] args = null;
    if (order < 1 || order > MAX_ORDER) {
      problem = Message.ORDER_OUT_OF_RANGE;
      args = new Object[] {order, MAX_ORDER};
    } else if (order >= 2 && vector) {
      problem = Message.ORDER_NEEDS_SCALAR_RESULT;
      args = new Object[] {order, name};
    } else if (order >= 3 && method.getReturnType().getKind() != TypeKind.VOID) {
      List<String> inputs = new java.util.ArrayList<>();
      boolean array = false;
      for (VariableElement p : method.getParameters()) {
        TypeKind kind = p.asType().getKind();
        boolean floating = kind == TypeKind.DOUBLE || kind == TypeKind.FLOAT;
        boolean floatingArray = kind == TypeKind.ARRAY && !p.asType().toString().startsWith("int");
        if ((floating || floatingArray) && a.differentiates(p.getSimpleName().toString())) {
          inputs.add(p.getSimpleName().toString());
          array |= floatingArray;
        }
      }
      if (inputs.size() != 1 || array) {
        problem = Message.ORDER_NEEDS_ONE_INPUT;
        args = new Object[] {order, name, inputs.isEmpty() ? "no input"
            : (array ? "the array " : inputs.size() + " inputs ") + "(" + String.join(", ",
                inputs) + ")"};
      }
    }
    if (problem == null) {
      return true;
    }
    reporter.report(problem, site(method, a, "order"), args);
    return false;
  }

  private boolean error(Message message, Element at, Object... args) {
    reporter.report(message, at, args);
    return false;
  }

  /** The value of attribute {@code attribute} of the method's {@code @Differentiable}. */
  private static AnnotationSite site(ExecutableElement method, DifferentiableAnnotation a,
      String attribute) {
    return new AnnotationSite(method, a.mirror(), a.value(attribute));
  }
}
