package dev.adjoint.processor.ir;

import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Unary;
import dev.adjoint.processor.ir.Expr.UnaryOp;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builders for the expressions that transforms write (derivative formulas, adjoint updates),
 * with the few simplifications that keep generated code readable (x * 1, x + 0, -(-x)).
 */
public final class Exprs {
  private Exprs() {}

  public static Expr local(Variable v) {
    return new Expr.Local(v);
  }

  public static Literal lit(double v) {
    return Literal.of(v);
  }

  public static Expr add(Expr a, Expr b) {
    if (isZero(a)) {
      return b;
    }
    if (isZero(b)) {
      return a;
    }
    if (b instanceof Unary u && u.op() == UnaryOp.NEGATE) {
      return sub(a, u.operand());
    }
    return binary(BinaryOp.ADD, a, b);
  }

  public static Expr sub(Expr a, Expr b) {
    if (isZero(b)) {
      return a;
    }
    if (isZero(a)) {
      return neg(b);
    }
    return binary(BinaryOp.SUBTRACT, a, b);
  }

  public static Expr mul(Expr a, Expr b) {
    if (a instanceof Unary u && u.op() == UnaryOp.NEGATE) {
      return neg(mul(u.operand(), b));
    }
    if (b instanceof Unary u && u.op() == UnaryOp.NEGATE) {
      return neg(mul(a, u.operand()));
    }
    if (b instanceof Binary q && q.op() == BinaryOp.DIVIDE && isOne(q.left())) {
      return div(a, q.right());
    }
    if (isOne(a)) {
      return b;
    }
    if (isOne(b)) {
      return a;
    }
    if (isMinusOne(b)) {
      return neg(a);
    }
    if (isMinusOne(a)) {
      return neg(b);
    }
    return binary(BinaryOp.MULTIPLY, a, b);
  }

  public static Expr div(Expr a, Expr b) {
    if (isOne(b)) {
      return a;
    }
    return binary(BinaryOp.DIVIDE, a, b);
  }

  public static Expr neg(Expr a) {
    if (a instanceof Unary u && u.op() == UnaryOp.NEGATE) {
      return u.operand();
    }
    if (a instanceof Literal l && l.value() instanceof Double d) {
      return lit(-d);
    }
    return new Unary(UnaryOp.NEGATE, a, a.type().promoteUnary());
  }

  public static Expr binary(BinaryOp op, Expr a, Expr b) {
    Type type = op.isArithmetic() ? Type.promote(a.type(), b.type()) : Type.BOOLEAN;
    return new Binary(op, a, b, type);
  }

  public static Expr call(Intrinsic fn, Expr... args) {
    return new Expr.IntrinsicCall(
        fn, List.of(args), fn.resultType(typesOf(List.of(args))), false, Position.NONE);
  }

  public static Expr cond(Expr condition, Expr whenTrue, Expr whenFalse) {
    return new Expr.Conditional(
        condition, whenTrue, whenFalse, Type.promote(whenTrue.type(), whenFalse.type()));
  }

  public static Expr not(Expr e) {
    if (e instanceof Unary u && u.op() == UnaryOp.NOT) {
      return u.operand();
    }
    // Only == and != invert exactly: with NaN, !(a < b) is not a >= b.
    if (e instanceof Binary b && b.op() == BinaryOp.EQUAL) {
      return new Binary(BinaryOp.NOT_EQUAL, b.left(), b.right(), Type.BOOLEAN);
    }
    if (e instanceof Binary b && b.op() == BinaryOp.NOT_EQUAL) {
      return new Binary(BinaryOp.EQUAL, b.left(), b.right(), Type.BOOLEAN);
    }
    return new Unary(UnaryOp.NOT, e, Type.BOOLEAN);
  }

  public static Expr and(Expr a, Expr b) {
    return a == null ? b : b == null ? a : binary(BinaryOp.CONDITIONAL_AND, a, b);
  }

  public static List<Type> typesOf(List<Expr> exprs) {
    return exprs.stream().map(Expr::type).toList();
  }

  public static boolean isZero(Expr e) {
    return e instanceof Literal l && l.isZero();
  }

  public static boolean isOne(Expr e) {
    return e instanceof Literal l && l.isOne();
  }

  private static boolean isMinusOne(Expr e) {
    return e instanceof Literal l && l.value() instanceof Number n && n.doubleValue() == -1.0;
  }

  /** Whether evaluating {@code e} twice costs nothing: a variable, a literal, a field. */
  public static boolean isAtom(Expr e) {
    return e instanceof Expr.Local || e instanceof Literal || e instanceof Expr.FieldRead;
  }

  /** The variables {@code e} reads, in first-use order. */
  public static Set<Variable> variables(Expr e) {
    Set<Variable> out = new LinkedHashSet<>();
    collect(e, out);
    return out;
  }

  private static void collect(Expr e, Set<Variable> out) {
    if (e instanceof Expr.Local l) {
      out.add(l.variable());
    } else if (e instanceof Expr.AdjointCall c && c.scratch().isPresent()) {
      out.add(c.scratch().get());
    } else if (e instanceof Expr.TapePop p) {
      out.add(p.tape());
    } else if (e instanceof Expr.Borrow b) {
      out.add(b.tape());
    } else if (e instanceof Expr.Element el) {
      out.add(el.array());
    }
    for (Expr child : children(e)) {
      collect(child, out);
    }
  }

  /** {@code array[i0][i1]...}. */
  public static Expr element(Variable array, List<Expr> indices) {
    Expr e = local(array);
    for (Expr index : indices) {
      e = new Expr.ArrayRead(e, index, e.type().element());
    }
    return e;
  }

  /** The direct subexpressions of {@code e}, left to right. */
  public static List<Expr> children(Expr e) {
    if (e instanceof Expr.ArrayCopy c) {
      return List.of(c.array());
    }
    if (e instanceof Expr.Borrow b) {
      return List.of(b.length());
    }
    if (e instanceof Expr.ArrayRead r) {
      return List.of(r.array(), r.index());
    } else if (e instanceof Expr.ArrayLength l) {
      return List.of(l.array());
    } else if (e instanceof Expr.NewArray n) {
      List<Expr> all = new java.util.ArrayList<>(n.dimensions());
      all.addAll(n.elements());
      return all;
    }
    if (e instanceof Unary u) {
      return List.of(u.operand());
    } else if (e instanceof Binary b) {
      return List.of(b.left(), b.right());
    } else if (e instanceof Expr.Conditional c) {
      return List.of(c.condition(), c.whenTrue(), c.whenFalse());
    } else if (e instanceof Expr.Cast c) {
      return List.of(c.operand());
    } else if (e instanceof Expr.IntrinsicCall c) {
      return c.arguments();
    } else if (e instanceof Expr.Call c) {
      return c.arguments();
    } else if (e instanceof Expr.AdjointCall c) {
      List<Expr> all = new java.util.ArrayList<>(c.arguments());
      c.seed().ifPresent(all::add);
      all.addAll(c.arrayAdjoints());
      return all;
    }
    return List.of();
  }

  /** {@code e} with each direct child replaced by {@code f(child)}. */
  public static Expr mapChildren(Expr e, java.util.function.UnaryOperator<Expr> f) {
    if (e instanceof Expr.ArrayCopy c) {
      return new Expr.ArrayCopy(f.apply(c.array()));
    }
    if (e instanceof Expr.Borrow b) {
      return new Expr.Borrow(b.tape(), f.apply(b.length()));
    }
    if (e instanceof Expr.ArrayRead r) {
      return new Expr.ArrayRead(f.apply(r.array()), f.apply(r.index()), r.type());
    } else if (e instanceof Expr.ArrayLength l) {
      return new Expr.ArrayLength(f.apply(l.array()));
    } else if (e instanceof Expr.NewArray n) {
      return new Expr.NewArray(n.type(), n.dimensions().stream().map(f).toList(),
          n.elements().stream().map(f).toList());
    }
    if (e instanceof Unary u) {
      return new Unary(u.op(), f.apply(u.operand()), u.type());
    } else if (e instanceof Binary b) {
      return new Binary(b.op(), f.apply(b.left()), f.apply(b.right()), b.type());
    } else if (e instanceof Expr.Conditional c) {
      return new Expr.Conditional(
          f.apply(c.condition()), f.apply(c.whenTrue()), f.apply(c.whenFalse()), c.type());
    } else if (e instanceof Expr.Cast c) {
      return new Expr.Cast(c.type(), f.apply(c.operand()), c.position());
    } else if (e instanceof Expr.IntrinsicCall c) {
      return new Expr.IntrinsicCall(
          c.intrinsic(), c.arguments().stream().map(f).toList(), c.type(), c.strict(),
          c.position());
    } else if (e instanceof Expr.Call c) {
      return new Expr.Call(c.callee(), c.arguments().stream().map(f).toList(), c.position());
    } else if (e instanceof Expr.AdjointCall c) {
      return new Expr.AdjointCall(c.callee(), c.arguments().stream().map(f).toList(),
          c.seed().map(f), c.scratch(),
          c.arrayAdjoints().stream().map(f).toList(), c.tape());
    }
    return e;
  }

  /** {@code e} with every read of {@code v} replaced by {@code replacement}. */
  public static Expr substitute(Expr e, Variable v, Expr replacement) {
    if (e instanceof Expr.Local l && l.variable() == v) {
      return replacement;
    }
    return mapChildren(e, child -> substitute(child, v, replacement));
  }

  /**
   * {@code e} with each subexpression that is a key of {@code byIdentity} (the very object)
   * replaced by its value; subtrees without one are returned as they are, same objects.
   */
  public static Expr replaceAll(Expr e, java.util.Map<Expr, Expr> byIdentity) {
    Expr r = byIdentity.get(e);
    if (r != null) {
      return r;
    }
    boolean changed = false;
    for (Expr child : children(e)) {
      changed |= replaceAll(child, byIdentity) != child;
    }
    return changed ? mapChildren(e, child -> replaceAll(child, byIdentity)) : e;
  }
}
