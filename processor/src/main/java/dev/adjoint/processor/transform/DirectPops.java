package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds a recorded array of partials into an adjoint array straight from the tape. The reverse
 * sweep of a call recorded in a loop ({@link PreaccumulatedCalls}) takes the callee's array
 * partials back into a borrowed array and then adds them, scaled, into the argument's adjoint:
 *
 * <pre>{@code
 * double[] dF = tape.borrow(v.length);
 * tape.popArray(dF);
 * for (int j = 0; j < dF.length; j++) { vBar[j] += g * dF[j]; }
 * tape.release(1);
 * }</pre>
 *
 * Each element is read once, so the borrowed array (zeroed when lent, then filled, then read)
 * is a detour: the four statements become one loop that pops each element where it is used,
 * last element first, the order {@code popArray} pops them in:
 *
 * <pre>{@code
 * for (int j = v.length - 1; j >= 0; j--) { vBar[j] += g * tape.popDouble(); }
 * }</pre>
 *
 * Every element of the adjoint still receives exactly one addition of the same value, so the
 * gradient is bit-for-bit the same. Only that sequence is rewritten: between the pop and the
 * loop, and between the loop and the release, only assignments that neither call, pop, borrow
 * nor allocate (the scale {@code g}, other operands' adjoints); one element read per iteration;
 * the array read nowhere else. So no pop moves past another, and the tape's pushes and pops
 * keep their LIFO pairing.
 */
final class DirectPops {
  private DirectPops() {}

  /** {@code statements} with each qualifying pop-then-add sequence made one popping loop. */
  static List<Stmt> apply(List<Stmt> statements) {
    return Rewrite.INSTANCE.rewrite(statements);
  }

  /** The fusing of {@link #apply}, on {@code in} whose nested blocks are already rewritten. */
  private static List<Stmt> fused(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      int end = fusedEnd(in, i);
      if (end < 0) {
        out.add(in.get(i));
        continue;
      }
      for (int at = i + 2; at < end; at++) {
        Stmt s = in.get(at);
        out.add(s instanceof Stmt.Loop loop ? fuse(in.get(i), loop) : s);
      }
      i = end;
    }
    return out;
  }

  /**
   * Where the sequence starting at {@code i} ends (its release), or -1: a borrow, the pop into
   * it, then statements that touch neither the tape nor the borrowed array around the one loop
   * adding the array, then the release; the array read nowhere after.
   */
  private static int fusedEnd(List<Stmt> in, int i) {
    if (i + 3 >= in.size() || !(in.get(i) instanceof Stmt.Declare borrow)
        || borrow.variable().type() != Type.DOUBLE_ARRAY
        || borrow.init().isEmpty() || !(borrow.init().get() instanceof Expr.Borrow lent)
        || !(in.get(i + 1) instanceof Stmt.RestoreArray restore)
        || restore.array() != borrow.variable() || restore.tape() != lent.tape()) {
      return -1;
    }
    Variable partials = borrow.variable();
    int loops = 0;
    for (int at = i + 2; at < in.size(); at++) {
      Stmt s = in.get(at);
      if (s instanceof Stmt.Release release) {
        if (release.tape() != lent.tape() || release.count() != 1 || loops != 1) {
          return -1;
        }
        for (Stmt after : in.subList(at + 1, in.size())) {
          if (mentions(after, partials)) {
            return -1;
          }
        }
        return at;
      }
      if (s instanceof Stmt.Loop loop && loops == 0 && fuse(borrow, loop) != null) {
        loops++;
      } else if (!simple(s) || mentions(s, partials)) {
        return -1;
      }
    }
    return -1;
  }

  /** An assignment or declaration that neither calls, pops, borrows nor allocates. */
  private static boolean simple(Stmt s) {
    if (!(s instanceof Stmt.Declare || s instanceof Stmt.Assign
        || s instanceof Stmt.ArrayWrite)) {
      return false;
    }
    for (Expr e : Statements.expressions(s)) {
      if (!e.accept(InvariantReads.Pure.INSTANCE)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The popping loop replacing {@code loop}, which adds the array {@code borrow} declares, or
   * null when it is not that loop.
   */
  private static Stmt fuse(Stmt borrowStatement, Stmt.Loop loop) {
    Stmt.Declare borrow = (Stmt.Declare) borrowStatement;
    Expr.Borrow lent = (Expr.Borrow) borrow.init().get();
    Variable partials = borrow.variable();
    if (!loop.testFirst() || loop.label().isPresent() || loop.init().size() != 1
        || !(loop.init().get(0) instanceof Stmt.Declare start)
        || !start.init().equals(java.util.Optional.of(Expr.Literal.ofInt(0)))
        || loop.update().size() != 1 || loop.body().statements().size() != 1
        || !(loop.body().statements().get(0) instanceof Stmt.ArrayWrite add)) {
      return null;
    }
    Variable j = start.variable();
    Expr at = local(j);
    if (!loop.condition().equals(Exprs.binary(BinaryOp.LESS, at,
            new Expr.ArrayLength(local(partials))))
        || !loop.update().get(0).equals(new Stmt.Assign(j,
            Exprs.binary(BinaryOp.ADD, at, Expr.Literal.ofInt(1)), Position.NONE))
        || add.array() == partials || !add.indices().equals(List.of(at))) {
      return null;
    }
    // The value reads the partials exactly once, as partials[j].
    List<Expr> reads = new ArrayList<>();
    int mentions = collect(add.value(), partials, reads);
    if (mentions != 1 || reads.size() != 1 || !((Expr.ArrayRead) reads.get(0)).index().equals(at)) {
      return null;
    }
    Map<Expr, Expr> popped = new IdentityHashMap<>();
    popped.put(reads.get(0), new Expr.TapePop(lent.tape(), Type.DOUBLE));
    Stmt popAdd = new Stmt.ArrayWrite(add.array(), add.indices(),
        Exprs.replaceAll(add.value(), popped), add.position());
    return Stmt.Loop.unlabelled(
        List.of(new Stmt.Declare(j, Exprs.binary(BinaryOp.SUBTRACT, lent.length(),
            Expr.Literal.ofInt(1)), Position.NONE)),
        Exprs.binary(BinaryOp.GREATER_EQUAL, at, Expr.Literal.ofInt(0)),
        List.of(new Stmt.Assign(j, Exprs.binary(BinaryOp.SUBTRACT, at, Expr.Literal.ofInt(1)),
            Position.NONE)),
        Block.of(List.of(popAdd)), true, loop.position());
  }

  /**
   * Counts the mentions of {@code array} in {@code e}, adding to {@code reads} each element
   * read {@code array[...]} of it.
   */
  private static int collect(Expr e, Variable array, List<Expr> reads) {
    if (e instanceof Expr.ArrayRead r && r.array() instanceof Expr.Local l
        && l.variable() == array) {
      reads.add(r);
      return 1 + (Exprs.variables(r.index()).contains(array) ? 2 : 0);
    }
    if (e instanceof Expr.Local l) {
      return l.variable() == array ? 1 : 0;
    }
    int n = 0;
    for (Expr child : Exprs.children(e)) {
      n += collect(child, array, reads);
    }
    return n;
  }

  /** Whether {@code s} or a statement nested in it reads or writes {@code array}. */
  private static boolean mentions(Stmt s, Variable array) {
    if (Statements.assigned(s).contains(array)) {
      return true;
    }
    for (Expr e : Statements.expressions(s)) {
      if (Exprs.variables(e).contains(array)) {
        return true;
      }
    }
    for (Stmt child : Statements.children(s)) {
      if (mentions(child, array)) {
        return true;
      }
    }
    return false;
  }

  /** Applies the rewrite inside nested blocks, branches and loops, then to the list itself. */
  private static final class Rewrite extends StatementRewrite {
    static final Rewrite INSTANCE = new Rewrite();

    @Override
    List<Stmt> rewrite(List<Stmt> statements) {
      return fused(super.rewrite(statements));
    }
  }
}
