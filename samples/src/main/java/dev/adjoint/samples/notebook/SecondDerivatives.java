package dev.adjoint.samples.notebook;

/**
 * The notebook's second-derivative lesson. Until Hessians exist ({@code @Differentiable(order =
 * 2)}, {@code uHessian}), the second derivative is a central difference of the generated first
 * derivative: exact first derivative, approximate second. Switch the body to the Hessian's
 * {@code xx} entry when it lands.
 */
public final class SecondDerivatives {
  private SecondDerivatives() {}

  /** d^2u/dx^2 of {@link Lessons#u}, by differencing {@code LessonsDiff.uGrad(..).dX()}. */
  public static double uxx(double x, double y) {
    double h = 1e-4 * Math.max(1, Math.abs(x));
    return (LessonsDiff.uGrad(x + h, y).dX() - LessonsDiff.uGrad(x - h, y).dX()) / (2 * h);
  }
}
