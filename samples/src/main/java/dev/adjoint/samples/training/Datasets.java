package dev.adjoint.samples.training;

import dev.adjoint.samples.Gaussian;
import java.util.SplittableRandom;

/** Small two-class datasets in the plane, generated from a seed. */
public final class Datasets {
  private Datasets() {}

  /** Points and their labels (0 or 1). */
  public record Dataset(double[][] x, double[] y) {}

  /** Two Gaussian blobs centred at (-1, -1) and (1, 1), standard deviation {@code spread}. */
  public static Dataset blobs(int perClass, double spread, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] x = new double[2 * perClass][];
    double[] y = new double[2 * perClass];
    for (int i = 0; i < 2 * perClass; i++) {
      int label = i % 2;
      double centre = label == 0 ? -1 : 1;
      x[i] = new double[] {centre + spread * Gaussian.next(random), centre + spread * Gaussian.next(random)};
      y[i] = label;
    }
    return new Dataset(x, y);
  }

  /**
   * Two interleaved half-moons (not linearly separable), with uniform noise of amplitude {@code
   * noise}.
   */
  public static Dataset moons(int perClass, double noise, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] x = new double[2 * perClass][];
    double[] y = new double[2 * perClass];
    for (int i = 0; i < 2 * perClass; i++) {
      int label = i % 2;
      double angle = Math.PI * random.nextDouble();
      double px = label == 0 ? Math.cos(angle) : 1 - Math.cos(angle);
      double py = label == 0 ? Math.sin(angle) : 0.5 - Math.sin(angle);
      x[i] = new double[] {
        px + noise * (2 * random.nextDouble() - 1), py + noise * (2 * random.nextDouble() - 1)
      };
      y[i] = label;
    }
    return new Dataset(x, y);
  }
}
