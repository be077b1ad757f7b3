package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A static method called from a differentiated body. When {@code differentiable}, its
 * generated class {@code <Owner>Diff} has {@code <name>Adjoint}, which the reverse sweep calls.
 */
public record Callee(
    String packageName,
    String ownerSimpleName,
    String name,
    List<Type> parameterTypes,
    Type returnType,
    boolean differentiable) {

  public String ownerQualifiedName() {
    return packageName.isEmpty() ? ownerSimpleName : packageName + "." + ownerSimpleName;
  }

  /** Number of scalar parameters that carry derivatives (double and float ones). */
  public int differentiableArity() {
    return (int) parameterTypes.stream().filter(Type::isFloating).count();
  }

  /** Whether any parameter is an array that carries derivatives. */
  public boolean takesDifferentiableArrays() {
    return parameterTypes.stream().anyMatch(t -> t.isArray() && t.carriesDerivatives());
  }
}
