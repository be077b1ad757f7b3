package dev.adjoint.samples.spark;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.spark.AdjointGradient;
import java.util.Random;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import org.junit.jupiter.api.Test;

/** The benchmark compares like with like: the hand-written gradient equals the generated one. */
class HandWrittenGradientTest {
  @Test
  void handWrittenAndGeneratedGradientsAgree() {
    Random random = new Random(9);
    for (int hidden : new int[] {1, 8, 32}) {
      double[] w = new double[Network.weightCount(hidden)];
      for (int i = 0; i < w.length; i++) {
        w[i] = random.nextGaussian();
      }
      Gradient adjoint = new AdjointGradient(NetworkDiff::lossAdjoint);
      Gradient hand = new HandWrittenGradient();
      Vector a = Vectors.zeros(w.length);
      Vector h = Vectors.zeros(w.length);
      for (int i = 0; i < 100; i++) {
        // Large logits too, where the loss's two branches differ.
        double scale = i % 10 == 0 ? 20 : 2;
        Vector x = Vectors.dense(scale * random.nextGaussian(), scale * random.nextGaussian());
        double label = random.nextBoolean() ? 1 : 0;
        double la = adjoint.compute(x, label, Vectors.dense(w), a);
        double lh = hand.compute(x, label, Vectors.dense(w), h);
        assertThat(la).isWithin(1e-12 * (1 + Math.abs(lh))).of(lh);
      }
      assertThat(a.toArray()).usingTolerance(1e-9).containsExactly(h.toArray()).inOrder();
    }
  }
}
