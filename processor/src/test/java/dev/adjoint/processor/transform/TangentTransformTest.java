package dev.adjoint.processor.transform;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.call;
import static dev.adjoint.processor.ir.Exprs.cond;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.local;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The forward transform on hand-built lowered IR, without javac: the statements it writes for
 * each kind of node, printed as Java-like text. Values are checked by {@code HigherOrderTest}
 * and the fuzzer; here the shape: which temporaries exist (only those a formula repeats, none
 * that nothing reads) and where.
 */
class TangentTransformTest {
  static final Variable X = param("x", Type.DOUBLE);
  static final Variable Y = param("y", Type.DOUBLE);
  static final Variable N = param("n", Type.INT);
  static final Variable RESULT = newLocal("result", Type.DOUBLE);

  static Variable param(String name, Type type) {
    return new Variable(name, type, Variable.Kind.PARAMETER);
  }

  static Variable newLocal(String name, Type type) {
    return new Variable(name, type, Variable.Kind.LOCAL);
  }

  static Expr x() {
    return local(X);
  }

  static Expr y() {
    return local(Y);
  }

  static Expr op(BinaryOp op, Expr a, Expr b) {
    return binary(op, a, b);
  }

  static Stmt declare(Variable v, Expr init) {
    return new Stmt.Declare(v, init, Position.NONE);
  }

  static Stmt assign(Variable v, Expr value) {
    return new Stmt.Assign(v, value, Position.NONE);
  }

  /** A lowered method of x and y (and n, not differentiated) whose body ends in result. */
  static MethodIr method(Stmt... body) {
    return new MethodIr("p", "Owner", "f", List.of(X, Y, N), Type.DOUBLE,
        Stmt.Block.of(List.of(body)), RESULT, List.of(X, Y), List.of());
  }

  /** Every floating variable active: the statements show what the transform writes. */
  static TangentTransform.Tangent tangent(MethodIr m) {
    return TangentTransform.transform(m, v -> v.type().carriesDerivatives());
  }

  static String tangentText(Stmt... body) {
    return IrText.of(tangent(method(body)).body().statements());
  }

  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  @Test
  void productOfAtomsNeedsNoTemporary() {
    assertThat(tangentText(declare(RESULT, op(BinaryOp.MULTIPLY, x(), y())))).isEqualTo(lines(
        "double resultDot = y * xDot + x * yDot;",
        "double result = x * y;"));
  }

  @Test
  void productKeepsEachRepeatedOperandOnce() {
    Expr sum = op(BinaryOp.ADD, x(), y());
    Expr difference = op(BinaryOp.SUBTRACT, x(), y());
    assertThat(tangentText(declare(RESULT, op(BinaryOp.MULTIPLY, sum, difference))))
        .isEqualTo(lines(
            "double t = x + y;",
            "double t2 = x - y;",
            "double resultDot = t2 * (xDot + yDot) + t * (xDot - yDot);",
            "double result = t * t2;"));
  }

  @Test
  void operandWhosePartialNoTangentReadsIsNotKept() {
    // 3 * sin(x): the partial of the literal is sin(x), but the literal has no tangent.
    Expr product = op(BinaryOp.MULTIPLY, lit(3), call(Intrinsic.SIN, x()));
    assertThat(tangentText(declare(RESULT, product))).isEqualTo(lines(
        "double resultDot = 3.0 * (Math.cos(x) * xDot);",
        "double result = 3.0 * Math.sin(x);"));
  }

  @Test
  void quotientWritesItsResultStraightIntoTheVariable() {
    // The partial for the denominator reads the quotient: the declared variable holds it.
    assertThat(tangentText(declare(RESULT, op(BinaryOp.DIVIDE, x(), y())))).isEqualTo(lines(
        "double result = x / y;",
        "double resultDot = (xDot - result * yDot) / y;"));
  }

  @Test
  void quotientByAConstantDividesTheTangent() {
    assertThat(tangentText(declare(RESULT, op(BinaryOp.DIVIDE, x(), lit(2))))).isEqualTo(lines(
        "double resultDot = xDot / 2.0;",
        "double result = x / 2.0;"));
  }

  @Test
  void quotientAssignedToItsOwnOperand() {
    Variable z = newLocal("z", Type.DOUBLE);
    String text = tangentText(declare(z, x()),
        assign(z, op(BinaryOp.DIVIDE, local(z), y())), declare(RESULT, local(z)));
    // The tangent reads no old value of z: the new one may be assigned first.
    assertThat(text).isEqualTo(lines(
        "double zDot = xDot;",
        "double z = x;",
        "z = z / y;",
        "zDot = (zDot - z * yDot) / y;",
        "double resultDot = zDot;",
        "double result = z;"));
  }

  @Test
  void remainder() {
    assertThat(tangentText(declare(RESULT, op(BinaryOp.REMAINDER, x(), y())))).isEqualTo(lines(
        "double result = x % y;",
        "double resultDot = xDot - (x - result) / y * yDot;"));
  }

  @Test
  void remainderAssignedToItsOwnOperandKeepsTheOldValue() {
    Variable z = newLocal("z", Type.DOUBLE);
    String text = tangentText(declare(z, x()),
        assign(z, op(BinaryOp.REMAINDER, local(z), y())), declare(RESULT, local(z)));
    // The partial for y reads z's old value: the remainder goes through a temporary.
    assertThat(text).isEqualTo(lines(
        "double zDot = xDot;",
        "double z = x;",
        "double t = z % y;",
        "zDot = zDot - (z - t) / y * yDot;",
        "z = t;",
        "double resultDot = zDot;",
        "double result = z;"));
  }

  @Test
  void remainderByAConstantPassesTheTangentThrough() {
    assertThat(tangentText(declare(RESULT, op(BinaryOp.REMAINDER, x(), lit(2)))))
        .isEqualTo(lines(
            "double resultDot = xDot;",
            "double result = x % 2.0;"));
  }

  @Test
  void intrinsicWhosePartialIsItsResult() {
    Expr exp = call(Intrinsic.EXP, op(BinaryOp.MULTIPLY, x(), y()));
    assertThat(tangentText(declare(RESULT, exp))).isEqualTo(lines(
        "double result = Math.exp(x * y);",
        "double resultDot = result * (y * xDot + x * yDot);"));
  }

  @Test
  void intrinsicInsideAnExpressionKeepsItsArgument() {
    Expr sin = call(Intrinsic.SIN, op(BinaryOp.MULTIPLY, x(), y()));
    assertThat(tangentText(declare(RESULT, op(BinaryOp.ADD, sin, lit(1))))).isEqualTo(lines(
        "double t = x * y;",
        "double resultDot = Math.cos(t) * (y * xDot + x * yDot);",
        "double result = Math.sin(t) + 1.0;"));
  }

  @Test
  void intrinsicWithAZeroPartialDifferentiatesNothingBelowIt() {
    // floor's partial is a literal 0: x * y gets no tangent and no temporary.
    Expr floor = call(Intrinsic.FLOOR, op(BinaryOp.MULTIPLY, x(), y()));
    assertThat(tangentText(declare(RESULT, op(BinaryOp.MULTIPLY, floor, x()))))
        .isEqualTo(lines(
            "double t = Math.floor(x * y);",
            "double resultDot = t * xDot;",
            "double result = t * x;"));
  }

  @Test
  void unaryMinusAndConversions() {
    Expr negated = new Expr.Unary(Expr.UnaryOp.NEGATE, x(), Type.DOUBLE);
    Expr rounded = new Expr.Cast(Type.FLOAT, y(), Position.NONE);
    Expr back = new Expr.Cast(Type.DOUBLE, rounded, Position.NONE);
    Expr truncated = new Expr.Cast(Type.INT, x(), Position.NONE);
    Expr sum = op(BinaryOp.ADD, op(BinaryOp.ADD, negated, back), truncated);
    assertThat(tangentText(declare(RESULT, sum))).isEqualTo(lines(
        "double resultDot = -xDot + yDot;",
        "double result = -x + (double) (float) y + (int) x;"));
  }

  @Test
  void conditionalWithoutStatementsSelectsTheTangent() {
    Expr c = cond(op(BinaryOp.GREATER, x(), y()), x(), op(BinaryOp.MULTIPLY, lit(2), y()));
    assertThat(tangentText(declare(RESULT, c))).isEqualTo(lines(
        "double resultDot = x > y ? xDot : 2.0 * yDot;",
        "double result = x > y ? x : 2.0 * y;"));
  }

  @Test
  void conditionalKeepsAConditionItWouldEvaluateTwice() {
    Expr condition = op(BinaryOp.GREATER, op(BinaryOp.MULTIPLY, x(), y()), lit(1));
    Expr c = cond(condition, x(), y());
    assertThat(tangentText(declare(RESULT, c))).isEqualTo(lines(
        "boolean t = x * y > 1.0;",
        "double resultDot = t ? xDot : yDot;",
        "double result = t ? x : y;"));
  }

  @Test
  void conditionalWithTemporariesAssignsTheVariableInItsBranches() {
    Expr whenTrue = op(BinaryOp.ADD, call(Intrinsic.EXP, op(BinaryOp.MULTIPLY, x(), y())),
        lit(1));
    Expr c = cond(op(BinaryOp.GREATER, x(), lit(0)), whenTrue, op(BinaryOp.MULTIPLY, y(), y()));
    assertThat(tangentText(declare(RESULT, c))).isEqualTo(lines(
        "double resultDot;",
        "double result;",
        "if (x > 0.0) {",
        "  double t = Math.exp(x * y);",
        "  resultDot = t * (y * xDot + x * yDot);",
        "  result = t + 1.0;",
        "} else {",
        "  resultDot = y * yDot + y * yDot;",
        "  result = y * y;",
        "}"));
  }

  @Test
  void conditionalWithTemporariesInsideAnExpression() {
    Expr whenTrue = call(Intrinsic.SQRT, x());
    Expr c = cond(op(BinaryOp.GREATER, x(), lit(0)), whenTrue, y());
    // The branch's root (sqrt) writes the conditional's temporary itself: no copy.
    assertThat(tangentText(declare(RESULT, op(BinaryOp.MULTIPLY, lit(2), c)))).isEqualTo(lines(
        "double t;",
        "double tDot;",
        "if (x > 0.0) {",
        "  t = Math.sqrt(x);",
        "  tDot = 0.5 * xDot / t;",
        "} else {",
        "  tDot = yDot;",
        "  t = y;",
        "}",
        "double resultDot = 2.0 * tDot;",
        "double result = 2.0 * t;"));
  }

  @Test
  void unwantedConditionalWritesNoBranches() {
    // floor(...) has derivative 0: nothing under it is differentiated, no temporary is left.
    Expr c = cond(op(BinaryOp.GREATER, x(), lit(0)), call(Intrinsic.EXP, x()), y());
    assertThat(tangentText(declare(RESULT, call(Intrinsic.FLOOR, c)))).isEqualTo(lines(
        "double resultDot = 0.0;",
        "double result = Math.floor(x > 0.0 ? Math.exp(x) : y);"));
  }

  @Test
  void loopCarriesTheTangentOfItsAccumulator() {
    Variable s = newLocal("s", Type.DOUBLE);
    Variable i = newLocal("i", Type.INT);
    Stmt loop = Stmt.Loop.unlabelled(
        List.of(declare(i, Expr.Literal.ofInt(0))),
        op(BinaryOp.LESS, local(i), local(N)),
        List.of(assign(i, op(BinaryOp.ADD, local(i), Expr.Literal.ofInt(1)))),
        Stmt.Block.of(List.of(assign(s, op(BinaryOp.ADD, local(s),
            op(BinaryOp.MULTIPLY, x(), local(i)))))),
        true, Position.NONE);
    String text = tangentText(declare(s, lit(0)), loop,
        declare(RESULT, op(BinaryOp.MULTIPLY, local(s), local(s))));
    assertThat(text).isEqualTo(lines(
        "double sDot = 0.0;",
        "double s = 0.0;",
        "for (int i = 0; i < n; i = i + 1) {",
        "  sDot = sDot + i * xDot;",
        "  s = s + x * i;",
        "}",
        "double resultDot = s * sDot + s * sDot;",
        "double result = s * s;"));
  }

  @Test
  void localArrayGetsATangentArray() {
    Variable a = newLocal("a", Type.DOUBLE_ARRAY);
    Expr literal = new Expr.NewArray(Type.DOUBLE_ARRAY, List.of(),
        List.of(x(), op(BinaryOp.MULTIPLY, x(), y())));
    Expr first = new Expr.ArrayRead(local(a), Expr.Literal.ofInt(0), Type.DOUBLE);
    Expr second = new Expr.ArrayRead(local(a), Expr.Literal.ofInt(1), Type.DOUBLE);
    Stmt write = new Stmt.ArrayWrite(a, List.of(Expr.Literal.ofInt(1)),
        op(BinaryOp.MULTIPLY, first, lit(2)), Position.NONE);
    String text = tangentText(declare(a, literal), write,
        declare(RESULT, op(BinaryOp.MULTIPLY, first, second)));
    assertThat(text).isEqualTo(lines(
        "double[] a = {x, x * y};",
        "double[] aDot = {xDot, y * xDot + x * yDot};",
        "aDot[1] = 2.0 * aDot[0];",
        "a[1] = a[0] * 2.0;",
        "double t = a[0];",
        "double t2 = a[1];",
        "double resultDot = t2 * aDot[0] + t * aDot[1];",
        "double result = t * t2;"));
  }

  @Test
  void callOfADifferentiableMethodCallsItsTangentForm() {
    Callee g = new Callee("p", "Owner", "g", List.of("u"), List.of(Type.DOUBLE),
        List.of(true), Type.DOUBLE, true, 1, false);
    Expr call = new Expr.Call(g, List.of(op(BinaryOp.MULTIPLY, x(), y())), Position.NONE);
    assertThat(tangentText(declare(RESULT, op(BinaryOp.ADD, call, call(Intrinsic.SIN, call)))))
        .isEqualTo(lines(
            "double[] valueAndTangent = new double[2];",
            "gTangent(x * y, y * xDot + x * yDot, valueAndTangent);",
            "double g = valueAndTangent[0];",
            "double gDot = valueAndTangent[1];",
            "gTangent(x * y, y * xDot + x * yDot, valueAndTangent);",
            "double g2 = valueAndTangent[0];",
            "double gDot2 = valueAndTangent[1];",
            "double resultDot = gDot + Math.cos(g2) * gDot2;",
            "double result = g + Math.sin(g2);"));
  }

  @Test
  void callAsTheWholeValueWritesTheVariable() {
    Callee g = new Callee("p", "Owner", "g", List.of("u"), List.of(Type.DOUBLE),
        List.of(true), Type.DOUBLE, true, 1, false);
    Expr call = new Expr.Call(g, List.of(x()), Position.NONE);
    assertThat(tangentText(declare(RESULT, call))).isEqualTo(lines(
        "double[] valueAndTangent = new double[2];",
        "gTangent(x, xDot, valueAndTangent);",
        "double result = valueAndTangent[0];",
        "double resultDot = valueAndTangent[1];"));
  }

  /** A method of an array a (not differentiated) and x, calling g(double[] v, double s). */
  private static String arrayCall(java.util.function.UnaryOperator<Expr> around) {
    Variable a = param("a", Type.DOUBLE_ARRAY);
    Callee g = new Callee("p", "Owner", "g", List.of("v", "s"),
        List.of(Type.DOUBLE_ARRAY, Type.DOUBLE), List.of(true, true), Type.DOUBLE, true, 1,
        false);
    Expr call = new Expr.Call(g, List.of(local(a), x()), Position.NONE);
    MethodIr m = new MethodIr("p", "Owner", "f", List.of(a, X), Type.DOUBLE,
        Stmt.Block.of(List.of(declare(RESULT, around.apply(call)))), RESULT, List.of(X),
        List.of());
    return IrText.of(tangent(m).body().statements());
  }

  @Test
  void constantArrayPassedToATangentFormGetsZeroTangents() {
    assertThat(arrayCall(call -> call)).isEqualTo(lines(
        "double[] valueAndTangent = new double[2];",
        "double[] aDot = new double[a.length];",
        "gTangent(a, x, aDot, xDot, valueAndTangent);",
        "double result = valueAndTangent[0];",
        "double resultDot = valueAndTangent[1];"));
  }

  @Test
  void constantArrayOfAnUndifferentiatedCallGetsNone() {
    assertThat(arrayCall(call -> call(Intrinsic.FLOOR, call))).isEqualTo(lines(
        "double resultDot = 0.0;",
        "double result = Math.floor(g(a, x));"));
  }

  @Test
  void tangentNamesAvoidTheMethodsOwnNames() {
    Variable taken = newLocal("resultDot", Type.DOUBLE);
    String text = tangentText(declare(taken, lit(1)),
        declare(RESULT, op(BinaryOp.MULTIPLY, x(), local(taken))));
    // The local resultDot has its own tangent, resultDotDot; result's is resultDot2.
    assertThat(text).isEqualTo(lines(
        "double resultDotDot = 0.0;",
        "double resultDot = 1.0;",
        "double resultDot2 = resultDot * xDot + x * resultDotDot;",
        "double result = x * resultDot;"));
  }

  @Test
  void jumpsMustBeLoweredFirst() {
    MethodIr m = method(new Stmt.Return(Optional.of(x()), Position.NONE));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> tangent(m));
    assertThat(e).hasMessageThat().contains("cannot appear here");
  }

  @Test
  void tangentFormWritesValueAndTangent() {
    MethodIr form = tangent(method(declare(RESULT, op(BinaryOp.MULTIPLY, x(), x()))))
        .asTangentForm();
    assertThat(form.name()).isEqualTo("fTangent");
    assertThat(form.parameters().stream().map(Variable::name).toList())
        .containsExactly("x", "y", "n", "xDot", "yDot", "valueAndTangent").inOrder();
    assertThat(form.returnType()).isEqualTo(Type.VOID);
    assertThat(IrText.of(form.body().statements())).isEqualTo(lines(
        "double resultDot = x * xDot + x * xDot;",
        "double result = x * x;",
        "valueAndTangent[0] = result;",
        "valueAndTangent[1] = resultDot;"));
  }

  /**
   * IR as compact Java-like text for assertions: two-space indentation, each variable named by
   * its name, numbered from 2 where another variable has it already (as the emitter does).
   */
  static final class IrText implements Stmt.SourceVisitor<Void>, Expr.SourceVisitor<String> {
    private final StringBuilder out = new StringBuilder();
    private final Map<Variable, String> names = new HashMap<>();
    private final Map<String, Integer> counts = new HashMap<>();
    private String indent = "";

    static String of(List<Stmt> statements) {
      IrText text = new IrText();
      statements.forEach(s -> s.accept(text));
      return text.out.toString();
    }

    private String name(Variable v) {
      return names.computeIfAbsent(v, k -> {
        int n = counts.merge(k.name(), 1, Integer::sum);
        return n == 1 ? k.name() : k.name() + n;
      });
    }

    private void line(String text) {
      out.append(indent).append(text).append('\n');
    }

    private void block(List<Stmt> statements) {
      String outer = indent;
      indent = indent + "  ";
      statements.forEach(s -> s.accept(this));
      indent = outer;
    }

    private String inline(Stmt s) {
      IrText nested = new IrText();
      nested.names.putAll(names);
      nested.counts.putAll(counts);
      s.accept(nested);
      names.putAll(nested.names);
      counts.putAll(nested.counts);
      String text = nested.out.toString().trim();
      return text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
    }

    @Override
    public Void visitDeclare(Stmt.Declare s) {
      String type = s.variable().type().javaName();
      String init = s.init().map(this::expr).orElse(null);
      line(type + " " + name(s.variable()) + (init == null ? "" : " = " + init) + ";");
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign s) {
      line(name(s.variable()) + " = " + expr(s.value()) + ";");
      return null;
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite s) {
      String indices = s.indices().stream().map(i -> "[" + expr(i) + "]")
          .collect(Collectors.joining());
      line(name(s.array()) + indices + " = " + expr(s.value()) + ";");
      return null;
    }

    @Override
    public Void visitIf(Stmt.If s) {
      line("if (" + expr(s.condition()) + ") {");
      block(s.thenBlock().statements());
      if (!s.elseBlock().isEmpty()) {
        line("} else {");
        block(s.elseBlock().statements());
      }
      line("}");
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop s) {
      String init = s.init().stream().map(this::inline).collect(Collectors.joining(", "));
      String update = s.update().stream().map(this::inline).collect(Collectors.joining(", "));
      line("for (" + init + "; " + expr(s.condition()) + "; " + update + ") {");
      block(s.body().statements());
      line("}");
      return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
      line("return" + s.value().map(v -> " " + expr(v)).orElse("") + ";");
      return null;
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
      line("break;");
      return null;
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
      line("continue;");
      return null;
    }

    @Override
    public Void visitBlock(Stmt.Block s) {
      line("{");
      block(s.statements());
      line("}");
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate s) {
      line(expr(s.expression()) + ";");
      return null;
    }

    @Override
    public Void visitThrow(Stmt.Throw s) {
      line("throw new " + s.exception() + "(...);");
      return null;
    }

    private String expr(Expr e) {
      return e.accept(this);
    }

    /** Operator precedence of the printed expression, as Java's (16: a primary). */
    private static int precedence(Expr e) {
      if (e instanceof Expr.Binary b) {
        return b.op().precedence;
      }
      if (e instanceof Expr.Conditional) {
        return 2;
      }
      if (e instanceof Expr.Unary || e instanceof Expr.Cast) {
        return 13;
      }
      return 16;
    }

    private String operand(Expr e, int context, boolean right) {
      int p = precedence(e);
      String text = expr(e);
      return (right ? p <= context : p < context) ? "(" + text + ")" : text;
    }

    @Override
    public String visitLiteral(Expr.Literal e) {
      return e.value().toString();
    }

    @Override
    public String visitLocal(Expr.Local e) {
      return name(e.variable());
    }

    @Override
    public String visitFieldRead(Expr.FieldRead e) {
      return e.ownerQualifiedName() + "." + e.name();
    }

    @Override
    public String visitUnary(Expr.Unary e) {
      return e.op().symbol + operand(e.operand(), 13, false);
    }

    @Override
    public String visitBinary(Expr.Binary e) {
      return operand(e.left(), e.op().precedence, false) + " " + e.op().symbol + " "
          + operand(e.right(), e.op().precedence, true);
    }

    @Override
    public String visitConditional(Expr.Conditional e) {
      return operand(e.condition(), 2, true) + " ? " + operand(e.whenTrue(), 2, true) + " : "
          + operand(e.whenFalse(), 2, false);
    }

    @Override
    public String visitCast(Expr.Cast e) {
      return "(" + e.type().javaName() + ") " + operand(e.operand(), 13, false);
    }

    @Override
    public String visitIntrinsicCall(Expr.IntrinsicCall e) {
      return "Math." + e.intrinsic().javaName() + "(" + list(e.arguments()) + ")";
    }

    @Override
    public String visitCall(Expr.Call e) {
      return e.callee().name() + "(" + list(e.arguments()) + ")";
    }

    @Override
    public String visitArrayRead(Expr.ArrayRead e) {
      return operand(e.array(), 16, false) + "[" + expr(e.index()) + "]";
    }

    @Override
    public String visitArrayLength(Expr.ArrayLength e) {
      return operand(e.array(), 16, false) + ".length";
    }

    @Override
    public String visitNewArray(Expr.NewArray e) {
      if (e.dimensions().isEmpty()) {
        return "{" + list(e.elements()) + "}";
      }
      String type = e.type().scalar().javaName();
      List<String> dims = new ArrayList<>();
      e.dimensions().forEach(d -> dims.add("[" + expr(d) + "]"));
      return "new " + type + String.join("", dims);
    }

    private String list(List<Expr> expressions) {
      return expressions.stream().map(this::expr).collect(Collectors.joining(", "));
    }
  }
}
