package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.ObjectShape;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.transform.Derivatives;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code FooDiff} for a class {@code Foo}: per differentiable method, the members of
 * every entry-point family that applies to it, in a fixed order.
 */
public final class DiffClassEmitter {
  /** The families, in the order their members appear. */
  private static final List<EntryPoints> FAMILIES = List.of(
      new GradientEntryPoints(),
      new AdjointEntryPoints(),
      new VjpEntryPoints(),
      new JvpEntryPoints(),
      new HessianEntryPoints(),
      new DerivativesEntryPoints(),
      new JacobianEntryPoints());

  private DiffClassEmitter() {}

  /** The generated class's simple name for a top-level class. */
  public static String diffClassName(String ownerSimpleName) {
    return dev.adjoint.processor.ir.Identifiers.diffClassName(ownerSimpleName);
  }

  /**
   * The source of {@code FooDiff}.
   *
   * @param packageName the package of {@code Foo}
   * @param ownerSimpleName {@code Foo}
   * @param methods what was derived for each of its differentiable methods, in order
   * @return the generated file
   */
  public static JavaFile emit(String packageName, String ownerSimpleName,
      List<Derivatives> methods) {
    return emit(ClassName.get(packageName, ownerSimpleName), methods, Map.of(), List.of(),
        List.of(), Fingerprints.NONE, List.of());
  }

  /**
   * The source of {@code FooDiff}, for methods some of which take records or enums.
   *
   * @param objects per method name, its parameters as the user declared them
   */
  public static JavaFile emit(String packageName, String ownerSimpleName,
      List<Derivatives> methods, Map<String, List<ObjectShape>> objects) {
    return emit(ClassName.get(packageName, ownerSimpleName), methods, objects, List.of(),
        List.of(), Fingerprints.NONE, List.of());
  }

  /**
   * A helper without {@code @Differentiable}, differentiated where it is called: its members
   * in the generated class are internal (callers' generated code calls them).
   *
   * @param lowered the helper's lowered body
   * @param derivatives what callers need of it; none when it is only copied
   * @param copy whether the generated class holds a copy of the helper itself (a private
   *     helper, which the generated class cannot call)
   * @param exported whether the helper is public (or protected): callers in other packages
   *     need its members; otherwise they are package-private
   */
  public record Helper(MethodIr lowered, Optional<Derivatives> derivatives, boolean copy,
      boolean exported) {}

  /**
   * A private static final constant or table of the user's class, copied into the generated
   * class that reads it.
   */
  public record Constant(String name, Type type, Expr init) {}

  /**
   * The source of {@code FooDiff} for {@code owner} (which may be a record nested in a
   * top-level class: its generated class is top-level, named after the record): the entry
   * points of its differentiable methods (object-shaped ones beside the flat ones where
   * {@code objects} gives a method's records or enums), the members of the helpers of
   * {@code Foo} that differentiated methods call and the private constants they read, the
   * fingerprints that keep builds from going stale silently, and the elements it is generated
   * from (the class and the callees' classes), so that incremental builds know what it depends
   * on.
   */
  public static JavaFile emit(ClassName owner, List<Derivatives> methods,
      Map<String, List<ObjectShape>> objects, List<Helper> helpers, List<Constant> constants,
      Fingerprints fingerprints, List<? extends Element> originatingElements) {
    List<Derivatives> named = new ArrayList<>(methods);
    helpers.forEach(h -> h.derivatives().ifPresent(named::add));
    return Names.forFile(PackageRoots.of(owner.packageName(), named),
        () -> write(owner, methods, objects, helpers, constants, fingerprints,
            originatingElements));
  }

  private static JavaFile write(ClassName owner, List<Derivatives> methods,
      Map<String, List<ObjectShape>> objects, List<Helper> helpers, List<Constant> constants,
      Fingerprints fingerprints, List<? extends Element> originatingElements) {
    String packageName = owner.packageName();
    String ownerSimpleName = owner.simpleName();
    TypeSpec.Builder type = TypeSpec.classBuilder(diffClassName(ownerSimpleName))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc("Derivatives of the {@code @Differentiable} methods of {@link $T}, generated "
            + "by Adjoint.\n", owner)
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    for (Constant c : constants) {
      type.addField(FieldSpec.builder(SweepWriter.typeName(c.type()), c.name(),
          Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("A copy of the private constant {@code $L.$L}.\n", ownerSimpleName,
              c.name())
          .initializer(new JavaPrinter(new Names()).expr(c.init())).build());
    }
    List<String> typeBases = MethodModel.typeBases(methods);
    // The handles of private fields of final classes the object-shaped wrappers read.
    java.util.Set<String> fieldHandles = new java.util.HashSet<>();
    for (int i = 0; i < methods.size(); i++) {
      Derivatives d = methods.get(i);
      MethodModel model = MethodModel.of(d, owner, typeBases.get(i),
          objects.getOrDefault(d.adjoint().method().name(), List.of()));
      if (model.hasObjects()) {
        // The flat forms first (callers use them), then the object-shaped ones over them.
        TypeSpec.Builder flat = TypeSpec.classBuilder(diffClassName(ownerSimpleName));
        for (EntryPoints family : FAMILIES) {
          family.addTo(flat, model);
        }
        TypeSpec built = flat.build();
        built.fieldSpecs().forEach(type::addField);
        built.typeSpecs().forEach(type::addType);
        built.methodSpecs().forEach(method -> type.addMethod(ArgumentChecks.checked(
            method, model.method())));
        new ObjectEntryPoints(model, built.methodSpecs(), fieldHandles).addTo(type);
        continue;
      }
      for (EntryPoints family : FAMILIES) {
        // Each family's members, its public methods with null checks of the arguments added.
        TypeSpec.Builder members = TypeSpec.classBuilder(diffClassName(ownerSimpleName));
        family.addTo(members, model);
        TypeSpec built = members.build();
        built.fieldSpecs().forEach(type::addField);
        built.methodSpecs().forEach(method -> type.addMethod(ParameterSlots.fit(
            ArgumentChecks.checked(method, model.method()))));
        built.typeSpecs().forEach(type::addType);
      }
    }
    for (Derivatives d : methods) {
      MethodIr m = d.adjoint().method();
      if (!m.written().isEmpty()) {
        // What a caller compiled against the class file reads to know the method writes them.
        type.addField(FieldSpec.builder(String.class,
                dev.adjoint.processor.ir.Identifiers.writtenArraysConstant(m.name()),
                Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("The array parameters {@code $L} writes: position=name, comma-separated.\n",
                m.name())
            .initializer("$S", m.written().stream()
                .map(v -> m.parameters().indexOf(v) + "=" + v.sourceName())
                .collect(java.util.stream.Collectors.joining(",")))
            .build());
      }
    }
    for (Helper h : helpers) {
      HelperMembers.addTo(type, h, owner);
    }
    // Methods over the JIT's size limit are split into parts (small ones are untouched).
    TypeSpec.Builder split = MethodSplitter.split(type.build()).toBuilder();
    fingerprints.addTo(split, ClassName.get(packageName, diffClassName(ownerSimpleName)));
    originatingElements.forEach(split::addOriginatingElement);
    return JavaFile.builder(packageName, split.build())
        .addFileComment("Generated by Adjoint from $L. Do not edit: change the source method.",
            owner.canonicalName())
        .skipJavaLangImports(true)
        .indent("    ")
        .build();
  }
}
