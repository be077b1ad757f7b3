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
    for (Stmt s : statements) {
      statement(s, out, indent);
    }
  }

  void statement(Stmt s, StringBuilder out, String indent) {
    if (s instanceof Stmt.Declare d) {
      out.append(indent).append(type(d.variable().type())).append(' ')
          .append(name(d.variable()));
      d.init().ifPresent(init -> out.append(" = ").append(expr(init)));
      out.append(";\n");
    } else if (s instanceof Stmt.Assign a) {
      out.append(indent).append(name(a.variable())).append(" = ").append(expr(a.value()))
          .append(";\n");
    } else if (s instanceof Stmt.If f) {
      out.append(indent).append("if (").append(expr(f.condition())).append(") {\n");
      statements(f.thenBlock().statements(), out, indent + "    ");
      if (!f.elseBlock().isEmpty()) {
        out.append(indent).append("} else {\n");
        statements(f.elseBlock().statements(), out, indent + "    ");
      }
      out.append(indent).append("}\n");
    } else if (s instanceof Stmt.Block b) {
      out.append(indent).append("{\n");
      statements(b.statements(), out, indent + "    ");
      out.append(indent).append("}\n");
    } else if (s instanceof Stmt.Evaluate e) {
      out.append(indent).append(expr(e.expression())).append(";\n");
    } else if (s instanceof Stmt.Push p) {
      out.append(indent).append(tape).append('[').append(tapeTop).append("++] = (double) ")
          .append(operand(p.value(), CAST, false)).append(";\n");
    } else if (s instanceof Stmt.ElementAssign e) {
      out.append(indent).append(name(e.array())).append('[').append(e.index()).append("] = ")
          .append(expr(e.value())).append(";\n");
    } else {
      // The validator admits no loops and no arrays, so nothing else reaches a kernel.
      throw new IllegalStateException("not in an elementwise kernel: " + s);
    }
  }

  // ---------------------------------------------------------------- expressions

  String expr(Expr e) {
    if (e instanceof Expr.Literal l) {
      return literal(l);
    } else if (e instanceof Expr.NullArray) {
      return "0";
    } else if (e instanceof Expr.Local l) {
      return name(l.variable());
    } else if (e instanceof Expr.FieldRead f) {
      return literal(constants.get(f));
    } else if (e instanceof Expr.Unary u) {
      String operand = operand(u.operand(), UNARY, false);
      boolean clash = operand.startsWith(u.op().symbol)
          && (u.op() == Expr.UnaryOp.NEGATE || u.op() == Expr.UnaryOp.PLUS);
      return clash ? u.op().symbol + "(" + operand + ")" : u.op().symbol + operand;
    } else if (e instanceof Binary b) {
      return binary(b);
    } else if (e instanceof Expr.Conditional c) {
      return operand(c.condition(), CONDITIONAL, true) + " ? "
          + operand(c.whenTrue(), CONDITIONAL, true) + " : "
          + operand(c.whenFalse(), CONDITIONAL, false);
    } else if (e instanceof Expr.Cast c) {
      return cast(c);
    } else if (e instanceof Expr.IntrinsicCall c) {
      return intrinsic(c);
    } else if (e instanceof Expr.Call c) {
      return ElementFunctions.valueName(c.callee().name(), f32) + "(" + arguments(c.arguments())
          + ")";
    } else if (e instanceof Expr.AdjointCall c) {
      String args = arguments(c.arguments());
      return ElementFunctions.adjointName(c.callee().name(), f32) + "(" + args
          + (args.isEmpty() ? "" : ", ") + expr(c.seed().orElseThrow()) + ", "
          + c.scratch().map(this::name).orElse("0") + ")";
    } else if (e instanceof Expr.TapePop p) {
      String pop = tape + "[--" + tapeTop + "]";
      return p.type() == Type.BOOLEAN ? "(" + pop + " != 0.0)"
          : "(" + type(p.type()) + ") " + pop;
    } else if (e instanceof Expr.Element el) {
      return name(el.array()) + "[" + el.index() + "]";
    }
    throw new IllegalStateException("not in an elementwise kernel: " + e);
  }

  private String binary(Binary b) {
    Type operands = Type.promote(b.left().type(), b.right().type());
    if (b.op() == BinaryOp.REMAINDER && operands.isFloating()) {
      return "fmod" + suffix(operands) + "(" + expr(b.left()) + ", " + expr(b.right()) + ")";
    }
    if (b.op() == BinaryOp.UNSIGNED_SHIFT_RIGHT) {
      String unsigned = b.type() == Type.LONG ? "unsigned long long" : "unsigned int";
      return "(" + type(b.type()) + ") ((" + unsigned + ") " + operand(b.left(), CAST, false)
          + " >> " + operand(b.right(), BinaryOp.SHIFT_LEFT.precedence, true) + ")";
    }
    if ((b.op() == BinaryOp.AND || b.op() == BinaryOp.OR || b.op() == BinaryOp.XOR)
        && b.type() == Type.BOOLEAN) {
      // C's & | ^ on bools give ints; the comparison keeps the type bool.
      return "(" + binaryText(b) + ") != 0";
    }
    return binaryText(b);
  }

  private String binaryText(Binary b) {
    return operand(b.left(), b.op().precedence, false) + " " + b.op().symbol + " "
        + operand(b.right(), b.op().precedence, true);
  }

  private String cast(Expr.Cast c) {
    Type from = c.operand().type();
    if (c.type().isIntegral() && from.isFloating()) {
      // Java saturates and maps NaN to 0 where C leaves the conversion undefined.
      String converted = "adj_to_" + (c.type() == Type.LONG ? "long" : "int") + suffix(from)
          + "(" + expr(c.operand()) + ")";
      return c.type() == Type.LONG || c.type() == Type.INT ? converted
          : "(" + type(c.type()) + ") " + converted;
    }
    return "(" + type(c.type()) + ") " + operand(c.operand(), UNARY, false);
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

  private String operand(Expr e, int contextPrecedence, boolean rightSide) {
    int p = precedence(e);
    boolean parens = rightSide ? p <= contextPrecedence : p < contextPrecedence;
    String printed = expr(e);
    return parens ? "(" + printed + ")" : printed;
  }

  private int precedence(Expr e) {
    if (e instanceof Binary b) {
      Type operands = Type.promote(b.left().type(), b.right().type());
      boolean call = b.op() == BinaryOp.REMAINDER && operands.isFloating();
      boolean wrapped = b.op() == BinaryOp.UNSIGNED_SHIFT_RIGHT
          || ((b.op() == BinaryOp.AND || b.op() == BinaryOp.OR || b.op() == BinaryOp.XOR)
              && b.type() == Type.BOOLEAN);
      return call ? PRIMARY : wrapped ? BinaryOp.EQUAL.precedence : b.op().precedence;
    }
    if (e instanceof Expr.Conditional) {
      return CONDITIONAL;
    }
    if (e instanceof Expr.Cast c) {
      boolean helper = c.type().isIntegral() && c.operand().type().isFloating()
          && (c.type() == Type.INT || c.type() == Type.LONG);
      return helper ? PRIMARY : CAST;
    }
    if (e instanceof Expr.Unary) {
      return UNARY;
    }
    if (e instanceof Expr.TapePop) {
      return PRIMARY;
    }
    if (e instanceof Expr.Literal l && l.value() instanceof Number n
        && (n.doubleValue() < 0 || (n.doubleValue() == 0 && 1 / n.doubleValue() < 0))) {
      return UNARY;
    }
    return PRIMARY;
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
