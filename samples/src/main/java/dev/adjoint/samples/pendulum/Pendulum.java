package dev.adjoint.samples.pendulum;

import dev.adjoint.Differentiable;

/**
 * A pendulum integrated by explicit Euler: the angle after {@code steps} steps of {@code dt},
 * and its derivatives with respect to the initial state, the step, gravity and the length.
 * {@link #swing} checkpoints its loop ({@code checkpoint = true}); {@link #swingRecorded} is the
 * same method recording every step, for comparison.
 */
public final class Pendulum {
  private Pendulum() {}

  /** The angle after {@code steps} Euler steps; its loop is checkpointed in reverse mode. */
  @Differentiable(checkpoint = true)
  public static double swing(double theta0, double omega0, double dt, double g, double l,
      int steps) {
    double theta = theta0;
    double omega = omega0;
    for (int i = 0; i < steps; i++) {
      theta += dt * omega;
      omega -= dt * g / l * Math.sin(theta);
    }
    return theta;
  }

  /** {@link #swing} without checkpointing: the gradient records every step. */
  @Differentiable
  public static double swingRecorded(double theta0, double omega0, double dt, double g,
      double l, int steps) {
    double theta = theta0;
    double omega = omega0;
    for (int i = 0; i < steps; i++) {
      theta += dt * omega;
      omega -= dt * g / l * Math.sin(theta);
    }
    return theta;
  }
}
