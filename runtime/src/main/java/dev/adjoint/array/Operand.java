package dev.adjoint.array;

/**
 * An input of an elementwise kernel: an {@link Array}, one value per element, or a {@link
 * Scalar} broadcast to every element.
 */
public interface Operand {
  /** A value broadcast to every element (its gradient is the sum over the elements). */
  static Scalar scalar(double value) {
    return new Scalar(value);
  }

  /** A value broadcast to every element. */
  record Scalar(double value) implements Operand {}
}
