package dev.adjoint.spark;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.runtime.Tape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The adapter against central differences, MLlib's own logistic gradient, and the JVM's allocation counter. */
class AdjointGradientTest {
  private static final Gradient NETWORK = new AdjointGradient(LossesDiff::networkAdjoint);

  private static double[] weights(int n, long seed) {
    Random random = new Random(seed);
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = random.nextGaussian();
    }
    return w;
  }

  @Test
  void networkGradientMatchesCentralDifferences() {
    double[] w = weights(4 * 5 + 1, 1);
    double[] x = {0.3, -1.1};
    for (double label : new double[] {0, 1}) {
      Vector cum = Vectors.zeros(w.length);
      double loss = NETWORK.compute(Vectors.dense(x), label, Vectors.dense(w), cum);
      assertThat(loss).isWithin(1e-14).of(Losses.network(w, x, label));
      double[] g = cum.toArray();
      for (int j = 0; j < w.length; j++) {
        double h = 1e-6 * (1 + Math.abs(w[j]));
        double[] plus = w.clone();
        double[] minus = w.clone();
        plus[j] += h;
        minus[j] -= h;
        double expected = (Losses.network(plus, x, label) - Losses.network(minus, x, label)) / (2 * h);
        assertWithMessage("dLoss/dw[%s], label %s", j, label).that(g[j]).isWithin(1e-8).of(expected);
      }
    }
  }

  @Test
  void accumulatesIntoTheBufferAndTheAllocatingOverloadAgrees() {
    double[] w = weights(4 * 3 + 1, 2);
    Vector x1 = Vectors.dense(0.5, 0.25);
    Vector x2 = Vectors.dense(-0.7, 1.5);
    Vector cum = Vectors.zeros(w.length);
    double l1 = NETWORK.compute(x1, 1.0, Vectors.dense(w), cum);
    double l2 = NETWORK.compute(x2, 0.0, Vectors.dense(w), cum);
    Tuple2<Vector, Object> g1 = NETWORK.compute(x1, 1.0, Vectors.dense(w));
    Tuple2<Vector, Object> g2 = NETWORK.compute(x2, 0.0, Vectors.dense(w));
    assertThat((double) g1._2()).isEqualTo(l1);
    assertThat((double) g2._2()).isEqualTo(l2);
    double[] a = g1._1().toArray();
    double[] b = g2._1().toArray();
    double[] sum = cum.toArray();
    for (int j = 0; j < w.length; j++) {
      assertThat(sum[j]).isWithin(1e-15).of(a[j] + b[j]);
    }
  }

  @Test
  void logisticMatchesMllibsOwnLogisticGradient() {
    Gradient adjoint = new AdjointGradient(LossesDiff::logisticAdjoint);
    Gradient mllib = new LogisticGradient();
    Random random = new Random(3);
    double[] w = weights(6, 3);
    Vector cumAdjoint = Vectors.zeros(w.length);
    Vector cumMllib = Vectors.zeros(w.length);
    for (int i = 0; i < 200; i++) {
      double[] x = weights(6, 100 + i);
      double label = random.nextBoolean() ? 1 : 0;
      double la = adjoint.compute(Vectors.dense(x), label, Vectors.dense(w), cumAdjoint);
      double lm = mllib.compute(Vectors.dense(x), label, Vectors.dense(w), cumMllib);
      assertThat(la).isWithin(1e-12).of(lm);
    }
    assertThat(cumAdjoint.toArray()).usingTolerance(1e-11).containsExactly(cumMllib.toArray()).inOrder();
    // Sparse features are densified.
    Vector sparse = Vectors.sparse(6, new int[] {1, 4}, new double[] {0.5, -2});
    Vector a = Vectors.zeros(6);
    Vector m = Vectors.zeros(6);
    adjoint.compute(sparse, 1.0, Vectors.dense(w), a);
    mllib.compute(sparse, 1.0, Vectors.dense(w), m);
    assertThat(a.toArray()).usingTolerance(1e-14).containsExactly(m.toArray()).inOrder();
  }

  @Test
  void survivesJavaSerialisationAsSparkShipsIt() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(NETWORK);
    }
    Gradient copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (Gradient) in.readObject();
    }
    double[] w = weights(13, 4);
    Vector x = Vectors.dense(0.1, 0.2);
    assertThat(copy.compute(x, 1.0, Vectors.dense(w), Vectors.zeros(13)))
        .isEqualTo(NETWORK.compute(x, 1.0, Vectors.dense(w), Vectors.zeros(13)));
    // What travels is the method reference's name, not generated code: a few hundred bytes.
    assertThat(bytes.size()).isLessThan(2_000);
  }

  @Test
  void perExampleAccumulationAllocatesNothing() {
    double[] w = weights(4 * 8 + 1, 5);
    int examples = 1024;
    DenseVector[] features = new DenseVector[examples];
    double[] labels = new double[examples];
    Random random = new Random(6);
    for (int i = 0; i < examples; i++) {
      features[i] = new DenseVector(new double[] {random.nextGaussian(), random.nextGaussian()});
      labels[i] = random.nextBoolean() ? 1 : 0;
    }
    DenseVector weights = new DenseVector(w);
    DenseVector cum = new DenseVector(new double[w.length]);
    double sink = 0;
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < examples; i++) {
        sink += NETWORK.compute(features[i], labels[i], weights, cum);
      }
    }
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    int calls = 0;
    long before = bean.getThreadAllocatedBytes(id);
    for (int round = 0; round < 100; round++) {
      for (int i = 0; i < examples; i++) {
        sink += NETWORK.compute(features[i], labels[i], weights, cum);
        calls++;
      }
    }
    long bytes = bean.getThreadAllocatedBytes(id) - before;
    assertThat(sink).isNotNaN();
    // One allocation per example (16 bytes at least) would be 1.6 MB; what is left is the
    // measurement itself.
    assertWithMessage("bytes allocated by %s per-example gradient accumulations", calls)
        .that(bytes).isLessThan(4_096L);
    assertThat(new Tape().bytes()).isAtLeast(0L);
  }
}
