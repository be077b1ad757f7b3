package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RandomDraws against the JDK's own generators: the same numbers, bit for bit, in any mix. */
class RandomDrawsTest {

  @Test
  void randomDrawsAreTheJdksInAnyMix() {
    for (long seed : new long[] {0, 1, 42, -7, 20261203L, Long.MAX_VALUE}) {
      Random jdk = new Random(seed);
      long state = RandomDraws.random(seed);
      double pending = 0;
      Random pick = new Random(seed ^ 99);
      for (int i = 0; i < 5000; i++) {
        int kind = pick.nextInt(7);
        switch (kind) {
          case 0 -> {
            assertEquals(jdk.nextDouble(), RandomDraws.randomDouble(state));
            state = RandomDraws.randomDoubleState(state);
          }
          case 1, 2 -> {
            double z = RandomDraws.randomGaussian(state, pending);
            pending = RandomDraws.randomGaussianPending(state, pending);
            state = RandomDraws.randomGaussianState(state);
            assertEquals(jdk.nextGaussian(), z);
          }
          case 3 -> {
            assertEquals(jdk.nextInt(), RandomDraws.randomInt(state));
            state = RandomDraws.randomIntState(state);
          }
          case 4 -> {
            int bound = i % 3 == 0 ? 64 : 1 + pick.nextInt(1_000_000_000);
            assertEquals(jdk.nextInt(bound), RandomDraws.randomInt(state, bound));
            state = RandomDraws.randomIntState(state, bound);
          }
          case 5 -> {
            assertEquals(jdk.nextLong(), RandomDraws.randomLong(state));
            state = RandomDraws.randomLongState(state);
          }
          default -> {
            assertEquals(jdk.nextBoolean(), RandomDraws.randomBoolean(state));
            state = RandomDraws.randomIntState(state);
          }
        }
      }
    }
  }

  @Test
  void splittableDrawsAreTheJdks() {
    for (long seed : new long[] {0, 1, 42, -7, 20261203L}) {
      SplittableRandom jdk = new SplittableRandom(seed);
      long state = RandomDraws.splittable(seed);
      for (int i = 0; i < 5000; i++) {
        if (i % 3 == 0) {
          assertEquals(jdk.nextLong(), RandomDraws.splittableLong(state));
        } else {
          assertEquals(jdk.nextDouble(), RandomDraws.splittableDouble(state));
        }
        state = RandomDraws.splittableState(state);
      }
    }
  }
}
