package dev.adjoint.samples.natural;

import dev.adjoint.Differentiable;

/**
 * Fisher-KPP reaction-diffusion, {@code u_t = D u_xx + r u (1 - u)} on [0, 1], integrated with
 * explicit Euler steps on a uniform grid whose end values are held fixed. Written as such
 * integrators usually are: the new state goes into a second array, and the two arrays are
 * swapped after each step (the double buffer).
 */
public final class ReactionDiffusion {
  private ReactionDiffusion() {}

  /**
   * The state after {@code steps} steps of size {@code dt} from {@code u0}, summarised as
   * the squared distance to {@code observed}: a misfit whose gradient with respect to the
   * initial state, the diffusion and the rate is what a parameter fit needs.
   */
  @Differentiable
  public static double misfit(double[] u0, double diffusion, double rate, double dt, int steps,
      double[] observed) {
    int n = u0.length;
    double h = 1.0 / (n - 1);
    double[] u = u0.clone();
    double[] next = new double[n];
    for (int step = 0; step < steps; step++) {
      next[0] = u[0];
      next[n - 1] = u[n - 1];
      for (int i = 1; i < n - 1; i++) {
        double laplacian = (u[i - 1] - 2 * u[i] + u[i + 1]) / (h * h);
        next[i] = u[i] + dt * (diffusion * laplacian + rate * u[i] * (1 - u[i]));
      }
      double[] t = u;
      u = next;
      next = t;
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double d = u[i] - observed[i];
      sum += d * d;
    }
    return sum;
  }
}
