package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import dev.adjoint.processor.transform.Derivatives;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * Second derivatives (order 2 and more): the adjoint of the first-order tangent form, which
 * generated callers' second-order code calls, and for a method with a result {@code mHvp}
 * (reverse over forward: the gradient of the forward-mode derivative along a direction) and
 * {@code mHessian} (one such product per input element).
 */
final class HessianEntryPoints implements EntryPoints {
  @Override
  public void addTo(TypeSpec.Builder type, MethodModel model) {
    Optional<Adjoint> tangentAdjoint = model.derivatives().tangentAdjoint();
    if (tangentAdjoint.isEmpty()) {
      return;
    }
    AdjointEntryPoints.addTangentAdjoint(type, tangentAdjoint.get(), model.diffClass());
    if (model.method().returnType() != Type.VOID) {
      type.addMethod(hvpMethod(model));
      type.addMethod(hessianMethod(model));
    }
  }

  /**
   * What one Hessian-vector product needs: the buffers of the tangent form's adjoint (its
   * scalar adjoints, one per array parameter, and the adjoint of its {@code valueAndTangent}
   * output, 1 on the tangent), the call, and the gathering of the result.
   */
  private static final class HvpCall {
    private final MethodIr m;
    private final MethodIr form;
    private final Names names;
    private final List<Variable> scalars;
    private final String adjoints;
    private final String output;
    private final Variable outputParameter;
    private final List<String> arrayBuffers = new ArrayList<>();

    HvpCall(Derivatives d, Names names) {
      this.m = d.adjoint().method();
      this.form = d.tangentForms().get(0);
      this.names = names;
      this.scalars = form.differentiableScalars();
      this.adjoints = scalars.isEmpty() ? null : names.fresh("adjoints");
      this.outputParameter = form.parameters().get(form.parameters().size() - 1);
      this.output = names.fresh(outputParameter.name());
      for (Variable p : form.differentiableArrays()) {
        arrayBuffers.add(names.fresh(p.name() + "Adjoint"));
      }
    }

    void declare(CodeBlock.Builder body) {
      if (adjoints != null) {
        body.addStatement("double[] $L = new double[$L]", adjoints, scalars.size());
      }
      body.addStatement("double[] $L = new double[2]", output);
      for (int i = 0; i < arrayBuffers.size(); i++) {
        Variable p = form.differentiableArrays().get(i);
        if (p == outputParameter) {
          // The adjoint of the form's final output: 1 on the tangent, 0 on the value.
          body.addStatement("double[] $L = {0.0, 1.0}", arrayBuffers.get(i));
        } else {
          body.addStatement("$T $L = $T.zerosLike($L)", typeName(p.type()), arrayBuffers.get(i),
              SHAPES, p.name());
        }
      }
    }

    /**
     * As {@link #declare}, with the {@code double} buffers borrowed from {@code tape} (zeroed,
     * kept from call to call); returns how many were borrowed, to give back after the call.
     */
    int borrow(CodeBlock.Builder body, String tape) {
      int borrowed = 0;
      if (adjoints != null) {
        body.addStatement("double[] $L = $L.borrow($L)", adjoints, tape, scalars.size());
        borrowed++;
      }
      body.addStatement("double[] $L = $L.borrow(2)", output, tape);
      borrowed++;
      for (int i = 0; i < arrayBuffers.size(); i++) {
        Variable p = form.differentiableArrays().get(i);
        String buffer = arrayBuffers.get(i);
        if (p == outputParameter) {
          // The adjoint of the form's final output: 1 on the tangent, 0 on the value.
          body.addStatement("double[] $L = $L.borrow(2)", buffer, tape);
          body.addStatement("$L[1] = 1.0", buffer);
          borrowed++;
        } else if (p.type() == Type.DOUBLE_ARRAY) {
          body.addStatement("double[] $L = $L.borrow($L.length)", buffer, tape, p.name());
          borrowed++;
        } else {
          body.addStatement("$T $L = $T.zerosLike($L)", typeName(p.type()), buffer, SHAPES,
              p.name());
        }
      }
      return borrowed;
    }

    /** Makes the buffers as {@link #declare} left them, for the next product. */
    void reset(CodeBlock.Builder body) {
      if (adjoints != null) {
        body.addStatement("$T.fill($L, 0.0)", Arrays.class, adjoints);
      }
      for (int i = 0; i < arrayBuffers.size(); i++) {
        Variable p = form.differentiableArrays().get(i);
        String buffer = arrayBuffers.get(i);
        if (p == outputParameter) {
          body.addStatement("$L[0] = 0.0", buffer).addStatement("$L[1] = 1.0", buffer);
        } else if (p.type() == Type.DOUBLE_MATRIX) {
          names.open();
          String row = names.fresh("row");
          body.beginControlFlow("for (double[] $L : $L)", row, buffer)
              .addStatement("$T.fill($L, 0.0)", Arrays.class, row).endControlFlow();
          names.close();
        } else {
          body.addStatement("$T.fill($L, $L)", Arrays.class, buffer,
              p.type() == Type.FLOAT_ARRAY ? "0.0f" : "0.0");
        }
      }
    }

    void call(CodeBlock.Builder body, String tape) {
      List<String> call = new ArrayList<>();
      form.parameters().forEach(p -> call.add(p == outputParameter ? output : p.name()));
      if (adjoints != null) {
        call.add(adjoints);
      }
      call.addAll(arrayBuffers);
      if (tape != null) {
        call.add(tape);
      }
      List<TypeName> types = new ArrayList<>();
      form.parameters().forEach(p -> types.add(SweepWriter.typeName(p.type())));
      body.addStatement("$LAdjoint($L)", form.name(), ParameterSlots.names(call,
          ParameterSlots.typesOf(types, call.size() - types.size())));
    }

    /** {@code target = } the differentiated inputs' part of the adjoints, flattened. */
    void collect(CodeBlock.Builder body, String target, String at) {
      body.addStatement("$L = new double[$L]", target, UnitTangents.columns(m));
      body.addStatement("$L = 0", at);
      for (Variable p : m.differentiated()) {
        String part = p.type().isArray()
            ? arrayBuffers.get(form.differentiableArrays().indexOf(p))
            : adjoints + "[" + scalars.indexOf(p) + "]";
        body.addStatement("$L = $T.put($L, $L, $L)", at, SHAPES, target, at, part);
      }
    }
  }

  /**
   * {@code mHvp}: the reverse sweep of the first-order tangent form, seeded with 1 on the
   * tangent of the result, gives the gradient of (gradient . direction), that is H v.
   */
  private static MethodSpec hvpMethod(MethodModel model) {
    MethodIr m = model.method();
    Derivatives d = model.derivatives();
    List<Variable> directions = d.tangent().orElseThrow().tangentParameters();
    Names names = new Names();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Hvp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[].class)
        .addJavadoc(Doc.of("The Hessian of $L times a direction (one per "
            + "differentiated parameter,\nsame shape), flattened like the columns of {@code "
            + "$LHessian}: the gradient of the forward-mode\nderivative along the direction, "
            + "by the reverse transform of the forward transform.\n", model.link(), m.name())
            .arguments(m).tangents(m, directions, "the direction")
            .returns("the product, flattened").build());
    JvpEntryPoints.addParameters(m, method, names, directions);
    // The body calls the tangent form's adjoint: it prints no IR, so it assigns no parameter.
    List<Variable> parameters = new ArrayList<>(m.parameters());
    parameters.addAll(directions);
    Optional<DeepStackReruns> rerun =
        DeepStackReruns.reserve(model, names, parameters, List.of());
    CodeBlock.Builder body = CodeBlock.builder();
    JvpEntryPoints.requireTangentShapes(m, body, directions);
    HvpCall hvp = new HvpCall(d, names);
    // The buffers come from this thread's tape, so that a product allocates only its result.
    String tape = names.fresh("tape");
    body.addStatement("$T $L = $T.ofThisThread()", SweepWriter.TAPE, tape, SweepWriter.TAPE);
    int borrowed = hvp.borrow(body, tape);
    hvp.call(body, tape);
    String result = names.fresh("hvp");
    String at = names.fresh("at");
    body.addStatement("double[] $L", result).addStatement("int $L", at);
    hvp.collect(body, result, at);
    model.leaveArraysAsThePlainCallDoes(body);
    body.addStatement("$L.release($L)", tape, borrowed);
    body.addStatement("return $L", result);
    return DeepStackReruns.around(rerun, method.addCode(body.build()).build());
  }

  /**
   * {@code mHessian}: one Hessian-vector product per differentiated input element, on one tape
   * and one set of buffers.
   */
  private static MethodSpec hessianMethod(MethodModel model) {
    MethodIr m = model.method();
    Derivatives d = model.derivatives();
    List<Variable> directions = d.tangent().orElseThrow().tangentParameters();
    Names names = new Names();
    m.parameters().forEach(names::reserve);
    directions.forEach(names::reserve);
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Hessian")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(double[][].class)
        .addJavadoc(Doc.of("The Hessian of $L over the differentiated inputs "
            + "flattened in declaration\norder (matrices row by row): row k is {@code $LHvp} "
            + "along unit direction k, so it costs one\nforward and one reverse sweep of the "
            + "forward-mode code per input.\n", model.link(), m.name()).arguments(m)
            .returns("the Hessian matrix").build());
    m.parameters().forEach(p -> method.addParameter(typeName(p.type()), p.name()));
    // The body calls the tangent form's adjoint (or mHvp): it prints no IR, so it assigns no
    // parameter.
    Optional<DeepStackReruns> rerun =
        DeepStackReruns.reserve(model, names, m.parameters(), List.of());
    if (directions.size() > LOOPED_COLUMNS
        && directions.stream().noneMatch(p -> p.type().isArray())) {
      return DeepStackReruns.around(rerun,
          method.addCode(loopedColumns(m, directions, names)).build());
    }
    String hessian = names.fresh("hessian");
    String row = names.fresh("row");
    String at = names.fresh("at");
    String tape = names.fresh("tape");
    CodeBlock.Builder body = CodeBlock.builder();
    body.addStatement("double[][] $L = new double[$L][]", hessian, UnitTangents.columns(m));
    UnitTangents.declare(m, directions, body);
    HvpCall hvp = new HvpCall(d, names);
    hvp.declare(body);
    body.addStatement("$T $L = $T.ofThisThread()", SweepWriter.TAPE, tape, SweepWriter.TAPE);
    body.addStatement("int $L = 0", row).addStatement("int $L", at);
    CodeBlock.Builder perColumn = CodeBlock.builder();
    hvp.reset(perColumn);
    hvp.call(perColumn, tape);
    hvp.collect(perColumn, hessian + "[" + row + "]", at);
    perColumn.addStatement("$L++", row);
    UnitTangents.forEach(directions, names, body, perColumn.build());
    model.leaveArraysAsThePlainCallDoes(body);
    body.addStatement("return $L", hessian);
    return DeepStackReruns.around(rerun, method.addCode(body.build()).build());
  }

  /**
   * Above this many scalar directions, {@code mHessian} is a loop over {@code mHvp} with a unit
   * direction array rather than one unrolled product per column, whose code grows with the
   * square of the number of parameters (past the JVM's 64 KB per method near 100).
   */
  static final int LOOPED_COLUMNS = 32;

  private static CodeBlock loopedColumns(MethodIr m, List<Variable> directions, Names names) {
    String hessian = names.fresh("hessian");
    String direction = names.fresh("direction");
    String column = names.fresh("column");
    int n = directions.size();
    List<String> args = new ArrayList<>();
    List<TypeName> types = new ArrayList<>();
    m.parameters().forEach(p -> {
      args.add(p.name());
      types.add(typeName(p.type()));
    });
    for (int i = 0; i < n; i++) {
      args.add(direction + "[" + i + "]");
      types.add(typeName(directions.get(i).type()));
    }
    return CodeBlock.builder()
        .addStatement("double[][] $L = new double[$L][]", hessian, n)
        .addStatement("double[] $L = new double[$L]", direction, n)
        .beginControlFlow("for (int $L = 0; $L < $L; $L++)", column, column, n, column)
        .addStatement("$L[$L] = 1.0", direction, column)
        .addStatement("$L[$L] = $LHvp($L)", hessian, column, m.name(),
            ParameterSlots.names(args, types))
        .addStatement("$L[$L] = 0.0", direction, column)
        .endControlFlow()
        .addStatement("return $L", hessian)
        .build();
  }
}
