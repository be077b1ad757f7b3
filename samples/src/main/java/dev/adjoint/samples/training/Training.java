package dev.adjoint.samples.training;

import dev.adjoint.runtime.Tape;
import dev.adjoint.samples.training.Datasets.Dataset;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Full-batch gradient descent with momentum on the two {@link Models}, gradients by Adjoint. */
public final class Training {
  private Training() {}

  /** What a run ends with: the loss per epoch and the training accuracy. */
  public record Result(double[] losses, double accuracy) {}

  /** Logistic regression on {@code data}; {@code progress} may be null. */
  public static Result logisticRegression(Dataset data, int epochs, double learningRate,
      PrintStream progress) {
    double[] w = new double[data.x()[0].length];
    double[] b = new double[1];
    double[] dW = new double[w.length];
    double[] dB = new double[1];
    double[] vW = new double[w.length];
    double[] vB = new double[1];
    Tape tape = new Tape();
    double[] losses = new double[epochs];
    ProgressBar bar = progress == null ? null : new ProgressBar(progress, "logistic regression",
        epochs);
    for (int epoch = 0; epoch < epochs; epoch++) {
      Arrays.fill(dW, 0);
      dB[0] = 0;
      losses[epoch] =
          ModelsDiff.logisticLossAdjoint(w, b[0], data.x(), data.y(), 1.0, dB, dW, tape);
      step(w, dW, vW, learningRate);
      step(b, dB, vB, learningRate);
      if (bar != null) {
        bar.update(epoch + 1, losses[epoch]);
      }
    }
    int correct = 0;
    for (int i = 0; i < data.y().length; i++) {
      double z = b[0];
      for (int j = 0; j < w.length; j++) {
        z += w[j] * data.x()[i][j];
      }
      correct += (z > 0) == (data.y()[i] == 1) ? 1 : 0;
    }
    return new Result(losses, (double) correct / data.y().length);
  }

  /** A tanh network with {@code hidden} units on {@code data}; {@code progress} may be null. */
  public static Result network(Dataset data, int hidden, int epochs, double learningRate,
      long seed, PrintStream progress) {
    int inputs = data.x()[0].length;
    SplittableRandom random = new SplittableRandom(seed);
    double[][] w1 = new double[hidden][inputs];
    for (double[] row : w1) {
      for (int j = 0; j < inputs; j++) {
        row[j] = (2 * random.nextDouble() - 1) * 1.5;
      }
    }
    double[] b1 = new double[hidden];
    for (int h = 0; h < hidden; h++) {
      b1[h] = (2 * random.nextDouble() - 1) * 0.5;
    }
    double[] w2 = new double[hidden];
    for (int h = 0; h < hidden; h++) {
      w2[h] = (2 * random.nextDouble() - 1) / Math.sqrt(hidden);
    }
    double[] b2 = new double[1];
    double[][] dW1 = new double[hidden][inputs];
    double[][] vW1 = new double[hidden][inputs];
    double[] dB1 = new double[hidden];
    double[] vB1 = new double[hidden];
    double[] dW2 = new double[hidden];
    double[] vW2 = new double[hidden];
    double[] dB2 = new double[1];
    double[] vB2 = new double[1];
    Tape tape = new Tape();
    double[] losses = new double[epochs];
    ProgressBar bar = progress == null ? null : new ProgressBar(progress,
        "network 2-" + hidden + "-1", epochs);
    for (int epoch = 0; epoch < epochs; epoch++) {
      for (double[] row : dW1) {
        Arrays.fill(row, 0);
      }
      Arrays.fill(dB1, 0);
      Arrays.fill(dW2, 0);
      dB2[0] = 0;
      losses[epoch] = ModelsDiff.networkLossAdjoint(w1, b1, w2, b2[0], data.x(), data.y(), 1.0,
          dB2, dW1, dB1, dW2, tape);
      for (int h = 0; h < hidden; h++) {
        step(w1[h], dW1[h], vW1[h], learningRate);
      }
      step(b1, dB1, vB1, learningRate);
      step(w2, dW2, vW2, learningRate);
      step(b2, dB2, vB2, learningRate);
      if (bar != null) {
        bar.update(epoch + 1, losses[epoch]);
      }
    }
    int correct = 0;
    for (int i = 0; i < data.y().length; i++) {
      double p = Models.networkProbability(w1, b1, w2, b2[0], data.x()[i]);
      correct += (p > 0.5) == (data.y()[i] == 1) ? 1 : 0;
    }
    return new Result(losses, (double) correct / data.y().length);
  }

  /** Gradient descent with momentum 0.9: {@code v = 0.9 v - lr g; p += v}. */
  private static void step(double[] parameters, double[] gradient, double[] velocity,
      double learningRate) {
    for (int i = 0; i < parameters.length; i++) {
      velocity[i] = 0.9 * velocity[i] - learningRate * gradient[i];
      parameters[i] += velocity[i];
    }
  }
}
