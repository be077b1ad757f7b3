package dev.adjoint.processor.kernel;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.call;
import static dev.adjoint.processor.ir.Exprs.cond;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.local;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link CudaPrinter}, through {@link ElementFunctions}, on an adjoint built by hand (no javac,
 * no reverse transform): the C printed for each node kind, the sweep nodes a kernel can hold
 * included, in both precisions; and the kinds a kernel cannot hold rejected.
 */
class CudaPrinterTest {
  private static final Variable X = new Variable("x", Type.DOUBLE, Variable.Kind.PARAMETER);
  private static final Variable K = new Variable("k", Type.FLOAT, Variable.Kind.PARAMETER);
  private static final Variable RESULT = new Variable("result", Type.DOUBLE,
      Variable.Kind.LOCAL);
  private static final Variable SEED = new Variable("seed", Type.DOUBLE,
      Variable.Kind.SYNTHETIC);
  private static final Variable TAPE = new Variable("tape", Type.DOUBLE,
      Variable.Kind.SYNTHETIC);
  private static final Expr.FieldRead SCALE =
      new Expr.FieldRead("p.Fns", "SCALE", Type.DOUBLE);
  private static final Callee G = new Callee("p", "Fns", "g", List.of("u"),
      List.of(Type.DOUBLE), List.of(true), Type.DOUBLE, true, 1, false);

  private static Stmt declare(Variable v, Expr init) {
    return new Stmt.Declare(v, init, Position.NONE);
  }

  private static Stmt assign(Variable v, Expr value) {
    return new Stmt.Assign(v, value, Position.NONE);
  }

  private static Stmt.Block block(Stmt... statements) {
    return Stmt.Block.of(List.of(statements));
  }

  /**
   * {@code result = SCALE * g(x) % k} forward, with a recorded branch and call partials;
   * reverse, popping both and running g's adjoint in joint mode.
   */
  private static KernelMethod method() {
    Variable xBar = new Variable("xBar", Type.DOUBLE, Variable.Kind.SYNTHETIC);
    Variable kBar = new Variable("kBar", Type.DOUBLE, Variable.Kind.SYNTHETIC);
    Variable resultBar = new Variable("resultBar", Type.DOUBLE, Variable.Kind.SYNTHETIC);
    Variable partials = new Variable("callPartials", Type.DOUBLE_ARRAY,
        Variable.Kind.SYNTHETIC);
    Variable scratch = new Variable("adjoints", Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);
    Variable flag = new Variable("positive", Type.BOOLEAN, Variable.Kind.SYNTHETIC);
    Variable gValue = new Variable("g", Type.DOUBLE, Variable.Kind.SYNTHETIC);
    Expr value = binary(BinaryOp.MULTIPLY, SCALE,
        binary(BinaryOp.REMAINDER, new Expr.Call(G, List.of(local(X)), Position.NONE),
            local(K)));
    MethodIr m = new MethodIr("p", "Fns", "f", List.of(X, K), Type.DOUBLE,
        block(declare(RESULT, value)), RESULT, List.of(X, K), List.of());
    List<Stmt> forward = List.of(
        declare(flag, binary(BinaryOp.GREATER, local(X), lit(0))),
        new Stmt.Push(TAPE, local(flag)),
        new Stmt.ElementAssign(partials, 0, lit(0)),
        declare(gValue, new Expr.AdjointCall(G, List.of(local(X)), Optional.of(lit(1)),
            Optional.of(partials), List.of(), TAPE)),
        new Stmt.Push(TAPE, new Expr.Element(partials, 0)),
        declare(RESULT, binary(BinaryOp.MULTIPLY, SCALE,
            binary(BinaryOp.REMAINDER, local(gValue), local(K)))));
    List<Stmt> reverse = List.of(
        new Stmt.If(new Expr.TapePop(TAPE, Type.BOOLEAN),
            block(assign(xBar, binary(BinaryOp.ADD, local(xBar),
                binary(BinaryOp.MULTIPLY, local(resultBar), new Expr.TapePop(TAPE,
                    Type.DOUBLE))))),
            block(new Stmt.Evaluate(new Expr.AdjointCall(G, List.of(local(X)),
                Optional.of(local(resultBar)), Optional.of(scratch), List.of(), TAPE)),
                assign(xBar, binary(BinaryOp.ADD, local(xBar),
                    new Expr.Element(scratch, 0))))),
        assign(kBar, binary(BinaryOp.SUBTRACT, local(kBar), cond(
            binary(BinaryOp.EQUAL, local(K), lit(0)), lit(0),
            new Expr.Unary(Expr.UnaryOp.NEGATE, local(RESULT), Type.DOUBLE)))));
    Map<Variable, Variable> adjointOf = new LinkedHashMap<>();
    adjointOf.put(RESULT, resultBar);
    adjointOf.put(X, xBar);
    adjointOf.put(K, kBar);
    Adjoint adjoint = new Adjoint(m, List.of(), forward, reverse, adjointOf, SEED,
        Optional.of(TAPE), Optional.of(new Adjoint.Scratch(scratch, 1)), Map.of(),
        Optional.empty(), List.of(), Optional.of(new Adjoint.Scratch(partials, 1)));
    return new KernelMethod(adjoint, Map.of(SCALE, Expr.Literal.of(-2.5)));
  }

  @Test
  void adjointElementFunctionInFloat32() {
    StringBuilder out = new StringBuilder();
    ElementFunctions.adjoint(method(), true, out);
    assertThat(out.toString()).isEqualTo("""
        ADJ_FN float f_adjoint_f32(float x, float k, float seed, float* adjoints) {
            double tape[2];
            int tapeTop = 0;
            float callPartials[1];
            // Forward sweep: the original computation.
            bool positive = x > 0.0f;
            tape[tapeTop++] = (double) positive;
            callPartials[0] = 0.0f;
            float g = g_adjoint_f32(x, 1.0f, callPartials);
            tape[tapeTop++] = (double) callPartials[0];
            float result = -2.5f * fmodf(g, k);
            // Reverse sweep: adjoints flow from the result back to the parameters.
            float adjoints2[1];
            float resultBar = seed;
            float xBar = 0.0f;
            float kBar = 0.0f;
            if ((tape[--tapeTop] != 0.0)) {
                xBar = xBar + resultBar * (float) tape[--tapeTop];
            } else {
                g_adjoint_f32(x, resultBar, adjoints2);
                xBar = xBar + adjoints2[0];
            }
            kBar = kBar - (k == 0.0f ? 0.0f : -result);
            adjoints[0] += xBar;
            adjoints[1] += kBar;
            return result;
        }

        """);
  }

  @Test
  void valueElementFunctionInFloat64() {
    StringBuilder out = new StringBuilder();
    ElementFunctions.value(method(), false, out);
    assertThat(out.toString()).isEqualTo("""
        ADJ_FN double f_f64(double x, float k) {
            double result = -2.5 * fmod(g_f64(x), k);
            return result;
        }

        """);
  }

  private static String expr(Expr e, boolean f32) {
    return new CudaPrinter(new CudaNames(), Map.of(), f32, "tape", "top").expr(e);
  }

  @Test
  void operatorsAndConversionsWithJavaSemantics() {
    Variable i = new Variable("i", Type.INT, Variable.Kind.LOCAL);
    Variable b = new Variable("b", Type.BOOLEAN, Variable.Kind.LOCAL);
    Expr shift = new Expr.Binary(BinaryOp.UNSIGNED_SHIFT_RIGHT, local(i), Expr.Literal.ofInt(2),
        Type.INT);
    assertThat(expr(shift, true)).isEqualTo("(int) ((unsigned int) i >> 2)");
    Expr and = new Expr.Binary(BinaryOp.AND, local(b), local(b), Type.BOOLEAN);
    assertThat(expr(new Expr.Unary(Expr.UnaryOp.NOT, and, Type.BOOLEAN), true))
        .isEqualTo("!((b & b) != 0)");
    Expr toInt = new Expr.Cast(Type.INT, local(X), Position.NONE);
    assertThat(expr(binary(BinaryOp.MULTIPLY, toInt, local(i)), false))
        .isEqualTo("adj_to_int(x) * i");
    Expr toShort = new Expr.Cast(Type.SHORT, local(X), Position.NONE);
    assertThat(expr(toShort, true)).isEqualTo("(short) adj_to_intf(x)");
    Expr negated = new Expr.Unary(Expr.UnaryOp.NEGATE, lit(-1), Type.DOUBLE);
    assertThat(expr(negated, true)).isEqualTo("-(-1.0f)");
    Expr difference = binary(BinaryOp.SUBTRACT, local(X),
        binary(BinaryOp.SUBTRACT, local(X), lit(1)));
    assertThat(expr(difference, false)).isEqualTo("x - (x - 1.0)");
  }

  @Test
  void intrinsicsByPrecision() {
    assertThat(expr(call(Intrinsic.SIN, local(X)), true)).isEqualTo("sinf(x)");
    assertThat(expr(call(Intrinsic.SIN, local(X)), false)).isEqualTo("sin(x)");
    assertThat(expr(call(Intrinsic.MAX, local(X), lit(0)), true)).isEqualTo("adj_maxf(x, 0.0f)");
    assertThat(expr(call(Intrinsic.ABS, local(X)), false)).isEqualTo("fabs(x)");
    assertThat(expr(call(Intrinsic.SIGNUM, local(X)), true)).isEqualTo("adj_signumf(x)");
    assertThat(expr(call(Intrinsic.ROUND, local(X)), false)).isEqualTo("adj_round(x)");
    assertThat(expr(call(Intrinsic.TO_RADIANS, local(X)), false))
        .isEqualTo("(x * 0.017453292519943295)");
  }

  @Test
  void kindsAKernelCannotHoldAreRejected() {
    CudaPrinter printer = new CudaPrinter(new CudaNames(), Map.of(), true, null, null);
    Variable a = new Variable("a", Type.DOUBLE_ARRAY, Variable.Kind.LOCAL);
    Expr read = new Expr.ArrayRead(local(a), Expr.Literal.ofInt(0), Type.DOUBLE);
    assertThrows(IllegalStateException.class, () -> printer.expr(read));
    assertThrows(IllegalStateException.class, () -> printer.expr(new Expr.ArrayCopy(local(a))));
    Stmt loop = Stmt.Loop.unlabelled(List.of(), lit(1), List.of(), block(), true,
        Position.NONE);
    assertThrows(IllegalStateException.class,
        () -> printer.statement(loop, new StringBuilder(), ""));
    Stmt release = new Stmt.Release(TAPE, 1);
    assertThrows(IllegalStateException.class,
        () -> printer.statement(release, new StringBuilder(), ""));
  }
}
