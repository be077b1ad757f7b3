package dev.adjoint.samples.training;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The training sample: logistic regression on two Gaussian blobs and a small tanh network on two
 * half-moons, trained by gradient descent on Adjoint's gradients, with a progress bar and a PNG
 * of the loss curves.
 *
 * <p>Run: {@code mvn -B -ntp -q -DskipTests -Prun-samples package -Dsample=training}; the plot is
 * written to {@code samples/target/training-loss.png} (or the directory given by the system
 * property {@code adjoint.samples.out}).
 */
public final class TrainingSample {
  private TrainingSample() {}

  public static void main(String[] args) {
    Datasets.Dataset blobs = Datasets.blobs(200, 0.6, 1);
    Datasets.Dataset moons = Datasets.moons(200, 0.15, 2);
    System.out.println("Training by gradient descent (momentum 0.9) on Adjoint's gradients:");
    Training.Result logistic = Training.logisticRegression(blobs, 300, 0.1, System.out);
    Training.Result network = Training.network(moons, 16, 3000, 0.05, 3, System.out);
    System.out.printf(Locale.ROOT, "  logistic regression on 400 blob points: loss %.4f -> %.4f,"
        + " training accuracy %.1f%%%n", logistic.losses()[0], last(logistic.losses()),
        100 * logistic.accuracy());
    System.out.printf(Locale.ROOT, "  2-16-1 tanh network on 400 moon points:  loss %.4f -> %.4f,"
        + " training accuracy %.1f%%%n", network.losses()[0], last(network.losses()),
        100 * network.accuracy());
    Path out = Path.of(System.getProperty("adjoint.samples.out", "samples/target"))
        .resolve("training-loss.png");
    LossPlot.write(out, "Training loss (binary cross-entropy)", List.of(
        new LossPlot.Curve("logistic regression (blobs)", logistic.losses()),
        new LossPlot.Curve("2-16-1 network (moons)", network.losses())));
    System.out.println("  loss curves: " + out.toAbsolutePath().normalize());
  }

  private static double last(double[] values) {
    return values[values.length - 1];
  }
}
