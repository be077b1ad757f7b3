package dev.adjoint.samples.pendulum;

import dev.adjoint.runtime.Tape;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The gradient of a pendulum integrated over 10^7 explicit Euler steps, checkpointed, in a small
 * heap: prints the plain call's time, the checkpointed gradient's time and their ratio, the
 * tape's peak size, and the gradient next to central differences of the plain method. Then
 * tries the same gradient recording every step. Run with (from the repository root, after
 * {@code mvn -B -ntp -q -pl samples -am -DskipTests package}):
 *
 * <pre>
 * java -Xmx512m -cp samples/target/classes:runtime/target/classes \
 *     dev.adjoint.samples.pendulum.LongPendulum [steps]
 * </pre>
 */
public final class LongPendulum {
  private LongPendulum() {}

  private static final double THETA0 = 0.8;
  private static final double OMEGA0 = 0.1;
  private static final double G = 9.81;
  private static final double L = 1.5;

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
    double dt = 10.0 / steps; // ten seconds of swinging, whatever the number of steps
    System.out.printf("pendulum, %,d explicit Euler steps of %.3g s, max heap %d MB%n", steps, dt,
        Runtime.getRuntime().maxMemory() >> 20);
    // Warm up both paths at a tenth of the size, so that the JIT has compiled them.
    double[] adjoints = new double[5];
    Tape tape = new Tape();
    for (int k = 0; k < 3; k++) {
      Pendulum.swing(THETA0, OMEGA0, dt, G, L, steps / 10);
      java.util.Arrays.fill(adjoints, 0);
      PendulumDiff.swingAdjoint(THETA0, OMEGA0, dt, G, L, steps / 10, 1.0, adjoints, tape);
    }
    double plainSeconds = Double.MAX_VALUE;
    double value = 0;
    for (int k = 0; k < 3; k++) {
      long t0 = System.nanoTime();
      value = Pendulum.swing(THETA0, OMEGA0, dt, G, L, steps);
      plainSeconds = Math.min(plainSeconds, (System.nanoTime() - t0) * 1e-9);
    }
    double gradientSeconds = Double.MAX_VALUE;
    double gradientValue = 0;
    resetPeakHeap();
    for (int k = 0; k < 3; k++) {
      java.util.Arrays.fill(adjoints, 0);
      long t0 = System.nanoTime();
      gradientValue = PendulumDiff.swingAdjoint(THETA0, OMEGA0, dt, G, L, steps, 1.0, adjoints,
          tape);
      gradientSeconds = Math.min(gradientSeconds, (System.nanoTime() - t0) * 1e-9);
    }
    long gradientHeap = peakHeap();
    System.out.printf("plain call                      %8.3f s   theta = %.12f%n", plainSeconds,
        value);
    System.out.printf("checkpointed gradient           %8.3f s   (%.2fx the plain call), "
        + "value identical: %b%n", gradientSeconds, gradientSeconds / plainSeconds,
        gradientValue == value);
    System.out.printf("tape at its largest             %8.3f MB (recording every step would "
        + "hold %.0f MB)%n", tape.bytes() / 1e6, 3.0 * steps * Double.BYTES / 1e6);
    System.out.printf("peak heap in use                %8.1f MB%n", gradientHeap / 1e6);
    String[] names = {"theta0", "omega0", "dt", "g", "l"};
    double[] x = {THETA0, OMEGA0, dt, G, L};
    for (int i = 0; i < names.length; i++) {
      double h = 1e-6 * Math.max(1e-3, Math.abs(x[i]));
      double[] up = x.clone();
      double[] down = x.clone();
      up[i] += h;
      down[i] -= h;
      double difference = (Pendulum.swing(up[0], up[1], up[2], up[3], up[4], steps)
          - Pendulum.swing(down[0], down[1], down[2], down[3], down[4], steps)) / (2 * h);
      System.out.printf("  d theta / d %-7s %22.10f   central difference %22.10f%n", names[i],
          adjoints[i], difference);
    }
    System.out.println("the same gradient recording every step (swingRecorded):");
    try {
      double[] recorded = new double[5];
      resetPeakHeap();
      long t0 = System.nanoTime();
      PendulumDiff.swingRecordedAdjoint(THETA0, OMEGA0, dt, G, L, steps, 1.0, recorded,
          new Tape());
      System.out.printf("  %.3f s (%.2fx the plain call), peak heap in use %.1f MB, gradient "
          + "identical to the checkpointed one: %b%n", (System.nanoTime() - t0) * 1e-9,
          (System.nanoTime() - t0) * 1e-9 / plainSeconds, peakHeap() / 1e6,
          java.util.Arrays.equals(recorded, adjoints));
    } catch (OutOfMemoryError e) {
      System.out.println("  " + e.getMessage());
    }
  }

  private static void resetPeakHeap() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  /** The heap's peak use since the last reset: the sum of its pools' peaks (an upper bound). */
  private static long peakHeap() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes;
  }
}
