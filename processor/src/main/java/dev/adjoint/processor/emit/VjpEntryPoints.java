package dev.adjoint.processor.emit;

import static dev.adjoint.processor.emit.SweepWriter.SHAPES;
import static dev.adjoint.processor.emit.SweepWriter.TAPE;
import static dev.adjoint.processor.emit.SweepWriter.typeName;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * {@code mVjp} and its class {@code MVjp}: one forward sweep, kept (the tape and every variable
 * alive at its end) for any number of pullbacks, each replaying a copy. With a hand-written
 * adjoint there is no tape to keep, and the class keeps the inputs instead. A void helper has
 * neither.
 */
final class VjpEntryPoints implements EntryPoints {
  @Override
  public void addTo(TypeSpec.Builder type, MethodModel m) {
    if (m.helper()) {
      return;
    }
    if (m.custom()) {
      type.addType(customVjpClass(m));
      type.addMethod(customVjpMethod(m));
    } else {
      type.addType(vjpClass(m));
      type.addMethod(vjpMethod(m));
      type.addMethod(reusingVjpMethod(m));
    }
  }

  /** What the pullback needs from the forward sweep: every variable alive at its end. */
  private static List<Variable> state(Adjoint a) {
    Set<Variable> state = new LinkedHashSet<>(a.method().parameters());
    for (Stmt s : a.hoisted()) {
      state.add(((Stmt.Declare) s).variable());
    }
    for (Stmt s : a.forward()) {
      // Only the top level's declarations are alive at the end.
      if (s instanceof Stmt.Declare d) {
        state.add(d.variable());
      }
    }
    return new ArrayList<>(state);
  }

  /** One naming for the forward sweep, the fields and the pullback, so they line up. */
  private static Names vjpNames(Adjoint a) {
    Names names = new Names();
    a.method().parameters().forEach(names::reserve);
    return names;
  }

  private static Doc vjpDoc(MethodModel model, String description) {
    return Doc.of(description, model.link(), model.vjpClass()).arguments(model.method())
        .returns("the recording, for {@link $T#pullback}", model.vjpClass());
  }

  /** {@code mVjp(args)}: a new recording, made by the overload that reuses one. */
  private static MethodSpec vjpMethod(MethodModel model) {
    MethodIr m = model.adjoint().method();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Vjp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(model.vjpClass())
        .addJavadoc(vjpDoc(model, "Runs the forward sweep of $L once and keeps what its "
            + "reverse sweep needs,\nso that {@link $T#pullback} can run any number of times "
            + "(PyTorch's {@code retain_graph=True}).\n").build());
    List<String> arguments = new ArrayList<>();
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      arguments.add(p.name());
    }
    arguments.add("new " + model.vjpClass().simpleName() + "()");
    return method.addStatement("return $L($L)", m.name() + "Vjp", String.join(", ", arguments))
        .build();
  }

  /**
   * {@code mVjp(args, recording)}: records into {@code recording}, reusing its memory: its tape
   * is cleared (its stacks and borrowed arrays keep their capacity) and its copies of the array
   * arguments are overwritten when the shapes match, so that recording again allocates only
   * what the method itself allocates.
   */
  private static MethodSpec reusingVjpMethod(MethodModel model) {
    Adjoint a = model.adjoint();
    MethodIr m = a.method();
    Names names = vjpNames(a);
    JavaPrinter printer = new JavaPrinter(names);
    CodeBlock.Builder sweep = CodeBlock.builder();
    // The tape is named first, as vjpClass's forward sweep (which declares it) names it.
    a.tape().ifPresent(printer::name);
    SweepWriter.forward(a, printer, sweep, false);
    // Named after the forward sweep, so that the sweep's names match vjpClass's.
    String recording = names.fresh("recording");
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Vjp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(model.vjpClass())
        .addJavadoc(Doc.of("Records the forward sweep of $L into {@code $L}, as {@link #$L} "
                + "does into a new one,\nreusing its memory: its tape keeps its capacity and "
                + "its copies of the array arguments\nare overwritten where the shapes match, "
                + "so that recording again allocates only\nwhat the method itself allocates. "
                + "What {@code $L} recorded before is replaced.\n", model.link(), recording,
                m.name() + "Vjp", recording)
            .arguments(m)
            .param(recording, "a recording of this method, made by {@link #$L}",
                m.name() + "Vjp")
            .returns("{@code $L}, holding the new recording", recording).build());
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
    }
    method.addParameter(model.vjpClass(), recording);
    CodeBlock.Builder body = CodeBlock.builder();
    body.addStatement("$T.requireNonNull($L, $S)", java.util.Objects.class, recording,
        recording);
    boolean taped = a.tape().isPresent();
    if (taped) {
      String tape = names.of(a.tape().get());
      body.addStatement("$T $L = $L.$L", TAPE, tape, recording, tape);
      body.addStatement("$L.enter()", tape);
      body.beginControlFlow("try");
      body.addStatement("$L.clear()", tape);
    }
    body.add(sweep.build());
    for (Variable v : state(a)) {
      String name = names.of(v);
      boolean parameterArray = v.kind() == Variable.Kind.PARAMETER && v.type().isArray();
      // Parameter arrays are copied: the caller may change them before a pullback.
      if (parameterArray) {
        body.addStatement("$L.$L = $T.copyReusing($L, $L.$L)", recording, name, SHAPES, name,
            recording, name);
      } else {
        body.addStatement("$L.$L = $L", recording, name, name);
      }
    }
    model.leaveArraysAsThePlainCallDoes(body);
    body.addStatement("return $L", recording);
    if (taped) {
      body.nextControlFlow("finally");
      body.addStatement("$L.exit()", names.of(a.tape().get()));
      body.endControlFlow();
    }
    return method.addCode(body.build()).build();
  }

  private static String copy(Type type, String array) {
    return type == Type.DOUBLE_MATRIX ? CodeBlock.of("$T.copy($L)", SHAPES, array).toString()
        : array + ".clone()";
  }

  private static TypeSpec vjpClass(MethodModel model) {
    Adjoint a = model.adjoint();
    MethodIr m = a.method();
    Names names = vjpNames(a);
    JavaPrinter printer = new JavaPrinter(names);
    // Name the forward sweep's variables exactly as vjpMethod does.
    SweepWriter.forward(a, printer, CodeBlock.builder(), true);
    TypeSpec.Builder type = TypeSpec.classBuilder(model.vjpClass().simpleName())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("One recorded forward sweep of $L: its value, and pullbacks "
            + "from any output seed,\neach independent of the others. {@link #bytes()} tells "
            + "what the recording holds.\n", model.link());
    // Its fields are set by mVjp once the forward sweep has run, one assignment each.
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE);
    List<Variable> state = state(a);
    CodeBlock.Builder bytes = CodeBlock.builder();
    long scalarBytes = 0;
    if (a.tape().isPresent()) {
      String tape = names.of(a.tape().get());
      // Its own tape, cleared and refilled when the recording is reused.
      type.addField(FieldSpec.builder(TAPE, tape, Modifier.PRIVATE, Modifier.FINAL)
          .initializer("new $T()", TAPE).build());
      bytes.add("$L.recordedBytes() + ", tape);
    }
    for (Variable v : state) {
      String name = names.of(v);
      type.addField(FieldSpec.builder(typeName(v.type()), name, Modifier.PRIVATE).build());
      if (v.type().isArray()) {
        bytes.add("$T.bytes($L) + ", SHAPES, name);
      } else {
        scalarBytes += bytes(v.type());
      }
    }
    type.addMethod(constructor.build());
    String result = names.of(m.result());
    type.addMethod(valueMethod(model, result, "The method's result.\n"));
    type.addMethod(bytesMethod(bytes.build(), scalarBytes, "Bytes this recording holds: the "
        + "tape's values and the variables kept for the reverse sweep.\n"));
    type.addMethod(pullback(model, names, printer, state));
    return type.build();
  }

  private static long bytes(Type scalar) {
    return scalar == Type.LONG || scalar == Type.DOUBLE ? 8 : 4;
  }

  private static MethodSpec pullback(MethodModel model, Names names, JavaPrinter printer,
      List<Variable> state) {
    Adjoint a = model.adjoint();
    MethodIr m = a.method();
    String seed = names.of(a.seed());
    MethodSpec.Builder method = MethodSpec.methodBuilder("pullback")
        .addModifiers(Modifier.PUBLIC)
        .returns(model.gradRecord())
        .addParameter(model.seedType(), seed)
        .addJavadoc(pullbackDoc(model, seed).build());
    CodeBlock.Builder body = CodeBlock.builder();
    boolean taped = a.tape().isPresent();
    int borrowed = 0;
    if (taped) {
      // Replayed on this thread's tape, whose memory is warm: the recording is pushed on top
      // and the reverse sweep pops it, leaving the tape as it was; the recording is only read,
      // so pullbacks on several threads at once are independent.
      String tape = names.of(a.tape().get());
      body.addStatement("$T $L = $T.ofThisThread()", TAPE, tape, TAPE);
      body.addStatement("$L.enter()", tape);
      body.beginControlFlow("try");
      body.addStatement("$L.pushRecorded(this.$L)", tape, tape);
    }
    for (Variable v : state) {
      String name = names.of(v);
      boolean restoredInPlace = v.type().isArray() && v.kind() != Variable.Kind.PARAMETER;
      if (restoredInPlace && v.type() == Type.DOUBLE_ARRAY && taped) {
        // A working copy, borrowed from the tape: the reverse sweep restores it in place.
        body.addStatement("double[] $L = $L.borrowCopy(this.$L)", name,
            names.of(a.tape().get()), name);
        borrowed++;
      } else if (restoredInPlace) {
        // Null when the path taken never assigned it (a return before its declaration).
        body.addStatement("$T $L = $T.copy(this.$L)", typeName(v.type()), name, SHAPES, name);
      } else {
        body.addStatement("$T $L = this.$L", typeName(v.type()), name, name);
      }
    }
    if (model.vectorOutput()) {
      SweepWriter.checkSeed(m, printer, body, seed);
    }
    Buffers buffers = new Buffers(m, names);
    buffers.allocate(body, names::of);
    // With a tape, an array seed is copied into an array borrowed from it.
    SweepWriter.reverse(a, printer, body, seed, buffers.outputs(false), false,
        a.tape().map(printer::name));
    if (borrowed > 0) {
      body.addStatement("$L.release($L)", names.of(a.tape().get()), borrowed);
    }
    body.addStatement("return new $T($L$L)", model.gradRecord(),
        model.vectorOutput() ? "value()" : names.of(m.result()), buffers.components());
    if (taped) {
      body.nextControlFlow("finally");
      body.addStatement("$L.exit()", names.of(a.tape().get()));
      body.endControlFlow();
    }
    return method.addCode(body.build()).build();
  }

  private static Doc pullbackDoc(MethodModel model, String seed) {
    return Doc.of("The gradient for output seed {@code $L}: $L.\n", seed, model.vectorOutput()
            ? "the vector-Jacobian product seed^T J" : "seed times the gradient")
        .param(seed, model.vectorOutput()
            ? "the adjoint of each element of the result (same length)"
            : "the adjoint of the result")
        .returns("the value and the derivatives, each times the seed");
  }

  /** {@code value()} of a Vjp class: the kept result (a copy, for an array). */
  private static MethodSpec valueMethod(MethodModel model, String field, String doc) {
    return MethodSpec.methodBuilder("value")
        .addModifiers(Modifier.PUBLIC)
        .returns(typeName(model.method().returnType()))
        .addJavadoc(Doc.of(doc).returns("the value of the recorded call$L",
            model.vectorOutput() ? " (a copy)" : "").build())
        .addStatement(model.vectorOutput() ? "return $L.clone()" : "return $L", field)
        .build();
  }

  /** {@code bytes()} of a Vjp class: the arrays' bytes (in code) plus the scalars' (known). */
  private static MethodSpec bytesMethod(CodeBlock arrays, long scalarBytes, String doc) {
    return MethodSpec.methodBuilder("bytes")
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.LONG)
        .addJavadoc(Doc.of(doc).returns("the number of bytes").build())
        .addStatement("return $L$LL", arrays, scalarBytes)
        .build();
  }

  /** With a hand-written adjoint there is no tape to keep: the pullback keeps the inputs. */
  private static MethodSpec customVjpMethod(MethodModel model) {
    MethodIr m = model.method();
    MethodSpec.Builder method = MethodSpec.methodBuilder(m.name() + "Vjp")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(model.vjpClass())
        .addJavadoc(vjpDoc(model, "Keeps the inputs of $L; each {@link $T#pullback} calls its "
            + "hand-written adjoint.\n").build());
    List<String> fields = new ArrayList<>();
    for (Variable p : m.parameters()) {
      method.addParameter(typeName(p.type()), p.name());
      fields.add(!p.type().isArray() ? p.name() : copy(p.type(), p.name()));
    }
    // The value comes from the hand-written adjoint (seed 0), like every other entry point's.
    Names names = new Names();
    m.parameters().forEach(names::reserve);
    List<String> call = new ArrayList<>();
    m.parameters().forEach(p -> call.add(p.name()));
    call.add(model.vectorOutput() ? "new double[" + m.name() + "(" + model.arguments()
        + ").length]" : "0.0");
    if (!m.differentiableScalars().isEmpty()) {
      call.add("new double[" + m.differentiableScalars().size() + "]");
    }
    m.differentiableArrays().forEach(p -> call.add("null"));
    String value = names.fresh("value");
    method.addStatement("$T $L = $LAdjoint($L)", typeName(m.returnType()), value, m.name(),
        ParameterSlots.adjointCall(m, call));
    fields.add(value);
    return method.addStatement("return new $T($L)", model.vjpClass(), String.join(", ", fields))
        .build();
  }

  private static TypeSpec customVjpClass(MethodModel model) {
    MethodIr m = model.method();
    TypeSpec.Builder type = TypeSpec.classBuilder(model.vjpClass().simpleName())
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The inputs of $L, for pullbacks through its hand-written "
            + "adjoint.\n", model.link());
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE);
    CodeBlock.Builder bytes = CodeBlock.builder();
    long scalarBytes = 0;
    for (Variable p : m.parameters()) {
      type.addField(FieldSpec.builder(typeName(p.type()), p.name(), Modifier.PRIVATE,
          Modifier.FINAL).build());
      constructor.addParameter(typeName(p.type()), p.name())
          .addStatement("this.$L = $L", p.name(), p.name());
      if (p.type().isArray()) {
        bytes.add("$T.bytes($L) + ", SHAPES, p.name());
      } else {
        scalarBytes += bytes(p.type());
      }
    }
    Names names = new Names();
    m.parameters().forEach(names::reserve);
    String valueField = names.fresh("value");
    type.addField(FieldSpec.builder(typeName(m.returnType()), valueField, Modifier.PRIVATE,
        Modifier.FINAL).build());
    constructor.addParameter(typeName(m.returnType()), valueField)
        .addStatement("this.$L = $L", valueField, valueField);
    type.addMethod(constructor.build());
    Buffers buffers = new Buffers(m, names);
    String value = names.fresh("value");
    String seed = names.fresh("seed");
    List<String> call = new ArrayList<>();
    m.parameters().forEach(p -> call.add(p.name()));
    call.add(seed);
    buffers.scalars.ifPresent(call::add);
    call.addAll(buffers.arrays.values());
    CodeBlock.Builder body = CodeBlock.builder();
    buffers.allocate(body, Variable::name);
    body.addStatement("$T $L = $LAdjoint($L)", typeName(m.returnType()), value, m.name(),
        String.join(", ", call));
    body.addStatement("return new $T($L$L)", model.gradRecord(), value, buffers.components());
    type.addMethod(valueMethod(model, valueField,
        "The method's result, from its hand-written adjoint.\n"));
    type.addMethod(bytesMethod(bytes.build(), scalarBytes,
        "Bytes this object holds: the inputs.\n"));
    type.addMethod(MethodSpec.methodBuilder("pullback")
        .addModifiers(Modifier.PUBLIC)
        .returns(model.gradRecord())
        .addParameter(model.seedType(), seed)
        .addJavadoc(pullbackDoc(model, seed).build())
        .addCode(body.build())
        .build());
    return type.build();
  }
}
