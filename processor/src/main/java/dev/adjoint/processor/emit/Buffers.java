package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The buffers a gradient accumulates into: one array for the scalar parameters' adjoints, one
 * buffer per differentiated array parameter, one array for the retained locals' adjoints.
 */
final class Buffers {
  private final MethodIr m;
  /** The scalar parameters' adjoints, when there are differentiated scalars. */
  final Optional<String> scalars;
  /** Per differentiated array parameter, its adjoint's buffer. */
  final Map<Variable, String> arrays = new LinkedHashMap<>();
  /** The retained locals' adjoints, when there are retained locals. */
  final Optional<String> retained;

  Buffers(MethodIr m, Names names) {
    this.m = m;
    scalars = m.differentiableScalars().isEmpty() ? Optional.empty()
        : Optional.of(names.fresh("adjoints"));
    for (Variable p : m.differentiableArrays()) {
      arrays.put(p, names.fresh(p.name() + "Adjoint"));
    }
    retained = m.retained().isEmpty() ? Optional.empty() : Optional.of(names.fresh("retained"));
  }

  /** Allocates zeroed buffers shaped like the parameters (named by {@code names}). */
  void allocate(CodeBlock.Builder body, Function<Variable, String> names) {
    scalars.ifPresent(s -> body.addStatement("double[] $L = new double[$L]", s,
        m.differentiableScalars().size()));
    arrays.forEach((p, buffer) -> body.addStatement("$T $L = $T.zerosLike($L)",
        typeName(p.type()), buffer, SHAPES, names.apply(p)));
    retained.ifPresent(r -> body.addStatement("double[] $L = new double[$L]", r,
        m.retained().size()));
  }

  /** The buffers in the order {@code mAdjoint} takes them. */
  List<String> inOrder() {
    List<String> all = new java.util.ArrayList<>();
    scalars.ifPresent(all::add);
    all.addAll(arrays.values());
    retained.ifPresent(all::add);
    return all;
  }

  /**
   * The gradient record's components after the value, in declaration order, each after a
   * comma; where they need more than the JVM's parameter slots, the trailing doubles in one
   * array ({@link GradientEntryPoints#packedFrom}).
   */
  CodeBlock components() {
    List<CodeBlock> all = new java.util.ArrayList<>();
    List<Variable> scalarParams = m.differentiableScalars();
    for (Variable p : m.differentiableParameters()) {
      if (p.type().isArray()) {
        all.add(CodeBlock.of("$L", arrays.get(p)));
      } else {
        all.add(CodeBlock.of("$L$L[$L]", p.type() == Type.FLOAT ? "(float) " : "",
            scalars.orElseThrow(), scalarParams.indexOf(p)));
      }
    }
    for (int k = 0; k < m.retained().size(); k++) {
      all.add(CodeBlock.of("$L[$L]", retained.orElseThrow(), k));
    }
    List<TypeName> types = GradientEntryPoints.componentTypes(m);
    int from = GradientEntryPoints.packedFrom(m);
    List<CodeBlock> packed = new java.util.ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      if (from >= 0 && i >= from && types.get(i).equals(TypeName.DOUBLE)) {
        packed.add(all.get(i));
      }
    }
    CodeBlock.Builder c = CodeBlock.builder();
    for (int i = 0; i < all.size(); i++) {
      if (!packed.contains(all.get(i))) {
        c.add(", $L", all.get(i));
      } else if (all.get(i) == packed.get(0)) {
        c.add(", new double[] {$L}", CodeBlock.join(packed, ", "));
      }
    }
    return c.build();
  }

  SweepWriter.Outputs outputs(boolean mayBeNull) {
    return new SweepWriter.Outputs(scalars.orElse(null), arrays, mayBeNull,
        retained.orElse(null));
  }

  /** {@code @param} for each buffer, as {@code mAdjoint} takes them. */
  void document(Doc doc, boolean helper) {
    scalars.ifPresent(s -> doc.param(s, "adds$L the derivatives with respect to $L, in this "
        + "order", helper ? "" : " {@code seed} times", MethodModel.names(
            m.differentiableScalars())));
    arrays.forEach((p, buffer) -> doc.param(buffer, helper
        ? "on entry the adjoint of {@code $L}'s final state, on exit that of its initial state"
        : "adds {@code seed} times the derivative with respect to {@code $L}; null when not "
            + "wanted", p.name()));
    retained.ifPresent(r -> doc.param(r, "adds {@code seed} times the derivatives with respect "
        + "to the final values of locals $L, in this order", MethodModel.names(m.retained())));
  }
}
