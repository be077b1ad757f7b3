package dev.adjoint.processor.emit;

import static dev.adjoint.processor.ir.Identifiers.capitalize;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.ObjectShape;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import dev.adjoint.processor.transform.Derivatives;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One differentiable method as every entry-point family sees it: what was derived for it, the
 * class it is declared in, the generated class, and the names and shapes its members share.
 *
 * @param derivatives everything derived for the method
 * @param owner the user's class declaring it
 * @param diffClass the generated class ({@code FooDiff})
 * @param typeBase what the names of its nested types start with: the capitalized method name
 *     ({@code F} for {@code f}), numbered where methods differing only in case would share it
 * @param objects the parameters as the user declared them (records, enums), empty when all
 *     are plain
 */
record MethodModel(Derivatives derivatives, ClassName owner, ClassName diffClass,
    String typeBase, List<ObjectShape> objects) {

  /** The model of {@code d}'s method, declared in {@code owner}. */
  static MethodModel of(Derivatives d, ClassName owner, String typeBase) {
    return of(d, owner, typeBase, List.of());
  }

  /**
   * The model of {@code d}'s method, declared in {@code owner}, whose parameters as the user
   * declared them are {@code objects} when some are records or enums (empty otherwise): the
   * families then write the flat forms, and {@link ObjectEntryPoints} the object-shaped ones.
   */
  static MethodModel of(Derivatives d, ClassName owner, String typeBase,
      List<ObjectShape> objects) {
    return new MethodModel(d, owner,
        ClassName.get(owner.packageName(), DiffClassEmitter.diffClassName(owner.simpleName())),
        typeBase, objects.stream().allMatch(ObjectShape::plain) ? List.of()
            : List.copyOf(objects));
  }

  /**
   * The nested types' name bases of {@code methods}, in order: each method's capitalized name,
   * the later of two that differ only in case numbered ({@code f} and {@code F} give {@code F}
   * and {@code F2}: {@code FGrad} and {@code F2Grad}).
   */
  static List<String> typeBases(List<Derivatives> methods) {
    return Identifiers.distinct(methods.stream()
        .map(d -> capitalize(d.adjoint().method().name())).toList(), true);
  }

  /** The shapes of the parameters (the receiver first, for an instance method). */
  List<ObjectShape> parameterShapes() {
    return objects.stream().filter(s -> !s.result()).toList();
  }

  /** The shape of a record result (returned as the double[] of its components), if any. */
  java.util.Optional<ObjectShape> resultShape() {
    return objects.stream().filter(ObjectShape::result).findFirst();
  }

  /** Whether some parameters are records, record arrays or enums (flattened by the reader). */
  boolean hasObjects() {
    return !objects.isEmpty();
  }

  /**
   * The gradient record's components after {@code value}: {@code d} and the capitalized source
   * name of each differentiated parameter, then of each retained local, numbered where two would
   * be the same ({@code x} and {@code X} give {@code dX} and {@code dX2}).
   */
  List<String> components() {
    List<String> preferred = new java.util.ArrayList<>();
    preferred.add("value");
    method().differentiableParameters().forEach(p -> preferred.add("d" + capitalize(
        p.sourceName())));
    method().retained().forEach(r -> preferred.add("d" + capitalize(r.sourceName())));
    List<String> all = Identifiers.distinct(preferred, false);
    return all.subList(1, all.size());
  }

  /** The method's adjoint. */
  Adjoint adjoint() {
    return derivatives.adjoint();
  }

  /** The (lowered) method. */
  MethodIr method() {
    return derivatives.adjoint().method();
  }

  String name() {
    return method().name();
  }

  /** Whether the result is an array: seeds are arrays, and there is a Jacobian. */
  boolean vectorOutput() {
    return method().returnType().isArray();
  }

  /** A void method writing its array parameters: a helper, called by other methods. */
  boolean helper() {
    return method().returnType() == Type.VOID;
  }

  /** Whether the user wrote the adjoint ({@code @CustomAdjoint}). */
  boolean custom() {
    return adjoint().custom().isPresent();
  }

  /** {@code MGrad}: value and gradient. */
  ClassName gradRecord() {
    return diffClass.nestedClass(typeBase + (hasObjects() ? "FlatGrad" : "Grad"));
  }

  /** {@code MVjp}: one recorded forward sweep. */
  ClassName vjpClass() {
    return diffClass.nestedClass(typeBase + (hasObjects() ? "FlatVjp" : "Vjp"));
  }

  /** {@code MGrad} of a method with object parameters: derivatives shaped like them. */
  ClassName objectGradRecord() {
    return diffClass.nestedClass(typeBase + "Grad");
  }

  /** {@code MVjp} of a method with object parameters. */
  ClassName objectVjpClass() {
    return diffClass.nestedClass(typeBase + "Vjp");
  }

  /** {@code MJvp}: value and tangent. */
  ClassName jvpRecord() {
    return diffClass.nestedClass(typeBase + "Jvp");
  }

  /** The type of an output seed or tangent: one number per element of the result. */
  TypeName seedType() {
    return vectorOutput() ? ArrayTypeName.of(TypeName.DOUBLE) : TypeName.DOUBLE;
  }

  /** The parameter types, for javadoc links: {@code double, double[]}. */
  String signature() {
    if (hasObjects()) {
      return parameterShapes().stream().filter(s -> !s.receiver())
          .map(ObjectEntryPoints::sourceTypeName)
          .collect(Collectors.joining(", "));
    }
    return signature(method());
  }

  /** A javadoc link to the user's method, as JavaPoet format {@code $L} arguments. */
  String link() {
    return "{@link " + String.join(".", owner.simpleNames()) + "#" + name() + "("
        + signature() + ")}";
  }

  /** The parameters' names, as the arguments of a call. */
  /**
   * For a method that writes its array parameters: one plain call, the last statement of an
   * entry point, so that the caller's arrays end as the plain call leaves them. The derivative
   * code never writes them (it works on copies), so every sweep before sees their initial
   * contents.
   */
  void leaveArraysAsThePlainCallDoes(com.palantir.javapoet.CodeBlock.Builder body) {
    if (!method().written().isEmpty()) {
      // With records or enums, the method on components is the generated class's own.
      body.addStatement("$T.$L($L)", hasObjects() ? diffClass : owner, name(), arguments());
    }
  }

  String arguments() {
    return method().parameters().stream().map(Variable::name).collect(Collectors.joining(", "));
  }

  static String signature(MethodIr m) {
    return m.parameters().stream().map(p -> p.type().javaName())
        .collect(Collectors.joining(", "));
  }

  /** {@code {@link Owner#m(double, double[])}} for a method of {@code owner}. */
  static String link(ClassName owner, MethodIr m) {
    return "{@link " + String.join(".", owner.simpleNames()) + "#" + m.name() + "("
        + signature(m) + ")}";
  }

  /** The names of {@code variables}, comma-separated. */
  static String names(List<Variable> variables) {
    return variables.stream().map(Variable::sourceName).collect(Collectors.joining(", "));
  }
}
