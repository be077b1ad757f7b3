package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Identifiers.capitalize;
import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.local;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.Binary;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Writes the adjoint code of one expression: partials of each node times the incoming
 * adjoint, accumulated into the adjoints of the variables at the leaves.
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
  private final Map<Expr, Expr> values = new IdentityHashMap<>();
  private final Map<Expr.Call, List<Expr>> callPartials = new IdentityHashMap<>();

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
   * Where values the reverse code needs are computed instead, when the statement runs once: the
   * forward sweep computes them there and then, and the reverse code reads them (null: in the
   * reverse code).
   */
  private List<Stmt> forward;
  private Predicate<Variable> forwardReadable;
  private final Map<Expr, Expr> forwardValues = new IdentityHashMap<>();
  private final Set<Variable> computedForward = new HashSet<>();

  /**
   * Lets values of the statement's own expression be computed by the forward sweep, into
   * {@code forward}, when every variable they read satisfies {@code readable}.
   */
  void computeValuesForward(List<Stmt> forward, Predicate<Variable> readable) {
    this.forward = forward;
    this.forwardReadable = readable;
  }

  /** The statement's subexpressions the forward sweep now computes, and the locals holding them. */
  Map<Expr, Expr> forwardValues() {
    return forwardValues;
  }

  /** A local holding a value of the statement, computed forward where possible. */
  private Expr valueTemporary(Expr e, Expr value) {
    if (forward != null && Exprs.variables(value).stream()
        .allMatch(v -> forwardReadable.test(v) || computedForward.contains(v))) {
      Variable t = new Variable("t", value.type(), Variable.Kind.SYNTHETIC);
      computedForward.add(t);
      forward.add(new Stmt.Declare(t, value, Position.NONE));
      forwardValues.put(e, local(t));
      return local(t);
    }
    return local(temporary("t", value.type(), value));
  }

  /** Declares a synthetic local holding {@code value}. */
  Variable temporary(String name, Type type, Expr value) {
    Variable t = new Variable(name, type, Variable.Kind.SYNTHETIC);
    out.add(new Stmt.Declare(t, value, Position.NONE));
    return t;
  }

  /** A cheap reference to {@code e}'s value, computing it once into a local if needed. */
  private Expr value(Expr e) {
    if (Exprs.isAtom(e)) {
      return e;
    }
    Expr known = values.get(e);
    if (known != null) {
      return known;
    }
    if (e instanceof Expr.Call c && context.isActive(c)
        && !c.callee().takesDifferentiableArrays()) {
      Expr v = activeCallValue(c);
      values.put(e, v);
      return v;
    }
    Expr rebuilt = Exprs.mapChildren(e, c -> values.getOrDefault(c, c));
    Expr v = valueTemporary(e, rebuilt);
    values.put(e, v);
    return v;
  }

  /** Adds {@code g} times the derivative of {@code e} into the adjoints of its variables. */
  void propagate(Expr e, Expr g) {
    if (!context.isActive(e)) {
      return;
    }
    if (e instanceof Expr.Local l) {
      Variable bar = context.adjoint(l.variable());
      out.add(new Stmt.Assign(bar, add(local(bar), g), Position.NONE));
      return;
    }
    if (e instanceof Expr.ArrayRead r) {
      List<Expr> indices = new ArrayList<>();
      Expr base = r;
      while (base instanceof Expr.ArrayRead inner) {
        indices.add(0, inner.index());
        base = inner.array();
      }
      Variable bar = context.adjoint(((Expr.Local) base).variable());
      out.add(new Stmt.ArrayWrite(bar, indices,
          add(Exprs.element(bar, indices), g), Position.NONE));
      return;
    }
    if (e instanceof Expr.NewArray n) {
      for (int k = 0; k < n.elements().size(); k++) {
        propagate(n.elements().get(k), new Expr.ArrayRead(g, Expr.Literal.ofInt(k),
            g.type().element()));
      }
      return;
    }
    if (!Exprs.isAtom(g)) {
      g = local(temporary("g", Type.DOUBLE, g));
    }
    if (e instanceof Expr.Cast c) {
      propagate(c.operand(), g);
    } else if (e instanceof Expr.Unary u) {
      propagate(u.operand(), u.op() == Expr.UnaryOp.NEGATE ? neg(g) : g);
    } else if (e instanceof Binary b) {
      binary(b, g);
    } else if (e instanceof Expr.Conditional c) {
      List<Stmt> whenTrue = new ArrayList<>();
      List<Stmt> whenFalse = new ArrayList<>();
      Expr condition = c.condition();
      new ExpressionAdjoint(context, whenTrue).propagate(c.whenTrue(), g);
      new ExpressionAdjoint(context, whenFalse).propagate(c.whenFalse(), g);
      out.add(new Stmt.If(condition, Block.of(whenTrue), Block.of(whenFalse)));
    } else if (e instanceof Expr.IntrinsicCall c) {
      intrinsic(c, g);
    } else if (e instanceof Expr.Call c) {
      call(c, g);
    }
  }

  private void binary(Binary b, Expr g) {
    Expr l = b.left();
    Expr r = b.right();
    switch (b.op()) {
      case ADD -> {
        propagate(l, g);
        propagate(r, g);
      }
      case SUBTRACT -> {
        propagate(l, g);
        propagate(r, neg(g));
      }
      case MULTIPLY -> {
        if (context.isActive(l)) {
          propagate(l, mul(g, value(r)));
        }
        if (context.isActive(r)) {
          propagate(r, mul(g, value(l)));
        }
      }
      case DIVIDE -> {
        Expr denominator = value(r);
        if (context.isActive(l)) {
          propagate(l, div(g, denominator));
        }
        if (context.isActive(r)) {
          propagate(r, neg(div(mul(g, value(l)), mul(denominator, denominator))));
        }
      }
      case REMAINDER -> {
        // a % b = a - q b with q = trunc(a / b), constant where a % b is differentiable.
        propagate(l, g);
        if (context.isActive(r)) {
          Expr quotient = div(sub(value(l), value(b)), value(r));
          propagate(r, neg(mul(g, quotient)));
        }
      }
      default -> {}
    }
  }

  private void intrinsic(Expr.IntrinsicCall c, Expr g) {
    List<Expr> args = c.arguments().stream().map(this::value).toList();
    Variable resultPlaceholder = new Variable("r", c.type(), Variable.Kind.SYNTHETIC);
    List<Expr> partials = c.intrinsic().rule().partials(args, local(resultPlaceholder));
    Expr result = null;
    for (int i = 0; i < args.size(); i++) {
      Expr arg = c.arguments().get(i);
      if (!context.isActive(arg)) {
        continue;
      }
      Expr partial = partials.get(i);
      if (Exprs.isZero(partial)) {
        continue;
      }
      if (Exprs.variables(partial).contains(resultPlaceholder)) {
        if (result == null) {
          result = values.get(c);
        }
        if (result == null) {
          result = valueTemporary(c, new Expr.IntrinsicCall(c.intrinsic(), args,
              c.type(), c.strict(), c.position()));
          values.put(c, result);
        }
        partial = Exprs.substitute(partial, resultPlaceholder, result);
      }
      propagate(arg, mul(g, partial));
    }
  }

  private void call(Expr.Call c, Expr g) {
    if (c.callee().takesDifferentiableArrays() && !callPartials.containsKey(c)) {
      seededCall(c, g);
      return;
    }
    if (!callPartials.containsKey(c)) {
      values.put(c, activeCallValue(c));
    }
    List<Expr> partials = callPartials.get(c);
    for (int i = 0; i < partials.size(); i++) {
      if (partials.get(i) == null) {
        continue;
      }
      if (c.arguments().get(i).type().isArray()) {
        addScaledArray(c.arguments().get(i), g, partials.get(i));
      } else {
        propagate(c.arguments().get(i), mul(g, partials.get(i)));
      }
    }
  }

  /** {@code arrayBar[j] += g * partials[j]} for every j: a recorded array partial. */
  private void addScaledArray(Expr array, Expr g, Expr partials) {
    Expr scale = Exprs.isAtom(g) ? g : local(temporary("g", Type.DOUBLE, g));
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
   * adjoint arrays, so it is called once with the final seed {@code g}.
   */
  void seededCall(Expr.Call c, Expr g) {
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
      propagate(pending.get(i), pendingAdjoints.get(i));
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
