package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * To-be-recorded analysis. The reverse sweep reads some primal values at each statement
 * (the read sites of the last build). An assignment must save the value it overwrites when
 * that value can still be read by the reverse code of an earlier statement: when a read of
 * the variable is exposed at the assignment, i.e. reachable from a read site without another
 * write in between. A forward dataflow over the structured code computes exactly that; loops
 * run to a fixed point. An array element write kills nothing (other elements stay exposed), but
 * a loop that overwrites every element of an array does ({@link Reversible#filledArrays}), when
 * nothing in it reads the array. A saved integer step undone in place ({@link
 * Reversible#undoStep}) reads the value it produced: the variable stays exposed after it.
 */
final class ToBeRecorded {

  /** The primal values that the reverse code of {@code origin} reads. */
  record ReadSite(Stmt origin, Set<Variable> variables) {}

  private final Map<Stmt, Set<Variable>> readsAt = new IdentityHashMap<>();
  private final Map<Stmt, Variable> assignments;
  private final Map<Stmt, List<Variable>> callWrites;
  private final Map<Stmt.Loop, Set<Variable>> filledArrays;
  private final Set<Stmt> needed = Collections.newSetFromMap(new IdentityHashMap<>());

  private ToBeRecorded(List<ReadSite> readSites, Map<Stmt, Variable> assignments,
      Map<Stmt, List<Variable>> callWrites, Map<Stmt.Loop, Set<Variable>> filledArrays) {
    for (ReadSite site : readSites) {
      readsAt.computeIfAbsent(site.origin(), k -> new HashSet<>()).addAll(site.variables());
    }
    this.assignments = assignments;
    this.callWrites = callWrites;
    this.filledArrays = filledArrays;
  }

  /**
   * The statements of {@code body} that must save what they overwrite.
   *
   * @param readSites what the reverse code of each statement reads
   * @param assignments the assignments, with the variable each writes
   * @param callWrites the calls of void helpers, with the arrays each may write
   */
  static Set<Stmt> in(List<Stmt> body, List<ReadSite> readSites,
      Map<Stmt, Variable> assignments, Map<Stmt, List<Variable>> callWrites) {
    return in(body, readSites, assignments, callWrites, Map.of());
  }

  /**
   * As above, knowing which loops overwrite whole arrays.
   *
   * @param filledArrays the loops that overwrite every element of some arrays, with the arrays
   */
  static Set<Stmt> in(List<Stmt> body, List<ReadSite> readSites,
      Map<Stmt, Variable> assignments, Map<Stmt, List<Variable>> callWrites,
      Map<Stmt.Loop, Set<Variable>> filledArrays) {
    ToBeRecorded analysis = new ToBeRecorded(readSites, assignments, callWrites, filledArrays);
    analysis.exposedAfter(body, new HashSet<>());
    return analysis.needed;
  }

  private Set<Variable> exposedAfter(List<Stmt> statements, Set<Variable> exposed) {
    Set<Variable> current = new HashSet<>(exposed);
    for (Stmt s : statements) {
      current = exposedAfter(s, current);
    }
    return current;
  }

  private Set<Variable> exposedAfter(Stmt s, Set<Variable> in) {
    Set<Variable> out = new HashSet<>(in);
    out.addAll(readsAt.getOrDefault(s, Set.of()));
    return s.accept(new Flow(out));
  }

  /** The exposed reads after one statement, given those before it (after its own reads). */
  private final class Flow implements Stmt.SourceVisitor<Set<Variable>> {
    private final Set<Variable> out;

    Flow(Set<Variable> exposed) {
      this.out = exposed;
    }

    /** A write of {@code v} needs saving when a read of v is exposed; it then hides them. */
    private Set<Variable> write(Stmt s, boolean kills) {
      Variable v = assignments.get(s);
      if (v == null) {
        // The first declaration of a top-level local overwrites nothing.
        return out;
      }
      boolean saves = out.contains(v);
      if (saves) {
        needed.add(s);
      }
      if (kills && !(saves && Reversible.undoStep(s).isPresent())) {
        out.remove(v);
      }
      return out;
    }

    @Override
    public Set<Variable> visitDeclare(Stmt.Declare s) {
      return write(s, true);
    }

    @Override
    public Set<Variable> visitAssign(Stmt.Assign s) {
      return write(s, true);
    }

    @Override
    public Set<Variable> visitArrayWrite(Stmt.ArrayWrite s) {
      // Other elements stay exposed: an element write kills nothing.
      return write(s, false);
    }

    @Override
    public Set<Variable> visitEvaluate(Stmt.Evaluate s) {
      List<Variable> written = callWrites.getOrDefault(s, List.of());
      if (written.stream().anyMatch(out::contains)) {
        needed.add(s);
      }
      return out;
    }

    /** Writes nothing; its values are read by the forward sweep only. */
    @Override
    public Set<Variable> visitThrow(Stmt.Throw s) {
      return out;
    }

    @Override
    public Set<Variable> visitIf(Stmt.If f) {
      Set<Variable> whenTrue = exposedAfter(f.thenBlock().statements(), out);
      Set<Variable> whenFalse = exposedAfter(f.elseBlock().statements(), out);
      whenFalse.addAll(whenTrue);
      return whenFalse;
    }

    @Override
    public Set<Variable> visitBlock(Stmt.Block b) {
      return exposedAfter(b.statements(), out);
    }

    @Override
    public Set<Variable> visitLoop(Stmt.Loop l) {
      // The body runs zero or more times: iterate until the entry state stops growing.
      Set<Variable> entry = exposedAfter(l.init(), out);
      while (true) {
        Set<Variable> after = exposedAfter(l.body().statements(), entry);
        after = exposedAfter(l.update(), after);
        after.addAll(entry);
        if (after.equals(entry)) {
          for (Variable a : filledArrays.getOrDefault(l, Set.of())) {
            if (!readWithin(l, a)) {
              entry.remove(a);
            }
          }
          return entry;
        }
        entry = after;
      }
    }

    @Override
    public Set<Variable> visitReturn(Stmt.Return s) {
      throw Survey.lowered(s);
    }

    @Override
    public Set<Variable> visitBreak(Stmt.Break s) {
      throw Survey.lowered(s);
    }

    @Override
    public Set<Variable> visitContinue(Stmt.Continue s) {
      throw Survey.lowered(s);
    }
  }

  /** Whether the reverse code of {@code s} or of a statement in it reads {@code v}. */
  private boolean readWithin(Stmt s, Variable v) {
    if (readsAt.getOrDefault(s, Set.of()).contains(v)) {
      return true;
    }
    for (Stmt child : Statements.children(s)) {
      if (readWithin(child, v)) {
        return true;
      }
    }
    return false;
  }
}
