package dev.adjoint.processor.read;

import java.util.Optional;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;

/**
 * What the reader asks about the code around a method that only the whole compilation knows:
 * which unannotated static methods can be differentiated where they are called (their source
 * is part of this compilation), and where a copy of a private constant lives.
 */
public interface Helpers {
  /** No helper is differentiated, no private constant copied (what a stage test reads with). */
  Helpers NONE = new Helpers() {
    @Override
    public boolean differentiable(ExecutableElement method) {
      return false;
    }

    @Override
    public void called(ExecutableElement method) {}

    @Override
    public Optional<String> privateConstant(VariableElement field) {
      return Optional.empty();
    }
  };

  /**
   * Whether {@code method}, a static method without {@code @Differentiable}, has its source in
   * this compilation, in a top-level class, with a name of its own there: then its body is
   * read and differentiated where it is called.
   */
  boolean differentiable(ExecutableElement method);

  /** Records a call of such a method, whose body must then be read. */
  void called(ExecutableElement method);

  /**
   * The qualified name of the generated class holding a copy of {@code field}, a private
   * static final constant or table that generated code cannot read where it is declared;
   * empty when its initializer cannot be copied (not built from constants).
   */
  Optional<String> privateConstant(VariableElement field);

  /**
   * The source of {@code method} where it is part of this compilation (any class, any file);
   * empty otherwise (a class file), or where the reader has no access to sources.
   */
  default Optional<com.sun.source.tree.MethodTree> source(ExecutableElement method) {
    return Optional.empty();
  }
}
