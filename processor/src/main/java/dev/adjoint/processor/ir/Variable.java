package dev.adjoint.processor.ir;

/**
 * A variable of the method being differentiated: a parameter, a source local, or one the
 * transforms introduce. Identity matters (two source locals may share a name in different
 * scopes); the emitter gives each variable a unique Java name, starting from {@link #name()}.
 */
public final class Variable {
  /** Where a variable comes from. */
  public enum Kind {
    PARAMETER,
    LOCAL,
    /** Introduced by a transform: flags, counters, temporaries, adjoints. */
    SYNTHETIC
  }

  private final String name;
  private final Type type;
  private final Kind kind;

  /** A new variable, distinct from every other whatever its name. */
  public Variable(String name, Type type, Kind kind) {
    this.name = name;
    this.type = type;
    this.kind = kind;
  }

  /** The name it was declared with, or the transform's suggestion: not unique. */
  public String name() {
    return name;
  }

  /** Its type; null for the sweeps' own tape and scratch array, which the emitter declares. */
  public Type type() {
    return type;
  }

  public Kind kind() {
    return kind;
  }

  @Override
  public String toString() {
    return name;
  }
}
