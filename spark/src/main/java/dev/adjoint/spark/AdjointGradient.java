package dev.adjoint.spark;

import dev.adjoint.runtime.Tape;
import java.io.Serializable;
import java.util.Objects;
import org.apache.spark.mllib.linalg.DenseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.mllib.optimization.Gradient;
import scala.Tuple2;

/**
 * Spark MLlib's {@link Gradient} from the generated adjoint of a per-example loss, for {@code
 * LBFGS.runLBFGS}, {@code GradientDescent} and anything else that takes a {@code Gradient}.
 *
 * <p>Write the loss of one example as a static method whose first three parameters are the
 * weights, the features and the label, differentiated with respect to the weights:
 *
 * <pre>{@code
 * @Differentiable(wrt = "w")
 * public static double loss(double[] w, double[] x, double label) { ... }
 * }</pre>
 *
 * <p>The processor generates {@code lossAdjoint(w, x, label, seed, wAdjoint, tape)}, which has
 * the shape of {@link ExampleAdjoint}, so that
 *
 * <pre>{@code
 * Gradient gradient = new AdjointGradient(ModelDiff::lossAdjoint);
 * Tuple2<Vector, double[]> result = LBFGS.runLBFGS(data.rdd(), gradient,
 *     new SquaredL2Updater(), 10, 1e-6, 50, 1e-4, initialWeights);
 * }</pre>
 *
 * <p>MLlib calls {@link #compute(Vector, double, Vector, Vector)} once per example inside each
 * partition's aggregation, with one cumulative gradient buffer per task; the generated adjoint
 * adds into that buffer directly, on a tape owned by the calling thread and reused for every
 * example it processes. With dense features (and MLlib's dense weights and buffer), the call
 * allocates nothing once the thread's tape has grown to the loss's needs, beyond what the loss
 * itself allocates (its own local arrays). Sparse features are densified (an array per example).
 *
 * <p>Nothing of Adjoint's needs to be serialised: generated code is static methods, and what
 * Spark ships to the executors is this object holding the method reference, which names the
 * generated class (the executors load it from the application's jar). The tape is per thread,
 * created on the executor.
 */
public class AdjointGradient extends Gradient {
  private static final long serialVersionUID = 1L;

  /** One tape per thread: executor threads process one example at a time, task after task. */
  private static final ThreadLocal<Tape> TAPES = ThreadLocal.withInitial(Tape::new);

  /**
   * The shape of the generated adjoint of a per-example loss {@code double loss(double[]
   * weights, double[] features, double label)} differentiated with respect to {@code weights}:
   * {@code lossAdjoint(weights, features, label, seed, weightsAdjoint, tape)}. A method reference
   * to the generated method fills it; it is {@link Serializable} because Spark ships it to the
   * executors (a method reference to a static method serialises as its name).
   */
  @FunctionalInterface
  public interface ExampleAdjoint extends Serializable {
    /**
     * Evaluates the loss of one example and adds {@code seed} times its gradient with respect to
     * the weights into {@code weightsAdjoint}.
     *
     * @param weights the model's weights
     * @param features the example's features
     * @param label the example's label
     * @param seed the factor of the gradient
     * @param weightsAdjoint the buffer the gradient is added into, as long as {@code weights}
     * @param tape the tape to record on, owned by the calling thread
     * @return the example's loss
     */
    double adjoint(double[] weights, double[] features, double label, double seed,
        double[] weightsAdjoint, Tape tape);
  }

  /** The generated adjoint of the per-example loss. */
  private final ExampleAdjoint adjoint;

  /**
   * A gradient that evaluates the loss and its gradient with {@code adjoint}.
   *
   * @param adjoint the generated adjoint of the per-example loss, e.g. {@code
   *     ModelDiff::lossAdjoint}
   */
  public AdjointGradient(ExampleAdjoint adjoint) {
    this.adjoint = Objects.requireNonNull(adjoint, "adjoint");
  }

  /**
   * Adds the gradient of the loss of one example into {@code cumGradient} and returns the loss.
   * The weights and the buffer are read and written in place when they are dense (MLlib's
   * optimisers always pass dense ones).
   *
   * @param data the example's features
   * @param label the example's label
   * @param weights the model's weights
   * @param cumGradient the buffer the gradient is added into, as long as the weights
   * @return the example's loss
   */
  @Override
  public double compute(Vector data, double label, Vector weights, Vector cumGradient) {
    if (!(cumGradient instanceof DenseVector)) {
      throw new IllegalArgumentException(
          "cumGradient must be a DenseVector (MLlib's optimisers pass one), not "
              + cumGradient.getClass().getName());
    }
    double[] g = ((DenseVector) cumGradient).values();
    return adjoint.adjoint(values(weights), values(data), label, 1.0, g, TAPES.get());
  }

  /**
   * The loss of one example and its gradient, in a new vector.
   *
   * @param data the example's features
   * @param label the example's label
   * @param weights the model's weights
   * @return the gradient and the loss
   */
  @Override
  public Tuple2<Vector, Object> compute(Vector data, double label, Vector weights) {
    double[] g = new double[weights.size()];
    double loss = adjoint.adjoint(values(weights), values(data), label, 1.0, g, TAPES.get());
    return new Tuple2<>(Vectors.dense(g), loss);
  }

  /** The array behind a dense vector (no copy), or the sparse vector's elements densified. */
  private static double[] values(Vector v) {
    return v instanceof DenseVector ? ((DenseVector) v).values() : v.toArray();
  }
}
