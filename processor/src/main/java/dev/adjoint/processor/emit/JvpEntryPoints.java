package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Derivatives;
import dev.adjoint.processor.transform.TangentTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * Forward mode: the record {@code MJvp} and {@code mJvp} (for a method with a result), and the
 * tangent forms generated callers call ({@code mTangent}, void, writing value and tangent, and
 * for higher orders the forms transformed again). With a hand-written adjoint, the one tangent
 * form is made from the adjoint instead.
 */
final class JvpEntryPoints implements EntryPoints {
  @Override
  public void addTo(TypeSpec.Builder type, MethodModel model) {
    MethodIr m = model.method();
    Derivatives d = model.derivatives();
    if (d.tangent().isEmpty()) {
      if (!m.returnType().isFloating()) {
        return;
      }
      List<Variable> tangentParameters = TangentTransform.tangentParameters(m);
      type.addMethod(customTangentForm(model, tangentParameters));
      type.addType(jvpRecord(model));
      type.addMethod(customJvpMethod(model, tangentParameters));
      return;
    }
    if (m.returnType() != Type.VOID) {
      type.addType(jvpRecord(model));
      type.addMethod(jvpMethod(model, d.tangent().get()));
    }
    for (MethodIr form : d.tangentForms()) {
      type.addMethod(tangentForm(form, m));
    }
  }

  private static TypeName tangentType(MethodModel model) {
    return model.vectorOutput() ? ArrayTypeName.of(TypeName.DOUBLE) : TypeName.DOUBLE;
  }

  private static TypeSpec jvpRecord(MethodModel model) {
    MethodSpec constructor = MethodSpec.constructorBuilder()
        .addParameter(typeName(model.method().returnType()), "value")
        .addParameter(tangentType(model), "tangent")
        .build();
    return TypeSpec.recordBuilder(model.jvpRecord().simpleName())
        .addModifiers(Modifier.PUBLIC)
        .recordConstructor(constructor)
        .addJavadoc(Doc.of("The value of $L and its directional derivative.\n", model.link())
            .param("value", "the method's result")
            .param("tangent", "the derivative of the result along the given tangents").build())
        .build();
  }

  private static Doc jvpDoc(MethodModel model, String description, List<Variable> tangents) {
    return Doc.of(description, model.link()).arguments(model.method())
        .tangents(model.method(), tangents, "the tangent (direction)")
        .returns("the value and its derivative along the tangents");
  }

  /**
   * {@code mJvp}: through the tangent form for a scalar result; for an array result, the
   * tangent code printed here, returning the result array and its tangent.
   */
  private static MethodSpec jvpMethod(MethodModel model, TangentTransform.Tangent t) {
    MethodIr m = model.method();
    Names names = new Names();
    JavaPrinter printer = new JavaPrinter(names);
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Jvp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(model.jvpRecord())
        .addJavadoc(jvpDoc(model, "Evaluates $L and its derivative along the tangents (one "
            + "per differentiated\nparameter, same shape) in one forward sweep: forward mode, "
            + "the Jacobian times a vector.\n", t.tangentParameters()).build());
    addParameters(m, method, names, t.tangentParameters());
    // For an array result the tangent code is printed here, and may assign parameters (a
    // tangent updated in place); otherwise the body calls the tangent form.
    List<Variable> parameters = new ArrayList<>(m.parameters());
    parameters.addAll(t.tangentParameters());
    Optional<DeepStackReruns> rerun = DeepStackReruns.reserve(model, names, parameters,
        model.vectorOutput() ? t.body().statements() : List.of());
    CodeBlock.Builder body = CodeBlock.builder();
    requireTangentShapes(m, body, t.tangentParameters());
    if (!model.vectorOutput()) {
      // One copy of the tangent code: the form generated callers use.
      return DeepStackReruns.around(rerun, method.addCode(body.build())
          .addCode(callTangentForm(model, names, t.tangentParameters())).build());
    }
    printer.statements(t.body().statements(), body);
    Variable tangent = t.resultTangent();
    String result = printer.name(m.result());
    CodeBlock tangentValue = tangent != null ? CodeBlock.of("$L", printer.name(tangent))
        : CodeBlock.of("new double[$L.length]", result);
    model.leaveArraysAsThePlainCallDoes(body);
    body.addStatement("return new $T($L, $L)", model.jvpRecord(), result, tangentValue);
    return DeepStackReruns.around(rerun, method.addCode(body.build()).build());
  }

  /** The user's parameters, then {@code extra}, all keeping their names. */
  static void addParameters(MethodIr m, MethodSpec.Builder method, Names names,
      List<Variable> extra) {
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
    }
    for (Variable p : extra) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
    }
  }

  /** Fails early when an array tangent is null or not shaped like its parameter. */
  static void requireTangentShapes(MethodIr m, CodeBlock.Builder body,
      List<Variable> tangents) {
    for (int i = 0; i < tangents.size(); i++) {
      Variable t = tangents.get(i);
      if (t.type().isArray()) {
        body.addStatement("$T.sameShape($L, $T.requireNonNull($L, $S), $S)", SHAPES,
            m.differentiated().get(i).name(), Objects.class, t.name(), t.name(), t.name());
      }
    }
  }

  /** A tangent form, for generated callers: void, writing value and tangent. */
  static MethodSpec tangentForm(MethodIr form, MethodIr source) {
    Names names = new Names();
    JavaPrinter printer = new JavaPrinter(names);
    String of = form.name().substring(0,
        form.name().length() - TangentTransform.TANGENT.length());
    Doc doc = Doc.of("Forward mode of {@code $L} for generated callers: the parameters, then one "
        + "tangent per\ndifferentiated parameter$L. Use {@code $LJvp} instead.\n", of,
        source.returnType() == Type.VOID ? "" : ", then a {@code double[2]} receiving "
            + "value and tangent", source.name());
    MethodSpec.Builder method = MethodSpec.methodBuilder(form.name())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC);
    for (Variable p : form.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      names.reserve(p);
      if (source.parameters().contains(p)) {
        doc.param(p.name(), "argument {@code $L} of {@code $L}", p.name(), source.name());
      } else if (p.name().startsWith(TangentTransform.VALUE_AND_TANGENT)) {
        doc.param(p.name(), "receives the value (element 0) and the tangent (element 1)");
      } else {
        doc.param(p.name(), "a tangent (a direction of forward mode), as {@code $L} takes it",
            form.name());
      }
    }
    method.addJavadoc(doc.build());
    CodeBlock.Builder body = CodeBlock.builder();
    printer.statements(form.body().statements(), body);
    return method.addCode(body.build()).build();
  }

  /**
   * Forward mode of a method with a hand-written adjoint: its gradient (seed 1) dotted with
   * the tangents (for array parameters, it allocates their adjoints on each call).
   */
  private static MethodSpec customTangentForm(MethodModel model, List<Variable> tangents) {
    MethodIr m = model.method();
    Names names = new Names();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + TangentTransform.TANGENT)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC);
    addParameters(m, method, names, tangents);
    String out = names.fresh(TangentTransform.VALUE_AND_TANGENT);
    method.addParameter(double[].class, out);
    method.addJavadoc(Doc.of("Forward mode of {@code $L} for generated callers, from its "
        + "hand-written adjoint.\n", m.name()).arguments(m)
        .tangents(m, tangents, "the tangent (direction)")
        .param(out, "receives the value (element 0) and the tangent (element 1)").build());
    CodeBlock.Builder body = CodeBlock.builder();
    List<Variable> scalars = m.differentiableScalars();
    String adjoints = names.fresh("adjoints");
    List<String> call = new ArrayList<>();
    m.parameters().forEach(p -> call.add(p.name()));
    call.add("1.0");
    if (!scalars.isEmpty()) {
      body.addStatement("double[] $L = new double[$L]", adjoints, scalars.size());
      call.add(adjoints);
    }
    CodeBlock.Builder dot = CodeBlock.builder().add("0.0");
    for (int i = 0; i < m.differentiated().size(); i++) {
      Variable p = m.differentiated().get(i);
      String tangent = tangents.get(i).name();
      if (p.type().isArray()) {
        String buffer = names.fresh(p.name() + "Adjoint");
        body.addStatement("$T $L = $T.zerosLike($L)", typeName(p.type()), buffer, SHAPES,
            p.name());
        call.add(buffer);
        dot.add(" + $T.dot($L, $L)", SHAPES, buffer, tangent);
      } else {
        dot.add(" + $L[$L] * $L", adjoints, scalars.indexOf(p), tangent);
      }
    }
    body.addStatement("$L[0] = $LAdjoint($L)", out, m.name(), String.join(", ", call));
    body.addStatement("$L[1] = $L", out, dot.build());
    return method.addCode(body.build()).build();
  }

  /** {@code mJvp} of a method with a hand-written adjoint, through its tangent form. */
  private static MethodSpec customJvpMethod(MethodModel model, List<Variable> tangents) {
    MethodIr m = model.method();
    Names names = new Names();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Jvp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(model.jvpRecord())
        .addJavadoc(jvpDoc(model, "Evaluates $L and its derivative along the tangents, from "
            + "its\nhand-written adjoint.\n", tangents).build());
    addParameters(m, method, names, tangents);
    List<Variable> parameters = new ArrayList<>(m.parameters());
    parameters.addAll(tangents);
    Optional<DeepStackReruns> rerun =
        DeepStackReruns.reserve(model, names, parameters, List.of());
    return DeepStackReruns.around(rerun,
        method.addCode(callTangentForm(model, names, tangents)).build());
  }

  /** Calls the tangent form and wraps what it wrote in the {@code MJvp} record. */
  private static CodeBlock callTangentForm(MethodModel model, Names names,
      List<Variable> tangents) {
    MethodIr m = model.method();
    String out = names.fresh(TangentTransform.VALUE_AND_TANGENT);
    List<CodeBlock> args = new ArrayList<>();
    List<TypeName> types = new ArrayList<>();
    m.parameters().forEach(p -> {
      args.add(CodeBlock.of("$L", p.name()));
      types.add(typeName(p.type()));
    });
    tangents.forEach(p -> {
      args.add(CodeBlock.of("$L", p.name()));
      types.add(typeName(p.type()));
    });
    args.add(CodeBlock.of("$L", out));
    types.add(ArrayTypeName.of(TypeName.DOUBLE));
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("double[] $L = new double[2]", out)
        .addStatement("$L$L($L)", m.name(), TangentTransform.TANGENT,
            ParameterSlots.arguments(args, types));
    model.leaveArraysAsThePlainCallDoes(body);
    return body
        .addStatement("return new $T($L$L[0], $L[1])", model.jvpRecord(),
            m.returnType() == Type.FLOAT ? "(float) " : "", out, out)
        .build();
  }
}
