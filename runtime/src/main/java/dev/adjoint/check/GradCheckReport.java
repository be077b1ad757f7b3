package dev.adjoint.check;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * What {@link GradCheck#at} found: per input, the gradient under test, the finite-difference
 * reference with its error estimate, and whether the entry is within tolerance. Its
 * {@link #toString()} is a table of the worst entries.
 */
public final class GradCheckReport {
  private static final int SHOWN = 10;

  private final double[] point;
  private final double value;
  private final double plainValue;
  private final double[] analytic;
  private final double[] numeric;
  private final double[] errorEstimate;
  private final double relativeTolerance;
  private final double absoluteTolerance;

  GradCheckReport(double[] point, double value, double plainValue, double[] analytic,
      double[] numeric, double[] errorEstimate, double relativeTolerance,
      double absoluteTolerance) {
    this.point = point;
    this.value = value;
    this.plainValue = plainValue;
    this.analytic = analytic;
    this.numeric = numeric;
    this.errorEstimate = errorEstimate;
    this.relativeTolerance = relativeTolerance;
    this.absoluteTolerance = absoluteTolerance;
  }

  /** The gradient under test. */
  public double[] analytic() {
    return analytic.clone();
  }

  /** The finite-difference reference. */
  public double[] numeric() {
    return numeric.clone();
  }

  /** |analytic - numeric| per input. */
  public double[] errors() {
    return IntStream.range(0, analytic.length)
        .mapToDouble(i -> Math.abs(analytic[i] - numeric[i])).toArray();
  }

  /** Whether entry {@code i} is within tolerance (NaN in both counts as agreement). */
  public boolean passed(int i) {
    if (Double.isNaN(analytic[i]) && Double.isNaN(numeric[i])) {
      return true;
    }
    return Math.abs(analytic[i] - numeric[i])
        <= absoluteTolerance + relativeTolerance * Math.abs(numeric[i]);
  }

  /** Whether every entry is within tolerance and the two values agree exactly. */
  public boolean passed() {
    return valuesAgree() && IntStream.range(0, analytic.length).allMatch(this::passed);
  }

  private boolean valuesAgree() {
    return Double.compare(value, plainValue) == 0;
  }

  /** Throws an {@link AssertionError} carrying this report unless {@link #passed()}. */
  public GradCheckReport assertPassed() {
    if (!passed()) {
      throw new AssertionError(toString());
    }
    return this;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    long failures = IntStream.range(0, analytic.length).filter(i -> !passed(i)).count();
    sb.append(String.format(Locale.ROOT, "gradcheck at %s: %s (%d of %d entries outside "
        + "|error| <= %.1e + %.1e |numeric|)%n", Arrays.toString(point),
        passed() ? "passed" : "FAILED", failures, analytic.length, absoluteTolerance,
        relativeTolerance));
    if (!valuesAgree()) {
      sb.append(String.format(Locale.ROOT, "  value from the gradient call %s differs from the "
          + "plain call %s%n", value, plainValue));
    }
    sb.append(String.format(Locale.ROOT, "  %6s %22s %22s %10s %10s  %s%n", "input", "analytic",
        "numeric", "error", "fd error", ""));
    Integer[] order = IntStream.range(0, analytic.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(
        (Integer i) -> Math.abs(analytic[i] - numeric[i])).reversed());
    for (int k = 0; k < Math.min(SHOWN, order.length); k++) {
      int i = order[k];
      String note = passed(i) ? "" : errorEstimate[i] > absoluteTolerance
          + relativeTolerance * Math.abs(numeric[i])
          ? "FAIL (large fd error: not smooth near this point?)" : "FAIL";
      sb.append(String.format(Locale.ROOT, "  %6d %22.15g %22.15g %10.2e %10.2e  %s%n", i,
          analytic[i], numeric[i], Math.abs(analytic[i] - numeric[i]), errorEstimate[i], note));
    }
    if (order.length > SHOWN) {
      sb.append("  (").append(order.length - SHOWN).append(" more entries, all within the "
          + "errors above)\n");
    }
    return sb.toString();
  }
}
