package dev.adjoint.processor.api;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.adjoint.processor.api.GradientApiSupport.assertMatchesOracle;
import static dev.adjoint.processor.api.GradientApiSupport.call;
import static dev.adjoint.processor.api.GradientApiSupport.callOn;
import static dev.adjoint.processor.api.GradientApiSupport.component;
import static dev.adjoint.processor.api.GradientApiSupport.componentNames;
import static dev.adjoint.processor.api.GradientApiSupport.diff;
import static dev.adjoint.processor.api.GradientApiSupport.oracle;
import static dev.adjoint.processor.api.GradientApiSupport.plain;
import static dev.adjoint.processor.api.GradientApiSupport.plainMethod;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.Tape;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Vector reverse mode: for a method whose {@code double[]} result has a small length fixed by
 * its code, {@code mJacobian} (with and without the caller's buffer) and {@code mVjps} run one
 * forward sweep and one reverse sweep carrying every output seed. Every shape it accepts (array
 * result, loops restoring values, branches, helpers called inside, local arrays, {@code order =
 * 2} helpers) is checked against the row-by-row Jacobian (one {@code mVjp} pullback per unit seed, the
 * scalar reverse sweep) and against Ridders' central differences of the plain method; methods it
 * does not accept keep {@code mJacobian} row by row, and the caller's buffers are checked.
 */
class VectorReverseTest {

  static final String SRC =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Vr {
        /** ADBench's reprojection error: array and scalar inputs, a branch, sqrt, cos, sin. */
        @Differentiable(wrt = {"camera", "point", "w"})
        public static double[] project(double[] camera, double[] point, double w,
            double[] feature) {
          double xo0 = point[0] - camera[3];
          double xo1 = point[1] - camera[4];
          double xo2 = point[2] - camera[5];
          double r0 = camera[0];
          double r1 = camera[1];
          double r2 = camera[2];
          double theta2 = r0 * r0 + r1 * r1 + r2 * r2;
          double xc0;
          double xc1;
          double xc2;
          if (theta2 != 0) {
            double theta = Math.sqrt(theta2);
            double cos = Math.cos(theta);
            double sin = Math.sin(theta);
            double w0 = r0 / theta;
            double w1 = r1 / theta;
            double w2 = r2 / theta;
            double along = (w0 * xo0 + w1 * xo1 + w2 * xo2) * (1 - cos);
            xc0 = xo0 * cos + (w1 * xo2 - w2 * xo1) * sin + w0 * along;
            xc1 = xo1 * cos + (w2 * xo0 - w0 * xo2) * sin + w1 * along;
            xc2 = xo2 * cos + (w0 * xo1 - w1 * xo0) * sin + w2 * along;
          } else {
            xc0 = xo0 + r1 * xo2 - r2 * xo1;
            xc1 = xo1 + r2 * xo0 - r0 * xo2;
            xc2 = xo2 + r0 * xo1 - r1 * xo0;
          }
          double p0 = xc0 / xc2;
          double p1 = xc1 / xc2;
          double rho = p0 * p0 + p1 * p1;
          double distortion = 1 + camera[9] * rho + camera[10] * rho * rho;
          double[] error = new double[2];
          error[0] = w * (camera[6] * p0 * distortion + camera[7] - feature[0]);
          error[1] = w * (camera[6] * p1 * distortion + camera[8] - feature[1]);
          return error;
        }

        /** Loops whose reverse restores values from the tape, a local array, a branch in a loop. */
        @Differentiable
        public static double[] moments(double[] x, double a) {
          double[] m = new double[3];
          double[] work = new double[x.length];
          double s = a;
          for (int i = 0; i < x.length; i++) {
            s = s * Math.sin(x[i]) + a;
            work[i] = s * x[i];
            if (work[i] > 0) {
              m[0] += work[i] * work[i];
            } else {
              m[0] -= Math.exp(work[i]);
            }
            m[1] += Math.tanh(s) * a;
          }
          double t = 0;
          int k = 0;
          while (k < x.length) {
            t = t * 0.5 + work[k] * x[k];
            k++;
          }
          m[2] = t + s;
          return m;
        }

        /** Of order 2: callers of order 1 use its first-order adjoint. */
        @Differentiable(order = 2)
        static double softplus(double v) {
          return Math.log1p(Math.exp(v));
        }

        static double cube(double v) {
          return v * v * v;
        }

        /** Calls of an annotated and of a plain helper, inside and outside a loop. */
        @Differentiable
        public static double[] withHelpers(double[] x, double b) {
          double[] out = {softplus(b * x[0]), 0.0, cube(x[1]) + b};
          for (int i = 0; i < x.length; i++) {
            out[1] += softplus(x[i] * b) * cube(x[i]);
          }
          return out;
        }

        @Differentiable
        static double norm2(double[] v) {
          double s = 0;
          for (int i = 0; i < v.length; i++) {
            s += v[i] * v[i];
          }
          return s;
        }

        /** Calls with an array argument: partials lent across the sweeps, and pushed in a loop. */
        @Differentiable
        public static double[] arrayCall(double[] x, double c) {
          double[] out = new double[2];
          double n = norm2(x);
          out[0] = c * n;
          out[1] = Math.sin(n) + x[0];
          for (int k = 0; k < 3; k++) {
            out[1] += norm2(x) * c * x[k];
          }
          return out;
        }

        /** Jumps in loops: an array result's body is lowered like any other. */
        @Differentiable
        public static double[] jumps(double x, double[] a) {
          double s = x;
          for (int i = 0; i < a.length; i++) {
            if (a[i] < 0) {
              continue;
            }
            s = s * Math.cos(a[i]) + x;
            if (s > 5) {
              break;
            }
          }
          double[] out = {s, s * a[0]};
          return out;
        }

        /** Closed form. */
        @Differentiable
        public static double[] polar(double r, double theta) {
          double[] out = new double[2];
          out[0] = r * Math.cos(theta);
          out[1] = r * Math.sin(theta);
          return out;
        }

        public record Pt(double x, double y) {}

        /** A record result: its components are the outputs. */
        @Differentiable
        public static Pt rotate(Pt p, double angle, double scale) {
          double c = Math.cos(angle) * scale;
          double s = Math.sin(angle) * scale;
          return new Pt(c * p.x() - s * p.y(), s * p.x() + c * p.y());
        }

        /** A length known only at run time: row by row. */
        @Differentiable
        public static double[] scaled(double[] x, double c) {
          double[] out = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            out[i] = c * Math.sin(x[i]);
          }
          return out;
        }

        /**
         * Elements at constant indices only (their adjoints are scalars), a parameter longer
         * than the elements read (q[1] and q[3..] get zero columns), a local array read at
         * constant indices, a partial evaluated once for all lanes.
         */
        @Differentiable
        public static double[] constantElements(double[] q, double s) {
          double[] tmp = new double[2];
          tmp[0] = q[0] * s;
          tmp[1] = Math.sin(q[2]) + s;
          double[] out = {tmp[0] * tmp[1], Math.exp(tmp[1] / q[2]), tmp[0] - q[2] * s};
          return out;
        }

        /**
         * Reads a[3] only under a branch: a may have 2 elements, so its adjoint stays an array
         * (the rows are not written past the elements the caller passed).
         */
        @Differentiable
        public static double[] branchRead(double[] a, double b) {
          double[] out = new double[2];
          out[0] = a[0] * b;
          out[1] = b > 0 ? a[1] * Math.cos(b) : a[0];
          if (b > 1) {
            out[1] += a[3] * b;
          }
          return out;
        }

        /** Constant and loop indices on one array: its adjoint stays an array. */
        @Differentiable
        public static double[] mixedIndices(double[] x, double c) {
          double[] out = new double[2];
          out[0] = x[0] * c;
          for (int i = 0; i < x.length; i++) {
            out[1] += Math.sin(x[i] * c) * x[0];
          }
          return out;
        }

        /**
         * Partials the forward sweep holds in variables (cos(x) in c, exp(y x) in e under a
         * branch), and ones it no longer holds: c reassigned, t changed by a loop.
         */
        @Differentiable
        public static double[] heldValues(double x, double y) {
          double s = Math.sin(x);
          double c = Math.cos(x);
          double e = 0;
          double[] out = new double[2];
          if (y > 0) {
            e = Math.exp(y * x);
            out[0] = s * e + c;
          } else {
            out[0] = s * y;
          }
          double t = x;
          for (int i = 0; i < 3; i++) {
            t = Math.sin(t) * y + Math.exp(y * x);
          }
          c = Math.cos(t);
          out[1] = Math.sin(x) * c + t * s + e;
          return out;
        }

        /** A call under ?: runs its adjoint in the reverse sweep: row by row. */
        @Differentiable
        public static double[] joint(double x, double y) {
          double[] out = new double[2];
          out[0] = x > 0 ? softplus(x * y) : y;
          out[1] = x * y;
          return out;
        }
      }
      """;

  private static Class<?> d() {
    return diff(SRC, "Vr");
  }

  private static Class<?> p() {
    return plain(SRC, "Vr");
  }

  /** Row by row: one pullback per unit seed, components flattened in declaration order. */
  private static double[][] rowByRow(String method, Object[] args, int outputs) {
    Object vjp = call(d(), method + "Vjp", args);
    double[][] rows = new double[outputs][];
    for (int k = 0; k < outputs; k++) {
      double[] seed = new double[outputs];
      seed[k] = 1;
      Object g = callOn(vjp, "pullback", (Object) seed);
      List<Double> flat = new ArrayList<>();
      for (String c : componentNames(g.getClass())) {
        if (c.equals("value")) {
          continue;
        }
        Object v = component(g, c);
        if (v instanceof double[] a) {
          Arrays.stream(a).forEach(flat::add);
        } else {
          flat.add((Double) v);
        }
      }
      rows[k] = flat.stream().mapToDouble(Double::doubleValue).toArray();
    }
    return rows;
  }

  /** Checks every vector entry point of {@code method} against row by row and the oracle. */
  private static void check(String method, Object[] args, int outputs, int... params) {
    double[][] expected = rowByRow(method, args, outputs);
    int columns = expected[0].length;
    double[][] j = (double[][]) call(d(), method + "Jacobian", args);
    double[][] buffer = new double[outputs][columns];
    for (double[] row : buffer) {
      Arrays.fill(row, 1e300); // overwritten, not added to
    }
    Object[] withBuffer = Arrays.copyOf(args, args.length + 2);
    withBuffer[args.length] = buffer;
    withBuffer[args.length + 1] = new Tape();
    double[] value = (double[]) call(d(), method + "Jacobian", withBuffer);
    double[] plainValue = (double[]) call(p(), method, args);
    assertThat(value).usingExactEquality()
        .containsExactlyElementsIn(Arrays.stream(plainValue).boxed().toList()).inOrder();
    Method plain = plainMethod(p(), method);
    for (int k = 0; k < outputs; k++) {
      assertWithMessage("%s row %s against row by row", method, k).that(j[k])
          .usingTolerance(1e-13 * Math.max(1, maxAbs(expected[k])))
          .containsExactly(expected[k]).inOrder();
      assertWithMessage("%s row %s, buffer form", method, k).that(buffer[k])
          .usingExactEquality().containsExactlyElementsIn(
              Arrays.stream(j[k]).boxed().toList()).inOrder();
      assertMatchesOracle(method + " row " + k, j[k], oracle(plain, args, k, params));
    }
    // Several seeds at once: row k of the products is seeds[k]^T J.
    double[][] seeds = new double[outputs][outputs];
    for (int k = 0; k < outputs; k++) {
      for (int i = 0; i < outputs; i++) {
        seeds[k][i] = Math.sin(1.3 * k + 0.7 * i + 0.2);
      }
    }
    double[][] products = new double[outputs][columns];
    Object[] withSeeds = Arrays.copyOf(args, args.length + 2);
    withSeeds[args.length] = seeds;
    withSeeds[args.length + 1] = products;
    call(d(), method + "Vjps", withSeeds);
    for (int k = 0; k < outputs; k++) {
      for (int c = 0; c < columns; c++) {
        double e = 0;
        for (int i = 0; i < outputs; i++) {
          e += seeds[k][i] * expected[i][c];
        }
        assertWithMessage("%s product %s column %s", method, k, c).that(products[k][c])
            .isWithin(1e-13 * Math.max(1, Math.abs(e))).of(e);
      }
    }
  }

  private static double maxAbs(double[] v) {
    return Arrays.stream(v).map(Math::abs).max().orElse(0);
  }

  @Test
  void reprojectionErrorBothBranches() {
    double[] camera = {0.12, -0.3, 0.21, 0.5, -0.2, -3.0, 1.4, 0.01, -0.02, 0.03, -0.004};
    double[] point = {0.3, -0.6, 2.0};
    double[] feature = {0.1, 0.2};
    check("project", new Object[] {camera, point, 0.8, feature}, 2, 0, 1, 2);
    double[] still = camera.clone();
    still[0] = 0;
    still[1] = 0;
    still[2] = 0;
    check("project", new Object[] {still, point, 0.8, feature}, 2, 0, 1, 2);
  }

  @Test
  void loopsLocalArraysAndBranches() {
    check("moments", new Object[] {new double[] {0.3, -0.8, 1.1, 0.4, -0.2}, 0.7}, 3, 0, 1);
  }

  @Test
  void helpersCalledInside() {
    check("withHelpers", new Object[] {new double[] {0.4, -0.9, 0.6}, 1.3}, 3, 0, 1);
  }

  @Test
  void callsWithArrayArguments() {
    check("arrayCall", new Object[] {new double[] {0.4, -0.9, 0.6, 0.2}, 1.3}, 2, 0, 1);
  }

  @Test
  void breakAndContinueInLoops() {
    check("jumps", new Object[] {0.7, new double[] {0.3, -0.2, 0.9, 0.4}}, 2, 0, 1);
    // Breaks out of the loop at i = 1.
    check("jumps", new Object[] {3.0, new double[] {0.3, 0.2, -0.9, 0.4}}, 2, 0, 1);
  }

  @Test
  void elementsAtConstantIndices() {
    check("constantElements", new Object[] {new double[] {0.4, -0.9, 0.6, 1.2, -0.3}, 1.3}, 3,
        0, 1);
    check("constantElements", new Object[] {new double[] {0.4, -0.9, 0.6}, -0.7}, 3, 0, 1);
  }

  @Test
  void adjointsOfElementsAtConstantIndicesAreLocals() {
    String source = GradientApiSupport.compiled(SRC).generatedSource("p.VrDiff");
    String constant = jacobianWithTape(source, "constantElements");
    // q's, tmp's and the result's adjoints: a local per element and lane, rows written from them.
    assertThat(constant).contains("double qBar2_1 = 0.0;");
    assertThat(constant).contains("double tmpBar1_0 = 0.0;");
    assertThat(constant).contains("double outBar1_1 = 1.0;");
    assertThat(constant).contains("row[at + 1] = 0.0;");
    assertThat(constant).doesNotContain("borrow");
    // Computed once for the three lanes.
    assertThat(constant).containsMatch("double shared\\d* = Math.cos\\(t\\d*\\);");
    assertThat(jacobianWithTape(source, "branchRead")).contains("tape.borrowLike(a)");
    assertThat(jacobianWithTape(source, "mixedIndices")).contains("tape.borrowLike(x)");
  }

  /** The body of {@code mJacobian(..., jacobian, tape)} in {@code source}. */
  private static String jacobianWithTape(String source, String method) {
    String start = "public static double[] " + method + "Jacobian(";
    int at = source.indexOf(start);
    while (!source.substring(at, source.indexOf(')', at)).contains("Tape tape")) {
      at = source.indexOf(start, at + 1);
    }
    int end = source.indexOf("public static", at + 1);
    return source.substring(at, end < 0 ? source.length() : end);
  }

  @Test
  void partialsHeldByTheForwardSweepAndNoLonger() {
    check("heldValues", new Object[] {0.7, 0.4}, 2, 0, 1);
    check("heldValues", new Object[] {-0.3, -0.8}, 2, 0, 1);
  }

  @Test
  void elementsReadUnderABranch() {
    check("branchRead", new Object[] {new double[] {0.4, -0.9}, 0.5}, 2, 0, 1);
    check("branchRead", new Object[] {new double[] {0.4, -0.9}, -0.5}, 2, 0, 1);
    check("branchRead", new Object[] {new double[] {0.4, -0.9, 0.3, 0.8}, 1.5}, 2, 0, 1);
  }

  @Test
  void constantAndLoopIndicesOnOneArray() {
    check("mixedIndices", new Object[] {new double[] {0.4, -0.9, 0.6}, 1.3}, 2, 0, 1);
  }

  @Test
  void polarAgainstItsClosedForm() {
    double r = 2.0;
    double th = 0.6;
    check("polar", new Object[] {r, th}, 2, 0, 1);
    double[][] j = (double[][]) call(d(), "polarJacobian", r, th);
    assertThat(j[0]).usingExactEquality()
        .containsExactly(Math.cos(th), -(r * Math.sin(th))).inOrder();
    assertThat(j[1]).usingExactEquality()
        .containsExactly(Math.sin(th), r * Math.cos(th)).inOrder();
  }

  @Test
  void recordResult() {
    Object pt = newPt(0.6, -1.1);
    double angle = 0.4;
    double scale = 1.7;
    double[][] j = (double[][]) call(d(), "rotateJacobian", pt, angle, scale);
    double[][] buffer = new double[2][4];
    // Like mAdjoint's, the form with a buffer returns the result's components.
    double[] value = (double[]) call(d(), "rotateJacobian", pt, angle, scale, buffer,
        new Tape());
    assertThat(call(p(), "rotate", pt, angle, scale).toString())
        .isEqualTo("Pt[x=" + value[0] + ", y=" + value[1] + "]");
    // Rows: x, y of the result; columns: p.x, p.y, angle, scale. Closed form.
    double c = Math.cos(angle);
    double s = Math.sin(angle);
    double[][] expected = {
        {c * scale, -s * scale, (-s * 0.6 - c * -1.1) * scale, c * 0.6 - s * -1.1},
        {s * scale, c * scale, (c * 0.6 - s * -1.1) * scale, s * 0.6 + c * -1.1}};
    for (int k = 0; k < 2; k++) {
      assertThat(j[k]).usingTolerance(1e-15).containsExactly(expected[k]).inOrder();
      assertThat(buffer[k]).usingExactEquality().containsExactlyElementsIn(
          Arrays.stream(j[k]).boxed().toList()).inOrder();
    }
  }

  private static Object newPt(double x, double y) {
    try {
      Class<?> pt = Class.forName("p.Vr$Pt", true, p().getClassLoader());
      return pt.getConstructor(double.class, double.class).newInstance(x, y);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void lengthsKnownOnlyAtRunTimeAndJointCallsStayRowByRow() {
    List<String> names = Arrays.stream(d().getMethods()).map(Method::getName).toList();
    assertThat(names).containsAtLeast("projectVjps", "momentsVjps", "withHelpersVjps",
        "polarVjps", "rotateVjps", "arrayCallVjps",
        "jumpsVjps");
    assertThat(names).containsNoneOf("scaledVjps", "jointVjps");
    double[] x = {0.3, -0.5, 0.9};
    double[][] j = (double[][]) call(d(), "scaledJacobian", x, 1.5);
    double[][] expected = rowByRow("scaled", new Object[] {x, 1.5}, 3);
    for (int k = 0; k < 3; k++) {
      assertThat(j[k]).usingExactEquality().containsExactlyElementsIn(
          Arrays.stream(expected[k]).boxed().toList()).inOrder();
      assertMatchesOracle("scaled row " + k, j[k],
          oracle(plainMethod(p(), "scaled"), new Object[] {x, 1.5}, k, 0, 1));
    }
    double[][] jj = (double[][]) call(d(), "jointJacobian", 0.4, -1.2);
    for (int k = 0; k < 2; k++) {
      assertMatchesOracle("joint row " + k, jj[k],
          oracle(plainMethod(p(), "joint"), new Object[] {0.4, -1.2}, k, 0, 1));
    }
  }

  @Test
  void buffersOfTheWrongShapeAreRefused() {
    double[] x = {0.3, -0.8};
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> call(d(), "momentsJacobian", x, 0.7, new double[2][3], new Tape()));
    assertThat(rows).hasMessageThat().contains("jacobian has 2 rows; moments has 3 outputs");
    IllegalArgumentException columns = assertThrows(IllegalArgumentException.class,
        () -> call(d(), "momentsJacobian", x, 0.7, new double[3][2], new Tape()));
    assertThat(columns).hasMessageThat().contains("every row of jacobian must have length 3");
    IllegalArgumentException seeds = assertThrows(IllegalArgumentException.class,
        () -> call(d(), "momentsVjps", x, 0.7, new double[3][2], new double[3][3]));
    assertThat(seeds).hasMessageThat().contains("every row of seeds must have length 3");
  }

  private static final String ALLOC_MODEL = """
      package p;

      import dev.adjoint.Differentiable;

      public final class Pair {
        @Differentiable
        public static double[] f(double[] x, double w) {
          double[] work = new double[x.length];
          double[] out = new double[2];
          for (int i = 0; i < x.length; i++) {
            work[i] = Math.tanh(w * x[i]);
            out[0] += work[i] * work[i];
            out[1] += work[i] * x[i];
          }
          return out;
        }
      }
      """;

  private static final String ALLOC_DRIVER = """
      package p;

      import dev.adjoint.runtime.Tape;
      import java.lang.management.ManagementFactory;

      public final class PairDriver {
        public static long allocatedBytes(int calls, boolean plain) {
          double[] x = new double[32];
          for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i);
          }
          double[][] rows = new double[2][33];
          Tape tape = new Tape();
          double sink = 0;
          for (int i = 0; i < 20_000; i++) {
            sink += plain ? Pair.f(x, 0.7)[0] : PairDiff.fJacobian(x, 0.7, rows, tape)[0];
          }
          com.sun.management.ThreadMXBean bean =
              (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
          long id = Thread.currentThread().getId();
          long before = bean.getThreadAllocatedBytes(id);
          for (int i = 0; i < calls; i++) {
            sink += plain ? Pair.f(x, 0.7)[0] : PairDiff.fJacobian(x, 0.7, rows, tape)[0];
          }
          long bytes = bean.getThreadAllocatedBytes(id) - before;
          return sink == 42 ? -1 : bytes;
        }
      }
      """;

  @Test
  void jacobianIntoABufferOnAReusedTapeAllocatesOnlyWhatTheMethodDoes() throws Exception {
    dev.adjoint.processor.testing.InProcessCompiler compiled =
        dev.adjoint.processor.testing.InProcessCompiler.compile(ALLOC_MODEL, ALLOC_DRIVER);
    Method measure =
        compiled.load("p.PairDriver").getMethod("allocatedBytes", int.class, boolean.class);
    long plain = (long) measure.invoke(null, 50_000, true);
    long jacobian = (long) measure.invoke(null, 50_000, false);
    // The plain call allocates its two arrays; one more allocation a call would add at least
    // 800 000 bytes.
    assertWithMessage("bytes allocated by 50 000 plain calls").that(plain)
        .isAtLeast(50_000L * 32 * Double.BYTES);
    assertWithMessage("bytes allocated by 50 000 Jacobians into a buffer on a reused tape, "
        + "beyond the plain calls' %s", plain).that(jacobian - plain).isLessThan(4_096L);
  }
}
