package dev.adjoint.processor.diagnostics;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of expressions and local variables: expressions outside the differentiable subset
 * (ADJ201: lambdas, method references, objects, strings, instanceof, switch expression arms with yield, null,
 * calls on values), assignments and increments inside expressions (ADJ205), unknown names
 * (ADJ206), integer casts of active values (ADJ207), unsupported local types (ADJ208) and type
 * mismatches (ADJ211).
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class ExpressionDiagnosticsTest extends DiagnosticsTestSupport {

  @Test
  void adj201_lambda() {
    JavaFileObject src =
        body(
            "    Runnable r = () -> {};",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] a lambda is not supported in a @Differentiable method: write the function "
                + "as a @Differentiable method")
        .inFile(src)
        .onLine(BODY)
        .atColumn(18);
  }

  @Test
  void adj201_methodReference() {
    JavaFileObject src =
        body(
            "    Runnable r = Foo::new;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] a method reference is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(18);
  }

  @Test
  void adj201_newObject() {
    JavaFileObject src =
        body(
            "    Object o = new Object();",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] creating an object is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj201_objectCreationAsStatement() {
    JavaFileObject src =
        body(
            "    new Object();",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] this expression statement is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(5);
  }

  @Test
  void adj201_string() {
    JavaFileObject src =
        body(
            "    String s = \"a\";",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] a string is not supported in a @Differentiable method: compute with "
                + "numbers only")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj201_stringConcatenation() {
    JavaFileObject src = body("    return x + \"\";");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] a string is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj201_instanceof() {
    JavaFileObject src =
        body(
            "    boolean b = Double.valueOf(x) instanceof Number;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] instanceof is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(35);
  }

  @Test
  void adj200_switchExpressionArmWithYield() {
    JavaFileObject src =
        body(
            "    int k = 1;",
            "    return switch (k) { case 1 -> { yield x; } default -> x; };");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] a switch expression arm with statements (yield) is not "
            + "supported in a @Differentiable method: give each arm a value (case 1 -> a * x;), "
            + "or assign a local in a switch statement.")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(25);
  }

  @Test
  void adj201_null() {
    JavaFileObject src =
        body(
            "    Object o = null;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] null is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj201_methodCallOnAValue() {
    JavaFileObject src = body("    return Double.valueOf(x).doubleValue();");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] calling a method on a value ('Double.valueOf(x)') is not supported")
        .inFile(src)
        .onLine(BODY)
        .atColumn(41);
  }

  @Test
  void adj205_incrementInTheRightOperandOfAnd() {
    JavaFileObject src =
        body(
            "    int k = 0;",
            "    boolean b = x > 0 && k++ < 3;",
            "    return b ? x : 2 * x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ205] 'k++' inside an expression is not supported here: Java evaluates it only "
                + "sometimes (the right operand of &&); write the condition as an if statement "
                + "and change the variable in its branch.")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(27);
  }

  @Test
  void adj205_assignmentInABranchOfConditional() {
    JavaFileObject src =
        body(
            "    double z = 0;",
            "    double y = x > 0 ? (z = x) : x;",
            "    return y + z;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ205] the assignment 'z = x' inside an expression is not "
            + "supported here: Java evaluates it only sometimes (a branch of ?:)")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(27);
  }

  @Test
  void adj205_variableChangedAndReadInOneStatement() {
    JavaFileObject src =
        body(
            "    int i = 1;",
            "    double y = x * i + i++;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ205] changing 'i' inside an expression is not supported here: this statement "
                + "also reads 'i' elsewhere, so its value depends on Java's evaluation order; "
                + "change it in a statement of its own before or after.")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(12);
  }

  @Test
  void adj205_variableChangedTwice() {
    JavaFileObject src =
        body(
            "    int k = 3;",
            "    double y = x * --k + x * k--;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ205] changing 'k' twice inside an expression is not supported "
            + "here: the result would depend on Java's evaluation order; split the statement.")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(31);
  }

  @Test
  void everyUnsupportedConstructOfAMethodIsReportedInOneCompile() {
    JavaFileObject src =
        body(
            "    String s = \"a\";",
            "    double y = x;",
            "    synchronized (Foo.class) {",
            "      y = y * 2;",
            "    }",
            "    y = y + Math.nextUp(x);",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(3);
    assertThat(c).hadErrorContaining("[ADJ201] a string is not supported")
        .inFile(src).onLine(BODY).atColumn(16);
    assertThat(c).hadErrorContaining("[ADJ200] a synchronized block is not supported")
        .inFile(src).onLine(BODY + 2).atColumn(5);
    assertThat(c).hadErrorContaining("[ADJ210]")
        .inFile(src).onLine(BODY + 5).atColumn(24);
  }

  @Test
  void adj206_unknownName() {
    JavaFileObject src = body("    return x + y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ206] cannot resolve 'y'")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj207_integerCastOfActiveValue_isAWarning() {
    JavaFileObject src =
        body(
            "    int k = (int) x;",
            "    return x * k;");
    Compilation c = compile(src);
    assertThat(c).succeeded();
    assertThat(c).hadWarningCount(1);
    assertThat(c)
        .hadWarningContaining(
            "[ADJ207] casting a value that depends on a differentiable parameter to int cuts "
                + "its derivative")
        .inFile(src)
        .onLine(BODY)
        .atColumn(13);
  }

  @Test
  void adj208_shortLocal() {
    JavaFileObject src =
        body(
            "    short s = 1;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ208] local variable 's' has type short; locals must be double, float, int, "
                + "long or boolean")
        .inFile(src)
        .onLine(BODY)
        .atColumn(11);
  }

  @Test
  void adj211_typeMismatch() {
    // Not valid Java either; Adjoint checks types itself because it reads unattributed trees.
    JavaFileObject src =
        body(
            "    float f = x;",
            "    return f;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] initializer of 'f': expected float but the expression has type double.")
        .inFile(src)
        .onLine(BODY)
        .atColumn(15);
    assertThat(errorTexts(c)).doesNotContain("add an explicit cast");
  }

  @Test
  void adj211_returnWithoutValueInADoubleMethod() {
    JavaFileObject src =
        body(
            "    if (x > 0) return;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] return: expected double but the expression has type void (no value).")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void adj211_unaryMinusOfABoolean() {
    JavaFileObject src =
        body(
            "    boolean b = x > 0;",
            "    double y = -b;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] operand of unary -: expected a number but the expression has type "
                + "boolean.")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(16);
  }

  @Test
  void adj211_conditionalMixingBooleanAndNumber() {
    JavaFileObject src =
        body(
            "    double y = x > 0 ? true : 1.0;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] the branches of a ?: expression: expected boolean but the expression has "
                + "type double.")
        .inFile(src)
        .onLine(BODY)
        .atColumn(22);
  }

  @Test
  void adj211_voidHelperCallUsedAsAValue() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void scale(double[] a, double c) {",
            "    a[0] = a[0] * c;",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    double[] w = {x};",
            "    double y = scale(w, x);",
            "    return y;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] initializer of 'y': expected double but the expression has type void.")
        .inFile(src)
        .onLine(11)
        .atColumn(21);
  }
}
