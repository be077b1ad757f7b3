package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.TAPE;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.transform.Adjoint;
import dev.adjoint.processor.transform.VectorLanes;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Optional;
import java.util.SortedMap;
import javax.lang.model.element.Modifier;

/**
 * {@code mJacobian} for an array result: forward mode (one {@code mJvp} per input element) with
 * fewer inputs than outputs, otherwise reverse mode (one {@code mVjp}, one pullback per output).
 */
final class JacobianEntryPoints implements EntryPoints {
  @Override
  public void addTo(TypeSpec.Builder type, MethodModel m) {
    if (m.vectorOutput()) {
      Optional<Vector> vector = Vector.of(m);
      type.addMethod(jacobianMethod(m,
          m.derivatives().tangent().orElseThrow().tangentParameters(), vector));
      vector.ifPresent(v -> {
        type.addMethod(v.method(false, true));
        type.addMethod(v.method(false, false));
        type.addMethod(v.method(true, true));
        type.addMethod(v.method(true, false));
      });
    }
  }

  private static MethodSpec jacobianMethod(MethodModel model, List<Variable> tangents,
      Optional<Vector> vector) {
    MethodIr m = model.method();
    Names names = new Names();
    m.parameters().forEach(names::reserve);
    tangents.forEach(names::reserve);
    String vjp = names.fresh("vjp");
    String value = names.fresh("value");
    String jacobian = names.fresh("jacobian");
    String seed = names.fresh("seed");
    String output = names.fresh("output");
    String row = names.fresh("row");
    String gradient = names.fresh("gradient");
    String at = names.fresh("at");
    String columns = names.fresh("columns");
    String column = names.fresh("column");
    String jvp = names.fresh("jvp");
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Jacobian")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE)))
        .addJavadoc((vector.isPresent()
            ? Doc.of("The Jacobian of $L: one row per output, one column per "
                + "differentiated\ninput element, inputs flattened in declaration order. Its "
                + "$L rows come from one\nforward sweep and one reverse sweep carrying them all "
                + "({@code $LJacobian} with a buffer).\n", model.link(), vector.get().lanes,
                m.name())
            : Doc.of("The Jacobian of $L: one row per output, one column per "
            + "differentiated\ninput element, inputs flattened in declaration order (matrices "
            + "row by row). With fewer\ninputs than outputs, forward mode: one {@code $LJvp} per "
            + "input; otherwise reverse mode: one\nforward sweep, then one reverse sweep per "
            + "output.\n", model.link(), m.name())).arguments(m)
            .returns("the Jacobian matrix").build());
    m.parameters().forEach(p -> method.addParameter(typeName(p.type()), p.name()));
    CodeBlock.Builder body = CodeBlock.builder();
    body.addStatement("int $L = $L", columns, UnitTangents.columns(m));
    if (vector.isPresent()) {
      // The output's length is fixed and small: one forward sweep, one reverse sweep carrying
      // every row.
      body.addStatement("double[][] $L = new double[$L][$L]", jacobian, vector.get().lanes,
          columns);
      body.addStatement("$LJacobian($L, $L, $T.ofThisThread())", m.name(), model.arguments(),
          jacobian, SweepWriter.TAPE);
      body.addStatement("return $L", jacobian);
      return method.addCode(body.build()).build();
    }
    if (!m.written().isEmpty()) {
      // A method writing its array parameters: one recording (mVjp leaves the caller's arrays
      // as the plain call does), one pullback per output.
      body.addStatement("$T $L = $LVjp($L)", model.vjpClass(), vjp, m.name(),
          model.arguments());
      body.addStatement("double[] $L = $L.value()", value, vjp);
      body.addStatement("double[][] $L = new double[$L.length][$L]", jacobian, value, columns);
      reverseRows(model, body, vjp, value, jacobian, seed, output, gradient, row, at);
      return method.addCode(body.build()).build();
    }
    // With records or enums, the method on components is the generated class's own.
    body.addStatement("double[] $L = $T.$L($L)", value,
        model.hasObjects() ? model.diffClass() : model.owner(), m.name(),
        model.arguments());
    body.addStatement("double[][] $L = new double[$L.length][$L]", jacobian, value, columns);
    body.beginControlFlow("if ($L < $L.length)", columns, value);
    body.addStatement("int $L = 0", column);
    body.addStatement("double[] $L", jvp);
    List<String> args = new ArrayList<>();
    m.parameters().forEach(p -> args.add(p.name()));
    tangents.forEach(p -> args.add(p.name()));
    UnitTangents.declare(m, tangents, body);
    UnitTangents.forEach(tangents, names, body, CodeBlock.builder()
        .addStatement("$L = $LJvp($L).tangent()", jvp, m.name(),
            String.join(", ", args))
        .beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", output, output, jvp,
            output)
        .addStatement("$L[$L][$L] = $L[$L]", jacobian, output, column, jvp, output)
        .endControlFlow()
        .addStatement("$L++", column)
        .build());
    body.addStatement("return $L", jacobian);
    body.endControlFlow();
    body.addStatement("$T $L = $LVjp($L)", model.vjpClass(), vjp, m.name(), model.arguments());
    reverseRows(model, body, vjp, value, jacobian, seed, output, gradient, row, at);
    return method.addCode(body.build()).build();
  }

  /** One pullback of the recording {@code vjp} per output: the rows of the Jacobian. */
  private static void reverseRows(MethodModel model, CodeBlock.Builder body, String vjp,
      String value, String jacobian, String seed, String output, String gradient, String row,
      String at) {
    body.addStatement("double[] $L = new double[$L.length]", seed, value);
    body.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", output, output, value,
        output);
    body.addStatement("$L[$L] = 1.0", seed, output);
    body.addStatement("$T $L = $L.pullback($L)", model.gradRecord(), gradient, vjp, seed);
    body.addStatement("$L[$L] = 0.0", seed, output);
    body.addStatement("double[] $L = $L[$L]", row, jacobian, output);
    body.addStatement("int $L = 0", at);
    for (String component : model.components().subList(0, model.method().differentiableParameters().size())) {
      body.addStatement("$L = $T.put($L, $L, $L.$L())", at, SHAPES, row, at, gradient,
          component);
    }
    body.endControlFlow();
    body.addStatement("return $L", jacobian);
  }

  /**
   * The vector reverse mode of a method whose array result has a small length fixed by its code
   * (at most {@link #MAX_LANES}): {@code mJacobian(..., double[][] jacobian[, Tape])} and {@code
   * mVjps(..., double[][] seeds, double[][] products[, Tape])}, one forward sweep and one reverse
   * sweep whose adjoints carry one lane per output seed ({@link VectorLanes}).
   */
  static final class Vector {
    /** The most lanes: the reverse sweep's adjoint code is written once per lane. */
    static final int MAX_LANES = 8;

    private final MethodModel model;
    private final MethodIr m;
    private final Adjoint a;
    final int lanes;

    private Vector(MethodModel model, int lanes) {
      this.model = model;
      this.m = model.method();
      this.a = model.adjoint();
      this.lanes = lanes;
    }

    /**
     * The vector form of {@code model}'s method when it has one: an array result whose length
     * the code fixes at {@code 1..MAX_LANES}, {@code double} and {@code double[]} differentiated
     * parameters, no parameter written, no retained local, parameters that fit the JVM's slots
     * with three more, and a reverse sweep {@link VectorLanes} can write lane
     * by lane. Otherwise {@code mJacobian} runs one reverse sweep per row.
     */
    static Optional<Vector> of(MethodModel model) {
      MethodIr m = model.method();
      if (model.custom() || !m.written().isEmpty() || !m.retained().isEmpty()) {
        return Optional.empty();
      }
      for (Variable p : m.differentiated()) {
        if (p.type() != Type.DOUBLE && p.type() != Type.DOUBLE_ARRAY) {
          return Optional.empty();
        }
      }
      // mVjps adds seeds, products and a tape to the method's parameters: within the JVM's slots
      // without packing (the calls between the forms pass the parameters as they are).
      int slots = 3;
      for (Variable p : m.parameters()) {
        slots += p.type() == Type.DOUBLE || p.type() == Type.LONG ? 2 : 1;
      }
      if (slots > ParameterSlots.MAX_SLOTS) {
        return Optional.empty();
      }
      OptionalInt length = VectorLanes.resultLength(model.adjoint());
      if (length.isEmpty() || length.getAsInt() < 1 || length.getAsInt() > MAX_LANES) {
        return Optional.empty();
      }
      if (VectorLanes.of(model.adjoint(), length.getAsInt()).isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Vector(model, length.getAsInt()));
    }

    /**
     * {@code mVjps} ({@code seeded}) or {@code mJacobian} (unit seeds), on the caller's tape
     * ({@code sharedTape}) or this thread's.
     */
    MethodSpec method(boolean seeded, boolean sharedTape) {
      Names names = new Names();
      m.parameters().forEach(names::reserve);
      String tape = a.tape().map(names::of).orElseGet(() -> names.fresh("tape"));
      String seeds = seeded ? names.fresh("seeds") : null;
      String out = names.fresh(seeded ? "products" : "jacobian");
      MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + (seeded ? "Vjps"
              : "Jacobian"))
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(ArrayTypeName.of(TypeName.DOUBLE));
      m.parameters().forEach(p -> method.addParameter(typeName(p.type()), p.name()));
      TypeName matrix = ArrayTypeName.of(ArrayTypeName.of(TypeName.DOUBLE));
      if (seeded) {
        method.addParameter(matrix, seeds);
      }
      method.addParameter(matrix, out);
      Doc doc = seeded
          ? Doc.of("Evaluates $L and writes into {@code $L[k]} the vector-Jacobian product of\n"
              + "{@code $L[k]} (row k of {@code $L} is {@code $L[k]}<sup>T</sup>J, inputs "
              + "flattened as in\n{@code $LJacobian}), for the $L seeds at once: one forward "
              + "sweep and one reverse sweep\nwhose adjoints carry $L lanes.\n", model.link(),
              out, seeds, out, seeds, m.name(), lanes, lanes)
          : Doc.of("Evaluates $L and writes its Jacobian into {@code $L} ($L rows, one per\n"
              + "output; one column per differentiated input element, inputs flattened in "
              + "declaration\norder): one forward sweep and one reverse sweep whose adjoints "
              + "carry the $L rows\nat once. Allocates nothing beyond what the method "
              + "allocates once its tape has grown.\n", model.link(), out, lanes, lanes);
      doc.arguments(m);
      if (seeded) {
        doc.param(seeds, "$L output seeds, each of the result's length $L", lanes, lanes);
      }
      doc.param(out, "$L rows of the number of input elements, overwritten", lanes);
      if (!sharedTape) {
        doc.paragraph("Records on this thread's tape ({@link $T#ofThisThread}).\n", TAPE);
        List<String> call = new ArrayList<>();
        m.parameters().forEach(p -> call.add(p.name()));
        if (seeded) {
          call.add(seeds);
        }
        call.add(out);
        return method.addJavadoc(doc.returns("the method's result").build())
            .addStatement("return $L($L, $T.ofThisThread())", method.build().name(),
                String.join(", ", call), TAPE)
            .build();
      }
      method.addParameter(TAPE, tape);
      doc.param(tape, "the tape to record on: one owned by this thread; it is left as it was "
          + "found");
      method.addJavadoc(doc.returns("the method's result").build());
      CodeBlock.Builder body = CodeBlock.builder();
      String columns = names.fresh("columns");
      body.addStatement("int $L = $L", columns, UnitTangents.columns(m));
      String row = names.fresh("row");
      if (seeded) {
        checkRows(body, seeds, CodeBlock.of("$L", lanes), row);
      }
      checkRows(body, out, CodeBlock.of("$L", columns), row);
      body.addStatement("$L.enter()", tape).beginControlFlow("try");
      JavaPrinter printer = new JavaPrinter(names);
      SweepWriter.forward(a, printer, body, false);
      String output = printer.name(m.result());
      if (Statements.assigned(a.reverse()).contains(m.result())) {
        // The reverse sweep restores the output's elements; the caller gets the forward result.
        output = names.fresh("value");
        body.addStatement("double[] $L = $L.clone()", output, printer.name(m.result()));
      }
      VectorLanes.Result vector = VectorLanes.of(a, lanes).orElseThrow();
      body.add("// Reverse sweep, $L lanes (one per $L): adjoints flow from the result back "
          + "to the parameters.\n", lanes, seeded ? "seed" : "row of the Jacobian");
      int borrowed = (a.forwardScratch().isPresent() ? 1 : 0) + a.borrowedAcrossSweeps();
      Variable resultAdjoint = a.adjointOf().get(m.result());
      for (Map.Entry<Variable, Variable> entry : a.adjointOf().entrySet()) {
        Variable v = entry.getKey();
        SortedMap<Integer, List<Variable>> elements = vector.elementsOf().get(entry.getValue());
        if (elements != null) {
          // Scalars per element: the result's seeded, the others zero.
          boolean result = entry.getValue() == resultAdjoint;
          elements.forEach((index, laneCopies) -> {
            for (int k = 0; k < lanes; k++) {
              String bar = printer.name(laneCopies.get(k));
              if (result && seeded) {
                body.addStatement("double $L = $L[$L][$L]", bar, seeds, k, index);
              } else {
                body.addStatement("double $L = $L", bar, result && index == k ? "1.0" : "0.0");
              }
            }
          });
          continue;
        }
        List<Variable> copies = vector.lanesOf().get(entry.getValue());
        for (int k = 0; k < lanes; k++) {
          String bar = printer.name(copies.get(k));
          if (entry.getValue() == resultAdjoint) {
            body.addStatement("double[] $L = $L.borrow($L)", bar, tape, lanes);
            if (seeded) {
              body.addStatement("System.arraycopy($L[$L], 0, $L, 0, $L)", seeds, k, bar, lanes);
            } else {
              body.addStatement("$L[$L] = 1.0", bar, k);
            }
            borrowed++;
          } else if (v.type() == Type.DOUBLE_ARRAY) {
            body.addStatement("double[] $L = $L.borrowLike($L)", bar, tape, printer.name(v));
            borrowed++;
          } else {
            body.addStatement("double $L = 0.0", bar);
          }
        }
      }
      printer.statements(vector.reverse(), body);
      String at = names.fresh("at");
      for (int k = 0; k < lanes; k++) {
        body.addStatement("$L = $L[$L]", k == 0 ? "double[] " + row : row, out, k);
        body.addStatement("$L$L = 0", k == 0 ? "int " : "", at);
        for (Variable p : m.differentiated()) {
          Variable bar = a.adjointOf().get(p);
          SortedMap<Integer, List<Variable>> elements =
              bar == null ? null : vector.elementsOf().get(bar);
          if (elements != null) {
            // The elements the sweep uses (the forward sweep read the last, so p has them).
            int used = elements.isEmpty() ? 0 : elements.lastKey() + 1;
            for (int index = 0; index < used; index++) {
              List<Variable> copies = elements.get(index);
              CodeBlock column = index == 0 ? CodeBlock.of("$L", at)
                  : CodeBlock.of("$L + $L", at, index);
              body.addStatement("$L[$L] = $L", row, column,
                  copies == null ? "0.0" : printer.name(copies.get(k)));
            }
            CodeBlock unused = used == 0 ? CodeBlock.of("$L", at)
                : CodeBlock.of("$L + $L", at, used);
            body.beginControlFlow("if ($L.length > $L)", p.name(), used)
                .addStatement("$T.fill($L, $L, $L + $L.length, 0.0)",
                    java.util.Arrays.class, row, unused, at, p.name())
                .endControlFlow();
            body.addStatement("$L += $L.length", at, p.name());
          } else if (bar != null) {
            body.addStatement("$L = $T.put($L, $L, $L)", at, SHAPES, row, at,
                printer.name(vector.lanesOf().get(bar).get(k)));
          } else if (p.type().isArray()) {
            body.addStatement("$T.fill($L, $L, $L + $L.length, 0.0)", java.util.Arrays.class,
                row, at, at, p.name());
            body.addStatement("$L += $L.length", at, p.name());
          } else {
            body.addStatement("$L = $T.put($L, $L, 0.0)", at, SHAPES, row, at);
          }
        }
      }
      if (borrowed > 0) {
        body.addStatement("$L.release($L)", tape, borrowed);
      }
      body.addStatement("return $L", output);
      String error = names.fresh("outOfMemory");
      body.nextControlFlow("catch ($T $L)", OutOfMemoryError.class, error)
          .addStatement("throw $L.outOfMemory($S, $L)", tape, model.owner().canonicalName() + "."
              + m.name() + "(" + MethodModel.signature(m) + ")", error)
          .nextControlFlow("finally").addStatement("$L.exit()", tape).endControlFlow();
      return method.addCode(body.build()).build();
    }

    /** Fails with a message naming {@code matrix} unless it has {@code lanes} rows of length. */
    private void checkRows(CodeBlock.Builder body, String matrix, CodeBlock length, String row) {
      body.addStatement("$T.requireNonNull($L, $S)", Objects.class, matrix, matrix);
      body.beginControlFlow("if ($L.length != $L)", matrix, lanes)
          .addStatement("throw new $T($S + $L.length + $S)", IllegalArgumentException.class,
              matrix + " has ", matrix, " rows; " + m.name() + " has " + lanes + " outputs")
          .endControlFlow();
      body.beginControlFlow("for (double[] $L : $L)", row, matrix)
          .beginControlFlow("if ($L == null || $L.length != $L)", row, row, length)
          .addStatement("throw new $T($S + $L)", IllegalArgumentException.class,
              "every row of " + matrix + " must have length ", length)
          .endControlFlow()
          .endControlFlow();
    }
  }
}
