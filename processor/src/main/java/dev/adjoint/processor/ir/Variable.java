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
  private final String sourceName;
  private final Type type;
  private final Kind kind;

  /** A new variable, distinct from every other whatever its name. */
  public Variable(String name, Type type, Kind kind) {
    this(name, name, type, kind);
  }

  /**
   * A new variable whose Java name in generated code differs from its name in the source (a
   * parameter named like a class the generated code refers to, {@code Math} or {@code
   * Objects}, is {@code Math_} there).
   */
  public Variable(String name, String sourceName, Type type, Kind kind) {
    this.name = name;
    this.sourceName = sourceName;
    this.type = type;
    this.kind = kind;
  }

  /** The name generated code starts from, or the transform's suggestion: not unique. */
  public String name() {
    return name;
  }

  /**
   * The name the user declared it with, for what the user reads: record components, messages
   * naming an argument, documentation. The same as {@link #name()} but for renamed parameters.
   */
  public String sourceName() {
    return sourceName;
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
