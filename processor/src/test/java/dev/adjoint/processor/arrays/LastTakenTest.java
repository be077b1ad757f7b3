package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.Test;

/**
 * Loops whose branch's reverse kills the adjoint it reads (a running maximum or minimum) keep
 * their last taken iteration in an {@code int} local instead of a decision per iteration
 * ({@code transform.LastTaken}; inside another loop, pushed once per run of the loop); branches
 * whose reverse does not kill what it reads, or whose partials are not literals, keep the
 * recording. Every method is checked
 * against the finite-difference oracle where it is differentiable, and against the gradient
 * worked out by hand at ties (where finite differences see a kink); the generated source is
 * read for the shape.
 */
class LastTakenTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Taken {
        /** log-sum-exp shifted by a running maximum, the rewrite's model. */
        @Differentiable
        public static double logSumExp(double[] v) {
          double mx = v[0];
          for (int i = 1; i < v.length; i++) {
            if (v[i] > mx) {
              mx = v[i];
            }
          }
          double s = 0;
          for (int i = 0; i < v.length; i++) {
            s += Math.exp(v[i] - mx);
          }
          return Math.log(s) + mx;
        }

        /** A running minimum from 0, scaled by a literal, then squared. */
        @Differentiable
        public static double halfMinimumSquared(double[] v) {
          double mn = 1e300;
          for (int i = 0; i < v.length; i++) {
            if (0.5 * v[i] < mn) {
              mn = 0.5 * v[i];
            }
          }
          return mn * mn;
        }

        /** The maximum and where it is: the first of equal maxima (strict comparison). */
        @Differentiable
        public static double firstArgmax(double[] v, double[] w) {
          double best = v[0];
          int at = 0;
          for (int i = 1; i < v.length; i++) {
            if (v[i] > best) {
              best = v[i];
              at = i;
            }
          }
          return best * w[at];
        }

        /** The last of equal maxima (comparison with equality). */
        @Differentiable
        public static double lastArgmax(double[] v, double[] w) {
          double best = v[0];
          int at = 0;
          for (int i = 1; i < v.length; i++) {
            if (v[i] >= best) {
              best = v[i];
              at = i;
            }
          }
          return best * w[at];
        }

        /** The branch's reverse reads sBar, which it does not kill: recorded as before. */
        @Differentiable
        public static double recordsSum(double[] v) {
          double mx = v[0];
          double s = 0;
          for (int i = 1; i < v.length; i++) {
            if (v[i] > mx) {
              mx = v[i];
              s += mx;
            }
          }
          return s * mx;
        }

        /** A partial that is not a literal (w[i]): recorded as before. */
        @Differentiable
        public static double weightedMaximum(double[] v, double[] w) {
          double mx = v[0] * w[0];
          for (int i = 1; i < v.length; i++) {
            if (v[i] * w[i] > mx) {
              mx = v[i] * w[i];
            }
          }
          return mx * mx;
        }

        /** A running maximum per row, inside a loop: its last taken iteration is pushed. */
        @Differentiable
        public static double rowMaxima(double[][] m) {
          double s = 0;
          for (int r = 0; r < m.length; r++) {
            double mx = m[r][0];
            for (int c = 1; c < m[r].length; c++) {
              if (m[r][c] > mx) {
                mx = m[r][c];
              }
            }
            s += mx * mx;
          }
          return s;
        }
      }
      """;

  private static InProcessCompiler compilation;

  private static synchronized InProcessCompiler compiled() {
    if (compilation == null) {
      compilation = InProcessCompiler.compile(SOURCE);
    }
    return compilation;
  }

  private static ArrayOracle oracle() {
    return ArrayOracle.on(compiled().load("p.TakenDiff"));
  }

  /** The body of the generated method {@code name}Adjoint taking a tape. */
  private static String adjointBody(String name) {
    return compiled().adjointBody("p.TakenDiff", "double", name);
  }

  /** {@code name}Vjp(args).pullback(seed)'s component {@code component}, twice over. */
  private static double[] pulledTwice(String name, String component, double seed,
      Object... args) throws Exception {
    Class<?> diff = compiled().load("p.TakenDiff");
    Method vjp = null;
    for (Method m : diff.getMethods()) {
      if (m.getName().equals(name + "Vjp") && m.getParameterCount() == args.length) {
        vjp = m;
      }
    }
    Object recording = vjp.invoke(null, args);
    Method pullback = recording.getClass().getMethod("pullback", double.class);
    double[] first = component(pullback.invoke(recording, seed), component);
    double[] second = component(pullback.invoke(recording, seed), component);
    assertThat(second).usingExactEquality().containsExactly(first).inOrder();
    return first;
  }

  private static double[] component(Object record, String name) throws Exception {
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      if (c.getName().equals(name)) {
        return (double[]) c.getAccessor().invoke(record);
      }
    }
    throw new AssertionError("no component " + name);
  }

  @Test
  void logSumExpMatchesTheOracle() {
    oracle().check("logSumExp", new double[] {0.3, -0.7, 1.2, 0.4, 1.1});
    oracle().check("logSumExp", new double[] {2.0, 1.0, 0.5}); // never taken
    oracle().check("logSumExp", new double[] {-1.0, 0.0, 1.0}); // always taken
    oracle().check("logSumExp", new double[] {0.25});
  }

  @Test
  void logSumExpKeepsTheLastTakenIterationInALocal() {
    String body = adjointBody("logSumExp");
    assertThat(body).doesNotContain("pushBoolean");
    assertThat(body).doesNotContain("popBoolean");
    assertThat(body).contains("iLastTaken = -1;");
    assertThat(body).contains("iLastTaken = i;");
    assertThat(body).containsMatch(
        "if \\(iLastTaken >= 1\\) \\{\\s+vBar\\[iLastTaken\\] \\+= mxBar;\\s+mxBar = 0\\.0;");
  }

  @Test
  void logSumExpPullbacksReadTheRecordedIteration() throws Exception {
    double[] v = {0.3, -0.7, 1.2, 0.4, 1.1};
    double[] pulled = pulledTwice("logSumExp", "dV", 2.0, (Object) v.clone());
    double[] expected = oracle().check("logSumExp", v).vector("dV");
    for (int i = 0; i < v.length; i++) {
      assertThat(pulled[i]).isWithin(1e-15).of(2.0 * expected[i]);
    }
  }

  @Test
  void halfMinimumSquaredMatchesTheOracle() {
    oracle().check("halfMinimumSquared", new double[] {0.3, -0.7, 1.2, -0.4});
    oracle().check("halfMinimumSquared", new double[] {-3.0, -0.7, 1.2});
    assertThat(adjointBody("halfMinimumSquared")).doesNotContain("pushBoolean");
    assertThat(adjointBody("halfMinimumSquared")).contains("if (iLastTaken >= 0)");
  }

  @Test
  void argmaxAwayFromTiesMatchesTheOracle() {
    oracle().check("firstArgmax", new double[] {0.3, 1.7, 1.2, -0.4},
        new double[] {0.5, -1.5, 2.0, 0.75});
    oracle().check("lastArgmax", new double[] {0.3, 1.7, 1.2, -0.4},
        new double[] {0.5, -1.5, 2.0, 0.75});
    assertThat(adjointBody("firstArgmax")).doesNotContain("pushBoolean");
    assertThat(adjointBody("lastArgmax")).doesNotContain("pushBoolean");
  }

  @Test
  void argmaxAtTiesSendsTheGradientToTheChosenMaximum() throws Exception {
    // v has equal maxima at 1 and 3: best * w[at] is v[at] * w[at] with at chosen by the
    // comparison, so its gradient is w[at] at v[at] and v[at] at w[at], zero elsewhere.
    double[] v = {0.3, 1.7, 1.2, 1.7};
    double[] w = {0.5, -1.5, 2.0, 0.75};
    ArrayOracle.Result first = oracle().grad("firstArgmax", v, w);
    assertThat(first.vector("dV")).usingExactEquality()
        .containsExactly(0.0, -1.5, 0.0, 0.0).inOrder();
    assertThat(first.vector("dW")).usingExactEquality()
        .containsExactly(0.0, 1.7, 0.0, 0.0).inOrder();
    ArrayOracle.Result last = oracle().grad("lastArgmax", v, w);
    assertThat(last.vector("dV")).usingExactEquality()
        .containsExactly(0.0, 0.0, 0.0, 0.75).inOrder();
    assertThat(last.vector("dW")).usingExactEquality()
        .containsExactly(0.0, 0.0, 0.0, 1.7).inOrder();
    double[] pulled = pulledTwice("lastArgmax", "dV", 1.0, v.clone(), w.clone());
    assertThat(pulled).usingExactEquality().containsExactly(0.0, 0.0, 0.0, 0.75).inOrder();
  }

  @Test
  void aBranchWhoseReverseDoesNotKillWhatItReadsKeepsItsRecording() {
    oracle().check("recordsSum", new double[] {0.3, 1.7, 1.2, 2.4, -0.5});
    assertThat(adjointBody("recordsSum")).contains("pushBoolean");
    assertThat(adjointBody("recordsSum")).doesNotContain("LastTaken");
  }

  @Test
  void aBranchWithAPartialThatIsNotALiteralKeepsItsRecording() {
    oracle().check("weightedMaximum", new double[] {0.3, 1.7, 1.2, 2.4},
        new double[] {0.5, 1.5, -2.0, 0.75});
    assertThat(adjointBody("weightedMaximum")).contains("pushBoolean");
    assertThat(adjointBody("weightedMaximum")).doesNotContain("LastTaken");
  }

  @Test
  void aRunningMaximumInsideALoopPushesItsLastTakenIterationOnce() throws Exception {
    double[][] m = {{0.3, 1.7, 1.2}, {2.4, -0.5, 0.1}, {-1.0, -0.5, 0.25}, {0.5}};
    ArrayOracle.Result r = oracle().check("rowMaxima", (Object) m);
    String body = adjointBody("rowMaxima");
    assertThat(body).doesNotContain("pushBoolean");
    assertThat(body).contains("int cLastTaken = -1;");
    assertThat(body).contains("tape.pushInt(cLastTaken);");
    assertThat(body).containsMatch(
        "int cLastTaken = tape\\.popInt\\(\\);\\s+if \\(cLastTaken >= 1\\) \\{");
    // Row maxima 1.7, 2.4, 0.25, 0.5: the gradient of their squares' sum is 2 max at each.
    Class<?> diff = compiled().load("p.TakenDiff");
    Object recording = diff.getMethod("rowMaximaVjp", double[][].class).invoke(null,
        (Object) new double[][] {{0.3, 1.7, 1.2}, {2.4, -0.5, 0.1}, {-1.0, -0.5, 0.25}, {0.5}});
    Method pullback = recording.getClass().getMethod("pullback", double.class);
    for (int pass = 0; pass < 2; pass++) {
      Object grad = pullback.invoke(recording, 1.0);
      double[][] dM = null;
      for (RecordComponent c : grad.getClass().getRecordComponents()) {
        if (c.getName().equals("dM")) {
          dM = (double[][]) c.getAccessor().invoke(grad);
        }
      }
      assertThat(dM[0]).usingExactEquality().containsExactly(0.0, 3.4, 0.0).inOrder();
      assertThat(dM[1]).usingExactEquality().containsExactly(4.8, 0.0, 0.0).inOrder();
      assertThat(dM[2]).usingExactEquality().containsExactly(0.0, 0.0, 0.5).inOrder();
      assertThat(dM[3]).usingExactEquality().containsExactly(1.0).inOrder();
    }
    assertThat(r.matrix("dM")[1][0]).isWithin(1e-7).of(4.8);
  }
}
