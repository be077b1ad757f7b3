package dev.adjoint.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.ArrayOracle.Result;
import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import dev.adjoint.processor.testing.Oracle.Estimate;
import dev.adjoint.runtime.Tape;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numeric tests of void helpers: {@code @Differentiable void} methods that write their array
 * parameters (ADJ102 accepts them), called as statements from scalar methods on local arrays.
 *
 * <p>The scalar callers are checked with {@link ArrayOracle} (gradients against the
 * finite-difference oracle element by element, the value bit for bit against the plain call, the
 * caller's arrays untouched). A helper gets no {@code mGrad}, only {@code mAdjoint(params...,
 * [adjoints], one buffer per array parameter)} without a seed: on entry the buffer of each array
 * holds the adjoint of the array's final state, on exit the adjoint of its initial state, the
 * scalar partials are added into {@code adjoints}, and the arrays end in the state the plain call
 * leaves them in. Those calls are checked here against the oracle of {@code sum_k <seed_k, final
 * state of array k>} as a function of the initial arrays and scalars.
 *
 * <p>Every oracle point is chosen away from ties and branch boundaries.
 */
class VoidHelperTest {

  static final String HELPERS =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Helpers {
        @Differentiable
        public static void square(double[] a, double c) {
          for (int i = 0; i < a.length; i++) {
            a[i] = c * a[i] * a[i];
          }
        }

        /** square twice on a local copy of its input. */
        @Differentiable
        public static double squareTwice(double[] x, double c) {
          double[] w = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            w[i] = x[i];
          }
          square(w, c);
          square(w, c);
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            s += w[i] * (i + 1);
          }
          return s;
        }

        /** The local array is read between the calls and after them. */
        @Differentiable
        public static double squareReadBetween(double[] x, double c) {
          double[] w = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            w[i] = x[i];
          }
          square(w, c);
          double mid = 0;
          for (int i = 0; i < w.length; i++) {
            mid += Math.sin(w[i]);
          }
          square(w, mid);
          return mid * w[0] + w[w.length - 1];
        }

        /** Writes both of its arrays, each from the other's old values. */
        @Differentiable
        public static void mix(double[] a, double[] b, double c) {
          for (int i = 0; i < a.length; i++) {
            double t = a[i];
            a[i] = t * b[i] + c;
            b[i] = Math.sin(t) * b[i];
          }
        }

        @Differentiable
        public static double mixTwice(double[] x, double[] y, double c) {
          double[] u = new double[x.length];
          double[] v = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            u[i] = x[i];
            v[i] = y[i];
          }
          mix(u, v, c);
          mix(v, u, c * c);
          double s = 0;
          for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i] + u[i];
          }
          return s;
        }

        /** Early returns: before anything, from inside a loop, and a normal end. */
        @Differentiable
        public static void scaleSome(double[] a, double c, int n) {
          if (n <= 0) {
            return;
          }
          for (int i = 0; i < n && i < a.length; i++) {
            a[i] = a[i] * c;
            if (a[i] > 10) {
              return;
            }
          }
          a[0] = a[0] + c * c;
        }

        @Differentiable
        public static double scaleSomeCaller(double[] x, double c, int n) {
          double[] w = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            w[i] = x[i];
          }
          scaleSome(w, c, n);
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            s += w[i] * w[i];
          }
          scaleSome(w, s, n - 1);
          return w[0] + s;
        }

        @Differentiable
        public static void relax(double[] a, double c) {
          for (int i = 0; i < a.length; i++) {
            a[i] = 0.5 * a[i] + c * Math.sin(a[i]);
          }
        }

        /** A helper called in a loop, with the array read after every call. */
        @Differentiable
        public static double relaxLoop(double[] x, double c, int steps) {
          double[] w = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            w[i] = x[i];
          }
          double s = 0;
          for (int k = 0; k < steps; k++) {
            relax(w, c);
            s += w[0] * w[w.length - 1];
          }
          return s + w[0];
        }

        /** square in a loop, with a scalar that changes from one call to the next. */
        @Differentiable
        public static double squareLoop(double[] x, double c, int steps) {
          double[] w = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            w[i] = x[i];
          }
          double k = c;
          for (int j = 0; j < steps; j++) {
            square(w, k);
            k = k * 0.5 + w[0];
          }
          return w[0] - w[w.length - 1] * k;
        }

        /** A helper calling helpers on its own parameters (it may: it is void). */
        @Differentiable
        public static void squareThenMix(double[] a, double[] b, double c) {
          square(a, c);
          mix(a, b, c);
          b[0] = b[0] * a[0];
        }

        @Differentiable
        public static double nestedCaller(double[] x, double[] y, double c) {
          double[] u = new double[x.length];
          double[] v = new double[y.length];
          for (int i = 0; i < x.length; i++) {
            u[i] = x[i];
            v[i] = y[i];
          }
          squareThenMix(u, v, c);
          return u[0] * v[1] + v[0];
        }

        /** An in-place recurrence: each element reads the one written before it. */
        @Differentiable
        public static void prefixProduct(double[] a, double c) {
          for (int i = 1; i < a.length; i++) {
            a[i] = a[i - 1] * a[i] + c;
            a[i] = Math.tanh(a[i]);
          }
        }

        /** Calls in branches and a loop with its index, writes between them, a constant array. */
        @Differentiable
        public static double branchesAndLoops(double[] x, double c, int n) {
          double[] w = new double[x.length];
          double[] k = {0.5, -1.5, 2.0};
          for (int i = 0; i < x.length; i++) {
            w[i] = x[i];
          }
          if (c > 0) {
            prefixProduct(w, c);
          } else {
            relax(w, c);
          }
          for (int i = 0; i < w.length; i++) {
            w[i] = w[i] * 0.75 + x[i];
          }
          for (int j = 0; j < n; j++) {
            scaleSome(w, c, j);
            prefixProduct(k, w[0]);
          }
          prefixProduct(w, c * c);
          return w[w.length - 1] * k[2] + k[1];
        }
      }
      """;

  static final String HELPERS_MORE =
      """
      package p;

      import dev.adjoint.Differentiable;

      /** Helpers on double[][] and float[] arrays. */
      public class HelpersMore {
        @Differentiable
        public static void scaleRows(double[][] m, double[] r, double c) {
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
              m[i][j] = m[i][j] * r[i] + c * Math.cos(m[i][j]);
            }
            r[i] = r[i] * c;
          }
        }
        @Differentiable
        public static double matrixCaller(double[][] a, double[] r0, double c) {
          double[][] m = new double[a.length][a[0].length];
          double[] r = new double[r0.length];
          for (int i = 0; i < a.length; i++) {
            r[i] = r0[i];
            for (int j = 0; j < a[0].length; j++) {
              m[i][j] = a[i][j];
            }
          }
          scaleRows(m, r, c);
          scaleRows(m, r, c);
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
              s += m[i][j] * r[i];
            }
          }
          return s;
        }
        @Differentiable
        public static void scaleF(float[] a, float c) {
          for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * c + 0.25f;
          }
        }
        @Differentiable
        public static float floatCaller(float[] x, float c) {
          float[] w = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            w[i] = x[i];
          }
          scaleF(w, c);
          scaleF(w, c * c);
          float s = 0;
          for (int i = 0; i < w.length; i++) {
            s += w[i] * w[i];
          }
          return s;
        }
      }
      """;

  private static Object compiled;
  private static Object compiledMore;

  @BeforeAll
  static void compileAll() {
    try {
      compiled = InProcessCompiler.compile(HELPERS);
    } catch (Throwable t) {
      compiled = t;
    }
    try {
      compiledMore = InProcessCompiler.compile(HELPERS_MORE);
    } catch (Throwable t) {
      compiledMore = t;
    }
  }

  private static InProcessCompiler compilation() {
    if (compiled instanceof InProcessCompiler c) {
      return c;
    }
    throw new AssertionError("Compilation of p.Helpers failed", (Throwable) compiled);
  }

  private static ArrayOracle more() {
    if (compiledMore instanceof InProcessCompiler c) {
      return ArrayOracle.on(c.load("p.HelpersMoreDiff"));
    }
    throw new AssertionError("Compilation of p.HelpersMore failed", (Throwable) compiledMore);
  }

  private static Class<?> diffClass() {
    return compilation().load("p.HelpersDiff");
  }

  private static Class<?> original() {
    return compilation().load("p.Helpers");
  }

  private static Result check(String method, Object... args) {
    return ArrayOracle.on(diffClass()).check(method, args);
  }

  /** The last parameter of the mAdjoint overload that records on a caller-owned tape. */
  private static boolean takesTape(Method m) {
    Class<?>[] types = m.getParameterTypes();
    return types.length > 0 && types[types.length - 1] == Tape.class;
  }

  /** The one method of that name (for an mAdjoint: the overload without a Tape parameter). */
  private static Method unique(Class<?> owner, String name) {
    return unique(owner, name, false);
  }

  private static Method unique(Class<?> owner, String name, boolean withTape) {
    Method found = null;
    for (Method m : owner.getDeclaredMethods()) {
      if (m.getName().equals(name) && takesTape(m) == withTape) {
        assertWithMessage("%s has one method named %s", owner.getName(), name)
            .that(found).isNull();
        found = m;
      }
    }
    assertWithMessage("%s.%s exists", owner.getName(), name).that(found).isNotNull();
    return found;
  }

  private static Object invoke(Method m, Object... args) {
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError(m.getName() + " threw", e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  /** A point without ties or symmetric coordinates: 0.3 + 0.17 i with alternating signs. */
  private static double[] point(int n, double scale) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = scale * (0.3 + 0.17 * i) * (i % 2 == 0 ? 1 : -1);
    }
    return a;
  }

  private static Object[] deepCopy(Object[] args) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = ArrayOracle.deepCopy(args[i]);
    }
    return out;
  }

  private static void assertBitIdentical(String what, double[] actual, double[] expected) {
    assertWithMessage("%s length", what).that(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertWithMessage("%s[%s]: %s vs %s", what, i, actual[i], expected[i])
          .that(Double.doubleToRawLongBits(actual[i]))
          .isEqualTo(Double.doubleToRawLongBits(expected[i]));
    }
  }

  private static void assertClose(String what, double actual, double expected, double tol) {
    assertWithMessage("%s", what)
        .that(actual)
        .isWithin(tol * Math.max(1.0, Math.abs(expected)))
        .of(expected);
  }

  // ---------------------------------------------------------------------------------------------
  // The oracle of a helper's adjoint
  // ---------------------------------------------------------------------------------------------

  /** One scalar of a helper's arguments: element {@code index} of array {@code arg}, or scalar. */
  private record Coordinate(int arg, int index) {
    double get(Object[] args) {
      return index < 0 ? (Double) args[arg] : ((double[]) args[arg])[index];
    }

    void set(Object[] args, double v) {
      if (index < 0) {
        args[arg] = v;
      } else {
        ((double[]) args[arg])[index] = v;
      }
    }

    String describe() {
      return "arg" + arg + (index < 0 ? "" : "[" + index + "]");
    }
  }

  /**
   * Calls {@code helperAdjoint(args, adjoints, buffers...)} directly and checks it against the
   * plain helper and the oracle. {@code seeds[k]} is the adjoint of the final state of the k-th
   * array argument (the buffer's value on entry); {@code adjointsOnEntry} what {@code adjoints}
   * holds before the call (partials are added to it). Arguments are {@code double[]}, {@code
   * double} or {@code int}.
   */
  private static void checkDirectAdjoint(String helper, Object[] args, double[][] seeds,
      double[] adjointsOnEntry) {
    Method plain = unique(original(), helper);
    Method adjoint = unique(diffClass(), helper + "Adjoint");
    Class<?>[] types = plain.getParameterTypes();
    List<Integer> arrays = new ArrayList<>();
    List<Integer> scalars = new ArrayList<>();
    List<Coordinate> coordinates = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      if (types[i] == double[].class) {
        arrays.add(i);
        for (int j = 0; j < ((double[]) args[i]).length; j++) {
          coordinates.add(new Coordinate(i, j));
        }
      } else if (types[i] == double.class) {
        scalars.add(i);
        coordinates.add(new Coordinate(i, -1));
      }
    }
    assertThat(seeds.length).isEqualTo(arrays.size());

    // The plain call, on copies: what the arrays must end as.
    Object[] plainArgs = deepCopy(args);
    invoke(plain, plainArgs);

    // The adjoint call.
    Object[] adjointArgs = deepCopy(args);
    List<Object> full = new ArrayList<>(Arrays.asList(adjointArgs));
    double[] adjoints = adjointsOnEntry.clone();
    if (!scalars.isEmpty()) {
      full.add(adjoints);
    }
    double[][] buffers = new double[seeds.length][];
    for (int k = 0; k < seeds.length; k++) {
      buffers[k] = seeds[k].clone();
      full.add(buffers[k]);
    }
    Object returned = invoke(adjoint, full.toArray());
    assertThat(returned).isNull();
    for (int i : arrays) {
      assertBitIdentical(helper + ": argument " + i + " after " + helper + "Adjoint",
          (double[]) adjointArgs[i], (double[]) plainArgs[i]);
    }

    // The oracle: d/d(initial coordinate) of sum_k <seed_k, final state of array k>.
    ToDoubleFunction<double[]> f =
        v -> {
          Object[] perturbed = deepCopy(args);
          for (int k = 0; k < v.length; k++) {
            coordinates.get(k).set(perturbed, v[k]);
          }
          invoke(plain, perturbed);
          double s = 0;
          for (int k = 0; k < arrays.size(); k++) {
            double[] out = (double[]) perturbed[arrays.get(k)];
            for (int j = 0; j < out.length; j++) {
              s += seeds[k][j] * out[j];
            }
          }
          return s;
        };
    double[] x = new double[coordinates.size()];
    for (int k = 0; k < x.length; k++) {
      x[k] = coordinates.get(k).get(args);
    }
    Estimate[] oracle = Oracle.gradient(f, x);
    List<String> failures = new ArrayList<>();
    for (int k = 0; k < x.length; k++) {
      Coordinate c = coordinates.get(k);
      double actual;
      if (c.index() < 0) {
        int slot = scalars.indexOf(c.arg());
        actual = adjoints[slot] - adjointsOnEntry[slot];
      } else {
        actual = buffers[arrays.indexOf(c.arg())][c.index()];
      }
      double expected = oracle[k].value();
      double scale = Math.max(1.0, Math.abs(expected));
      double tol = Math.max(GradientAssert.DOUBLE_REL_TOL * scale, 20 * oracle[k].error());
      if (!(oracle[k].error() <= 50 * GradientAssert.DOUBLE_REL_TOL * scale)) {
        failures.add(String.format(Locale.ROOT, "%s: oracle unreliable (%s); generated %s",
            c.describe(), oracle[k], actual));
      } else if (!(Math.abs(actual - expected) <= tol)) {
        failures.add(String.format(Locale.ROOT, "%s: expected %s (oracle %s) but was %s",
            c.describe(), expected, oracle[k], actual));
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(helper + "Adjoint" + Arrays.deepToString(args) + ":\n"
          + String.join("\n", failures));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // What is generated for a helper
  // ---------------------------------------------------------------------------------------------

  @Test
  void helperGetsOnlyAnAdjointWithoutSeed() {
    Class<?> diff = diffClass();
    Method adjoint = unique(diff, "squareAdjoint");
    assertThat(Modifier.isPublic(adjoint.getModifiers())).isTrue();
    assertThat(Modifier.isStatic(adjoint.getModifiers())).isTrue();
    assertThat(adjoint.getReturnType()).isEqualTo(void.class);
    assertThat(adjoint.getParameterTypes())
        .asList()
        .containsExactly(double[].class, double.class, double[].class, double[].class)
        .inOrder();
    assertThat(unique(diff, "mixAdjoint").getParameterTypes())
        .asList()
        .containsExactly(double[].class, double[].class, double.class, double[].class,
            double[].class, double[].class)
        .inOrder();
    assertThat(unique(diff, "scaleSomeAdjoint").getParameterTypes())
        .asList()
        .containsExactly(double[].class, double.class, int.class, double[].class,
            double[].class)
        .inOrder();
    assertThat(unique(diff, "squareAdjoint", true).getParameterTypes())
        .asList()
        .containsExactly(double[].class, double.class, double[].class, double[].class,
            Tape.class)
        .inOrder();
    for (Method m : diff.getDeclaredMethods()) {
      assertWithMessage("generated method %s", m.getName())
          .that(m.getName())
          .isNoneOf("squareGrad", "squareVjp", "squareJacobian", "mixGrad", "scaleSomeGrad");
    }
    assertThat(compilation().compilation().diagnostics().stream()
            .map(d -> d.getMessage(Locale.ROOT)).filter(s -> s.contains("[ADJ")).toList())
        .isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Scalar callers against the oracle
  // ---------------------------------------------------------------------------------------------

  @Test
  void squareCalledTwiceOnALocalCopy() {
    double[] x = {0.7, -0.45, 1.1};
    double c = 0.8;
    Result r = check("squareTwice", x, c);
    // Closed form: w_i = c^3 x_i^4, f = sum (i + 1) c^3 x_i^4.
    double value = 0;
    double dc = 0;
    double[] dx = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double x4 = Math.pow(x[i], 4);
      value += (i + 1) * c * c * c * x4;
      dc += (i + 1) * 3 * c * c * x4;
      dx[i] = (i + 1) * 4 * c * c * c * Math.pow(x[i], 3);
    }
    assertClose("value", r.value(), value, 1e-14);
    assertClose("dC", r.d("dC"), dc, 1e-13);
    double[] got = r.vector("dX");
    for (int i = 0; i < x.length; i++) {
      assertClose("dX[" + i + "]", got[i], dx[i], 1e-13);
    }
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {1, 2, 5})
  void squareCalledTwiceAtOtherPoints(int n) {
    check("squareTwice", point(n, 1.3), -1.2);
    check("squareReadBetween", point(n, 0.9), 0.6);
  }

  @Test
  void squareCalledTwiceOnEmptyArrays() {
    Result r = check("squareTwice", new double[0], 0.5);
    assertThat(r.d("dC")).isEqualTo(0.0);
  }

  @Test
  void helperWritingTwoArrays() {
    check("mixTwice", new double[] {0.4, -0.9, 1.3}, new double[] {-0.6, 0.75, 0.2}, 0.7);
    check("mixTwice", point(4, 1.1), point(4, -0.8), -0.35);
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {-1, 0, 1, 2, 3, 5})
  void helperWithEarlyReturns(int n) {
    check("scaleSomeCaller", new double[] {0.6, -0.8, 1.4}, 1.3, n);
  }

  @Test
  void helperReturningFromInsideItsLoop() {
    // 4.0 * 3.0 > 10: scaleSome returns from its loop at i = 0 on the first call.
    check("scaleSomeCaller", new double[] {4.0, -0.8, 1.4}, 3.0, 3);
    // ... and at i = 1 on the second call (s = 6.77: a[0] becomes 7.8, a[1] 15.6).
    check("scaleSomeCaller", new double[] {0.05, 2.2, 0.3}, 1.05, 3);
  }

  @ParameterizedTest(name = "steps = {0}")
  @ValueSource(ints = {0, 1, 2, 5})
  void helperCalledInALoop(int steps) {
    check("relaxLoop", new double[] {0.5, -0.3, 0.9}, 0.7, steps);
    check("squareLoop", new double[] {0.45, -0.35, 0.6}, 0.9, steps);
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {0, 1, 3})
  void helperCallsInBranchesLoopsAndOnAConstantArray(int n) {
    check("branchesAndLoops", new double[] {0.4, -0.7, 0.9}, 0.6, n);
    check("branchesAndLoops", new double[] {0.4, -0.7, 0.9}, -0.6, n);
  }

  @Test
  void inPlaceRecurrenceInAHelper() {
    checkDirectAdjoint("prefixProduct", new Object[] {point(5, 1.1), 0.3},
        new double[][] {{0.2, -0.7, 1.1, 0.4, -1.3}}, new double[] {0.0});
  }

  @Test
  void helperCallingHelpersOnItsParameters() {
    check("nestedCaller", new double[] {0.7, -0.4}, new double[] {0.3, 0.95}, 1.2);
  }

  @Test
  void helperWritingAMatrixAndAVector() {
    more().check("matrixCaller", new double[][] {{0.4, -0.8, 1.1}, {0.25, 0.6, -0.35}},
        new double[] {0.9, -0.55}, 0.7);
  }

  @Test
  void helperWritingAFloatArray() {
    more().check("floatCaller", new float[] {0.4f, -0.8f, 1.1f}, 0.7f);
  }

  @Test
  void pullbacksOfACallerRepeatAndMatchItsGradient() throws Exception {
    double[] x = {0.7, -0.45, 1.1};
    Result g = ArrayOracle.on(diffClass()).grad("squareTwice", x, 0.8);
    Object vjp = diffClass().getMethod("squareTwiceVjp", double[].class, double.class)
        .invoke(null, x, 0.8);
    Method pullback = vjp.getClass().getMethod("pullback", double.class);
    for (double seed : new double[] {1.0, 1.0, -2.0}) {
      Object record = pullback.invoke(vjp, seed);
      double[] dx = (double[]) record.getClass().getMethod("dX").invoke(record);
      double dc = (Double) record.getClass().getMethod("dC").invoke(record);
      double[] expected = g.vector("dX");
      for (int i = 0; i < x.length; i++) {
        assertClose("dX[" + i + "] for seed " + seed, dx[i], seed * expected[i], 1e-15);
      }
      assertClose("dC for seed " + seed, dc, seed * g.d("dC"), 1e-15);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The helper's adjoint called directly
  // ---------------------------------------------------------------------------------------------

  @Test
  void squareAdjointCalledDirectly() {
    double[] a0 = {0.7, -1.3, 0.45};
    double c = 1.6;
    double[] seed = {0.9, -0.4, 1.7};
    Method adjoint = unique(diffClass(), "squareAdjoint");
    Method square = unique(original(), "square");

    double[] a = a0.clone();
    double[] adjoints = {10.0};
    double[] aAdjoint = seed.clone();
    invoke(adjoint, a, c, adjoints, aAdjoint);

    double[] plain = a0.clone();
    invoke(square, plain, c);
    // The array ends exactly as the plain call leaves it.
    assertBitIdentical("a", a, plain);
    // aAdjoint: the adjoint of the initial state, d(final_i)/d(a_i) = 2 c a_i.
    for (int i = 0; i < a0.length; i++) {
      assertClose("aAdjoint[" + i + "]", aAdjoint[i], seed[i] * 2 * c * a0[i], 1e-15);
    }
    // adjoints: the partial with respect to c, added to what was there.
    double dc = 0;
    for (int i = 0; i < a0.length; i++) {
      dc += seed[i] * a0[i] * a0[i];
    }
    assertClose("adjoints[0]", adjoints[0], 10.0 + dc, 1e-15);

    checkDirectAdjoint("square", new Object[] {a0, c}, new double[][] {seed},
        new double[] {10.0});
  }

  @Test
  void squareAdjointCalledTwiceChainsLikeTwoCalls() {
    // Running the adjoint of the second call, then of the first (from the intermediate state),
    // gives the adjoint of square(square(a)).
    double[] a0 = {0.35, -0.8};
    double c = 0.9;
    double[] seed = {1.5, -0.25};
    Method adjoint = unique(diffClass(), "squareAdjoint");
    Method square = unique(original(), "square");
    double[] mid = a0.clone();
    invoke(square, mid, c);
    double[] adjoints = new double[1];
    double[] buffer = seed.clone();
    double[] second = mid.clone();
    invoke(adjoint, second, c, adjoints, buffer);
    double[] first = a0.clone();
    invoke(adjoint, first, c, adjoints, buffer);
    assertBitIdentical("state after the first adjoint", first, mid);
    for (int i = 0; i < a0.length; i++) {
      // final_i = c^3 a_i^4
      assertClose("buffer[" + i + "]", buffer[i],
          seed[i] * 4 * c * c * c * Math.pow(a0[i], 3), 1e-14);
    }
    double dc = 0;
    for (int i = 0; i < a0.length; i++) {
      dc += seed[i] * 3 * c * c * Math.pow(a0[i], 4);
    }
    assertClose("adjoints[0]", adjoints[0], dc, 1e-14);
  }

  @Test
  void helperAdjointOnACallerOwnedTapeMatchesAndLeavesTheTapeEmpty() {
    double[] a0 = {0.7, -1.3, 0.45};
    double c = 1.6;
    double[] seed = {0.9, -0.4, 1.7};
    double[] a = a0.clone();
    double[] adjoints = {0.0};
    double[] aAdjoint = seed.clone();
    invoke(unique(diffClass(), "squareAdjoint"), a, c, adjoints, aAdjoint);

    Method onTape = unique(diffClass(), "squareAdjoint", true);
    Tape tape = new Tape();
    tape.pushDouble(42.0); // something of the caller's, below the helper's records
    for (int round = 0; round < 3; round++) {
      double[] a2 = a0.clone();
      double[] adjoints2 = {0.0};
      double[] aAdjoint2 = seed.clone();
      invoke(onTape, a2, c, adjoints2, aAdjoint2, tape);
      assertBitIdentical("a on the tape, round " + round, a2, a);
      assertBitIdentical("aAdjoint on the tape, round " + round, aAdjoint2, aAdjoint);
      assertBitIdentical("adjoints on the tape, round " + round, adjoints2, adjoints);
      assertThat(tape.doubleSize()).isEqualTo(1);
    }
    assertThat(tape.popDouble()).isEqualTo(42.0);
  }

  @Test
  void callerAdjointOnACallerOwnedTapeMatches() {
    double[] x = {0.7, -0.45, 1.1};
    Result g = ArrayOracle.on(diffClass()).grad("scaleSomeCaller", x, 1.3, 3);
    Method onTape = unique(diffClass(), "scaleSomeCallerAdjoint", true);
    Tape tape = new Tape();
    for (int round = 0; round < 3; round++) {
      double[] adjoints = {0.0};
      double[] xAdjoint = new double[3];
      double v = (Double) invoke(onTape, x.clone(), 1.3, 3, 1.0, adjoints, xAdjoint, tape);
      assertThat(Double.doubleToRawLongBits(v)).isEqualTo(Double.doubleToRawLongBits(g.value()));
      assertBitIdentical("xAdjoint, round " + round, xAdjoint, g.vector("dX"));
      assertThat(adjoints[0]).isEqualTo(g.d("dC"));
      assertThat(tape.doubleSize()).isEqualTo(0);
    }
  }

  @Test
  void squareAdjointWithoutABufferStillLeavesTheFinalState() {
    double[] a0 = {0.7, -1.3, 0.45};
    double[] a = a0.clone();
    double[] adjoints = {2.5};
    invoke(unique(diffClass(), "squareAdjoint"), a, 1.6, adjoints, null);
    double[] plain = a0.clone();
    invoke(unique(original(), "square"), plain, 1.6);
    assertBitIdentical("a", a, plain);
    // No seed for the array: nothing flows to c.
    assertThat(adjoints[0]).isEqualTo(2.5);
  }

  @Test
  void mixAdjointCalledDirectly() {
    checkDirectAdjoint("mix",
        new Object[] {new double[] {0.4, -0.9, 1.3}, new double[] {-0.6, 0.75, 0.2}, 0.7},
        new double[][] {{1.0, -0.5, 0.25}, {0.3, 2.0, -1.1}}, new double[] {-3.0});
    // A seed on one array only.
    checkDirectAdjoint("mix",
        new Object[] {new double[] {0.4, -0.9}, new double[] {-0.6, 0.75}, 0.7},
        new double[][] {{0, 0}, {0.3, 2.0}}, new double[] {0.0});
  }

  @ParameterizedTest(name = "n = {0}")
  @ValueSource(ints = {-1, 0, 1, 2, 3, 5})
  void scaleSomeAdjointCalledDirectly(int n) {
    checkDirectAdjoint("scaleSome", new Object[] {new double[] {0.6, -0.8, 1.4}, 1.3, n},
        new double[][] {{0.5, 1.5, -2.0}}, new double[] {1.0});
    // Returns from inside its loop (4 * 3 > 10) at i = 0.
    checkDirectAdjoint("scaleSome", new Object[] {new double[] {4.0, -0.8, 1.4}, 3.0, n},
        new double[][] {{0.5, 1.5, -2.0}}, new double[] {0.0});
  }

  @Test
  void nestedHelperAdjointCalledDirectly() {
    checkDirectAdjoint("squareThenMix",
        new Object[] {new double[] {0.7, -0.4}, new double[] {0.3, 0.95}, 1.2},
        new double[][] {{0.8, -1.2}, {0.45, 1.6}}, new double[] {0.5});
  }

  @Test
  void relaxAdjointCalledDirectly() {
    checkDirectAdjoint("relax", new Object[] {point(4, 1.2), -0.65},
        new double[][] {{1.0, 0.5, -0.25, 2.0}}, new double[] {0.0});
  }
}
