package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.local;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Identifiers.capitalize;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.Operator;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Writes the adjoint code of one expression: for each node, for each active operand, the
 * incoming adjoint times the partial (from {@link Operator} or {@link Intrinsic}, one path for
 * both), down to the adjoints of the variables at the leaves.
 *
 * <p>Values the partials read are computed once each, bottom-up: before writing any code, a
 * first walk marks the subexpressions whose value some partial reads; a marked subexpression
 * is computed into a temporary that the temporaries of the nodes above it read. The code is
 * therefore linear in the size of the expression (a Horner polynomial gives one temporary per
 * degree). The additions into the leaves' adjoints are merged per adjoint ({@link
 * Accumulations}).
 */
final class ExpressionAdjoint {

  /** What the adjoint code of an expression needs of the transform that writes it. */
  interface Context {
    /** Whether the derivative of the result flows through {@code e} (else it needs no code). */
    boolean isActive(Expr e);

    /** The adjoint variable of {@code v}, made on first use. */
    Variable adjoint(Variable v);

    /** The tape, which the reverse sweep now uses. */
    Variable useTape();

    /** The array receiving a callee's partials, which must now hold at least {@code slots}. */
    Variable useScratch(int slots);
  }

  private final Context context;
  private final List<Stmt> out;
  /**
   * Subexpressions whose value is already held by a local (or is known in advance). Keyed by
   * structure, not identity: the code of one expression runs where no primal value changes, so
   * equal subexpressions ({@code a[i] * a[i]}) have equal values and share one temporary.
   */
  private final Map<Expr, Expr> values = new HashMap<>();
  /** The partials of calls whose value is known, by structure like {@link #values}. */
  private final Map<Expr.Call, List<Expr>> callPartials = new HashMap<>();
  /**
   * Subexpressions whose value a partial (or a call) reads, with how many times: each is
   * computed once, into a temporary when read more than once or computed by the forward sweep,
   * else where it is read.
   */
  private final Map<Expr, Integer> needed = new HashMap<>();
  private final Accumulations accumulations = new Accumulations();

  /**
   * Where values the reverse code needs are computed instead, when the statement runs once: the
   * forward sweep computes them there and then, and the reverse code reads them (null: in the
   * reverse code).
   */
  private List<Stmt> forward;
  private Predicate<Variable> forwardReadable;
  /** The name of forward temporaries: one no source variable has, since they come first. */
  private String forwardName;
  private final Map<Expr, Expr> forwardValues = new IdentityHashMap<>();
  private final Set<Variable> computedForward = new HashSet<>();
  /**
   * Inside loops: the tape the forward sweep records values on ({@link #recordValuesForward}),
   * or null; the pushes of the recorded values, last computed first; the reverse code's local
   * of each recorded value, with the forward sweep's; and where the reverse code pops them.
   */
  private Variable recordingTape;
  private final List<Stmt> forwardPushes = new ArrayList<>();
  private final Map<Variable, Variable> recordedForward = new HashMap<>();
  private int popsAt = -1;

  /** Writes into {@code out}. */
  ExpressionAdjoint(Context context, List<Stmt> out) {
    this.context = context;
    this.out = out;
  }

  /** The whole expression's value is already in a variable: reuse it. */
  void knownValue(Expr e, Expr value) {
    values.put(e, value);
  }

  /** A call whose value and partials (null where not needed) the forward sweep recorded. */
  void knownCall(Expr.Call c, Expr value, List<Expr> partials) {
    values.put(c, value);
    callPartials.put(c, partials);
  }

  /**
   * Lets values of the statement's own expression be computed by the forward sweep, into
   * {@code forward}, when every variable they read satisfies {@code readable}.
   */
  void computeValuesForward(List<Stmt> forward, Predicate<Variable> readable, String name) {
    this.forward = forward;
    this.forwardReadable = readable;
    this.forwardName = name;
  }

  /**
   * Inside a loop, where the statement's values cannot stay in locals of the forward sweep: a
   * value that {@link RecomputeCost} finds dearer to recompute than to record is computed by the
   * forward sweep into {@code forward}, pushed on {@code tape} (the pushes are {@link
   * #forwardPushes}, written after the declarations), and popped by the reverse code, before
   * any of its code that reads it and after everything the statement's reverse code popped
   * before (its restore and its calls' records), so that pushes and pops pair up in LIFO order.
   * Cheap values are recomputed by the reverse code as before.
   */
  void recordValuesForward(List<Stmt> forward, Predicate<Variable> readable, String name,
      Variable tape) {
    computeValuesForward(forward, readable, name);
    this.recordingTape = tape;
  }

  /** The pushes of the values recorded for the reverse code, in the order the forward sweep makes them. */
  List<Stmt> forwardPushes() {
    return forwardPushes;
  }

  /** The statement's subexpressions the forward sweep now computes, and the locals holding them. */
  Map<Expr, Expr> forwardValues() {
    return forwardValues;
  }

  /** Declares a synthetic local holding {@code value}. */
  Variable temporary(String name, Type type, Expr value) {
    Variable t = new Variable(name, type, Variable.Kind.SYNTHETIC);
    out.add(new Stmt.Declare(t, value, Position.NONE));
    return t;
  }

  /** Adds {@code g} times the derivative of {@code e} into the adjoints of its variables. */
  void propagate(Expr e, Expr g) {
    if (!context.isActive(e)) {
      return;
    }
    plan(e);
    send(e, g);
    accumulations.flushInto(out);
  }

  /**
   * Marks the values {@code e}'s adjoint code reads and counts their reads, those made by the
   * computation of other marked values included.
   */
  private void plan(Expr e) {
    e.accept(new Plan());
    for (Expr n : List.copyOf(needed.keySet())) {
      // A known value is computed by nobody; a call's arguments were counted with the call.
      if (!values.containsKey(n) && !(n instanceof Expr.Call)) {
        Exprs.children(n).forEach(this::countReadsBelow);
      }
    }
  }

  /** One read of each marked value that the value of a marked parent reads directly. */
  private void countReadsBelow(Expr e) {
    if (needed.containsKey(e)) {
      needed.merge(e, 1, Integer::sum);
    } else {
      Exprs.children(e).forEach(this::countReadsBelow);
    }
  }

  // ---------------------------------------------------------------- values

  /**
   * A local holding a value of the statement, computed forward where possible; in the reverse
   * code, a value read once is computed where it is read instead.
   */
  private Expr valueTemporary(Expr e, Expr value) {
    if (recordingTape != null) {
      Expr recorded = recorded(e, value);
      if (recorded != null) {
        return recorded;
      }
    } else if (forward != null && Exprs.variables(value).stream()
        .allMatch(v -> forwardReadable.test(v) || computedForward.contains(v))) {
      Variable t = new Variable(forwardName, value.type(), Variable.Kind.SYNTHETIC);
      computedForward.add(t);
      forward.add(new Stmt.Declare(t, value, Position.NONE));
      forwardValues.put(e, local(t));
      return local(t);
    }
    if (needed.getOrDefault(e, 0) <= 1 || isLoad(value)) {
      return value;
    }
    return local(temporary("t", value.type(), value));
  }

  /**
   * Inside a loop: {@code e}, whose value the reverse code would compute as {@code value},
   * computed by the forward sweep and recorded when that is cheaper (see {@link RecomputeCost});
   * returns the reverse code's local holding it, or null to recompute it. The forward sweep
   * computes {@code e} itself, reading the values it recorded before for this statement: it
   * must read only primal variables (no call, whose result the forward sweep holds elsewhere).
   */
  private Expr recorded(Expr e, Expr value) {
    if (!RecomputeCost.worthRecording(value) || containsCall(e)) {
      return null;
    }
    Expr computed = Exprs.replaceAll(e, forwardValues);
    if (!Exprs.variables(computed).stream()
        .allMatch(v -> forwardReadable.test(v) || computedForward.contains(v))) {
      return null;
    }
    Variable t = new Variable(forwardName, value.type(), Variable.Kind.SYNTHETIC);
    computedForward.add(t);
    forward.add(new Stmt.Declare(t, computed, Position.NONE));
    forwardValues.put(e, local(t));
    // Popped in the order the reverse code asks for them: the forward sweep pushes the last first.
    forwardPushes.add(0, new Stmt.Push(recordingTape, local(t)));
    if (popsAt < 0) {
      popsAt = out.size();
    }
    Variable popped = new Variable(forwardName, value.type(), Variable.Kind.SYNTHETIC);
    out.add(popsAt++, new Stmt.Declare(popped,
        new Expr.TapePop(context.useTape(), value.type()), Position.NONE));
    recordedForward.put(popped, t);
    return local(popped);
  }

  /** Whether {@code e} calls a method of the user's (its value the forward sweep holds elsewhere). */
  private static boolean containsCall(Expr e) {
    if (e instanceof Expr.Call) {
      return true;
    }
    for (Expr child : Exprs.children(e)) {
      if (containsCall(child)) {
        return true;
      }
    }
    return false;
  }

  /** {@code a[i]} or {@code a[i][j]} over atoms: as cheap to repeat as a local. */
  private static boolean isLoad(Expr e) {
    return e instanceof Expr.ArrayRead r && Exprs.isAtom(r.index())
        && (Exprs.isAtom(r.array()) || isLoad(r.array()));
  }

  /** A cheap reference to {@code e}'s value, computing it once into a local if needed. */
  private Expr value(Expr e) {
    if (RuleApplication.isCheap(e)) {
      return e;
    }
    Expr known = values.get(e);
    if (known != null) {
      if (known instanceof Expr.Local l && computedForward.contains(l.variable())) {
        forwardValues.put(e, known);
      } else if (known instanceof Expr.Local l && recordedForward.containsKey(l.variable())) {
        forwardValues.put(e, local(recordedForward.get(l.variable())));
      }
      return known;
    }
    Expr v;
    if (e instanceof Expr.Call c && context.isActive(c)
        && !c.callee().takesDifferentiableArrays()) {
      v = activeCallValue(c);
    } else {
      v = valueTemporary(e, Exprs.mapChildren(e, this::overValues));
    }
    values.put(e, v);
    return v;
  }

  /**
   * {@code e} written over the values already computed: subexpressions with a temporary, or
   * marked as needed (then computed now, first), read it. This is what makes temporaries
   * bottom-up: the temporary of a node reads those of its needed subexpressions.
   */
  private Expr overValues(Expr e) {
    Expr known = values.get(e);
    if (known != null) {
      return known;
    }
    if (needed.containsKey(e)) {
      return value(e);
    }
    return Exprs.mapChildren(e, this::overValues);
  }

  /** Notes {@code reads} reads of {@code e}'s value (a cheap one is read as it is). */
  private void need(Expr e, int reads) {
    if (!RuleApplication.isCheap(e)) {
      needed.merge(e, reads, Integer::sum);
    }
  }

  // ---------------------------------------------------------------- which values are needed

  /**
   * The first walk over the active part of an expression: marks the subexpressions whose value
   * some partial reads, mirroring {@link Send}, so that {@link #value} can compute inner
   * values first and outer values from them.
   */
  private final class Plan implements Expr.SourceVisitor<Void> {
    private void visit(Expr e) {
      if (context.isActive(e)) {
        e.accept(this);
      }
    }

    private Void rule(Intrinsic.Rule rule, Expr node, List<Expr> operands) {
      RuleApplication a = RuleApplication.of(rule, node, operands);
      for (int i = 0; i < operands.size(); i++) {
        if (context.isActive(operands.get(i)) && !a.isZero(i)) {
          a.valuesRead(i).forEach((value, reads) -> need(value, reads));
          visit(operands.get(i));
        }
      }
      return null;
    }

    @Override
    public Void visitLiteral(Expr.Literal e) {
      throw inactive(e);
    }

    @Override
    public Void visitFieldRead(Expr.FieldRead e) {
      throw inactive(e);
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
      throw inactive(e);
    }

    @Override
    public Void visitLocal(Expr.Local e) {
      return null;
    }

    @Override
    public Void visitArrayRead(Expr.ArrayRead e) {
      return null;
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
      e.elements().forEach(this::visit);
      return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return rule(operator(e).rule(), e, List.of(e.operand()));
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
      return rule(operator(e).rule(), e, List.of(e.left(), e.right()));
    }

    @Override
    public Void visitCast(Expr.Cast e) {
      return rule(Operator.CONVERT.rule(), e, List.of(e.operand()));
    }

    @Override
    public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
      return rule(e.intrinsic().rule(), e, e.arguments());
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
      // Each branch's adjoint code is written, with its own values, inside that branch.
      return null;
    }

    @Override
    public Void visitCall(Expr.Call c) {
      List<Expr> partials = callPartials.get(c);
      if (partials == null) {
        // Its adjoint is called here, with the arguments' values.
        for (Expr a : c.arguments()) {
          if (!(c.type() == Type.VOID && a.type().isArray())) {
            need(a, 1);
          }
        }
        if (!c.callee().takesDifferentiableArrays()) {
          need(c, 1);
        }
      }
      for (int i = 0; i < c.arguments().size(); i++) {
        Expr a = c.arguments().get(i);
        boolean differentiated = partials != null ? partials.get(i) != null
            : c.callee().differentiates(i) && c.callee().parameterTypes().get(i).isFloating();
        if (differentiated && !a.type().isArray()) {
          visit(a);
        }
      }
      return null;
    }
  }

  // ---------------------------------------------------------------- propagation

  /** Adds {@code g} times the derivative of {@code e} into the adjoints, without flushing. */
  private void send(Expr e, Expr g) {
    if (context.isActive(e)) {
      e.accept(new Send(g));
    }
  }

  /** {@code g} as an atom, through a temporary when it is not one (it is read more than once). */
  private Expr atomic(Expr g) {
    return RuleApplication.isCheap(g) ? g : local(temporary("g", g.type(), g));
  }

  /** The second walk: sends the incoming adjoint {@code g} of one active node to its operands. */
  private final class Send implements Expr.SourceVisitor<Void> {
    private final Expr g;

    Send(Expr g) {
      this.g = g;
    }

    /** For each active operand whose partial is not 0: g times the partial. */
    private Void rule(Intrinsic.Rule rule, Expr node, List<Expr> operands) {
      RuleApplication a = RuleApplication.of(rule, node, operands);
      List<Integer> live = new ArrayList<>();
      for (int i = 0; i < operands.size(); i++) {
        if (context.isActive(operands.get(i)) && !a.isZero(i)) {
          live.add(i);
        }
      }
      Expr incoming = live.size() > 1 ? atomic(g) : g;
      for (int i : live) {
        send(operands.get(i), mul(incoming, a.partial(i, ExpressionAdjoint.this::value)));
      }
      return null;
    }

    @Override
    public Void visitLiteral(Expr.Literal e) {
      throw inactive(e);
    }

    @Override
    public Void visitFieldRead(Expr.FieldRead e) {
      throw inactive(e);
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
      throw inactive(e);
    }

    @Override
    public Void visitLocal(Expr.Local e) {
      accumulations.addTo(context.adjoint(e.variable()), List.of(), g);
      return null;
    }

    @Override
    public Void visitArrayRead(Expr.ArrayRead r) {
      List<Expr> indices = new ArrayList<>();
      Expr base = r;
      while (base instanceof Expr.ArrayRead inner) {
        indices.add(0, inner.index());
        base = inner.array();
      }
      accumulations.addTo(context.adjoint(((Expr.Local) base).variable()), indices, g);
      return null;
    }

    @Override
    public Void visitNewArray(Expr.NewArray n) {
      for (int k = 0; k < n.elements().size(); k++) {
        send(n.elements().get(k),
            new Expr.ArrayRead(g, Expr.Literal.ofInt(k), g.type().element()));
      }
      return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return rule(operator(e).rule(), e, List.of(e.operand()));
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
      return rule(operator(e).rule(), e, List.of(e.left(), e.right()));
    }

    @Override
    public Void visitCast(Expr.Cast e) {
      return rule(Operator.CONVERT.rule(), e, List.of(e.operand()));
    }

    @Override
    public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
      return rule(e.intrinsic().rule(), e, e.arguments());
    }

    @Override
    public Void visitConditional(Expr.Conditional c) {
      Expr incoming = atomic(g);
      List<Stmt> whenTrue = new ArrayList<>();
      List<Stmt> whenFalse = new ArrayList<>();
      new ExpressionAdjoint(context, whenTrue).propagate(c.whenTrue(), incoming);
      new ExpressionAdjoint(context, whenFalse).propagate(c.whenFalse(), incoming);
      out.add(new Stmt.If(c.condition(), Block.of(whenTrue), Block.of(whenFalse)));
      return null;
    }

    @Override
    public Void visitCall(Expr.Call c) {
      call(c, g);
      return null;
    }
  }

  private static Operator operator(Expr.Unary e) {
    return Operator.of(e.op()).orElseThrow(() -> new IllegalStateException(
        "an active " + e.op() + " cannot appear here: its result carries no derivative"));
  }

  private static Operator operator(Expr.Binary e) {
    return Operator.of(e.op()).orElseThrow(() -> new IllegalStateException(
        "an active " + e.op() + " cannot appear here: its result carries no derivative"));
  }

  private static IllegalStateException inactive(Expr e) {
    return new IllegalStateException(
        e.getClass().getSimpleName() + " carries no derivative and cannot be active");
  }

  // ---------------------------------------------------------------- calls

  private void call(Expr.Call c, Expr g) {
    if (c.callee().takesDifferentiableArrays() && !callPartials.containsKey(c)) {
      writeSeededCall(c, g);
      return;
    }
    if (!callPartials.containsKey(c)) {
      value(c);
    }
    List<Expr> partials = callPartials.get(c);
    Expr incoming = partials.stream().filter(p -> p != null).count() > 1 ? atomic(g) : g;
    for (int i = 0; i < partials.size(); i++) {
      if (partials.get(i) == null) {
        continue;
      }
      if (c.arguments().get(i).type().isArray()) {
        addScaledArray(c.arguments().get(i), incoming, partials.get(i));
      } else {
        send(c.arguments().get(i), mul(incoming, partials.get(i)));
      }
    }
  }

  /** {@code arrayBar[j] += g * partials[j]} for every j: a recorded array partial. */
  private void addScaledArray(Expr array, Expr g, Expr partials) {
    Expr scale = atomic(g);
    Expr bar = adjointArray(array);
    Variable j = new Variable("j", Type.INT, Variable.Kind.SYNTHETIC);
    Expr at = local(j);
    Stmt add = new Stmt.ArrayWrite(((Expr.Local) bar).variable(), List.of(at),
        add(new Expr.ArrayRead(bar, at, Type.DOUBLE),
            mul(scale, new Expr.ArrayRead(partials, at, Type.DOUBLE))), Position.NONE);
    out.add(Stmt.Loop.unlabelled(List.of(new Stmt.Declare(j, Expr.Literal.ofInt(0),
            Position.NONE)),
        Exprs.binary(Expr.BinaryOp.LESS, at, new Expr.ArrayLength(partials)),
        List.of(new Stmt.Assign(j, Exprs.binary(Expr.BinaryOp.ADD, at, Expr.Literal.ofInt(1)),
            Position.NONE)),
        Block.of(List.of(add)), true, Position.NONE));
  }

  /**
   * A callee with array parameters adds its array partials straight into the caller's
   * adjoint arrays, so it is called once with the final seed {@code g}; a void helper (no
   * seed: {@code g} empty) takes its arrays' adjoints as the seed.
   */
  void seededCall(Expr.Call c, Optional<Expr> g) {
    plan(c);
    writeSeededCall(c, g.orElse(null));
    accumulations.flushInto(out);
  }

  private void writeSeededCall(Expr.Call c, Expr g) {
    // A void helper writes its array arguments: it gets copies, the caller's stay restored.
    List<Expr> args = c.arguments().stream()
        .map(a -> c.type() == Type.VOID && a.type().isArray() ? new Expr.ArrayCopy(a)
            : value(a))
        .toList();
    int arity = c.callee().differentiableArity();
    Variable scratch = clearedScratch(arity);
    List<Expr> arrayAdjoints = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      Type t = c.callee().parameterTypes().get(i);
      if (t.isArray() && c.callee().differentiates(i)) {
        Expr arg = c.arguments().get(i);
        arrayAdjoints.add(context.isActive(arg) ? adjointArray(arg) : new Expr.NullArray(t));
      }
    }
    // The callee reads and adds into the adjoint arrays: the pending additions go first.
    accumulations.flushInto(out);
    out.add(new Stmt.Evaluate(new Expr.AdjointCall(c.callee(), args, Optional.ofNullable(g),
        arity > 0 ? Optional.of(scratch) : Optional.empty(), arrayAdjoints, context.useTape())));
    List<Expr> pending = new ArrayList<>();
    List<Expr> pendingAdjoints = new ArrayList<>();
    int j = 0;
    for (int i = 0; i < args.size(); i++) {
      if (!c.callee().parameterTypes().get(i).isFloating() || !c.callee().differentiates(i)) {
        continue;
      }
      Expr arg = c.arguments().get(i);
      if (context.isActive(arg)) {
        pending.add(arg);
        pendingAdjoints.add(local(temporary("d" + capitalize(
            c.callee().name()), Type.DOUBLE, new Expr.Element(scratch, j))));
      }
      j++;
    }
    for (int i = 0; i < pending.size(); i++) {
      send(pending.get(i), pendingAdjoints.get(i));
    }
  }

  /** The adjoint of an array argument: {@code aBar} for {@code a}, {@code wBar[r]} for a row. */
  private Expr adjointArray(Expr array) {
    if (array instanceof Expr.Local l) {
      return local(context.adjoint(l.variable()));
    }
    Expr.ArrayRead row = (Expr.ArrayRead) array;
    return new Expr.ArrayRead(adjointArray(row.array()), row.index(), row.type());
  }

  /**
   * An active call's value comes from the callee's adjoint with seed 1, which also leaves
   * its partial derivatives in the scratch array: they are copied out at once (the next
   * call reuses the array), and the call is then differentiated like an intrinsic.
   */
  private Expr activeCallValue(Expr.Call c) {
    List<Expr> args = c.arguments().stream().map(this::value).toList();
    int arity = c.callee().differentiableArity();
    Variable scratch = clearedScratch(arity);
    Variable value = temporary(c.callee().name(), c.type(),
        new Expr.AdjointCall(c.callee(), args, Optional.of(Exprs.lit(1)), Optional.of(scratch),
            List.of(), context.useTape()));
    List<Expr> partials = new ArrayList<>();
    int j = 0;
    for (int i = 0; i < args.size(); i++) {
      if (!c.callee().parameterTypes().get(i).isFloating() || !c.callee().differentiates(i)) {
        partials.add(null);
        continue;
      }
      partials.add(context.isActive(c.arguments().get(i))
          ? local(temporary("d" + capitalize(c.callee().name()),
              Type.DOUBLE, new Expr.Element(scratch, j)))
          : null);
      j++;
    }
    callPartials.put(c, partials);
    return local(value);
  }

  /** The scratch array with its first {@code slots} zeroed, for a callee to add its partials. */
  private Variable clearedScratch(int slots) {
    Variable scratch = context.useScratch(slots);
    for (int j = 0; j < slots; j++) {
      out.add(new Stmt.ElementAssign(scratch, j, Exprs.lit(0)));
    }
    return scratch;
  }
}
