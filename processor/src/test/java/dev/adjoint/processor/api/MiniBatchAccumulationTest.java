package dev.adjoint.processor.api;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.api.GradientApiSupport.assertBits;
import static dev.adjoint.processor.api.GradientApiSupport.assertMatchesOracle;
import static dev.adjoint.processor.api.GradientApiSupport.assertRel;
import static dev.adjoint.processor.api.GradientApiSupport.call;
import static dev.adjoint.processor.api.GradientApiSupport.componentNames;
import static dev.adjoint.processor.api.GradientApiSupport.d;
import static dev.adjoint.processor.api.GradientApiSupport.diff;
import static dev.adjoint.processor.api.GradientApiSupport.invoke;
import static dev.adjoint.processor.api.GradientApiSupport.oracle;
import static dev.adjoint.processor.api.GradientApiSupport.plain;
import static dev.adjoint.processor.api.GradientApiSupport.plainMethod;
import static dev.adjoint.processor.api.GradientApiSupport.vector;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.testing.Oracle.Estimate;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Accumulation through {@code mAdjoint} over a mini-batch, with the data points as constant (not
 * differentiated) parameters: sums of gradients, zeroing, means, array parameters, int labels, null
 * and wrong-length buffers.
 *
 * <p>Every number is checked against a closed form or against the finite-difference oracle of
 * {@link GradientApiSupport}.
 */
class MiniBatchAccumulationTest {

  /** Mini-batch accumulation: data points as constant (not differentiated) parameters. */
  static final String BATCH =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Batch {
        @Differentiable(wrt = {"w", "b"})
        public static double squared(double w, double b, double xi, double yi) {
          double r = w * xi + b - yi;
          return r * r;
        }

        @Differentiable(wrt = {"w", "b"})
        public static double logistic(double[] w, double b, double[] feature, int label) {
          double z = b;
          for (int j = 0; j < w.length; j++) {
            z += w[j] * feature[j];
          }
          return Math.log1p(Math.exp(-label * z));
        }
      }
      """;

  private static final double[] XS = {0.5, -1.0, 2.0, 1.5, -0.25};
  private static final double[] YS = {1.0, 0.2, 2.5, -0.7, 0.0};

  @Test
  void accumulationOverAMiniBatchSumsTheGradients() {
    Class<?> d = diff(BATCH, "Batch");
    double w = 0.8;
    double b = -0.3;
    double[] adjoints = new double[2];
    double loss = 0;
    double sumW = 0;
    double sumB = 0;
    for (int i = 0; i < XS.length; i++) {
      loss += (Double) call(d, "squaredAdjoint", w, b, XS[i], YS[i], 1.0, adjoints);
      Object g = call(d, "squaredGrad", w, b, XS[i], YS[i]);
      assertThat(componentNames(g.getClass())).containsExactly("value", "dW", "dB").inOrder();
      sumW += d(g, "dW");
      sumB += d(g, "dB");
    }
    double expectedW = 0;
    double expectedB = 0;
    double expectedLoss = 0;
    for (int i = 0; i < XS.length; i++) {
      double r = w * XS[i] + b - YS[i];
      expectedLoss += r * r;
      expectedW += 2 * r * XS[i];
      expectedB += 2 * r;
    }
    assertBits("sum of dW", adjoints[0], sumW);
    assertBits("sum of dB", adjoints[1], sumB);
    assertRel("dW closed form", adjoints[0], expectedW, 1e-14);
    assertRel("dB closed form", adjoints[1], expectedB, 1e-14);
    assertRel("loss", loss, expectedLoss, 1e-14);

    // Zeroing restarts the accumulation.
    Arrays.fill(adjoints, 0.0);
    call(d, "squaredAdjoint", w, b, XS[0], YS[0], 1.0, adjoints);
    Object g0 = call(d, "squaredGrad", w, b, XS[0], YS[0]);
    assertBits("after fill dW", adjoints[0], d(g0, "dW"));
    assertBits("after fill dB", adjoints[1], d(g0, "dB"));

    // A mean: seed 1/n.
    Arrays.fill(adjoints, 0.0);
    for (int i = 0; i < XS.length; i++) {
      call(d, "squaredAdjoint", w, b, XS[i], YS[i], 1.0 / XS.length, adjoints);
    }
    assertRel("mean dW", adjoints[0], expectedW / XS.length, 1e-14);
    assertRel("mean dB", adjoints[1], expectedB / XS.length, 1e-14);
  }

  @Test
  void accumulationWithAnArrayParameterAndAnIntLabel() throws Exception {
    Class<?> d = diff(BATCH, "Batch");
    // Buffers: adjoints for b (the only differentiated scalar), wAdjoint for w; feature is
    // constant (not in wrt) and gets none.
    Method adjoint = d.getMethod("logisticAdjoint", double[].class, double.class, double[].class,
        int.class, double.class, double[].class, double[].class);
    assertThat(adjoint.getReturnType()).isEqualTo(double.class);
    double[] w = {0.4, -0.9, 0.25};
    double b = 0.1;
    double[][] features = {{1, 0.5, -1}, {0.2, 0.3, 0.4}, {-1, 2, 0}, {0.7, -0.7, 1.5}, {3, 1, 1}};
    int[] labels = {1, -1, 1, 1, -1};
    double[] adjoints = new double[1];
    double[] wAdjoint = new double[3];
    double[] sumW = new double[3];
    double sumB = 0;
    Method plain = plainMethod(plain(BATCH, "Batch"), "logistic");
    for (int i = 0; i < labels.length; i++) {
      invoke(adjoint, null, new Object[] {w, b, features[i], labels[i], 1.0, adjoints, wAdjoint});
      Object g = call(d, "logisticGrad", w, b, features[i], labels[i]);
      assertThat(componentNames(g.getClass())).containsExactly("value", "dW", "dB").inOrder();
      double[] gw = vector(g, "dW");
      Object[] args = {w, b, features[i], labels[i]};
      Estimate[] o = oracle(plain, args, -1, 0, 1);
      assertMatchesOracle("point " + i + " dW", gw, Arrays.copyOf(o, 3));
      assertMatchesOracle("point " + i + " dB", d(g, "dB"), o[3]);
      for (int j = 0; j < 3; j++) {
        sumW[j] += gw[j];
      }
      sumB += d(g, "dB");
    }
    for (int j = 0; j < 3; j++) {
      assertRel("sum dW[" + j + "]", wAdjoint[j], sumW[j], 1e-14);
    }
    assertRel("sum dB", adjoints[0], sumB, 1e-14);
    // The parameters are untouched.
    assertThat(w).usingExactEquality().containsExactly(0.4, -0.9, 0.25).inOrder();

    // Zeroing restarts; a null array buffer skips w but still accumulates b.
    Arrays.fill(adjoints, 0.0);
    Arrays.fill(wAdjoint, 0.0);
    invoke(adjoint, null, new Object[] {w, b, features[2], labels[2], 1.0, adjoints, null});
    Object g2 = call(d, "logisticGrad", w, b, features[2], labels[2]);
    assertBits("null wAdjoint, dB", adjoints[0], d(g2, "dB"));
    assertThat(wAdjoint).usingExactEquality().containsExactly(0.0, 0.0, 0.0).inOrder();
    invoke(adjoint, null, new Object[] {w, b, features[2], labels[2], 1.0, adjoints, wAdjoint});
    assertBits("twice dB", adjoints[0], d(g2, "dB") + d(g2, "dB"));
    for (int j = 0; j < 3; j++) {
      assertBits("after fill dW[" + j + "]", wAdjoint[j], vector(g2, "dW")[j]);
    }

    // Wrong lengths.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> invoke(adjoint, null,
            new Object[] {w, b, features[0], 1, 1.0, new double[1], new double[2]}));
    assertThat(e).hasMessageThat().contains("wAdjoint has length 2");
    assertThat(e).hasMessageThat().contains("length 3");
    e = assertThrows(IllegalArgumentException.class,
        () -> invoke(adjoint, null,
            new Object[] {w, b, features[0], 1, 1.0, new double[0], new double[3]}));
    assertThat(e).hasMessageThat().contains("adjoints has length 0");
  }
}
