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
import static dev.adjoint.processor.api.GradientApiSupport.invoke;
import static dev.adjoint.processor.api.GradientApiSupport.lineOf;
import static dev.adjoint.processor.api.GradientApiSupport.oracle;
import static dev.adjoint.processor.api.GradientApiSupport.plain;
import static dev.adjoint.processor.api.GradientApiSupport.plainMethod;
import static dev.adjoint.processor.api.GradientApiSupport.unique;
import static dev.adjoint.processor.api.GradientApiSupport.vector;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.Oracle.Estimate;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code @CustomAdjoint}: a stable softplus where the plain formula overflows, the same value
 * through every entry point, callers chaining through the hand-written adjoint, an array parameter
 * whose body the processor never reads, and the errors for a wrong shape or an orphan (ADJ113,
 * ADJ114).
 *
 * <p>Every number is checked against a closed form or against the finite-difference oracle of
 * {@link GradientApiSupport}; diagnostics through compile-testing's {@code CompilationSubject}:
 * id, distinctive text and line.
 */
class CustomAdjointTest {

  /**
   * Custom adjoints: a stable softplus used from another method, and a norm with a double[]
   * parameter whose body (a lambda) the processor could not differentiate.
   */
  static final String CUSTOM =
      """
      package p;

      import dev.adjoint.CustomAdjoint;
      import dev.adjoint.Differentiable;

      public class Custom {
        @Differentiable
        public static double softplus(double x) {
          return Math.log1p(Math.exp(x));
        }

        @CustomAdjoint("softplus")
        static double stableSoftplus(double x, double seed, double[] adjoints) {
          adjoints[0] += seed / (1 + Math.exp(-x));
          return x > 30 ? x : Math.log1p(Math.exp(x));
        }

        @Differentiable
        public static double model(double x, double w) {
          double h = softplus(w * x);
          return h * h + softplus(-x);
        }

        @Differentiable
        public static double norm(double[] v) {
          return Math.sqrt(java.util.Arrays.stream(v).map(a -> a * a).sum());
        }

        @CustomAdjoint("norm")
        static double normByHand(double[] v, double seed, double[] vAdjoint) {
          double s = 0;
          for (double a : v) {
            s += a * a;
          }
          double n = Math.sqrt(s);
          if (vAdjoint != null) {
            for (int i = 0; i < v.length; i++) {
              vAdjoint[i] += seed * v[i] / n;
            }
          }
          return n;
        }

        @Differentiable
        public static double useNorm(double[] v, double t) {
          double n = norm(v);
          return n * t + v[0] * Math.sin(n);
        }
      }
      """;

  private static double logistic(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void customAdjointIsStableWhereThePlainFormulaOverflows() {
    Class<?> d = diff(CUSTOM, "Custom");
    Class<?> plain = plain(CUSTOM, "Custom");
    // The plain method overflows: exp(1000) is infinite.
    assertThat((Double) call(plain, "softplus", 1000.0)).isPositiveInfinity();
    Object g = call(d, "softplusGrad", 1000.0);
    assertBits("softplus(1000) through its adjoint", d(g, "value"), 1000.0);
    assertBits("softplus'(1000)", d(g, "dX"), 1.0);
    double[] adjoints = {0.0};
    double v = (Double) call(d, "softplusAdjoint", 1000.0, 2.0, adjoints);
    assertBits("softplusAdjoint value", v, 1000.0);
    assertBits("softplusAdjoint 2 * derivative", adjoints[0], 2.0);
    Object p = callOn(call(d, "softplusVjp", 1000.0), "pullback", -1.5);
    assertBits("pullback dX", d(p, "dX"), -1.5);
    assertBits("pullback value", d(p, "value"), 1000.0);
    // Very negative x: derivative underflows to 0, not NaN.
    Object neg = call(d, "softplusGrad", -1000.0);
    assertBits("softplus'(-1000)", d(neg, "dX"), 0.0);
    assertBits("softplus(-1000)", d(neg, "value"), 0.0);

    // At moderate x the hand-written derivative matches the oracle on the plain method.
    for (double x : new double[] {-3.0, 0.0, 0.8, 5.0}) {
      Object gx = call(d, "softplusGrad", x);
      assertRel("softplus'(" + x + ")", d(gx, "dX"), logistic(x), 1e-15);
      assertMatchesOracle("softplus'(" + x + ")", d(gx, "dX"),
          oracle(unique(plain, "softplus"), new Object[] {x}, -1, 0)[0]);
    }
  }

  @Test
  void customAdjointValueIsTheSameThroughEveryEntryPoint() {
    // The record, mAdjoint and the pullback return what the hand-written adjoint returns (1000
    // at x = 1000); mVjp(...).value() must agree with them rather than run the plain method.
    Class<?> d = diff(CUSTOM, "Custom");
    Object vjp = call(d, "softplusVjp", 1000.0);
    double fromVjp = (Double) callOn(vjp, "value");
    double fromPullback = d(callOn(vjp, "pullback", 1.0), "value");
    double fromGrad = d(call(d, "softplusGrad", 1000.0), "value");
    assertWithMessage("softplusVjp(1000).value() vs softplusVjp(1000).pullback(1).value() and"
        + " softplusGrad(1000).value()").that(fromVjp).isEqualTo(fromPullback);
    assertThat(fromGrad).isEqualTo(fromPullback);
  }

  @Test
  void callersChainThroughTheCustomAdjoint() {
    Class<?> d = diff(CUSTOM, "Custom");
    Method plain = plainMethod(plain(CUSTOM, "Custom"), "model");
    double[][] points = {{0.5, 1.2}, {-1.3, 0.7}, {2.0, -0.4}, {0.1, 3.0}};
    for (double[] pt : points) {
      double x = pt[0];
      double w = pt[1];
      Object g = call(d, "modelGrad", x, w);
      String at = "model(" + x + ", " + w + ")";
      assertBits(at + " value", d(g, "value"), (Double) invoke(plain, null, new Object[] {x, w}));
      Estimate[] o = oracle(plain, new Object[] {x, w}, -1, 0, 1);
      assertMatchesOracle(at + " dX", d(g, "dX"), o[0]);
      assertMatchesOracle(at + " dW", d(g, "dW"), o[1]);
      // Closed form: h = softplus(w x), f = h^2 + softplus(-x).
      double h = Math.log1p(Math.exp(w * x));
      double dfdx = 2 * h * logistic(w * x) * w - logistic(-x);
      double dfdw = 2 * h * logistic(w * x) * x;
      assertRel(at + " dX closed form", d(g, "dX"), dfdx, 1e-13);
      assertRel(at + " dW closed form", d(g, "dW"), dfdw, 1e-13);
      Object p = callOn(call(d, "modelVjp", x, w), "pullback", 3.0);
      assertRel(at + " pullback dX", d(p, "dX"), 3 * d(g, "dX"), 1e-15);
      assertRel(at + " pullback dW", d(p, "dW"), 3 * d(g, "dW"), 1e-15);
    }
  }

  @Test
  void customAdjointWithAnArrayParameter() {
    Class<?> d = diff(CUSTOM, "Custom");
    Class<?> plain = plain(CUSTOM, "Custom");
    // norm's body (a stream with a lambda) is outside the differentiable subset: it compiled
    // only because the processor does not read it (see customAdjointBodyIsNotRead).
    double[] v = {3.0, -4.0, 12.0};
    Object g = call(d, "normGrad", (Object) v);
    assertThat(componentNames(g.getClass())).containsExactly("value", "dV").inOrder();
    assertBits("norm", d(g, "value"), 13.0);
    assertThat(vector(g, "dV")).usingExactEquality()
        .containsExactly(3.0 / 13, -4.0 / 13, 12.0 / 13).inOrder();
    // Null buffer: value only.
    assertBits("normAdjoint(null buffer)",
        (Double) call(d, "normAdjoint", v, 1.0, null), 13.0);
    double[] buffer = {1.0, 1.0, 1.0};
    call(d, "normAdjoint", v, 2.0, buffer);
    assertThat(buffer).usingExactEquality()
        .containsExactly(1 + 2 * 3.0 / 13, 1 + 2 * -4.0 / 13, 1 + 2 * 12.0 / 13).inOrder();
    assertThrows(IllegalArgumentException.class,
        () -> call(d, "normAdjoint", v, 1.0, new double[2]));
    Object p = callOn(call(d, "normVjp", (Object) v), "pullback", -1.0);
    assertThat(vector(p, "dV")).usingExactEquality()
        .containsExactly(-3.0 / 13, 4.0 / 13, -12.0 / 13).inOrder();

    // A caller: chain rule through the hand-written adjoint, against the oracle.
    Method useNorm = unique(plain, "useNorm");
    double[] u = {0.6, -1.1, 0.35};
    double t = 0.8;
    Object ug = call(d, "useNormGrad", u, t);
    assertThat(componentNames(ug.getClass())).containsExactly("value", "dV", "dT").inOrder();
    Estimate[] o = oracle(useNorm, new Object[] {u, t}, -1, 0, 1);
    assertMatchesOracle("useNorm dV", vector(ug, "dV"), Arrays.copyOf(o, 3));
    assertMatchesOracle("useNorm dT", d(ug, "dT"), o[3]);
    double n = Math.sqrt(0.6 * 0.6 + 1.1 * 1.1 + 0.35 * 0.35);
    assertRel("useNorm dT closed form", d(ug, "dT"), n, 1e-15);
  }

  @Test
  void customAdjointBodyIsNotRead() {
    // Without its @CustomAdjoint, norm's body is rejected: so the Custom group compiling at all
    // shows that the processor did not read it.
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class NoCustom {
          @Differentiable
          public static double norm(double[] v) {
            return Math.sqrt(java.util.Arrays.stream(v).map(a -> a * a).sum());
          }
        }
        """;
    Compilation c = compileRaw(JavaFileObjects.forSourceString("p.NoCustom", source));
    assertThat(c).failed();
    assertThat(c.errors().stream().anyMatch(e -> e.getMessage(Locale.ROOT).contains("[ADJ")))
        .isTrue();
    assertThat(compiled(CUSTOM).compilation().errors()).isEmpty();
  }

  @Test
  void customAdjointWithTheWrongShapeSpellsOutTheExpectedSignature() {
    String source =
        """
        package p;

        import dev.adjoint.CustomAdjoint;
        import dev.adjoint.Differentiable;

        public class BadCustom {
          @Differentiable
          public static double sp(double x) {
            return Math.log1p(Math.exp(x));
          }

          @CustomAdjoint("sp")
          static double spMissingBuffer(double x, double seed) {
            return x;
          }

          @Differentiable
          public static double weighted(double[] v, double k, int n) {
            return v[0] * k * n;
          }

          @CustomAdjoint("weighted")
          static double weightedWithoutArrayBuffer(double[] v, double k, int n, double seed,
              double[] adjoints) {
            return 0;
          }

          @CustomAdjoint("nothingOfThatName")
          static double orphan(double x, double seed, double[] adjoints) {
            return x;
          }
        }
        """;
    JavaFileObject file = JavaFileObjects.forSourceString("p.BadCustom", source);
    Compilation c = compileRaw(file);
    assertThat(c).failed();
    assertThat(c)
        .hadErrorContaining("[ADJ114] @CustomAdjoint method 'spMissingBuffer' must have the"
            + " shape of the generated adjoint: static")
        .inFile(file)
        .onLine(lineOf(source, "spMissingBuffer(double x, double seed)"));
    // The expected signature, spelled out (the text between "static" and the return type may
    // add modifiers' advice such as "(not private)").
    assertThat(c)
        .hadErrorContainingMatch("\\[ADJ114\\] .* static .*double spMissingBuffer\\(double,"
            + " double, double\\[\\]\\)")
        .inFile(file)
        .onLine(lineOf(source, "spMissingBuffer(double x, double seed)"));
    assertThat(c)
        .hadErrorContainingMatch("\\[ADJ114\\] @CustomAdjoint method"
            + " 'weightedWithoutArrayBuffer' must have the shape of the generated adjoint: static"
            + " .*double weightedWithoutArrayBuffer\\(double\\[\\], double, int, double,"
            + " double\\[\\], double\\[\\]\\)")
        .inFile(file)
        .onLine(lineOf(source, "weightedWithoutArrayBuffer(double[] v"));
    assertThat(c)
        .hadErrorContaining("[ADJ113] @CustomAdjoint names 'nothingOfThatName', but this class"
            + " has no @Differentiable method of that name")
        .inFile(file)
        .onLine(lineOf(source, "orphan(double x"));
  }
}
