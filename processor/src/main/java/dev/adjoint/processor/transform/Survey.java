package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the reverse transform learns of a lowered method once, before building any sweep:
 * how often each variable is defined and whether in a loop, the locals to hoist, the counted
 * loops and their counters, the assignments and helper calls (with what each writes), and
 * the statements that run exactly once (those of the body's top level). Immutable.
 *
 * <p>Statements are keyed by identity: the lowered body is a tree of records, two of which
 * may be equal (two {@code i = i + 1;}) while being different statements. The survey checks
 * that no statement object occurs twice in the body, which is what makes identity a sound key.
 */
final class Survey {
  private final Map<Variable, Integer> definitions;
  private final Set<Variable> definedInLoop;
  private final Set<Variable> hoisted;
  private final Map<Stmt.Loop, Variable> counters;
  private final Map<Stmt, Variable> assignments;
  private final Map<Stmt, List<Variable>> helperCallWrites;
  private final Set<Stmt> runsOnce;

  private Survey(Walk walk, List<Stmt> topLevel) {
    this.definitions = Collections.unmodifiableMap(walk.definitions);
    this.definedInLoop = Collections.unmodifiableSet(walk.definedInLoop);
    this.hoisted = Collections.unmodifiableSet(walk.hoisted);
    this.counters = Collections.unmodifiableMap(walk.counters);
    this.assignments = Collections.unmodifiableMap(walk.assignments);
    this.helperCallWrites = Collections.unmodifiableMap(walk.callWrites);
    Set<Stmt> once = Collections.newSetFromMap(new IdentityHashMap<>());
    once.addAll(topLevel);
    this.runsOnce = Collections.unmodifiableSet(once);
  }

  /** Surveys a lowered method (no return, break or continue left). */
  static Survey of(MethodIr method) {
    Walk walk = new Walk();
    for (Variable p : method.parameters()) {
      walk.definitions.put(p, 1);
    }
    walk.statements(method.body().statements(), 0, true);
    return new Survey(walk, method.body().statements());
  }

  /** Assigned once, outside loops: its value never changes after it is first set. */
  boolean hasSingleDefinition(Variable v) {
    return v.kind() != Variable.Kind.PARAMETER
        && definitions.getOrDefault(v, 0) == 1
        && !definedInLoop.contains(v);
  }

  /** Never changes once set: a parameter never assigned, or a local with a single definition. */
  boolean isConstant(Variable v) {
    return v.kind() == Variable.Kind.PARAMETER ? definitions.getOrDefault(v, 0) == 1
        : hasSingleDefinition(v);
  }

  /** A variable of the method itself, as opposed to one the sweeps introduce. */
  boolean isPrimal(Variable v) {
    return definitions.containsKey(v);
  }

  /** The counter of one of the method's counted loops. */
  boolean isCounter(Variable v) {
    return counters.containsValue(v);
  }

  /**
   * The name of the temporaries the forward sweep computes for the reverse sweep: declared
   * before the source's own locals, they must not take a source variable's name (the emitter
   * would then rename the source's variable instead).
   */
  String forwardTemporaryName() {
    Set<String> names = new HashSet<>();
    definitions.keySet().forEach(v -> names.add(v.name()));
    for (String candidate : List.of("t", "tmp", "temp")) {
      if (!names.contains(candidate)) {
        return candidate;
      }
    }
    return "t";
  }

  /** Locals declared in nested blocks: the reverse sweep, outside those blocks, reads them. */
  Set<Variable> hoisted() {
    return hoisted;
  }

  /** The counter of a counted loop (which runs backwards recording nothing), or null. */
  Variable counter(Stmt.Loop l) {
    return counters.get(l);
  }

  /** The assignments (declarations with a value included), with the variable each writes. */
  Map<Stmt, Variable> assignments() {
    return assignments;
  }

  /** The calls of void helpers, with the arrays each may write. */
  Map<Stmt, List<Variable>> helperCallWrites() {
    return helperCallWrites;
  }

  /** Whether {@code s} is a statement of the body's top level, which runs exactly once. */
  boolean runsOnce(Stmt s) {
    return runsOnce.contains(s);
  }

  /** The walk that fills the survey. */
  private static final class Walk implements Stmt.SourceVisitor<Void> {
    final Map<Variable, Integer> definitions = new HashMap<>();
    final Set<Variable> definedInLoop = new HashSet<>();
    final Set<Variable> hoisted = new LinkedHashSet<>();
    final Map<Stmt.Loop, Variable> counters = new IdentityHashMap<>();
    final Map<Stmt, Variable> assignments = new IdentityHashMap<>();
    final Map<Stmt, List<Variable>> callWrites = new IdentityHashMap<>();
    private final Set<Stmt> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private int loopDepth;
    private boolean topLevel;

    void statements(List<Stmt> statements, int loopDepth, boolean topLevel) {
      int outerDepth = this.loopDepth;
      boolean outerTop = this.topLevel;
      this.loopDepth = loopDepth;
      this.topLevel = topLevel;
      for (Stmt s : statements) {
        if (!seen.add(s)) {
          throw new IllegalStateException("a statement occurs twice in the lowered body: " + s);
        }
        s.accept(this);
      }
      this.loopDepth = outerDepth;
      this.topLevel = outerTop;
    }

    private void define(Variable v) {
      definitions.merge(v, 1, Integer::sum);
      if (loopDepth > 0) {
        definedInLoop.add(v);
      }
    }

    @Override
    public Void visitDeclare(Stmt.Declare d) {
      boolean nested = !topLevel || d.init().isEmpty();
      if (d.init().isPresent()) {
        define(d.variable());
        if (nested) {
          assignments.put(d, d.variable());
        }
      } else {
        definitions.putIfAbsent(d.variable(), 0);
      }
      if (nested) {
        hoisted.add(d.variable());
      }
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign a) {
      define(a.variable());
      assignments.put(a, a.variable());
      return null;
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite w) {
      define(w.array());
      assignments.put(w, w.array());
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate e) {
      if (!(e.expression() instanceof Expr.Call c)) {
        throw new IllegalStateException("only a helper call is evaluated for its effect: " + e);
      }
      List<Variable> arrays = c.arrayArguments();
      arrays.forEach(this::define);
      callWrites.put(e, arrays);
      return null;
    }

    @Override
    public Void visitThrow(Stmt.Throw t) {
      return null;
    }

    @Override
    public Void visitIf(Stmt.If f) {
      statements(f.thenBlock().statements(), loopDepth, false);
      statements(f.elseBlock().statements(), loopDepth, false);
      return null;
    }

    @Override
    public Void visitBlock(Stmt.Block b) {
      statements(b.statements(), loopDepth, false);
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop l) {
      Variable counter = CountedLoops.counter(l);
      if (counter != null) {
        // Its init and update are regenerated by the reverse loop: not definitions to save.
        counters.put(l, counter);
      } else {
        statements(l.init(), loopDepth, false);
      }
      statements(l.body().statements(), loopDepth + 1, false);
      if (counter == null) {
        statements(l.update(), loopDepth + 1, false);
      }
      return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
      throw lowered(s);
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
      throw lowered(s);
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
      throw lowered(s);
    }
  }

  static IllegalStateException lowered(Stmt s) {
    return new IllegalStateException(
        s + " cannot appear here: control-flow lowering removes every jump");
  }
}
