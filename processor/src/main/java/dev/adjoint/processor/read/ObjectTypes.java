package dev.adjoint.processor.read;

import static dev.adjoint.processor.ir.Identifiers.capitalize;

import dev.adjoint.processor.ir.ObjectShape;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The object types differentiable code takes (records, arrays of records, enums), and their
 * scalar replacement: the flat IR parameters a value of such a type stands for
 * ({@link ObjectShape}).
 */
public final class ObjectTypes {
  private ObjectTypes() {}

  /** The record, enum or final class ({@link #isFinalClass}) a type mirror denotes, or null. */
  public static TypeElement declared(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return null;
    }
    Element e = ((DeclaredType) t).asElement();
    return e.getKind() == ElementKind.RECORD || e.getKind() == ElementKind.ENUM
        || isFinalClass(e) ? (TypeElement) e : null;
  }

  /**
   * Whether {@code e} is a final class of the user's (not a record, not the JDK's): its
   * instances are constants in differentiable code, read through their final fields, and its
   * instance methods cannot be overridden, so a call of one runs the code the processor reads.
   */
  public static boolean isFinalClass(Element e) {
    if (e == null || e.getKind() != ElementKind.CLASS
        || !e.getModifiers().contains(javax.lang.model.element.Modifier.FINAL)) {
      return false;
    }
    String name = ((TypeElement) e).getQualifiedName().toString();
    return !(name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
        || name.startsWith("sun.") || name.startsWith("com.sun."));
  }

  /**
   * Whether a call of an instance method on a value of type {@code t} could run code the
   * processor cannot see: an interface (sealed ones included) or a class that is not final.
   */
  public static boolean dispatches(TypeElement t) {
    return t.getKind() == ElementKind.INTERFACE
        || t.getKind() == ElementKind.CLASS
            && !t.getModifiers().contains(javax.lang.model.element.Modifier.FINAL);
  }

  /**
   * Why a parameter of type {@code t} (or an array of them), an interface or a class that is
   * not final, cannot be taken; empty for any other type.
   */
  public static Optional<String> dispatchProblem(TypeMirror t) {
    Element e = t.getKind() == TypeKind.DECLARED ? ((DeclaredType) t).asElement()
        : t.getKind() == TypeKind.ARRAY
            && ((ArrayType) t).getComponentType().getKind() == TypeKind.DECLARED
            ? ((DeclaredType) ((ArrayType) t).getComponentType()).asElement() : null;
    if (!(e instanceof TypeElement type) || !dispatches(type)
        || type.getQualifiedName().toString().startsWith("java.")) {
      return Optional.empty();
    }
    return Optional.of(dispatchKind(type).replaceFirst("^whose (type|class) ", "")
        .replaceFirst("^", type.getKind() == ElementKind.INTERFACE ? "" : "class ")
        + ": a call of its methods could run an override or an implementation the "
        + "processor cannot see (make it a final class or a record, or pass its numbers)");
  }

  /** What {@code t}, a type that {@link #dispatches}, is, for a message. */
  public static String dispatchKind(TypeElement t) {
    if (t.getKind() == ElementKind.INTERFACE) {
      return t.getModifiers().contains(javax.lang.model.element.Modifier.SEALED)
          ? "whose type " + t.getSimpleName() + " is a sealed interface (calls are not "
              + "dispatched over its permitted classes)"
          : "whose type " + t.getSimpleName() + " is an interface";
    }
    return "whose class " + t.getSimpleName() + " is not final";
  }

  public static boolean isEnum(TypeElement t) {
    return t != null && t.getKind() == ElementKind.ENUM;
  }

  public static boolean isRecord(TypeElement t) {
    return t != null && t.getKind() == ElementKind.RECORD;
  }

  /** The record class of an array of records, or null. */
  public static TypeElement recordArrayElement(TypeMirror t) {
    if (t.getKind() != TypeKind.ARRAY) {
      return null;
    }
    TypeElement e = declared(((ArrayType) t).getComponentType());
    return isRecord(e) || isFinalClass(e) ? e : null;
  }

  /** Whether a parameter of this type is an object the reader flattens. */
  public static boolean isObject(TypeMirror t) {
    return declared(t) != null || recordArrayElement(t) != null;
  }

  /**
   * Why a parameter of type {@code t} cannot be flattened (the first component in the way, with
   * its path), or empty when it can.
   */
  public static Optional<String> problem(TypeMirror t) {
    TypeElement d = declared(t);
    if (isEnum(d)) {
      return Optional.empty();
    }
    if (isRecord(d)) {
      return recordProblem(d, false, d.getSimpleName().toString(), new ArrayList<>());
    }
    if (isFinalClass(d)) {
      // Fields outside the contract become KEPT: reading one is an error where it is read.
      return Optional.empty();
    }
    TypeElement element = recordArrayElement(t);
    if (element != null && isFinalClass(element)) {
      return Optional.empty();
    }
    if (element != null) {
      return recordProblem(element, true, element.getSimpleName() + "[]", new ArrayList<>());
    }
    Optional<String> dispatching = dispatchProblem(t);
    if (dispatching.isPresent()) {
      return dispatching;
    }
    return Optional.of("it is neither a primitive, an array of primitives, a record, a final "
        + "class, an array of those nor an enum");
  }

  private static Optional<String> recordProblem(TypeElement record, boolean inArray,
      String path, List<TypeElement> open) {
    if (open.contains(record)) {
      return Optional.of(path + " contains itself");
    }
    open.add(record);
    try {
      for (RecordComponentElement c : record.getRecordComponents()) {
        TypeMirror ct = c.asType();
        String where = path + "." + c.getSimpleName() + "()";
        Type prim = Symbols.type(ct);
        TypeElement d = declared(ct);
        if (prim != null && prim != Type.VOID) {
          if (inArray && (prim.isArray() || prim == Type.LONG || prim == Type.BOOLEAN
              || prim == Type.BYTE || prim == Type.SHORT || prim == Type.CHAR)) {
            return Optional.of(where + " is a " + prim.javaName() + " in an array of records "
                + "(elements of record arrays hold double, float, int, enums, Strings and "
                + "records of those)");
          }
          continue;
        }
        if (isEnum(d) || isString(ct) || isFinalClass(d)) {
          continue;
        }
        if (recordArrayElement(ct) != null && isFinalClass(recordArrayElement(ct))
            && !inArray) {
          continue;
        }
        if (isRecord(d)) {
          Optional<String> p = recordProblem(d, inArray, where, open);
          if (p.isPresent()) {
            return p;
          }
          continue;
        }
        TypeElement element = recordArrayElement(ct);
        if (element != null && !inArray) {
          Optional<String> p = recordProblem(element, true, where, open);
          if (p.isPresent()) {
            return p;
          }
          continue;
        }
        return Optional.of(where + " has type " + ct);
      }
      return Optional.empty();
    } finally {
      open.remove(record);
    }
  }

  /**
   * Why a record result of type {@code t} cannot be flattened into {@code double[]} (the first
   * component in the way), or empty when every leaf is a {@code double}.
   */
  public static Optional<String> resultProblem(TypeMirror t) {
    TypeElement record = declared(t);
    for (RecordComponentElement c : record.getRecordComponents()) {
      TypeElement d = declared(c.asType());
      if (isRecord(d)) {
        Optional<String> p = resultProblem(c.asType());
        if (p.isPresent()) {
          return p;
        }
      } else if (c.asType().getKind() != TypeKind.DOUBLE) {
        return Optional.of("component " + record.getSimpleName() + "." + c.getSimpleName()
            + "() has type " + c.asType());
      }
    }
    return Optional.empty();
  }

  /** The shape of a record result: its components, every leaf a {@code double}. */
  public static ObjectShape resultShape(TypeMirror t) {
    return record(ObjectShape.RESULT, "result", declared(t), false, new java.util.HashSet<>());
  }

  static boolean isString(TypeMirror t) {
    return t.toString().equals("java.lang.String");
  }

  /**
   * The shape of a parameter {@code name} of object type {@code t} ({@link #problem} empty),
   * creating its leaves as IR parameters named after their paths ({@code p.k()} of {@code p}
   * is {@code pK}), none of them in {@code taken}, which receives them.
   */
  public static ObjectShape shape(String name, TypeMirror t, Set<String> taken) {
    TypeElement d = declared(t);
    if (isEnum(d)) {
      return new ObjectShape(ObjectShape.Kind.ENUM, name, qualified(d),
          Optional.of(leaf(name, Type.INT, taken, false)), List.of());
    }
    if (isRecord(d)) {
      return record(name, name, d, false, taken);
    }
    if (isFinalClass(d)) {
      return new ObjectShape(ObjectShape.Kind.RECORD, name, qualified(d), Optional.empty(),
          fields(name, d, false, taken, new ArrayList<>()));
    }
    TypeElement element = recordArrayElement(t);
    if (isFinalClass(element)) {
      return new ObjectShape(ObjectShape.Kind.RECORD_ARRAY, name, qualified(element),
          Optional.empty(), fields(name, element, true, taken, new ArrayList<>()));
    }
    return new ObjectShape(ObjectShape.Kind.RECORD_ARRAY, name, qualified(element),
        Optional.empty(), components(name, element, true, taken));
  }

  private static ObjectShape record(String component, String path, TypeElement record,
      boolean inArray, Set<String> taken) {
    return new ObjectShape(ObjectShape.Kind.RECORD, component, qualified(record),
        Optional.empty(), components(path, record, inArray, taken));
  }

  private static List<ObjectShape> components(String path, TypeElement record, boolean inArray,
      Set<String> taken) {
    List<ObjectShape> out = new ArrayList<>();
    for (RecordComponentElement c : record.getRecordComponents()) {
      String name = c.getSimpleName().toString();
      String leafPath = path + capitalize(name);
      TypeMirror ct = c.asType();
      Type prim = Symbols.type(ct);
      TypeElement d = declared(ct);
      if (prim != null && prim != Type.VOID) {
        Type type = inArray ? prim.arrayOf() : prim;
        out.add(new ObjectShape(ObjectShape.Kind.VALUE, name, ct.toString(),
            Optional.of(leaf(leafPath, type, taken, inArray)), List.of()));
      } else if (isEnum(d)) {
        out.add(new ObjectShape(ObjectShape.Kind.ENUM, name, qualified(d),
            Optional.of(leaf(leafPath, inArray ? Type.INT_ARRAY : Type.INT, taken, inArray)),
            List.of()));
      } else if (isRecord(d)) {
        out.add(record(name, leafPath, d, inArray, taken));
      } else if (isFinalClass(d)) {
        out.add(new ObjectShape(ObjectShape.Kind.RECORD, name, qualified(d), Optional.empty(),
            fields(leafPath, d, inArray, taken, new ArrayList<>())));
      } else if (recordArrayElement(ct) != null && isFinalClass(recordArrayElement(ct))
          && !inArray) {
        TypeElement element = recordArrayElement(ct);
        out.add(new ObjectShape(ObjectShape.Kind.RECORD_ARRAY, name, qualified(element),
            Optional.empty(), fields(leafPath, element, true, taken, new ArrayList<>())));
      } else if (recordArrayElement(ct) != null) {
        TypeElement element = recordArrayElement(ct);
        out.add(new ObjectShape(ObjectShape.Kind.RECORD_ARRAY, name, qualified(element),
            Optional.empty(), components(leafPath, element, true, taken)));
      } else {
        out.add(new ObjectShape(ObjectShape.Kind.KEPT, name, ct.toString(), Optional.empty(),
            List.of()));
      }
    }
    return out;
  }

  /**
   * The components of an instance of final class {@code c}: its instance fields in declaration
   * order, each read by generated code as {@link ObjectShape.Read#FIELD} or
   * {@link ObjectShape.Read#PRIVATE_FIELD}; a field outside the contract
   * ({@link #fieldProblem}) is {@link ObjectShape.Kind#KEPT}, an error where it is read.
   */
  private static List<ObjectShape> fields(String path, TypeElement c, boolean inArray,
      Set<String> taken, List<TypeElement> open) {
    List<ObjectShape> out = new ArrayList<>();
    open.add(c);
    for (VariableElement f : instanceFields(c)) {
      String name = f.getSimpleName().toString();
      ObjectShape.Read read = f.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)
          ? ObjectShape.Read.PRIVATE_FIELD : ObjectShape.Read.FIELD;
      TypeMirror ft = f.asType();
      if (fieldProblem(f, inArray, open).isPresent()) {
        out.add(new ObjectShape(ObjectShape.Kind.KEPT, name, ft.toString(), Optional.empty(),
            List.of(), read));
        continue;
      }
      String leafPath = path + capitalize(name);
      Type prim = Symbols.type(ft);
      TypeElement d = declared(ft);
      ObjectShape component;
      if (prim != null && prim != Type.VOID) {
        component = new ObjectShape(ObjectShape.Kind.VALUE, name, ft.toString(),
            Optional.of(leaf(leafPath, inArray ? prim.arrayOf() : prim, taken, inArray)),
            List.of(), read);
      } else if (isEnum(d)) {
        component = new ObjectShape(ObjectShape.Kind.ENUM, name, qualified(d),
            Optional.of(leaf(leafPath, inArray ? Type.INT_ARRAY : Type.INT, taken, inArray)),
            List.of(), read);
      } else if (isRecord(d)) {
        ObjectShape r = record(name, leafPath, d, inArray, taken);
        component = new ObjectShape(r.kind(), name, r.javaType(), r.leaf(), r.components(),
            read);
      } else if (isFinalClass(d)) {
        component = new ObjectShape(ObjectShape.Kind.RECORD, name, qualified(d),
            Optional.empty(), fields(leafPath, d, inArray, taken, open), read);
      } else {
        TypeElement element = recordArrayElement(ft);
        List<ObjectShape> parts = isFinalClass(element)
            ? fields(leafPath, element, true, taken, open)
            : components(leafPath, element, true, taken);
        component = new ObjectShape(ObjectShape.Kind.RECORD_ARRAY, name, qualified(element),
            Optional.empty(), parts, read);
      }
      out.add(component);
    }
    open.remove(c);
    return out;
  }

  /** The instance fields of class {@code c}, in declaration order. */
  public static List<VariableElement> instanceFields(TypeElement c) {
    List<VariableElement> out = new ArrayList<>();
    for (VariableElement f : javax.lang.model.util.ElementFilter.fieldsIn(
        c.getEnclosedElements())) {
      if (!f.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
        out.add(f);
      }
    }
    return out;
  }

  /**
   * Why differentiable code cannot read instance field {@code f} of a final class (of an
   * element of an array of them when {@code inArray}), or empty when it can.
   */
  public static Optional<String> fieldProblem(VariableElement f, boolean inArray) {
    return fieldProblem(f, inArray, new ArrayList<>(List.of(
        (TypeElement) f.getEnclosingElement())));
  }

  private static Optional<String> fieldProblem(VariableElement f, boolean inArray,
      List<TypeElement> open) {
    if (!f.getModifiers().contains(javax.lang.model.element.Modifier.FINAL)) {
      return Optional.of("it is not final (differentiable code reads final fields only, "
          + "whose value no call can change)");
    }
    TypeMirror ft = f.asType();
    Type prim = Symbols.type(ft);
    TypeElement d = declared(ft);
    if (prim != null && prim != Type.VOID) {
      if (inArray && (prim.isArray() || prim == Type.LONG || prim == Type.BOOLEAN
          || prim == Type.BYTE || prim == Type.SHORT || prim == Type.CHAR)) {
        return Optional.of("it is a " + prim.javaName() + " in an element of an array "
            + "(elements of object arrays hold double, float, int, enums and records or final "
            + "classes of those)");
      }
      return Optional.empty();
    }
    if (isEnum(d)) {
      return Optional.empty();
    }
    if (isRecord(d)) {
      return recordProblem(d, inArray, d.getSimpleName().toString(), new ArrayList<>())
          .map(p -> "its record type cannot be flattened: " + p);
    }
    if (isFinalClass(d)) {
      return open.contains(d) ? Optional.of("its class " + d.getSimpleName() + " contains "
          + "itself") : Optional.empty();
    }
    TypeElement element = recordArrayElement(ft);
    if (element != null && !inArray) {
      if (isRecord(element)) {
        return recordProblem(element, true, element.getSimpleName() + "[]",
            new ArrayList<>()).map(p -> "its record type cannot be flattened: " + p);
      }
      return open.contains(element) ? Optional.of("its class " + element.getSimpleName()
          + " contains itself") : Optional.empty();
    }
    return Optional.of("its type " + ft + " is not one differentiable code reads (numbers, "
        + "their arrays, enums, records, final classes and arrays of those)");
  }

  private static Variable leaf(String name, Type type, Set<String> taken, boolean unused) {
    String unique = name;
    for (int k = 2; taken.contains(unique); k++) {
      unique = name + k;
    }
    taken.add(unique);
    return new Variable(unique, type, Variable.Kind.PARAMETER);
  }

  static String qualified(TypeElement t) {
    return t.getQualifiedName().toString();
  }

  /** The ordinal of enum constant {@code name} of {@code e}, or -1. */
  public static int ordinal(TypeElement e, String name) {
    int k = 0;
    for (Element c : e.getEnclosedElements()) {
      if (c.getKind() == ElementKind.ENUM_CONSTANT) {
        if (c.getSimpleName().contentEquals(name)) {
          return k;
        }
        k++;
      }
    }
    return -1;
  }
}
