package dev.adjoint.samples.training;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line terminal progress bar, redrawn in place with a carriage return. */
final class ProgressBar {
  private static final int WIDTH = 30;

  private final PrintStream out;
  private final String label;
  private final int total;
  private int lastFilled = -1;

  ProgressBar(PrintStream out, String label, int total) {
    this.out = out;
    this.label = label;
    this.total = total;
  }

  /** Shows step {@code done} of {@code total} with the current loss; redraws only on change. */
  void update(int done, double loss) {
    int filled = (int) ((long) WIDTH * done / total);
    if (filled == lastFilled && done != total) {
      return;
    }
    lastFilled = filled;
    out.printf(Locale.ROOT, "\r  %-22s [%s%s] %5d/%d  loss %.5f", label, "#".repeat(filled),
        ".".repeat(WIDTH - filled), done, total, loss);
    if (done == total) {
      out.println();
    }
    out.flush();
  }
}
