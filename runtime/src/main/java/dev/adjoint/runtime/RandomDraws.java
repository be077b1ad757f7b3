package dev.adjoint.runtime;

/**
 * The draws of {@link java.util.Random} and {@link java.util.SplittableRandom} as pure functions
 * of the generator's state, for generated code. A generator local of a differentiated method is
 * read as a {@code long} state (and, for {@code Random}, a {@code double} holding the second
 * normal of a pair); each draw becomes the drawn value, a function of the state, and the next
 * state. Since every function here depends only on its arguments, a forward sweep that runs
 * again, or a reverse sweep that evaluates a draw again from the state the tape restored, sees
 * exactly the numbers the plain method draws from {@code new Random(seed)} for the same seed:
 * the algorithms are those the JDK specifies for these methods, bit for bit.
 *
 * <p>{@code Random}'s state is its 48-bit seed, with bit 48 set while a second normal of a
 * pair is pending (the generator's {@code haveNextNextGaussian}); that normal is kept beside it.
 */
public final class RandomDraws {
  private static final long MULTIPLIER = 0x5DEECE66DL;
  private static final long ADDEND = 0xBL;
  private static final long MASK = (1L << 48) - 1;
  private static final long PENDING = 1L << 48;
  private static final double DOUBLE_UNIT = 0x1.0p-53;
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private RandomDraws() {}

  // ------------------------------------------------------------------ java.util.Random

  /** The state of {@code new Random(seed)}. */
  public static long random(long seed) {
    return (seed ^ MULTIPLIER) & MASK;
  }

  private static long step(long state) {
    return (state * MULTIPLIER + ADDEND) & MASK;
  }

  private static int bits(long stepped, int bits) {
    return (int) (stepped >>> (48 - bits));
  }

  private static long doubleSeed(long seed) {
    return step(step(seed));
  }

  private static double doubleOf(long seed) {
    long a = step(seed);
    long b = step(a);
    return (((long) bits(a, 26) << 27) + bits(b, 27)) * DOUBLE_UNIT;
  }

  /** {@code nextDouble()} drawn from {@code state}. */
  public static double randomDouble(long state) {
    return doubleOf(state & MASK);
  }

  /** The state after {@code nextDouble()}. */
  public static long randomDoubleState(long state) {
    return (state & PENDING) | doubleSeed(state & MASK);
  }

  /** {@code nextInt()} drawn from {@code state}. */
  public static int randomInt(long state) {
    return bits(step(state & MASK), 32);
  }

  /** The state after {@code nextInt()} (or {@code nextBoolean()}). */
  public static long randomIntState(long state) {
    return (state & PENDING) | step(state & MASK);
  }

  /** {@code nextBoolean()} drawn from {@code state}. */
  public static boolean randomBoolean(long state) {
    return bits(step(state & MASK), 1) != 0;
  }

  /** {@code nextLong()} drawn from {@code state}. */
  public static long randomLong(long state) {
    long a = step(state & MASK);
    long b = step(a);
    return ((long) bits(a, 32) << 32) + bits(b, 32);
  }

  /** The state after {@code nextLong()}. */
  public static long randomLongState(long state) {
    return (state & PENDING) | doubleSeed(state & MASK);
  }

  /** {@code nextInt(bound)} drawn from {@code state}. */
  public static int randomInt(long state, int bound) {
    return (int) boundedInt(state & MASK, bound, false);
  }

  /** The state after {@code nextInt(bound)}. */
  public static long randomIntState(long state, int bound) {
    return (state & PENDING) | boundedInt(state & MASK, bound, true);
  }

  /** Random.nextInt(bound): the value drawn, or the seed after it. */
  private static long boundedInt(long seed, int bound, boolean seedAfter) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive");
    }
    seed = step(seed);
    int r = bits(seed, 31);
    int m = bound - 1;
    if ((bound & m) == 0) {
      r = (int) ((bound * (long) r) >> 31);
    } else {
      for (int u = r; u - (r = u % bound) + m < 0; ) {
        seed = step(seed);
        u = bits(seed, 31);
      }
    }
    return seedAfter ? seed : r;
  }

  /** {@code nextGaussian()} drawn from {@code state} and the pending normal {@code pending}. */
  public static double randomGaussian(long state, double pending) {
    if ((state & PENDING) != 0) {
      return pending;
    }
    long seed = state;
    double v1;
    double v2;
    double s;
    do {
      v1 = 2 * doubleOf(seed) - 1;
      seed = doubleSeed(seed);
      v2 = 2 * doubleOf(seed) - 1;
      seed = doubleSeed(seed);
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    return v1 * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
  }

  /** The pending normal after {@code nextGaussian()}. */
  public static double randomGaussianPending(long state, double pending) {
    if ((state & PENDING) != 0) {
      return pending;
    }
    long seed = state;
    double v1;
    double v2;
    double s;
    do {
      v1 = 2 * doubleOf(seed) - 1;
      seed = doubleSeed(seed);
      v2 = 2 * doubleOf(seed) - 1;
      seed = doubleSeed(seed);
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    return v2 * StrictMath.sqrt(-2 * StrictMath.log(s) / s);
  }

  /** The state after {@code nextGaussian()}. */
  public static long randomGaussianState(long state) {
    if ((state & PENDING) != 0) {
      return state & MASK;
    }
    long seed = state;
    double v1;
    double v2;
    double s;
    do {
      v1 = 2 * doubleOf(seed) - 1;
      seed = doubleSeed(seed);
      v2 = 2 * doubleOf(seed) - 1;
      seed = doubleSeed(seed);
      s = v1 * v1 + v2 * v2;
    } while (s >= 1 || s == 0);
    return seed | PENDING;
  }

  // ---------------------------------------------------------- java.util.SplittableRandom

  /** The state of {@code new SplittableRandom(seed)}. */
  public static long splittable(long seed) {
    return seed;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** {@code nextLong()} drawn from {@code state}. */
  public static long splittableLong(long state) {
    return mix64(state + GOLDEN_GAMMA);
  }

  /** {@code nextDouble()} drawn from {@code state}. */
  public static double splittableDouble(long state) {
    return (mix64(state + GOLDEN_GAMMA) >>> 11) * DOUBLE_UNIT;
  }

  /** The state after {@code nextLong()} or {@code nextDouble()}. */
  public static long splittableState(long state) {
    return state + GOLDEN_GAMMA;
  }
}
