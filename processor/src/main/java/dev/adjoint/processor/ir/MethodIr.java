package dev.adjoint.processor.ir;

import java.util.List;

/**
 * One {@code @Differentiable} method as the stages see it: its signature and its body.
 *
 * @param ownerPackage package of the enclosing top-level class
 * @param ownerSimpleName simple name of that class
 * @param name the method's name
 * @param parameters in declaration order
 * @param returnType double or float
 * @param body the body; after lowering it ends by assigning {@code result}
 * @param result after control-flow lowering, the variable holding the returned value
 */
public record MethodIr(
    String ownerPackage,
    String ownerSimpleName,
    String name,
    List<Variable> parameters,
    Type returnType,
    Stmt.Block body,
    Variable result) {

  public MethodIr withBody(Stmt.Block newBody, Variable newResult) {
    return new MethodIr(
        ownerPackage, ownerSimpleName, name, parameters, returnType, newBody, newResult);
  }

  /** Parameters that carry derivatives, in declaration order. */
  public List<Variable> differentiableParameters() {
    return parameters.stream().filter(p -> p.type().carriesDerivatives()).toList();
  }

  /** Differentiable scalar parameters, in declaration order: their adjoints share one array. */
  public List<Variable> differentiableScalars() {
    return parameters.stream().filter(p -> p.type().isFloating()).toList();
  }

  /** Differentiable array parameters, in declaration order: each has an adjoint buffer. */
  public List<Variable> differentiableArrays() {
    return parameters.stream()
        .filter(p -> p.type().isArray() && p.type().carriesDerivatives()).toList();
  }
}
