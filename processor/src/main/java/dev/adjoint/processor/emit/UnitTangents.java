package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * Code shared by the members that take one forward-mode product per input element (Jacobians
 * by forward mode, Hessians): the number of columns, and a loop over unit tangents.
 */
final class UnitTangents {
  private UnitTangents() {}

  /** The number of differentiated inputs, flattened: a Java expression. */
  static CodeBlock columns(MethodIr m) {
    List<CodeBlock> terms = new ArrayList<>();
    int scalars = 0;
    for (Variable p : m.differentiated()) {
      if (p.type() == Type.DOUBLE_MATRIX) {
        terms.add(CodeBlock.of("$T.size($L)", SHAPES, p.name()));
      } else if (p.type().isArray()) {
        terms.add(CodeBlock.of("$L.length", p.name()));
      } else {
        scalars++;
      }
    }
    if (scalars > 0 || terms.isEmpty()) {
      terms.add(0, CodeBlock.of("$L", scalars));
    }
    return CodeBlock.join(terms, " + ");
  }

  /** Declares the tangents, zero, shaped like their parameters. */
  static void declare(MethodIr m, List<Variable> tangents, CodeBlock.Builder body) {
    for (Variable t : tangents) {
      body.addStatement("$T $L = $L", typeName(t.type()), t.name(),
          t.type().isArray() ? CodeBlock.of("$T.zerosLike($L)", SHAPES,
              m.differentiated().get(tangents.indexOf(t)).name()) : CodeBlock.of("0.0"));
    }
  }

  /**
   * Runs {@code perColumn} once per differentiated input element with the matching tangent
   * set to 1 and the others 0, the tangents being declared already. The loop counters live in
   * the loops' scopes.
   */
  static void forEach(List<Variable> tangents, Names names, CodeBlock.Builder body,
      CodeBlock perColumn) {
    for (Variable t : tangents) {
      String one = t.type() == Type.FLOAT_ARRAY ? "1.0f" : "1.0";
      String zero = t.type() == Type.FLOAT_ARRAY ? "0.0f" : "0.0";
      if (!t.type().isArray()) {
        body.addStatement("$L = 1.0", t.name()).add(perColumn).addStatement("$L = 0.0",
            t.name());
        continue;
      }
      names.open();
      if (t.type() == Type.DOUBLE_MATRIX) {
        String i = names.fresh("i");
        String j = names.fresh("j");
        body.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", i, i, t.name(), i)
            .beginControlFlow("for (int $L = 0; $L < $L[$L].length; $L++)", j, j, t.name(), i,
                j)
            .addStatement("$L[$L][$L] = 1.0", t.name(), i, j).add(perColumn)
            .addStatement("$L[$L][$L] = 0.0", t.name(), i, j)
            .endControlFlow().endControlFlow();
      } else {
        String i = names.fresh("i");
        body.beginControlFlow("for (int $L = 0; $L < $L.length; $L++)", i, i, t.name(), i)
            .addStatement("$L[$L] = $L", t.name(), i, one).add(perColumn)
            .addStatement("$L[$L] = $L", t.name(), i, zero)
            .endControlFlow();
      }
      names.close();
    }
  }
}
