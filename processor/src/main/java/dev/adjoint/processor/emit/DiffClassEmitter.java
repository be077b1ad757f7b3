package dev.adjoint.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.transform.Derivatives;
import java.util.List;
import java.util.ArrayList;
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
    return ownerSimpleName + "Diff";
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
    return emit(packageName, ownerSimpleName, methods, List.of(), List.of(), Fingerprints.NONE,
        List.of());
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
   * The source of {@code FooDiff}: the entry points of its differentiable methods, the members
   * of the helpers of {@code Foo} that differentiated methods call and the private constants
   * they read, the fingerprints that keep builds from going stale silently, and the elements it
   * is generated from (the class and the callees' classes), so that incremental builds know
   * what it depends on.
   */
  public static JavaFile emit(String packageName, String ownerSimpleName,
      List<Derivatives> methods, List<Helper> helpers, List<Constant> constants,
      Fingerprints fingerprints, List<? extends Element> originatingElements) {
    List<Derivatives> named = new ArrayList<>(methods);
    helpers.forEach(h -> h.derivatives().ifPresent(named::add));
    return Names.forFile(PackageRoots.of(packageName, named),
        () -> write(packageName, ownerSimpleName, methods, helpers, constants, fingerprints,
            originatingElements));
  }

  private static JavaFile write(String packageName, String ownerSimpleName,
      List<Derivatives> methods, List<Helper> helpers, List<Constant> constants,
      Fingerprints fingerprints, List<? extends Element> originatingElements) {
    ClassName owner = ClassName.get(packageName, ownerSimpleName);
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
    for (int i = 0; i < methods.size(); i++) {
      MethodModel model = MethodModel.of(methods.get(i), owner, typeBases.get(i));
      for (EntryPoints family : FAMILIES) {
        // Each family's members, its public methods with null checks of the arguments added.
        TypeSpec.Builder members = TypeSpec.classBuilder(diffClassName(ownerSimpleName));
        family.addTo(members, model);
        TypeSpec built = members.build();
        built.fieldSpecs().forEach(type::addField);
        built.methodSpecs().forEach(method -> type.addMethod(
            ArgumentChecks.checked(method, model.method())));
        built.typeSpecs().forEach(type::addType);
      }
    }
    for (Helper h : helpers) {
      HelperMembers.addTo(type, h, owner);
    }
    fingerprints.addTo(type, ClassName.get(packageName, diffClassName(ownerSimpleName)));
    originatingElements.forEach(type::addOriginatingElement);
    return JavaFile.builder(packageName, type.build())
        .addFileComment("Generated by Adjoint from $L. Do not edit: change the source method.",
            owner.canonicalName())
        .skipJavaLangImports(true)
        .indent("    ")
        .build();
  }
}
