package dev.adjoint.processor.kernel;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.transform.Adjoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Checks that an {@code @Elementwise} method's body can become a kernel: no loops, no arrays,
 * calls only to other kernels of the class, constants only. Runs on the lowered IR, so it sees
 * exactly what the kernels would be printed from; reports at the offending statement or call.
 * (Signature checks need no IR and are done by {@link KernelStage}.)
 */
final class KernelValidator {
  private final Elements elements;
  private final Reporter reporter;
  private final String method;
  private final Map<Expr.FieldRead, Expr.Literal> constants = new LinkedHashMap<>();
  private final Set<String> kernelsOfClass;
  private final String packageName;
  private final String ownerSimpleName;
  private boolean ok = true;

  /**
   * @param kernelsOfClass names of the class's methods that are (so far) valid kernels
   */
  KernelValidator(Elements elements, Reporter reporter, MethodIr m, Set<String> kernelsOfClass) {
    this.elements = elements;
    this.reporter = reporter;
    this.method = m.name();
    this.kernelsOfClass = kernelsOfClass;
    this.packageName = m.ownerPackage();
    this.ownerSimpleName = m.ownerSimpleName();
  }

  /** The validated method, or null when an error was reported. */
  KernelMethod validate(Adjoint adjoint) {
    statements(adjoint.method().body().statements(), Position.NONE);
    // The sweeps read the same constants, through the derivative rules too.
    statements(adjoint.forward(), Position.NONE);
    statements(adjoint.reverse(), Position.NONE);
    return ok ? new KernelMethod(adjoint, Map.copyOf(constants)) : null;
  }

  private void statements(List<Stmt> statements, Position enclosing) {
    for (Stmt s : statements) {
      statement(s, enclosing);
    }
  }

  private void statement(Stmt s, Position enclosing) {
    Position at = positionOf(s, enclosing);
    if (s instanceof Stmt.Loop l) {
      error(Message.ELEMENTWISE_LOOP, l.position(), method);
      return;
    }
    if (s instanceof Stmt.Declare d && d.variable().type().isArray()) {
      error(Message.ELEMENTWISE_ARRAY, d.position(), method, "local '" + d.variable().name()
          + "' of type " + d.variable().type().javaName());
      return;
    }
    if (s instanceof Stmt.ArrayWrite w) {
      error(Message.ELEMENTWISE_ARRAY, w.position(), method, "a write to '"
          + w.array().name() + "'");
      return;
    }
    for (Expr e : expressions(s)) {
      expression(e, at);
    }
    for (Stmt child : Statements.children(s)) {
      statement(child, at);
    }
  }

  private void expression(Expr e, Position at) {
    if (e instanceof Expr.Call c) {
      boolean sameClass = c.callee().packageName().equals(packageName)
          && c.callee().ownerSimpleName().equals(ownerSimpleName);
      if (!sameClass || !kernelsOfClass.contains(c.callee().name())) {
        String why = !sameClass ? "is in another class"
            : !c.callee().differentiable() ? "is not @Differentiable"
            : "is not a valid @Elementwise method";
        error(Message.ELEMENTWISE_CALL, c.position(), method,
            c.callee().ownerSimpleName() + "." + c.callee().name(), why);
        return;
      }
    } else if (e instanceof Expr.FieldRead f) {
      constant(f, at);
    } else if (e instanceof Expr.ArrayRead || e instanceof Expr.NewArray
        || e instanceof Expr.ArrayLength) {
      error(Message.ELEMENTWISE_ARRAY, at, method, "an array expression");
      return;
    }
    for (Expr child : Exprs.children(e)) {
      expression(child, at);
    }
  }

  private void constant(Expr.FieldRead f, Position at) {
    if (constants.containsKey(f)) {
      return;
    }
    TypeElement owner = elements.getTypeElement(f.ownerQualifiedName());
    Object value = null;
    if (owner != null) {
      for (Element member : owner.getEnclosedElements()) {
        if (member.getKind() == ElementKind.FIELD
            && member.getSimpleName().contentEquals(f.name())) {
          value = ((VariableElement) member).getConstantValue();
        }
      }
    }
    if (value == null || value instanceof String) {
      error(Message.ELEMENTWISE_FIELD, at, method, f.ownerQualifiedName() + "." + f.name());
      return;
    }
    if (value instanceof Character c) {
      value = (int) c;
    } else if (value instanceof Byte || value instanceof Short) {
      value = ((Number) value).intValue();
    }
    Type type = f.type() == Type.BYTE || f.type() == Type.SHORT || f.type() == Type.CHAR
        ? Type.INT : f.type();
    constants.put(f, new Expr.Literal(type, value));
  }

  private static List<Expr> expressions(Stmt s) {
    if (s instanceof Stmt.Declare d) {
      return d.init().stream().toList();
    } else if (s instanceof Stmt.Assign a) {
      return List.of(a.value());
    } else if (s instanceof Stmt.If f) {
      return List.of(f.condition());
    } else if (s instanceof Stmt.Evaluate e) {
      return List.of(e.expression());
    } else if (s instanceof Stmt.Return r) {
      return r.value().stream().toList();
    } else if (s instanceof Stmt.Push p) {
      return List.of(p.value());
    } else if (s instanceof Stmt.ElementAssign e) {
      return List.of(e.value());
    }
    return List.of();
  }

  private static Position positionOf(Stmt s, Position enclosing) {
    Position p = null;
    if (s instanceof Stmt.Declare d) {
      p = d.position();
    } else if (s instanceof Stmt.Assign a) {
      p = a.position();
    } else if (s instanceof Stmt.Return r) {
      p = r.position();
    }
    return p == null || p.tree() == null ? enclosing : p;
  }

  private void error(Message message, Position at, Object... args) {
    if (ok) {
      // One error per method: the first construct that cannot run as a kernel.
      reporter.report(message, at, args);
    }
    ok = false;
  }
}
