package dev.adjoint.processor.kernel;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
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
    StatementCheck check = new StatementCheck(enclosing);
    for (Stmt s : statements) {
      s.accept(check);
    }
  }

  /**
   * Checks statements of the lowered body and of both sweeps. What a kernel cannot hold
   * (loops, arrays) is reported; the sweeps' array operations only follow arrays of the
   * body, reported first (one error per method).
   */
  private final class StatementCheck implements Stmt.Visitor<Void> {
    /** Where to report what has no position of its own. */
    private final Position enclosing;

    StatementCheck(Position enclosing) {
      this.enclosing = enclosing;
    }

    private Position at(Position own) {
      return own == null || own.tree() == null ? enclosing : own;
    }

    private Void expression(Expr e, Position at) {
      e.accept(new ExpressionCheck(at));
      return null;
    }

    @Override
    public Void visitDeclare(Stmt.Declare d) {
      if (d.variable().type().isArray()) {
        error(Message.ELEMENTWISE_ARRAY, d.position(), method, "local '"
            + d.variable().name() + "' of type " + d.variable().type().javaName());
        return null;
      }
      d.init().ifPresent(init -> expression(init, at(d.position())));
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign a) {
      return expression(a.value(), at(a.position()));
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite w) {
      error(Message.ELEMENTWISE_ARRAY, w.position(), method, "a write to '"
          + w.array().name() + "'");
      return null;
    }

    @Override
    public Void visitIf(Stmt.If f) {
      expression(f.condition(), enclosing);
      statements(f.thenBlock().statements(), enclosing);
      statements(f.elseBlock().statements(), enclosing);
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop l) {
      error(Message.ELEMENTWISE_LOOP, l.position(), method);
      return null;
    }

    @Override
    public Void visitBlock(Stmt.Block b) {
      statements(b.statements(), enclosing);
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate e) {
      return expression(e.expression(), enclosing);
    }

    @Override
    public Void visitThrow(Stmt.Throw t) {
      error(Message.ELEMENTWISE_THROW, t.position(), method);
      return null;
    }

    @Override
    public Void visitPush(Stmt.Push p) {
      return expression(p.value(), enclosing);
    }

    @Override
    public Void visitElementAssign(Stmt.ElementAssign e) {
      return expression(e.value(), enclosing);
    }

    @Override
    public Void visitRestoreArray(Stmt.RestoreArray s) {
      error(Message.ELEMENTWISE_ARRAY, enclosing, method, "'" + s.array().name() + "'");
      return null;
    }

    @Override
    public Void visitRelease(Stmt.Release s) {
      error(Message.ELEMENTWISE_ARRAY, enclosing, method, "an array borrowed from the tape");
      return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
      throw notLowered(s);
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
      throw notLowered(s);
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
      throw notLowered(s);
    }
  }

  private static IllegalStateException notLowered(Stmt s) {
    return new IllegalStateException(s.getClass().getSimpleName()
        + " cannot appear here: kernels are validated on lowered IR, without jumps");
  }

  /** Checks one expression: calls of kernels of the class, constant fields, no arrays. */
  private final class ExpressionCheck implements Expr.Visitor<Void> {
    /** The statement's position, where every finding in the expression is reported. */
    private final Position at;

    ExpressionCheck(Position at) {
      this.at = at;
    }

    private Void all(List<Expr> expressions) {
      expressions.forEach(e -> e.accept(this));
      return null;
    }

    private Void array() {
      error(Message.ELEMENTWISE_ARRAY, at, method, "an array expression");
      return null;
    }

    @Override
    public Void visitCall(Expr.Call c) {
      boolean sameClass = c.callee().packageName().equals(packageName)
          && c.callee().ownerSimpleName().equals(ownerSimpleName);
      if (!sameClass || !kernelsOfClass.contains(c.callee().name())) {
        String why = !sameClass ? "is in another class"
            : !c.callee().differentiable() ? "is not @Differentiable"
            : "is not a valid @Elementwise method";
        error(Message.ELEMENTWISE_CALL, c.position(), method,
            c.callee().ownerSimpleName() + "." + c.callee().name(), why);
        return null;
      }
      return all(c.arguments());
    }

    @Override
    public Void visitAdjointCall(Expr.AdjointCall c) {
      // The callee was checked at its call in the body; its arguments are read here too.
      all(c.arguments());
      c.seed().ifPresent(seed -> seed.accept(this));
      return all(c.arrayAdjoints());
    }

    @Override
    public Void visitFieldRead(Expr.FieldRead f) {
      constant(f, at);
      return null;
    }

    @Override
    public Void visitArrayRead(Expr.ArrayRead e) {
      return array();
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
      return array();
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
      return array();
    }

    @Override
    public Void visitArrayCopy(Expr.ArrayCopy e) {
      return array();
    }

    @Override
    public Void visitBorrow(Expr.Borrow e) {
      return array();
    }

    @Override
    public Void visitLiteral(Expr.Literal e) {
      return null;
    }

    @Override
    public Void visitLocal(Expr.Local e) {
      return null;
    }

    @Override
    public Void visitNullArray(Expr.NullArray e) {
      // An array adjoint the caller does not want: no array exists.
      return null;
    }

    @Override
    public Void visitTapePop(Expr.TapePop e) {
      return null;
    }

    @Override
    public Void visitElement(Expr.Element e) {
      return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return e.operand().accept(this);
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
      return all(List.of(e.left(), e.right()));
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
      return all(List.of(e.condition(), e.whenTrue(), e.whenFalse()));
    }

    @Override
    public Void visitCast(Expr.Cast e) {
      return e.operand().accept(this);
    }

    @Override
    public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
      return all(e.arguments());
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

  private void error(Message message, Position at, Object... args) {
    if (ok) {
      // One error per method: the first construct that cannot run as a kernel.
      reporter.report(message, at, args);
    }
    ok = false;
  }
}
