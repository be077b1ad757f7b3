package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Identifiers.capitalize;
import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * Calls of differentiable methods with a scalar result, differentiated where they happen: the
 * forward sweep calls the callee's adjoint (seed 1) instead of the plain method and records its
 * value and partial derivatives (for a {@code double[]} argument, the whole partial array, in
 * an array borrowed from the tape); the reverse sweep takes them back instead of running the
 * callee again. The callee then runs once, not twice, and the reverse sweep needs none of its
 * arguments. Only calls evaluated whenever their statement is (not under {@code ?:}, {@code &&}
 * or {@code ||}) qualify, so that records and restores pair up.
 */
final class PreaccumulatedCalls {
  private final Activity activity;
  private final SweepState state;
  /** Receives the callees' partials in the forward sweep; borrowed around it. */
  private final Variable scratch =
      new Variable("callPartials", Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);
  private int scratchSize;

  PreaccumulatedCalls(Activity activity, SweepState state) {
    this.activity = activity;
    this.state = state;
  }

  /** The qualifying calls of {@code value}, in evaluation order (arguments first). */
  List<Expr.Call> in(Expr value) {
    List<Expr.Call> out = new ArrayList<>();
    collect(value, out);
    return out;
  }

  private void collect(Expr e, List<Expr.Call> out) {
    if (!e.type().carriesDerivatives() || e instanceof Expr.Conditional) {
      return;
    }
    for (Expr child : Exprs.children(e)) {
      collect(child, out);
    }
    if (e instanceof Expr.Call c && qualifies(c)) {
      out.add(c);
    }
  }

  private boolean qualifies(Expr.Call c) {
    if (!c.callee().differentiable() || !c.type().isFloating() || !activity.isActive(c)) {
      return false;
    }
    for (int i = 0; i < c.arguments().size(); i++) {
      boolean array = c.callee().parameterTypes().get(i).isArray();
      if (array && c.callee().differentiates(i)
          && (c.callee().parameterTypes().get(i) != Type.DOUBLE_ARRAY
              || !(c.arguments().get(i) instanceof Expr.Local))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Forward sweep: calls each adjoint, records partials then value, and returns {@code value}
   * with the calls replaced by their results and the subexpressions in {@code computed}
   * (already computed into locals) by those locals.
   */
  Expr record(List<Expr.Call> calls, Expr value, Map<Expr, Expr> computed, List<Stmt> out) {
    Map<Expr, Expr> results = new IdentityHashMap<>(computed);
    for (Expr.Call c : calls) {
      List<Expr> args = c.arguments().stream().map(a -> Exprs.replaceAll(a, results)).toList();
      int arity = c.callee().differentiableArity();
      Variable scratch = arity > 0 ? this.scratch : null;
      scratchSize = Math.max(scratchSize, arity);
      for (int j = 0; j < arity; j++) {
        out.add(new Stmt.ElementAssign(scratch, j, Exprs.lit(0)));
      }
      List<Expr> arrayAdjoints = new ArrayList<>();
      List<Variable> borrowed = new ArrayList<>();
      for (int i = 0; i < args.size(); i++) {
        if (!c.callee().parameterTypes().get(i).isArray() || !c.callee().differentiates(i)) {
          continue;
        }
        if (activeArrays(c).contains(i)) {
          Variable partials = borrow(c, i, out);
          borrowed.add(partials);
          arrayAdjoints.add(local(partials));
        } else {
          arrayAdjoints.add(new Expr.NullArray(Type.DOUBLE_ARRAY));
        }
      }
      Variable result = new Variable(c.callee().name(), c.type(), Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(result, new Expr.AdjointCall(c.callee(), args,
          Optional.of(Exprs.lit(1)), Optional.ofNullable(scratch), List.copyOf(arrayAdjoints),
          state.useTape()), Position.NONE));
      for (int slot : activeSlots(c).values()) {
        out.add(new Stmt.Push(state.useTape(), new Expr.Element(scratch, slot)));
      }
      for (Variable partials : borrowed) {
        out.add(new Stmt.Push(state.useTape(), local(partials)));
      }
      out.add(new Stmt.Push(state.useTape(), local(result)));
      if (!borrowed.isEmpty()) {
        out.add(new Stmt.Release(state.useTape(), borrowed.size()));
      }
      results.put(c, local(result));
    }
    return Exprs.replaceAll(value, results);
  }

  /**
   * Reverse sweep: takes back what {@link #record} recorded, last call first. Returns how many
   * arrays it borrowed from the tape for partial arrays: the caller releases them once the
   * statement's reverse code has used them.
   */
  int restore(List<Expr.Call> calls, ExpressionAdjoint expression, List<Stmt> out) {
    int borrowedInAll = 0;
    for (int k = calls.size() - 1; k >= 0; k--) {
      Expr.Call c = calls.get(k);
      Variable result = new Variable(c.callee().name(), c.type(), Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(result, new Expr.TapePop(state.useTape(), c.type()),
          Position.NONE));
      Expr[] partials = new Expr[c.arguments().size()];
      List<Integer> arrays = activeArrays(c);
      for (int a = arrays.size() - 1; a >= 0; a--) {
        Variable array = borrow(c, arrays.get(a), out);
        out.add(new Stmt.RestoreArray(state.useTape(), array));
        partials[arrays.get(a)] = local(array);
      }
      borrowedInAll += arrays.size();
      Map<Integer, Integer> slots = activeSlots(c);
      List<Integer> arguments = new ArrayList<>(slots.keySet());
      for (int i = arguments.size() - 1; i >= 0; i--) {
        Variable partial = new Variable("d" + capitalize(c.callee().name()),
            Type.DOUBLE, Variable.Kind.SYNTHETIC);
        out.add(new Stmt.Declare(partial, new Expr.TapePop(state.useTape(), Type.DOUBLE),
            Position.NONE));
        partials[arguments.get(i)] = local(partial);
      }
      expression.knownCall(c, local(result), Arrays.asList(partials));
    }
    return borrowedInAll;
  }

  /** An array shaped like argument {@code i} of {@code c}, borrowed from the tape. */
  private Variable borrow(Expr.Call c, int i, List<Stmt> out) {
    Variable partials = new Variable("d" + capitalize(c.callee().name()),
        Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);
    out.add(new Stmt.Declare(partials, new Expr.Borrow(state.useTape(),
        new Expr.ArrayLength(c.arguments().get(i))), Position.NONE));
    return partials;
  }

  /** The differentiated {@code double[]} arguments whose partials the caller needs. */
  private List<Integer> activeArrays(Expr.Call c) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < c.arguments().size(); i++) {
      if (c.callee().parameterTypes().get(i).isArray() && c.callee().differentiates(i)
          && activity.isActive(c.arguments().get(i))) {
        out.add(i);
      }
    }
    return out;
  }

  /** The forward sweep's scratch array, or null when no call is recorded. */
  Variable scratch() {
    return scratchSize > 0 ? scratch : null;
  }

  int scratchSize() {
    return scratchSize;
  }

  /** Argument index to scratch slot, for the arguments whose partial the caller needs. */
  private Map<Integer, Integer> activeSlots(Expr.Call c) {
    Map<Integer, Integer> slots = new LinkedHashMap<>();
    int slot = 0;
    for (int i = 0; i < c.arguments().size(); i++) {
      if (!c.callee().parameterTypes().get(i).isFloating() || !c.callee().differentiates(i)) {
        continue;
      }
      if (activity.isActive(c.arguments().get(i))) {
        slots.put(i, slot);
      }
      slot++;
    }
    return slots;
  }
}
