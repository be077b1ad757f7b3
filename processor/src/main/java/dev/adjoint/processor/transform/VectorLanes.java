package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Vector reverse mode: the reverse sweep of an {@link Adjoint} rewritten to carry {@code lanes}
 * output seeds at once, for a method whose array result has a length known at compile time
 * (the rows of a Jacobian with few outputs in one sweep).
 *
 * <p>Every adjoint variable, and every temporary of the reverse sweep computed from one, becomes
 * {@code lanes} scalar (or array) variables, one per seed ({@code xBar} gives {@code xBar_0},
 * {@code xBar_1}, ...). A statement that updates adjoints is written once per lane, the lanes side
 * by side; a statement that only restores primal values (a pop, a restored element, a loop
 * counter, a recorded branch decision) is written once, so the primal values are restored once
 * for all lanes. An {@code if} or loop whose header reads only primal values keeps one header
 * and has its body rewritten; one whose header reads an adjoint (the {@code if (sum != 0.0)} of
 * a sum kept in a local) and that restores nothing is written once per lane.
 *
 * <p>{@link #of} gives nothing (the caller then runs one reverse sweep per seed) when the
 * reverse sweep runs callees' adjoints (joint mode: a callee's adjoint would run once per
 * lane), borrows or releases scratch, restores a value inside a statement whose header reads an
 * adjoint, or has an adjoint that is not a {@code double} or a {@code double[]}.
 */
public final class VectorLanes {
  /**
   * The rewritten reverse sweep and, per adjoint variable of the scalar sweep, its lane copies.
   *
   * @param reverse the reverse sweep for all lanes
   * @param lanesOf per adjoint variable (values of {@link Adjoint#adjointOf()} and of {@link
   *     Adjoint#retainedAdjoints()}) that stays a variable, its copy in each lane, lane 0 first
   * @param elementsOf per array adjoint whose elements became scalars (every use in the sweep
   *     an element at a constant index), per index used, the element's copy in each lane; such
   *     an adjoint has no entry in {@code lanesOf}
   */
  public record Result(List<Stmt> reverse, Map<Variable, List<Variable>> lanesOf,
      Map<Variable, SortedMap<Integer, List<Variable>>> elementsOf) {
    /**
     * The lane copies of element {@code index} of the array adjoint {@code root} when its
     * elements are scalars ({@link #elementsOf}), else empty.
     */
    public Optional<List<Variable>> element(Variable root, int index) {
      SortedMap<Integer, List<Variable>> elements = elementsOf.get(root);
      return elements == null ? Optional.empty() : Optional.ofNullable(elements.get(index));
    }
  }

  private final int lanes;
  private final Set<Variable> lane = new HashSet<>();
  private final Map<Variable, List<Variable>> copies = new LinkedHashMap<>();
  private int pops;
  private int sharedLocals;
  private Map<Stmt, Map<Object, Variable>> available = Map.of();
  private final Map<String, Integer> stems = new java.util.HashMap<>();

  private VectorLanes(int lanes) {
    this.lanes = lanes;
  }

  /**
   * The reverse sweep of {@code a} for {@code lanes} seeds, or empty when it cannot be written
   * lane by lane (see the class comment).
   */
  public static Optional<Result> of(Adjoint a, int lanes) {
    if (lanes < 1 || a.custom().isPresent() || a.scratch().isPresent()) {
      return Optional.empty();
    }
    VectorLanes v = new VectorLanes(lanes);
    Set<Variable> roots = new LinkedHashSet<>(a.adjointOf().values());
    roots.addAll(a.retainedAdjoints().values());
    for (Variable r : roots) {
      if (r.type() != Type.DOUBLE && r.type() != Type.DOUBLE_ARRAY) {
        return Optional.empty();
      }
    }
    Map<Variable, SortedMap<Integer, Variable>> elements = ElementScalars.of(a, roots, lanes);
    List<Stmt> reverse = ElementScalars.rewrite(a.reverse(), elements);
    Set<Variable> laneRoots = new LinkedHashSet<>(roots);
    laneRoots.removeAll(elements.keySet());
    elements.values().forEach(byIndex -> laneRoots.addAll(byIndex.values()));
    v.lane.addAll(laneRoots);
    v.classify(reverse);
    // Every other lane variable must be declared by the reverse sweep itself.
    Set<Variable> declared = new HashSet<>();
    reverse.forEach(s -> declaredIn(s, declared));
    for (Variable x : v.lane) {
      if (!laneRoots.contains(x) && !declared.contains(x)) {
        return Optional.empty();
      }
    }
    v.available = AvailableValues.before(a, reverse, v.lane);
    try {
      List<Stmt> out = v.rewrite(reverse);
      Map<Variable, List<Variable>> lanesOf = new LinkedHashMap<>();
      Map<Variable, SortedMap<Integer, List<Variable>>> elementsOf = new LinkedHashMap<>();
      for (Variable r : roots) {
        SortedMap<Integer, Variable> byIndex = elements.get(r);
        if (byIndex == null) {
          lanesOf.put(r, v.copiesOf(r));
        } else {
          SortedMap<Integer, List<Variable>> copies = new TreeMap<>();
          byIndex.forEach((index, x) -> copies.put(index, v.copiesOf(x)));
          elementsOf.put(r, copies);
        }
      }
      return Optional.of(new Result(out, lanesOf, elementsOf));
    } catch (Unsupported e) {
      return Optional.empty();
    }
  }

  /**
   * The length of the method's array result when the code fixes it: the result is a local
   * declared once as {@code new double[c]} with a literal {@code c}, or with an initializer list
   * (a record result is the latter); empty otherwise (the length is then known at run time
   * only).
   */
  public static java.util.OptionalInt resultLength(Adjoint a) {
    Variable result = a.method().result();
    if (result == null || result.type() != Type.DOUBLE_ARRAY) {
      return java.util.OptionalInt.empty();
    }
    List<Stmt.Declare> found = new ArrayList<>();
    List<Stmt> all = new ArrayList<>(a.hoisted());
    all.addAll(a.forward());
    all.forEach(s -> declarationsOf(s, result, found));
    if (found.size() != 1 || found.get(0).init().isEmpty()
        || !(found.get(0).init().get() instanceof Expr.NewArray n)) {
      return java.util.OptionalInt.empty();
    }
    if (!n.elements().isEmpty()) {
      return java.util.OptionalInt.of(n.elements().size());
    }
    if (n.dimensions().size() == 1 && n.dimensions().get(0) instanceof Expr.Literal l
        && l.value() instanceof Integer length) {
      return java.util.OptionalInt.of(length);
    }
    return java.util.OptionalInt.empty();
  }

  private static void declarationsOf(Stmt s, Variable v, List<Stmt.Declare> out) {
    if (s instanceof Stmt.Declare d && d.variable() == v) {
      out.add(d);
    }
    Statements.children(s).forEach(c -> declarationsOf(c, v, out));
  }

  /** Thrown where a statement cannot be written lane by lane. */
  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  // ------------------------------------------------------------------ which variables are lanes

  /**
   * The variables computed from adjoints, to a fixed point: the target of a statement reading
   * a lane variable, or nested in an {@code if} or loop whose header reads one.
   */
  private void classify(List<Stmt> reverse) {
    boolean changed = true;
    while (changed) {
      int before = lane.size();
      reverse.forEach(s -> classify(s, false));
      changed = lane.size() != before;
    }
  }

  private void classify(Stmt s, boolean underLane) {
    List<Stmt> children = Statements.children(s);
    boolean readsLane = Statements.expressions(s).stream().anyMatch(this::readsLane);
    if (children.isEmpty()) {
      if (underLane || readsLane) {
        lane.addAll(Statements.assigned(s));
      }
      return;
    }
    boolean header = underLane || readsLane || headerReadsLane(s);
    children.forEach(c -> classify(c, header));
  }

  /** Whether a loop's init or update statements read or write a lane variable. */
  private boolean headerReadsLane(Stmt s) {
    if (s instanceof Stmt.Loop l) {
      List<Stmt> header = new ArrayList<>(l.init());
      header.addAll(l.update());
      return header.stream().anyMatch(this::mentionsLane);
    }
    return false;
  }

  private boolean readsLane(Expr e) {
    for (Variable x : Exprs.variables(e)) {
      if (lane.contains(x)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code s} or a statement nested in it reads or writes a lane variable. */
  private boolean mentionsLane(Stmt s) {
    if (Statements.expressions(s).stream().anyMatch(this::readsLane)) {
      return true;
    }
    for (Variable x : Statements.assigned(s)) {
      if (lane.contains(x)) {
        return true;
      }
    }
    return Statements.children(s).stream().anyMatch(this::mentionsLane);
  }

  private static void declaredIn(Stmt s, Set<Variable> out) {
    if (s instanceof Stmt.Declare d) {
      out.add(d.variable());
    }
    Statements.children(s).forEach(c -> declaredIn(c, out));
  }

  /** Whether {@code s} or a nested statement uses the tape or scratch (a sweep node). */
  private static boolean touchesTape(Stmt s) {
    if (s instanceof Stmt.Sweep) {
      return true;
    }
    for (Expr e : Statements.expressions(s)) {
      if (hasSweepExpr(e)) {
        return true;
      }
    }
    return Statements.children(s).stream().anyMatch(VectorLanes::touchesTape);
  }

  private static boolean hasSweepExpr(Expr e) {
    if (e instanceof Expr.Sweep) {
      return true;
    }
    return Exprs.children(e).stream().anyMatch(VectorLanes::hasSweepExpr);
  }

  // ------------------------------------------------------------------ rewriting

  private List<Variable> copiesOf(Variable v) {
    return copies.computeIfAbsent(v, x -> {
      // Variables of one name (the transform's temporaries g, g, ...) are numbered here, before
      // the lane: g_0, g_1, then g2_0, g2_1.
      int n = stems.merge(x.name(), 1, Integer::sum);
      String stem = n == 1 ? x.name() : x.name() + n;
      List<Variable> c = new ArrayList<>();
      for (int k = 0; k < lanes; k++) {
        c.add(new Variable(stem + "_" + k, x.sourceName(), x.type(), Variable.Kind.SYNTHETIC));
      }
      return List.copyOf(c);
    });
  }

  private Variable inLane(Variable v, int k) {
    return lane.contains(v) ? copiesOf(v).get(k) : v;
  }

  private Expr inLane(Expr e, int k) {
    // A shape test, not a dispatch: only reads of lane variables are replaced.
    if (e instanceof Expr.Local l) {
      return lane.contains(l.variable()) ? Exprs.local(inLane(l.variable(), k)) : e;
    }
    return Exprs.mapChildren(e, child -> inLane(child, k));
  }

  private List<Stmt> rewrite(List<Stmt> statements) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : statements) {
      out.addAll(rewrite(s));
    }
    return out;
  }

  private List<Stmt> rewrite(Stmt s) {
    if (!mentionsLane(s)) {
      return List.of(s);
    }
    return s.accept(new Rewrite());
  }

  /** {@code s} once per lane, every lane variable renamed to its copy. */
  private List<Stmt> perLane(Stmt s) {
    List<Stmt> out = new ArrayList<>();
    for (int k = 0; k < lanes; k++) {
      out.add(s.accept(new Rename(k)));
    }
    return out;
  }

  /**
   * A statement mentioning lanes: a leaf updating adjoints is written per lane (its pops taken
   * out first, once for all lanes); a compound one keeps its header when the header is primal,
   * and is written per lane when the header reads an adjoint and it touches no tape.
   */
  private final class Rewrite implements Stmt.Visitor<List<Stmt>> {
    private List<Stmt> leaf(Stmt s) {
      List<Stmt> out = new ArrayList<>();
      Map<Expr, Expr> popped = new IdentityHashMap<>();
      for (Expr e : Statements.expressions(s)) {
        hoistPops(e, popped, out);
      }
      Stmt rest = popped.isEmpty() ? s : s.accept(new Replace(popped));
      if (touchesTape(rest)) {
        throw new Unsupported();
      }
      out.addAll(perLane(lanes > 1
          ? shareAcrossLanes(rest, available.getOrDefault(s, Map.of()), out) : rest));
      return out;
    }

    /**
     * {@code s} with each largest primal subexpression that costs something to evaluate (an
     * operator, a call, an element read) replaced by a local declared before it, computed once
     * for all lanes: the lanes would compute the same value each, and the JIT cannot share a
     * call of {@code Math.sin} or an element read across the lanes' stores. Only subexpressions
     * that the statement always evaluates move ({@link EagerExpressions}). One the forward
     * sweep left in a variable ({@code available}, see {@link AvailableValues}) is read from it.
     */
    private Stmt shareAcrossLanes(Stmt s, Map<Object, Variable> available, List<Stmt> out) {
      Map<Expr, Expr> shared = new IdentityHashMap<>();
      for (Expr e : Statements.expressions(s)) {
        EagerExpressions.walk(e, x -> {
          if (x.type() != Type.DOUBLE || !worthSharing(x) || readsLane(x) || hasSweepExpr(x)) {
            return true;
          }
          Variable held = AvailableValues.key(x).map(available::get).orElse(null);
          if (held != null) {
            shared.put(x, Exprs.local(held));
          } else if (!shared.containsKey(x)) {
            Variable t = new Variable("shared" + (sharedLocals++ == 0 ? "" : sharedLocals),
                Type.DOUBLE, Variable.Kind.SYNTHETIC);
            out.add(new Stmt.Declare(t, Optional.of(x), Position.NONE));
            shared.put(x, Exprs.local(t));
          }
          return false;
        });
      }
      return shared.isEmpty() ? s : s.accept(new Replace(shared));
    }

    /** Whether evaluating {@code e} costs more than reading a local: not an atom or a sign. */
    private boolean worthSharing(Expr e) {
      // Shape tests, not a dispatch: a variable, a literal, or one negated or converted.
      if (e instanceof Expr.Unary u) {
        return !Exprs.isAtom(u.operand());
      }
      if (e instanceof Expr.Cast c) {
        return !Exprs.isAtom(c.operand());
      }
      return !Exprs.isAtom(e);
    }

    /** Each pop in {@code e}, in evaluation order, into a primal local declared before. */
    private void hoistPops(Expr e, Map<Expr, Expr> popped, List<Stmt> out) {
      for (Expr child : Exprs.children(e)) {
        hoistPops(child, popped, out);
      }
      if (e instanceof Expr.TapePop p) {
        Variable t = new Variable("popped" + (pops++ == 0 ? "" : pops), p.type(),
            Variable.Kind.SYNTHETIC);
        out.add(new Stmt.Declare(t, Optional.of(e), Position.NONE));
        popped.put(e, Exprs.local(t));
      }
    }

    private List<Stmt> compound(Stmt s, boolean headerReadsLane,
        java.util.function.Supplier<Stmt> keepHeader) {
      if (!headerReadsLane) {
        return List.of(keepHeader.get());
      }
      if (touchesTape(s)) {
        throw new Unsupported();
      }
      return perLane(s);
    }

    @Override
    public List<Stmt> visitDeclare(Stmt.Declare s) {
      return leaf(s);
    }

    @Override
    public List<Stmt> visitAssign(Stmt.Assign s) {
      return leaf(s);
    }

    @Override
    public List<Stmt> visitArrayWrite(Stmt.ArrayWrite s) {
      return leaf(s);
    }

    @Override
    public List<Stmt> visitEvaluate(Stmt.Evaluate s) {
      return leaf(s);
    }

    @Override
    public List<Stmt> visitIf(Stmt.If s) {
      return compound(s, readsLane(s.condition()), () -> new Stmt.If(s.condition(),
          Stmt.Block.of(rewrite(s.thenBlock().statements())),
          Stmt.Block.of(rewrite(s.elseBlock().statements()))));
    }

    @Override
    public List<Stmt> visitLoop(Stmt.Loop s) {
      return compound(s, readsLane(s.condition()) || headerReadsLane(s),
          () -> new Stmt.Loop(s.label(), s.init(), s.condition(), s.update(),
              Stmt.Block.of(rewrite(s.body().statements())), s.testFirst(), s.position()));
    }

    @Override
    public List<Stmt> visitBlock(Stmt.Block s) {
      return List.of(Stmt.Block.of(rewrite(s.statements())));
    }

    @Override
    public List<Stmt> visitThrow(Stmt.Throw s) {
      return List.of(s);
    }

    @Override
    public List<Stmt> visitRestoreArray(Stmt.RestoreArray s) {
      throw new Unsupported();
    }

    @Override
    public List<Stmt> visitPush(Stmt.Push s) {
      throw new Unsupported();
    }

    @Override
    public List<Stmt> visitRelease(Stmt.Release s) {
      throw new Unsupported();
    }

    @Override
    public List<Stmt> visitElementAssign(Stmt.ElementAssign s) {
      throw new Unsupported();
    }

    @Override
    public List<Stmt> visitReturn(Stmt.Return s) {
      throw new IllegalStateException("return cannot appear in a sweep: lowering removed it");
    }

    @Override
    public List<Stmt> visitBreak(Stmt.Break s) {
      throw new IllegalStateException("break cannot appear in a sweep: lowering removed it");
    }

    @Override
    public List<Stmt> visitContinue(Stmt.Continue s) {
      throw new IllegalStateException("continue cannot appear in a sweep: lowering removed it");
    }
  }

  /** A leaf statement with some subexpressions (by identity) replaced. */
  private static final class Replace implements Stmt.Visitor<Stmt> {
    private final Map<Expr, Expr> byIdentity;

    Replace(Map<Expr, Expr> byIdentity) {
      this.byIdentity = byIdentity;
    }

    private Expr r(Expr e) {
      return Exprs.replaceAll(e, byIdentity);
    }

    @Override
    public Stmt visitDeclare(Stmt.Declare s) {
      return new Stmt.Declare(s.variable(), s.init().map(this::r), s.position());
    }

    @Override
    public Stmt visitAssign(Stmt.Assign s) {
      return new Stmt.Assign(s.variable(), r(s.value()), s.position());
    }

    @Override
    public Stmt visitArrayWrite(Stmt.ArrayWrite s) {
      return new Stmt.ArrayWrite(s.array(), s.indices().stream().map(this::r).toList(),
          r(s.value()), s.position());
    }

    @Override
    public Stmt visitEvaluate(Stmt.Evaluate s) {
      return new Stmt.Evaluate(r(s.expression()));
    }

    private Stmt notALeaf(Stmt s) {
      throw new IllegalStateException("only leaf statements have their pops taken out: " + s);
    }

    @Override
    public Stmt visitIf(Stmt.If s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitLoop(Stmt.Loop s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitBlock(Stmt.Block s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitThrow(Stmt.Throw s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitRestoreArray(Stmt.RestoreArray s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitPush(Stmt.Push s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitRelease(Stmt.Release s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitElementAssign(Stmt.ElementAssign s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitReturn(Stmt.Return s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitBreak(Stmt.Break s) {
      return notALeaf(s);
    }

    @Override
    public Stmt visitContinue(Stmt.Continue s) {
      return notALeaf(s);
    }
  }

  /** A statement (and everything nested in it) in one lane: lane variables renamed. */
  private final class Rename extends ExpressionRewrite {
    private final int k;

    Rename(int k) {
      this.k = k;
    }

    @Override
    Expr expression(Expr x) {
      return inLane(x, k);
    }

    @Override
    Variable target(Variable v) {
      return inLane(v, k);
    }

    @Override
    public Stmt visitRestoreArray(Stmt.RestoreArray s) {
      throw new Unsupported();
    }

    @Override
    public Stmt visitPush(Stmt.Push s) {
      throw new Unsupported();
    }

    @Override
    public Stmt visitRelease(Stmt.Release s) {
      throw new Unsupported();
    }

    @Override
    public Stmt visitElementAssign(Stmt.ElementAssign s) {
      throw new Unsupported();
    }
  }
}
