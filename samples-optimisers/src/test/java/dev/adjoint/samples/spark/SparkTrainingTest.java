package dev.adjoint.samples.spark;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.Vector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * The Spark sample in {@code local[2]} on a small data set: distributed over 4 partitions it
 * reaches the loss of the same L-BFGS run on one partition, and it learns the circle.
 */
class SparkTrainingTest {
  private static JavaSparkContext sc;

  @BeforeAll
  static void start() {
    sc = SparkTraining.context("local[2]");
    sc.setLogLevel("WARN");
  }

  @AfterAll
  static void stop() {
    sc.stop();
  }

  @Test
  void distributedRunReachesTheSingleMachineLossAndLearnsTheCircle() {
    SparkTraining.Config config = new SparkTraining.Config(20_000, 4, 8, 40, 1e-5, 42, false);
    JavaRDD<Tuple2<Object, Vector>> distributed = SparkTraining.synthetic(sc, 20_000, 4, 42);
    // The same examples on one partition: one task, one thread, no tree aggregation.
    JavaRDD<Tuple2<Object, Vector>> single = distributed.coalesce(1).cache();
    assertThat(single.getNumPartitions()).isEqualTo(1);
    assertThat(distributed.count()).isEqualTo(20_000L);

    SparkTraining.Result d = SparkTraining.train(sc, distributed, config);
    SparkTraining.Result s = SparkTraining.train(sc, single, config);

    assertWithMessage("distributed loss history %s", java.util.Arrays.toString(d.lossHistory()))
        .that(d.finalLoss()).isWithin(1e-3 * s.finalLoss()).of(s.finalLoss());
    // From log 2 (a coin) to well below the logistic loss of a linear model (about 0.6 here).
    assertThat(d.lossHistory()[0]).isGreaterThan(0.6);
    assertThat(d.finalLoss()).isLessThan(0.3);
    assertThat(SparkTraining.accuracy(distributed, d.weights())).isGreaterThan(0.90);
    JavaRDD<Tuple2<Object, Vector>> heldOut = SparkTraining.synthetic(sc, 5_000, 2, 7);
    assertThat(SparkTraining.accuracy(heldOut, d.weights())).isGreaterThan(0.90);
  }
}
