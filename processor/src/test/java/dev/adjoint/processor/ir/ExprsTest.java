package dev.adjoint.processor.ir;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.adjoint.processor.ir.Ir.integer;
import static dev.adjoint.processor.ir.Ir.local;
import static dev.adjoint.processor.ir.Ir.num;
import static dev.adjoint.processor.ir.Ir.read;

import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Expr.UnaryOp;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The generic walks of {@link Exprs} on every kind of expression, sweep expressions included:
 * one case per kind (a test checks that no kind is missing), each with the children and the
 * variables it must report.
 */
class ExprsTest {
  private final Variable x = local("x", Type.DOUBLE);
  private final Variable y = local("y", Type.DOUBLE);
  private final Variable z = local("z", Type.DOUBLE);
  private final Variable flag = local("flag", Type.BOOLEAN);
  private final Variable i = local("i", Type.INT);
  private final Variable a = local("a", Type.DOUBLE_ARRAY);
  private final Variable tape = new Variable("tape", null, Variable.Kind.SYNTHETIC);
  private final Variable scratch =
      new Variable("scratch", Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);
  private final Callee f = Ir.callee("f", Type.DOUBLE, true, Type.DOUBLE, Type.DOUBLE);

  /** One expression of a kind, the direct children it has and all the variables it names. */
  private record Case(Expr node, List<Expr> children, List<Variable> variables) {
    @Override
    public String toString() {
      return node.getClass().getSimpleName();
    }
  }

  private Case leaf(Expr node, Variable... variables) {
    return new Case(node, List.of(), List.of(variables));
  }

  private List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    cases.add(leaf(num(2)));
    cases.add(leaf(read(x), x));
    cases.add(leaf(new Expr.FieldRead("example.Owner", "K", Type.DOUBLE)));
    Expr operand = read(x);
    cases.add(new Case(new Expr.Unary(UnaryOp.NEGATE, operand, Type.DOUBLE), List.of(operand),
        List.of(x)));
    Expr left = read(x);
    Expr right = read(y);
    cases.add(new Case(new Expr.Binary(BinaryOp.ADD, left, right, Type.DOUBLE),
        List.of(left, right), List.of(x, y)));
    Expr condition = read(flag);
    Expr whenTrue = read(x);
    Expr whenFalse = read(y);
    cases.add(new Case(new Expr.Conditional(condition, whenTrue, whenFalse, Type.DOUBLE),
        List.of(condition, whenTrue, whenFalse), List.of(flag, x, y)));
    Expr converted = read(x);
    cases.add(new Case(Ir.cast(Type.INT, converted), List.of(converted), List.of(x)));
    Expr angle = read(y);
    cases.add(new Case(Exprs.call(Intrinsic.SIN, angle), List.of(angle), List.of(y)));
    Expr first = read(x);
    Expr second = read(y);
    cases.add(new Case(Ir.call(f, first, second), List.of(first, second), List.of(x, y)));
    Expr array = read(a);
    Expr index = read(i);
    cases.add(new Case(new Expr.ArrayRead(array, index, Type.DOUBLE), List.of(array, index),
        List.of(a, i)));
    Expr measured = read(a);
    cases.add(new Case(new Expr.ArrayLength(measured), List.of(measured), List.of(a)));
    Expr dimension = read(i);
    Expr element = read(x);
    cases.add(new Case(new Expr.NewArray(Type.DOUBLE_ARRAY, List.of(dimension), List.of(element)),
        List.of(dimension, element), List.of(i, x)));
    cases.addAll(sweepCases());
    return cases;
  }

  private List<Case> sweepCases() {
    List<Case> cases = new ArrayList<>();
    Expr argument = read(x);
    Expr seed = read(y);
    Expr arrayAdjoint = new Expr.NullArray(Type.DOUBLE_ARRAY);
    cases.add(new Case(new Expr.AdjointCall(f, List.of(argument), Optional.of(seed),
        Optional.of(scratch), List.of(arrayAdjoint), tape),
        List.of(argument, seed, arrayAdjoint), List.of(scratch, x, y)));
    Expr copied = read(a);
    cases.add(new Case(new Expr.ArrayCopy(copied), List.of(copied), List.of(a)));
    Expr length = read(i);
    cases.add(new Case(new Expr.Borrow(tape, length), List.of(length), List.of(tape, i)));
    cases.add(leaf(new Expr.TapePop(tape, Type.DOUBLE), tape));
    cases.add(leaf(new Expr.Element(scratch, 1), scratch));
    cases.add(leaf(new Expr.NullArray(Type.DOUBLE_ARRAY)));
    return cases;
  }

  @Test
  void everyKindOfExpressionHasACase() {
    Set<Class<?>> covered =
        cases().stream().map(c -> c.node().getClass()).collect(Collectors.toSet());
    assertThat(covered).containsExactlyElementsIn(KindCoverage.kindsOf(Expr.class));
  }

  @Test
  void childrenAreTheDirectSubexpressionsInEvaluationOrder() {
    for (Case c : cases()) {
      List<Expr> children = Exprs.children(c.node());
      assertWithMessage("children of %s", c).that(children).hasSize(c.children().size());
      for (int k = 0; k < children.size(); k++) {
        assertWithMessage("child %s of %s", k, c).that(children.get(k))
            .isSameInstanceAs(c.children().get(k));
      }
    }
  }

  @Test
  void variablesAreEveryVariableNamedInFirstUseOrder() {
    for (Case c : cases()) {
      assertWithMessage("variables of %s", c).that(Exprs.variables(c.node()))
          .containsExactlyElementsIn(c.variables()).inOrder();
    }
  }

  @Test
  void adjointCallWithoutSeedOrScratchHasItsArgumentsAndArrayAdjointsAsChildren() {
    Expr argument = read(a);
    Expr arrayAdjoint = read(scratch);
    Expr call = new Expr.AdjointCall(Ir.callee("h", Type.VOID, true, Type.DOUBLE_ARRAY),
        List.of(argument), Optional.empty(), Optional.empty(), List.of(arrayAdjoint), tape);

    assertThat(Exprs.children(call)).containsExactly(argument, arrayAdjoint).inOrder();
    assertThat(Exprs.variables(call)).containsExactly(a, scratch).inOrder();
  }

  @Test
  void mapChildrenReplacesEachChildAndKeepsEverythingElse() {
    for (Case c : cases()) {
      // Each child becomes a distinct marker; mapping the markers back must give the original.
      Map<Expr, Expr> toMarker = new IdentityHashMap<>();
      Map<Expr, Expr> fromMarker = new IdentityHashMap<>();
      for (Expr child : c.children()) {
        Expr marker = integer(100 + toMarker.size());
        toMarker.put(child, marker);
        fromMarker.put(marker, child);
      }
      Expr mapped = Exprs.mapChildren(c.node(), toMarker::get);

      List<Expr> mappedChildren = Exprs.children(mapped);
      assertWithMessage("children of mapped %s", c).that(mappedChildren).hasSize(toMarker.size());
      for (int k = 0; k < mappedChildren.size(); k++) {
        assertWithMessage("child %s of mapped %s", k, c).that(mappedChildren.get(k))
            .isSameInstanceAs(toMarker.get(c.children().get(k)));
      }
      assertWithMessage("%s mapped back", c)
          .that(Exprs.mapChildren(mapped, fromMarker::get)).isEqualTo(c.node());
      if (c.children().isEmpty()) {
        assertWithMessage("%s without children", c).that(mapped).isSameInstanceAs(c.node());
      }
    }
  }

  @Test
  void mapChildrenOfAnAdjointCallKeepsItsScratchAndTape() {
    Expr call = new Expr.AdjointCall(f, List.of(read(x)), Optional.of(read(y)),
        Optional.of(scratch), List.of(), tape);

    Expr mapped = Exprs.mapChildren(call, child -> Exprs.neg(child));

    assertThat(mapped).isEqualTo(new Expr.AdjointCall(f, List.of(Exprs.neg(read(x))),
        Optional.of(Exprs.neg(read(y))), Optional.of(scratch), List.of(), tape));
  }

  @Test
  void substituteReplacesEveryReadOfTheVariableInEveryKind() {
    Expr replacement = read(z);
    for (Case c : cases()) {
      Expr substituted = Exprs.substitute(c.node(), x, replacement);

      Set<Variable> expected = new LinkedHashSet<>();
      for (Variable v : c.variables()) {
        expected.add(v == x ? z : v);
      }
      assertWithMessage("variables of %s after substitution", c)
          .that(Exprs.variables(substituted)).containsExactlyElementsIn(expected).inOrder();
      if (!c.variables().contains(x)) {
        assertWithMessage("%s without x", c).that(substituted).isEqualTo(c.node());
      }
    }
  }

  @Test
  void substituteRebuildsTheTreeAroundTheReplacedReads() {
    Expr e = Exprs.add(Exprs.mul(read(x), read(x)), read(y));

    assertThat(Exprs.substitute(e, x, num(3)))
        .isEqualTo(Exprs.add(Exprs.mul(num(3), num(3)), read(y)));
  }

  @Test
  void substituteLeavesTheSweepsOwnVariablesAlone() {
    // A tape or scratch array is named by a sweep node, not read as a value: nothing to replace.
    Expr pop = new Expr.TapePop(tape, Type.DOUBLE);
    Expr element = new Expr.Element(scratch, 0);

    assertThat(Exprs.substitute(pop, tape, num(1))).isSameInstanceAs(pop);
    assertThat(Exprs.substitute(element, scratch, num(1))).isSameInstanceAs(element);
  }

  @Test
  void replaceAllReplacesTheVeryObjectsAndKeepsUntouchedSubtrees() {
    Expr first = read(x);
    Expr second = read(x);
    Expr untouched = Exprs.mul(read(y), read(y));
    Expr e = Exprs.add(Exprs.add(first, second), untouched);
    Map<Expr, Expr> byIdentity = new IdentityHashMap<>();
    byIdentity.put(second, num(2));

    Expr replaced = Exprs.replaceAll(e, byIdentity);

    assertThat(replaced).isEqualTo(Exprs.add(Exprs.add(read(x), num(2)), untouched));
    assertThat(Exprs.children(replaced).get(1)).isSameInstanceAs(untouched);
    assertThat(Exprs.replaceAll(e, Map.of())).isSameInstanceAs(e);
  }
}
