package dev.adjoint.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How generated code reads a private final field of a final class whose instances a
 * differentiable method takes: a {@link VarHandle} looked up once, when the generated class is
 * initialised, with the generated class's own lookup. The generated class sits in the field's
 * package and module, which is what {@link MethodHandles#privateLookupIn} asks.
 */
public final class Fields {
  private Fields() {}

  /**
   * The handle of field {@code name} of type {@code type} declared in {@code owner}, for the
   * generated class whose lookup is {@code lookup}.
   *
   * @throws IllegalStateException when the field cannot be found or read (the class changed
   *     since the generated class was compiled, or a module does not open its package)
   */
  public static VarHandle handle(Class<?> owner, String name, Class<?> type,
      MethodHandles.Lookup lookup) {
    try {
      return MethodHandles.privateLookupIn(owner, lookup).findVarHandle(owner, name, type);
    } catch (ReflectiveOperationException | IllegalArgumentException | SecurityException e) {
      throw new IllegalStateException("generated code cannot read field " + owner.getName()
          + "." + name + " (" + e.getMessage() + "): recompile the class and its generated "
          + "class together, or make the field package-private", e);
    }
  }
}
