package dev.adjoint.processor.emit;

import com.palantir.javapoet.TypeSpec;

/**
 * One family of the members generated for a differentiable method (its gradient, its adjoint,
 * its vector-Jacobian product, ...). {@link DiffClassEmitter} asks each family in turn; a
 * family adds nothing for a method it does not apply to.
 */
interface EntryPoints {
  /** Adds this family's members for {@code m} to the generated class. */
  void addTo(TypeSpec.Builder type, MethodModel m);
}
