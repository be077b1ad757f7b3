package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a parameter of the user's signature, or a component of a record, maps onto the flat
 * parameters the stages see (scalar replacement of aggregates, at read time): a primitive or
 * array is one IR parameter; an enum is an {@code int} parameter holding its ordinal; a record
 * is its components in declaration order; an array of records is one array per leaf component
 * (structure of arrays). Components the body can never read ({@code String}s, other objects)
 * are {@link Kind#KEPT}: they have no IR parameter, and the record-shaped results copy them from
 * the input.
 *
 * @param kind what the value is
 * @param name the parameter's name, or the component's (its accessor)
 * @param javaType the qualified Java type: of the parameter or component; of the element for
 *     {@link Kind#RECORD_ARRAY}
 * @param leaf the IR parameter of a {@link Kind#VALUE} or {@link Kind#ENUM} shape
 * @param components the components of a record, or of the element of a record array
 * @param read how generated code reads this component from the object holding it:
 *     {@link Read#ACCESSOR} for a record's component, {@link Read#FIELD} or
 *     {@link Read#PRIVATE_FIELD} for a final instance field of a final class (whose instances
 *     are constants, {@link #constantObject})
 */
public record ObjectShape(Kind kind, String name, String javaType, Optional<Variable> leaf,
    List<ObjectShape> components, Read read) {

  /** A record's component, or a parameter (read by its accessor, where it is read at all). */
  public ObjectShape(Kind kind, String name, String javaType, Optional<Variable> leaf,
      List<ObjectShape> components) {
    this(kind, name, javaType, leaf, components, Read.ACCESSOR);
  }

  /** How generated code reads a component from the object holding it. */
  public enum Read {
    /** {@code p.k()}: a record's accessor. */
    ACCESSOR,
    /** {@code poly.c}: a field generated code can see (not private). */
    FIELD,
    /**
     * A private field: through a {@code VarHandle} the generated class looks up once in the
     * field's class ({@code MethodHandles.privateLookupIn}, which the generated class, in the
     * same package and module, is allowed).
     */
    PRIVATE_FIELD
  }

  /**
   * Whether this is an instance of a final class (not a record): a constant whose components
   * are its final fields (none of its leaves carries a derivative).
   */
  public boolean constantObject() {
    return kind == Kind.RECORD && components.stream().anyMatch(c -> c.read != Read.ACCESSOR)
        || kind == Kind.RECORD_ARRAY && components.stream().anyMatch(c -> c.read != Read.ACCESSOR);
  }

  /** What a shape stands for. */
  public enum Kind {
    /** A primitive or array: one IR parameter (an array of the component type in a record array). */
    VALUE,
    /** An enum: its ordinal, an {@code int} IR parameter ({@code int[]} in a record array). */
    ENUM,
    /** A record: its components. */
    RECORD,
    /** An array of records: one array per leaf component. */
    RECORD_ARRAY,
    /** A component the body does not read; copied from the input where a record is rebuilt. */
    KEPT
  }

  /** The name of an instance method's receiver, an implicit first parameter. */
  public static final String THIS = "this";

  /** The name of a record result's shape, listed after the parameters' in a signature. */
  public static final String RESULT = "return";

  /** Whether this is the shape of the method's record result. */
  public boolean result() {
    return name.equals(RESULT);
  }

  /** Whether this is an instance method's receiver. */
  public boolean receiver() {
    return name.equals(THIS);
  }

  /** The Java name of the parameter in generated signatures ({@code self} for the receiver). */
  public String parameterName() {
    return receiver() ? "self" : name;
  }

  /** A primitive or array parameter that needs no conversion. */
  public static ObjectShape value(Variable v, String javaType) {
    return new ObjectShape(Kind.VALUE, v.name(), javaType, Optional.of(v), List.of());
  }

  /** Whether the parameter is passed as it is (no record, no enum inside). */
  public boolean plain() {
    return kind == Kind.VALUE;
  }

  /** The IR parameters of this shape, in declaration order. */
  public List<Variable> leaves() {
    List<Variable> out = new ArrayList<>();
    addLeaves(out);
    return out;
  }

  /**
   * The leaves that may carry derivatives: all but those of instances of final classes
   * ({@link #constantObject}), which are constants wherever they are.
   */
  public List<Variable> variedLeaves() {
    List<Variable> out = new ArrayList<>();
    addVariedLeaves(out);
    return out;
  }

  private void addVariedLeaves(List<Variable> out) {
    if (constantObject()) {
      return;
    }
    leaf.ifPresent(out::add);
    for (ObjectShape c : components) {
      c.addVariedLeaves(out);
    }
  }

  private void addLeaves(List<Variable> out) {
    leaf.ifPresent(out::add);
    for (ObjectShape c : components) {
      c.addLeaves(out);
    }
  }

  /** The simple name of {@link #javaType} (nested classes keep their outer name). */
  public String simpleType() {
    int dot = javaType.lastIndexOf('.');
    return dot < 0 ? javaType : javaType.substring(dot + 1);
  }
}
