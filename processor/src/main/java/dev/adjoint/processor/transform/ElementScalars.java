package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * For the vector reverse mode ({@link VectorLanes}): array adjoints whose every use in the
 * reverse sweep is an element at a constant index ({@code cameraBar[6] += g * p1}, {@code
 * double g = errorBar[1]}) become one scalar per element used ({@code cameraBar6}), so that
 * their lane copies are locals instead of arrays borrowed from the tape, zeroed, and copied into
 * the caller's rows at the end: the generated Jacobian then writes each entry of a row from a
 * local, as a hand-written one would.
 *
 * <p>An adjoint qualifies when nothing else uses it (passed whole, restored, its length read)
 * and the elements used are known to exist where the entry point reads them: below the result's
 * fixed length for the result's adjoint; for a parameter's, the forward sweep reads the
 * parameter's element at the largest index, or a larger one, in a statement it always runs (at
 * its top level, not under a {@code ?:} branch or the right of {@code &&} or {@code ||}), so
 * that the parameter has every column the rows are given; a local array's adjoint never reaches
 * the rows.
 */
final class ElementScalars {
  private ElementScalars() {}

  /**
   * Per array adjoint among {@code roots} that qualifies (see the class comment), per index
   * used, its scalar; {@code resultLength} is the length of the method's array result.
   */
  static Map<Variable, SortedMap<Integer, Variable>> of(Adjoint a, Set<Variable> roots,
      int resultLength) {
    Map<Variable, Variable> primalOf = new HashMap<>();
    a.adjointOf().forEach((primal, adjoint) -> primalOf.put(adjoint, primal));
    Map<Variable, SortedMap<Integer, Variable>> out = new LinkedHashMap<>();
    for (Variable r : roots) {
      Variable primal = primalOf.get(r);
      if (r.type() != Type.DOUBLE_ARRAY || primal == null) {
        continue;
      }
      Optional<SortedSet<Integer>> indices = constantIndices(a.reverse(), r);
      if (indices.isEmpty()) {
        continue;
      }
      int largest = indices.get().isEmpty() ? -1 : indices.get().last();
      if (primal == a.method().result()) {
        if (largest >= resultLength) {
          continue;
        }
      } else if (a.method().parameters().contains(primal)) {
        if (largest >= 0 && !alwaysReads(a.forward(), primal, largest)) {
          continue;
        }
      }
      SortedMap<Integer, Variable> byIndex = new TreeMap<>();
      for (int index : indices.get()) {
        byIndex.put(index, new Variable(r.name() + index, r.sourceName() + index, Type.DOUBLE,
            Variable.Kind.SYNTHETIC));
      }
      out.put(r, byIndex);
    }
    return out;
  }

  /**
   * The indices at which {@code reverse} reads or writes elements of {@code array}, when every
   * use of it is an element at a constant index; empty otherwise.
   */
  private static Optional<SortedSet<Integer>> constantIndices(List<Stmt> reverse,
      Variable array) {
    SortedSet<Integer> indices = new TreeSet<>();
    int[] reads = new int[2]; // every read of the variable, those of an element at a constant
    for (Stmt s : reverse) {
      Statements.forEachExpression(s, e -> {
        if (e instanceof Expr.Local l && l.variable() == array) {
          reads[0]++;
        }
        constantIndex(e, array).ifPresent(index -> {
          reads[1]++;
          indices.add(index);
        });
      });
      if (!writesConstantElements(s, array, indices)) {
        return Optional.empty();
      }
    }
    return reads[0] == reads[1] ? Optional.of(indices) : Optional.empty();
  }

  /** The index of {@code e} when it reads {@code array}'s element at a constant index. */
  private static Optional<Integer> constantIndex(Expr e, Variable array) {
    // Shape tests, not a dispatch: only array[literal] matches.
    if (e instanceof Expr.ArrayRead r && r.array() instanceof Expr.Local l
        && l.variable() == array && r.index() instanceof Expr.Literal i
        && i.value() instanceof Integer index && index >= 0) {
      return Optional.of(index);
    }
    return Optional.empty();
  }

  /**
   * Whether every write of {@code array} in {@code s} (nested statements included) is of one
   * element at a constant index; adds those indices to {@code indices}.
   */
  private static boolean writesConstantElements(Stmt s, Variable array,
      SortedSet<Integer> indices) {
    List<Stmt> children = Statements.children(s);
    if (!children.isEmpty()) {
      for (Stmt c : children) {
        if (!writesConstantElements(c, array, indices)) {
          return false;
        }
      }
      return true;
    }
    if (!Statements.assigned(s).contains(array)) {
      return true;
    }
    if (s instanceof Stmt.ArrayWrite w && w.array() == array && w.indices().size() == 1
        && w.indices().get(0) instanceof Expr.Literal i && i.value() instanceof Integer index
        && index >= 0) {
      indices.add(index);
      return true;
    }
    return false;
  }

  /**
   * Whether a statement at the top level of {@code forward} that always runs reads {@code
   * array}'s element at {@code index} or a larger constant one.
   */
  private static boolean alwaysReads(List<Stmt> forward, Variable array, int index) {
    boolean[] found = new boolean[1];
    for (Stmt s : forward) {
      if (!Statements.children(s).isEmpty()) {
        continue;
      }
      for (Expr e : Statements.expressions(s)) {
        EagerExpressions.walk(e, x -> {
          constantIndex(x, array).ifPresent(i -> found[0] |= i >= index);
          return !found[0];
        });
      }
      if (found[0]) {
        return true;
      }
    }
    return false;
  }

  /** {@code reverse} with the elements of the arrays in {@code elements} read and written as scalars. */
  static List<Stmt> rewrite(List<Stmt> reverse,
      Map<Variable, SortedMap<Integer, Variable>> elements) {
    if (elements.isEmpty()) {
      return reverse;
    }
    Scalarize scalarize = new Scalarize(elements);
    List<Stmt> out = new ArrayList<>();
    reverse.forEach(s -> out.add(s.accept(scalarize)));
    return out;
  }

  private static void everySubexpression(Expr e, java.util.function.Consumer<Expr> action) {
    action.accept(e);
    Exprs.children(e).forEach(c -> everySubexpression(c, action));
  }

  /** A statement with the qualifying arrays' elements replaced by their scalars. */
  private static final class Scalarize extends ExpressionRewrite {
    private final Map<Variable, SortedMap<Integer, Variable>> elements;

    Scalarize(Map<Variable, SortedMap<Integer, Variable>> elements) {
      this.elements = elements;
    }

    @Override
    Expr expression(Expr x) {
      Map<Expr, Expr> reads = new IdentityHashMap<>();
      everySubexpression(x, y -> {
        for (Map.Entry<Variable, SortedMap<Integer, Variable>> entry : elements.entrySet()) {
          constantIndex(y, entry.getKey()).ifPresent(index ->
              reads.put(y, Exprs.local(entry.getValue().get(index))));
        }
      });
      return reads.isEmpty() ? x : Exprs.replaceAll(x, reads);
    }

    @Override
    public Stmt visitArrayWrite(Stmt.ArrayWrite s) {
      SortedMap<Integer, Variable> byIndex = elements.get(s.array());
      if (byIndex != null) {
        int index = (Integer) ((Expr.Literal) s.indices().get(0)).value();
        return new Stmt.Assign(byIndex.get(index), expression(s.value()), s.position());
      }
      return super.visitArrayWrite(s);
    }
  }
}
