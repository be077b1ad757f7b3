package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Methods with 100 and 126 {@code double} parameters (the most a gradient record can hold: its
 * value and 126 partials fill the JVM's 255 parameter slots), at order 1 and 2. Their forward
 * forms need more slots than the JVM has, so they take their last doubles in one
 * {@code double[] packed} (docs/robustness.md); a caller of two parameters calls them in
 * every mode. Each mode is checked against the oracle: the gradient directly, {@code fJvp}
 * against the oracle-checked gradient dotted with the tangents, {@code fVjp}'s pullback
 * against the gradient, {@code fHvp} and columns of {@code fHessian} against Ridders
 * derivatives of the gradient.
 */
class ManyParametersTest {

  /** {@code f} of n parameters (a chain of products), and {@code g(y, z)} calling it. */
  static String source(String cls, int n, int order) {
    StringBuilder s = new StringBuilder("package p;\nimport dev.adjoint.Differentiable;\n"
        + "public class " + cls + " {\n  @Differentiable(order = " + order + ")\n"
        + "  public static double f(");
    for (int i = 0; i < n; i++) {
      s.append(i > 0 ? ", " : "").append("double x").append(i);
    }
    s.append(") {\n    double s = 0.0;\n");
    for (int i = 0; i < n; i++) {
      s.append("    s = s + Math.sin(x").append(i).append(") * x").append((i + 1) % n)
          .append(" + 0.01 * x").append(i).append(" * x").append(i).append(";\n");
    }
    s.append("    return s;\n  }\n  @Differentiable(order = ").append(order)
        .append(")\n  public static double g(double y, double z) {\n    return f(");
    for (int i = 0; i < n; i++) {
      s.append(i > 0 ? ", " : "").append(i % 2 == 0 ? "y" : "z").append(" * ")
          .append(0.5 + 0.1 * (i % 5));
    }
    s.append(") * y;\n  }\n}\n");
    return s.toString();
  }

  private static double[] point(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 0.3 + 0.7 * Math.sin(1.3 * i);
    }
    return x;
  }

  private static double[] direction(int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = Math.cos(0.7 * i);
    }
    return v;
  }

  @Test
  void hundredParametersFirstOrder() throws Exception {
    check("Many100", 100, 1);
  }

  @Test
  void hundredParametersSecondOrder() throws Exception {
    check("Many100b", 100, 2);
  }

  @Test
  void hundredTwentySixParametersFirstOrder() throws Exception {
    check("Many126", 126, 1);
  }

  @Test
  void hundredTwentySixParametersSecondOrder() throws Exception {
    check("Many126b", 126, 2);
  }

  /**
   * 127 parameters, the most javac allows a static method: the gradient's value and 127
   * partials need more than the JVM's parameter slots, so {@code FGrad} is a final class with a
   * record's accessors, {@code equals}, {@code hashCode} and {@code toString}, whose constructor
   * takes the last partials in one array.
   */
  @Test
  void hundredTwentySevenParametersFirstOrder() throws Exception {
    check("Many127", 127, 1);
  }

  @Test
  void hundredTwentySevenParametersSecondOrder() throws Exception {
    check("Many127b", 127, 2);
  }

  /** A helper without the annotation, of 70 parameters: its generated forms are packed too. */
  @Test
  void helperOfSeventyParameters() throws Exception {
    StringBuilder src = new StringBuilder("package p;\nimport dev.adjoint.Differentiable;\n"
        + "public class ManyHelper {\n  private static double h(");
    for (int i = 0; i < 70; i++) {
      src.append(i > 0 ? ", " : "").append("double x").append(i);
    }
    src.append(") {\n    double s = 0.0;\n");
    for (int i = 0; i < 70; i++) {
      src.append("    s = s + Math.sin(x").append(i).append(") * x").append((i + 1) % 70)
          .append(";\n");
    }
    src.append("    return s;\n  }\n  @Differentiable(order = 2)\n"
        + "  public static double g(double y, double z) {\n    return h(");
    for (int i = 0; i < 70; i++) {
      src.append(i > 0 ? ", " : "").append(i % 2 == 0 ? "y" : "z").append(" * ")
          .append(0.5 + 0.1 * (i % 5));
    }
    src.append(") * y;\n  }\n}\n");
    Class<?> diff = InProcessCompiler.compile(src.toString()).load("p.ManyHelperDiff");
    GradientAssert.Gradient gg = GradientAssert.check(diff, "g", 0.4, -0.3);
    Object gJvp = unique(diff, "gJvp").invoke(null, 0.4, -0.3, 0.8, 0.6);
    double expected = gg.d(0) * 0.8 + gg.d(1) * 0.6;
    assertThat(component(gJvp, "tangent")).isWithin(1e-9 * Math.max(1, Math.abs(expected)))
        .of(expected);
    double[] hv = (double[]) unique(diff, "gHvp").invoke(null, 0.4, -0.3, 1.0, 0.0);
    for (int k = 0; k < 2; k++) {
      int col = k;
      Oracle.Estimate e = Oracle.derivative(s -> {
        try {
          Object r = unique(diff, "gGrad").invoke(null, 0.4 + s, -0.3);
          return (double) r.getClass().getRecordComponents()[col + 1].getAccessor().invoke(r);
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }, 0.0);
      assertWithMessage("gHvp[%s]", k).that(hv[k])
          .isWithin(1e-7 * Math.max(1, Math.abs(e.value())) + 20 * e.error()).of(e.value());
    }
  }

  private static void check(String cls, int n, int order) throws Exception {
    Class<?> diff = InProcessCompiler.compile(source(cls, n, order)).load("p." + cls + "Diff");
    double[] x = point(n);
    Object[] boxed = Arrays.stream(x).boxed().toArray();
    double value;
    double[] grad;
    if (n <= 126) {
      GradientAssert.Gradient g = GradientAssert.check(diff, "f", boxed);
      value = g.value();
      grad = g.partials();
    } else {
      // Not a record: read through its accessors, against the oracle directly.
      Class<?> plain = diff.getClassLoader().loadClass("p." + cls);
      Method f = unique(plain, "f");
      Object gradient = call(unique(diff, "fGrad"), x);
      assertThat(gradient.getClass().isRecord()).isFalse();
      assertThat(gradient).isEqualTo(call(unique(diff, "fGrad"), x));
      assertThat(gradient.hashCode()).isEqualTo(call(unique(diff, "fGrad"), x).hashCode());
      assertThat(gradient.toString()).startsWith("FGrad[value=" + f.invoke(null, boxed)
          + ", dX0=");
      value = component(gradient, "value");
      assertThat(value).isEqualTo((double) f.invoke(null, boxed));
      grad = partials(gradient, n);
      for (int i = 0; i < n; i++) {
        Oracle.Estimate e = Oracle.partial(y -> {
          try {
            return (double) f.invoke(null, Arrays.stream(y).boxed().toArray());
          } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
          }
        }, x, i);
        assertWithMessage("dX%s", i).that(grad[i])
            .isWithin(GradientAssert.DOUBLE_REL_TOL * Math.max(1, Math.abs(e.value()))
                + 20 * e.error()).of(e.value());
      }
    }
    GradientAssert.Gradient gg = GradientAssert.check(diff, "g", 0.4, -0.3);

    // The forward forms do not fit the JVM's parameter slots: their last doubles are packed.
    Method jvp = unique(diff, "fJvp");
    assertThat(jvp.getParameterTypes()[jvp.getParameterCount() - 1]).isEqualTo(double[].class);

    // Forward mode: value bit-identical, tangent = gradient . t.
    double[] t = direction(n);
    Object jvpResult = call(jvp, concat(x, t));
    double expected = 0.0;
    for (int i = 0; i < n; i++) {
      expected += grad[i] * t[i];
    }
    assertThat(component(jvpResult, "value")).isEqualTo(value);
    assertThat(component(jvpResult, "tangent")).isWithin(1e-9 * Math.max(1, Math.abs(expected)))
        .of(expected);
    Object gJvp = unique(diff, "gJvp").invoke(null, 0.4, -0.3, 0.8, 0.6);
    double gExpected = gg.d(0) * 0.8 + gg.d(1) * 0.6;
    assertThat(component(gJvp, "tangent")).isWithin(1e-9 * Math.max(1, Math.abs(gExpected)))
        .of(gExpected);

    // Reverse mode through the pullback.
    Object vjp = call(unique(diff, "fVjp"), x);
    Object pulled = vjp.getClass().getMethod("pullback", double.class).invoke(vjp, 2.0);
    double[] pulledPartials = partials(pulled, n);
    for (int i = 0; i < n; i++) {
      assertThat(pulledPartials[i]).isWithin(1e-12).of(2.0 * grad[i]);
    }
    if (order < 2) {
      return;
    }

    // Hessian-vector product against Ridders derivatives of the gradient along v.
    double[] v = direction(n);
    double[] hv = (double[]) call(unique(diff, "fHvp"), concat(x, v));
    for (int k = 0; k < n; k += 7) {
      int component = k;
      Oracle.Estimate e = Oracle.derivative(s -> gradientAt(diff, shifted(x, v, s))[component],
          0.0);
      assertWithMessage("fHvp[%s]", k).that(hv[k]).isWithin(1e-7 + 20 * e.error())
          .of(e.value());
    }
    // Hessian columns: each against Ridders along the unit direction.
    double[][] h = (double[][]) call(unique(diff, "fHessian"), x);
    assertThat(h.length).isEqualTo(n);
    for (int j : new int[] {0, n / 2, n - 1}) {
      double[] unit = new double[n];
      unit[j] = 1.0;
      for (int k = 0; k < n; k++) {
        int component = k;
        Oracle.Estimate e = Oracle.derivative(
            s -> gradientAt(diff, shifted(x, unit, s))[component], 0.0);
        assertWithMessage("fHessian[%s][%s]", j, k).that(h[j][k])
            .isWithin(1e-7 + 20 * e.error()).of(e.value());
      }
    }
    // The caller's Hessian goes through f's packed second-order forms.
    double[][] gh = (double[][]) unique(diff, "gHessian").invoke(null, 0.4, -0.3);
    for (int j = 0; j < 2; j++) {
      for (int k = 0; k < 2; k++) {
        int row = j;
        int col = k;
        Oracle.Estimate e = Oracle.derivative(s -> {
          try {
            Object r = unique(diff, "gGrad").invoke(null, 0.4 + (row == 0 ? s : 0),
                -0.3 + (row == 1 ? s : 0));
            return (double) r.getClass().getRecordComponents()[col + 1].getAccessor().invoke(r);
          } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
          }
        }, 0.0);
        assertWithMessage("gHessian[%s][%s]", j, k).that(gh[j][k])
            .isWithin(1e-7 * Math.max(1, Math.abs(e.value())) + 20 * e.error()).of(e.value());
      }
    }
  }

  private static double[] shifted(double[] x, double[] v, double s) {
    double[] y = x.clone();
    for (int i = 0; i < y.length; i++) {
      y[i] += s * v[i];
    }
    return y;
  }

  private static double[] gradientAt(Class<?> diff, double[] x) {
    try {
      return partials(call(unique(diff, "fGrad"), x), x.length);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The partials {@code dX0} to {@code dX(n-1)} of a gradient, by their accessors. */
  private static double[] partials(Object gradient, int n) throws ReflectiveOperationException {
    double[] g = new double[n];
    for (int i = 0; i < n; i++) {
      g[i] = component(gradient, "dX" + i);
    }
    return g;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static Method unique(Class<?> diff, String name) {
    List<Method> found = new ArrayList<>();
    for (Method m : diff.getMethods()) {
      // mVjp's overload that records again into a recording is left out.
      boolean reRecording = m.getParameterCount() > 0 && m.getParameterTypes()[
          m.getParameterCount() - 1].getSimpleName().endsWith("Vjp");
      if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) && !reRecording) {
        found.add(m);
      }
    }
    assertWithMessage("methods named %s", name).that(found).hasSize(1);
    return found.get(0);
  }

  /** Calls a generated method with these doubles in order, the packed ones in its array. */
  private static Object call(Method m, double[] values) throws ReflectiveOperationException {
    Class<?>[] types = m.getParameterTypes();
    Object[] args = new Object[types.length];
    int at = 0;
    for (int i = 0; i < types.length; i++) {
      if (types[i] == double.class) {
        args[i] = values[at++];
      } else {
        assertThat(types[i]).isEqualTo(double[].class);
        assertThat(i).isEqualTo(types.length - 1);
        args[i] = Arrays.copyOfRange(values, at, values.length);
        at = values.length;
      }
    }
    assertThat(at).isEqualTo(values.length);
    return m.invoke(null, args);
  }

  private static double component(Object record, String name) throws ReflectiveOperationException {
    return (double) record.getClass().getMethod(name).invoke(record);
  }
}
