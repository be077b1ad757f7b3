package dev.adjoint.processor.ir;

/** Java identifiers that generated code derives from source names. */
public final class Identifiers {
  private Identifiers() {}

  /**
   * {@code name} with its first character upper-cased, as the generated API spells it: {@code x}
   * gives {@code dX()}, {@code rate} gives {@code RateGrad}.
   */
  public static String capitalize(String name) {
    if (name.isEmpty()) {
      return name;
    }
    int first = name.codePointAt(0);
    return new StringBuilder().appendCodePoint(Character.toUpperCase(first))
        .append(name, Character.charCount(first), name.length()).toString();
  }
}
