package dev.adjoint.samples.objects;

import dev.adjoint.Differentiable;

/**
 * A damped oscillator {@code m x'' + c x' + k x = 0} integrated with semi-implicit Euler, written
 * with records: the physical {@link Params} and the initial {@link State}. The gradient of
 * {@link #energy} has the same shapes: {@code dP()} is a {@code Params} of partials, {@code
 * dS0()} a {@code State}, so that a calibration step reads {@link Params#step}.
 */
public final class Oscillator {
  private Oscillator() {}

  /** Stiffness, damping and mass. */
  public record Params(double k, double c, double m) {
    /** A gradient step: {@code this - rate * g}, component by component. */
    public Params step(Params g, double rate) {
      return new Params(k - rate * g.k(), c - rate * g.c(), m - rate * g.m());
    }
  }

  /** Position and velocity. */
  public record State(double x, double v) {}

  /** The mechanical energy after {@code steps} steps of {@code dt} from {@code s0}. */
  @Differentiable(order = 2)
  public static double energy(Params p, State s0, double dt, int steps) {
    double x = s0.x();
    double v = s0.v();
    for (int i = 0; i < steps; i++) {
      double a = -(p.k() * x + p.c() * v) / p.m();
      v += a * dt;
      x += v * dt;
    }
    return 0.5 * p.m() * v * v + 0.5 * p.k() * x * x;
  }

  /** Calibrates the damping so that the energy after one second is a target, by gradient steps. */
  public static void main(String[] args) {
    Params p = new Params(4.0, 0.1, 1.0);
    State s0 = new State(1.0, 0.0);
    double target = 0.5;
    for (int iteration = 0; iteration < 200; iteration++) {
      OscillatorDiff.EnergyGrad g = OscillatorDiff.energyGrad(p, s0, 0.01, 100);
      double miss = g.value() - target;
      // d(miss^2 / 2)/dp = miss * dE/dp; only the damping is calibrated.
      p = p.step(new Params(0, miss * g.dP().c(), 0), 0.5);
    }
    System.out.printf("damping %.6f gives energy %.6f%n", p.c(),
        energy(p, s0, 0.01, 100));
  }
}
