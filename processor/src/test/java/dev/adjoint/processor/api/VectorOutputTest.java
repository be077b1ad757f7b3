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
import static dev.adjoint.processor.api.GradientApiSupport.d;
import static dev.adjoint.processor.api.GradientApiSupport.diff;
import static dev.adjoint.processor.api.GradientApiSupport.invoke;
import static dev.adjoint.processor.api.GradientApiSupport.lineOf;
import static dev.adjoint.processor.api.GradientApiSupport.matrix;
import static dev.adjoint.processor.api.GradientApiSupport.oracle;
import static dev.adjoint.processor.api.GradientApiSupport.plain;
import static dev.adjoint.processor.api.GradientApiSupport.plainMethod;
import static dev.adjoint.processor.api.GradientApiSupport.vector;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.testing.Oracle.Estimate;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Vector outputs ({@code double[]} results): {@code mJacobian} against closed forms and the
 * oracle column by column, {@code mAdjoint} with an array seed, pullbacks of an output overwritten
 * in place, seed and buffer length errors, and ADJ219 for an array result that is not a local
 * returned once at the end.
 *
 * <p>Every number is checked against a closed form or against the finite-difference oracle of
 * {@link GradientApiSupport}; diagnostics through compile-testing's {@code CompilationSubject}:
 * id, distinctive text and line.
 */
class VectorOutputTest {

  /** Vector outputs. */
  static final String VEC =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Vec {
        @Differentiable
        public static double[] polar(double r, double theta) {
          double[] out = new double[2];
          out[0] = r * Math.cos(theta);
          out[1] = r * Math.sin(theta);
          return out;
        }

        @Differentiable
        public static double[] softmax(double[] z) {
          int n = z.length;
          double max = z[0];
          for (int i = 1; i < n; i++) {
            max = Math.max(max, z[i]);
          }
          double[] p = new double[n];
          double sum = 0;
          for (int i = 0; i < n; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
          }
          for (int i = 0; i < n; i++) {
            p[i] = p[i] / sum;
          }
          return p;
        }

        @Differentiable
        public static double[] mixed(double[] x, double c, double[][] w) {
          double[] out = new double[w.length];
          for (int k = 0; k < w.length; k++) {
            double s = c;
            for (int j = 0; j < x.length; j++) {
              s += w[k][j] * x[j];
            }
            out[k] = Math.tanh(s) + c * c * x[k % x.length] * w[k][0];
          }
          return out;
        }

        @Differentiable
        public static double[] recurrence(double x, double[] a) {
          double[] out = new double[a.length];
          out[0] = x * a[0];
          for (int i = 1; i < a.length; i++) {
            out[i] = Math.sin(out[i - 1]) * x + a[i];
            out[i - 1] = out[i - 1] * out[i];
          }
          return out;
        }
      }
      """;

  @Test
  void polarJacobianIsExact() {
    Class<?> d = diff(VEC, "Vec");
    assertWithMessage("no polarGrad for a double[] result")
        .that(Arrays.stream(d.getMethods()).map(Method::getName).toList())
        .doesNotContain("polarGrad");
    double r = 2.0;
    double th = 0.6;
    double[][] j = (double[][]) call(d, "polarJacobian", r, th);
    assertThat(j).hasLength(2);
    assertThat(j[0]).usingExactEquality()
        .containsExactly(Math.cos(th), -(r * Math.sin(th))).inOrder();
    assertThat(j[1]).usingExactEquality()
        .containsExactly(Math.sin(th), r * Math.cos(th)).inOrder();

    // mAdjoint returns the output and adds seed^T J into the buffer.
    double[] seed = {0.5, -3.0};
    double[] adjoints = {1.0, 2.0};
    double[] out = (double[]) call(d, "polarAdjoint", r, th, seed, adjoints);
    double[] plainOut = (double[]) call(plain(VEC, "Vec"), "polar", r, th);
    assertThat(out).usingExactEquality().containsExactly(plainOut[0], plainOut[1]).inOrder();
    assertRel("adjoints[0]", adjoints[0], 1.0 + 0.5 * j[0][0] - 3.0 * j[1][0], 1e-15);
    assertRel("adjoints[1]", adjoints[1], 2.0 + 0.5 * j[0][1] - 3.0 * j[1][1], 1e-15);
    assertThat(seed).usingExactEquality().containsExactly(0.5, -3.0).inOrder();

    Object vjp = call(d, "polarVjp", r, th);
    Object p = callOn(vjp, "pullback", (Object) seed);
    assertThat(vector(p, "value")).usingExactEquality()
        .containsExactly(plainOut[0], plainOut[1]).inOrder();
    assertRel("pullback dR", d(p, "dR"), 0.5 * j[0][0] - 3.0 * j[1][0], 1e-15);
    assertRel("pullback dTheta", d(p, "dTheta"), 0.5 * j[0][1] - 3.0 * j[1][1], 1e-15);
    // value() hands out a copy: writing it does not change the recording.
    ((double[]) callOn(vjp, "value"))[0] = 1e300;
    assertThat((double[]) callOn(vjp, "value")).usingExactEquality()
        .containsExactly(plainOut[0], plainOut[1]).inOrder();
  }

  @Test
  void softmaxJacobianIsDiagPMinusPPTransposed() {
    Class<?> d = diff(VEC, "Vec");
    double[] z = {0.3, -1.2, 2.0, 0.5};
    double[] p = (double[]) call(plain(VEC, "Vec"), "softmax", (Object) z);
    double[][] j = (double[][]) call(d, "softmaxJacobian", (Object) z);
    assertThat(j).hasLength(4);
    for (int a = 0; a < 4; a++) {
      assertThat(j[a]).hasLength(4);
      double rowSum = 0;
      for (int b = 0; b < 4; b++) {
        double expected = (a == b ? p[a] : 0) - p[a] * p[b];
        assertWithMessage("J[%s][%s]", a, b).that(j[a][b]).isWithin(1e-15).of(expected);
        rowSum += j[a][b];
      }
      assertWithMessage("row %s sums to 0 (softmax is shift invariant)", a).that(rowSum)
          .isWithin(1e-15).of(0.0);
    }
    // The recording keeps a copy of z: changing z afterwards changes nothing.
    Object vjp = call(d, "softmaxVjp", (Object) z);
    double[] seed = {1.0, 0.0, 0.0, 0.0};
    Object before = callOn(vjp, "pullback", (Object) seed);
    double[] zCopy = z.clone();
    Arrays.fill(z, 100.0);
    Object after = callOn(vjp, "pullback", (Object) seed);
    assertThat(vector(after, "dZ")).usingExactEquality()
        .containsExactlyElementsIn(Arrays.stream(vector(before, "dZ")).boxed().toList())
        .inOrder();
    assertThat(vector(before, "dZ")).usingExactEquality()
        .containsExactlyElementsIn(Arrays.stream(j[0]).boxed().toList()).inOrder();
    assertThat(seed).usingExactEquality().containsExactly(1.0, 0.0, 0.0, 0.0).inOrder();
    System.arraycopy(zCopy, 0, z, 0, z.length);
  }

  @Test
  void mixedInputsJacobianAgainstFiniteDifferencesColumnByColumn() {
    Class<?> d = diff(VEC, "Vec");
    Method plain = plainMethod(plain(VEC, "Vec"), "mixed");
    double[] x = {0.4, -0.7};
    double c = 0.3;
    double[][] w = {{0.5, -0.2}, {0.1, 0.9}, {-0.6, 0.3}};
    Object[] args = {x, c, w};
    double[][] j = (double[][]) call(d, "mixedJacobian", x, c, w);
    // Rows: the 3 outputs; columns: x0, x1, c, w00, w01, w10, w11, w20, w21.
    assertThat(j).hasLength(3);
    for (int k = 0; k < 3; k++) {
      assertWithMessage("row %s", k).that(j[k]).hasLength(9);
      Estimate[] o = oracle(plain, args, k, 0, 1, 2);
      assertMatchesOracle("J row " + k, j[k], o);
    }
    // Spot checks of the layout with closed forms: out[k] = tanh(s_k) + c^2 x[k % 2] w[k][0].
    double s2 = c + w[2][0] * x[0] + w[2][1] * x[1];
    double sech2 = 1 - Math.tanh(s2) * Math.tanh(s2);
    assertRel("d out2 / d c", j[2][2], sech2 + 2 * c * x[0] * w[2][0], 1e-14);
    assertRel("d out2 / d w21", j[2][8], sech2 * x[1], 1e-14);
    assertRel("d out2 / d w20", j[2][7], sech2 * x[0] + c * c * x[0], 1e-14);
    assertThat(j[2][3]).isEqualTo(0.0); // w00 does not reach out2
    assertThat(j[0][5]).isEqualTo(0.0); // w10 does not reach out0

    // Row k of the Jacobian is the pullback of e_k; a general seed gives seed^T J.
    Object vjp = call(d, "mixedVjp", x, c, w);
    double[] seed = {0.7, -1.1, 2.5};
    Object sp = callOn(vjp, "pullback", (Object) seed);
    double[] flat = new double[9];
    double[] dx = vector(sp, "dX");
    double[][] dw = matrix(sp, "dW");
    flat[0] = dx[0];
    flat[1] = dx[1];
    flat[2] = d(sp, "dC");
    for (int r = 0; r < 3; r++) {
      flat[3 + 2 * r] = dw[r][0];
      flat[4 + 2 * r] = dw[r][1];
    }
    for (int col = 0; col < 9; col++) {
      double expected = 0;
      for (int k = 0; k < 3; k++) {
        expected += seed[k] * j[k][col];
      }
      assertWithMessage("(seed^T J)[%s]", col).that(flat[col]).isWithin(1e-14).of(expected);
    }
    for (int k = 0; k < 3; k++) {
      double[] e = new double[3];
      e[k] = 1.0;
      Object row = callOn(vjp, "pullback", (Object) e);
      double[] rx = vector(row, "dX");
      double[][] rw = matrix(row, "dW");
      double[] got = {rx[0], rx[1], d(row, "dC"), rw[0][0], rw[0][1], rw[1][0], rw[1][1],
          rw[2][0], rw[2][1]};
      for (int col = 0; col < 9; col++) {
        assertBits("pullback(e_" + k + ")[" + col + "] vs mJacobian", got[col], j[k][col]);
      }
    }
    // mAdjoint with buffers for each differentiated input; null buffers are allowed.
    double[] adjoints = {0.0};
    double[] xAdjoint = new double[2];
    double[] out = (double[]) call(d, "mixedAdjoint", x, c, w, seed, adjoints, xAdjoint, null);
    assertThat(out).usingExactEquality().containsExactlyElementsIn(
        Arrays.stream((double[]) invoke(plain, null, args)).boxed().toList()).inOrder();
    assertRel("mixedAdjoint dC", adjoints[0], flat[2], 1e-14);
    assertRel("mixedAdjoint dX0", xAdjoint[0], flat[0], 1e-14);
    assertRel("mixedAdjoint dX1", xAdjoint[1], flat[1], 1e-14);
  }

  @Test
  void pullbacksOfAnOutputOverwrittenInPlaceAreIndependent() {
    // recurrence writes its output elements twice, so each pullback must restore them from its
    // own copy of the recording.
    Class<?> d = diff(VEC, "Vec");
    Method plain = plainMethod(plain(VEC, "Vec"), "recurrence");
    double x = 0.9;
    double[] a = {0.3, -0.2, 0.5, 0.1};
    Object[] args = {x, a};
    double[][] j = (double[][]) call(d, "recurrenceJacobian", x, a);
    assertThat(j).hasLength(4);
    for (int k = 0; k < 4; k++) {
      assertMatchesOracle("recurrence J row " + k, j[k], oracle(plain, args, k, 0, 1));
    }
    Object vjp = call(d, "recurrenceVjp", x, a);
    assertThat((double[]) callOn(vjp, "value")).usingExactEquality().containsExactlyElementsIn(
        Arrays.stream((double[]) invoke(plain, null, args)).boxed().toList()).inOrder();
    double[] seed = {1.0, -2.0, 0.5, 3.0};
    Object first = callOn(vjp, "pullback", (Object) seed);
    for (int k = 3; k >= 0; k--) {
      double[] e = new double[4];
      e[k] = 1.0;
      callOn(vjp, "pullback", (Object) e);
    }
    Object again = callOn(vjp, "pullback", (Object) seed);
    assertBits("dX again", d(again, "dX"), d(first, "dX"));
    assertThat(vector(again, "dA")).usingExactEquality().containsExactlyElementsIn(
        Arrays.stream(vector(first, "dA")).boxed().toList()).inOrder();
    for (int col = 0; col < 5; col++) {
      double expected = 0;
      for (int k = 0; k < 4; k++) {
        expected += seed[k] * j[k][col];
      }
      double actual = col == 0 ? d(first, "dX") : vector(first, "dA")[col - 1];
      assertWithMessage("(seed^T J)[%s]", col).that(actual).isWithin(1e-14).of(expected);
    }
    assertThat(a).usingExactEquality().containsExactly(0.3, -0.2, 0.5, 0.1).inOrder();
  }

  @Test
  void wrongSeedLengthNamesBothLengths() {
    Class<?> d = diff(VEC, "Vec");
    Object vjp = call(d, "polarVjp", 2.0, 0.6);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> callOn(vjp, "pullback", (Object) new double[3]));
    assertThat(e).hasMessageThat().contains("length 3");
    assertThat(e).hasMessageThat().contains("length 2");
    e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "polarAdjoint", 2.0, 0.6, new double[1], new double[2]));
    assertThat(e).hasMessageThat().contains("length 1");
    assertThat(e).hasMessageThat().contains("length 2");
    e = assertThrows(IllegalArgumentException.class,
        () -> callOn(call(d, "softmaxVjp", (Object) new double[] {1, 2, 3, 4, 5}), "pullback",
            (Object) new double[4]));
    assertThat(e).hasMessageThat().contains("length 4");
    assertThat(e).hasMessageThat().contains("length 5");
    // Wrong-length array buffers for mAdjoint.
    e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "mixedAdjoint", new double[] {1, 2}, 0.5, new double[][] {{1, 2}},
            new double[1], new double[1], new double[3], null));
    assertThat(e).hasMessageThat().contains("xAdjoint has length 3");
    assertThat(e).hasMessageThat().contains("length 2");
    e = assertThrows(IllegalArgumentException.class,
        () -> call(d, "mixedAdjoint", new double[] {1, 2}, 0.5, new double[][] {{1, 2}},
            new double[1], new double[1], null, new double[][] {{1, 2}, {3, 4}}));
    assertThat(e).hasMessageThat().contains("wAdjoint");
  }

  @Test
  void arrayResultMustBeALocalReturnedOnceAtTheEnd() {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class ArrayForm {
          @Differentiable
          public static double[] returnsParameter(double[] x) {
            return x;
          }

          @Differentiable
          public static double[] returnsEarly(double[] x) {
            double[] out = new double[1];
            if (x[0] > 0) {
              return out;
            }
            out[0] = x[0];
            return out;
          }
        }
        """;
    JavaFileObject file = JavaFileObjects.forSourceString("p.ArrayForm", source);
    Compilation c = compileRaw(file);
    assertThat(c).failed();
    String text = "[ADJ219] a double[]-valued @Differentiable method must end with"
        + " 'return <local array>;'";
    assertThat(c).hadErrorContaining(text).inFile(file).onLine(lineOf(source, "return x;"));
    assertThat(c).hadErrorCount(2);
    // The early return: reported inside returnsEarly (javac points at one of its returns).
    int from = lineOf(source, "returnsEarly(double[] x)");
    int to = from + 7;
    List<Long> lines = c.errors().stream()
        .filter(e -> e.getMessage(Locale.ROOT).contains("[ADJ219]"))
        .map(Diagnostic::getLineNumber).toList();
    assertWithMessage("ADJ219 lines %s; returnsEarly spans %s..%s", lines, from, to)
        .that(lines.stream().anyMatch(l -> l > from && l <= to)).isTrue();
  }
}
