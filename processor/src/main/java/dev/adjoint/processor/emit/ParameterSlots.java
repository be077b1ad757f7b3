package dev.adjoint.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JVM's 255 parameter slots (a {@code double} or {@code long} takes two, anything else
 * one): a generated method whose parameters need more takes its last {@code double}
 * parameters, from the first one that no longer fits on, in one {@code double[]} (named
 * {@code packed}, or {@code packed2}, ... where a parameter is named so), placed where the
 * first of them was; its other parameters keep their places. The method's body starts by
 * reading them back into locals of their own names. Its generated callers pass
 * {@code new double[] {...}} there (one small array per call, only for such methods). A method
 * whose parameters fit is printed unchanged. The rule depends only on the parameters' types in
 * order, so that a method and its callers agree without knowing of each other.
 */
final class ParameterSlots {
  /** The JVM's limit for a static method. */
  static final int MAX_SLOTS = 255;

  private ParameterSlots() {}

  private static int slots(TypeName t) {
    return t.equals(TypeName.DOUBLE) || t.equals(TypeName.LONG) ? 2 : 1;
  }

  /**
   * The index of the first parameter whose {@code double}s (and those of every later
   * parameter) go in the packed array, or -1 when every parameter fits.
   */
  static int packedFrom(List<TypeName> types) {
    int total = 0;
    for (TypeName t : types) {
      total += slots(t);
    }
    if (total <= MAX_SLOTS) {
      return -1;
    }
    // Largest k such that the parameters before k, the non-doubles from k on and the array fit.
    int tail = 1;
    for (int k = types.size(); k > 0; k--) {
      TypeName t = types.get(k - 1);
      tail += t.equals(TypeName.DOUBLE) ? 0 : slots(t);
      total -= slots(t);
      if (total + tail <= MAX_SLOTS) {
        return k - 1;
      }
    }
    return 0;
  }

  /** {@code method} itself when its parameters fit; otherwise with its trailing doubles packed. */
  static MethodSpec fit(MethodSpec method) {
    List<TypeName> types = new ArrayList<>();
    method.parameters().forEach(p -> types.add(p.type()));
    int from = packedFrom(types);
    if (from < 0) {
      return method;
    }
    Set<String> taken = new HashSet<>();
    method.parameters().forEach(p -> taken.add(p.name()));
    String array = "packed";
    for (int i = 2; taken.contains(array); i++) {
      array = "packed" + i;
    }
    MethodSpec.Builder b = (method.isConstructor() ? MethodSpec.constructorBuilder()
        : MethodSpec.methodBuilder(method.name()).returns(method.returnType()))
        .addModifiers(method.modifiers())
        .addAnnotations(method.annotations())
        .addExceptions(method.exceptions())
        .addJavadoc(method.javadoc());
    CodeBlock.Builder unpack = CodeBlock.builder();
    List<String> packedNames = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      ParameterSpec p = method.parameters().get(i);
      if (i < from || !types.get(i).equals(TypeName.DOUBLE)) {
        b.addParameter(p);
        continue;
      }
      if (packedNames.isEmpty()) {
        b.addParameter(ArrayTypeName.of(TypeName.DOUBLE), array);
      }
      unpack.addStatement("double $L = $L[$L]", p.name(), array, packedNames.size());
      packedNames.add(p.name());
    }
    b.addJavadoc("@param $L {@code $L} to {@code $L} ($L values, in this order): the JVM "
        + "has 255 parameter slots\n", array, packedNames.get(0),
        packedNames.get(packedNames.size() - 1), packedNames.size());
    return b.addCode(unpack.build()).addCode(method.code()).build();
  }

  /** The arguments of a call to a generated method with these parameter types. */
  static CodeBlock arguments(List<CodeBlock> args, List<TypeName> types) {
    int from = packedFrom(types);
    if (from < 0) {
      return CodeBlock.join(args, ", ");
    }
    List<CodeBlock> out = new ArrayList<>();
    List<CodeBlock> packed = new ArrayList<>();
    int at = -1;
    for (int i = 0; i < args.size(); i++) {
      if (i < from || !types.get(i).equals(TypeName.DOUBLE)) {
        out.add(args.get(i));
        continue;
      }
      if (at < 0) {
        at = out.size();
        out.add(null);
      }
      packed.add(args.get(i));
    }
    out.set(at, CodeBlock.of("new double[] {$L}", CodeBlock.join(packed, ", ")));
    return CodeBlock.join(out, ", ");
  }

  /** As above, for arguments that are names. */
  static CodeBlock names(List<String> args, List<TypeName> types) {
    List<CodeBlock> blocks = new ArrayList<>();
    args.forEach(a -> blocks.add(CodeBlock.of("$L", a)));
    return arguments(blocks, types);
  }

  /** The parameter types of a generated method taking {@code leading}, then one-slot values. */
  static List<TypeName> typesOf(List<TypeName> leading, int oneSlotValues) {
    List<TypeName> types = new ArrayList<>(leading);
    for (int i = 0; i < oneSlotValues; i++) {
      types.add(TypeName.INT); // one slot, like a reference
    }
    return types;
  }

  /**
   * The arguments of a call to {@code mAdjoint}: the method's parameters, then {@code seed}
   * (a double for a scalar result), then one-slot values (buffers, a tape).
   */
  static CodeBlock adjointCall(dev.adjoint.processor.ir.MethodIr m, List<String> call) {
    List<TypeName> types = new ArrayList<>();
    m.parameters().forEach(p -> types.add(SweepWriter.typeName(p.type())));
    types.add(m.returnType().isArray() ? TypeName.INT : TypeName.DOUBLE);
    return names(call, typesOf(types, call.size() - types.size()));
  }
}
