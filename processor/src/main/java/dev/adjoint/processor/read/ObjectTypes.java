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

  /** The record or enum class a type mirror denotes, or null. */
  public static TypeElement declared(TypeMirror t) {
    if (t.getKind() != TypeKind.DECLARED) {
      return null;
    }
    Element e = ((DeclaredType) t).asElement();
    return e.getKind() == ElementKind.RECORD || e.getKind() == ElementKind.ENUM
        ? (TypeElement) e : null;
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
    return isRecord(e) ? e : null;
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
    TypeElement element = recordArrayElement(t);
    if (element != null) {
      return recordProblem(element, true, element.getSimpleName() + "[]", new ArrayList<>());
    }
    return Optional.of("it is neither a primitive, an array of primitives, a record, an array "
        + "of records nor an enum");
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
        if (isEnum(d) || isString(ct)) {
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
    TypeElement element = recordArrayElement(t);
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
