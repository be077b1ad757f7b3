package dev.adjoint.processor.diagnostics;

import javax.tools.Diagnostic.Kind;

/**
 * Every diagnostic the processor reports, with a stable id. The id prefixes the text (so users
 * can search for it) and never changes meaning; the docs list each one with an example.
 * Messages name the construct and say what to do instead.
 */
public enum Message {
  TREES_UNAVAILABLE(
      "ADJ001",
      Kind.ERROR,
      "Adjoint reads method bodies through the javac tree API (com.sun.source.util.Trees), "
          + "which this compiler does not provide (%s). Compile with the JDK's javac (Maven's "
          + "default compiler) to generate derivatives."),
  INTERNAL_ERROR(
      "ADJ002",
      Kind.ERROR,
      "Adjoint failed while differentiating this method (%s). This is a bug in Adjoint: "
          + "please report it with the method's source."),

  NOT_STATIC(
      "ADJ100",
      Kind.ERROR,
      "@Differentiable method '%s' is an instance method of %s, which is not final: a call "
          + "could run an override the processor cannot see. Make the class final (or a "
          + "record), or make the method static and pass what it reads as parameters."),
  NOT_IN_TOP_LEVEL_CLASS(
      "ADJ101",
      Kind.ERROR,
      "@Differentiable method '%s' must be declared in a top-level class, not in %s: move it "
          + "to a top-level class."),
  UNSUPPORTED_RETURN_TYPE(
      "ADJ102",
      Kind.ERROR,
      "@Differentiable method '%s' returns %s; it must return double or float (a scalar "
          + "objective), double[] (a vector function: mJacobian and mVjp, no mGrad), or void "
          + "while writing a double[] parameter (a helper that updates its argument)."),
  UNSUPPORTED_PARAMETER_TYPE(
      "ADJ103",
      Kind.ERROR,
      "parameter '%s' has type %s; @Differentiable methods take double, float, double[], "
          + "float[] and double[][] parameters (differentiable) and int, long, short, byte, "
          + "char, boolean, int[] and boolean[] ones (constants)."),
  NO_BODY(
      "ADJ104",
      Kind.ERROR,
      "@Differentiable method '%s' has no body to differentiate: give it a body."),
  GENERIC_METHOD(
      "ADJ105",
      Kind.ERROR,
      "@Differentiable method '%s' declares type parameters; remove them (only primitive "
          + "types are supported)."),
  NO_DIFFERENTIABLE_PARAMETER(
      "ADJ106",
      Kind.WARNING,
      "@Differentiable method '%s' has no double or float parameter, so its gradient is "
          + "empty; add a floating-point parameter or remove the annotation."),
  OVERLOADED_METHOD(
      "ADJ108",
      Kind.ERROR,
      "@Differentiable method '%s' is overloaded; generated names (%sGrad, %sAdjoint) would "
          + "clash: give each differentiable overload its own name."),
  UNKNOWN_WRT(
      "ADJ109",
      Kind.ERROR,
      "wrt names '%s', which is not a parameter of '%s'; its parameters are: %s."),
  WRT_NOT_FLOATING(
      "ADJ110",
      Kind.ERROR,
      "wrt names parameter '%s' of type %s, but only floating-point values have derivatives "
          + "(double, float and their arrays): pass it as a double to differentiate with "
          + "respect to it, or leave it out of wrt."),
  UNUSED_INPUT(
      "ADJ111",
      Kind.WARNING,
      "no derivative of '%s' reaches the result of '%s' (it is unused, or used only in "
          + "conditions, indices or integer conversions), so its derivative is always 0; leave "
          + "it out of wrt (or check the method: is a term missing?)."),
  UNKNOWN_RETAIN(
      "ADJ112",
      Kind.ERROR,
      "retain names '%s', but '%s' has no local variable of that name declared once with "
          + "type double or float; retain one of: %s."),
  CUSTOM_ADJOINT_TARGET(
      "ADJ113",
      Kind.ERROR,
      "@CustomAdjoint names '%s', but this class has no @Differentiable method of that name "
          + "(or several): name the method whose adjoint this is."),
  CUSTOM_ADJOINT_SIGNATURE(
      "ADJ114",
      Kind.ERROR,
      "@CustomAdjoint method '%s' must have the shape of the generated adjoint: %s "
          + "(return the value; add seed times the gradient into the buffers)."),
  DUPLICATE_CUSTOM_ADJOINT(
      "ADJ116",
      Kind.ERROR,
      "'%s' has more than one @CustomAdjoint (%s): keep one."),
  CUSTOM_ADJOINT_WITH_RETAIN(
      "ADJ115",
      Kind.ERROR,
      "'%s' has a @CustomAdjoint, so its body is not differentiated and retain cannot apply: "
          + "remove retain."),
  ORDER_OUT_OF_RANGE(
      "ADJ117",
      Kind.ERROR,
      "order = %d: @Differentiable(order) must be between 1 and %d (each order doubles the "
          + "generated forward-mode code)."),
  ORDER_NEEDS_SCALAR_RESULT(
      "ADJ118",
      Kind.ERROR,
      "order = %d asks for second derivatives, which need a scalar result, but '%s' returns "
          + "double[]: differentiate a scalar function of its outputs, or use order = 1 "
          + "(mJacobian, mJvp)."),
  ORDER_NEEDS_ONE_INPUT(
      "ADJ119",
      Kind.ERROR,
      "order = %d asks for derivatives beyond the second, which Adjoint gives in one variable "
          + "only (mDerivatives), but '%s' differentiates %s: use order = 2 for its Hessian, or "
          + "name one double or float parameter in wrt."),
  CUSTOM_ADJOINT_WITH_ORDER(
      "ADJ120",
      Kind.ERROR,
      "'%s' has a @CustomAdjoint, which gives first derivatives only, so it cannot have "
          + "order = %d: remove order, or remove the @CustomAdjoint so its body is "
          + "differentiated."),
  GENERATED_CLASS_NAME_TAKEN(
      "ADJ125",
      Kind.ERROR,
      "class %s is named like the class Adjoint generates for the @Differentiable methods of "
          + "%s: rename %s (or %s), since the derivatives of %s are written into %s."),
  CHECKPOINT_EVERY_NEGATIVE(
      "ADJ126",
      Kind.ERROR,
      "checkpointEvery = %d: the iterations between two snapshots must be positive, or 0 for "
          + "ceil(sqrt(n)) in a loop of n iterations."),
  VARARGS_METHOD(
      "ADJ107",
      Kind.ERROR,
      "@Differentiable method '%s' is variadic; declare its parameters explicitly."),

  UNSUPPORTED_STATEMENT(
      "ADJ200",
      Kind.ERROR,
      "%s is not supported in a @Differentiable method: %s"),
  UNSUPPORTED_EXPRESSION(
      "ADJ201",
      Kind.ERROR,
      "%s is not supported in a @Differentiable method: %s"),
  FIELD_WRITE(
      "ADJ202",
      Kind.ERROR,
      "assigns to field '%s'; a @Differentiable method may not write fields: use a local "
          + "variable, and return the value instead."),
  MUTABLE_FIELD_READ(
      "ADJ203",
      Kind.ERROR,
      "reads field '%s', which is not static final; pass the value as a parameter (or make "
          + "the field a static final constant)."),
  NOT_DIFFERENTIABLE_CALL(
      "ADJ204",
      Kind.ERROR,
      "calls %s with an argument that depends on a differentiable parameter, but Adjoint "
          + "cannot differentiate that method: its source is not part of this compilation (a "
          + "library method), or it is overloaded or declared in a nested class. Write the "
          + "function as a static method of a top-level class of your sources, with a name of "
          + "its own (it is then differentiated where it is called), or compute its argument "
          + "from constants only."),
  SIDE_EFFECT_IN_EXPRESSION(
      "ADJ205",
      Kind.ERROR,
      "%s inside an expression is not supported here: %s"),
  UNKNOWN_NAME(
      "ADJ206",
      Kind.ERROR,
      "cannot resolve '%s': a @Differentiable method may read its parameters, its locals and "
          + "static final constants."),
  INTEGER_CAST_CUTS_DERIVATIVE(
      "ADJ207",
      Kind.WARNING,
      "casting a value that depends on a differentiable parameter to %s cuts its derivative: "
          + "the result is treated as a constant. Cast to double instead if the derivative "
          + "should flow."),
  UNSUPPORTED_LOCAL_TYPE(
      "ADJ208",
      Kind.ERROR,
      "local variable '%s' has type %s; locals must be double, float, int, long or boolean."),
  UNKNOWN_METHOD(
      "ADJ209",
      Kind.ERROR,
      "cannot resolve method %s with arguments (%s): call java.lang.Math functions, or static "
          + "methods with primitive parameters."),
  NOT_DIFFERENTIABLE_MATH(
      "ADJ210",
      Kind.ERROR,
      "%s.%s has no derivative rule in Adjoint; use a differentiable Math function (the "
          + "README lists them) or write the function as a @Differentiable method."),
  TYPE_MISMATCH(
      "ADJ211",
      Kind.ERROR,
      "%s: expected %s but the expression has type %s."),
  UNUSED_CALL_RESULT(
      "ADJ212",
      Kind.ERROR,
      "this call's result is discarded (or it has none), so it has no effect in a "
          + "@Differentiable method: assign its result to a local, remove the call, or make a "
          + "void method that updates an array a @Differentiable helper."),
  LABEL_NOT_ON_LOOP(
      "ADJ213",
      Kind.ERROR,
      "label '%s' is not on a loop; only loops may be labelled in a @Differentiable method."),
  ACTIVE_INTEGER_CALL_RESULT(
      "ADJ214",
      Kind.WARNING,
      "%s.%s returns an integer, which cuts the derivative of its argument: the result is "
          + "treated as a constant."),
  PARAMETER_ARRAY_WRITE(
      "ADJ216",
      Kind.ERROR,
      "%s, which a @Differentiable method that returns a value does only for a one-dimensional "
          + "array it writes itself or passes to a void helper of its class: %s"),
  ARRAY_TO_PLAIN_METHOD(
      "ADJ217",
      Kind.ERROR,
      "passes array '%s' to %s, which Adjoint cannot differentiate (its source is not part of "
          + "this compilation, it is overloaded, or no derivative flows through it) and which "
          + "might write it: pass its elements instead, or write the function as a static "
          + "method of your sources with a name of its own."),
  NOT_DIFFERENTIATED_ARGUMENT(
      "ADJ218",
      Kind.ERROR,
      "passes a value that depends on a differentiable parameter as '%s' of %s, but %s is "
          + "not differentiated with respect to '%s' (see its wrt): add it to its wrt."),
  ARRAY_RESULT_FORM(
      "ADJ219",
      Kind.ERROR,
      "a double[]-valued @Differentiable method must end with 'return <local array>;' and "
          + "return nowhere else (the generated code hands that array back): declare the "
          + "result array at the top, fill it, and return it once at the end."),
  JUMP_WITHOUT_TARGET(
      "ADJ220",
      Kind.ERROR,
      "%s has no enclosing loop%s: break and continue must target a loop around them."),
  CALLEE_ORDER_TOO_LOW(
      "ADJ221",
      Kind.ERROR,
      "calls %s, whose @Differentiable order is %d, from a method of order %d: its "
          + "derivatives of order %d are needed too: annotate %s with "
          + "@Differentiable(order = %d)."),
  HELPER_NOT_DIFFERENTIABLE(
      "ADJ222",
      Kind.ERROR,
      "calls %s, which is not @Differentiable, so Adjoint differentiates (or copies) its body "
          + "where it is called; its body is outside the supported subset (%s, reported "
          + "there): change the helper as those messages say, or compute its arguments from "
          + "constants only."),
  CALLEE_WRITES_ARRAY(
      "ADJ228",
      Kind.ERROR,
      "passes an array to %s as '%s', which %s writes and which returns a value: a call "
          + "from a @Differentiable method cannot follow that write; in %s, copy it (%s work = "
          + "%s.clone();) and write the copy, or make the part that writes it a void helper "
          + "called as a statement."),
  CHECKPOINT_LOOP_NOT_COUNTED(
      "ADJ223",
      Kind.ERROR,
      "%s checkpoints the loops at its top level, and this loop is not a counted loop: write "
          + "it as 'for (int i = a; i < b; i++)' (or with <=, >, >=, --) whose body writes "
          + "neither i nor what a and b read and has no break or return, put it in a block (a "
          + "loop there is recorded in full), or remove checkpoint from the annotation."),
  CHECKPOINT_WITHOUT_LOOP(
      "ADJ224",
      Kind.ERROR,
      "%s asks for checkpointing but has no loop at its top level to checkpoint: remove "
          + "checkpoint%s from the annotation."),
  PRIVATE_MEMBER(
      "ADJ215",
      Kind.ERROR,
      "%s is private and the generated class %s must use it, but %s."),

  // Objects (records, record arrays, enums, random generators): ADJ400 to ADJ411.
  RECORD_AS_VALUE(
      "ADJ400",
      Kind.ERROR,
      "'%s' is a %s, which differentiable code reads through its components: read them "
          + "(p.k(), flows[i].amount()), or pass it whole to a @Differentiable method; it "
          + "cannot be compared or returned, and a local holds one only as a name for a "
          + "record (R q = p;) or created in place (R q = new R(a, b);, q = new R(...);)."),
  RECORD_FIELD_ACCESS(
      "ADJ401",
      Kind.ERROR,
      "'%s.%s' reads a record's field directly; call its accessor instead: %s."),
  INSTANCE_CALL(
      "ADJ402",
      Kind.ERROR,
      "calling '%s' on '%s' is not supported: %s Make the method static and pass the object "
          + "as a parameter."),
  KEPT_COMPONENT_READ(
      "ADJ403",
      Kind.ERROR,
      "'%s' has type %s, which differentiable code cannot compute with (records pass such "
          + "components through unchanged); compute with numbers, enums and records of them."),
  OBJECT_TO_PLAIN_METHOD(
      "ADJ404",
      Kind.ERROR,
      "'%s' (a record or enum) is passed to '%s', which is not @Differentiable: generated code "
          + "passes records and enums as their components, so the callee must be "
          + "@Differentiable too (annotate it)."),
  OBJECT_FIELD_READ(
      "ADJ405",
      Kind.ERROR,
      "reading field '%s' of type %s: differentiable code reads static final primitive "
          + "constants and tables, and enum constants directly (OptionType.CALL); pass the "
          + "object as a parameter instead."),
  RECORD_WITHOUT_NUMBERS(
      "ADJ406",
      Kind.ERROR,
      "record %s has no component differentiable code can read, so an array of it has no "
          + "length here; pass the length as an int parameter."),
  CLASS_FIELD_READ(
      "ADJ420",
      Kind.ERROR,
      "field '%s' of final class %s cannot be read in differentiable code: %s. Make it a "
          + "final field of a number, an array of numbers, an enum, a record or a final class "
          + "(or pass the value as a parameter)."),
  VIRTUAL_CALL(
      "ADJ421",
      Kind.ERROR,
      "calling '%s' on '%s', %s, could run code the processor cannot see (an override or an "
          + "implementation): make the class final (or a record), or the method static."),
  UNSUPPORTED_OBJECT_PARAMETER(
      "ADJ407",
      Kind.ERROR,
      "parameter '%s' has type %s, which cannot be differentiated: %s. Records may hold "
          + "double, float, int, long, boolean, enums, Strings, arrays of double, float and "
          + "int, records and arrays of records (whose records hold no arrays)."),

  CUSTOM_ADJOINT_OBJECTS(
      "ADJ408",
      Kind.ERROR,
      "@Differentiable method '%s' has a @CustomAdjoint and takes the record or enum '%s'; "
          + "hand-written adjoints take primitives and arrays: write the method and its "
          + "adjoint on the components, and call it from a method that takes the record."),

  UNSUPPORTED_RECORD_RESULT(
      "ADJ409",
      Kind.ERROR,
      "@Differentiable method '%s' returns %s, whose %s; a record result holds double "
          + "components and records of them (one output each): return such a record, or "
          + "double[]."),
  RECORD_RESULT_FORM(
      "ADJ410",
      Kind.ERROR,
      "a method returning a record returns it once, at the end, as 'return new %s(...)': "
          + "compute the components in locals first (if / else, loops) and create the record "
          + "in the last statement."),
  GENERATOR_USE(
      "ADJ411",
      Kind.ERROR,
      "%s: a java.util.Random or SplittableRandom local is created in the method from a seed "
          + "(Random rng = new Random(seed);) and used only by drawing from it (%s), where Java "
          + "always evaluates the draw; %s"),

  // Elementwise kernels (@Elementwise): ADJ300 to ADJ309.
  ELEMENTWISE_WITHOUT_DIFFERENTIABLE(
      "ADJ300",
      Kind.ERROR,
      "@Elementwise method '%s' is not @Differentiable: kernels are made from its derivative, "
          + "so add @Differentiable too."),
  ELEMENTWISE_PARAMETER(
      "ADJ301",
      Kind.ERROR,
      "parameter '%s' of @Elementwise method '%s' has type %s; elementwise kernels take only "
          + "double and float parameters (each an array or a broadcast scalar at run time): "
          + "pass other values as double, or remove @Elementwise."),
  ELEMENTWISE_RESULT(
      "ADJ302",
      Kind.ERROR,
      "@Elementwise method '%s' returns %s; an elementwise kernel computes one double or "
          + "float per element: return double or float, or remove @Elementwise."),
  ELEMENTWISE_LOOP(
      "ADJ303",
      Kind.ERROR,
      "@Elementwise method '%s' contains a loop; kernels are straight-line code with "
          + "branches: unroll the loop by hand, or remove @Elementwise (the method keeps its "
          + "Java derivatives)."),
  ELEMENTWISE_ARRAY(
      "ADJ304",
      Kind.ERROR,
      "@Elementwise method '%s' uses an array (%s); kernels work on one element at a time: "
          + "use scalar locals instead, or remove @Elementwise."),
  ELEMENTWISE_CALL(
      "ADJ305",
      Kind.ERROR,
      "@Elementwise method '%s' calls %s, which %s; a kernel can only call @Elementwise "
          + "methods of the same class (java.lang.Math aside): mark it @Elementwise, or move "
          + "it into this class."),
  ELEMENTWISE_FIELD(
      "ADJ306",
      Kind.ERROR,
      "@Elementwise method '%s' reads field %s, which is not a compile-time constant, so "
          + "the GPU cannot see its value: declare it 'static final' with a constant "
          + "initializer, or pass the value as a parameter."),
  ELEMENTWISE_CUSTOM_ADJOINT(
      "ADJ307",
      Kind.ERROR,
      "@Elementwise method '%s' has a hand-written @CustomAdjoint, which cannot run as a "
          + "kernel: remove @Elementwise, or the @CustomAdjoint so that the kernel is "
          + "derived from the body."),
  ELEMENTWISE_RETAIN(
      "ADJ308",
      Kind.ERROR,
      "@Elementwise method '%s' retains locals (%s); kernels return only the parameters' "
          + "gradients: remove 'retain', or make the local a separate @Elementwise method."),
  ELEMENTWISE_PRIVATE(
      "ADJ309",
      Kind.ERROR,
      "@Elementwise method '%s' is private, but the generated class %s must call it on the "
          + "CPU: make it package-private (or public)."),
  ELEMENTWISE_THROW(
      "ADJ310",
      Kind.ERROR,
      "@Elementwise method '%s' throws an exception, which a GPU kernel cannot: check the "
          + "arguments before calling the kernel, or remove @Elementwise (the method keeps "
          + "its Java derivatives, which throw where it does).");

  private final String id;
  private final Kind kind;
  private final String format;

  Message(String id, Kind kind, String format) {
    this.id = id;
    this.kind = kind;
    this.format = format;
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return kind;
  }

  /** The full text: {@code [ADJnnn] } followed by the message with its arguments. */
  public String format(Object... args) {
    return "[" + id + "] " + String.format(format, args);
  }
}
