package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recognises counted loops, {@code for (int i = a; i < b; i++)} and its variants, and writes
 * their reverse, which counts back from the bound instead of recording a trip count.
 */
final class CountedLoops {
  private CountedLoops() {}

  /**
   * The counter of a loop {@code for (int i = a; i < b; i++)} (or with {@code <=}, {@code >},
   * {@code >=}, {@code --}) whose body writes neither i nor anything a and b read: its reverse
   * can count back from b without recording anything. Null for any other loop, and for a
   * bound b whose type does not widen to i's (a {@code double} or {@code long} bound of an
   * {@code int} counter).
   */
  static Variable counter(Stmt.Loop l) {
    // Shape tests on the one loop, not dispatches: anything else is simply not counted.
    if (!l.testFirst() || l.init().size() != 1 || l.update().size() != 1
        || !(l.init().get(0) instanceof Stmt.Declare d) || d.init().isEmpty()
        || (d.variable().type() != Type.INT && d.variable().type() != Type.LONG)) {
      return null;
    }
    Variable i = d.variable();
    if (!(l.condition() instanceof Binary c) || !isOrdering(c.op())
        || !(c.left() instanceof Expr.Local compared) || compared.variable() != i) {
      return null;
    }
    if (!c.right().type().widensTo(i.type())) {
      // for (int i = 0; i < n; i++) with a double n (or a long one): the reversed start would
      // be a lossy conversion (and b - 1 is not the last i for a non-integer b), so such a
      // loop records its trip count like any other.
      return null;
    }
    int step = stepOf(l.update().get(0), i);
    boolean ascending = c.op() == BinaryOp.LESS || c.op() == BinaryOp.LESS_EQUAL;
    if (step == 0 || ascending != (step > 0)) {
      return null;
    }
    Set<Variable> written = Statements.assigned(l.body().statements());
    Set<Variable> bounds = boundVariables(l);
    bounds.add(i);
    for (Variable v : bounds) {
      if (written.contains(v)) {
        return null;
      }
    }
    return i;
  }

  /** {@code <}, {@code <=}, {@code >} or {@code >=}: a bound the counter reaches. */
  private static boolean isOrdering(BinaryOp op) {
    return op.isComparison() && op != BinaryOp.EQUAL && op != BinaryOp.NOT_EQUAL;
  }

  /** The variables that the start and the bound of a counted loop read. */
  static Set<Variable> boundVariables(Stmt.Loop counted) {
    Set<Variable> bounds =
        variablesBesideLengths(((Stmt.Declare) counted.init().get(0)).init().orElseThrow());
    bounds.addAll(variablesBesideLengths(((Binary) counted.condition()).right()));
    return bounds;
  }

  /**
   * Variables an expression reads, except arrays read only for their length: arrays are never
   * replaced, so their lengths are constants. The reverse transform asks this of its own sweep
   * code too, so every kind is answered.
   */
  static Set<Variable> variablesBesideLengths(Expr e) {
    return e.accept(VariablesBesideLengths.INSTANCE);
  }

  /** See {@link #variablesBesideLengths}; the tape and scratch arrays are not counted. */
  private static final class VariablesBesideLengths implements Expr.Visitor<Set<Variable>> {
    static final VariablesBesideLengths INSTANCE = new VariablesBesideLengths();

    private Set<Variable> children(Expr e) {
      Set<Variable> out = new HashSet<>();
      for (Expr child : Exprs.children(e)) {
        out.addAll(child.accept(this));
      }
      return out;
    }

    @Override
    public Set<Variable> visitLiteral(Expr.Literal e) {
      return new HashSet<>();
    }

    @Override
    public Set<Variable> visitLocal(Expr.Local e) {
      return new HashSet<>(Set.of(e.variable()));
    }

    @Override
    public Set<Variable> visitFieldRead(Expr.FieldRead e) {
      return new HashSet<>();
    }

    @Override
    public Set<Variable> visitUnary(Expr.Unary e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitBinary(Binary e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitConditional(Expr.Conditional e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitCast(Expr.Cast e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitIntrinsicCall(Expr.IntrinsicCall e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitCall(Expr.Call e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitArrayRead(Expr.ArrayRead e) {
      return children(e);
    }

    /** {@code a.length} of an array variable is a constant; a row's length depends on the row. */
    @Override
    public Set<Variable> visitArrayLength(Expr.ArrayLength e) {
      return e.array() instanceof Expr.Local ? new HashSet<>() : children(e);
    }

    @Override
    public Set<Variable> visitNewArray(Expr.NewArray e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitAdjointCall(Expr.AdjointCall e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitArrayCopy(Expr.ArrayCopy e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitBorrow(Expr.Borrow e) {
      return children(e);
    }

    @Override
    public Set<Variable> visitTapePop(Expr.TapePop e) {
      return new HashSet<>();
    }

    @Override
    public Set<Variable> visitElement(Expr.Element e) {
      return new HashSet<>();
    }

    @Override
    public Set<Variable> visitNullArray(Expr.NullArray e) {
      return new HashSet<>();
    }
  }

  /** +1 for {@code i = i + 1}, -1 for {@code i = i - 1}, else 0. */
  private static int stepOf(Stmt update, Variable counter) {
    if (update instanceof Stmt.Assign a && a.variable() == counter
        && a.value() instanceof Binary b && b.left() instanceof Expr.Local l
        && l.variable() == counter && b.right() instanceof Expr.Literal lit
        && lit.isOne()) {
      return b.op() == BinaryOp.ADD ? 1 : b.op() == BinaryOp.SUBTRACT ? -1 : 0;
    }
    return 0;
  }

  /** {@code for (int i = a; i < b; i++)} runs backwards as {@code for (i = b - 1; i >= a; i--)}. */
  static Stmt reversed(Stmt.Loop l, Variable counter, List<Stmt> body) {
    Expr start = ((Stmt.Declare) l.init().get(0)).init().orElseThrow();
    Binary c = (Binary) l.condition();
    Expr bound = c.right();
    Expr one = new Expr.Literal(counter.type(), counter.type() == Type.LONG ? (Object) 1L : 1);
    Expr last;
    BinaryOp keepGoing;
    int step;
    switch (c.op()) {
      case LESS -> {
        last = Exprs.binary(BinaryOp.SUBTRACT, bound, one);
        keepGoing = BinaryOp.GREATER_EQUAL;
        step = -1;
      }
      case LESS_EQUAL -> {
        last = bound;
        keepGoing = BinaryOp.GREATER_EQUAL;
        step = -1;
      }
      case GREATER -> {
        last = Exprs.binary(BinaryOp.ADD, bound, one);
        keepGoing = BinaryOp.LESS_EQUAL;
        step = 1;
      }
      case GREATER_EQUAL -> {
        last = bound;
        keepGoing = BinaryOp.LESS_EQUAL;
        step = 1;
      }
      default -> throw new IllegalStateException(
          "not a counted loop's comparison: " + c.op().symbol);
    }
    Stmt init = new Stmt.Declare(counter, last, Position.NONE);
    Expr condition = Exprs.binary(keepGoing, local(counter), start);
    Stmt update = new Stmt.Assign(counter,
        Exprs.binary(step > 0 ? BinaryOp.ADD : BinaryOp.SUBTRACT, local(counter), one),
        Position.NONE);
    return Stmt.Loop.unlabelled(List.of(init), condition, List.of(update), Block.of(body), true,
        Position.NONE);
  }
}
