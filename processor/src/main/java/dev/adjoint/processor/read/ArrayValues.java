package dev.adjoint.processor.read;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Arrays as values, lowered to what the transforms handle: one array object per variable,
 * written element by element. A fresh array ({@code new double[n]}, an initializer list,
 * {@code x.clone()}, {@code Arrays.copyOf}) becomes storage allocated once plus the element
 * writes that give it its contents; {@code Arrays.fill}, {@code System.arraycopy} and the swap
 * of two array variables become loops over elements. The element writes are ordinary
 * statements, so the reverse sweep saves exactly the overwritten elements it still needs.
 */
final class ArrayValues {
  private ArrayValues() {}

  /**
   * A fresh array of {@code type}: created with {@code dimensions} (empty for an initializer
   * list), holding {@code elements} (an initializer list) or a copy of part of another array.
   */
  record Fresh(Type type, List<Expr> dimensions, List<Expr> elements, Optional<Copy> copy) {
    /** Its length (first dimension). */
    Expr length() {
      return dimensions.isEmpty() ? Expr.Literal.ofInt(elements.size()) : dimensions.get(0);
    }

    /** The creation where it is declared: its elements are computed there. */
    Expr.NewArray creation() {
      return new Expr.NewArray(type, dimensions, elements);
    }

    /** Storage of the same shape, created once, before the statement that contains it. */
    Expr.NewArray storage() {
      List<Expr> dims = new ArrayList<>();
      if (dimensions.isEmpty()) {
        dims.add(Expr.Literal.ofInt(elements.size()));
      } else {
        for (Expr d : dimensions) {
          dims.add(nonNegative(d) ? d : Exprs.cond(Exprs.binary(BinaryOp.LESS, d,
              Expr.Literal.ofInt(0)), Expr.Literal.ofInt(0), d));
        }
      }
      return new Expr.NewArray(type, List.copyOf(dims), List.of());
    }
  }

  /** {@code count} elements of {@code source} from {@code from}, to the start of the array. */
  record Copy(Expr source, Expr from, Expr count) {}

  private static boolean nonNegative(Expr d) {
    return d instanceof Expr.ArrayLength
        || d instanceof Expr.Literal l && l.value() instanceof Number n && n.intValue() >= 0
        || d instanceof Expr.Binary b && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.MULTIPLY)
            && nonNegative(b.left()) && nonNegative(b.right());
  }

  /**
   * The statements that give {@code v} the contents of {@code fresh}: after its creation
   * ({@code reused} false) only the copy, if any; in storage created before ({@code reused}
   * true) every element, as a new array would hold them.
   */
  static List<Stmt> contents(Variable v, Fresh fresh, boolean reused, Position pos) {
    List<Stmt> out = new ArrayList<>();
    if (reused && !fresh.elements().isEmpty()) {
      for (int k = 0; k < fresh.elements().size(); k++) {
        out.add(new Stmt.ArrayWrite(v, List.of(Expr.Literal.ofInt(k)), fresh.elements().get(k),
            pos));
      }
      return out;
    }
    Expr start = Expr.Literal.ofInt(0);
    if (fresh.copy().isPresent()) {
      Copy c = fresh.copy().get();
      out.add(copy(v, List.of(), Expr.Literal.ofInt(0), c.source(), c.from(), c.count(), false,
          pos));
      start = c.count();
      if (fresh.dimensions().get(0) instanceof Expr.ArrayLength) {
        return out; // a clone: every element copied
      }
    }
    if (reused) {
      out.add(zero(v, start, pos));
    }
    return out;
  }

  /** Sets every element of {@code v} from {@code start} on (every row of a matrix) to zero. */
  static Stmt zero(Variable v, Expr start, Position pos) {
    Type element = v.type().element();
    Variable k = index("k");
    Expr kRead = new Expr.Local(k);
    Stmt body;
    if (element.isArray()) {
      Variable j = index("j");
      Expr row = new Expr.ArrayRead(new Expr.Local(v), kRead, element);
      body = loop(j, Expr.Literal.ofInt(0), new Expr.ArrayLength(row), new Stmt.ArrayWrite(v,
          List.of(kRead, new Expr.Local(j)), zeroOf(element.element()), pos), pos);
    } else {
      body = new Stmt.ArrayWrite(v, List.of(kRead), zeroOf(element), pos);
    }
    return loop(k, start, new Expr.ArrayLength(new Expr.Local(v)), body, pos);
  }

  /**
   * {@code count} elements of {@code source} from {@code sourceFrom} into {@code target}
   * (through the row indices {@code prefix}) from {@code targetFrom}; last element first when
   * {@code backwards} (overlapping ranges of one array, as System.arraycopy copies them).
   */
  static Stmt copy(Variable target, List<Expr> prefix, Expr targetFrom, Expr source,
      Expr sourceFrom, Expr count, boolean backwards, Position pos) {
    Variable k = index("k");
    Expr kRead = new Expr.Local(k);
    Expr read = new Expr.ArrayRead(source, plus(sourceFrom, kRead), source.type().element());
    List<Expr> indices = new ArrayList<>(prefix);
    indices.add(plus(targetFrom, kRead));
    Stmt write = new Stmt.ArrayWrite(target, List.copyOf(indices), read, pos);
    if (!backwards) {
      return loop(k, Expr.Literal.ofInt(0), count, write, pos);
    }
    Expr last = Exprs.binary(BinaryOp.SUBTRACT, count, Expr.Literal.ofInt(1));
    return new Stmt.Loop(Optional.empty(), List.of(new Stmt.Declare(k, last, pos)),
        Exprs.binary(BinaryOp.GREATER_EQUAL, kRead, Expr.Literal.ofInt(0)),
        List.of(new Stmt.Assign(k, Exprs.binary(BinaryOp.SUBTRACT, kRead, Expr.Literal.ofInt(1)),
            pos)), Stmt.Block.of(List.of(write)), true, pos);
  }

  /** {@code target[prefix][k] = value} for k from {@code from} to {@code to}, exclusive. */
  static Stmt fill(Variable target, List<Expr> prefix, Expr from, Expr to, Expr value,
      Position pos) {
    Variable k = index("k");
    List<Expr> indices = new ArrayList<>(prefix);
    indices.add(new Expr.Local(k));
    return loop(k, from, to, new Stmt.ArrayWrite(target, List.copyOf(indices), value, pos), pos);
  }

  /** Exchanges the contents of two arrays of the same length, element by element. */
  static Stmt swap(Variable a, Variable b, Position pos) {
    Variable k = index("k");
    Expr kRead = new Expr.Local(k);
    Type element = a.type().element();
    Variable held = new Variable("swapped", element, Variable.Kind.LOCAL);
    List<Stmt> body = List.of(
        new Stmt.Declare(held, new Expr.ArrayRead(new Expr.Local(a), kRead, element), pos),
        new Stmt.ArrayWrite(a, List.of(kRead), new Expr.ArrayRead(new Expr.Local(b), kRead,
            element), pos),
        new Stmt.ArrayWrite(b, List.of(kRead), new Expr.Local(held), pos));
    return new Stmt.Loop(Optional.empty(), List.of(new Stmt.Declare(k, Expr.Literal.ofInt(0),
        pos)), Exprs.binary(BinaryOp.LESS, kRead, new Expr.ArrayLength(new Expr.Local(a))),
        List.of(increment(k, pos)), Stmt.Block.of(body), true, pos);
  }

  /** The smaller of two int values. */
  static Expr min(Expr a, Expr b) {
    return Exprs.cond(Exprs.binary(BinaryOp.LESS, a, b), a, b);
  }

  static Expr zeroOf(Type t) {
    if (t == Type.DOUBLE) {
      return Expr.Literal.of(0.0);
    }
    if (t == Type.FLOAT) {
      return new Expr.Literal(Type.FLOAT, 0.0f);
    }
    if (t == Type.LONG) {
      return new Expr.Literal(Type.LONG, 0L);
    }
    if (t == Type.BOOLEAN) {
      return Expr.Literal.ofBoolean(false);
    }
    return Expr.Literal.ofInt(0);
  }

  private static Expr plus(Expr from, Expr k) {
    return from instanceof Expr.Literal l && l.isZero() ? k : Exprs.binary(BinaryOp.ADD, from, k);
  }

  private static Variable index(String name) {
    return new Variable(name, Type.INT, Variable.Kind.LOCAL);
  }

  private static Stmt increment(Variable k, Position pos) {
    return new Stmt.Assign(k, Exprs.binary(BinaryOp.ADD, new Expr.Local(k),
        Expr.Literal.ofInt(1)), pos);
  }

  private static Stmt loop(Variable k, Expr from, Expr to, Stmt body, Position pos) {
    return new Stmt.Loop(Optional.empty(), List.of(new Stmt.Declare(k, from, pos)),
        Exprs.binary(BinaryOp.LESS, new Expr.Local(k), to), List.of(increment(k, pos)),
        Stmt.Block.of(List.of(body)), true, pos);
  }
}
