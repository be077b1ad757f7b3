package dev.adjoint.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.call;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.transform.LoweredIr.assign;
import static dev.adjoint.processor.transform.LoweredIr.read;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The adjoint code of single expressions: the operator rules' partials, merged updates. */
class ExpressionAdjointTest {
  private final Variable x = new Variable("x", Type.DOUBLE, Variable.Kind.PARAMETER);
  private final Variable y = new Variable("y", Type.DOUBLE, Variable.Kind.PARAMETER);
  private final Variable c = new Variable("c", Type.DOUBLE, Variable.Kind.PARAMETER);
  private final Variable g = new Variable("g", Type.DOUBLE, Variable.Kind.SYNTHETIC);
  private final Map<Variable, Variable> bars = new HashMap<>();

  /** x and y active, c not. */
  private final ExpressionAdjoint.Context context = new ExpressionAdjoint.Context() {
    @Override
    public boolean isActive(Expr e) {
      return e.type().carriesDerivatives()
          && !Collections.disjoint(Exprs.variables(e), Set.of(x, y));
    }

    @Override
    public Variable adjoint(Variable v) {
      return bars.computeIfAbsent(v, k -> new Variable(k.name() + "Bar", Type.DOUBLE,
          Variable.Kind.SYNTHETIC));
    }

    @Override
    public Variable useTape() {
      throw new AssertionError("no tape here");
    }

    @Override
    public Variable useScratch(int slots) {
      throw new AssertionError("no calls here");
    }
  };

  private List<Stmt> adjointOf(Expr e) {
    List<Stmt> out = new ArrayList<>();
    new ExpressionAdjoint(context, out).propagate(e, read(g));
    return out;
  }

  private Stmt add(Variable v, Expr term) {
    Variable bar = context.adjoint(v);
    return assign(bar, Exprs.add(read(bar), term));
  }

  @Test
  void productSendsEachOperandTheOther() {
    assertThat(adjointOf(mul(read(x), read(y)))).containsExactly(
        add(x, mul(read(g), read(y))), add(y, mul(read(g), read(x)))).inOrder();
  }

  @Test
  void inactiveOperandGetsNoCode() {
    assertThat(adjointOf(mul(read(c), read(x))))
        .containsExactly(add(x, mul(read(g), read(c))));
  }

  @Test
  void differenceNegatesTheRightOperand() {
    assertThat(adjointOf(binary(BinaryOp.SUBTRACT, read(x), read(y)))).containsExactly(
        add(x, read(g)), assign(context.adjoint(y),
            binary(BinaryOp.SUBTRACT, read(context.adjoint(y)), read(g)))).inOrder();
  }

  @Test
  void quotientReadsTheResultForTheDenominator() {
    // d(x / y): g / y for x, -g * (r / y) for y, r = x / y computed once.
    List<Stmt> code = adjointOf(div(read(x), read(y)));

    assertThat(code).contains(add(x, div(read(g), read(y))));
    assertThat(code).contains(add(y, neg(mul(read(g), div(div(read(x), read(y)), read(y))))));
  }

  @Test
  void equalTermsMergeIntoOneScaledUpdate() {
    assertThat(adjointOf(mul(read(x), read(x))))
        .containsExactly(add(x, mul(mul(lit(2), read(g)), read(x))));
  }

  @Test
  void termsForOneAdjointBecomeOneUpdate() {
    // x * y + x: xBar += g * y + g.
    List<Stmt> code = adjointOf(binary(BinaryOp.ADD, mul(read(x), read(y)), read(x)));

    assertThat(code).containsExactly(
        add(x, Exprs.add(mul(read(g), read(y)), read(g))), add(y, mul(read(g), read(x))))
        .inOrder();
  }

  @Test
  void intrinsicAndOperatorShareOnePath() {
    // sin(x * y): the argument's value is computed once, read by both partials' factor.
    List<Stmt> code = adjointOf(call(Intrinsic.SIN, mul(read(x), read(y))));

    assertThat(code).hasSize(3);
    Stmt.Declare incoming = (Stmt.Declare) code.get(0);
    assertThat(incoming.init().orElseThrow())
        .isEqualTo(mul(read(g), call(Intrinsic.COS, mul(read(x), read(y)))));
    Expr gg = read(incoming.variable());
    assertThat(code.subList(1, 3)).containsExactly(
        add(x, mul(gg, read(y))), add(y, mul(gg, read(x)))).inOrder();
  }

  @Test
  void resultPlaceholderIsReplacedOnlyWhenAPartialReadsIt() {
    // exp(x * y) reads its result; its argument's value is not needed on its own.
    List<Stmt> code = adjointOf(call(Intrinsic.EXP, mul(read(x), read(y))));

    long declarations = code.stream().filter(s -> s instanceof Stmt.Declare).count();
    assertThat(declarations).isEqualTo(1); // the incoming adjoint of x * y
    Stmt.Declare incoming = (Stmt.Declare) code.get(0);
    assertThat(incoming.init().orElseThrow())
        .isEqualTo(mul(read(g), call(Intrinsic.EXP, mul(read(x), read(y)))));
  }

  @Test
  void hornerValuesAreBuiltBottomUp() {
    // 1 + x * (2 + x * (3 + x * 4)): the inner values are read by the outer ones.
    Expr inner = binary(BinaryOp.ADD, lit(3), mul(read(x), lit(4)));
    Expr middle = binary(BinaryOp.ADD, lit(2), mul(read(x), inner));
    Expr poly = binary(BinaryOp.ADD, lit(1), mul(read(x), middle));

    List<Stmt> code = adjointOf(poly);

    // Values read twice (by a partial and by the value above) get a temporary each; the
    // temporary of the middle value reads the inner one instead of repeating it.
    List<Stmt.Declare> values = code.stream().filter(s -> s instanceof Stmt.Declare d
        && d.variable().name().equals("t")).map(s -> (Stmt.Declare) s).toList();
    for (Stmt.Declare d : values) {
      assertThat(LoweredIr.nodes(d.init().orElseThrow()).size()).isAtMost(5);
    }
    Variable xBar = context.adjoint(x);
    assertThat(code.stream().filter(s -> LoweredIr.writes(s, xBar)).count()).isEqualTo(1);
  }
}
