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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

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
  private Variable scratch =
      new Variable("callPartials", Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);
  private int scratchSize;
  /** Calls whose value the reverse sweep does not read: only their partials are recorded. */
  private final Set<Expr.Call> unreadValues = Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * Calls of statements that run once: per differentiated array argument, the array the forward
   * sweep borrows for its partials and keeps until the reverse sweep has added them (the
   * reverse sweep, written first, makes these variables).
   */
  private final Map<Expr.Call, Map<Integer, Variable>> keptArrays = new IdentityHashMap<>();

  PreaccumulatedCalls(Activity activity, SweepState state) {
    this.activity = activity;
    this.state = state;
  }

  /** The qualifying calls of {@code value}, in evaluation order (arguments first). */
  List<Expr.Call> in(Expr value) {
    List<Expr.Call> out = new ArrayList<>();
    if (value.type().carriesDerivatives()) {
      value.accept(new Collector(out));
    }
    return out;
  }

  /**
   * Finds the qualifying calls: every subexpression that carries derivatives, except the
   * branches of {@code ?:} (which may not run; {@code &&} and {@code ||} are boolean).
   */
  private final class Collector implements Expr.SourceVisitor<Void> {
    private final List<Expr.Call> out;

    Collector(List<Expr.Call> out) {
      this.out = out;
    }

    private Void children(Expr e) {
      for (Expr child : Exprs.children(e)) {
        if (child.type().carriesDerivatives()) {
          child.accept(this);
        }
      }
      return null;
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
      return null;
    }

    @Override
    public Void visitCall(Expr.Call c) {
      children(c);
      if (qualifies(c)) {
        out.add(c);
      }
      return null;
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
    public Void visitArrayLength(Expr.ArrayLength e) {
      return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return children(e);
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
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
    public Void visitArrayRead(Expr.ArrayRead e) {
      return children(e);
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
      return children(e);
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
  Expr record(List<Expr.Call> calls, Expr value, Map<Expr, Expr> computed, boolean once,
      List<Stmt> out) {
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
        Variable kept = keptArrays.getOrDefault(c, Map.of()).get(i);
        if (kept != null) {
          // Kept borrowed for the reverse sweep, which reads it in place: no copy on the tape.
          out.add(new Stmt.Declare(kept, new Expr.Borrow(state.useTape(),
              new Expr.ArrayLength(c.arguments().get(i))), Position.NONE));
          arrayAdjoints.add(local(kept));
        } else if (activeArrays(c).contains(i)) {
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
      if (!unreadValues.contains(c)) {
        out.add(new Stmt.Push(state.useTape(), local(result)));
      }
      if (!borrowed.isEmpty()) {
        out.add(new Stmt.Release(state.useTape(), borrowed.size()));
      }
      results.put(c, local(result));
    }
    return Exprs.replaceAll(value, results);
  }

  /**
   * What {@link #restore} wrote for one statement: how many arrays it borrowed from the tape
   * (released once the statement's reverse code has used them), and the declaration of each
   * call's recorded value.
   */
  record Restored(int borrowed, Map<Stmt, Expr.Call> valueDeclarations) {}

  /**
   * Reverse sweep: takes back what {@link #record} recorded, last call first, and tells
   * {@code expression} the calls' values and partials.
   */
  Restored restore(List<Expr.Call> calls, ExpressionAdjoint expression, boolean once,
      List<Stmt> out) {
    int borrowedInAll = 0;
    Map<Stmt, Expr.Call> valueDeclarations = new IdentityHashMap<>();
    for (int k = calls.size() - 1; k >= 0; k--) {
      Expr.Call c = calls.get(k);
      Variable result = new Variable(c.callee().name(), c.type(), Variable.Kind.SYNTHETIC);
      Stmt declaration = new Stmt.Declare(result, new Expr.TapePop(state.useTape(), c.type()),
          Position.NONE);
      out.add(declaration);
      valueDeclarations.put(declaration, c);
      Expr[] partials = new Expr[c.arguments().size()];
      List<Integer> arrays = activeArrays(c);
      if (once) {
        // The statement runs once, at the body's top level: the forward sweep's borrowed
        // array stays lent (given back with the reverse sweep's own) and is read in place.
        Map<Integer, Variable> kept = new LinkedHashMap<>();
        for (int i : arrays) {
          Variable array = new Variable("d" + capitalize(c.callee().name()),
              Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);
          kept.put(i, array);
          partials[i] = local(array);
        }
        keptArrays.put(c, kept);
        arrays = List.of();
      }
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
    return new Restored(borrowedInAll, valueDeclarations);
  }

  /**
   * Once a statement's reverse code is written: the recorded call values it does not read are
   * neither popped there nor pushed by the forward sweep (which this round writes next).
   */
  void dropUnreadValues(Restored restored, List<Stmt> statementCode) {
    Set<Variable> read = SweepReads.of(statementCode);
    for (Map.Entry<Stmt, Expr.Call> e : restored.valueDeclarations().entrySet()) {
      Stmt.Declare declaration = (Stmt.Declare) e.getKey();
      if (!read.contains(declaration.variable())) {
        statementCode.remove(declaration);
        unreadValues.add(e.getValue());
      }
    }
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

  /**
   * Runs {@code recording} (forward code that the reverse sweep runs: a checkpointed segment
   * recorded again) with the callees' partials received in {@code partials} instead of the
   * forward sweep's scratch array; returns how many slots it needs (0: none).
   */
  int recordInto(Variable partials, Runnable recording) {
    Variable forwardScratch = scratch;
    int forwardSize = scratchSize;
    scratch = partials;
    scratchSize = 0;
    try {
      recording.run();
      return scratchSize;
    } finally {
      scratch = forwardScratch;
      scratchSize = forwardSize;
    }
  }

  /** The forward sweep's scratch array, when a call is recorded. */
  Optional<Adjoint.Scratch> scratch() {
    return scratchSize > 0 ? Optional.of(new Adjoint.Scratch(scratch, scratchSize))
        : Optional.empty();
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
