package dev.adjoint.processor.ir;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.adjoint.processor.ir.Ir.assign;
import static dev.adjoint.processor.ir.Ir.block;
import static dev.adjoint.processor.ir.Ir.declare;
import static dev.adjoint.processor.ir.Ir.integer;
import static dev.adjoint.processor.ir.Ir.local;
import static dev.adjoint.processor.ir.Ir.num;
import static dev.adjoint.processor.ir.Ir.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The generic walks of {@link Statements} on every kind of statement, sweep statements
 * included: one case per kind (a test checks that no kind is missing), each with the
 * statements nested in it, the expressions it holds and the variables it writes.
 */
class StatementsTest {
  private final Variable x = local("x", Type.DOUBLE);
  private final Variable y = local("y", Type.DOUBLE);
  private final Variable i = local("i", Type.INT);
  private final Variable a = local("a", Type.DOUBLE_ARRAY);
  private final Variable b = local("b", Type.DOUBLE_ARRAY);
  private final Variable tape = new Variable("tape", null, Variable.Kind.SYNTHETIC);
  private final Variable scratch =
      new Variable("scratch", Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);

  /**
   * One statement of a kind, the statements directly nested in it, the expressions it holds
   * itself, and every variable it or its nested statements write.
   */
  private record Case(Stmt node, List<Stmt> children, List<Expr> expressions,
      List<Variable> assigned) {
    @Override
    public String toString() {
      return node.getClass().getSimpleName();
    }
  }

  private List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    Expr init = num(1);
    cases.add(new Case(declare(x, init), List.of(), List.of(init), List.of(x)));
    cases.add(new Case(Stmt.Declare.uninitialised(y, Position.NONE), List.of(), List.of(),
        List.of(y)));
    Expr value = read(y);
    cases.add(new Case(assign(x, value), List.of(), List.of(value), List.of(x)));
    Expr index = read(i);
    Expr element = read(x);
    cases.add(new Case(Ir.write(a, index, element), List.of(), List.of(index, element),
        List.of(a)));
    Expr condition = Ir.less(read(x), read(y));
    Stmt thenStmt = assign(x, num(1));
    Stmt elseStmt = assign(y, num(2));
    cases.add(new Case(Ir.ifElse(condition, block(thenStmt), block(elseStmt)),
        List.of(thenStmt, elseStmt), List.of(condition), List.of(x, y)));
    Stmt loopInit = declare(i, integer(0));
    Expr loopCondition = Ir.less(read(i), integer(3));
    Stmt loopUpdate = Ir.increment(i);
    Stmt loopBody = Ir.write(b, read(i), read(x));
    cases.add(new Case(Ir.forLoop(loopInit, loopCondition, loopUpdate, loopBody),
        List.of(loopInit, loopBody, loopUpdate), List.of(loopCondition), List.of(i, b)));
    Expr returned = read(x);
    cases.add(new Case(Ir.ret(returned), List.of(), List.of(returned), List.of()));
    cases.add(new Case(Ir.breakLoop(), List.of(), List.of(), List.of()));
    cases.add(new Case(Ir.continueLoop("outer"), List.of(), List.of(), List.of()));
    Stmt first = assign(y, num(3));
    Stmt second = declare(x, num(4));
    cases.add(new Case(block(first, second), List.of(first, second), List.of(), List.of(y, x)));
    Expr helperCall =
        Ir.call(Ir.callee("fill", Type.VOID, true, Type.DOUBLE_ARRAY, Type.DOUBLE), read(a),
            read(x));
    cases.add(new Case(new Stmt.Evaluate(helperCall), List.of(), List.of(helperCall),
        List.of(a)));
    Expr shown = read(x);
    cases.add(new Case(new Stmt.Throw("java.lang.IllegalArgumentException", true,
        List.of("x = ", ""), List.of(shown), Position.NONE), List.of(), List.of(shown),
        List.of()));
    cases.addAll(sweepCases());
    return cases;
  }

  private List<Case> sweepCases() {
    List<Case> cases = new ArrayList<>();
    cases.add(new Case(new Stmt.RestoreArray(tape, a), List.of(), List.of(), List.of(a)));
    Expr pushed = read(x);
    cases.add(new Case(new Stmt.Push(tape, pushed), List.of(), List.of(pushed), List.of()));
    cases.add(new Case(new Stmt.Release(tape, 2), List.of(), List.of(), List.of()));
    Expr partial = read(y);
    cases.add(new Case(new Stmt.ElementAssign(scratch, 0, partial), List.of(),
        List.of(partial), List.of(scratch)));
    return cases;
  }

  @Test
  void everyKindOfStatementHasACase() {
    Set<Class<?>> covered =
        cases().stream().map(c -> c.node().getClass()).collect(Collectors.toSet());
    assertThat(covered).containsExactlyElementsIn(KindCoverage.kindsOf(Stmt.class));
  }

  @Test
  void childrenAreTheDirectlyNestedStatementsInSourceOrder() {
    for (Case c : cases()) {
      List<Stmt> children = Statements.children(c.node());
      assertWithMessage("children of %s", c).that(children).hasSize(c.children().size());
      for (int k = 0; k < children.size(); k++) {
        assertWithMessage("child %s of %s", k, c).that(children.get(k))
            .isSameInstanceAs(c.children().get(k));
      }
    }
  }

  @Test
  void expressionsAreThoseTheStatementItselfHolds() {
    for (Case c : cases()) {
      List<Expr> expressions = Statements.expressions(c.node());
      assertWithMessage("expressions of %s", c).that(expressions)
          .hasSize(c.expressions().size());
      for (int k = 0; k < expressions.size(); k++) {
        assertWithMessage("expression %s of %s", k, c).that(expressions.get(k))
            .isSameInstanceAs(c.expressions().get(k));
      }
    }
  }

  @Test
  void assignedIsEveryVariableWrittenOrDeclaredInside() {
    for (Case c : cases()) {
      assertWithMessage("assigned in %s", c).that(Statements.assigned(c.node()))
          .containsExactlyElementsIn(c.assigned()).inOrder();
    }
  }

  @Test
  void assignedOfAListCollectsEveryStatement() {
    List<Stmt> statements = List.of(assign(x, num(1)),
        Ir.whileLoop(Ir.less(read(x), num(2)), Ir.write(a, integer(0), read(x))),
        Ir.ifThen(Ir.bool(true), Ir.ifThen(Ir.bool(false), assign(y, read(x)))));

    assertThat(Statements.assigned(statements)).containsExactly(x, a, y).inOrder();
  }

  @Test
  void anEvaluatedValueThatIsNoHelperCallWritesNothing() {
    Expr adjointCall = new Expr.AdjointCall(Ir.callee("g", Type.DOUBLE, true, Type.DOUBLE),
        List.of(read(x)), Optional.of(num(1)), Optional.empty(), List.of(), tape);

    assertThat(Statements.assigned(new Stmt.Evaluate(adjointCall))).isEmpty();
  }

  @Test
  void findReturnsTheFirstStatementOfTheKindInSourceOrder() {
    Stmt.Return inner = Ir.ret(read(x));
    Stmt.Return outer = Ir.ret(read(y));
    Stmt body = block(Ir.whileLoop(Ir.bool(true), Ir.ifThen(Ir.bool(true), inner)), outer);

    assertThat(Statements.find(body, Stmt.Return.class)).hasValue(inner);
    assertThat(Statements.find(outer, Stmt.Return.class)).hasValue(outer);
    assertThat(Statements.find(body, Stmt.Break.class)).isEmpty();
  }
}
