package golden;

import dev.adjoint.Differentiable;

public final class Loops {
  @Differentiable
  public static double sumOfSines(double x, double w, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.sin(w * i + x);
    }
    return s * s;
  }

  @Differentiable(wrt = "x")
  public static double growUntil(double x, double limit) {
    int steps = 0;
    while (x < limit && steps < 100) {
      x = x * 1.5 + Math.exp(-x);
      steps++;
    }
    return x;
  }

  @Differentiable
  public static double firstLarge(double x, int n) {
    double p = 1;
    for (int i = 0; i < n; i++) {
      p = p * x;
      if (p > 100) {
        return p + i;
      }
    }
    return -p;
  }
}
