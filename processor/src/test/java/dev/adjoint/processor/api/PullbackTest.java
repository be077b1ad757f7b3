package dev.adjoint.processor.api;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.adjoint.processor.api.GradientApiSupport.assertBits;
import static dev.adjoint.processor.api.GradientApiSupport.assertMatchesOracle;
import static dev.adjoint.processor.api.GradientApiSupport.assertRel;
import static dev.adjoint.processor.api.GradientApiSupport.call;
import static dev.adjoint.processor.api.GradientApiSupport.callOn;
import static dev.adjoint.processor.api.GradientApiSupport.d;
import static dev.adjoint.processor.api.GradientApiSupport.diff;
import static dev.adjoint.processor.api.GradientApiSupport.invoke;
import static dev.adjoint.processor.api.GradientApiSupport.oracle;
import static dev.adjoint.processor.api.GradientApiSupport.plain;
import static dev.adjoint.processor.api.GradientApiSupport.plainMethod;

import dev.adjoint.processor.testing.Oracle.Estimate;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code mVjp} pullbacks and {@code bytes()}: a pullback is reusable and linear in its seed and
 * agrees with {@code mGrad} and {@code mAdjoint}; the recording grows linearly with the loop count
 * and straight-line code keeps only its scalars.
 *
 * <p>Every number is checked against a closed form or against the finite-difference oracle of
 * {@link GradientApiSupport}.
 */
class PullbackTest {

  /** Pullbacks and bytes(): one method with a loop that needs its tape, one straight line. */
  static final String PULL =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Pull {
        @Differentiable
        public static double series(double x, double y, int n) {
          double acc = 0.25;
          for (int i = 0; i < n; i++) {
            acc = Math.sin(acc * x + y) + 0.01 * i;
          }
          return acc * y;
        }

        @Differentiable
        public static double straight(double x, double y) {
          double a = x * y;
          double b = Math.sin(a);
          return a * b + y;
        }
      }
      """;

  @Test
  void pullbackIsReusableAndLinearInTheSeed() {
    Class<?> d = diff(PULL, "Pull");
    Method plain = plainMethod(plain(PULL, "Pull"), "series");
    double x = 0.7;
    double y = 0.3;
    int n = 25;
    Object g = call(d, "seriesGrad", x, y, n);
    Estimate[] o = oracle(plain, new Object[] {x, y, n}, -1, 0, 1);
    assertMatchesOracle("series dX", d(g, "dX"), o[0]);
    assertMatchesOracle("series dY", d(g, "dY"), o[1]);

    Object vjp = call(d, "seriesVjp", x, y, n);
    assertBits("vjp value", (Double) callOn(vjp, "value"), (Double) invoke(plain, null,
        new Object[] {x, y, n}));
    Object one = callOn(vjp, "pullback", 1.0);
    assertThat(one.getClass()).isEqualTo(g.getClass());
    assertBits("seed 1 value", d(one, "value"), d(g, "value"));
    assertBits("seed 1 dX", d(one, "dX"), d(g, "dX"));
    assertBits("seed 1 dY", d(one, "dY"), d(g, "dY"));
    assertThat(one).isEqualTo(g);

    Object minus = callOn(vjp, "pullback", -2.5);
    assertRel("seed -2.5 dX", d(minus, "dX"), -2.5 * d(g, "dX"), 1e-15);
    assertRel("seed -2.5 dY", d(minus, "dY"), -2.5 * d(g, "dY"), 1e-15);
    assertBits("seed -2.5 value", d(minus, "value"), d(g, "value"));

    Object zero = callOn(vjp, "pullback", 0.0);
    assertThat(d(zero, "dX")).isEqualTo(0.0);
    assertThat(d(zero, "dY")).isEqualTo(0.0);

    // Each call is independent of the ones before: same seed, identical record.
    Object again = callOn(vjp, "pullback", 1.0);
    assertThat(again).isEqualTo(one);
    assertBits("seed 1 again dX", d(again, "dX"), d(one, "dX"));
    Object minusAgain = callOn(vjp, "pullback", -2.5);
    assertThat(minusAgain).isEqualTo(minus);

    // The scalar mAdjoint with a seed agrees with the pullback.
    double[] adjoints = new double[2];
    call(d, "seriesAdjoint", x, y, n, -2.5, adjoints);
    assertBits("seriesAdjoint dX", adjoints[0], d(minus, "dX"));
    assertBits("seriesAdjoint dY", adjoints[1], d(minus, "dY"));
  }

  @Test
  void bytesGrowsWithTheLoopCount() {
    Class<?> d = diff(PULL, "Pull");
    long b1 = (Long) callOn(call(d, "seriesVjp", 0.7, 0.3, 1), "bytes");
    long b10 = (Long) callOn(call(d, "seriesVjp", 0.7, 0.3, 10), "bytes");
    long b20 = (Long) callOn(call(d, "seriesVjp", 0.7, 0.3, 20), "bytes");
    long b1000 = (Long) callOn(call(d, "seriesVjp", 0.7, 0.3, 1000), "bytes");
    assertThat(b1).isGreaterThan(0L);
    assertThat(b10).isGreaterThan(b1);
    assertThat(b1000).isGreaterThan(b10);
    // The tape holds the same amount per iteration: growth is linear in n.
    assertThat(b1000 - b10).isEqualTo(99 * (b20 - b10));
    // At least one double (the overwritten acc) per iteration.
    assertThat(b20 - b10).isAtLeast(10L * Double.BYTES);
    // The recording does not depend on the values, only on the path.
    assertThat((Long) callOn(call(d, "seriesVjp", -3.0, 2.0, 10), "bytes")).isEqualTo(b10);
    // A pullback does not consume the recording.
    Object vjp = call(d, "seriesVjp", 0.7, 0.3, 10);
    callOn(vjp, "pullback", 1.0);
    assertThat((Long) callOn(vjp, "bytes")).isEqualTo(b10);
  }

  @Test
  void bytesOfStraightLineCodeIsTheKeptScalarsOnly() {
    Class<?> d = diff(PULL, "Pull");
    Object vjp = call(d, "straightVjp", 1.2, -0.4);
    long bytes = (Long) callOn(vjp, "bytes");
    long scalars = 0;
    List<String> fields = new ArrayList<>();
    for (Field f : vjp.getClass().getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      fields.add(f.getType().getSimpleName() + " " + f.getName());
      Class<?> t = f.getType();
      assertWithMessage("straight-line code keeps no tape: field %s", fields)
          .that(t.isPrimitive()).isTrue();
      scalars += t == double.class || t == long.class ? 8 : 4;
    }
    assertWithMessage("bytes() vs kept fields %s", fields).that(bytes).isEqualTo(scalars);
    // x, y, a, b and the result: five doubles, whatever the values.
    assertThat(bytes).isEqualTo(5L * Double.BYTES);
    assertThat((Long) callOn(call(d, "straightVjp", -7.0, 3.0), "bytes")).isEqualTo(bytes);
    // Straight-line pullbacks agree with mGrad, too.
    Object g = call(d, "straightGrad", 1.2, -0.4);
    assertThat(callOn(vjp, "pullback", 1.0)).isEqualTo(g);
    Method plain = plainMethod(plain(PULL, "Pull"), "straight");
    Estimate[] o = oracle(plain, new Object[] {1.2, -0.4}, -1, 0, 1);
    assertMatchesOracle("straight dX", d(g, "dX"), o[0]);
    assertMatchesOracle("straight dY", d(g, "dY"), o[1]);
  }
}
