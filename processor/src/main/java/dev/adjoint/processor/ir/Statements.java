package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Walks over statements, for the analyses and transforms. */
public final class Statements {
  private Statements() {}

  /** The statements directly nested in {@code s} (loop init and update included). */
  public static List<Stmt> children(Stmt s) {
    if (s instanceof Stmt.Block b) {
      return b.statements();
    }
    if (s instanceof Stmt.If f) {
      List<Stmt> all = new ArrayList<>(f.thenBlock().statements());
      all.addAll(f.elseBlock().statements());
      return all;
    }
    if (s instanceof Stmt.Loop l) {
      List<Stmt> all = new ArrayList<>(l.init());
      all.addAll(l.body().statements());
      all.addAll(l.update());
      return all;
    }
    return List.of();
  }

  /** Every variable assigned or declared anywhere in {@code s}, arrays given to helpers too. */
  public static Set<Variable> assigned(Stmt s) {
    Set<Variable> out = new LinkedHashSet<>();
    collectAssigned(s, out);
    return out;
  }

  public static Set<Variable> assigned(List<Stmt> statements) {
    Set<Variable> out = new LinkedHashSet<>();
    statements.forEach(s -> collectAssigned(s, out));
    return out;
  }

  private static void collectAssigned(Stmt s, Set<Variable> out) {
    if (s instanceof Stmt.ArrayWrite w) {
      out.add(w.array());
    } else if (s instanceof Stmt.Evaluate e && e.expression() instanceof Expr.Call c) {
      out.addAll(c.arrayArguments());
    } else if (s instanceof Stmt.Assign a) {
      out.add(a.variable());
    } else if (s instanceof Stmt.Declare d) {
      out.add(d.variable());
    }
    children(s).forEach(c -> collectAssigned(c, out));
  }
}
