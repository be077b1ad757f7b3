package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an array element that a reverse-sweep loop does not change once, before the loop. The
 * reverse of {@code q[j] += L[li] * x[i]} in a loop over {@code j} reads {@code x[i]} on every
 * iteration while it stores into {@code LBar[li]}; the JIT cannot keep {@code x[i]} in a
 * register, since the store might be into the same {@code double[]}, so it loads it again on
 * every iteration. When a loop's element read has an index and an array that nothing in the
 * loop writes, and the read happens on every iteration (in a statement of the loop's body
 * itself, not under {@code ?:}, {@code &&} or {@code ||}, in a loop with no jump and no call),
 * the reverse sweep reads it into a local before the loop:
 *
 * <pre>{@code
 * double xI = d - 1 >= i + 1 ? x[i] : 0.0;
 * for (int j = d - 1; j >= i + 1; j--) { ...; LBar[li] += g * xI; ... }
 * }</pre>
 *
 * Nothing in the loop writes the read's array under another name: a method's array variables
 * name distinct arrays (two names for one array are rejected, ADJ200; the sweep's adjoints of
 * local arrays are borrowed; a caller's adjoint buffers are its own arrays).
 *
 * <p>The test (the loop's condition on its first iteration) keeps a loop that does not run from
 * reading an index that may then be out of range. Cost: one load and one test per entry of the
 * loop instead of one load per iteration, so it is taken for every qualifying read; the value
 * is the one the first iteration would have read, and no iteration changes it.
 */
final class InvariantReads {
  private InvariantReads() {}

  /** {@code statements} with the invariant element reads of their loops read before them. */
  static List<Stmt> apply(List<Stmt> statements) {
    return Rewrite.INSTANCE.rewrite(statements);
  }

  private static List<Stmt> hoisted(Stmt.Loop loop) {
    List<Stmt> body = loop.body().statements();
    Expr guard = firstTest(loop);
    if (guard == null || !anyJumpOrCallOrWrite(loop)) {
      return List.of(loop);
    }
    List<Stmt> everything = new ArrayList<>(loop.init());
    everything.addAll(loop.update());
    everything.addAll(body);
    Set<Variable> written = Statements.assigned(everything);
    // Distinct invariant reads, each with every occurrence (the very objects) in the body.
    Map<Expr, List<Expr>> reads = new LinkedHashMap<>();
    for (Stmt s : body) {
      if (s instanceof Stmt.Declare || s instanceof Stmt.Assign || s instanceof Stmt.ArrayWrite) {
        for (Expr e : Statements.expressions(s)) {
          e.accept(new Unconditional(written, reads));
        }
      }
    }
    if (reads.isEmpty()) {
      return List.of(loop);
    }
    List<Stmt> out = new ArrayList<>();
    Map<Expr, Expr> replacements = new IdentityHashMap<>();
    for (Map.Entry<Expr, List<Expr>> e : reads.entrySet()) {
      Variable value = new Variable(name((Expr.ArrayRead) e.getKey()), Type.DOUBLE,
          Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(value, Exprs.cond(guard, e.getKey(), Exprs.lit(0)),
          Position.NONE));
      e.getValue().forEach(occurrence -> replacements.put(occurrence, local(value)));
    }
    List<Stmt> newBody = new ArrayList<>();
    for (Stmt s : body) {
      newBody.add(replaced(s, replacements));
    }
    out.add(StatementRewrite.withBody(loop, newBody));
    return out;
  }

  /** {@code x[i]} gives {@code xI}; any other element {@code xElement}. */
  private static String name(Expr.ArrayRead read) {
    Expr array = read.array();
    while (array instanceof Expr.ArrayRead inner) {
      array = inner.array();
    }
    String base = array instanceof Expr.Local l ? l.variable().name() : "array";
    return base + (read.index() instanceof Expr.Local i
        ? Identifiers.capitalize(i.variable().name()) : "Element");
  }

  private static Stmt replaced(Stmt s, Map<Expr, Expr> replacements) {
    if (s instanceof Stmt.Declare d && d.init().isPresent()) {
      return new Stmt.Declare(d.variable(), Exprs.replaceAll(d.init().get(), replacements),
          d.position());
    }
    if (s instanceof Stmt.Assign a) {
      return new Stmt.Assign(a.variable(), Exprs.replaceAll(a.value(), replacements),
          a.position());
    }
    if (s instanceof Stmt.ArrayWrite w) {
      return new Stmt.ArrayWrite(w.array(),
          w.indices().stream().map(i -> Exprs.replaceAll(i, replacements)).toList(),
          Exprs.replaceAll(w.value(), replacements), w.position());
    }
    return s;
  }

  /**
   * The loop's condition on its first iteration (whether the body runs at all), or null when
   * it cannot be written without side effects: a loop testing first, whose init is nothing or
   * one declaration or assignment of its counter, with pure expressions.
   */
  private static Expr firstTest(Stmt.Loop loop) {
    if (!loop.testFirst() || !loop.condition().accept(Pure.INSTANCE)) {
      return null;
    }
    if (loop.init().isEmpty()) {
      return loop.condition();
    }
    if (loop.init().size() != 1) {
      return null;
    }
    Stmt init = loop.init().get(0);
    Variable counter;
    Expr start;
    if (init instanceof Stmt.Declare d && d.init().isPresent()) {
      counter = d.variable();
      start = d.init().get();
    } else if (init instanceof Stmt.Assign a) {
      counter = a.variable();
      start = a.value();
    } else {
      return null;
    }
    return start.accept(Pure.INSTANCE) ? Exprs.substitute(loop.condition(), counter, start)
        : null;
  }

  /**
   * Whether the loop stores into an array (without one the JIT keeps the read itself) and has
   * no jump and no call (a call may write arrays; a jump may skip the read).
   */
  private static boolean anyJumpOrCallOrWrite(Stmt.Loop loop) {
    boolean[] writes = {false};
    List<Stmt> pending = new ArrayList<>(Statements.children(loop));
    while (!pending.isEmpty()) {
      Stmt s = pending.remove(pending.size() - 1);
      if (s instanceof Stmt.Break || s instanceof Stmt.Continue || s instanceof Stmt.Return
          || s instanceof Stmt.Throw || s instanceof Stmt.Evaluate) {
        return false;
      }
      if (s instanceof Stmt.ArrayWrite || s instanceof Stmt.RestoreArray) {
        writes[0] = true;
      }
      for (Expr e : Statements.expressions(s)) {
        if (!e.accept(NoCall.INSTANCE)) {
          return false;
        }
      }
      pending.addAll(Statements.children(s));
    }
    return writes[0];
  }

  /**
   * Collects the {@code double} element reads evaluated whenever the expression is, whose
   * variables nothing in the loop writes and which are pure.
   */
  private static final class Unconditional implements Expr.Visitor<Void> {
    private final Set<Variable> written;
    private final Map<Expr, List<Expr>> reads;

    Unconditional(Set<Variable> written, Map<Expr, List<Expr>> reads) {
      this.written = written;
      this.reads = reads;
    }

    private Void children(Expr e) {
      for (Expr child : Exprs.children(e)) {
        child.accept(this);
      }
      return null;
    }

    @Override
    public Void visitArrayRead(Expr.ArrayRead e) {
      if (e.type() == Type.DOUBLE && e.accept(Pure.INSTANCE)
          && Exprs.variables(e).stream().noneMatch(written::contains)) {
        reads.computeIfAbsent(e, k -> new ArrayList<>()).add(e);
        return null;
      }
      return children(e);
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
      // Only the condition is evaluated every time.
      return e.condition().accept(this);
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
      if (e.op() == BinaryOp.CONDITIONAL_AND || e.op() == BinaryOp.CONDITIONAL_OR) {
        return e.left().accept(this);
      }
      return children(e);
    }

    @Override
    public Void visitLiteral(Expr.Literal e) {
      return null;
    }

    @Override
    public Void visitLocal(Expr.Local e) {
      return null;
    }

    @Override
    public Void visitFieldRead(Expr.FieldRead e) {
      return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return children(e);
    }

    @Override
    public Void visitCast(Expr.Cast e) {
      return children(e);
    }

    @Override
    public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
      return children(e);
    }

    @Override
    public Void visitCall(Expr.Call e) {
      return children(e);
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
      return children(e);
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
      return children(e);
    }

    @Override
    public Void visitAdjointCall(Expr.AdjointCall e) {
      return children(e);
    }

    @Override
    public Void visitArrayCopy(Expr.ArrayCopy e) {
      return children(e);
    }

    @Override
    public Void visitBorrow(Expr.Borrow e) {
      return children(e);
    }

    @Override
    public Void visitTapePop(Expr.TapePop e) {
      return null;
    }

    @Override
    public Void visitElement(Expr.Element e) {
      return null;
    }

    @Override
    public Void visitNullArray(Expr.NullArray e) {
      return null;
    }
  }

  /** Whether an expression neither calls a method nor allocates, pops or borrows. */
  static final class Pure extends NoCall {
    static final Pure INSTANCE = new Pure();

    @Override
    public Boolean visitNewArray(Expr.NewArray e) {
      return false;
    }

    @Override
    public Boolean visitArrayCopy(Expr.ArrayCopy e) {
      return false;
    }

    @Override
    public Boolean visitBorrow(Expr.Borrow e) {
      return false;
    }

    @Override
    public Boolean visitTapePop(Expr.TapePop e) {
      return false;
    }
  }

  /**
   * Whether an expression calls no method (a pop or a borrow is no call): a leaf holds, a call
   * fails, anything else holds when all its operands do. {@link Pure} narrows it.
   */
  private static class NoCall implements Expr.Visitor<Boolean> {
    static final NoCall INSTANCE = new NoCall();

    private Boolean children(Expr e) {
      for (Expr child : Exprs.children(e)) {
        if (!child.accept(this)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public Boolean visitLiteral(Expr.Literal e) {
      return true;
    }

    @Override
    public Boolean visitLocal(Expr.Local e) {
      return true;
    }

    @Override
    public Boolean visitFieldRead(Expr.FieldRead e) {
      return true;
    }

    @Override
    public Boolean visitUnary(Expr.Unary e) {
      return children(e);
    }

    @Override
    public Boolean visitBinary(Expr.Binary e) {
      return children(e);
    }

    @Override
    public Boolean visitConditional(Expr.Conditional e) {
      return children(e);
    }

    @Override
    public Boolean visitCast(Expr.Cast e) {
      return children(e);
    }

    @Override
    public Boolean visitIntrinsicCall(Expr.IntrinsicCall e) {
      return children(e);
    }

    @Override
    public Boolean visitCall(Expr.Call e) {
      return false;
    }

    @Override
    public Boolean visitArrayRead(Expr.ArrayRead e) {
      return children(e);
    }

    @Override
    public Boolean visitArrayLength(Expr.ArrayLength e) {
      return children(e);
    }

    @Override
    public Boolean visitNewArray(Expr.NewArray e) {
      return children(e);
    }

    @Override
    public Boolean visitAdjointCall(Expr.AdjointCall e) {
      return false;
    }

    @Override
    public Boolean visitArrayCopy(Expr.ArrayCopy e) {
      return children(e);
    }

    @Override
    public Boolean visitBorrow(Expr.Borrow e) {
      return children(e);
    }

    @Override
    public Boolean visitTapePop(Expr.TapePop e) {
      return true;
    }

    @Override
    public Boolean visitElement(Expr.Element e) {
      return true;
    }

    @Override
    public Boolean visitNullArray(Expr.NullArray e) {
      return true;
    }
  }

  /** Applies the rewrite to every loop, innermost first. */
  private static final class Rewrite extends StatementRewrite {
    static final Rewrite INSTANCE = new Rewrite();

    @Override
    public List<Stmt> visitLoop(Stmt.Loop s) {
      return hoisted(withBody(s, rewrite(s.body().statements())));
    }
  }
}
