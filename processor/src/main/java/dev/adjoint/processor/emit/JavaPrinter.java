package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;

/** Prints IR as Java source, one statement a line, with only the parentheses Java needs. */
final class JavaPrinter {
  private static final int PRIMARY = 16;
  private static final int UNARY = 14;
  private static final int CAST = 13;
  private static final int CONDITIONAL = 2;

  private final Names names;

  JavaPrinter(Names names) {
    this.names = names;
  }

  String name(Variable v) {
    return names.of(v);
  }

  // ---------------------------------------------------------------- statements

  void statements(List<Stmt> statements, CodeBlock.Builder out) {
    for (Stmt s : statements) {
      statement(s, out);
    }
  }

  void statement(Stmt s, CodeBlock.Builder out) {
    if (s instanceof Stmt.Declare d) {
      if (d.init().isEmpty()) {
        out.addStatement("$L $L", d.variable().type().javaName(), name(d.variable()));
      } else {
        out.addStatement("$L $L = $L", d.variable().type().javaName(), name(d.variable()),
            expr(d.init().get()));
      }
    } else if (s instanceof Stmt.Assign a) {
      out.addStatement("$L", assignment(a));
    } else if (s instanceof Stmt.ArrayWrite w) {
      out.addStatement("$L", elementAssignment(w));
    } else if (s instanceof Stmt.If f) {
      ifStatement(f, out, false);
    } else if (s instanceof Stmt.Loop l) {
      loop(l, out);
    } else if (s instanceof Stmt.Block b) {
      out.add("{\n").indent();
      statements(b.statements(), out);
      out.unindent().add("}\n");
    } else if (s instanceof Stmt.Evaluate e) {
      out.addStatement("$L", expr(e.expression()));
    } else if (s instanceof Stmt.RestoreArray r) {
      out.addStatement("$L.popArray($L)", name(r.tape()), name(r.array()));
    } else if (s instanceof Stmt.Push p) {
      out.addStatement("$L.push$L($L)", name(p.tape()), tapeSuffix(p.value().type()),
          expr(p.value()));
    } else if (s instanceof Stmt.ElementAssign e) {
      out.addStatement("$L[$L] = $L", name(e.array()), e.index(), expr(e.value()));
    } else if (s instanceof Stmt.Release r) {
      out.addStatement("$L.release($L)", name(r.tape()), r.count());
    } else {
      throw new IllegalStateException("not emitted after lowering: " + s);
    }
  }

  private void ifStatement(Stmt.If f, CodeBlock.Builder out, boolean chained) {
    boolean thenEmpty = f.thenBlock().isEmpty();
    CodeBlock condition = thenEmpty ? expr(dev.adjoint.processor.ir.Exprs.not(f.condition()))
        : expr(f.condition());
    List<Stmt> first = thenEmpty ? f.elseBlock().statements() : f.thenBlock().statements();
    List<Stmt> second = thenEmpty ? List.of() : f.elseBlock().statements();
    if (chained) {
      out.nextControlFlow("else if ($L)", condition);
    } else {
      out.beginControlFlow("if ($L)", condition);
    }
    statements(first, out);
    if (second.size() == 1 && second.get(0) instanceof Stmt.If nested) {
      ifStatement(nested, out, true);
      return;
    }
    if (!second.isEmpty()) {
      out.nextControlFlow("else");
      statements(second, out);
    }
    out.endControlFlow();
  }

  private void loop(Stmt.Loop l, CodeBlock.Builder out) {
    if (!l.testFirst()) {
      out.beginControlFlow("do");
      statements(l.body().statements(), out);
      statements(l.update(), out);
      out.endControlFlow("while ($L)", expr(l.condition()));
      return;
    }
    if (l.init().isEmpty() && l.update().isEmpty()) {
      out.beginControlFlow("while ($L)", expr(l.condition()));
      statements(l.body().statements(), out);
      out.endControlFlow();
      return;
    }
    boolean forInit = l.init().isEmpty()
        || (l.init().size() == 1 && l.init().get(0) instanceof Stmt.Declare)
        || l.init().stream().allMatch(s -> s instanceof Stmt.Assign);
    boolean forUpdate = l.update().stream().allMatch(s -> s instanceof Stmt.Assign);
    if (forInit && forUpdate) {
      out.beginControlFlow("for ($L; $L; $L)", forClause(l.init()), expr(l.condition()),
          forClause(l.update()));
      statements(l.body().statements(), out);
      out.endControlFlow();
      return;
    }
    statements(l.init(), out);
    out.beginControlFlow("while ($L)", expr(l.condition()));
    statements(l.body().statements(), out);
    statements(l.update(), out);
    out.endControlFlow();
  }

  private String forClause(List<Stmt> statements) {
    StringBuilder sb = new StringBuilder();
    for (Stmt s : statements) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      if (s instanceof Stmt.Declare d) {
        sb.append(d.variable().type().javaName()).append(' ').append(name(d.variable()))
            .append(" = ").append(expr(d.init().orElseThrow()));
      } else {
        sb.append(assignment((Stmt.Assign) s));
      }
    }
    return sb.toString();
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
    Expr target = dev.adjoint.processor.ir.Exprs.element(w.array(), w.indices());
    Expr value = w.value();
    Expr core = value instanceof Expr.Cast c && c.type() == target.type() ? c.operand() : value;
    if (core instanceof Binary b && b.left().equals(target) && b.op().isArithmetic()) {
      return CodeBlock.of("$L $L= $L", expr(target), b.op().symbol, expr(b.right()));
    }
    return CodeBlock.of("$L = $L", expr(target), expr(value));
  }

  // ---------------------------------------------------------------- expressions

  CodeBlock expr(Expr e) {
    if (e instanceof Expr.Literal l) {
      return CodeBlock.of("$L", literal(l));
    } else if (e instanceof Expr.NullArray) {
      return CodeBlock.of("null");
    } else if (e instanceof Expr.Local l) {
      return CodeBlock.of("$L", name(l.variable()));
    } else if (e instanceof Expr.FieldRead f) {
      return CodeBlock.of("$T.$L", ClassName.bestGuess(f.ownerQualifiedName()), f.name());
    } else if (e instanceof Expr.Unary u) {
      CodeBlock operand = operand(u.operand(), UNARY, false);
      boolean clash = operand.toString().startsWith(u.op().symbol)
          && (u.op() == Expr.UnaryOp.NEGATE || u.op() == Expr.UnaryOp.PLUS);
      return clash ? CodeBlock.of("$L($L)", u.op().symbol, operand)
          : CodeBlock.of("$L$L", u.op().symbol, operand);
    } else if (e instanceof Binary b) {
      return CodeBlock.of("$L $L $L", operand(b.left(), b.op().precedence, false), b.op().symbol,
          operand(b.right(), b.op().precedence, true));
    } else if (e instanceof Expr.Conditional c) {
      return CodeBlock.of("$L ? $L : $L", operand(c.condition(), CONDITIONAL, true),
          operand(c.whenTrue(), CONDITIONAL, true), operand(c.whenFalse(), CONDITIONAL, false));
    } else if (e instanceof Expr.Cast c) {
      return CodeBlock.of("($L) $L", c.type().javaName(), operand(c.operand(), UNARY, false));
    } else if (e instanceof Expr.IntrinsicCall c) {
      return CodeBlock.of("$L.$L($L)", c.strict() ? "StrictMath" : "Math",
          c.intrinsic().javaName(), arguments(c.arguments()));
    } else if (e instanceof Expr.Call c) {
      return CodeBlock.of("$T.$L($L)", owner(c.callee()), c.callee().name(),
          arguments(c.arguments()));
    } else if (e instanceof Expr.AdjointCall c) {
      java.util.List<CodeBlock> all = new java.util.ArrayList<>();
      c.arguments().forEach(a -> all.add(expr(a)));
      c.seed().ifPresent(seed -> all.add(expr(seed)));
      c.scratch().ifPresent(scratch -> all.add(CodeBlock.of("$L", name(scratch))));
      c.arrayAdjoints().forEach(a -> all.add(expr(a)));
      // The callee shares this tape: its pushes and borrows are undone before it returns.
      all.add(CodeBlock.of("$L", name(c.tape())));
      return CodeBlock.of("$T.$LAdjoint($L)", diffClass(c.callee()), c.callee().name(),
          CodeBlock.join(all, ", "));
    } else if (e instanceof Expr.Borrow b) {
      return CodeBlock.of("$L.borrow($L)", name(b.tape()), expr(b.length()));
    } else if (e instanceof Expr.TapePop p) {
      String pop = name(p.tape()) + ".pop" + tapeSuffix(p.type()) + "()";
      boolean narrow = p.type() == Type.BYTE || p.type() == Type.SHORT || p.type() == Type.CHAR;
      return narrow ? CodeBlock.of("($L) $L", p.type().javaName(), pop) : CodeBlock.of(pop);
    } else if (e instanceof Expr.Element el) {
      return CodeBlock.of("$L[$L]", name(el.array()), el.index());
    } else if (e instanceof Expr.ArrayCopy c) {
      return c.type() == Type.DOUBLE_MATRIX
          ? CodeBlock.of("$T.copy($L)", ClassName.get("dev.adjoint.runtime", "Shapes"),
              expr(c.array()))
          : CodeBlock.of("$L.clone()", operand(c.array(), PRIMARY, false));
    } else if (e instanceof Expr.ArrayRead r) {
      return CodeBlock.of("$L[$L]", operand(r.array(), PRIMARY, false), expr(r.index()));
    } else if (e instanceof Expr.ArrayLength l) {
      return CodeBlock.of("$L.length", operand(l.array(), PRIMARY, false));
    } else if (e instanceof Expr.NewArray n) {
      if (n.dimensions().isEmpty()) {
        return CodeBlock.of("new $L {$L}", n.type().javaName(), arguments(n.elements()));
      }
      CodeBlock.Builder b = CodeBlock.builder().add("new $L", n.type().scalar().javaName());
      n.dimensions().forEach(d -> b.add("[$L]", expr(d)));
      return b.build();
    }
    throw new IllegalStateException("unknown expression " + e);
  }

  private CodeBlock arguments(List<Expr> args) {
    return args.stream().map(this::expr).collect(CodeBlock.joining(", "));
  }

  /** An operand, parenthesised when its precedence is lower than its context requires. */
  private CodeBlock operand(Expr e, int contextPrecedence, boolean rightSide) {
    int p = precedence(e);
    boolean parens = rightSide ? p <= contextPrecedence : p < contextPrecedence;
    CodeBlock printed = expr(e);
    return parens ? CodeBlock.of("($L)", printed) : printed;
  }

  private static int precedence(Expr e) {
    if (e instanceof Binary b) {
      return b.op().precedence;
    }
    if (e instanceof Expr.Conditional) {
      return CONDITIONAL;
    }
    if (e instanceof Expr.Cast) {
      return CAST;
    }
    if (e instanceof Expr.Unary) {
      return UNARY;
    }
    if (e instanceof Expr.Literal l && l.value() instanceof Number n
        && (n.doubleValue() < 0 || (n.doubleValue() == 0 && 1 / n.doubleValue() < 0))) {
      return UNARY;
    }
    if (e instanceof Expr.TapePop p
        && (p.type() == Type.BYTE || p.type() == Type.SHORT || p.type() == Type.CHAR)) {
      return CAST;
    }
    return PRIMARY;
  }

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
    return ClassName.get(c.packageName(), c.ownerSimpleName() + "Diff");
  }
}
