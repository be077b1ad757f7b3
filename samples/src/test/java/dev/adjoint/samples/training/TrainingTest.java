package dev.adjoint.samples.training;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.Flat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingTest {

  @Test
  void logisticLossGradientMatchesFiniteDifferences() {
    Datasets.Dataset data = Datasets.blobs(20, 0.8, 5);
    double[] w = {0.3, -0.7};
    double b = 0.2;
    double[] dW = new double[2];
    double[] dB = new double[1];
    ModelsDiff.logisticLossAdjoint(w, b, data.x(), data.y(), 1.0, dB, dW, new Tape());
    double[] at = {w[0], w[1], b};
    Flat.checkEntries(p -> Models.logisticLoss(new double[] {p[0], p[1]}, p[2], data.x(),
        data.y()), at, new double[] {dW[0], dW[1], dB[0]}, new int[] {0, 1, 2}, 1e-7, 1e-10)
        .assertPassed();
  }

  @Test
  void networkLossGradientMatchesFiniteDifferences() {
    Datasets.Dataset data = Datasets.moons(15, 0.1, 6);
    SplittableRandom random = new SplittableRandom(9);
    double[][] w1 = new double[5][2];
    double[] b1 = new double[5];
    double[] w2 = new double[5];
    for (int h = 0; h < 5; h++) {
      w1[h][0] = random.nextDouble() - 0.5;
      w1[h][1] = random.nextDouble() - 0.5;
      b1[h] = random.nextDouble() - 0.5;
      w2[h] = random.nextDouble() - 0.5;
    }
    double[] b2 = {0.1};
    ModelsDiff.NetworkLossGrad g = ModelsDiff.networkLossGrad(w1, b1, w2, b2[0], data.x(),
        data.y());
    double[] at = Flat.pack(w1, b1, w2, b2);
    double[] gradient = Flat.pack(g.dW1(), g.dB1(), g.dW2(), new double[] {g.dB2()});
    Flat.checkEntries(p -> {
      double[][] pw1 = new double[5][2];
      double[] pb1 = new double[5];
      double[] pw2 = new double[5];
      double[] pb2 = new double[1];
      Flat.unpack(p, pw1, pb1, pw2, pb2);
      return Models.networkLoss(pw1, pb1, pw2, pb2[0], data.x(), data.y());
    }, at, gradient, Flat.spread(at.length, at.length), 1e-7, 1e-10).assertPassed();
  }

  @Test
  void softplusIsStableWhereTheNaiveFormulaOverflows() {
    assertThat(Models.softplus(1000)).isEqualTo(1000.0);
    assertThat(ModelsDiff.softplusGrad(1000).dZ()).isEqualTo(1.0);
    assertThat(ModelsDiff.softplusGrad(-1000).dZ()).isEqualTo(0.0);
  }

  @Test
  void gradientDescentLearnsBothDatasets() {
    Training.Result logistic = Training.logisticRegression(Datasets.blobs(200, 0.6, 1), 300, 0.1,
        null);
    assertThat(logistic.losses()[0]).isWithin(1e-12).of(Math.log(2));
    assertThat(logistic.losses()[299]).isLessThan(0.1);
    assertThat(logistic.accuracy()).isAtLeast(0.95);

    Training.Result network = Training.network(Datasets.moons(200, 0.15, 2), 16, 1500, 0.05, 3,
        null);
    assertThat(network.losses()[1499]).isLessThan(0.05);
    assertThat(network.accuracy()).isAtLeast(0.98);
  }

  @Test
  void lossPlotIsAPng(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("loss.png");
    LossPlot.write(file, "test", java.util.List.of(
        new LossPlot.Curve("a", new double[] {1, 0.5, 0.1}),
        new LossPlot.Curve("b", new double[] {2, 0.2, 0.01})));
    java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(file.toFile());
    assertThat(image.getWidth()).isEqualTo(720);
    assertThat(image.getHeight()).isEqualTo(420);
  }
}
