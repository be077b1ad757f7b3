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

  public Variable(String name, Type type, Kind kind) {
    this.name = name;
    this.type = type;
    this.kind = kind;
  }

  public String name() {
    return name;
  }

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
