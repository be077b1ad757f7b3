package dev.adjoint.samples.adbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Reads an ADBench data file as ADBench's own readers do: whitespace-separated numbers in order
 * (fscanf), line breaks irrelevant. The files ship as class-path resources under {@code
 * dev/adjoint/samples/adbench/}; a {@code .gz} name is decompressed on the fly.
 */
final class Tokens implements AutoCloseable {
  private static final String ROOT = "/dev/adjoint/samples/adbench/";

  private final String name;
  private final BufferedReader reader;
  private final StringBuilder token = new StringBuilder();

  private Tokens(String name, BufferedReader reader) {
    this.name = name;
    this.reader = reader;
  }

  /** Opens {@code relativePath} (for example {@code gmm/test.txt}) from the shipped data. */
  static Tokens open(String relativePath) {
    InputStream in = Tokens.class.getResourceAsStream(ROOT + relativePath);
    if (in == null) {
      throw new IllegalArgumentException("no ADBench data file " + relativePath + " under " + ROOT);
    }
    try {
      if (relativePath.endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + relativePath, e);
    }
    return new Tokens(
        relativePath, new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)));
  }

  int nextInt() {
    return Integer.parseInt(next());
  }

  double nextDouble() {
    return Double.parseDouble(next());
  }

  /** The next {@code count} numbers. */
  double[] nextDoubles(int count) {
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = nextDouble();
    }
    return values;
  }

  private String next() {
    token.setLength(0);
    try {
      int ch = reader.read();
      while (ch != -1 && Character.isWhitespace(ch)) {
        ch = reader.read();
      }
      while (ch != -1 && !Character.isWhitespace(ch)) {
        token.append((char) ch);
        ch = reader.read();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
    if (token.length() == 0) {
      throw new IllegalStateException(name + " ended before all its values were read");
    }
    return token.toString();
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + name, e);
    }
  }
}
