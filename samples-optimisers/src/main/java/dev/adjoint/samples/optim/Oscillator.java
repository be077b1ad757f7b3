package dev.adjoint.samples.optim;

import dev.adjoint.Differentiable;

/** A damped oscillator, the model fitted by {@link OscillatorFit}; {@code OscillatorDiff} is generated. */
public final class Oscillator {
  private Oscillator() {}

  /**
   * {@code a e^{-k t} cos(w t + phi)} with {@code p = (a, k, w, phi)}: amplitude, damping rate,
   * angular frequency and phase.
   *
   * @param p the parameters, differentiated
   * @param t the time, a constant
   * @return the displacement at {@code t}
   */
  @Differentiable(wrt = "p")
  public static double displacement(double[] p, double t) {
    return p[0] * Math.exp(-p[1] * t) * Math.cos(p[2] * t + p[3]);
  }

  /**
   * The displacement at every time in {@code t}: what the finite-difference fit differentiates.
   *
   * @param p the parameters
   * @param t the times
   * @return one displacement per time
   */
  public static double[] displacements(double[] p, double[] t) {
    double[] y = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      y[i] = displacement(p, t[i]);
    }
    return y;
  }
}
