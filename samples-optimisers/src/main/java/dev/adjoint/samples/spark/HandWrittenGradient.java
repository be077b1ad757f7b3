package dev.adjoint.samples.spark;

import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import scala.Tuple2;

/**
 * {@link Network#loss}'s gradient written by hand as an MLlib {@link Gradient}: what the
 * benchmark compares the generated one with. It keeps the hidden activations in a per-thread
 * scratch array, as the adapter keeps its tape, so that neither allocates per example.
 */
public final class HandWrittenGradient extends Gradient {
  private static final long serialVersionUID = 1L;
  private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[0]);

  @Override
  public double compute(Vector data, double label, Vector weights, Vector cumGradient) {
    double[] x = ((DenseVector) data).values();
    double[] w = ((DenseVector) weights).values();
    double[] g = ((DenseVector) cumGradient).values();
    int hidden = (w.length - 1) / 4;
    double[] t = SCRATCH.get();
    if (t.length < hidden) {
      t = new double[hidden];
      SCRATCH.set(t);
    }
    double z = w[4 * hidden];
    for (int k = 0; k < hidden; k++) {
      t[k] = Math.tanh(w[4 * k] * x[0] + w[4 * k + 1] * x[1] + w[4 * k + 2]);
      z += w[4 * k + 3] * t[k];
    }
    double e = Math.exp(-Math.abs(z));
    double loss = Math.max(z, 0) + Math.log1p(e) - label * z;
    // d loss / dz = sigmoid(z) - label, computed from e = exp(-|z|) without overflow.
    double dz = (z >= 0 ? 1 / (1 + e) : e / (1 + e)) - label;
    g[4 * hidden] += dz;
    for (int k = 0; k < hidden; k++) {
      double da = dz * w[4 * k + 3] * (1 - t[k] * t[k]);
      g[4 * k] += da * x[0];
      g[4 * k + 1] += da * x[1];
      g[4 * k + 2] += da;
      g[4 * k + 3] += dz * t[k];
    }
    return loss;
  }

  @Override
  public Tuple2<Vector, Object> compute(Vector data, double label, Vector weights) {
    Vector g = Vectors.zeros(weights.size());
    double loss = compute(data, label, weights, g);
    return new Tuple2<>(g, loss);
  }
}
