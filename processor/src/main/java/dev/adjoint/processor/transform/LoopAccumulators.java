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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps a loop's accumulation into one element of a local array's adjoint in a local. The
 * reverse of {@code q[j] += L[li] * x[i]} inside a loop over {@code j} adds into {@code
 * xBar[i]} on every iteration; written as an element update, each iteration stores it and the
 * next loads it back (the JIT cannot keep it in a register, since the loop also stores into
 * other {@code double[]} adjoints that might be the same array), a chain of a load, an add and
 * a store per iteration. When the element's index does not change in the loop and the loop
 * touches the array nowhere else, the reverse sweep sums into a local instead and adds the sum
 * to the element after the loop:
 *
 * <pre>{@code
 * double xBarSum = 0.0;
 * for (...) { ...; xBarSum += g * L[li]; }
 * if (xBarSum != 0.0) { xBar[i] += xBarSum; }
 * }</pre>
 *
 * The test keeps a loop that did not run from reading an index that may then be out of range
 * (adding zero changes nothing). Only the adjoints of the method's local arrays qualify: they
 * are borrowed by the sweep itself, so no other array can be the same one (a caller's buffers
 * could be). The sum is associated differently (the loop's terms first), as a compiler may.
 */
final class LoopAccumulators {
  private LoopAccumulators() {}

  /** {@code statements} with the accumulations of {@code arrays}' elements kept in locals. */
  static List<Stmt> apply(List<Stmt> statements, Set<Variable> arrays) {
    return new Rewrite(arrays).rewrite(statements);
  }

  /** Each statement's replacement: itself, or a loop with its sums before and after. */
  private static final class Rewrite extends StatementRewrite {
    private final Set<Variable> arrays;

    Rewrite(Set<Variable> arrays) {
      this.arrays = arrays;
    }

    @Override
    public List<Stmt> visitLoop(Stmt.Loop s) {
      List<Stmt> body = new ArrayList<>(rewrite(s.body().statements()));
      List<Stmt> before = new ArrayList<>();
      List<Stmt> after = new ArrayList<>();
      for (int i = 0; i < body.size(); i++) {
        if (body.get(i) instanceof Stmt.ArrayWrite w && accumulates(w)
            && touchedOnlyBy(s, body, w)) {
          Binary sum = (Binary) w.value();
          Variable local = new Variable(w.array().name() + "Sum", Type.DOUBLE,
              Variable.Kind.SYNTHETIC);
          before.add(new Stmt.Declare(local, Exprs.lit(0), Position.NONE));
          body.set(i, new Stmt.Assign(local, Exprs.binary(sum.op(), local(local), sum.right()),
              Position.NONE));
          Expr element = Exprs.element(w.array(), w.indices());
          after.add(new Stmt.If(Exprs.binary(BinaryOp.NOT_EQUAL, local(local), Exprs.lit(0)),
              Block.of(List.of(new Stmt.ArrayWrite(w.array(), w.indices(),
                  Exprs.binary(BinaryOp.ADD, element, local(local)), Position.NONE))),
              Block.of(List.of())));
        }
      }
      List<Stmt> out = new ArrayList<>(before);
      out.add(withBody(s, body));
      out.addAll(after);
      return out;
    }

    /** {@code a[idx] = a[idx] + e} or {@code - e}, a qualifying double array, e without a. */
    private boolean accumulates(Stmt.ArrayWrite w) {
      return arrays.contains(w.array()) && w.array().type() == Type.DOUBLE_ARRAY
          && w.value() instanceof Binary b
          && (b.op() == BinaryOp.ADD || b.op() == BinaryOp.SUBTRACT)
          && b.left().equals(Exprs.element(w.array(), w.indices()))
          && !Exprs.variables(b.right()).contains(w.array());
    }

    /**
     * Whether, in loop {@code l}, nothing but {@code w} reads or writes {@code w}'s array, and
     * nothing writes what its index reads.
     */
    private static boolean touchedOnlyBy(Stmt.Loop l, List<Stmt> body, Stmt.ArrayWrite w) {
      Variable array = w.array();
      Set<Variable> indexReads = new HashSet<>();
      w.indices().forEach(e -> indexReads.addAll(Exprs.variables(e)));
      if (indexReads.contains(array)) {
        return false;
      }
      List<Stmt> everything = new ArrayList<>(l.init());
      everything.addAll(l.update());
      everything.addAll(body);
      Set<Variable> written = Statements.assigned(everything);
      if (written.stream().anyMatch(indexReads::contains)
          || Exprs.variables(l.condition()).contains(array)) {
        return false;
      }
      List<Stmt> pending = new ArrayList<>(everything);
      while (!pending.isEmpty()) {
        Stmt s = pending.remove(pending.size() - 1);
        pending.addAll(Statements.children(s));
        if (s == w) {
          continue;
        }
        if (Statements.assigned(List.of(s)).contains(array) && Statements.children(s).isEmpty()) {
          return false;
        }
        for (Expr e : Statements.expressions(s)) {
          if (Exprs.variables(e).contains(array)) {
            return false;
          }
        }
      }
      return true;
    }
  }
}
