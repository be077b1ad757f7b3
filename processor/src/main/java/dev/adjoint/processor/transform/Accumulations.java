package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.local;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The additions one expression's adjoint code makes into the adjoints of its variables,
 * gathered so that each adjoint is updated once: {@code x * x} gives {@code xBar += 2.0 * g *
 * x}, not two identical lines, and a variable read in several places gets one sum. Adding is
 * all the expression's code does to these adjoints (it never reads them), so the updates can
 * wait until the end of the expression's code.
 */
final class Accumulations {
  /** An adjoint variable, or one element of an adjoint array. */
  private record Target(Variable adjoint, List<Expr> indices) {}

  private final Map<Target, List<Expr>> terms = new LinkedHashMap<>();

  /** {@code adjoint[indices] += term}, later. */
  void addTo(Variable adjoint, List<Expr> indices, Expr term) {
    terms.computeIfAbsent(new Target(adjoint, List.copyOf(indices)), k -> new ArrayList<>())
        .add(term);
  }

  boolean isEmpty() {
    return terms.isEmpty();
  }

  /** Writes one update per adjoint, in the order the adjoints were first added to. */
  void flushInto(List<Stmt> out) {
    for (Map.Entry<Target, List<Expr>> e : terms.entrySet()) {
      Target t = e.getKey();
      Expr sum = sum(e.getValue());
      if (t.indices().isEmpty()) {
        out.add(new Stmt.Assign(t.adjoint(), add(local(t.adjoint()), sum), Position.NONE));
      } else {
        Expr element = Exprs.element(t.adjoint(), t.indices());
        out.add(new Stmt.ArrayWrite(t.adjoint(), t.indices(), add(element, sum), Position.NONE));
      }
    }
    terms.clear();
  }

  /**
   * The sum of the terms, equal terms counted once and scaled ({@code 2.0 * g * x}), positive
   * terms first so that the update reads {@code += a - b} or {@code -= a + b}.
   */
  static Expr sum(List<Expr> terms) {
    Map<Expr, Integer> positive = new LinkedHashMap<>();
    Map<Expr, Integer> negative = new LinkedHashMap<>();
    for (Expr term : terms) {
      if (term instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEGATE) {
        negative.merge(u.operand(), 1, Integer::sum);
      } else {
        positive.merge(term, 1, Integer::sum);
      }
    }
    Expr plus = total(positive);
    Expr minus = total(negative);
    if (plus == null) {
      return neg(minus);
    }
    return minus == null ? plus : sub(plus, minus);
  }

  private static Expr total(Map<Expr, Integer> counted) {
    Expr sum = null;
    for (Map.Entry<Expr, Integer> e : counted.entrySet()) {
      Expr term = times(e.getValue(), e.getKey());
      sum = sum == null ? term : add(sum, term);
    }
    return sum;
  }

  /** {@code k * term}, the factor put first: {@code 2.0 * g * x} for {@code g * x}. */
  private static Expr times(int k, Expr term) {
    if (k == 1) {
      return term;
    }
    if (term instanceof Expr.Binary b && b.op() == Expr.BinaryOp.MULTIPLY) {
      return mul(times(k, b.left()), b.right());
    }
    return mul(lit(k), term);
  }
}
