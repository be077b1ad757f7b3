package dev.adjoint.processor.kernel;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints IR as C, the common language of CUDA device code and host C, for one precision.
 *
 * <p>In the float32 kernels every {@code double} of the method is computed as {@code float}
 * (literals with an {@code f}, {@code tanhf} for {@code Math.tanh}), as PyTorch and JAX compute
 * float32 tensors; in the float64 kernels {@code double} stays {@code double}. A {@code float}
 * of the method is {@code float} in both. Java semantics that C lacks (signum, Java's min and
 * max on NaN and signed zeros, round) call helpers of the kernel file's prelude.
 */
final class CudaPrinter {
  private static final int PRIMARY = 16;
  private static final int UNARY = 14;
  private static final int CAST = 13;
  private static final int CONDITIONAL = 2;

  private final CudaNames names;
  private final Map<Expr.FieldRead, Expr.Literal> constants;
  private final boolean f32;
  private final String tape;
  private final String tapeTop;

  /**
   * @param constants the value of every field the method reads
   * @param f32 whether {@code double} is printed as {@code float}
   * @param tape the name of the local stack standing for the tape, or null when none is used
   */
  CudaPrinter(CudaNames names, Map<Expr.FieldRead, Expr.Literal> constants, boolean f32,
      String tape, String tapeTop) {
    this.names = names;
    this.constants = constants;
    this.f32 = f32;
    this.tape = tape;
    this.tapeTop = tapeTop;
  }

  /** The C type of a Java type in this precision. */
  String type(Type t) {
    return switch (t) {
      case DOUBLE -> f32 ? "float" : "double";
      case FLOAT -> "float";
      case BOOLEAN -> "bool";
      case BYTE -> "signed char";
      case SHORT -> "short";
      case CHAR -> "unsigned short";
      case INT -> "int";
      case LONG -> "long long";
      default -> throw new IllegalStateException("no C type for " + t);
    };
  }

  /** The floating type of this precision: {@code float} or {@code double}. */
  String real() {
    return type(Type.DOUBLE);
  }

  String name(Variable v) {
    return names.of(v);
  }

  // ---------------------------------------------------------------- statements

  void statements(List<Stmt> statements, StringBuilder out, String indent) {
    StatementPrinter printer = new StatementPrinter(out, indent);
    for (Stmt s : statements) {
      s.accept(printer);
    }
  }

  void statement(Stmt s, StringBuilder out, String indent) {
    s.accept(new StatementPrinter(out, indent));
  }

  /**
   * Prints the statements an elementwise kernel's sweeps consist of. {@link KernelValidator}
   * admits no loops and no arrays, and lowering removed jumps: those kinds cannot arrive.
   */
  private final class StatementPrinter implements Stmt.Visitor<Void> {
    private final StringBuilder out;
    private final String indent;

    StatementPrinter(StringBuilder out, String indent) {
      this.out = out;
      this.indent = indent;
    }

    @Override
    public Void visitDeclare(Stmt.Declare d) {
      out.append(indent).append(type(d.variable().type())).append(' ')
          .append(name(d.variable()));
      d.init().ifPresent(init -> out.append(" = ").append(expr(init)));
      out.append(";\n");
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign a) {
      out.append(indent).append(name(a.variable())).append(" = ").append(expr(a.value()))
          .append(";\n");
      return null;
    }

    @Override
    public Void visitIf(Stmt.If f) {
      out.append(indent).append("if (").append(expr(f.condition())).append(") {\n");
      statements(f.thenBlock().statements(), out, indent + "    ");
      if (!f.elseBlock().isEmpty()) {
        out.append(indent).append("} else {\n");
        statements(f.elseBlock().statements(), out, indent + "    ");
      }
      out.append(indent).append("}\n");
      return null;
    }

    @Override
    public Void visitBlock(Stmt.Block b) {
      out.append(indent).append("{\n");
      statements(b.statements(), out, indent + "    ");
      out.append(indent).append("}\n");
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate e) {
      out.append(indent).append(expr(e.expression())).append(";\n");
      return null;
    }

    @Override
    public Void visitThrow(Stmt.Throw t) {
      throw new IllegalStateException("a kernel cannot throw (KernelValidator rejects it): " + t);
    }

    @Override
    public Void visitPush(Stmt.Push p) {
      out.append(indent).append(tape).append('[').append(tapeTop).append("++] = (double) ")
          .append(operand(p.value(), CAST, false)).append(";\n");
      return null;
    }

    @Override
    public Void visitElementAssign(Stmt.ElementAssign e) {
      out.append(indent).append(name(e.array())).append('[').append(e.index()).append("] = ")
          .append(expr(e.value())).append(";\n");
      return null;
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite s) {
      throw notInKernel(s);
    }

    @Override
    public Void visitLoop(Stmt.Loop s) {
      throw notInKernel(s);
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
      throw notInKernel(s);
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
      throw notInKernel(s);
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
      throw notInKernel(s);
    }

    @Override
    public Void visitRestoreArray(Stmt.RestoreArray s) {
      throw notInKernel(s);
    }

    @Override
    public Void visitRelease(Stmt.Release s) {
      throw notInKernel(s);
    }
  }

  private static IllegalStateException notInKernel(Object node) {
    return new IllegalStateException(node.getClass().getSimpleName() + " cannot appear in an "
        + "elementwise kernel (no loops, arrays or jumps): " + node);
  }

  // ---------------------------------------------------------------- expressions

  /** C text and the precedence of its outermost operator, which decides parentheses. */
  private record Printed(String text, int precedence) {
    static Printed primary(String text) {
      return new Printed(text, PRIMARY);
    }
  }

  String expr(Expr e) {
    return e.accept(expressions).text();
  }

  private final ExpressionPrinter expressions = new ExpressionPrinter();

  /** Prints an expression of the sweeps; array expressions cannot reach a kernel. */
  private final class ExpressionPrinter implements Expr.Visitor<Printed> {
    @Override
    public Printed visitLiteral(Expr.Literal l) {
      return new Printed(literal(l), isNegative(l) ? UNARY : PRIMARY);
    }

    @Override
    public Printed visitNullArray(Expr.NullArray e) {
      // An array adjoint a callee kernel does not want; kernels have no array parameters.
      return Printed.primary("0");
    }

    @Override
    public Printed visitLocal(Expr.Local l) {
      return Printed.primary(name(l.variable()));
    }

    @Override
    public Printed visitFieldRead(Expr.FieldRead f) {
      return Printed.primary(literal(constants.get(f)));
    }

    @Override
    public Printed visitUnary(Expr.Unary u) {
      String operand = operand(u.operand(), UNARY, false);
      boolean clash = operand.startsWith(u.op().symbol)
          && (u.op() == Expr.UnaryOp.NEGATE || u.op() == Expr.UnaryOp.PLUS);
      return new Printed(clash ? u.op().symbol + "(" + operand + ")" : u.op().symbol + operand,
          UNARY);
    }

    @Override
    public Printed visitBinary(Binary b) {
      Type operands = Type.promote(b.left().type(), b.right().type());
      if (b.op() == BinaryOp.REMAINDER && operands.isFloating()) {
        return Printed.primary("fmod" + suffix(operands) + "(" + expr(b.left()) + ", "
            + expr(b.right()) + ")");
      }
      if (b.op() == BinaryOp.UNSIGNED_SHIFT_RIGHT) {
        String unsigned = b.type() == Type.LONG ? "unsigned long long" : "unsigned int";
        return new Printed("(" + type(b.type()) + ") ((" + unsigned + ") "
            + operand(b.left(), CAST, false) + " >> "
            + operand(b.right(), BinaryOp.SHIFT_LEFT.precedence, true) + ")",
            BinaryOp.EQUAL.precedence);
      }
      if ((b.op() == BinaryOp.AND || b.op() == BinaryOp.OR || b.op() == BinaryOp.XOR)
          && b.type() == Type.BOOLEAN) {
        // C's & | ^ on bools give ints; the comparison keeps the type bool.
        return new Printed("(" + binaryText(b) + ") != 0", BinaryOp.EQUAL.precedence);
      }
      return new Printed(binaryText(b), b.op().precedence);
    }

    @Override
    public Printed visitConditional(Expr.Conditional c) {
      return new Printed(operand(c.condition(), CONDITIONAL, true) + " ? "
          + operand(c.whenTrue(), CONDITIONAL, true) + " : "
          + operand(c.whenFalse(), CONDITIONAL, false), CONDITIONAL);
    }

    @Override
    public Printed visitCast(Expr.Cast c) {
      Type from = c.operand().type();
      if (c.type().isIntegral() && from.isFloating()) {
        // Java saturates and maps NaN to 0 where C leaves the conversion undefined.
        String converted = "adj_to_" + (c.type() == Type.LONG ? "long" : "int") + suffix(from)
            + "(" + expr(c.operand()) + ")";
        return c.type() == Type.LONG || c.type() == Type.INT ? Printed.primary(converted)
            : new Printed("(" + type(c.type()) + ") " + converted, CAST);
      }
      return new Printed("(" + type(c.type()) + ") " + operand(c.operand(), UNARY, false),
          CAST);
    }

    @Override
    public Printed visitIntrinsicCall(Expr.IntrinsicCall c) {
      return Printed.primary(intrinsic(c));
    }

    @Override
    public Printed visitCall(Expr.Call c) {
      return Printed.primary(ElementFunctions.valueName(c.callee().name(), f32) + "("
          + arguments(c.arguments()) + ")");
    }

    @Override
    public Printed visitAdjointCall(Expr.AdjointCall c) {
      String args = arguments(c.arguments());
      Expr seed = c.seed().orElseThrow(() -> new IllegalStateException(
          "a kernel calls scalar kernels, whose adjoints have a seed: " + c));
      return Printed.primary(ElementFunctions.adjointName(c.callee().name(), f32) + "("
          + args + (args.isEmpty() ? "" : ", ") + expr(seed) + ", "
          + c.scratch().map(CudaPrinter.this::name).orElse("0") + ")");
    }

    @Override
    public Printed visitTapePop(Expr.TapePop p) {
      String pop = tape + "[--" + tapeTop + "]";
      return Printed.primary(p.type() == Type.BOOLEAN ? "(" + pop + " != 0.0)"
          : "(" + type(p.type()) + ") " + pop);
    }

    @Override
    public Printed visitElement(Expr.Element el) {
      return Printed.primary(name(el.array()) + "[" + el.index() + "]");
    }

    @Override
    public Printed visitArrayRead(Expr.ArrayRead e) {
      throw notInKernel(e);
    }

    @Override
    public Printed visitArrayLength(Expr.ArrayLength e) {
      throw notInKernel(e);
    }

    @Override
    public Printed visitNewArray(Expr.NewArray e) {
      throw notInKernel(e);
    }

    @Override
    public Printed visitArrayCopy(Expr.ArrayCopy e) {
      throw notInKernel(e);
    }

    @Override
    public Printed visitBorrow(Expr.Borrow e) {
      throw notInKernel(e);
    }
  }

  private String binaryText(Binary b) {
    return operand(b.left(), b.op().precedence, false) + " " + b.op().symbol + " "
        + operand(b.right(), b.op().precedence, true);
  }

  private String intrinsic(Expr.IntrinsicCall c) {
    Intrinsic fn = c.intrinsic();
    String f = suffix(c.type());
    String args = arguments(c.arguments());
    Type argType = c.arguments().isEmpty() ? c.type() : c.arguments().get(0).type();
    return switch (fn) {
      case ABS -> c.type().isFloating() ? "fabs" + f + "(" + args + ")"
          : c.type() == Type.LONG ? "llabs(" + args + ")" : "abs(" + args + ")";
      case MIN, MAX -> c.type().isFloating()
          ? "adj_" + fn.javaName() + f + "(" + args + ")"
          : "adj_" + fn.javaName() + "_" + (c.type() == Type.LONG ? "ll" : "int") + "(" + args
              + ")";
      case SIGNUM -> "adj_signum" + f + "(" + args + ")";
      case ROUND -> "adj_round" + suffix(argType) + "(" + args + ")";
      case TO_RADIANS -> "(" + operand(c.arguments().get(0), BinaryOp.MULTIPLY.precedence, false)
          + " * " + literal(new Expr.Literal(Type.DOUBLE, Math.toRadians(1.0))) + ")";
      case TO_DEGREES -> "(" + operand(c.arguments().get(0), BinaryOp.MULTIPLY.precedence, false)
          + " * " + literal(new Expr.Literal(Type.DOUBLE, Math.toDegrees(1.0))) + ")";
      case COPY_SIGN -> "copysign" + f + "(" + args + ")";
      default -> fn.javaName() + f + "(" + args + ")";
    };
  }

  /** The C function suffix for a floating type in this precision: {@code f} for float. */
  private String suffix(Type t) {
    return type(t).equals("float") ? "f" : "";
  }

  private String arguments(List<Expr> args) {
    return args.stream().map(this::expr).collect(Collectors.joining(", "));
  }

  /** {@code e} in a context of the given precedence, parenthesised where C needs it. */
  private String operand(Expr e, int contextPrecedence, boolean rightSide) {
    Printed printed = e.accept(expressions);
    int p = printed.precedence();
    boolean parens = rightSide ? p <= contextPrecedence : p < contextPrecedence;
    return parens ? "(" + printed.text() + ")" : printed.text();
  }

  /** A negative literal (-0.0 included) prints with a leading minus: a unary operator. */
  private static boolean isNegative(Expr.Literal l) {
    return l.value() instanceof Number n
        && (n.doubleValue() < 0 || (n.doubleValue() == 0 && 1 / n.doubleValue() < 0));
  }

  /** A literal of the method, in this precision. */
  String literal(Expr.Literal l) {
    Object v = l.value();
    switch (l.type()) {
      case DOUBLE:
      case FLOAT: {
        double d = ((Number) v).doubleValue();
        boolean asFloat = type(l.type()).equals("float");
        if (Double.isNaN(d)) {
          return asFloat ? "NAN" : "((double) NAN)";
        }
        if (Double.isInfinite(d)) {
          return (d > 0 ? "" : "-") + (asFloat ? "INFINITY" : "((double) INFINITY)");
        }
        if (asFloat) {
          float f = l.type() == Type.FLOAT ? ((Number) v).floatValue() : (float) d;
          return Float.toString(f) + "f";
        }
        return Double.toString(d);
      }
      case LONG:
        long x = ((Number) v).longValue();
        return x == Long.MIN_VALUE ? "(-9223372036854775807LL - 1)" : x + "LL";
      case BOOLEAN:
        return v.toString();
      default:
        int i = ((Number) v).intValue();
        return i == Integer.MIN_VALUE ? "(-2147483647 - 1)" : Integer.toString(i);
    }
  }
}
