package dev.adjoint.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.call;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.local;
import static dev.adjoint.processor.transform.TangentTransformTest.lines;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@link HigherOrder} composes the transforms, on hand-built lowered IR without javac:
 * the tangent forms it stacks, the reverse transform of the first one (Hessian-vector
 * products), and the forward transform repeated in one variable ({@code mDerivatives}).
 */
class HigherOrderStageTest {
  private static final Variable X = new Variable("x", Type.DOUBLE, Variable.Kind.PARAMETER);
  private static final Variable RESULT = new Variable("result", Type.DOUBLE,
      Variable.Kind.LOCAL);

  private static final Reporter NONE = new Reporter() {
    @Override
    public void report(Message message, Position position, Object... args) {
      throw new AssertionError("unexpected diagnostic " + message);
    }

    @Override
    public boolean hasErrors() {
      return false;
    }
  };

  private static MethodIr method(List<Variable> parameters, Expr value) {
    return new MethodIr("p", "Owner", "f", parameters, Type.DOUBLE,
        Stmt.Block.of(List.of(new Stmt.Declare(RESULT, value, Position.NONE))), RESULT,
        parameters, List.of());
  }

  /** x * x * x: derivatives 3x², 6x, 6, then zeros. */
  private static MethodIr cube() {
    Expr x = local(X);
    return method(List.of(X), binary(BinaryOp.MULTIPLY, binary(BinaryOp.MULTIPLY, x, x), x));
  }

  private static Derivatives derivatives(MethodIr m, int order) {
    Activity activity = Activity.of(m, NONE);
    return HigherOrder.of(m, activity, ReverseTransform.transform(m, activity), order);
  }

  private static List<String> names(List<Variable> variables) {
    List<String> out = new ArrayList<>();
    variables.forEach(v -> out.add(v == null ? null : v.name()));
    return out;
  }

  @Test
  void firstOrderHasForwardModeOnly() {
    Derivatives d = derivatives(cube(), 1);
    assertThat(d.tangent()).isPresent();
    assertThat(d.tangentForms()).hasSize(1);
    assertThat(d.tangentForms().get(0).name()).isEqualTo("fTangent");
    assertThat(d.tangentAdjoint()).isEmpty();
    assertThat(d.chain()).isEmpty();
  }

  @Test
  void orderTwoDifferentiatesTheTangentFormInReverse() {
    Derivatives d = derivatives(cube(), 2);
    MethodIr form = d.tangentForms().get(0);
    Adjoint hvp = d.tangentAdjoint().orElseThrow();
    // Reverse over forward: the adjoint of fTangent(x, xDot, valueAndTangent).
    assertThat(hvp.method()).isSameInstanceAs(form);
    assertThat(names(form.parameters()))
        .containsExactly("x", "xDot", "valueAndTangent").inOrder();
    assertThat(names(form.differentiated()))
        .containsExactly("x", "xDot", "valueAndTangent").inOrder();
    assertThat(hvp.adjointOf().keySet()).containsAtLeast(form.parameters().get(0),
        form.parameters().get(1));
  }

  @Test
  void eachOrderAddsOneTangentFormOfThePrevious() {
    Derivatives d = derivatives(cube(), 3);
    assertThat(d.tangentForms().stream().map(MethodIr::name).toList())
        .containsExactly("fTangent", "fTangentTangent", "fTangentTangentTangent").inOrder();
    MethodIr second = d.tangentForms().get(1);
    // The second form differentiates everything the first takes, valueAndTangent included.
    assertThat(names(second.parameters())).containsExactly("x", "xDot", "valueAndTangent",
        "xDot2", "xDotDot", "valueAndTangentDot").inOrder();
  }

  @Test
  void repeatedTangentGivesLiteralZerosPastAPolynomialsDegree() {
    Derivatives.Chain chain = derivatives(cube(), 5).chain().orElseThrow();
    // f, f', f'', f''' exist; f'''' and f''''' are identically 0: no variable.
    assertThat(chain.derivatives()).hasSize(6);
    assertThat(chain.derivatives().get(0)).isSameInstanceAs(RESULT);
    for (int k = 1; k <= 3; k++) {
      assertThat(chain.derivatives().get(k)).isNotNull();
    }
    assertThat(chain.derivatives().get(4)).isNull();
    assertThat(chain.derivatives().get(5)).isNull();
    // The fourth application found f''' constant and stopped: its body adds nothing.
    assertThat(TangentTransformTest.IrText.of(chain.body().statements())).isEqualTo(
        TangentTransformTest.IrText.of(derivatives(cube(), 3).chain().orElseThrow().body()
            .statements()));
  }

  @Test
  void repeatedTangentOfTheCube() {
    Derivatives.Chain chain = derivatives(cube(), 3).chain().orElseThrow();
    assertThat(names(chain.seeds())).containsExactly("xDot", "xDot2", "xDot3").inOrder();
    assertThat(names(chain.derivatives())).containsExactly("result", "resultDot",
        "resultDotDot", "resultDotDotDot").inOrder();
    // With every seed 1: 3x², 6x and 6. Only x is differentiated: seeds get no tangents.
    assertThat(TangentTransformTest.IrText.of(chain.body().statements())).isEqualTo(lines(
        "double tDotDot = xDot2 * xDot3 + xDot2 * xDot3;",
        "double tDot = x * xDot2 + x * xDot2;",
        "double t = x * x;",
        "double tDot2 = xDot * xDot3 + xDot * xDot3;",
        "double t2 = x * xDot + x * xDot;",
        "double t3 = xDot * xDot2 + xDot * xDot2;",
        "double resultDotDotDot = xDot2 * tDot2 + t3 * xDot3 + xDot * tDotDot;",
        "double resultDotDot = t2 * xDot2 + x * t3 + xDot * tDot;",
        "double resultDot = x * t2 + t * xDot;",
        "double result = t * x;"));
  }

  @Test
  void noChainForSeveralInputs() {
    Variable y = new Variable("y", Type.DOUBLE, Variable.Kind.PARAMETER);
    MethodIr m = method(List.of(X, y), call(Intrinsic.ATAN2, local(y), local(X)));
    Derivatives d = derivatives(m, 2);
    assertThat(d.tangentAdjoint()).isPresent();
    assertThat(d.chain()).isEmpty();
  }

  @Test
  void constantResultHasNoDerivativeBeyondTheValue() {
    MethodIr m = method(List.of(X), binary(BinaryOp.MULTIPLY, lit(0), local(X)));
    Derivatives.Chain chain = derivatives(m, 2).chain().orElseThrow();
    assertThat(chain.derivatives().get(0)).isSameInstanceAs(RESULT);
  }
}
