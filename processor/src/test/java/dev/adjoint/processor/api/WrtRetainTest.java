package dev.adjoint.processor.api;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.adjoint.processor.api.GradientApiSupport.assertBits;
import static dev.adjoint.processor.api.GradientApiSupport.assertMatchesOracle;
import static dev.adjoint.processor.api.GradientApiSupport.assertRel;
import static dev.adjoint.processor.api.GradientApiSupport.call;
import static dev.adjoint.processor.api.GradientApiSupport.callOn;
import static dev.adjoint.processor.api.GradientApiSupport.compileRaw;
import static dev.adjoint.processor.api.GradientApiSupport.compiled;
import static dev.adjoint.processor.api.GradientApiSupport.componentNames;
import static dev.adjoint.processor.api.GradientApiSupport.d;
import static dev.adjoint.processor.api.GradientApiSupport.diff;
import static dev.adjoint.processor.api.GradientApiSupport.lineOf;
import static dev.adjoint.processor.api.GradientApiSupport.matrix;
import static dev.adjoint.processor.api.GradientApiSupport.nested;
import static dev.adjoint.processor.api.GradientApiSupport.oracle;
import static dev.adjoint.processor.api.GradientApiSupport.plain;
import static dev.adjoint.processor.api.GradientApiSupport.plainMethod;
import static dev.adjoint.processor.api.GradientApiSupport.vector;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The {@code wrt} and {@code retain} attributes and unused inputs (the notebook examples): the
 * record components they give, derivatives with respect to retained intermediates (loop-carried and
 * reassigned locals too), exactly zero derivatives of unused inputs with their ADJ111 warnings, and
 * the errors for integer or unknown names (ADJ109, ADJ110, ADJ112).
 *
 * <p>Every number is checked against a closed form or against the finite-difference oracle of
 * {@link GradientApiSupport}; diagnostics through compile-testing's {@code CompilationSubject}:
 * id, distinctive text and line.
 */
class WrtRetainTest {

  /** The notebook examples: retain, wrt, unused inputs, retain of a loop-carried local. */
  static final String NOTEBOOK =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Notebook {
        @Differentiable(retain = {"y", "z"})
        public static double t(double x) {
          double y = Math.cos(x);
          double z = 4 * y * y;
          return Math.tanh(z);
        }

        @Differentiable(wrt = {"x", "w"})
        public static double linear(double x, double w, double b) {
          return x * w + b;
        }

        @Differentiable
        public static double unused(double x, double u) {
          return x * x;
        }

        @Differentiable
        public static double unusedArrays(double x, double[] v, double[][] m) {
          return 3 * x;
        }

        @Differentiable(wrt = {"x"})
        public static double notInWrtNeedsNoWarning(double x, double b) {
          return x * x;
        }

        @Differentiable(retain = {"s"})
        public static double loopRetain(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s = 0.5 * s + Math.sin(x + i);
          }
          return s * s + x;
        }

        @Differentiable(retain = {"s"})
        public static double retainReassigned(double x) {
          double s = x * x;
          double a = 3 * s;
          s = Math.sin(s);
          return a * s;
        }

        @Differentiable(wrt = {"w"}, retain = {"h"})
        public static double wrtAndRetain(double x, double w) {
          double h = Math.tanh(w * x);
          return h * h + w;
        }
      }
      """;

  @Test
  void retainGivesDerivativesWithRespectToIntermediates() {
    Class<?> d = diff(NOTEBOOK, "Notebook");
    Object g = call(d, "tGrad", 7.0);
    // Parameter components first, then the retained locals in the order of retain.
    assertThat(componentNames(g.getClass())).containsExactly("value", "dX", "dY", "dZ").inOrder();

    double y = Math.cos(7.0);
    double z = 4 * y * y;
    double t = Math.tanh(z);
    double dz = 1 - t * t;
    double dy = dz * 8 * y;
    double dx = -dy * Math.sin(7.0);
    assertBits("value", d(g, "value"), t);
    assertRel("dt/dz", d(g, "dZ"), dz, 1e-14);
    assertRel("dt/dy", d(g, "dY"), dy, 1e-14);
    assertRel("dt/dx", d(g, "dX"), dx, 1e-14);
    // The values of the notebook (printed with float32 precision: dY and dX differ from the
    // double-precision closed form by 2.7e-7 and 1.6e-7, so they are compared to 1e-6).
    assertThat(d(g, "dZ")).isWithin(1e-7).of(0.041513324);
    assertThat(d(g, "dY")).isWithin(1e-6).of(0.2503759);
    assertThat(d(g, "dX")).isWithin(1e-6).of(-0.1644936);
    // The double-precision values to 1e-9.
    assertThat(d(g, "dZ")).isWithin(1e-9).of(0.0415132784);
    assertThat(d(g, "dY")).isWithin(1e-9).of(0.2503756335);
    assertThat(d(g, "dX")).isWithin(1e-9).of(-0.1644934358);
    assertMatchesOracle("dt/dx", d(g, "dX"),
        Oracle.derivative(x -> Math.tanh(4 * Math.cos(x) * Math.cos(x)), 7.0));
    // dt/dz and dt/dy as the oracle sees them: t as a function of z, and of y.
    assertMatchesOracle("dt/dz", d(g, "dZ"), Oracle.derivative(Math::tanh, z));
    assertMatchesOracle("dt/dy", d(g, "dY"), Oracle.derivative(v -> Math.tanh(4 * v * v), y));

    // The adjoint form takes a buffer for the retained locals, and adds into it.
    double[] adjoints = {0.5};
    double[] retained = {1.0, -1.0};
    double value = (Double) call(d, "tAdjoint", 7.0, 2.0, adjoints, retained);
    assertBits("tAdjoint value", value, t);
    assertRel("adjoints[0]", adjoints[0], 0.5 + 2 * d(g, "dX"), 1e-14);
    assertRel("retained[0] (y)", retained[0], 1.0 + 2 * d(g, "dY"), 1e-14);
    assertRel("retained[1] (z)", retained[1], -1.0 + 2 * d(g, "dZ"), 1e-14);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "tAdjoint", 7.0, 1.0, new double[1], new double[1]));
    assertThat(e).hasMessageThat().contains("retained has length 1");
    assertThat(e).hasMessageThat().contains("retains 2 (y, z)");

    // The pullback carries the retained derivatives too, scaled by the seed.
    Object p = callOn(call(d, "tVjp", 7.0), "pullback", -3.0);
    assertRel("pullback dZ", d(p, "dZ"), -3 * d(g, "dZ"), 1e-15);
    assertRel("pullback dY", d(p, "dY"), -3 * d(g, "dY"), 1e-15);
  }

  @Test
  void wrtLimitsTheRecordToTheNamedParameters() throws Exception {
    Class<?> d = diff(NOTEBOOK, "Notebook");
    Class<?> record = nested(d, "LinearGrad");
    assertThat(componentNames(record)).containsExactly("value", "dX", "dW").inOrder();
    // mAdjoint takes one scalar slot per differentiated scalar only: b has none.
    Method adjoint = d.getMethod("linearAdjoint", double.class, double.class, double.class,
        double.class, double[].class);
    assertThat(adjoint.getReturnType()).isEqualTo(double.class);

    double x = 1.5;
    double w = -2.0;
    double b = 0.25;
    Object g = call(d, "linearGrad", x, w, b);
    assertBits("value", d(g, "value"), x * w + b);
    assertBits("dX = w", d(g, "dX"), w);
    assertBits("dW = x", d(g, "dW"), x);

    double[] adjoints = {10.0, 20.0};
    call(d, "linearAdjoint", x, w, b, 3.0, adjoints);
    assertBits("adjoints[0]", adjoints[0], 10.0 + 3.0 * w);
    assertBits("adjoints[1]", adjoints[1], 20.0 + 3.0 * x);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "linearAdjoint", x, w, b, 1.0, new double[1]));
    assertThat(e).hasMessageThat().contains("adjoints has length 1");
    assertThat(e).hasMessageThat().contains("linear needs 2");
    assertThat(e).hasMessageThat().contains("x, w");

    // wrt and retain together: dW, then dH; x has no component.
    Object h = call(d, "wrtAndRetainGrad", 0.7, 1.3);
    assertThat(componentNames(h.getClass())).containsExactly("value", "dW", "dH").inOrder();
    double th = Math.tanh(1.3 * 0.7);
    assertRel("dH", d(h, "dH"), 2 * th, 1e-15);
    assertRel("dW", d(h, "dW"), 2 * th * (1 - th * th) * 0.7 + 1, 1e-14);
    Method wrtAndRetain = plainMethod(plain(NOTEBOOK, "Notebook"), "wrtAndRetain");
    assertMatchesOracle("dW", d(h, "dW"), oracle(wrtAndRetain, new Object[] {0.7, 1.3}, -1, 1)[0]);
  }

  @Test
  void unusedInputIsWarnedAboutAndHasExactlyZeroDerivative() {
    InProcessCompiler c = compiled(NOTEBOOK);
    JavaFileObject file = JavaFileObjects.forSourceString("p.Notebook", NOTEBOOK);
    Compilation compilation = c.compilation();
    assertThat(compilation)
        .hadWarningContaining(
            "[ADJ111] no derivative of 'u' reaches the result of 'unused'")
        .inFile(file)
        .onLine(lineOf(NOTEBOOK, "unused(double x, double u)"));
    assertThat(compilation)
        .hadWarningContaining("[ADJ111] no derivative of 'v' reaches the result of"
            + " 'unusedArrays'")
        .inFile(file)
        .onLine(lineOf(NOTEBOOK, "unusedArrays(double x, double[] v, double[][] m)"));
    assertThat(compilation)
        .hadWarningContaining("[ADJ111] no derivative of 'm' reaches the result of"
            + " 'unusedArrays'")
        .inFile(file)
        .onLine(lineOf(NOTEBOOK, "unusedArrays(double x, double[] v, double[][] m)"));
    // The column is the parameter's name.
    String signature = "  public static double unused(double x, double u) {";
    assertThat(compilation)
        .hadWarningContaining("[ADJ111] no derivative of 'u'")
        .inFile(file)
        .onLine(lineOf(NOTEBOOK, "unused(double x, double u)"))
        .atColumn(signature.indexOf("u)") + 1);
    // Exactly these three: x is used everywhere, and b of notInWrtNeedsNoWarning is not
    // differentiated, so it is no one's business that it is unused.
    List<String> adj111 = compilation.warnings().stream()
        .map(w -> w.getMessage(Locale.ROOT)).filter(m -> m.contains("[ADJ111]")).toList();
    assertWithMessage("ADJ111 warnings").that(adj111).hasSize(3);
    assertThat(adj111.stream().noneMatch(m -> m.contains("'b'"))).isTrue();

    Class<?> d = diff(NOTEBOOK, "Notebook");
    Object g = call(d, "unusedGrad", 1.25, 4.0);
    assertBits("dU", d(g, "dU"), 0.0);
    assertBits("dX", d(g, "dX"), 2.5);
    Object p = callOn(call(d, "unusedVjp", 1.25, 4.0), "pullback", -2.0);
    assertBits("pullback dU", d(p, "dU"), 0.0);
    double[] adjoints = {7.0, 9.0};
    call(d, "unusedAdjoint", 1.25, 4.0, 1.0, adjoints);
    assertBits("adjoints[1] untouched", adjoints[1], 9.0);

    // Array parameters: materialised zero arrays of the parameters' shapes, never null.
    double[] v = {1.0, 2.0, 3.0};
    double[][] m = {{1.0, 2.0}, {3.0}};
    Object a = call(d, "unusedArraysGrad", 0.5, v, m);
    assertThat(componentNames(a.getClass()))
        .containsExactly("value", "dX", "dV", "dM").inOrder();
    assertThat(vector(a, "dV")).isNotNull();
    assertThat(vector(a, "dV")).usingExactEquality().containsExactly(0.0, 0.0, 0.0).inOrder();
    double[][] dm = matrix(a, "dM");
    assertThat(dm).isNotNull();
    assertThat(dm).hasLength(2);
    assertThat(dm[0]).usingExactEquality().containsExactly(0.0, 0.0).inOrder();
    assertThat(dm[1]).usingExactEquality().containsExactly(0.0);
    assertBits("dX", d(a, "dX"), 3.0);
    Object ap = callOn(call(d, "unusedArraysVjp", 0.5, v, m), "pullback", 4.0);
    assertThat(vector(ap, "dV")).usingExactEquality().containsExactly(0.0, 0.0, 0.0).inOrder();
    assertThat(matrix(ap, "dM")[0]).usingExactEquality().containsExactly(0.0, 0.0).inOrder();
    assertBits("pullback dX", d(ap, "dX"), 12.0);
  }

  @Test
  void integerWrtIsAnErrorAtTheAnnotation() {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class IntWrt {
          @Differentiable(wrt = {"x", "n"})
          public static double f(double x, int n) {
            return x * n;
          }
        }
        """;
    JavaFileObject file = JavaFileObjects.forSourceString("p.IntWrt", source);
    Compilation c = compileRaw(file);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ110] wrt names parameter 'n' of type int, but only"
            + " floating-point values have derivatives")
        .inFile(file)
        .onLine(lineOf(source, "@Differentiable(wrt"));
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void unknownWrtAndRetainNamesAreErrorsAtTheAnnotation() {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class BadNames {
          @Differentiable(wrt = {"x", "q"})
          public static double unknownWrt(double x, double y) {
            return x * y;
          }

          @Differentiable(retain = {"k"})
          public static double intRetain(double x) {
            int k = 3;
            double a = x * k;
            return a;
          }

          @Differentiable(retain = {"nope"})
          public static double unknownRetain(double x) {
            double a = x * 2;
            return a;
          }
        }
        """;
    JavaFileObject file = JavaFileObjects.forSourceString("p.BadNames", source);
    Compilation c = compileRaw(file);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ109] wrt names 'q', which is not a parameter of 'unknownWrt';"
            + " its parameters are: x, y.")
        .inFile(file)
        .onLine(lineOf(source, "wrt = {\"x\", \"q\"}"));
    assertThat(c)
        .hadErrorContaining("[ADJ112] retain names 'k', but 'intRetain' has no local variable of"
            + " that name declared once with type double or float; retain one of: a.")
        .inFile(file)
        .onLine(lineOf(source, "retain = {\"k\"}"));
    assertThat(c)
        .hadErrorContaining("[ADJ112] retain names 'nope'")
        .inFile(file)
        .onLine(lineOf(source, "retain = {\"nope\"}"));
    assertThat(c).hadErrorCount(3);
  }

  @Test
  void retainOfALoopCarriedLocalIsWithRespectToItsFinalValue() {
    Class<?> d = diff(NOTEBOOK, "Notebook");
    Method plain = plainMethod(plain(NOTEBOOK, "Notebook"), "loopRetain");
    for (int n : new int[] {0, 1, 2, 7}) {
      double x = 0.4;
      double s = 0;
      for (int i = 0; i < n; i++) {
        s = 0.5 * s + Math.sin(x + i);
      }
      Object g = call(d, "loopRetainGrad", x, n);
      String at = "loopRetain(" + x + ", " + n + ")";
      assertThat(componentNames(g.getClass())).containsExactly("value", "dX", "dS").inOrder();
      assertBits(at + " value", d(g, "value"), s * s + x);
      // result = s_final^2 + x, so d result / d s_final = 2 s_final (not a sum over the loop).
      assertRel(at + " dS = 2 s_final", d(g, "dS"), 2 * s, 1e-15);
      // dX: s_n = sum_i 0.5^(n-1-i) sin(x + i), ds/dx = sum_i 0.5^(n-1-i) cos(x + i).
      double dsdx = 0;
      for (int i = 0; i < n; i++) {
        dsdx = 0.5 * dsdx + Math.cos(x + i);
      }
      // (2 s ds/dx nearly cancels the 1 at n = 7: compared to 1e-14 absolute.)
      assertWithMessage("%s dX closed form", at).that(d(g, "dX")).isWithin(1e-14)
          .of(2 * s * dsdx + 1);
      assertMatchesOracle(at + " dX", d(g, "dX"), oracle(plain, new Object[] {x, n}, -1, 0)[0]);
    }

    // A local reassigned after another local was computed from it: its final value s1 = sin(s0)
    // enters the result only through a * s1, so d result / d s1 = a = 3 x^2 (the earlier value
    // reaches the result through a, which is not part of that derivative).
    for (double x : new double[] {0.3, 1.1, -0.8}) {
      Object g = call(d, "retainReassignedGrad", x);
      assertRel("retainReassigned(" + x + ") dS", d(g, "dS"), 3 * x * x, 1e-15);
      Method rr = plainMethod(plain(NOTEBOOK, "Notebook"), "retainReassigned");
      assertMatchesOracle("retainReassigned dX", d(g, "dX"),
          oracle(rr, new Object[] {x}, -1, 0)[0]);
      // The oracle's view of d result / d s_final: perturb s after its last assignment.
      double s0 = x * x;
      double a = 3 * s0;
      double s1 = Math.sin(s0);
      assertMatchesOracle("retainReassigned dS", d(g, "dS"), Oracle.derivative(v -> a * v, s1));
    }
  }
}
