package dev.adjoint.processor.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated javadoc comment: the description, then one {@code @param} per parameter and the
 * {@code @return}, in the order javadoc expects, so that every generated member passes {@code
 * javadoc -Xdoclint:all}. Texts are JavaPoet formats.
 */
final class Doc {
  private final CodeBlock.Builder description = CodeBlock.builder();
  private final List<CodeBlock> tags = new ArrayList<>();
  private CodeBlock returns;

  private Doc() {}

  /** A comment starting with this description (one or more sentences, ending in a newline). */
  static Doc of(String format, Object... args) {
    Doc doc = new Doc();
    doc.description.add(format, args);
    return doc;
  }

  /** A further paragraph of the description. */
  Doc paragraph(String format, Object... args) {
    description.add("\n<p>").add(format, args);
    return this;
  }

  Doc param(String name, String format, Object... args) {
    tags.add(CodeBlock.builder().add("@param $L ", name).add(format, args).add("\n").build());
    return this;
  }

  /** {@code @param} for each parameter of the user's method. */
  Doc arguments(MethodIr m) {
    for (Variable p : m.parameters()) {
      param(p.name(), "argument {@code $L} of {@code $L}", p.name(), m.name());
    }
    return this;
  }

  /** {@code @param} for tangents or directions, one per differentiated parameter. */
  Doc tangents(MethodIr m, List<Variable> tangents, String what) {
    for (int i = 0; i < tangents.size(); i++) {
      param(tangents.get(i).name(), "$L of {@code $L}, same shape", what,
          m.differentiated().get(i).name());
    }
    return this;
  }

  Doc returns(String format, Object... args) {
    returns = CodeBlock.builder().add("@return ").add(format, args).add("\n").build();
    return this;
  }

  /** The description alone, without the tags. */
  CodeBlock description() {
    return description.build();
  }

  /** The {@code @param} tag of {@code name}, with its newline. */
  CodeBlock paramTag(String name) {
    String start = "@param " + name + " ";
    return tags.stream().filter(t -> t.toString().startsWith(start)).findFirst().orElseThrow();
  }

  CodeBlock build() {
    CodeBlock.Builder doc = CodeBlock.builder().add(description.build());
    if (!tags.isEmpty() || returns != null) {
      doc.add("\n");
    }
    tags.forEach(doc::add);
    if (returns != null) {
      doc.add(returns);
    }
    return doc.build();
  }
}
