package golden;

import dev.adjoint.Differentiable;

public final class Complexe {
  @Differentiable
  public static double complexe(double x, double y, double z) {
    double a = Math.atan(x / y);
    double b = Math.cos(z * z - x);
    return x * y * a * b / z + a - b;
  }
}
