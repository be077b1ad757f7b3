package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of final classes and virtual calls (ADJ100, ADJ201, ADJ202, ADJ402, ADJ407,
 * ADJ420, ADJ421): an instance method of a final class reads its final fields as constants; what
 * could run code the processor cannot see, or a field it cannot read, is an error at the exact
 * position with advice.
 *
 * <p>Conventions (columns, the ADJ002 check after every test) are those of {@link
 * DiagnosticsTestSupport}.
 */
class ClassDiagnosticsTest extends DiagnosticsTestSupport {

  /** {@code public final class Foo} with the given members; line 4 is the first member line. */
  private static JavaFileObject finalClass(String... members) {
    String[] lines = new String[4 + members.length];
    lines[0] = "package p;";
    lines[1] = "import dev.adjoint.Differentiable;";
    lines[2] = "public final class Foo {";
    System.arraycopy(members, 0, lines, 3, members.length);
    lines[3 + members.length] = "}";
    return source(lines);
  }

  @Test
  void adj100_instanceMethodOfAClassThatIsNotFinal() {
    JavaFileObject src = source(
        "package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  @Differentiable",
        "  public double m(double x) {",
        "    return x;",
        "  }",
        "}");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ100] @Differentiable method 'm' is an instance "
        + "method of Foo, which is not final: a call could run an override the processor "
        + "cannot see. Make the class final (or a record), or make the method static")
        .inFile(src).onLine(5).atColumn(17);
  }

  @Test
  void adj420_fieldThatIsNotFinal() {
    JavaFileObject src = finalClass(
        "  private double k = 2;",
        "  @Differentiable",
        "  public double m(double x) {",
        "    return k * x;",
        "  }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ420] field 'k' of final class Foo cannot be read in "
        + "differentiable code: it is not final (differentiable code reads final fields only, "
        + "whose value no call can change). Make it a final field of a number")
        .inFile(src).onLine(7).atColumn(12);
  }

  @Test
  void adj420_fieldOfATypeOutsideTheContract() {
    JavaFileObject src = finalClass(
        "  private final String label = \"abc\";",
        "  @Differentiable",
        "  public double m(double x) {",
        "    return label.length() * x;",
        "  }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ420] field 'label' of final class Foo cannot be read "
        + "in differentiable code: its type java.lang.String is not one differentiable code "
        + "reads").inFile(src).onLine(7).atColumn(12);
  }

  @Test
  void adj421_callOnAFieldOfAnInterfaceType() {
    JavaFileObject src = finalClass(
        "  public interface Shape { double area(double x); }",
        "  private final Shape shape;",
        "  Foo(Shape shape) { this.shape = shape; }",
        "  @Differentiable",
        "  public double m(double x) {",
        "    return shape.area(x) * x;",
        "  }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ421] calling 'area' on 'shape', whose type Shape is "
        + "an interface, could run code the processor cannot see (an override or an "
        + "implementation): make the class final (or a record), or the method static.")
        .inFile(src).onLine(9).atColumn(22);
  }

  @Test
  void adj421_callOnAFieldOfAClassThatIsNotFinal() {
    JavaFileObject src = finalClass(
        "  public static class Base { public double f(double x) { return x; } }",
        "  final Base base = new Base();",
        "  @Differentiable",
        "  public double m(double x) {",
        "    return this.base.f(x);",
        "  }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ421] calling 'f' on 'this.base', whose class Base is "
        + "not final").inFile(src).onLine(8).atColumn(23);
  }

  @Test
  void adj407_parameterOfAClassThatIsNotFinalOrOfASealedInterface() {
    JavaFileObject src = finalClass(
        "  public static class Base {}",
        "  public sealed interface Kind permits A {}",
        "  public record A(double a) implements Kind {}",
        "  @Differentiable",
        "  public static double m(Base b, Kind k, double x) {",
        "    return x;",
        "  }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ407] parameter 'b' has type p.Foo.Base, which cannot "
        + "be differentiated: class Base is not final: a call of its methods could run an "
        + "override or an implementation the processor cannot see (make it a final class or a "
        + "record, or pass its numbers)").inFile(src).onLine(8).atColumn(31);
    assertThat(c).hadErrorContaining("[ADJ407] parameter 'k' has type p.Foo.Kind, which cannot "
        + "be differentiated: Kind is a sealed interface (calls are not dispatched over its "
        + "permitted classes)").inFile(src).onLine(8).atColumn(39);
  }

  @Test
  void adj202_writingAnElementOfAFinalClassesArrayField() {
    JavaFileObject src = finalClass(
        "  private final double[] c = {1, 2};",
        "  @Differentiable",
        "  public double m(double x) {",
        "    c[0] = x;",
        "    return c[1] * x;",
        "  }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ202] assigns to field 'c'").inFile(src).onLine(7)
        .atColumn(6);
  }

  @Test
  void adj201_passingAFieldToAVoidHelperThatMayWriteIt() {
    JavaFileObject src = finalClass(
        "  private final double[] c = {1, 2};",
        "  static void scale(double[] a, double s) { a[0] *= s; }",
        "  @Differentiable",
        "  public double m(double x) {",
        "    scale(c, x);",
        "    return c[1] * x;",
        "  }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ201] passing 'c', a field of a Foo, to Foo.scale, a "
        + "void helper, which may write it is not supported in a @Differentiable method: a "
        + "@Differentiable method does not write fields: copy it (double[] work = c.clone();) "
        + "and pass the copy.").inFile(src).onLine(8).atColumn(11);
  }

  @Test
  void adj402_methodTheClassDoesNotDeclare() {
    JavaFileObject src = finalClass(
        "  private final double k = 2;",
        "  @Differentiable",
        "  public static double m(Foo f, double x) {",
        "    return f.hashCode() * x;",
        "  }");
    Compilation c = compile(src);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ402] calling 'hashCode' on 'f' is not supported: "
        + "only the instance methods that Foo declares itself can be called on it.")
        .inFile(src).onLine(7).atColumn(22);
  }
}
