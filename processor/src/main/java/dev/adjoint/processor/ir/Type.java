package dev.adjoint.processor.ir;

/**
 * The types of the supported subset: primitives, with Java's numeric promotion rules, and the
 * arrays a differentiated method may take or declare.
 */
public enum Type {
  BOOLEAN("boolean", null),
  BYTE("byte", null),
  SHORT("short", null),
  CHAR("char", null),
  INT("int", null),
  LONG("long", null),
  FLOAT("float", null),
  DOUBLE("double", null),
  /** Only as the result type of a method (a helper that writes its array arguments). */
  VOID("void", null),
  INT_ARRAY("int[]", INT),
  /** Only as a parameter, read-only: labels, masks. */
  BOOLEAN_ARRAY("boolean[]", BOOLEAN),
  FLOAT_ARRAY("float[]", FLOAT),
  DOUBLE_ARRAY("double[]", DOUBLE),
  DOUBLE_MATRIX("double[][]", DOUBLE_ARRAY);

  private final String javaName;
  private final Type element;

  Type(String javaName, Type element) {
    this.javaName = javaName;
    this.element = element;
  }

  public boolean isArray() {
    return element != null;
  }

  /** The type of {@code a[i]} for an array type; null for a primitive. */
  public Type element() {
    return element;
  }

  /** The primitive at the bottom of an array type, or the type itself. */
  public Type scalar() {
    return element == null ? this : element.scalar();
  }

  /** Whether values of this type have derivatives: floating scalars and their arrays. */
  public boolean carriesDerivatives() {
    return scalar().isFloating();
  }

  /** The array type whose elements have this type, or null when not supported. */
  public Type arrayOf() {
    for (Type t : values()) {
      if (t.element == this) {
        return t;
      }
    }
    return null;
  }

  public String javaName() {
    return javaName;
  }

  /** Only floating-point values carry derivatives. */
  public boolean isFloating() {
    return this == FLOAT || this == DOUBLE;
  }

  public boolean isNumeric() {
    return this != BOOLEAN && this != VOID && !isArray();
  }

  public boolean isIntegral() {
    return isNumeric() && !isFloating();
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
    if (isArray() || target.isArray() || this == VOID || target == VOID) {
      return false;
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
