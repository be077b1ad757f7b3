package dev.adjoint.processor.analysis;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reports derivatives that a construct would lose. Integer conversions warn wherever they take
 * a varied value; a call that cannot be differentiated, or that does not differentiate an
 * argument, is an error only where the derivative would reach the result: not in conditions,
 * indices, integer arithmetic or unused values.
 */
final class DerivativeCuts implements Stmt.SourceVisitor<Void> {
  private final Predicate<Expr> varied;
  private final Predicate<Variable> useful;
  private final Reporter reporter;
  private final java.util.function.Consumer<Expr.Call> differentiated;

  /**
   * @param varied whether an expression depends on a differentiated input
   * @param useful whether the result depends on a variable
   * @param differentiated receives each call of a differentiable method whose derivative
   *     reaches the result (its derivatives are needed)
   */
  DerivativeCuts(Predicate<Expr> varied, Predicate<Variable> useful, Reporter reporter,
      java.util.function.Consumer<Expr.Call> differentiated) {
    this.varied = varied;
    this.useful = useful;
    this.reporter = reporter;
    this.differentiated = differentiated;
  }

  /**
   * Reports the cuts in {@code e}; {@code flows} tells whether its value's derivative reaches
   * the result.
   */
  private void report(Expr e, boolean flows) {
    boolean resultFlows = flows && (e.type().carriesDerivatives() || e.type() == Type.VOID);
    e.accept(new InExpression(resultFlows));
  }

  private Void nested(Stmt s) {
    Statements.children(s).forEach(c -> c.accept(this));
    return null;
  }

  @Override
  public Void visitDeclare(Stmt.Declare s) {
    s.init().ifPresent(init -> report(init, useful.test(s.variable())));
    return null;
  }

  @Override
  public Void visitAssign(Stmt.Assign s) {
    report(s.value(), useful.test(s.variable()));
    return null;
  }

  @Override
  public Void visitArrayWrite(Stmt.ArrayWrite s) {
    s.indices().forEach(i -> report(i, false));
    report(s.value(), useful.test(s.array()));
    return null;
  }

  @Override
  public Void visitIf(Stmt.If s) {
    report(s.condition(), false);
    return nested(s);
  }

  @Override
  public Void visitLoop(Stmt.Loop s) {
    report(s.condition(), false);
    return nested(s);
  }

  @Override
  public Void visitReturn(Stmt.Return s) {
    s.value().ifPresent(v -> report(v, true));
    return null;
  }

  @Override
  public Void visitBreak(Stmt.Break s) {
    return null;
  }

  @Override
  public Void visitContinue(Stmt.Continue s) {
    return null;
  }

  @Override
  public Void visitBlock(Stmt.Block s) {
    return nested(s);
  }

  /** A void helper's effect is its written arrays: what it loses, the caller loses. */
  @Override
  public Void visitEvaluate(Stmt.Evaluate s) {
    report(s.expression(), true);
    return null;
  }

  /** A message's values are printed, never differentiated. */
  @Override
  public Void visitThrow(Stmt.Throw s) {
    s.values().forEach(v -> report(v, false));
    return null;
  }

  /** The cuts within one expression whose value's derivative reaches the result or not. */
  private final class InExpression implements Expr.SourceVisitor<Void> {
    private final boolean flows;

    InExpression(boolean flows) {
      this.flows = flows;
    }

    private Void children(Expr e) {
      Exprs.children(e).forEach(child -> report(child, flows));
      return null;
    }

    private boolean anyVaried(List<Expr> arguments) {
      return arguments.stream().anyMatch(varied);
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
    public Void visitFieldRead(Expr.FieldRead e) {
      return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return children(e);
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
      return children(e);
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
      return children(e);
    }

    /** An integer conversion of a varied value is worth a warning wherever it is. */
    @Override
    public Void visitCast(Expr.Cast e) {
      if (!e.type().isFloating() && varied.test(e.operand())) {
        reporter.report(Message.INTEGER_CAST_CUTS_DERIVATIVE, e.position(),
            e.type().javaName());
      }
      return children(e);
    }

    /** So is an integer result ({@code Math.round}) of a varied value. */
    @Override
    public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
      if (!e.type().isFloating() && anyVaried(e.arguments())) {
        reporter.report(Message.ACTIVE_INTEGER_CALL_RESULT, e.position(),
            e.strict() ? "StrictMath" : "Math", e.intrinsic().javaName());
      }
      return children(e);
    }

    @Override
    public Void visitCall(Expr.Call e) {
      if (flows && e.callee().differentiable()) {
        reportNotDifferentiatedArguments(e);
        if (anyVaried(e.arguments())) {
          differentiated.accept(e);
        }
      }
      if (flows && !e.callee().differentiable() && anyVaried(e.arguments())) {
        reporter.report(Message.NOT_DIFFERENTIABLE_CALL, e.position(),
            e.callee().ownerSimpleName() + "." + e.callee().name());
      }
      return children(e);
    }

    private void reportNotDifferentiatedArguments(Expr.Call c) {
      for (int i = 0; i < c.arguments().size(); i++) {
        if (!c.callee().differentiates(i)
            && c.callee().parameterTypes().get(i).carriesDerivatives()
            && varied.test(c.arguments().get(i))) {
          String callee = c.callee().ownerSimpleName() + "." + c.callee().name();
          String parameter = c.callee().parameterNames().get(i);
          reporter.report(Message.NOT_DIFFERENTIATED_ARGUMENT, c.position(), parameter, callee,
              c.callee().name(), parameter);
        }
      }
    }

    /** An index only chooses an element: no derivative reaches the result through it. */
    @Override
    public Void visitArrayRead(Expr.ArrayRead e) {
      report(e.array(), flows);
      report(e.index(), false);
      return null;
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
      return children(e);
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
      return children(e);
    }
  }
}
