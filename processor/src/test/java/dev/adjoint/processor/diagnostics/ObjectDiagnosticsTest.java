package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of records, arrays of records and enums outside the contract (ADJ400 to ADJ407):
 * each at its exact position, with advice that leads to code that compiles.
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class ObjectDiagnosticsTest extends DiagnosticsTestSupport {

  private static JavaFileObject withParams(String parameters, String... statements) {
    String[] lines = new String[8 + statements.length];
    lines[0] = "package p;";
    lines[1] = "import dev.adjoint.Differentiable;";
    lines[2] = "public class Foo {";
    lines[3] = "  public record P(double k, String name, double[] w) {}";
    lines[4] = "  @Differentiable";
    lines[5] = "  public static double m(" + parameters + ") {";
    System.arraycopy(statements, 0, lines, 6, statements.length);
    lines[6 + statements.length] = "  }";
    lines[7 + statements.length] = "}";
    return source(lines);
  }

  @Test
  void adj400_recordStoredInALocal() {
    JavaFileObject src = withParams("P p, double x", "    double y = x;", "    return p;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ400] 'p' is a P, which differentiable code reads "
        + "through its components").inFile(src).onLine(8).atColumn(12);
  }

  @Test
  void adj400_recordParameterReassigned() {
    JavaFileObject src = withParams("P p, P q, double x", "    p = q;", "    return p.k() * x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ400] 'p' is a P").inFile(src).onLine(7).atColumn(5);
  }

  @Test
  void recordLocalCreatedWithAnArrayComponent() {
    JavaFileObject src = withParams("double[] w, double x", "    P q = new P(x, \"a\", w);",
        "    return q.k();");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("a record local 'q' whose component 'name' is a "
        + "java.lang.String").inFile(src).onLine(7).atColumn(7);
  }

  private static JavaFileObject stepping(String step, String... statements) {
    String[] lines = new String[10 + statements.length];
    lines[0] = "package p;";
    lines[1] = "import dev.adjoint.Differentiable;";
    lines[2] = "public class Foo {";
    lines[3] = "  public record S(double x, double v) {}";
    lines[4] = step;
    lines[5] = "  @Differentiable";
    lines[6] = "  public static double m(double x) {";
    lines[7] = "    S s = new S(x, 1);";
    System.arraycopy(statements, 0, lines, 8, statements.length);
    lines[8 + statements.length] = "  }";
    lines[9 + statements.length] = "}";
    return source(lines);
  }

  @Test
  void adj201_recordReturningCallWithTwoReturns() {
    JavaFileObject src = stepping("  static S step(S s, double dt) { if (dt > 1) { return s; }"
        + " return new S(s.x() + dt * s.v(), s.v()); }", "    s = step(s, 0.1);",
        "    return s.x();");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ201] calling 'step' (which returns a record) with "
        + "more than one return is not supported in a @Differentiable method: 'step' is read "
        + "where it is called and must end with its only return statement")
        .inFile(src).onLine(9).atColumn(13);
  }

  @Test
  void adj201_recursiveRecordReturningCall() {
    JavaFileObject src = stepping("  static S step(S s, int n) { "
        + "S u = step(s, n - 1); return new S(u.x(), u.v()); }", "    s = step(s, 2);",
        "    return s.x();");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ201] a recursive call of 'step' (which returns a "
        + "record) is not supported in a @Differentiable method: compute the record with a "
        + "loop, or return a double.").inFile(src).onLine(5).atColumn(41);
  }

  @Test
  void adj201_recordReturningCallEvaluatedOnlySometimes() {
    JavaFileObject src = stepping("  static S step(S s, double dt) { return new S(s.x() + dt, "
        + "s.v()); }", "    return x > 0 ? step(s, 0.1).x() : 0;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ201] a call of 'step' (which returns a record) where "
        + "Java evaluates it only sometimes").inFile(src).onLine(9).atColumn(24);
    assertThat(c).hadErrorContaining("declare a record local holding its result (S r = "
        + "step(s, 0.1);) before this statement and read that.");
  }

  @Test
  void adj109_wrtNamesAComponentPath() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record Q(double k, double c) {}",
        "  @Differentiable(wrt = \"q.k\")",
        "  public static double m(Q q, double x) {",
        "    return q.k() * q.c() * x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ109] wrt names 'q.k', which is not a parameter of "
        + "'m'; its parameters are: q, x.").inFile(src).onLine(5);
  }

  @Test
  void adj200_arrayParameterWrittenInAMethodTakingARecord() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record Q(double k, double c) {}",
        "  @Differentiable",
        "  public static double m(Q q, double[] a) {",
        "    java.util.Arrays.fill(a, q.k());",
        "    return a[0] * q.c();",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("writing array parameter 'a' in a method taking records "
        + "or enums is not supported in a @Differentiable method: the entry points could not "
        + "leave the array as the plain call does: work on a copy (double[] work = a.clone();)")
        .inFile(src).onLine(6);
  }

  @Test
  void adj400_callsRecordWithAnArrayReassigned() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record Series(double[] xs, double total) {}",
        "  static Series of(double[] a, double t) { return new Series(a, t); }",
        "  @Differentiable",
        "  public static double m(double[] a, double x) {",
        "    Series s = of(a, x);",
        "    s = of(a, 2 * x);",
        "    return s.total() + s.xs()[0];",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ400] 's' is a Series").inFile(src).onLine(9);
  }

  @Test
  void adj401_recordFieldReadDirectly() {
    JavaFileObject src = withParams("P p, double x", "    return p.k * x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ401] 'p.k' reads a record's field directly; call "
        + "its accessor instead: p.k().").inFile(src).onLine(7).atColumn(13);
  }

  @Test
  void adj402_methodCalledOnARecord() {
    JavaFileObject src = withParams("P p, double x", "    return p.hashCode() * x;");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ402] calling 'hashCode' on 'p' is not supported: "
        + "only the accessors").inFile(src).onLine(7).atColumn(22);
  }

  @Test
  void adj402_recordMethodThatIsNotDifferentiable() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record P(double k) {",
        "    double twice() { return 2 * k; }",
        "  }",
        "  @Differentiable",
        "  public static double m(P p, double x) {",
        "    return p.twice() * x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ402] calling 'twice' on 'p' is not supported: "
        + "'twice' is not @Differentiable; annotate it").inFile(src).onLine(9).atColumn(19);
  }

  @Test
  void adj100_instanceMethodOfAClass() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  double k;",
        "  @Differentiable",
        "  public double m(double x) {",
        "    return x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ100]").inFile(src).onLine(6);
  }

  @Test
  void adj403_stringComponentRead() {
    JavaFileObject src = withParams("P p, double x",
        "    return p.name().length() > 2 ? x : p.k();");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ403] 'p.name()' has type java.lang.String")
        .inFile(src).onLine(7).atColumn(18);
  }

  @Test
  void adj404_recordPassedToAPlainMethod() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record P(double k) {}",
        "  static double plain(P p) { return p.k(); }",
        "  @Differentiable",
        "  public static double m(P p, double x) {",
        "    return plain(p) * x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ404] 'p' (a record or enum) is passed to 'Foo.plain', "
        + "which is not @Differentiable").inFile(src).onLine(8).atColumn(18);
  }

  @Test
  void adj405_objectConstantField() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record P(double k) {}",
        "  static final P DEFAULT = new P(2);",
        "  @Differentiable",
        "  public static double m(double x) {",
        "    return DEFAULT.k() * x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ405] reading field 'DEFAULT' of type p.Foo.P")
        .inFile(src).onLine(8).atColumn(12);
  }

  @Test
  void adj407_recordWithAnUnsupportedComponent() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record P(double k, java.util.List<Double> xs) {}",
        "  @Differentiable",
        "  public static double m(P p, double x) {",
        "    return p.k() * x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ407] parameter 'p' has type p.Foo.P, which cannot be "
        + "differentiated: P.xs() has type java.util.List<java.lang.Double>").inFile(src)
        .onLine(6).atColumn(28);
  }

  @Test
  void adj407_arrayComponentInAnArrayOfRecords() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record P(double k, double[] w) {}",
        "  @Differentiable",
        "  public static double m(P[] ps, double x) {",
        "    return ps[0].k() * x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ407] parameter 'ps' has type p.Foo.P[], which "
        + "cannot be differentiated: P[].w() is a double[] in an array of records").inFile(src)
        .onLine(6).atColumn(30);
  }

  @Test
  void adj110_enumInWrt() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public enum Kind { A, B }",
        "  @Differentiable(wrt = \"k\")",
        "  public static double m(Kind k, double x) {",
        "    return k == Kind.A ? x : -x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ110]");
  }

  @Test
  void adj409_recordResultWithAnIntComponent() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record R(double a, int n) {}",
        "  @Differentiable",
        "  public static R m(double x) {",
        "    return new R(x, 1);",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ409] @Differentiable method 'm' returns p.Foo.R, "
        + "whose component R.n() has type int").inFile(src).onLine(6).atColumn(19);
  }

  @Test
  void adj410_recordReturnedEarly() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  public record R(double a, double b) {}",
        "  @Differentiable",
        "  public static R m(double x) {",
        "    if (x > 0) {",
        "      return new R(x, x);",
        "    }",
        "    return new R(-x, x);",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ410] a method returning a record returns it once, "
        + "at the end, as 'return new R(...)'").inFile(src).onLine(8).atColumn(7);
  }
}
