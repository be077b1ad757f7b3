package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
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
 * run to a fixed point. An array element write kills nothing (other elements stay exposed).
 */
final class ToBeRecorded {

  /** The primal values that the reverse code of {@code origin} reads. */
  record ReadSite(Stmt origin, Set<Variable> variables) {}

  private final Map<Stmt, Set<Variable>> readsAt = new IdentityHashMap<>();
  private final Map<Stmt, Variable> assignments;
  private final Map<Stmt, List<Variable>> callWrites;
  private final Set<Stmt> needed = Collections.newSetFromMap(new IdentityHashMap<>());

  private ToBeRecorded(List<ReadSite> readSites, Map<Stmt, Variable> assignments,
      Map<Stmt, List<Variable>> callWrites) {
    for (ReadSite site : readSites) {
      readsAt.computeIfAbsent(site.origin(), k -> new HashSet<>()).addAll(site.variables());
    }
    this.assignments = assignments;
    this.callWrites = callWrites;
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
    ToBeRecorded analysis = new ToBeRecorded(readSites, assignments, callWrites);
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
    if (s instanceof Stmt.If f) {
      Set<Variable> whenTrue = exposedAfter(f.thenBlock().statements(), out);
      out = exposedAfter(f.elseBlock().statements(), out);
      out.addAll(whenTrue);
    } else if (s instanceof Block b) {
      out = exposedAfter(b.statements(), out);
    } else if (s instanceof Stmt.Loop l) {
      out = exposedAfter(l.init(), out);
      // The body runs zero or more times: iterate until the entry state stops growing.
      Set<Variable> entry = new HashSet<>(out);
      while (true) {
        Set<Variable> after = exposedAfter(l.body().statements(), entry);
        after = exposedAfter(l.update(), after);
        after.addAll(entry);
        if (after.equals(entry)) {
          break;
        }
        entry = after;
      }
      out = entry;
    } else if (callWrites.containsKey(s)) {
      if (callWrites.get(s).stream().anyMatch(out::contains)) {
        needed.add(s);
      }
    } else if (assignments.containsKey(s)) {
      Variable v = assignments.get(s);
      if (out.contains(v)) {
        needed.add(s);
      }
      if (!(s instanceof Stmt.ArrayWrite)) {
        out.remove(v);
      }
    }
    return out;
  }
}
