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
 * @param differentiated the parameters to differentiate with respect to (wrt), in order
 * @param retained locals whose final value's derivative is wanted too (retain)
 * @param written the array parameters the body writes (a method returning a value): the body
 *     reads each into a work array and writes that; the entry points leave the caller's array
 *     as the plain call leaves it
 */
public record MethodIr(
    String ownerPackage,
    String ownerSimpleName,
    String name,
    List<Variable> parameters,
    Type returnType,
    Stmt.Block body,
    Variable result,
    List<Variable> differentiated,
    List<Variable> retained,
    List<Variable> written) {

  /** A method that writes none of its array parameters. */
  public MethodIr(String ownerPackage, String ownerSimpleName, String name,
      List<Variable> parameters, Type returnType, Stmt.Block body, Variable result,
      List<Variable> differentiated, List<Variable> retained) {
    this(ownerPackage, ownerSimpleName, name, parameters, returnType, body, result,
        differentiated, retained, List.of());
  }

  /** The same method with another body and result variable (what lowering produces). */
  public MethodIr withBody(Stmt.Block newBody, Variable newResult) {
    return new MethodIr(ownerPackage, ownerSimpleName, name, parameters, returnType, newBody,
        newResult, differentiated, retained, written);
  }

  /** Parameters that carry derivatives, in declaration order. */
  public List<Variable> differentiableParameters() {
    return differentiated;
  }

  /** Differentiable scalar parameters, in declaration order: their adjoints share one array. */
  public List<Variable> differentiableScalars() {
    return differentiated.stream().filter(p -> p.type().isFloating()).toList();
  }

  /** Differentiable array parameters, in declaration order: each has an adjoint buffer. */
  public List<Variable> differentiableArrays() {
    return differentiated.stream().filter(p -> p.type().isArray()).toList();
  }
}
