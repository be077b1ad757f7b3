package dev.adjoint.processor.analysis;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Ir.assign;
import static dev.adjoint.processor.ir.Ir.block;
import static dev.adjoint.processor.ir.Ir.declare;
import static dev.adjoint.processor.ir.Ir.integer;
import static dev.adjoint.processor.ir.Ir.less;
import static dev.adjoint.processor.ir.Ir.local;
import static dev.adjoint.processor.ir.Ir.num;
import static dev.adjoint.processor.ir.Ir.parameter;
import static dev.adjoint.processor.ir.Ir.plus;
import static dev.adjoint.processor.ir.Ir.read;
import static dev.adjoint.processor.ir.Ir.times;

import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Ir;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Activity over hand-built lowered methods: which variables are varied (depend on a
 * differentiated parameter) and useful (the result depends on them), and what it reports.
 */
class ActivityTest {
  private final Variable x = parameter("x", Type.DOUBLE);
  private final Variable n = parameter("n", Type.INT);
  private final Variable result = new Variable("result", Type.DOUBLE, Variable.Kind.SYNTHETIC);
  private final RecordingReporter reporter = new RecordingReporter();

  /** {@code method(x, n)}, differentiated with respect to x, whose body ends in result. */
  private Activity analyse(Stmt... body) {
    return Activity.of(Ir.lowered("method", List.of(x, n), List.of(x), block(body), result),
        reporter);
  }

  @Test
  void activityFlowsThroughALoopWhateverTheStatementOrder() {
    // double p = 1; double q = 0; double s = 0; double c = 3;
    // for (int i = 0; i < n; i++) { q = p * 2; p = x * q; s = s + p * c; }
    // result = s;
    Variable p = local("p", Type.DOUBLE);
    Variable q = local("q", Type.DOUBLE);
    Variable s = local("s", Type.DOUBLE);
    Variable c = local("c", Type.DOUBLE);
    Variable i = local("i", Type.INT);
    Activity activity = analyse(
        declare(p, num(1)), declare(q, num(0)), declare(s, num(0)), declare(c, num(3)),
        Ir.forLoop(declare(i, integer(0)), less(read(i), read(n)), Ir.increment(i),
            assign(q, times(read(p), num(2))),
            assign(p, times(read(x), read(q))),
            assign(s, plus(read(s), times(read(p), read(c))))),
        declare(result, read(s)));

    // q is read before p is written from x in the body: it is varied through the back edge.
    assertThat(activity.isActive(q)).isTrue();
    assertThat(activity.isActive(p)).isTrue();
    assertThat(activity.isActive(s)).isTrue();
    assertThat(activity.isActive(x)).isTrue();
    assertThat(activity.isActive(result)).isTrue();
    // Useful but not varied: a constant factor, the counter, the bound.
    assertThat(activity.isActive(c)).isFalse();
    assertThat(activity.isActive(i)).isFalse();
    assertThat(activity.isActive(n)).isFalse();
    assertThat(activity.isActive(times(read(p), read(c)))).isTrue();
    assertThat(activity.isActive(less(read(i), read(n)))).isFalse();
    assertThat(reporter.messages).isEmpty();
  }

  @Test
  void anIntegerCastCutsTheDerivativeAndWarns() {
    // int k = (int) x; double r = k * 2.0; result = r;
    Variable k = local("k", Type.INT);
    Variable r = local("r", Type.DOUBLE);
    Activity activity = analyse(
        declare(k, Ir.cast(Type.INT, read(x))),
        declare(r, times(read(k), num(2))),
        declare(result, read(r)));

    assertThat(activity.isActive(r)).isFalse();
    assertThat(activity.isUseful(x)).isFalse();
    assertThat(activity.isActive(x)).isFalse();
    assertThat(reporter.messages).containsExactly(Message.INTEGER_CAST_CUTS_DERIVATIVE);
    assertThat(reporter.hasErrors()).isFalse();
  }

  @Test
  void aVariedLocalTheResultDoesNotUseIsInactive() {
    // double unused = x * x; result = x + 1;
    Variable unused = local("unused", Type.DOUBLE);
    Activity activity = analyse(
        declare(unused, times(read(x), read(x))),
        declare(result, plus(read(x), num(1))));

    assertThat(activity.isActive(unused)).isFalse();
    assertThat(activity.isActive(times(read(x), read(x)))).isTrue();
    assertThat(activity.isActive(x)).isTrue();
  }

  @Test
  void aParameterNotDifferentiatedIsInactiveThoughUseful() {
    // method(x, w, n) wrt x: result = x * w;
    Variable w = parameter("w", Type.DOUBLE);
    Activity activity = Activity.of(Ir.lowered("method", List.of(x, w, n), List.of(x),
        block(declare(result, times(read(x), read(w)))), result), reporter);

    assertThat(activity.isUseful(w)).isTrue();
    assertThat(activity.isActive(w)).isFalse();
    assertThat(activity.isActive(read(w))).isFalse();
    assertThat(activity.isActive(x)).isTrue();
  }

  @Test
  void aDifferentiatedParameterTheResultIgnoresIsNotUseful() {
    Activity activity = analyse(declare(result, num(2)));

    assertThat(activity.isUseful(x)).isFalse();
    assertThat(activity.isActive(x)).isFalse();
  }

  @Test
  void aCallOfANonDifferentiableMethodWithAVariedArgumentIsAnError() {
    // double g = Owner.plain(x); result = g;
    Callee plain = Ir.callee("plain", Type.DOUBLE, false, Type.DOUBLE);
    Variable g = local("g", Type.DOUBLE);
    Activity activity = analyse(
        declare(g, Ir.call(plain, read(x))),
        declare(result, read(g)));

    assertThat(activity.isActive(g)).isFalse();
    assertThat(activity.isUseful(x)).isFalse();
    assertThat(reporter.messages).containsExactly(Message.NOT_DIFFERENTIABLE_CALL);
    assertThat(reporter.hasErrors()).isTrue();
  }

  @Test
  void aNonDifferentiableCallOnlyInAConditionIsFine() {
    // if (Owner.plain(x) < 0) { result = x; } else { result = -x; }
    Callee plain = Ir.callee("plain", Type.DOUBLE, false, Type.DOUBLE);
    Activity activity = analyse(
        declare(result, num(0)),
        Ir.ifElse(less(Ir.call(plain, read(x)), num(0)),
            block(assign(result, read(x))), block(assign(result, Exprs.neg(read(x))))));

    assertThat(activity.isActive(x)).isTrue();
    assertThat(reporter.messages).isEmpty();
  }

  @Test
  void aDifferentiableCallPassesTheDerivativeOn() {
    Callee square = Ir.callee("square", Type.DOUBLE, true, Type.DOUBLE);
    Variable g = local("g", Type.DOUBLE);
    Activity activity = analyse(
        declare(g, Ir.call(square, read(x))),
        declare(result, read(g)));

    assertThat(activity.isActive(g)).isTrue();
    assertThat(activity.isActive(x)).isTrue();
    assertThat(reporter.messages).isEmpty();
  }
}
