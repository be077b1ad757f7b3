package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.adjoint.processor.arrays.ArrayFixture.assertVector;
import static dev.adjoint.processor.arrays.ArrayFixture.check;
import static dev.adjoint.processor.arrays.ArrayFixture.point;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.ArrayOracle.Result;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls between {@code @Differentiable} methods that pass arrays: parameter and local arrays passed
 * to a helper, the same array for two parameters, a helper called in a loop; and array arguments
 * the processor must either differentiate or reject with a clean diagnostic (a matrix row, a
 * conditional between two arrays).
 *
 * <p>Sources are compiled, and checked against the oracle, through {@link ArrayFixture}.
 */
class ArrayCallTest {

  // ---------------------------------------------------------------------------------------------
  // Sources
  // ---------------------------------------------------------------------------------------------

  /** Calls between @Differentiable methods that pass arrays. */
  static final String ARR_CALLS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class ArrCalls {
        @Differentiable
        public static double scaledSquareSum(double[] a, double c) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * a[i];
          }
          return c * s;
        }

        @Differentiable
        public static double dot(double[] a, double[] b) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
          }
          return s;
        }

        @Differentiable
        public static double twoArrays(double[] x, double[] y, double c) {
          double p = scaledSquareSum(x, c);
          double q = scaledSquareSum(y, x[0]);
          return p * q + scaledSquareSum(x, q);
        }

        @Differentiable
        public static double localArrayToHelper(double[] x, double c) {
          double[] t = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            t[i] = Math.sin(x[i]) * c;
          }
          return scaledSquareSum(t, c);
        }

        @Differentiable
        public static double sameArrayTwice(double[] x) {
          double d = dot(x, x);
          return d + dot(x, x) * x[0];
        }

        @Differentiable
        public static double callInLoop(double[] x, double c, int n) {
          double s = 0;
          for (int k = 0; k < n; k++) {
            s += scaledSquareSum(x, c + k) * s + 1;
          }
          return s;
        }
      }
      """;

  // ---------------------------------------------------------------------------------------------
  // Calls with arrays
  // ---------------------------------------------------------------------------------------------

  @Test
  void helperCalledDirectly() {
    double[] a = {0.5, -1.25, 2.0};
    Result r = check("ArrCalls", "scaledSquareSum", a, 1.5);
    assertVector(r, "dA", r.vector("dA"), new double[] {1.5, -3.75, 6.0}, 1e-15);
    assertThat(r.d("dC")).isWithin(1e-15).of(0.25 + 1.5625 + 4.0);
  }

  @Test
  void helperCalledWithParameterArrays() {
    check("ArrCalls", "twoArrays", new double[] {0.8, -0.3, 1.1}, new double[] {0.4, 0.9}, 0.7);
    check("ArrCalls", "twoArrays", new double[] {-1.4}, new double[] {}, 2.0);
  }

  @Test
  void helperCalledWithALocalArray() {
    check("ArrCalls", "localArrayToHelper", point(4, 1.0), 1.7);
  }

  @Test
  void sameArrayPassedForTwoParameters() {
    double[] x = {0.6, -1.1, 0.35};
    Result r = check("ArrCalls", "sameArrayTwice", (Object) x);
    // f = |x|^2 (1 + x0): df/dxi = 2 xi (1 + x0) + [i == 0] |x|^2
    double n2 = 0.6 * 0.6 + 1.1 * 1.1 + 0.35 * 0.35;
    double[] expected = new double[3];
    for (int i = 0; i < 3; i++) {
      expected[i] = 2 * x[i] * (1 + x[0]) + (i == 0 ? n2 : 0);
    }
    assertVector(r, "dX", r.vector("dX"), expected, 1e-13);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4})
  void helperCalledInALoop(int n) {
    check("ArrCalls", "callInLoop", new double[] {0.3, -0.2}, 0.25, n);
  }

  /**
   * BUG: passing a row {@code w[r]} of a double[][] to a @Differentiable double[] parameter
   * crashes the processor (ADJ002, a ClassCastException from Expr.ArrayRead to Expr.Local in
   * ReverseTransform.seededCall). Either a working gradient or a proper diagnostic on the call
   * line is acceptable; an internal error is not.
   */
  @ParameterizedTest
  @ValueSource(strings = {"w[r]", "m[1]"})
  void matrixRowPassedToAHelper(String argument) {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class ArrRow {
          @Differentiable
          public static double h(double[] a, double c) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              s += a[i] * a[i];
            }
            return c * s;
          }

          @Differentiable
          public static double m(double[][] w, double c) {
            double[][] m = new double[2][w[0].length];
            for (int j = 0; j < w[0].length; j++) {
              m[1][j] = w[0][j] * c;
            }
            double s = 0;
            for (int r = 0; r < w.length; r++) {
              s += h(ARG, c + r);
            }
            return s;
          }
        }
        """
            .replace("ARG", argument);
    assertGradientOrCleanDiagnostic(source, "p.ArrRow", 24, "m",
        new double[][] {{0.5, -0.3}, {1.2, 0.4}, {0.7, 0.1}}, 0.8);
  }

  /**
   * BUG (diagnostic): a conditional choosing between two arrays is typed {@code int} (BodyReader
   * promotes the branch types numerically), so a call gets ADJ209 "cannot resolve method h with
   * arguments (int, double)" and an index gets ADJ211 "expected an array but the expression has
   * type int; add an explicit cast". Either a working gradient or a diagnostic that does not
   * invent an int is acceptable.
   */
  @ParameterizedTest
  @ValueSource(strings = {"h(c > 0 ? x : y, c)", "(c > 0 ? x : y)[0] * c"})
  void conditionalBetweenArrays(String expression) {
    String source =
        """
        package p;

        import dev.adjoint.Differentiable;

        public class ArrCond {
          @Differentiable
          public static double h(double[] a, double c) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              s += a[i] * a[i];
            }
            return c * s;
          }

          @Differentiable
          public static double m(double[] x, double[] y, double c) {
            return EXPR;
          }
        }
        """
            .replace("EXPR", expression);
    assertGradientOrCleanDiagnostic(source, "p.ArrCond", 17, "m",
        new double[] {0.5, -0.3}, new double[] {1.5}, 0.7);
  }

  /**
   * Compiles {@code source}: if it compiles, checks {@code method} at {@code args} against the
   * oracle; if not, requires one Adjoint error on {@code line} that is neither an internal error
   * nor a complaint about a type {@code int} the source never wrote.
   */
  private static void assertGradientOrCleanDiagnostic(String source, String name, int line,
      String method, Object... args) {
    Compilation c =
        Compiler.javac()
            .withProcessors(new AdjointProcessor())
            .compile(JavaFileObjects.forSourceString(name, source));
    List<Diagnostic<? extends JavaFileObject>> errors = c.errors();
    for (Diagnostic<? extends JavaFileObject> d : errors) {
      String message = d.getMessage(Locale.ROOT);
      assertWithMessage("diagnostic at line %s", d.getLineNumber())
          .that(message)
          .doesNotContain("ADJ002");
      assertWithMessage("diagnostic at line %s", d.getLineNumber())
          .that(message)
          .doesNotContain("type int");
      assertWithMessage("diagnostic at line %s", d.getLineNumber())
          .that(message)
          .doesNotContain("(int, double)");
    }
    if (c.status() == Compilation.Status.SUCCESS) {
      InProcessCompiler compiled = InProcessCompiler.compile(source);
      ArrayOracle.on(compiled.load(name + "Diff")).check(method, args);
    } else {
      assertWithMessage("errors: %s", errors).that(errors).hasSize(1);
      assertThat(errors.get(0).getMessage(Locale.ROOT)).containsMatch("\\[ADJ2\\d\\d\\]");
      assertThat(errors.get(0).getLineNumber()).isEqualTo((long) line);
    }
  }
}
