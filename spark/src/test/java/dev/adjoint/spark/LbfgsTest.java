package dev.adjoint.spark;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.LogisticGradient;
import org.apache.spark.mllib.optimization.SquaredL2Updater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** {@code LBFGS.runLBFGS} in {@code local[2]} with the adapter, against MLlib's own gradient. */
class LbfgsTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = new JavaSparkContext(new SparkConf()
        .setMaster("local[2]")
        .setAppName("adjoint-spark-test")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1"));
    sc.setLogLevel("WARN");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  private static JavaRDD<Tuple2<Object, Vector>> data(int n, int partitions) {
    Random random = new Random(7);
    double[] truth = {1.5, -2.0, 0.5, 0.0, 1.0};
    List<Tuple2<Object, Vector>> examples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] x = new double[truth.length];
      double z = 0;
      for (int j = 0; j < x.length; j++) {
        x[j] = j == 0 ? 1.0 : random.nextGaussian();
        z += truth[j] * x[j];
      }
      double label = random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      examples.add(new Tuple2<>(label, Vectors.dense(x)));
    }
    return sc.parallelize(examples, partitions).cache();
  }

  @Test
  void distributedLbfgsConvergesToTheLossOfMllibsOwnGradientOnOnePartition() {
    JavaRDD<Tuple2<Object, Vector>> distributed = data(4_000, 4);
    JavaRDD<Tuple2<Object, Vector>> single = distributed.coalesce(1).cache();
    Vector start = Vectors.zeros(5);
    Tuple2<Vector, double[]> adjoint = LBFGS.runLBFGS(distributed.rdd(),
        new AdjointGradient(LossesDiff::logisticAdjoint), new SquaredL2Updater(), 10, 1e-9, 100,
        1e-3, start);
    Tuple2<Vector, double[]> reference = LBFGS.runLBFGS(single.rdd(), new LogisticGradient(),
        new SquaredL2Updater(), 10, 1e-9, 100, 1e-3, start);
    double[] lossA = adjoint._2();
    double[] lossR = reference._2();
    assertThat(lossA[lossA.length - 1]).isWithin(1e-9).of(lossR[lossR.length - 1]);
    assertThat(lossA[lossA.length - 1]).isLessThan(0.8 * lossA[0]);
    assertThat(adjoint._1().toArray()).usingTolerance(1e-4)
        .containsExactly(reference._1().toArray()).inOrder();
  }
}
