package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Composes the transforms: forward mode for every method; for {@code order >= 2}, the
 * first-order tangent form differentiated in reverse (Hessian-vector products) and, in one
 * variable, the forward transform applied {@code order} times.
 *
 * <p>Reverse over forward rather than forward over reverse: the tangent code is plain IR, so the
 * reverse transform (tape, counted loops, helpers) applies to it unchanged, while the adjoint
 * code is not (tape operations would each need a tangent rule). The product is the same
 * second-order adjoint, H v.
 */
public final class HigherOrder {
  private HigherOrder() {}

  /** Diagnostics on derived methods were already given on the source method. */
  private static final Reporter SILENT = new Reporter() {
    @Override
    public void report(Message message, Position position, Object... args) {}

    @Override
    public boolean hasErrors() {
      return false;
    }
  };

  /** All derivatives of {@code lowered} up to {@code order}, reverse mode given. */
  public static Derivatives of(MethodIr lowered, Activity activity, Adjoint adjoint, int order) {
    TangentTransform.Tangent tangent = TangentTransform.transform(lowered, activity::isActive);
    if (lowered.returnType().isArray()) {
      return new Derivatives(adjoint, Optional.of(tangent), List.of(), Optional.empty(),
          Optional.empty());
    }
    List<MethodIr> forms = new ArrayList<>();
    forms.add(tangent.asTangentForm());
    for (int k = 2; k <= order; k++) {
      MethodIr previous = forms.get(forms.size() - 1);
      forms.add(TangentTransform.transform(previous,
          Activity.of(previous, SILENT)::isActive).asTangentForm());
    }
    Adjoint tangentAdjoint = null;
    Derivatives.Chain chain = null;
    if (order >= 2) {
      MethodIr first = forms.get(0);
      tangentAdjoint = ReverseTransform.transform(first, Activity.of(first, SILENT));
      if (hasOneScalarInput(lowered)) {
        chain = chain(lowered, tangent, order);
      }
    }
    return new Derivatives(adjoint, Optional.of(tangent), List.copyOf(forms),
        Optional.ofNullable(tangentAdjoint), Optional.ofNullable(chain));
  }

  /** Whether {@code mDerivatives} applies: one differentiated input, a scalar, scalar result. */
  private static boolean hasOneScalarInput(MethodIr m) {
    return m.differentiated().size() == 1 && m.differentiated().get(0).type().isFloating()
        && m.returnType().isFloating();
  }

  /**
   * f, f', ..., f^(order): each application of the forward transform differentiates the
   * previous one's result with respect to the one input, its tangent set to 1.
   */
  private static Derivatives.Chain chain(MethodIr lowered, TangentTransform.Tangent first,
      int order) {
    Variable input = lowered.differentiated().get(0);
    List<Variable> seeds = new ArrayList<>();
    List<Variable> derivatives = new ArrayList<>();
    derivatives.add(lowered.result());
    TangentTransform.Tangent current = first;
    for (int k = 1; k <= order; k++) {
      // The body about to be emitted is this application's: it reads its seed.
      seeds.add(current.tangentParameters().get(0));
      Variable next = current.tangentOf().get(derivatives.get(k - 1));
      if (next == null) {
        break;
      }
      derivatives.add(next);
      if (k == order) {
        break;
      }
      MethodIr asMethod = current.asValueForm(List.of(input), next);
      current = TangentTransform.transform(asMethod, Activity.of(asMethod, SILENT)::isActive);
    }
    while (derivatives.size() <= order) {
      derivatives.add(null);
    }
    return new Derivatives.Chain(List.copyOf(seeds), current.body(),
        Collections.unmodifiableList(derivatives));
  }
}
