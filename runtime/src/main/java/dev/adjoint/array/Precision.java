package dev.adjoint.array;

/** The element type of an {@link Array}. */
public enum Precision {
  /** 32-bit IEEE floats ({@code float}). */
  F32(Float.BYTES),
  /** 64-bit IEEE floats ({@code double}). */
  F64(Double.BYTES);

  private final int bytes;

  Precision(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The suffix of kernel names for this precision: {@code f32} or {@code f64}. */
  public String suffix() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
