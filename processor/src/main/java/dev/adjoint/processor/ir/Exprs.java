package dev.adjoint.processor.ir;

import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Expr.Literal;
import dev.adjoint.processor.ir.Expr.Unary;
import dev.adjoint.processor.ir.Expr.UnaryOp;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Builders for the expressions that transforms write (derivative formulas, adjoint updates),
 * with the few simplifications that keep generated code readable (x * 1, x + 0, -(-x)); and
 * the generic walks over any expression, sweep expressions included: {@link #children}, {@link
 * #mapChildren}, {@link #variables}, {@link #substitute}, {@link #replaceAll}.
 *
 * <p>Which subexpressions each kind has is spelled out once, in the visitor behind {@link
 * #children}, and rebuilt in the same order by the one behind {@link #mapChildren}: a pass that
 * only needs to recurse uses these two instead of repeating the kinds.
 */
public final class Exprs {
  private Exprs() {}

  /** A read of {@code v}. */
  public static Expr local(Variable v) {
    return new Expr.Local(v);
  }

  /** A {@code double} literal. */
  public static Literal lit(double v) {
    return Literal.of(v);
  }

  /**
   * {@code a + b}; one alone when the other is zero, {@code a - c} when {@code b} is {@code -c}.
   */
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

  /** {@code a - b}; {@code a} when {@code b} is zero, {@code -b} when {@code a} is. */
  public static Expr sub(Expr a, Expr b) {
    if (isZero(b)) {
      return a;
    }
    if (isZero(a)) {
      return neg(b);
    }
    return binary(BinaryOp.SUBTRACT, a, b);
  }

  /**
   * {@code a * b}, with signs moved outwards, {@code a * (1 / c)} as {@code a / c}, and factors
   * 1 and -1 dropped.
   */
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

  /** {@code a / b}; {@code a} when {@code b} is one. */
  public static Expr div(Expr a, Expr b) {
    if (isOne(b)) {
      return a;
    }
    return binary(BinaryOp.DIVIDE, a, b);
  }

  /** {@code -a}; {@code -(-c)} is {@code c}, and a double literal is negated in place. */
  public static Expr neg(Expr a) {
    if (a instanceof Unary u && u.op() == UnaryOp.NEGATE) {
      return u.operand();
    }
    if (a instanceof Literal l && l.value() instanceof Double d) {
      return lit(-d);
    }
    return new Unary(UnaryOp.NEGATE, a, a.type().promoteUnary());
  }

  /**
   * {@code a op b} as written: numerically promoted for {@code + - * / %}, boolean for any other
   * operator (transforms build comparisons and logic, never shifts or bitwise operators).
   */
  public static Expr binary(BinaryOp op, Expr a, Expr b) {
    Type type = op.isArithmetic() ? Type.promote(a.type(), b.type()) : Type.BOOLEAN;
    return new Binary(op, a, b, type);
  }

  /** A call of the {@code Math} function {@code fn}, typed by its overload for the arguments. */
  public static Expr call(Intrinsic fn, Expr... args) {
    return new Expr.IntrinsicCall(
        fn, List.of(args), fn.resultType(typesOf(List.of(args))), false, Position.NONE);
  }

  /** {@code condition ? whenTrue : whenFalse}, typed by numeric promotion of the branches. */
  public static Expr cond(Expr condition, Expr whenTrue, Expr whenFalse) {
    return new Expr.Conditional(
        condition, whenTrue, whenFalse, Type.promote(whenTrue.type(), whenFalse.type()));
  }

  /** {@code !e}; {@code !!c} is {@code c}, and {@code ==} and {@code !=} swap. */
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

  /** {@code a && b}, where null stands for no condition: the other one alone. */
  public static Expr and(Expr a, Expr b) {
    return a == null ? b : b == null ? a : binary(BinaryOp.CONDITIONAL_AND, a, b);
  }

  /** The types of {@code exprs}, in order. */
  public static List<Type> typesOf(List<Expr> exprs) {
    return exprs.stream().map(Expr::type).toList();
  }

  /** Whether {@code e} is a literal zero. */
  public static boolean isZero(Expr e) {
    return e instanceof Literal l && l.isZero();
  }

  /** Whether {@code e} is a literal one. */
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

  /** {@code array[i0][i1]...}. */
  public static Expr element(Variable array, List<Expr> indices) {
    Expr e = local(array);
    for (Expr index : indices) {
      e = new Expr.ArrayRead(e, index, e.type().element());
    }
    return e;
  }

  /**
   * The variables {@code e} reads, in first-use order: locals, and the tape, scratch and
   * scratch arrays that sweep expressions use.
   */
  public static Set<Variable> variables(Expr e) {
    Set<Variable> out = new LinkedHashSet<>();
    collectVariables(e, out);
    return out;
  }

  private static void collectVariables(Expr e, Set<Variable> out) {
    out.addAll(e.accept(OwnVariables.INSTANCE));
    for (Expr child : children(e)) {
      collectVariables(child, out);
    }
  }

  /** The direct subexpressions of {@code e}, left to right, as Java evaluates them. */
  public static List<Expr> children(Expr e) {
    return e.accept(Children.INSTANCE);
  }

  /**
   * {@code e} with each direct child replaced by {@code f(child)}, all else kept; a node
   * without children is returned as it is.
   */
  public static Expr mapChildren(Expr e, UnaryOperator<Expr> f) {
    return e.accept(new MapChildren(f));
  }

  /** {@code e} with every read of {@code v} replaced by {@code replacement}. */
  public static Expr substitute(Expr e, Variable v, Expr replacement) {
    // A shape test, not a dispatch: only a read of v itself is replaced.
    if (e instanceof Expr.Local l && l.variable() == v) {
      return replacement;
    }
    return mapChildren(e, child -> substitute(child, v, replacement));
  }

  /**
   * {@code e} with each subexpression that is a key of {@code byIdentity} (the very object)
   * replaced by its value; subtrees without one are returned as they are, same objects.
   */
  public static Expr replaceAll(Expr e, Map<Expr, Expr> byIdentity) {
    Expr r = byIdentity.get(e);
    if (r != null) {
      return r;
    }
    // Each child is walked once (walking it again to rebuild would make a deep chain cost
    // 2^depth); the replacement of a child object is a function of that object alone.
    Map<Expr, Expr> replaced = new IdentityHashMap<>();
    boolean changed = false;
    for (Expr child : children(e)) {
      Expr c = replaced.computeIfAbsent(child, k -> replaceAll(k, byIdentity));
      changed |= c != child;
    }
    return changed ? mapChildren(e, replaced::get) : e;
  }

  /**
   * The one place that says which subexpressions each kind of expression has; {@link
   * MapChildren} rebuilds them in the same order.
   */
  private static final class Children implements Expr.Visitor<List<Expr>> {
    static final Children INSTANCE = new Children();

    @Override
    public List<Expr> visitLiteral(Expr.Literal e) {
      return List.of();
    }

    @Override
    public List<Expr> visitLocal(Expr.Local e) {
      return List.of();
    }

    @Override
    public List<Expr> visitFieldRead(Expr.FieldRead e) {
      return List.of();
    }

    @Override
    public List<Expr> visitUnary(Unary e) {
      return List.of(e.operand());
    }

    @Override
    public List<Expr> visitBinary(Binary e) {
      return List.of(e.left(), e.right());
    }

    @Override
    public List<Expr> visitConditional(Expr.Conditional e) {
      return List.of(e.condition(), e.whenTrue(), e.whenFalse());
    }

    @Override
    public List<Expr> visitCast(Expr.Cast e) {
      return List.of(e.operand());
    }

    @Override
    public List<Expr> visitIntrinsicCall(Expr.IntrinsicCall e) {
      return e.arguments();
    }

    @Override
    public List<Expr> visitCall(Expr.Call e) {
      return e.arguments();
    }

    @Override
    public List<Expr> visitArrayRead(Expr.ArrayRead e) {
      return List.of(e.array(), e.index());
    }

    @Override
    public List<Expr> visitArrayLength(Expr.ArrayLength e) {
      return List.of(e.array());
    }

    @Override
    public List<Expr> visitNewArray(Expr.NewArray e) {
      List<Expr> all = new ArrayList<>(e.dimensions());
      all.addAll(e.elements());
      return all;
    }

    /** Arguments, then the seed, then the array adjoints. */
    @Override
    public List<Expr> visitAdjointCall(Expr.AdjointCall e) {
      List<Expr> all = new ArrayList<>(e.arguments());
      e.seed().ifPresent(all::add);
      all.addAll(e.arrayAdjoints());
      return all;
    }

    @Override
    public List<Expr> visitArrayCopy(Expr.ArrayCopy e) {
      return List.of(e.array());
    }

    @Override
    public List<Expr> visitBorrow(Expr.Borrow e) {
      return List.of(e.length());
    }

    @Override
    public List<Expr> visitTapePop(Expr.TapePop e) {
      return List.of();
    }

    @Override
    public List<Expr> visitElement(Expr.Element e) {
      return List.of();
    }

    @Override
    public List<Expr> visitNullArray(Expr.NullArray e) {
      return List.of();
    }
  }

  /** Rebuilds a node with each of its {@link Children} mapped, everything else kept. */
  private static final class MapChildren implements Expr.Visitor<Expr> {
    private final UnaryOperator<Expr> f;

    MapChildren(UnaryOperator<Expr> f) {
      this.f = f;
    }

    private List<Expr> map(List<Expr> exprs) {
      return exprs.stream().map(f).toList();
    }

    @Override
    public Expr visitLiteral(Expr.Literal e) {
      return e;
    }

    @Override
    public Expr visitLocal(Expr.Local e) {
      return e;
    }

    @Override
    public Expr visitFieldRead(Expr.FieldRead e) {
      return e;
    }

    @Override
    public Expr visitUnary(Unary e) {
      return new Unary(e.op(), f.apply(e.operand()), e.type());
    }

    @Override
    public Expr visitBinary(Binary e) {
      return new Binary(e.op(), f.apply(e.left()), f.apply(e.right()), e.type());
    }

    @Override
    public Expr visitConditional(Expr.Conditional e) {
      return new Expr.Conditional(
          f.apply(e.condition()), f.apply(e.whenTrue()), f.apply(e.whenFalse()), e.type());
    }

    @Override
    public Expr visitCast(Expr.Cast e) {
      return new Expr.Cast(e.type(), f.apply(e.operand()), e.position());
    }

    @Override
    public Expr visitIntrinsicCall(Expr.IntrinsicCall e) {
      return new Expr.IntrinsicCall(
          e.intrinsic(), map(e.arguments()), e.type(), e.strict(), e.position());
    }

    @Override
    public Expr visitCall(Expr.Call e) {
      return new Expr.Call(e.callee(), map(e.arguments()), e.position());
    }

    @Override
    public Expr visitArrayRead(Expr.ArrayRead e) {
      return new Expr.ArrayRead(f.apply(e.array()), f.apply(e.index()), e.type());
    }

    @Override
    public Expr visitArrayLength(Expr.ArrayLength e) {
      return new Expr.ArrayLength(f.apply(e.array()));
    }

    @Override
    public Expr visitNewArray(Expr.NewArray e) {
      return new Expr.NewArray(e.type(), map(e.dimensions()), map(e.elements()));
    }

    @Override
    public Expr visitAdjointCall(Expr.AdjointCall e) {
      return new Expr.AdjointCall(e.callee(), map(e.arguments()), e.seed().map(f), e.scratch(),
          map(e.arrayAdjoints()), e.tape());
    }

    @Override
    public Expr visitArrayCopy(Expr.ArrayCopy e) {
      return new Expr.ArrayCopy(f.apply(e.array()));
    }

    @Override
    public Expr visitBorrow(Expr.Borrow e) {
      return new Expr.Borrow(e.tape(), f.apply(e.length()));
    }

    @Override
    public Expr visitTapePop(Expr.TapePop e) {
      return e;
    }

    @Override
    public Expr visitElement(Expr.Element e) {
      return e;
    }

    @Override
    public Expr visitNullArray(Expr.NullArray e) {
      return e;
    }
  }

  /** The variables a node itself names, apart from those its children read. */
  private static final class OwnVariables implements Expr.Visitor<List<Variable>> {
    static final OwnVariables INSTANCE = new OwnVariables();

    @Override
    public List<Variable> visitLiteral(Expr.Literal e) {
      return List.of();
    }

    @Override
    public List<Variable> visitLocal(Expr.Local e) {
      return List.of(e.variable());
    }

    @Override
    public List<Variable> visitFieldRead(Expr.FieldRead e) {
      return List.of();
    }

    @Override
    public List<Variable> visitUnary(Unary e) {
      return List.of();
    }

    @Override
    public List<Variable> visitBinary(Binary e) {
      return List.of();
    }

    @Override
    public List<Variable> visitConditional(Expr.Conditional e) {
      return List.of();
    }

    @Override
    public List<Variable> visitCast(Expr.Cast e) {
      return List.of();
    }

    @Override
    public List<Variable> visitIntrinsicCall(Expr.IntrinsicCall e) {
      return List.of();
    }

    @Override
    public List<Variable> visitCall(Expr.Call e) {
      return List.of();
    }

    @Override
    public List<Variable> visitArrayRead(Expr.ArrayRead e) {
      return List.of();
    }

    @Override
    public List<Variable> visitArrayLength(Expr.ArrayLength e) {
      return List.of();
    }

    @Override
    public List<Variable> visitNewArray(Expr.NewArray e) {
      return List.of();
    }

    /**
     * The scratch array it adds partials into. The tape it is handed is not listed: the call
     * records on it and takes back its own records, it reads no value put there before.
     */
    @Override
    public List<Variable> visitAdjointCall(Expr.AdjointCall e) {
      return e.scratch().map(List::of).orElse(List.of());
    }

    @Override
    public List<Variable> visitArrayCopy(Expr.ArrayCopy e) {
      return List.of();
    }

    @Override
    public List<Variable> visitBorrow(Expr.Borrow e) {
      return List.of(e.tape());
    }

    @Override
    public List<Variable> visitTapePop(Expr.TapePop e) {
      return List.of(e.tape());
    }

    @Override
    public List<Variable> visitElement(Expr.Element e) {
      return List.of(e.array());
    }

    @Override
    public List<Variable> visitNullArray(Expr.NullArray e) {
      return List.of();
    }
  }
}
