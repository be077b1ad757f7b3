package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * For the vector reverse mode ({@link VectorLanes}): which values the forward sweep computed are
 * still held by its variables where each statement of the reverse sweep runs, so that a lane
 * statement's partial (the {@code Math.cos(theta)} of {@code sin = Math.sin(theta)}'s reverse)
 * reads the variable the forward sweep assigned it to ({@code cos}) instead of computing it
 * again: available expressions over the forward sweep followed by the reverse sweep, as they
 * run one after the other in the vector entry points.
 *
 * <p>A value {@code v = e} is available from that assignment until {@code v} or a variable
 * {@code e} reads is assigned again. After an {@code if}, a value is available when both
 * branches leave it; a later {@code if} on the same condition (the reverse sweep mirrors the
 * forward sweep's branches), whose variables nothing assigned since, starts each branch with
 * what the same branch of the earlier one left. A loop keeps what it assigns nothing of. Only
 * values worth reusing and safe to compare qualify: operators, conversions and {@code Math}
 * functions of scalar variables, literals and constants (no element read, whose array another
 * variable might alias, and no call of a method), assigned to a variable declared where the
 * reverse sweep sees it (the hoisted declarations, the top level of either sweep, a
 * parameter).
 */
final class AvailableValues {
  /** A value held by a variable, and the variables it was computed from. */
  private record Held(Variable variable, Set<Variable> reads) {}

  /** What the branches of an {@code if} on a condition left, while the condition holds. */
  private record Branches(Object condition, Set<Variable> reads, Map<Object, Held> then,
      Map<Object, Held> otherwise) {}

  /** The state at a point: the values held, the branches remembered. */
  private record State(Map<Object, Held> held, List<Branches> branches) {
    State copy() {
      List<Branches> b = new ArrayList<>();
      for (Branches x : branches) {
        b.add(new Branches(x.condition(), x.reads(), new LinkedHashMap<>(x.then()),
            new LinkedHashMap<>(x.otherwise())));
      }
      return new State(new LinkedHashMap<>(held), b);
    }

    void kill(Set<Variable> assigned) {
      if (assigned.isEmpty()) {
        return;
      }
      killIn(held, assigned);
      branches.removeIf(b -> overlaps(b.reads(), assigned));
      for (Branches b : branches) {
        killIn(b.then(), assigned);
        killIn(b.otherwise(), assigned);
      }
    }

    private static void killIn(Map<Object, Held> values, Set<Variable> assigned) {
      values.values().removeIf(h -> assigned.contains(h.variable())
          || overlaps(h.reads(), assigned));
    }
  }

  private final Set<Variable> visible = new HashSet<>();
  private final Set<Variable> excluded;
  private final Map<Stmt, Map<Object, Variable>> before = new IdentityHashMap<>();
  private boolean recording;

  private AvailableValues(Set<Variable> excluded) {
    this.excluded = excluded;
  }

  /**
   * Per leaf statement of {@code reverse} (by identity), the values available just before it:
   * by {@link #key}, the variable holding it. {@code reverse} runs right after {@code a}'s
   * hoisted declarations and forward sweep; {@code excluded} (the lane variables) neither hold
   * nor are read by a value.
   */
  static Map<Stmt, Map<Object, Variable>> before(Adjoint a, List<Stmt> reverse,
      Set<Variable> excluded) {
    AvailableValues v = new AvailableValues(excluded);
    v.visible.addAll(a.method().parameters());
    for (List<Stmt> sweep : List.of(a.hoisted(), a.forward(), reverse)) {
      for (Stmt s : sweep) {
        if (s instanceof Stmt.Declare d) {
          v.visible.add(d.variable());
        }
      }
    }
    State state = new State(new LinkedHashMap<>(), new ArrayList<>());
    state = v.all(a.hoisted(), state);
    state = v.all(a.forward(), state);
    v.recording = true;
    v.all(reverse, state);
    return v.before;
  }

  /**
   * A value that compares equal to every expression computing the same value from the same
   * variables (positions ignored), or empty for an expression that does not qualify (see the
   * class comment).
   */
  static Optional<Object> key(Expr e) {
    return Optional.ofNullable(e.accept(Key.INSTANCE));
  }

  private static boolean overlaps(Set<Variable> a, Set<Variable> b) {
    for (Variable x : a) {
      if (b.contains(x)) {
        return true;
      }
    }
    return false;
  }

  private State all(List<Stmt> statements, State state) {
    for (Stmt s : statements) {
      state = one(s, state);
    }
    return state;
  }

  private State one(Stmt s, State state) {
    // Shape tests, not a dispatch: ifs, loops and blocks nest; every other statement is a leaf
    // whose writes end the values they change.
    if (s instanceof Stmt.If f) {
      return ifStatement(f, state);
    }
    if (s instanceof Stmt.Loop l) {
      state.kill(Statements.assigned(l));
      State inside = state.copy();
      all(l.init(), inside);
      // What the init leaves may be changed by the loop before any later iteration.
      inside.kill(Statements.assigned(l));
      all(l.body().statements(), inside);
      all(l.update(), inside);
      return state;
    }
    if (s instanceof Stmt.Block b) {
      return all(b.statements(), state);
    }
    if (recording) {
      Map<Object, Variable> now = new LinkedHashMap<>();
      state.held().forEach((k, h) -> now.put(k, h.variable()));
      before.put(s, now);
    }
    state.kill(Statements.assigned(s));
    Variable target = null;
    Expr value = null;
    if (s instanceof Stmt.Declare d && d.init().isPresent()) {
      target = d.variable();
      value = d.init().get();
    } else if (s instanceof Stmt.Assign a) {
      target = a.variable();
      value = a.value();
    }
    if (target != null && visible.contains(target) && !excluded.contains(target)
        && !Exprs.isAtom(value)) {
      Set<Variable> reads = Exprs.variables(value);
      Optional<Object> key = key(value);
      if (key.isPresent() && !reads.contains(target) && !overlaps(reads, excluded)) {
        state.held().put(key.get(), new Held(target, reads));
      }
    }
    return state;
  }

  private State ifStatement(Stmt.If f, State state) {
    Optional<Object> condition = key(f.condition());
    Set<Variable> reads = Exprs.variables(f.condition());
    State then = state.copy();
    State otherwise = state.copy();
    if (condition.isPresent()) {
      for (Branches b : state.branches()) {
        if (b.condition().equals(condition.get())) {
          b.then().forEach(then.held()::putIfAbsent);
          b.otherwise().forEach(otherwise.held()::putIfAbsent);
        }
      }
    }
    then = all(f.thenBlock().statements(), then);
    otherwise = all(f.elseBlock().statements(), otherwise);
    state.kill(Statements.assigned(f));
    Map<Object, Held> both = new LinkedHashMap<>();
    for (Map.Entry<Object, Held> e : then.held().entrySet()) {
      if (e.getValue().equals(otherwise.held().get(e.getKey()))) {
        both.put(e.getKey(), e.getValue());
      }
    }
    state.held().putAll(both);
    if (condition.isPresent() && !overlaps(reads, Statements.assigned(f))
        && !overlaps(reads, excluded)) {
      state.branches().add(new Branches(condition.get(), reads, then.held(), otherwise.held()));
    }
    return state;
  }

  /** The comparison key of an expression, null where it does not qualify. */
  private static final class Key implements Expr.Visitor<Object> {
    static final Key INSTANCE = new Key();

    private Object of(Expr e) {
      return e.accept(this);
    }

    private static List<Object> list(Object... parts) {
      for (Object p : parts) {
        if (p == null) {
          return null;
        }
      }
      return List.of(parts);
    }

    @Override
    public Object visitLiteral(Expr.Literal e) {
      return list("literal", e.type(), e.value());
    }

    @Override
    public Object visitLocal(Expr.Local e) {
      return e.type().isArray() ? null : list("local", e.variable());
    }

    @Override
    public Object visitFieldRead(Expr.FieldRead e) {
      return list("field", e.ownerQualifiedName(), e.name(), e.type());
    }

    @Override
    public Object visitUnary(Expr.Unary e) {
      return list("unary", e.op(), e.type(), of(e.operand()));
    }

    @Override
    public Object visitBinary(Expr.Binary e) {
      return list("binary", e.op(), e.type(), of(e.left()), of(e.right()));
    }

    @Override
    public Object visitConditional(Expr.Conditional e) {
      return list("conditional", e.type(), of(e.condition()), of(e.whenTrue()),
          of(e.whenFalse()));
    }

    @Override
    public Object visitCast(Expr.Cast e) {
      return list("cast", e.type(), of(e.operand()));
    }

    @Override
    public Object visitIntrinsicCall(Expr.IntrinsicCall e) {
      List<Object> arguments = new ArrayList<>();
      for (Expr a : e.arguments()) {
        Object k = of(a);
        if (k == null) {
          return null;
        }
        arguments.add(k);
      }
      return list("intrinsic", e.intrinsic(), e.type(), e.strict(), arguments);
    }

    @Override
    public Object visitCall(Expr.Call e) {
      return null;
    }

    @Override
    public Object visitArrayRead(Expr.ArrayRead e) {
      return null;
    }

    @Override
    public Object visitArrayLength(Expr.ArrayLength e) {
      return null;
    }

    @Override
    public Object visitNewArray(Expr.NewArray e) {
      return null;
    }

    @Override
    public Object visitAdjointCall(Expr.AdjointCall e) {
      return null;
    }

    @Override
    public Object visitArrayCopy(Expr.ArrayCopy e) {
      return null;
    }

    @Override
    public Object visitBorrow(Expr.Borrow e) {
      return null;
    }

    @Override
    public Object visitTapePop(Expr.TapePop e) {
      return null;
    }

    @Override
    public Object visitElement(Expr.Element e) {
      return null;
    }

    @Override
    public Object visitNullArray(Expr.NullArray e) {
      return null;
    }
  }
}
