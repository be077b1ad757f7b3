package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A derivative rule ({@link dev.adjoint.processor.ir.Operator} or {@link Intrinsic}) applied to
 * one node of an expression, before any value is computed: the partials are formed over
 * placeholders standing for the operands' values and the node's own result, so that the
 * adjoint code can tell which values a partial reads and compute only those. Operands that
 * are cheap to repeat (variables, literals, negated variables) are given to the rule as they
 * are, so that a rule can still see a literal (a constant exponent of {@code pow}).
 */
final class RuleApplication {
  private final List<Expr> partials;
  /** Each placeholder, with the subexpression (an operand or the node) whose value it stands for. */
  private final Map<Variable, Expr> placeholders;

  private RuleApplication(List<Expr> partials, Map<Variable, Expr> placeholders) {
    this.partials = partials;
    this.placeholders = placeholders;
  }

  /** Applies {@code rule} to {@code node}, whose operands are {@code operands}. */
  static RuleApplication of(Intrinsic.Rule rule, Expr node, List<Expr> operands) {
    Map<Variable, Expr> placeholders = new LinkedHashMap<>();
    List<Expr> arguments = new ArrayList<>();
    for (Expr operand : operands) {
      if (isCheap(operand)) {
        arguments.add(operand);
      } else {
        Variable p = new Variable("operand", operand.type(), Variable.Kind.SYNTHETIC);
        placeholders.put(p, operand);
        arguments.add(local(p));
      }
    }
    Variable result = new Variable("result", node.type(), Variable.Kind.SYNTHETIC);
    placeholders.put(result, node);
    return new RuleApplication(rule.partials(arguments, local(result)), placeholders);
  }

  /** Whether evaluating {@code e} again costs next to nothing: an atom, or its negation. */
  static boolean isCheap(Expr e) {
    return Exprs.isAtom(e)
        || e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEGATE && Exprs.isAtom(u.operand());
  }

  /** Whether the partial with respect to operand {@code i} is the literal 0. */
  boolean isZero(int i) {
    return Exprs.isZero(partials.get(i));
  }

  /**
   * The subexpressions (operands, or the node itself) whose values partial {@code i} reads,
   * with how many times it reads each.
   */
  Map<Expr, Integer> valuesRead(int i) {
    Map<Expr, Integer> out = new LinkedHashMap<>();
    countReads(partials.get(i), out);
    return out;
  }

  private void countReads(Expr partial, Map<Expr, Integer> out) {
    if (partial instanceof Expr.Local l && placeholders.containsKey(l.variable())) {
      out.merge(placeholders.get(l.variable()), 1, Integer::sum);
      return;
    }
    Exprs.children(partial).forEach(child -> countReads(child, out));
  }

  /** Partial {@code i}, each placeholder replaced by {@code value} of what it stands for. */
  Expr partial(int i, UnaryOperator<Expr> value) {
    Expr partial = partials.get(i);
    for (Variable v : Exprs.variables(partial)) {
      Expr e = placeholders.get(v);
      if (e != null) {
        partial = Exprs.substitute(partial, v, value.apply(e));
      }
    }
    return partial;
  }
}
