package dev.adjoint.processor.diagnostics;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of arrays: declarations inside a block or loop, without an initializer or from
 * another array (ADJ200), arrays created inside expressions, replaced, passed twice to a writing
 * helper or chosen with {@code ?:} (ADJ201), unsupported array locals (ADJ208), casts of arrays
 * (ADJ211), writes to array parameters (ADJ216), arrays passed to plain methods (ADJ217), and
 * vector results (ADJ219); a {@code var} array local compiles.
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class ArrayDiagnosticsTest extends DiagnosticsTestSupport {

  @Test
  void adj200_arrayDeclaredInsideLoopWithAVaryingLength() {
    JavaFileObject src =
        body(
            "    for (int i = 0; i < 2; i++) {",
            "      double[] a = new double[i + 1];",
            "    }",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] creating array 'a' inside a block or loop with a length that reads 'i', "
                + "which changes is not supported in a @Differentiable method: its length must "
                + "be computable at the top of the method")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(16);
  }

  @Test
  void adj200_arrayInitialisedFromAnotherArray() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] b) {",
            "    double[] a = b;",
            "    return a[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] making 'a' a second name for the array 'b' is not supported")
        .inFile(src)
        .onLine(6)
        .atColumn(14);
  }

  @Test
  void adj200_arrayDeclaredWithoutInitializer() {
    JavaFileObject src =
        body(
            "    double[] a;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] declaring array 'a' without creating it is not supported in a "
                + "@Differentiable method: create it where it is declared: "
                + "double[] a = new double[n];")
        .inFile(src)
        .onLine(BODY)
        .atColumn(14);
  }

  @Test
  void adj200_matrixDeclaredWithoutInitializer() {
    JavaFileObject src =
        body(
            "    double[][] a;",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] declaring array 'a' without creating it is not supported in a "
                + "@Differentiable method: create it where it is declared: "
                + "double[][] a = new double[n][m];")
        .inFile(src)
        .onLine(BODY)
        .atColumn(16);
  }

  @Test
  void varArrayLocalCompiles() {
    JavaFileObject src =
        body(
            "    var w = new double[2];",
            "    w[0] = x;",
            "    w[1] = x * x;",
            "    return w[0] + w[1];");
    Compilation c = compile(src);
    assertThat(c).succeededWithoutWarnings();
    assertThat(generated(c)).contains("mGrad(");
  }

  @Test
  void adj201_arrayCreatedInsideExpression() {
    JavaFileObject src =
        body(
            "    double s = x > 0 ? (new double[] {x})[0] : 0;",
            "    return s;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] creating an array inside an expression is not supported in a "
                + "@Differentiable method: declare a local array holding it")
        .inFile(src)
        .onLine(BODY)
        .atColumn(25);
  }

  @Test
  void adj201_replacingArrayVariable() {
    JavaFileObject src =
        body(
            "    double[] a = new double[2];",
            "    a = new double[3];",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] assigning array variable 'a' is not supported")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(5);
  }

  @Test
  void adj201_sameArrayPassedTwiceToAVoidHelper() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void two(double[] a, double[] b) {",
            "    a[0] = b[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double x) {",
            "    double[] w = {x, x};",
            "    two(w, w);",
            "    return w[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] passing the same array twice to a method that writes it is not supported "
                + "in a @Differentiable method: pass distinct arrays: the writes would alias.")
        .inFile(src)
        .onLine(11)
        .atColumn(12);
  }

  @Test
  void adj201_conditionalBetweenArrays() {
    JavaFileObject src =
        body(
            "    double[] a = {x};",
            "    double[] b = {2 * x};",
            "    double s = (x > 0 ? a : b)[0];",
            "    return s;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ201] choosing between arrays with ?: is not supported in a @Differentiable "
                + "method: choose between elements (c ? x[i] : y[i]) or use if / else.")
        .inFile(src)
        .onLine(BODY + 2)
        .atColumn(23);
  }

  @Test
  void adj208_unsupportedArrayLocal() {
    JavaFileObject src =
        body(
            "    long[] a = new long[2];",
            "    return x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ208] local variable 'a' has type long[] (arrays may be int[], float[], double[] "
                + "or double[][])")
        .inFile(src)
        .onLine(BODY)
        .atColumn(12);
  }

  @Test
  void adj211_castOfAnArray() {
    JavaFileObject src =
        body(
            "    double[] a = {x};",
            "    double y = (double) a;",
            "    return y;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ211] cast: expected a primitive value but the expression has type double[].")
        .inFile(src)
        .onLine(BODY + 1)
        .atColumn(16);
  }

  @Test
  void adj219_vectorResultMustBeALocalArrayReturnedOnce() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double[] m(double[] a) {",
            "    return a;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ219] a double[]-valued @Differentiable method must end with 'return <local "
                + "array>;' and return nowhere else")
        .inFile(src)
        .onLine(6)
        .atColumn(5);
  }

  @Test
  void adj216_writeToArrayParameter() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double x, double[][] a) {",
            "    a[0][0] = x;",
            "    return x;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ216] writes an element of parameter 'a', which a @Differentiable method that "
                + "returns a value does only for a one-dimensional array it writes itself or "
                + "passes to a void helper of its class")
        .inFile(src)
        .onLine(6);
  }

  @Test
  void adj216_parameterArrayPassedToAVoidHelper() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void scale(double[][] a, double c) {",
            "    a[0][0] = a[0][0] * c;",
            "  }",
            "  @Differentiable",
            "  public static double m(double[][] x, double c) {",
            "    scale(x, c);",
            "    return x[0][0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ216] passes parameter 'x' to Foo.scale, a void helper, which may write its "
                + "array arguments, which a @Differentiable method that returns a value does only "
                + "for a one-dimensional array it writes itself or passes to a void helper of its "
                + "class: copy it into a matrix of your own (double[][] work = new "
                + "double[x.length][x[0].length]; then a loop copying the elements) and pass the "
                + "copy.")
        .inFile(src)
        .onLine(10)
        .atColumn(11);
  }

  @Test
  void adj216_notReportedInAVoidHelper() {
    // A void helper may write its own array parameters, and pass them on to other helpers.
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
            "  public static void twice(double[] a, double c) {",
            "    scale(a, c);",
            "    a[0]++;",
            "    scale(a, c);",
            "  }",
            "}");
    assertThat(compile(src)).succeededWithoutWarnings();
  }

  @Test
  void adj217_arrayPassedToPlainMethod() {
    // An overloaded helper without the annotation is not differentiated where it is called.
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double first(double[] v) {",
            "    return v[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double[] a) {",
            "    return first(a);",
            "  }",
            "  static double first(float[] v) {",
            "    return v[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ217] passes array 'a' to Foo.first, which Adjoint cannot differentiate")
        .inFile(src)
        .onLine(9)
        .atColumn(18);
  }

  @Test
  void adj200_swapOfArraysWhoseLengthsMayDiffer() {
    JavaFileObject src =
        body(
            "    double[] u = new double[3];",
            "    double[] v = new double[4];",
            "    for (int k = 0; k < 2; k++) {",
            "      u[0] += x;",
            "      double[] t = u;",
            "      u = v;",
            "      v = t;",
            "    }",
            "    return u[0] * v[0];");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining(
            "[ADJ200] swapping 'u' and 'v', whose lengths may differ is not supported in a "
                + "@Differentiable method: the swap exchanges their contents, so create both "
                + "with the same length expression")
        .inFile(src)
        .onLine(BODY + 4)
        .atColumn(16);
  }

  @Test
  void adj200_swapTemporaryUsedAfterwards() {
    JavaFileObject src =
        body(
            "    double[] u = new double[3];",
            "    double[] v = new double[3];",
            "    u[1] = x;",
            "    double[] t = u;",
            "    u = v;",
            "    v = t;",
            "    return t[1];");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] using 't' after swapping 'u' and 'v' is not supported")
        .inFile(src)
        .onLine(BODY + 3)
        .atColumn(14);
  }

  @Test
  void adj200_arrayFromACallOfAnotherClassSaysWhatToDo() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] b) {",
            "    double[] h = Helpers.twice(b);",
            "    return h[0];",
            "  }",
            "}",
            "class Helpers {",
            "  static double[] twice(double[] a) {",
            "    return new double[] {2 * a[0]};",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] initialising array 'h' from the call 'Helpers.twice(b)' "
            + "is not supported in a @Differentiable method: a call returning an array is "
            + "differentiated through when it calls a static method of this class")
        .inFile(src)
        .onLine(6)
        .atColumn(14);
  }

  @Test
  void adj200_helperReturningAnArrayWithAnEarlyReturn() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double[] twice(double[] a) {",
            "    double[] r = new double[a.length];",
            "    if (a.length == 0) {",
            "      return r;",
            "    }",
            "    r[0] = 2 * a[0];",
            "    return r;",
            "  }",
            "  @Differentiable",
            "  public static double m(double[] b) {",
            "    double[] h = twice(b);",
            "    return h[0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("'twice' must end with its only return statement to be "
            + "differentiated where it is called")
        .inFile(src)
        .onLine(14)
        .atColumn(14);
  }

  @Test
  void adj200_cloneOfAMatrixSharesRows() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[][] b) {",
            "    double[][] h = b.clone();",
            "    return h[0][0];",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("copying a matrix with clone is not supported in a "
            + "@Differentiable method: this copies only the row references")
        .inFile(src)
        .onLine(6);
  }

  @Test
  void adj200_swapInsideAnEnhancedForOverTheArray() {
    JavaFileObject src =
        body(
            "    double[] u = {x, 2 * x};",
            "    double[] v = {1, 2};",
            "    double s = 0;",
            "    for (double e : u) {",
            "      s += e;",
            "      double[] t = u;",
            "      u = v;",
            "      v = t;",
            "    }",
            "    return s;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ200] swapping 'u' inside an enhanced for loop over it is not "
            + "supported in a @Differentiable method: loop over an index")
        .inFile(src)
        .onLine(BODY + 5)
        .atColumn(16);
  }

  @Test
  void adj201_callReturningAnArrayInAConditionalOperand() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static double[] twice(double[] a) {",
            "    return new double[] {2 * a[0]};",
            "  }",
            "  @Differentiable",
            "  static double first(double[] a) {",
            "    return a[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double[] b) {",
            "    return b[0] > 0 ? first(twice(b)) : 0;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] creating an array inside an expression is not supported")
        .inFile(src)
        .onLine(13)
        .atColumn(34);
  }

  @Test
  void booleanArrayParametersAreReadOnly() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static void m(double[] a, boolean[] mask) {",
            "    mask[0] = a[0] > 0;",
            "    boolean[] local = new boolean[2];",
            "    a[0] = a[0] * 2;",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    assertThat(c)
        .hadErrorContaining("[ADJ201] writing an element of boolean[] 'mask' is not supported "
            + "in a @Differentiable method: boolean[] parameters (labels, masks) are "
            + "read-only: compute the values into a local int[] (1 and 0) instead.")
        .inFile(src)
        .onLine(6)
        .atColumn(9);
    assertThat(c)
        .hadErrorContaining("[ADJ208] local variable 'local' has type boolean[] (boolean "
            + "arrays may be parameters, read-only; use an int[] of 1 and 0)")
        .inFile(src)
        .onLine(7)
        .atColumn(15);
  }

  @Test
  void booleanArrayNotPassedToAVoidHelper() {
    JavaFileObject src =
        source(
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  static void h(double[] a, boolean[] mask) {",
            "    a[0] = mask[0] ? a[0] : 0;",
            "  }",
            "  @Differentiable",
            "  public static void m(double[] a, boolean[] mask) {",
            "    h(a, mask);",
            "  }",
            "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorCount(1);
    assertThat(c)
        .hadErrorContaining("[ADJ201] passing boolean[] 'mask' to a void helper (which could "
            + "write it) is not supported")
        .inFile(src)
        .onLine(9)
        .atColumn(10);
  }
}
