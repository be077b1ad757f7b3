package dev.adjoint.processor.kernel;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.transform.Adjoint;
import java.util.Map;

/**
 * A validated {@code @Elementwise} method: its adjoint (from the reverse transform) and the
 * values of the constants it reads, which the kernels print as literals.
 */
record KernelMethod(Adjoint adjoint, Map<Expr.FieldRead, Expr.Literal> constants) {
  String name() {
    return adjoint.method().name();
  }
}
