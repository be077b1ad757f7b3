package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.TAPE;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * {@code mAdjoint}, in two overloads: one working on the caller's tape (generated callers pass
 * theirs down; a loop reusing one tape allocates nothing), and one passing a fresh tape to it.
 * Its body takes one of three shapes: a call of the user's hand-written adjoint; a void helper's
 * sweeps, which leave the arrays it writes in their final state; or a value's sweeps, seeded by
 * the caller. Second-order code reuses it for the adjoint of a tangent form.
 */
final class AdjointEntryPoints implements EntryPoints {
  @Override
  public void addTo(TypeSpec.Builder type, MethodModel m) {
    new Writer(m.adjoint(), m.owner(), false).link(m.link())
        .primalOwner(m.hasObjects() ? m.diffClass() : m.owner()).addTo(type);
  }

  /** The adjoint of a tangent form (a helper of {@code diffClass}), for second-order callers. */
  static void addTangentAdjoint(TypeSpec.Builder type, Adjoint a, ClassName diffClass) {
    new Writer(a, diffClass, true).addTo(type);
  }

  /** Both overloads of one adjoint; {@code linkOwner} declares the method it differentiates. */
  private static final class Writer {
    private final Adjoint a;
    private final MethodIr m;
    private final ClassName linkOwner;
    private final boolean helper;
    /** Whether the method differentiated is a generated tangent form. */
    private final boolean tangentForm;

    Writer(Adjoint a, ClassName linkOwner, boolean tangentForm) {
      this.a = a;
      this.m = a.method();
      this.linkOwner = linkOwner;
      this.helper = m.returnType() == Type.VOID;
      this.tangentForm = tangentForm;
    }

    /** The javadoc link to the user's method, when its signature is not the flat one. */
    private String link;

    Writer link(String userMethod) {
      this.link = userMethod;
      return this;
    }

    /** The class whose method takes the flat parameters (the generated one, with objects). */
    private ClassName primalOwner;

    Writer primalOwner(ClassName owner) {
      this.primalOwner = owner;
      return this;
    }

    void addTo(TypeSpec.Builder type) {
      type.addMethod(method(false));
      type.addMethod(method(true));
    }

    private MethodSpec method(boolean sharedTape) {
      Names names = new Names();
      MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Adjoint")
          .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
          .returns(typeName(m.returnType()));
      for (Variable p : m.parameters()) {
        method.addParameter(typeName(p.type()), p.name());
        names.reserve(p);
      }
      String seed = names.of(a.seed());
      if (!helper) {
        method.addParameter(m.returnType().isArray() ? ArrayTypeName.of(TypeName.DOUBLE)
            : TypeName.DOUBLE, seed);
      }
      Buffers buffers = new Buffers(m, names);
      buffers.scalars.ifPresent(s -> method.addParameter(ArrayTypeName.of(TypeName.DOUBLE), s));
      buffers.arrays.forEach((p, buffer) -> method.addParameter(typeName(p.type()), buffer));
      buffers.retained.ifPresent(r -> method.addParameter(ArrayTypeName.of(TypeName.DOUBLE), r));
      String tape = a.tape().map(names::of).orElseGet(() -> names.fresh("tape"));
      Doc doc = doc(seed, buffers);
      if (!sharedTape) {
        method.addJavadoc(doc.paragraph("Records on this thread's tape ({@link $T#ofThisThread}); "
            + "the overload taking a\n{@link $T} records on yours.\n", TAPE, TAPE).build());
        return callWithFreshTape(method, seed, buffers).build();
      }
      method.addParameter(TAPE, tape);
      method.addJavadoc(doc.param(tape, "the tape to record on: one owned by this thread; it is "
          + "left as it was found").build());
      CodeBlock.Builder body = CodeBlock.builder();
      checkBuffers(body, buffers, false);
      if (a.custom().isPresent()) {
        customBody(body, seed, buffers);
        return method.addCode(body.build()).build();
      }
      // The tape is this thread's for the call: another thread using it now fails loudly.
      body.addStatement("$L.enter()", tape).beginControlFlow("try");
      if (helper) {
        helperBody(body, names, seed, buffers);
      } else {
        valueBody(body, names, seed, buffers, tape);
      }
      // An out-of-memory while recording says which method, how much and what to do.
      String error = names.fresh("outOfMemory");
      body.nextControlFlow("catch ($T $L)", OutOfMemoryError.class, error)
          .addStatement("throw $L.outOfMemory($S, $L)", tape, linkOwner.canonicalName() + "."
              + m.name() + "(" + MethodModel.signature(m) + ")", error)
          .nextControlFlow("finally").addStatement("$L.exit()", tape).endControlFlow();
      return method.addCode(body.build()).build();
    }

    private Doc doc(String seed, Buffers buffers) {
      String link = this.link != null ? this.link : MethodModel.link(linkOwner, m);
      Doc doc = tangentForm
          ? Doc.of("The adjoint of the tangent form $L, for second-order code\n(Hessians, and "
              + "callers of order 2). It has no seed: on entry the buffer of each array it\n"
              + "writes holds the adjoint of the array's final state, on exit the adjoint of its "
              + "initial\nstate; scalar parameters' adjoints are added into their buffer.\n",
              link)
          : helper
          ? Doc.of("Runs $L and its reverse sweep. It has no seed: on entry the buffer\nof each "
              + "array it writes holds the adjoint of the array's final state, on exit the "
              + "adjoint\nof its initial state; scalar parameters' adjoints are added into "
              + "their buffer.\nThe arrays end in the state the plain call leaves them in.\n",
              link)
          : Doc.of("Evaluates $L and <em>adds</em> {@code $L} times its gradient into the\n"
              + "caller's buffers (each differentiated array parameter has its own, null when "
              + "not\nwanted). Allocates nothing but its tape, so it suits accumulation loops.\n",
              link, seed);
      doc.arguments(m);
      if (!helper) {
        doc.param(seed, m.returnType().isArray()
            ? "the adjoint of each element of the result (the output seed)"
            : "the adjoint of the result: the multiple of the gradient to add");
      }
      if (!m.written().isEmpty()) {
        doc.paragraph("The derivatives are those of the arrays' initial contents; like the "
            + "plain call, it writes\n$L (one plain call at the end).\n", m.written().stream()
            .map(p -> "{@code " + p.name() + "}").collect(java.util.stream.Collectors.joining(
                ", ")));
      }
      buffers.document(doc, helper);
      if (!helper) {
        doc.returns("the method's result");
      }
      return doc;
    }

    private MethodSpec.Builder callWithFreshTape(MethodSpec.Builder method, String seed,
        Buffers buffers) {
      List<String> call = new ArrayList<>();
      m.parameters().forEach(p -> call.add(p.name()));
      if (!helper) {
        call.add(seed);
      }
      call.addAll(buffers.inOrder());
      CodeBlock.Builder body = CodeBlock.builder();
      checkBuffers(body, buffers, true);
      List<TypeName> types = new ArrayList<>();
      m.parameters().forEach(p -> types.add(SweepWriter.typeName(p.type())));
      if (!helper) {
        types.add(method.build().parameters().get(types.size()).type());
      }
      List<CodeBlock> args = new ArrayList<>();
      call.forEach(c -> args.add(CodeBlock.of("$L", c)));
      args.add(CodeBlock.of("$T.ofThisThread()", TAPE));
      return method.addCode(body.build()).addStatement("$L$LAdjoint($L)",
          helper ? "" : "return ", m.name(), ParameterSlots.arguments(args,
              ParameterSlots.typesOf(types, args.size() - types.size())));
    }

    /**
     * Fails early, with a message naming the buffer, on buffers of the wrong size: shorter than
     * the method needs, or with {@code exact} longer too. The overload taking a tape, which
     * generated callers use with a scratch array shared by calls of several arities, uses the
     * first elements of a longer one; the overload users call refuses it.
     */
    private void checkBuffers(CodeBlock.Builder body, Buffers buffers, boolean exact) {
      buffers.scalars.ifPresent(s -> requireLength(body, s, exact,
          m.differentiableScalars().size(),
          m.name() + " needs " + m.differentiableScalars().size() + " (one per differentiated "
              + "scalar: " + MethodModel.names(m.differentiableScalars()) + ")"));
      buffers.arrays.forEach((p, buffer) -> body.addStatement("$T.sameShape($L, $L, $S)", SHAPES,
          p.name(), buffer, buffer));
      buffers.retained.ifPresent(r -> requireLength(body, r, exact, m.retained().size(), m.name()
          + " retains " + m.retained().size() + " (" + MethodModel.names(m.retained()) + ")"));
    }

    /** The user's hand-written adjoint does everything. */
    private void customBody(CodeBlock.Builder body, String seed, Buffers buffers) {
      Adjoint.Custom custom = a.custom().orElseThrow();
      ClassName customOwner = ClassName.get(custom.packageName(), custom.ownerSimpleName());
      List<String> call = new ArrayList<>();
      m.parameters().forEach(p -> call.add(p.name()));
      if (!helper) {
        call.add(seed);
      }
      buffers.scalars.ifPresent(call::add);
      call.addAll(buffers.arrays.values());
      body.add("// The adjoint is hand-written: $T.$L (it needs no tape).\n", customOwner,
          custom.method());
      body.addStatement("$L$T.$L($L)", helper ? "" : "return ", customOwner, custom.method(),
          String.join(", ", call));
    }

    /**
     * A void helper: its reverse sweep restores the parameters it wrote, and the caller must
     * see their final state, so they are kept before it and copied back after it.
     */
    private void helperBody(CodeBlock.Builder body, Names names, String seed, Buffers buffers) {
      JavaPrinter printer = new JavaPrinter(names);
      SweepWriter.forward(a, printer, body, false);
      Map<Variable, String> finals = new LinkedHashMap<>();
      for (Variable p : a.restoredParameters()) {
        String name = names.fresh(p.name() + "Final");
        finals.put(p, name);
        body.addStatement("$T $L = $L", typeName(p.type()), name,
            p.type() == Type.DOUBLE_MATRIX ? CodeBlock.of("$T.copy($L)", SHAPES, p.name())
                : CodeBlock.of("$L.clone()", p.name()));
      }
      SweepWriter.reverse(a, printer, body, seed, buffers.outputs(true), true);
      finals.forEach((p, name) -> body.addStatement(p.type() == Type.DOUBLE_MATRIX
          ? CodeBlock.of("$T.copyInto($L, $L)", SHAPES, name, p.name())
          : CodeBlock.of("System.arraycopy($L, 0, $L, 0, $L.length)", name, p.name(), name)));
    }

    /** A method with a result: both sweeps, then the result. */
    private void valueBody(CodeBlock.Builder body, Names names, String seed, Buffers buffers,
        String tape) {
      JavaPrinter printer = new JavaPrinter(names);
      SweepWriter.forward(a, printer, body, false);
      String output = printer.name(m.result());
      if (m.returnType().isArray()) {
        SweepWriter.checkSeed(m, printer, body, seed);
        if (Statements.assigned(a.reverse()).contains(m.result())) {
          // The reverse sweep restores the output's elements; the caller gets the forward
          // result.
          output = names.fresh("value");
          body.addStatement("double[] $L = $L.clone()", output, printer.name(m.result()));
        }
      }
      SweepWriter.reverse(a, printer, body, seed, buffers.outputs(true), true,
          m.returnType().isArray() ? Optional.of(tape) : Optional.empty());
      if (!m.written().isEmpty()) {
        // The sweeps worked on copies of the arrays the method writes: one plain call leaves
        // the caller's arrays as it would.
        body.addStatement("$T.$L($L)", primalOwner != null ? primalOwner : linkOwner, m.name(),
            m.parameters().stream()
            .map(Variable::name).collect(java.util.stream.Collectors.joining(", ")));
      }
      body.addStatement("return $L", output);
    }
  }

  private static void requireLength(CodeBlock.Builder body, String name, boolean exact,
      int length, String why) {
    body.addStatement("$T.requireNonNull($L, $S)", Objects.class, name, name);
    // Exactly, for users: a longer buffer means the caller's layout is not the method's.
    body.beginControlFlow("if ($L.length $L $L)", name, exact ? "!=" : "<", length)
        .addStatement("throw new $T($S + $L.length + $S)", IllegalArgumentException.class,
            name + " has length ", name, "; " + why)
        .endControlFlow();
  }
}
