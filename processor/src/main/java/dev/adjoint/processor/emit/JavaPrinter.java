package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints IR as Java source, one statement a line, with only the parentheses Java needs. It
 * opens and closes a scope of its {@link Names} for every block, branch and loop it prints, so
 * that names follow Java's scoping.
 */
final class JavaPrinter {
  private static final int PRIMARY = 16;
  private static final int UNARY = 14;
  private static final int CAST = 13;
  private static final int CONDITIONAL = 2;
  private static final ClassName SHAPES = ClassName.get("dev.adjoint.runtime", "Shapes");

  private final Names names;
  private final ExpressionPrinter expressions = new ExpressionPrinter();

  JavaPrinter(Names names) {
    this.names = names;
  }

  String name(Variable v) {
    return names.of(v);
  }

  // ---------------------------------------------------------------- statements

  /** Prints statements into {@code out}, in the scope currently open. */
  void statements(List<Stmt> statements, CodeBlock.Builder out) {
    StatementPrinter printer = new StatementPrinter(out);
    for (Stmt s : statements) {
      s.accept(printer);
    }
  }

  /** Prints statements in a scope of their own, as the body of a block, branch or loop. */
  private void scoped(List<Stmt> statements, CodeBlock.Builder out) {
    names.open();
    statements(statements, out);
    names.close();
  }

  /** Prints each kind of statement; jumps are lowered before emission. */
  private final class StatementPrinter implements Stmt.Visitor<Void> {
    private final CodeBlock.Builder out;

    StatementPrinter(CodeBlock.Builder out) {
      this.out = out;
    }

    @Override
    public Void visitDeclare(Stmt.Declare d) {
      String type = d.variable().type().javaName();
      if (d.init().isEmpty()) {
        out.addStatement("$L $L", type, names.declare(d.variable()));
      } else {
        String name = names.declare(d.variable());
        out.addStatement("$L $L = $L", type, name, expr(d.init().get()));
      }
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign a) {
      out.addStatement("$L", assignment(a));
      return null;
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite w) {
      out.addStatement("$L", elementAssignment(w));
      return null;
    }

    @Override
    public Void visitIf(Stmt.If f) {
      ifStatement(f, out, false);
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop l) {
      loop(l, out);
      return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
      throw new IllegalStateException("return cannot appear here: lowering removed it");
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
      throw new IllegalStateException("break cannot appear here: lowering removed it");
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
      throw new IllegalStateException("continue cannot appear here: lowering removed it");
    }

    @Override
    public Void visitBlock(Stmt.Block b) {
      out.add("{\n").indent();
      scoped(b.statements(), out);
      out.unindent().add("}\n");
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate e) {
      out.addStatement("$L", expr(e.expression()));
      return null;
    }

    @Override
    public Void visitThrow(Stmt.Throw t) {
      ClassName exception = ClassName.bestGuess(t.exception());
      if (!t.withMessage()) {
        out.addStatement("throw new $T()", exception);
        return null;
      }
      CodeBlock.Builder message = CodeBlock.builder();
      for (int i = 0; i < t.texts().size(); i++) {
        boolean first = i == 0;
        String text = t.texts().get(i);
        if (!text.isEmpty() || first) {
          message.add(first ? "$S" : " + $S", text);
        }
        if (i < t.values().size()) {
          // Parenthesised unless a primary: the value is concatenated as Java prints it.
          message.add(" + $L", operand(t.values().get(i), PRIMARY, false));
        }
      }
      out.addStatement("throw new $T($L)", exception, message.build());
      return null;
    }

    @Override
    public Void visitRestoreArray(Stmt.RestoreArray r) {
      out.addStatement("$L.popArray($L)", name(r.tape()), name(r.array()));
      return null;
    }

    @Override
    public Void visitPush(Stmt.Push p) {
      out.addStatement("$L.push$L($L)", name(p.tape()), tapeSuffix(p.value().type()),
          expr(p.value()));
      return null;
    }

    @Override
    public Void visitRelease(Stmt.Release r) {
      out.addStatement("$L.release($L)", name(r.tape()), r.count());
      return null;
    }

    @Override
    public Void visitElementAssign(Stmt.ElementAssign e) {
      out.addStatement("$L[$L] = $L", name(e.array()), e.index(), expr(e.value()));
      return null;
    }
  }

  private void ifStatement(Stmt.If f, CodeBlock.Builder out, boolean chained) {
    boolean thenEmpty = f.thenBlock().isEmpty();
    CodeBlock condition = thenEmpty ? expr(Exprs.not(f.condition())) : expr(f.condition());
    List<Stmt> first = thenEmpty ? f.elseBlock().statements() : f.thenBlock().statements();
    List<Stmt> second = thenEmpty ? List.of() : f.elseBlock().statements();
    if (chained) {
      out.nextControlFlow("else if ($L)", condition);
    } else {
      out.beginControlFlow("if ($L)", condition);
    }
    scoped(first, out);
    if (second.size() == 1 && second.get(0) instanceof Stmt.If nested) {
      ifStatement(nested, out, true);
      return;
    }
    if (!second.isEmpty()) {
      out.nextControlFlow("else");
      scoped(second, out);
    }
    out.endControlFlow();
  }

  private void loop(Stmt.Loop l, CodeBlock.Builder out) {
    if (!l.testFirst()) {
      out.beginControlFlow("do");
      names.open();
      statements(l.body().statements(), out);
      statements(l.update(), out);
      names.close();
      out.endControlFlow("while ($L)", expr(l.condition()));
      return;
    }
    if (l.init().isEmpty() && l.update().isEmpty()) {
      out.beginControlFlow("while ($L)", expr(l.condition()));
      scoped(l.body().statements(), out);
      out.endControlFlow();
      return;
    }
    boolean forInit = l.init().isEmpty()
        || (l.init().size() == 1 && l.init().get(0) instanceof Stmt.Declare)
        || l.init().stream().allMatch(s -> s instanceof Stmt.Assign);
    boolean forUpdate = l.update().stream().allMatch(s -> s instanceof Stmt.Assign);
    if (forInit && forUpdate) {
      // The for statement's own scope holds its init declaration; the body nests inside it.
      names.open();
      out.beginControlFlow("for ($L; $L; $L)", forClause(l.init()), expr(l.condition()),
          forClause(l.update()));
      scoped(l.body().statements(), out);
      names.close();
      out.endControlFlow();
      return;
    }
    statements(l.init(), out);
    out.beginControlFlow("while ($L)", expr(l.condition()));
    names.open();
    statements(l.body().statements(), out);
    statements(l.update(), out);
    names.close();
    out.endControlFlow();
  }

  /** The init or update clause of a {@code for}: one declaration, or assignments. */
  private String forClause(List<Stmt> statements) {
    List<String> clauses = new ArrayList<>();
    for (Stmt s : statements) {
      clauses.add(s.accept(forClause));
    }
    return String.join(", ", clauses);
  }

  private final ForClause forClause = new ForClause();

  /**
   * One clause of a {@code for}'s init or update: a declaration or an assignment, which
   * {@link #loop} checked the clauses are before choosing a {@code for}; any other statement
   * there is a bug in that check.
   */
  private final class ForClause implements Stmt.Visitor<String> {
    @Override
    public String visitDeclare(Stmt.Declare d) {
      String name = names.declare(d.variable());
      return d.variable().type().javaName() + " " + name + " = " + expr(d.init().orElseThrow());
    }

    @Override
    public String visitAssign(Stmt.Assign a) {
      return assignment(a).toString();
    }

    @Override
    public String visitArrayWrite(Stmt.ArrayWrite s) {
      return notAClause(s);
    }

    @Override
    public String visitIf(Stmt.If s) {
      return notAClause(s);
    }

    @Override
    public String visitLoop(Stmt.Loop s) {
      return notAClause(s);
    }

    @Override
    public String visitReturn(Stmt.Return s) {
      return notAClause(s);
    }

    @Override
    public String visitBreak(Stmt.Break s) {
      return notAClause(s);
    }

    @Override
    public String visitContinue(Stmt.Continue s) {
      return notAClause(s);
    }

    @Override
    public String visitBlock(Stmt.Block s) {
      return notAClause(s);
    }

    @Override
    public String visitEvaluate(Stmt.Evaluate s) {
      return notAClause(s);
    }

    @Override
    public String visitThrow(Stmt.Throw s) {
      return notAClause(s);
    }

    @Override
    public String visitRestoreArray(Stmt.RestoreArray s) {
      return notAClause(s);
    }

    @Override
    public String visitPush(Stmt.Push s) {
      return notAClause(s);
    }

    @Override
    public String visitRelease(Stmt.Release s) {
      return notAClause(s);
    }

    @Override
    public String visitElementAssign(Stmt.ElementAssign s) {
      return notAClause(s);
    }

    private String notAClause(Stmt s) {
      throw new IllegalStateException("a " + s.getClass().getSimpleName()
          + " cannot be a clause of a for statement");
    }
  }

  /** {@code v = v op e} prints as {@code v op= e}, and {@code v = v + 1} as {@code v++}. */
  private CodeBlock assignment(Stmt.Assign a) {
    Variable v = a.variable();
    Expr value = a.value();
    boolean narrowed = value instanceof Expr.Cast c && c.type() == v.type();
    Expr core = narrowed ? ((Expr.Cast) value).operand() : value;
    if (core instanceof Binary b && b.left() instanceof Expr.Local l && l.variable() == v
        && (narrowed || b.type() == v.type()) && !b.op().isComparison()
        && b.op() != BinaryOp.CONDITIONAL_AND && b.op() != BinaryOp.CONDITIONAL_OR) {
      boolean unit = b.right() instanceof Expr.Literal lit && lit.isOne()
          && lit.type().isIntegral();
      if (unit && b.op() == BinaryOp.ADD) {
        return CodeBlock.of("$L++", name(v));
      }
      if (unit && b.op() == BinaryOp.SUBTRACT) {
        return CodeBlock.of("$L--", name(v));
      }
      return CodeBlock.of("$L $L= $L", name(v), b.op().symbol, expr(b.right()));
    }
    return CodeBlock.of("$L = $L", name(v), expr(value));
  }

  /** {@code a[i] = a[i] op e} prints as {@code a[i] op= e} (which also narrows, as needed). */
  private CodeBlock elementAssignment(Stmt.ArrayWrite w) {
    Expr target = Exprs.element(w.array(), w.indices());
    Expr value = w.value();
    Expr core = value instanceof Expr.Cast c && c.type() == target.type() ? c.operand() : value;
    if (core instanceof Binary b && b.left().equals(target) && b.op().isArithmetic()) {
      return CodeBlock.of("$L $L= $L", expr(target), b.op().symbol, expr(b.right()));
    }
    return CodeBlock.of("$L = $L", expr(target), expr(value));
  }

  // ---------------------------------------------------------------- expressions

  CodeBlock expr(Expr e) {
    return e.accept(expressions);
  }

  /** Prints each kind of expression. */
  private final class ExpressionPrinter implements Expr.Visitor<CodeBlock> {
    @Override
    public CodeBlock visitLiteral(Expr.Literal l) {
      return CodeBlock.of("$L", literal(l));
    }

    @Override
    public CodeBlock visitNullArray(Expr.NullArray e) {
      return CodeBlock.of("null");
    }

    @Override
    public CodeBlock visitLocal(Expr.Local l) {
      return CodeBlock.of("$L", name(l.variable()));
    }

    @Override
    public CodeBlock visitFieldRead(Expr.FieldRead f) {
      return CodeBlock.of("$T.$L", ClassName.bestGuess(f.ownerQualifiedName()), f.name());
    }

    @Override
    public CodeBlock visitUnary(Expr.Unary u) {
      CodeBlock operand = operand(u.operand(), UNARY, false);
      boolean clash = operand.toString().startsWith(u.op().symbol)
          && (u.op() == Expr.UnaryOp.NEGATE || u.op() == Expr.UnaryOp.PLUS);
      return clash ? CodeBlock.of("$L($L)", u.op().symbol, operand)
          : CodeBlock.of("$L$L", u.op().symbol, operand);
    }

    @Override
    public CodeBlock visitBinary(Binary b) {
      return CodeBlock.of("$L $L $L", operand(b.left(), b.op().precedence, false), b.op().symbol,
          operand(b.right(), b.op().precedence, true));
    }

    @Override
    public CodeBlock visitConditional(Expr.Conditional c) {
      return CodeBlock.of("$L ? $L : $L", operand(c.condition(), CONDITIONAL, true),
          operand(c.whenTrue(), CONDITIONAL, true), operand(c.whenFalse(), CONDITIONAL, false));
    }

    @Override
    public CodeBlock visitCast(Expr.Cast c) {
      return CodeBlock.of("($L) $L", c.type().javaName(), operand(c.operand(), UNARY, false));
    }

    @Override
    public CodeBlock visitIntrinsicCall(Expr.IntrinsicCall c) {
      return CodeBlock.of("$L.$L($L)", c.strict() ? "StrictMath" : "Math",
          c.intrinsic().javaName(), arguments(c.arguments()));
    }

    @Override
    public CodeBlock visitCall(Expr.Call c) {
      List<CodeBlock> args = new ArrayList<>();
      c.arguments().forEach(a -> args.add(expr(a)));
      List<TypeName> types = new ArrayList<>();
      c.callee().parameterTypes().forEach(t -> types.add(slotType(t)));
      return CodeBlock.of("$T.$L($L)", owner(c.callee()), c.callee().name(),
          ParameterSlots.arguments(args, types));
    }

    @Override
    public CodeBlock visitAdjointCall(Expr.AdjointCall c) {
      List<CodeBlock> all = new ArrayList<>();
      c.arguments().forEach(a -> all.add(expr(a)));
      c.seed().ifPresent(seed -> all.add(expr(seed)));
      c.scratch().ifPresent(scratch -> all.add(CodeBlock.of("$L", name(scratch))));
      c.arrayAdjoints().forEach(a -> all.add(expr(a)));
      // The callee shares this tape: its pushes and borrows are undone before it returns.
      all.add(CodeBlock.of("$L", name(c.tape())));
      List<TypeName> types = new ArrayList<>();
      c.callee().parameterTypes().forEach(t -> types.add(slotType(t)));
      c.seed().ifPresent(seed -> types.add(slotType(seed.type())));
      c.scratch().ifPresent(scratch -> types.add(slotType(scratch.type())));
      c.arrayAdjoints().forEach(a -> types.add(slotType(a.type())));
      types.add(SweepWriter.TAPE);
      return CodeBlock.of("$T.$LAdjoint($L)", diffClass(c.callee()), c.callee().name(),
          ParameterSlots.arguments(all, types));
    }

    @Override
    public CodeBlock visitBorrow(Expr.Borrow b) {
      return CodeBlock.of("$L.borrow($L)", name(b.tape()), expr(b.length()));
    }

    @Override
    public CodeBlock visitTapePop(Expr.TapePop p) {
      String pop = name(p.tape()) + ".pop" + tapeSuffix(p.type()) + "()";
      return narrowedPop(p) ? CodeBlock.of("($L) $L", p.type().javaName(), pop)
          : CodeBlock.of(pop);
    }

    @Override
    public CodeBlock visitElement(Expr.Element el) {
      return CodeBlock.of("$L[$L]", name(el.array()), el.index());
    }

    @Override
    public CodeBlock visitArrayCopy(Expr.ArrayCopy c) {
      return c.type() == Type.DOUBLE_MATRIX
          ? CodeBlock.of("$T.copy($L)", SHAPES, expr(c.array()))
          : CodeBlock.of("$L.clone()", operand(c.array(), PRIMARY, false));
    }

    @Override
    public CodeBlock visitArrayRead(Expr.ArrayRead r) {
      return CodeBlock.of("$L[$L]", operand(r.array(), PRIMARY, false), expr(r.index()));
    }

    @Override
    public CodeBlock visitArrayLength(Expr.ArrayLength l) {
      return CodeBlock.of("$L.length", operand(l.array(), PRIMARY, false));
    }

    @Override
    public CodeBlock visitNewArray(Expr.NewArray n) {
      if (n.dimensions().isEmpty()) {
        return CodeBlock.of("new $L {$L}", n.type().javaName(), arguments(n.elements()));
      }
      CodeBlock.Builder b = CodeBlock.builder().add("new $L", n.type().scalar().javaName());
      n.dimensions().forEach(d -> b.add("[$L]", expr(d)));
      return b.build();
    }
  }

  /** What {@link ParameterSlots} needs of a parameter's type: its slots (double, long, one-slot). */
  private static TypeName slotType(Type t) {
    return t == Type.DOUBLE ? TypeName.DOUBLE : t == Type.LONG ? TypeName.LONG : TypeName.INT;
  }

  private CodeBlock arguments(List<Expr> args) {
    return args.stream().map(this::expr).collect(CodeBlock.joining(", "));
  }

  /** An operand, parenthesised when its precedence is lower than its context requires. */
  private CodeBlock operand(Expr e, int contextPrecedence, boolean rightSide) {
    int p = e.accept(PRECEDENCE);
    boolean parens = rightSide ? p <= contextPrecedence : p < contextPrecedence;
    CodeBlock printed = expr(e);
    return parens ? CodeBlock.of("($L)", printed) : printed;
  }

  /** A narrow integral pop is printed with a cast: the tape stores them as ints. */
  private static boolean narrowedPop(Expr.TapePop p) {
    return p.type() == Type.BYTE || p.type() == Type.SHORT || p.type() == Type.CHAR;
  }

  /** The precedence of each kind of expression as printed (higher binds tighter). */
  private static final Expr.Visitor<Integer> PRECEDENCE = new Expr.Visitor<>() {
    @Override
    public Integer visitLiteral(Expr.Literal l) {
      // A negative literal (or -0.0) prints with its sign, like a unary minus.
      return l.value() instanceof Number n
          && (n.doubleValue() < 0 || (n.doubleValue() == 0 && 1 / n.doubleValue() < 0))
          ? UNARY : PRIMARY;
    }

    @Override
    public Integer visitLocal(Expr.Local e) {
      return PRIMARY;
    }

    @Override
    public Integer visitFieldRead(Expr.FieldRead e) {
      return PRIMARY;
    }

    @Override
    public Integer visitUnary(Expr.Unary e) {
      return UNARY;
    }

    @Override
    public Integer visitBinary(Binary b) {
      return b.op().precedence;
    }

    @Override
    public Integer visitConditional(Expr.Conditional e) {
      return CONDITIONAL;
    }

    @Override
    public Integer visitCast(Expr.Cast e) {
      return CAST;
    }

    @Override
    public Integer visitIntrinsicCall(Expr.IntrinsicCall e) {
      return PRIMARY;
    }

    @Override
    public Integer visitCall(Expr.Call e) {
      return PRIMARY;
    }

    @Override
    public Integer visitArrayRead(Expr.ArrayRead e) {
      return PRIMARY;
    }

    @Override
    public Integer visitArrayLength(Expr.ArrayLength e) {
      return PRIMARY;
    }

    @Override
    public Integer visitNewArray(Expr.NewArray e) {
      return PRIMARY;
    }

    @Override
    public Integer visitAdjointCall(Expr.AdjointCall e) {
      return PRIMARY;
    }

    @Override
    public Integer visitArrayCopy(Expr.ArrayCopy e) {
      return PRIMARY;
    }

    @Override
    public Integer visitBorrow(Expr.Borrow e) {
      return PRIMARY;
    }

    @Override
    public Integer visitTapePop(Expr.TapePop p) {
      return narrowedPop(p) ? CAST : PRIMARY;
    }

    @Override
    public Integer visitElement(Expr.Element e) {
      return PRIMARY;
    }

    @Override
    public Integer visitNullArray(Expr.NullArray e) {
      return PRIMARY;
    }
  };

  static String literal(Expr.Literal l) {
    Object v = l.value();
    switch (l.type()) {
      case DOUBLE: {
        double d = ((Number) v).doubleValue();
        if (Double.isNaN(d)) {
          return "Double.NaN";
        }
        if (Double.isInfinite(d)) {
          return d > 0 ? "Double.POSITIVE_INFINITY" : "Double.NEGATIVE_INFINITY";
        }
        return Double.toString(d);
      }
      case FLOAT: {
        float f = ((Number) v).floatValue();
        if (Float.isNaN(f)) {
          return "Float.NaN";
        }
        if (Float.isInfinite(f)) {
          return f > 0 ? "Float.POSITIVE_INFINITY" : "Float.NEGATIVE_INFINITY";
        }
        return Float.toString(f) + "f";
      }
      case LONG:
        return ((Number) v).longValue() + "L";
      case BOOLEAN:
        return v.toString();
      default:
        return Integer.toString(((Number) v).intValue());
    }
  }

  static String tapeSuffix(Type t) {
    if (t.isArray()) {
      return "Array";
    }
    return switch (t) {
      case DOUBLE -> "Double";
      case FLOAT -> "Float";
      case LONG -> "Long";
      case BOOLEAN -> "Boolean";
      default -> "Int";
    };
  }

  static ClassName owner(Callee c) {
    return c.generated() ? diffClass(c) : ClassName.get(c.packageName(), c.ownerSimpleName());
  }

  static ClassName diffClass(Callee c) {
    return ClassName.get(c.packageName(), DiffClassEmitter.diffClassName(c.ownerSimpleName()));
  }
}
