package golden;

import dev.adjoint.Differentiable;

public final class Calls {
  @Differentiable
  public static double power(double x, int n) {
    if (n == 0) {
      return 1;
    }
    return x * power(x, n - 1);
  }

  @Differentiable
  public static double normSquared(double x, double y) {
    return power(x, 2) + power(Math.sin(y), 2);
  }
}
