package dev.adjoint.processor.emit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.local;
import static dev.adjoint.processor.ir.Exprs.mul;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import dev.adjoint.processor.transform.Derivatives;
import dev.adjoint.processor.transform.TangentTransform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Emission as a stage of its own: hand-built IR and adjoints in, {@code FooDiff} source out,
 * checked family by family and compiled against the runtime, with no annotation processing.
 */
class EntryPointsTest {
  private static final String OWNER = String.join("\n",
      "package p;",
      "public final class Sq {",
      "  private Sq() {}",
      "  public static double square(double x) { return x * x; }",
      "  public static void touch(double[] a) {}",
      "  static double squareByHand(double x, double seed, double[] adjoints) {",
      "    adjoints[0] += seed * 2 * x;",
      "    return x * x;",
      "  }",
      "}");

  private final Variable x = new Variable("x", Type.DOUBLE, Variable.Kind.PARAMETER);
  private final Variable result = new Variable("result", Type.DOUBLE, Variable.Kind.SYNTHETIC);
  private final Variable seed = new Variable("seed", Type.DOUBLE, Variable.Kind.SYNTHETIC);

  /** {@code square(x) = x * x}, lowered. */
  private MethodIr square() {
    return new MethodIr("p", "Sq", "square", List.of(x), Type.DOUBLE,
        Stmt.Block.of(List.of(new Stmt.Declare(result, mul(local(x), local(x)), Position.NONE))),
        result, List.of(x), List.of());
  }

  /** The adjoint of {@code square}, by hand: {@code xBar += resultBar * x} twice. */
  private Adjoint squareAdjoint(MethodIr m) {
    Variable resultBar = new Variable("resultBar", Type.DOUBLE, Variable.Kind.SYNTHETIC);
    Variable xBar = new Variable("xBar", Type.DOUBLE, Variable.Kind.SYNTHETIC);
    Map<Variable, Variable> adjointOf = new LinkedHashMap<>();
    adjointOf.put(result, resultBar);
    adjointOf.put(x, xBar);
    Stmt accumulate = new Stmt.Assign(xBar, add(local(xBar), mul(local(resultBar), local(x))),
        Position.NONE);
    return new Adjoint(m, List.of(), m.body().statements(), List.of(accumulate, accumulate),
        adjointOf, seed, Optional.empty(), Optional.empty(), Map.of(), Optional.empty(),
        List.of(), Optional.empty());
  }

  /** The tangent of {@code square}, by hand: {@code resultDot = xDot * x + x * xDot}. */
  private TangentTransform.Tangent squareTangent(MethodIr m) {
    Variable xDot = new Variable("xDot", Type.DOUBLE, Variable.Kind.PARAMETER);
    Variable resultDot = new Variable("resultDot", Type.DOUBLE, Variable.Kind.SYNTHETIC);
    Stmt.Block body = Stmt.Block.of(List.of(
        new Stmt.Declare(resultDot, add(mul(local(xDot), local(x)), mul(local(x), local(xDot))),
            Position.NONE),
        new Stmt.Declare(result, mul(local(x), local(x)), Position.NONE)));
    return new TangentTransform.Tangent(m, List.of(xDot), body, Map.of(result, resultDot));
  }

  private static String emit(Derivatives... methods) {
    return DiffClassEmitter.emit("p", "Sq", List.of(methods)).toString();
  }

  private static void compiles(String diff) {
    Compilation compilation = Compiler.javac().withOptions("-proc:none", "-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString("p.Sq", OWNER),
            JavaFileObjects.forSourceString("p.SqDiff", diff));
    assertThat(compilation).succeededWithoutWarnings();
  }

  @Test
  void scalarMethodGetsEveryFirstOrderFamily() {
    MethodIr m = square();
    TangentTransform.Tangent tangent = squareTangent(m);
    String diff = emit(new Derivatives(squareAdjoint(m), Optional.of(tangent),
        List.of(tangent.asTangentForm()), Optional.empty(), Optional.empty()));
    // Gradient record and mGrad: one call of mAdjoint with seed 1.
    assertThat(diff).contains("public record SquareGrad(double value, double dX)");
    assertThat(diff).contains("double value = squareAdjoint(x, 1.0, adjoints);");
    // mAdjoint: the fresh-tape overload delegates; the other runs both sweeps.
    assertThat(diff).contains("return squareAdjoint(x, seed, adjoints, Tape.ofThisThread());");
    assertThat(diff).contains("        tape.enter();\n"
        + "        try {\n"
        + "            // Forward sweep: runs the method.\n"
        + "            double result = x * x;\n"
        + "            // Reverse sweep: adjoints flow from the result back to the parameters.\n"
        + "            double resultBar = seed;\n"
        + "            double xBar = 0.0;\n"
        + "            xBar += resultBar * x;\n"
        + "            xBar += resultBar * x;\n"
        + "            adjoints[0] += xBar;\n"
        + "            return result;\n"
        + "        } catch (OutOfMemoryError outOfMemory) {\n"
        + "            throw tape.outOfMemory(\"p.Sq.square(double)\", outOfMemory);\n"
        + "        } finally {\n"
        + "            tape.exit();\n"
        + "        }\n");
    // mVjp keeps the forward sweep's variables; the pullback replays the reverse sweep.
    // mVjp(x) gives a new recording to the overload that reuses one.
    assertThat(diff).contains("return squareVjp(x, new SquareVjp());");
    assertThat(diff).contains("double result = x * x;\n"
        + "        recording.x = x;\n"
        + "        recording.result = result;\n"
        + "        return recording;\n");
    assertThat(diff).contains("public SquareGrad pullback(double seed)");
    // Forward mode through the tangent form.
    assertThat(diff).contains("squareTangent(x, xDot, valueAndTangent);");
    assertThat(diff).contains("public static void squareTangent(double x, double xDot,");
    assertThat(diff).contains("valueAndTangent[1] = resultDot;");
    // Nothing of higher order, no Jacobian.
    assertThat(diff).doesNotContain("Hessian");
    assertThat(diff).doesNotContain("Jacobian(");
    compiles(diff);
  }

  @Test
  void voidHelperGetsOnlyItsAdjoint() {
    Variable a = new Variable("a", Type.DOUBLE_ARRAY, Variable.Kind.PARAMETER);
    Variable aBar = new Variable("aBar", Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);
    MethodIr touch = new MethodIr("p", "Sq", "touch", List.of(a), Type.VOID,
        Stmt.Block.of(List.of()), null, List.of(a), List.of());
    Adjoint adjoint = new Adjoint(touch, List.of(), List.of(), List.of(), Map.of(a, aBar), seed,
        Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), List.of(),
        Optional.empty());
    String diff = emit(new Derivatives(adjoint, Optional.empty(), List.of(), Optional.empty(),
        Optional.empty()));
    assertThat(diff).contains("public static void touchAdjoint(double[] a, double[] aAdjoint) {");
    assertThat(diff).contains("touchAdjoint(a, aAdjoint, Tape.ofThisThread());");
    assertThat(diff).contains(
        "double[] aBar = aAdjoint != null ? aAdjoint : Shapes.zerosLike(a);");
    assertThat(diff).doesNotContain("public record");
    assertThat(diff).contains("// Reverse sweep: adjoints flow from the arrays' final state back");
    assertThat(diff).doesNotContain("Vjp");
    compiles(diff);
  }

  @Test
  void customAdjointIsCalledAndGivesForwardMode() {
    Adjoint custom = Adjoint.custom(square(), new Adjoint.Custom("p", "Sq", "squareByHand"));
    String diff = emit(new Derivatives(custom, Optional.empty(), List.of(), Optional.empty(),
        Optional.empty()));
    assertThat(diff).contains("// The adjoint is hand-written: Sq.squareByHand (it needs no "
        + "tape).\n        return Sq.squareByHand(x, seed, adjoints);");
    // The pullback keeps the inputs and calls the hand-written adjoint.
    assertThat(diff).contains("double value = squareAdjoint(x, 0.0, new double[1]);");
    // Forward mode from the gradient: the tangent form dots it with the tangents.
    assertThat(diff).contains("valueAndTangent[1] = 0.0 + adjoints[0] * xDot;");
    compiles(diff);
  }
}
