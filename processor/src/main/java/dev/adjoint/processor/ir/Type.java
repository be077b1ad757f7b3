package dev.adjoint.processor.ir;

/** The primitive types of the supported subset, with Java's numeric promotion rules. */
public enum Type {
  BOOLEAN("boolean"),
  BYTE("byte"),
  SHORT("short"),
  CHAR("char"),
  INT("int"),
  LONG("long"),
  FLOAT("float"),
  DOUBLE("double");

  private final String javaName;

  Type(String javaName) {
    this.javaName = javaName;
  }

  public String javaName() {
    return javaName;
  }

  /** Only floating-point values carry derivatives. */
  public boolean isFloating() {
    return this == FLOAT || this == DOUBLE;
  }

  public boolean isNumeric() {
    return this != BOOLEAN;
  }

  public boolean isIntegral() {
    return this != BOOLEAN && !isFloating();
  }

  /** Binary numeric promotion (JLS 5.6.2). */
  public static Type promote(Type a, Type b) {
    if (a == DOUBLE || b == DOUBLE) {
      return DOUBLE;
    }
    if (a == FLOAT || b == FLOAT) {
      return FLOAT;
    }
    if (a == LONG || b == LONG) {
      return LONG;
    }
    return INT;
  }

  /** Unary numeric promotion (JLS 5.6.1). */
  public Type promoteUnary() {
    return this == BYTE || this == SHORT || this == CHAR ? INT : this;
  }

  /** Whether a value of this type converts to {@code target} without a cast (JLS 5.1.2). */
  public boolean widensTo(Type target) {
    if (this == target) {
      return true;
    }
    if (this == BOOLEAN || target == BOOLEAN || target == CHAR) {
      return false;
    }
    if (this == CHAR) {
      return target.ordinal() >= INT.ordinal();
    }
    if (target == SHORT) {
      return this == BYTE;
    }
    return target.ordinal() > ordinal() && target != BYTE;
  }

  public static Type forName(String name) {
    for (Type t : values()) {
      if (t.javaName.equals(name)) {
        return t;
      }
    }
    return null;
  }
}
