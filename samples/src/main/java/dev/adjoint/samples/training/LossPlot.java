package dev.adjoint.samples.training;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws loss curves (log scale) into a PNG with java.awt, headless. */
final class LossPlot {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 420;
  private static final int LEFT = 70;
  private static final int RIGHT = 20;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;
  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728)};

  private LossPlot() {}

  /** One curve: its legend and one loss per epoch. */
  record Curve(String name, double[] losses) {}

  /** Writes {@code curves} to {@code file} as a PNG. */
  static void write(Path file, String title, List<Curve> curves) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);

    int epochs = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Curve c : curves) {
      epochs = Math.max(epochs, c.losses().length);
      for (double loss : c.losses()) {
        min = Math.min(min, loss);
        max = Math.max(max, loss);
      }
    }
    double logMin = Math.floor(Math.log10(min));
    double logMax = Math.ceil(Math.log10(max));
    if (logMax == logMin) {
      logMax = logMin + 1;
    }
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;

    // Axes, decade grid lines and labels.
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (double decade = logMin; decade <= logMax; decade++) {
      int y = TOP + (int) Math.round(plotHeight * (logMax - decade) / (logMax - logMin));
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT, y, LEFT + plotWidth, y);
      g.setColor(Color.DARK_GRAY);
      g.drawString(String.format(Locale.ROOT, "1e%d", (int) decade), LEFT - 40, y + 4);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, plotWidth, plotHeight);
    for (int i = 0; i <= 4; i++) {
      int epoch = epochs * i / 4;
      int x = LEFT + plotWidth * i / 4;
      g.drawString(Integer.toString(epoch), x - 10, TOP + plotHeight + 18);
    }
    g.drawString("epoch", LEFT + plotWidth / 2 - 15, HEIGHT - 12);
    g.drawString("loss (log scale)", 8, TOP - 12);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(title, LEFT + 120, TOP - 14);

    // Curves and legend.
    g.setStroke(new BasicStroke(2f));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    for (int c = 0; c < curves.size(); c++) {
      Curve curve = curves.get(c);
      g.setColor(COLORS[c % COLORS.length]);
      double[] losses = curve.losses();
      int px = -1;
      int py = -1;
      for (int e = 0; e < losses.length; e++) {
        int x = LEFT + (int) Math.round((double) plotWidth * e / Math.max(1, epochs - 1));
        int y = TOP + (int) Math.round(
            plotHeight * (logMax - Math.log10(losses[e])) / (logMax - logMin));
        if (px >= 0) {
          g.drawLine(px, py, x, y);
        }
        px = x;
        py = y;
      }
      g.drawLine(LEFT + plotWidth - 190, TOP + 20 + 18 * c, LEFT + plotWidth - 165, TOP + 20 + 18 * c);
      g.drawString(curve.name(), LEFT + plotWidth - 158, TOP + 24 + 18 * c);
    }
    g.dispose();
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
