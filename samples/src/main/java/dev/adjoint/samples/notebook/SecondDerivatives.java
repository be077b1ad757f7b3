package dev.adjoint.samples.notebook;

/**
 * The notebook's second-derivative lesson: PyTorch needs {@code grad(..., create_graph=True)}
 * twice; here {@code @Differentiable(order = 2)} generates the Hessian, exactly (the forward
 * transform of the method, differentiated in reverse), and {@code order = 4} the derivatives of
 * 3x^2 up to the fourth, where PyTorch stops with an error.
 */
public final class SecondDerivatives {
  private SecondDerivatives() {}

  /** d^2u/dx^2 of {@link Lessons#u}: the x-x entry of {@code LessonsDiff.uHessian}. */
  public static double uxx(double x, double y) {
    return LessonsDiff.uHessian(x, y)[0][0];
  }

  /** 3x^2 and its derivatives up to the fourth at {@code x}. */
  public static double[] threeXSquaredDerivatives(double x) {
    return LessonsDiff.threeXSquaredDerivatives(x);
  }
}
