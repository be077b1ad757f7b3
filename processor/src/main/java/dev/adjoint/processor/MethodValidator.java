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
    boolean inRecord = isRecordMember(method) || isFinalClassMember(method);
    if (!inRecord && (!(enclosing instanceof TypeElement type)
        || type.getNestingKind() != NestingKind.TOP_LEVEL || type.getKind() != ElementKind.CLASS)) {
      ok = error(Message.NOT_IN_TOP_LEVEL_CLASS, method, name,
          enclosing.getKind().toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
              + " " + enclosing.getSimpleName());
    }
    if (!method.getModifiers().contains(Modifier.STATIC) && !inRecord) {
      ok = error(Message.NOT_STATIC, method, name, enclosing.getKind() == ElementKind.INTERFACE
          ? "interface " + enclosing.getSimpleName() : enclosing.getSimpleName());
    }
    if (inRecord && !method.getModifiers().contains(Modifier.STATIC)
        && enclosing.getKind() == ElementKind.CLASS) {
      // An instance method of a final class: this is an implicit constant parameter (its
      // final fields), never differentiated.
    } else if (inRecord && !method.getModifiers().contains(Modifier.STATIC)) {
      // An instance method of a record: this is an implicit record parameter.
      var problem = dev.adjoint.processor.read.ObjectTypes.problem(enclosing.asType());
      if (problem.isPresent()) {
        ok = error(Message.UNSUPPORTED_OBJECT_PARAMETER, method, "this", enclosing.asType(),
            problem.get());
      } else {
        anyFloatingThis = true;
      }
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
    boolean recordResult = dev.adjoint.processor.read.ObjectTypes.isRecord(
        dev.adjoint.processor.read.ObjectTypes.declared(method.getReturnType()));
    if (recordResult) {
      var problem = dev.adjoint.processor.read.ObjectTypes.resultProblem(
          method.getReturnType());
      if (problem.isPresent()) {
        ok = error(Message.UNSUPPORTED_RECORD_RESULT, method, name, method.getReturnType(),
            problem.get());
      }
    }
    boolean vector = recordResult || returnKind == TypeKind.ARRAY
        && method.getReturnType().toString().equals("double[]");
    boolean helper = returnKind == TypeKind.VOID && method.getParameters().stream()
        .anyMatch(p -> p.asType().getKind() == TypeKind.ARRAY
            && !p.asType().toString().startsWith("int"));
    if (returnKind != TypeKind.DOUBLE && returnKind != TypeKind.FLOAT && !vector && !helper) {
      ok = error(Message.UNSUPPORTED_RETURN_TYPE, method, name, method.getReturnType());
    }
    boolean anyFloating = anyFloatingThis;
    anyFloatingThis = false;
    for (VariableElement p : method.getParameters()) {
      Type t = p.asType().getKind().isPrimitive()
          ? Type.forName(p.asType().getKind().name().toLowerCase(java.util.Locale.ROOT))
          : p.asType().getKind() == TypeKind.ARRAY ? Type.forName(p.asType().toString()) : null;
      if (t == null && dev.adjoint.processor.read.ObjectTypes.isObject(p.asType())) {
        var problem = dev.adjoint.processor.read.ObjectTypes.problem(p.asType());
        if (problem.isPresent()) {
          ok = error(Message.UNSUPPORTED_OBJECT_PARAMETER, p, p.getSimpleName(), p.asType(),
              problem.get());
        } else {
          var d = dev.adjoint.processor.read.ObjectTypes.declared(p.asType());
          var element = dev.adjoint.processor.read.ObjectTypes.recordArrayElement(p.asType());
          // Enums and instances of final classes are constants.
          anyFloating |= !dev.adjoint.processor.read.ObjectTypes.isEnum(d)
              && !dev.adjoint.processor.read.ObjectTypes.isFinalClass(d)
              && !dev.adjoint.processor.read.ObjectTypes.isFinalClass(element);
        }
      } else if (t == null && (p.asType().toString().equals("java.util.Random")
          || p.asType().toString().equals("java.util.SplittableRandom"))) {
        // Drawing from a generator passed in would advance it once per forward sweep an entry
        // point runs (mJacobian, mHessian run several): the derivative of another function.
        ok = error(Message.GENERATOR_USE, p, "parameter '" + p.getSimpleName() + "' is a "
            + p.asType(), "nextDouble(), nextGaussian(), ...", "take a long seed instead and "
            + "create the generator in the method (Random rng = new Random(seed);), or draw "
            + "the numbers outside and pass them in a double[].");
      } else if (t == null && dev.adjoint.processor.read.ObjectTypes.dispatchProblem(
          p.asType()).isPresent()) {
        // An interface or a class that is not final: calls on it could run unseen code.
        ok = error(Message.UNSUPPORTED_OBJECT_PARAMETER, p, p.getSimpleName(), p.asType(),
            dev.adjoint.processor.read.ObjectTypes.dispatchProblem(p.asType()).get());
      } else if (t == null) {
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
          boolean enumParameter = dev.adjoint.processor.read.ObjectTypes.isEnum(
              dev.adjoint.processor.read.ObjectTypes.declared(p.asType()));
          enumParameter |= dev.adjoint.processor.read.ObjectTypes.isFinalClass(
              dev.adjoint.processor.read.ObjectTypes.declared(p.asType()))
              || dev.adjoint.processor.read.ObjectTypes.isFinalClass(
                  dev.adjoint.processor.read.ObjectTypes.recordArrayElement(p.asType()));
          if (t != null && !t.carriesDerivatives() || enumParameter) {
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

  /** Whether the record of the method being validated (an instance method's) has numbers. */
  private boolean anyFloatingThis;

  /**
   * Whether the method is declared in a record that is top-level or a member of a top-level
   * class: its generated class is {@code <Record>Diff}, and an instance method's receiver is an
   * implicit record parameter.
   */
  static boolean isRecordMember(ExecutableElement method) {
    Element enclosing = method.getEnclosingElement();
    if (!(enclosing instanceof TypeElement type) || type.getKind() != ElementKind.RECORD) {
      return false;
    }
    return type.getNestingKind() == NestingKind.TOP_LEVEL
        || type.getNestingKind() == NestingKind.MEMBER
        && ((TypeElement) type.getEnclosingElement()).getNestingKind() == NestingKind.TOP_LEVEL;
  }

  /**
   * Whether the method is declared in a final class ({@code ObjectTypes.isFinalClass}) that is
   * top-level or a member of a top-level class: an instance method's receiver is then an
   * implicit constant parameter, and no override can run instead of the method.
   */
  static boolean isFinalClassMember(ExecutableElement method) {
    Element enclosing = method.getEnclosingElement();
    if (!(enclosing instanceof TypeElement type)
        || !dev.adjoint.processor.read.ObjectTypes.isFinalClass(type)) {
      return false;
    }
    return type.getNestingKind() == NestingKind.TOP_LEVEL
        || type.getNestingKind() == NestingKind.MEMBER
        && type.getModifiers().contains(Modifier.STATIC)
        && ((TypeElement) type.getEnclosingElement()).getNestingKind() == NestingKind.TOP_LEVEL;
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
