package dev.adjoint.samples.spark;

import dev.adjoint.spark.AdjointGradient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import org.apache.spark.mllib.optimization.LBFGS;
import org.apache.spark.mllib.optimization.SquaredL2Updater;
import org.apache.spark.mllib.optimization.Updater;
import org.apache.spark.util.DoubleAccumulator;
import scala.Tuple2;

/**
 * Trains {@link Network} with Spark MLlib's distributed L-BFGS ({@code LBFGS.runLBFGS}) on a
 * synthetic data set, the gradient of each example coming from Adjoint's generated {@code
 * NetworkDiff.lossAdjoint} through {@link AdjointGradient}. Prints a progress line per pass over
 * the data, the loss history and the accuracy on the training set and on held-out examples.
 *
 * <p>Run it with {@code mvn -B -ntp -q -DskipTests -pl samples-optimisers -am -Prun-spark-sample
 * package} (add {@code -Dspark.sample.args="examples=200000 master=local[2]"} to change the
 * defaults); submit it to a cluster with {@code spark-submit --class
 * dev.adjoint.samples.spark.SparkTraining} (docs/optimisers-and-spark.md).
 *
 * <p>The data: two features uniform in [-2, 2]², label 1 inside the circle of radius 1.2 and 0
 * outside, with 5 % of the labels flipped, so that no classifier exceeds 95 % accuracy.
 */
public final class SparkTraining {
  private SparkTraining() {}

  /** The fraction of labels flipped: the best accuracy possible is one minus this. */
  static final double LABEL_NOISE = 0.05;

  /**
   * What to train.
   *
   * @param examples training examples
   * @param partitions partitions of the training set
   * @param hidden hidden units
   * @param iterations L-BFGS's most iterations
   * @param regularisation the L2 penalty's weight
   * @param seed the data's and the initial weights' seed
   * @param progress whether to print a line per pass over the data
   */
  public record Config(long examples, int partitions, int hidden, int iterations,
      double regularisation, long seed, boolean progress) {}

  /**
   * What training gave.
   *
   * @param weights the trained weights
   * @param lossHistory the objective (mean loss plus penalty) after each L-BFGS iteration
   * @param evaluations passes over the training data (L-BFGS's function evaluations)
   * @param seconds wall time of the optimisation
   */
  public record Result(double[] weights, double[] lossHistory, int evaluations, double seconds) {
    /** @return the final objective */
    public double finalLoss() {
      return lossHistory[lossHistory.length - 1];
    }
  }

  /** A partition's examples, generated on the executor from the partition's own seed. */
  private static final class Examples implements Iterator<Tuple2<Object, Vector>> {
    private final Random random;
    private long left;

    Examples(long seed, long count) {
      this.random = new Random(seed);
      this.left = count;
    }

    @Override
    public boolean hasNext() {
      return left > 0;
    }

    @Override
    public Tuple2<Object, Vector> next() {
      if (left-- <= 0) {
        throw new NoSuchElementException();
      }
      double x0 = 4 * random.nextDouble() - 2;
      double x1 = 4 * random.nextDouble() - 2;
      double label = x0 * x0 + x1 * x1 < 1.44 ? 1 : 0;
      if (random.nextDouble() < LABEL_NOISE) {
        label = 1 - label;
      }
      return new Tuple2<>(label, Vectors.dense(x0, x1));
    }
  }

  /**
   * A synthetic data set of {@code examples} examples in {@code partitions} partitions, each
   * generated where it is used (nothing is shipped but a seed).
   *
   * @param sc the context
   * @param examples how many
   * @param partitions in how many partitions
   * @param seed the seed
   * @return (label, features) pairs, as {@code LBFGS.runLBFGS} takes them, cached
   */
  public static JavaRDD<Tuple2<Object, Vector>> synthetic(JavaSparkContext sc, long examples,
      int partitions, long seed) {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      ids.add(i);
    }
    return sc.parallelize(ids, partitions)
        .flatMap(id -> new Examples(seed * 1_000_003L + id,
            examples / partitions + (id < examples % partitions ? 1 : 0)))
        .cache();
  }

  /** Adds each example's loss to an accumulator, so that the driver can print it per pass. */
  private static final class LossTracking extends Gradient {
    private static final long serialVersionUID = 1L;
    private final Gradient gradient;
    private final DoubleAccumulator losses;

    LossTracking(Gradient gradient, DoubleAccumulator losses) {
      this.gradient = gradient;
      this.losses = losses;
    }

    @Override
    public double compute(Vector data, double label, Vector weights, Vector cumGradient) {
      double loss = gradient.compute(data, label, weights, cumGradient);
      losses.add(loss);
      return loss;
    }

    @Override
    public Tuple2<Vector, Object> compute(Vector data, double label, Vector weights) {
      return gradient.compute(data, label, weights);
    }
  }

  /**
   * The L2 updater, which MLlib's L-BFGS calls on the driver once per pass over the data (with
   * step 0, for the penalty) right after the pass's aggregation: the moment to print progress.
   */
  private static final class Progress extends Updater {
    private static final long serialVersionUID = 1L;
    private final SquaredL2Updater l2 = new SquaredL2Updater();
    private final transient DoubleAccumulator losses;
    private final boolean print;
    private int evaluations;
    private long last = System.nanoTime();

    Progress(DoubleAccumulator losses, boolean print) {
      this.losses = losses;
      this.print = print;
    }

    @Override
    public Tuple2<Vector, Object> compute(Vector weightsOld, Vector gradient, double stepSize,
        int iter, double regParam) {
      Tuple2<Vector, Object> result = l2.compute(weightsOld, gradient, stepSize, iter, regParam);
      if (stepSize == 0) {
        evaluations++;
        long now = System.nanoTime();
        double seconds = (now - last) / 1e9;
        last = now;
        if (print) {
          long n = losses.count();
          System.out.printf(Locale.ROOT,
              "  pass %3d: loss %.6f (mean %.6f + penalty %.6f), %,d examples in %.2f s, %.2f M examples/s%n",
              evaluations, losses.avg() + (double) result._2(), losses.avg(), (double) result._2(),
              n, seconds, n / seconds / 1e6);
        }
        losses.reset();
      }
      return result;
    }
  }

  /**
   * Trains the network on {@code data} with {@code LBFGS.runLBFGS} and Adjoint's gradient.
   *
   * @param sc the context
   * @param data the training set
   * @param config what to train
   * @return the weights, the loss history and the time
   */
  public static Result train(JavaSparkContext sc, JavaRDD<Tuple2<Object, Vector>> data,
      Config config) {
    Random random = new Random(config.seed());
    double[] initial = new double[Network.weightCount(config.hidden())];
    for (int i = 0; i < initial.length; i++) {
      initial[i] = 0.5 * random.nextGaussian();
    }
    DoubleAccumulator losses = sc.sc().doubleAccumulator("loss");
    Progress progress = new Progress(losses, config.progress());
    // The one line a user needs: the generated adjoint as MLlib's Gradient.
    Gradient gradient = new AdjointGradient(NetworkDiff::lossAdjoint);
    long start = System.nanoTime();
    Tuple2<Vector, double[]> result = LBFGS.runLBFGS(data.rdd(),
        new LossTracking(gradient, losses), progress, 10, 1e-7, config.iterations(),
        config.regularisation(), Vectors.dense(initial));
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(result._1().toArray(), result._2(), progress.evaluations, seconds);
  }

  /**
   * The fraction of {@code data} that {@code weights} classify correctly.
   *
   * @param data labelled examples
   * @param weights the network's weights
   * @return the accuracy, in [0, 1]
   */
  public static double accuracy(JavaRDD<Tuple2<Object, Vector>> data, double[] weights) {
    long right = data.filter(e ->
        Network.predict(weights, ((DenseVector) e._2()).values()) == (double) e._1()).count();
    return (double) right / data.count();
  }

  /** A local (or any) Spark context for the sample and its tests. */
  static JavaSparkContext context(String master) {
    SparkConf conf = new SparkConf().setAppName("adjoint-spark-training")
        .set("spark.ui.enabled", "false");
    if (master != null) {
      conf.setMaster(master);
    }
    if (conf.get("spark.master", "").startsWith("local")) {
      conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
    }
    return new JavaSparkContext(conf);
  }

  /**
   * Trains on a synthetic set and prints the progress, the loss history and the accuracy.
   *
   * @param args {@code key=value} pairs: {@code examples} (1000000), {@code master} ({@code
   *     local[*]}; leave it to spark-submit with {@code master=submit}), {@code partitions}
   *     (4 per core), {@code hidden} (8), {@code iterations} (100)
   */
  public static void main(String[] args) {
    java.util.Map<String, String> options = new java.util.HashMap<>();
    for (String arg : args) {
      for (String pair : arg.trim().split("\\s+")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          options.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    long examples = Long.parseLong(options.getOrDefault("examples", "1000000"));
    String master = options.getOrDefault("master", "local[*]");
    int hidden = Integer.parseInt(options.getOrDefault("hidden", "8"));
    int iterations = Integer.parseInt(options.getOrDefault("iterations", "100"));
    try (JavaSparkContext sc = context(master.equals("submit") ? null : master)) {
      sc.setLogLevel("WARN");
      int cores = sc.defaultParallelism();
      int partitions = Integer.parseInt(options.getOrDefault("partitions", String.valueOf(4 * cores)));
      Config config = new Config(examples, partitions, hidden, iterations, 1e-5, 42, true);
      System.out.printf(Locale.ROOT,
          "Spark %s, master %s (%d cores), %,d synthetic examples in %d partitions;%n"
              + "tanh network, %d hidden units (%d weights); gradient: NetworkDiff::lossAdjoint through AdjointGradient%n",
          sc.version(), sc.master(), cores, examples, partitions, hidden, Network.weightCount(hidden));
      long t0 = System.nanoTime();
      JavaRDD<Tuple2<Object, Vector>> train = synthetic(sc, examples, partitions, config.seed());
      JavaRDD<Tuple2<Object, Vector>> test = synthetic(sc, Math.max(examples / 5, 1), partitions, 7);
      System.out.printf(Locale.ROOT, "generated and cached %,d training and %,d held-out examples in %.1f s%n",
          train.count(), test.count(), (System.nanoTime() - t0) / 1e9);
      System.out.println("L-BFGS (10 corrections, L2 penalty 1e-5):");
      Result result = train(sc, train, config);
      System.out.printf(Locale.ROOT, "%d iterations, %d passes over the data, %.1f s (%.2f M example gradients/s)%n",
          result.lossHistory().length - 1, result.evaluations(), result.seconds(),
          examples * (double) result.evaluations() / result.seconds() / 1e6);
      System.out.println("loss history (one value per iteration):");
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < result.lossHistory().length; i++) {
        line.append(String.format(Locale.ROOT, " %.5f", result.lossHistory()[i]));
        if (i % 10 == 9 || i == result.lossHistory().length - 1) {
          System.out.println(" " + line);
          line.setLength(0);
        }
      }
      System.out.printf(Locale.ROOT, "accuracy: training %.3f %%, held-out %.3f %% (at most %.0f %%: %.0f %% of the labels are flipped)%n",
          100 * accuracy(train, result.weights()), 100 * accuracy(test, result.weights()),
          100 * (1 - LABEL_NOISE), 100 * LABEL_NOISE);
    }
  }
}
