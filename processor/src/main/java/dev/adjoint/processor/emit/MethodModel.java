package dev.adjoint.processor.emit;

import static dev.adjoint.processor.ir.Identifiers.capitalize;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.MethodIr;
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
 */
record MethodModel(Derivatives derivatives, ClassName owner, ClassName diffClass) {

  /** The model of {@code d}'s method, declared in {@code owner}. */
  static MethodModel of(Derivatives d, ClassName owner) {
    return new MethodModel(d, owner,
        ClassName.get(owner.packageName(), DiffClassEmitter.diffClassName(owner.simpleName())));
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
    return diffClass.nestedClass(capitalize(name()) + "Grad");
  }

  /** {@code MVjp}: one recorded forward sweep. */
  ClassName vjpClass() {
    return diffClass.nestedClass(capitalize(name()) + "Vjp");
  }

  /** {@code MJvp}: value and tangent. */
  ClassName jvpRecord() {
    return diffClass.nestedClass(capitalize(name()) + "Jvp");
  }

  /** The type of an output seed or tangent: one number per element of the result. */
  TypeName seedType() {
    return vectorOutput() ? ArrayTypeName.of(TypeName.DOUBLE) : TypeName.DOUBLE;
  }

  /** The parameter types, for javadoc links: {@code double, double[]}. */
  String signature() {
    return signature(method());
  }

  /** A javadoc link to the user's method, as JavaPoet format {@code $L} arguments. */
  String link() {
    return link(owner, method());
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
      body.addStatement("$T.$L($L)", owner, name(), arguments());
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
    return "{@link " + owner.simpleName() + "#" + m.name() + "(" + signature(m) + ")}";
  }

  /** The names of {@code variables}, comma-separated. */
  static String names(List<Variable> variables) {
    return variables.stream().map(Variable::name).collect(Collectors.joining(", "));
  }
}
