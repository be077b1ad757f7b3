package dev.adjoint.processor.read;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.Tree;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Resolves the names a body uses that are not locals: classes (through the compilation unit's
 * imports, as javac would), static fields and static methods, including static imports.
 */
public final class Symbols {
  private final Elements elements;
  private final CompilationUnitTree unit;
  private final TypeElement declared;
  /** The class whose names are resolved: the method's, or an inlined callee's while it is read. */
  private TypeElement enclosing;
  private final Helpers helpers;

  public Symbols(Elements elements, CompilationUnitTree unit, TypeElement enclosing) {
    this(elements, unit, enclosing, Helpers.NONE);
  }

  /** With {@code helpers}, which unannotated methods are differentiated where called. */
  public Symbols(Elements elements, CompilationUnitTree unit, TypeElement enclosing,
      Helpers helpers) {
    this.elements = elements;
    this.unit = unit;
    this.declared = enclosing;
    this.enclosing = enclosing;
    this.helpers = helpers;
  }

  /**
   * Resolves names as inside {@code owner} (the class of a method whose body is read in place
   * of its call) until called again with the class it returns.
   */
  TypeElement readAs(TypeElement owner) {
    TypeElement previous = enclosing;
    enclosing = owner;
    return previous;
  }

  Helpers helpers() {
    return helpers;
  }

  public TypeElement enclosingClass() {
    return declared;
  }

  /** The compilation unit of the class being read. */
  com.sun.source.tree.CompilationUnitTree unit() {
    return unit;
  }

  TypeElement enclosing() {
    return enclosing;
  }

  /** The class a (possibly qualified) type name in the source denotes, if any. */
  Optional<TypeElement> resolveType(Tree nameTree) {
    String name = nameTree.toString();
    if (name.contains(".")) {
      TypeElement qualified = elements.getTypeElement(name);
      if (qualified != null) {
        return Optional.of(qualified);
      }
      // Outer.Inner: resolve the first name as usual, then walk member classes.
      String[] parts = name.split("\\.");
      Optional<TypeElement> outer = resolveSimpleType(parts[0]);
      for (int i = 1; i < parts.length && outer.isPresent(); i++) {
        outer = memberType(outer.get(), parts[i]);
      }
      return outer;
    }
    return resolveSimpleType(name);
  }

  private static Optional<TypeElement> memberType(TypeElement owner, String name) {
    return ElementFilter.typesIn(owner.getEnclosedElements()).stream()
        .filter(t -> t.getSimpleName().contentEquals(name)).findFirst();
  }

  private Optional<TypeElement> resolveSimpleType(String name) {
    if (enclosing.getSimpleName().contentEquals(name)) {
      return Optional.of(enclosing);
    }
    Optional<TypeElement> member = memberType(enclosing, name);
    if (member.isPresent()) {
      return member;
    }
    // A record nested in a top-level class sees the class and its other members.
    for (Element outer = enclosing.getEnclosingElement(); outer instanceof TypeElement o;
        outer = o.getEnclosingElement()) {
      if (o.getSimpleName().contentEquals(name)) {
        return Optional.of(o);
      }
      Optional<TypeElement> sibling = memberType(o, name);
      if (sibling.isPresent()) {
        return sibling;
      }
    }
    for (ImportTree imp : unit.getImports()) {
      if (imp.isStatic()) {
        continue;
      }
      String imported = imp.getQualifiedIdentifier().toString();
      if (imported.endsWith("." + name)) {
        TypeElement t = elements.getTypeElement(imported);
        if (t != null) {
          return Optional.of(t);
        }
      }
    }
    String pkg = packageName();
    TypeElement samePackage = elements.getTypeElement(pkg.isEmpty() ? name : pkg + "." + name);
    if (samePackage != null) {
      return Optional.of(samePackage);
    }
    TypeElement javaLang = elements.getTypeElement("java.lang." + name);
    if (javaLang != null) {
      return Optional.of(javaLang);
    }
    for (ImportTree imp : unit.getImports()) {
      String imported = imp.getQualifiedIdentifier().toString();
      if (!imp.isStatic() && imported.endsWith(".*")) {
        String prefix = imported.substring(0, imported.length() - 1);
        TypeElement t = elements.getTypeElement(prefix + name);
        if (t != null) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  /** The class with this qualified (canonical) name, if the compilation sees it. */
  Optional<TypeElement> typeElement(String qualified) {
    return Optional.ofNullable(elements.getTypeElement(qualified));
  }

  public String packageName() {
    return unit.getPackageName() == null ? "" : unit.getPackageName().toString();
  }

  /** A static field of {@code owner} by simple name. */
  Optional<VariableElement> field(TypeElement owner, String name) {
    return ElementFilter.fieldsIn(elements.getAllMembers(owner)).stream()
        .filter(f -> f.getSimpleName().contentEquals(name))
        .findFirst();
  }

  /** A field named by a bare identifier: the enclosing class's, or statically imported. */
  Optional<VariableElement> unqualifiedField(String name) {
    Optional<VariableElement> own = field(enclosing, name);
    if (own.isPresent()) {
      return own;
    }
    for (Element outer = enclosing.getEnclosingElement(); outer instanceof TypeElement o;
        outer = o.getEnclosingElement()) {
      Optional<VariableElement> f = field(o, name);
      if (f.isPresent()) {
        return f;
      }
    }
    for (TypeElement owner : staticImportOwners(name)) {
      Optional<VariableElement> f = field(owner, name);
      if (f.isPresent()) {
        return f;
      }
    }
    return Optional.empty();
  }

  /** Static methods named {@code name} of {@code owner}. */
  List<ExecutableElement> methods(TypeElement owner, String name) {
    return ElementFilter.methodsIn(elements.getAllMembers(owner)).stream()
        .filter(m -> m.getSimpleName().contentEquals(name))
        .toList();
  }

  /** Classes that may supply a statically imported member called {@code name}. */
  List<TypeElement> staticImportOwners(String name) {
    List<TypeElement> owners = new ArrayList<>();
    for (ImportTree imp : unit.getImports()) {
      if (!imp.isStatic() || !(imp.getQualifiedIdentifier() instanceof MemberSelectTree sel)) {
        continue;
      }
      String member = sel.getIdentifier().toString();
      if (member.equals(name) || member.equals("*")) {
        TypeElement owner = elements.getTypeElement(sel.getExpression().toString());
        if (owner != null) {
          owners.add(owner);
        }
      }
    }
    return owners;
  }

  boolean isStatic(Element e) {
    return e.getModifiers().contains(Modifier.STATIC);
  }

  static boolean isMathClass(TypeElement t) {
    String n = t.getQualifiedName().toString();
    return n.equals("java.lang.Math") || n.equals("java.lang.StrictMath");
  }

  /** Our IR type for a primitive or supported array type mirror, or null for anything else. */
  static Type type(TypeMirror mirror) {
    if (mirror.getKind() == TypeKind.ARRAY) {
      return Type.forName(mirror.toString());
    }
    if (mirror.getKind() == TypeKind.VOID) {
      return Type.VOID;
    }
    return primitive(mirror);
  }

  /** Our IR type for a primitive type mirror, or null for anything else. */
  static Type primitive(TypeMirror mirror) {
    TypeKind k = mirror.getKind();
    return k.isPrimitive() ? Type.forName(k.name().toLowerCase(java.util.Locale.ROOT)) : null;
  }

  static String packageOf(TypeElement t) {
    Element e = t;
    while (e.getKind() != ElementKind.PACKAGE) {
      e = e.getEnclosingElement();
    }
    return ((PackageElement) e).getQualifiedName().toString();
  }

  /**
   * The array parameters {@code method} writes, by position, as its generated class (a class
   * file) lists them ({@link dev.adjoint.processor.ir.Identifiers#writtenArraysConstant});
   * empty when it lists none or there is no generated class.
   */
  java.util.Map<Integer, String> writtenArrays(TypeElement owner,
      javax.lang.model.element.ExecutableElement method) {
    String simple = dev.adjoint.processor.ir.Identifiers.diffClassName(
        owner.getSimpleName().toString());
    String diff = packageOf(owner).isEmpty() ? simple : packageOf(owner) + "." + simple;
    TypeElement generated = elements.getTypeElement(diff);
    java.util.Map<Integer, String> out = new java.util.TreeMap<>();
    if (generated == null) {
      return out;
    }
    String constant = dev.adjoint.processor.ir.Identifiers.writtenArraysConstant(
        method.getSimpleName().toString());
    for (var f : javax.lang.model.util.ElementFilter.fieldsIn(generated.getEnclosedElements())) {
      if (f.getSimpleName().contentEquals(constant) && f.getConstantValue() instanceof String v) {
        for (String entry : v.split(",")) {
          int eq = entry.indexOf('=');
          if (eq > 0) {
            out.put(Integer.parseInt(entry.substring(0, eq)), entry.substring(eq + 1));
          }
        }
      }
    }
    return out;
  }
}
