package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.runtime.Tape;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code @Differentiable(checkpoint = true)} and {@code checkpointEvery = k}: each method of
 * {@code p.Loops} has a twin in {@code p.Recorded} with the same body and no checkpointing. The
 * checkpointed gradient must be the twin's exactly (the same operations in the same order), and
 * the oracle's (Ridders); {@code mAdjoint} on a reused tape and {@code mVjp}'s pullbacks too; and
 * the tape must hold far less.
 */
class CheckpointTest {
  private static final String METHODS = """
        public static double pendulum(double theta0, double omega0, double time, int n) {
          double dt = time / n;
          double theta = theta0;
          double omega = omega0;
          for (int i = 0; i < n; i++) {
            theta += dt * omega;
            omega -= dt * 9.81 / 1.5 * Math.sin(theta);
          }
          return theta * omega + Math.cos(theta);
        }
        %2$s
        public static double fixedStride(double x, double y, int n) {
          double s = x;
          double t = y;
          for (int i = 0; i < n; i++) {
            double u = s * t;
            s = Math.sin(u) + 0.5 * s;
            t = t * 0.9 + Math.exp(-u);
          }
          return s + t;
        }
        %1$s
        public static double arrays(double[] u0, double k, int steps) {
          int m = u0.length;
          double[] u = new double[m];
          double[] next = new double[m];
          for (int j = 0; j < m; j++) {
            u[j] = u0[j];
          }
          for (int s = 0; s < steps; s++) {
            for (int j = 1; j < m - 1; j++) {
              next[j] = u[j] + k * (u[j - 1] - 2 * u[j] + u[j + 1]) + 0.1 * Math.sin(u[j]);
            }
            for (int j = 1; j < m - 1; j++) {
              u[j] = next[j];
            }
          }
          double sum = 0;
          for (int j = 0; j < m; j++) {
            sum += u[j] * u[j];
          }
          return sum;
        }
        %1$s
        public static double nested(double x, double a, int n) {
          double s = x;
          double acc = 0;
          for (int i = n; i > 0; i--) {
            double v = s;
            int k = 0;
            while (v > 0.3 && k < 4) {
              v = v * a;
              k++;
            }
            if (v > 0.5) {
              s = s * 0.95 + Math.tanh(v);
            } else {
              s = s - 0.1 * v * v;
            }
            for (int j = 0; j <= 2; j++) {
              acc += Math.log(1 + s * s) * (j + 1);
            }
          }
          return acc + s;
        }
        %1$s
        public static double afterwards(double x, int n) {
          double y = x * x;
          double z = 0;
          for (int i = 1; i <= n; i++) {
            z = z + y * Math.sin(z + i);
            y = 0.99 * y;
          }
          y = y + z;
          return y * z;
        }
        %1$s
        public static double calls(double x, double[] w, int n) {
          double s = x;
          for (int i = 0; i < n; i++) {
            s = step(s, w[i %% w.length]) + 0.1 * dot(w, s);
          }
          return s;
        }
        @Differentiable
        public static double step(double s, double w) {
          return Math.sin(s * w) + 0.9 * s;
        }
        @Differentiable
        public static double dot(double[] w, double s) {
          double t = 0;
          for (int j = 0; j < w.length; j++) {
            t += w[j] * Math.cos(s + j);
          }
          return t;
        }
        @Differentiable
        public static double viaHelper(double[] u0, double k, int steps) {
          double[] u = new double[u0.length];
          for (int j = 0; j < u0.length; j++) {
            u[j] = u0[j];
          }
          evolve(u, k, steps);
          double sum = 0;
          for (int j = 0; j < u.length; j++) {
            sum += u[j] * u[j] * (j + 1);
          }
          return sum;
        }
        %1$s
        public static void evolve(double[] u, double k, int steps) {
          for (int s = 0; s < steps; s++) {
            for (int j = 1; j < u.length; j++) {
              u[j] = u[j] + k * Math.sin(u[j - 1] - u[j]);
            }
          }
        }
        %1$s
        public static double floatsAndLongCounter(float x, double y, long n) {
          float f = x;
          double d = y;
          for (long i = 0; i < n; i++) {
            f = f * 0.99f + (float) Math.sin(d);
            d = d + 0.01 * f;
          }
          {
            int k = 0;
            while (k < 3) {
              d = d * 1.01;
              k++;
            }
          }
          return f * d;
        }
        """;

  private static Class<?> checkpointed;
  private static Class<?> recorded;

  @BeforeAll
  static void compile() {
    InProcessCompiler c = InProcessCompiler.compile(
        source("Loops", "@Differentiable(checkpoint = true)",
            "@Differentiable(checkpointEvery = 3)"),
        source("Recorded", "@Differentiable", "@Differentiable"));
    checkpointed = c.load("p.LoopsDiff");
    recorded = c.load("p.RecordedDiff");
  }

  private static String source(String name, String annotation, String fixed) {
    return "package p;\nimport dev.adjoint.Differentiable;\npublic class " + name + " {\n"
        + annotation + "\n" + METHODS.formatted(annotation, fixed) + "}\n";
  }

  /** The oracle's check of the checkpointed gradient, and the twin's gradient, bit for bit. */
  private static void check(String method, Object... args) throws Exception {
    ArrayOracle.Result r = ArrayOracle.on(checkpointed).check(method, args);
    Object twin = grad(recorded, method, args);
    Object mine = grad(checkpointed, method, args);
    assertThat(r.value()).isEqualTo(grad(checkpointed, method, args).getClass()
        .getMethod("value").invoke(mine));
    for (RecordComponent c : mine.getClass().getRecordComponents()) {
      Object a = c.getAccessor().invoke(mine);
      Object b = twin.getClass().getMethod(c.getName()).invoke(twin);
      String what = method + Arrays.deepToString(args) + " " + c.getName();
      if (a instanceof double[] v) {
        assertThat(v).usingExactEquality().containsExactly((double[]) b).inOrder();
      } else {
        assertWithMessage(what).that(a).isEqualTo(b);
      }
    }
  }

  private static Object grad(Class<?> diff, String method, Object... args) throws Exception {
    for (Method m : diff.getMethods()) {
      if (m.getName().equals(method + "Grad") && m.getParameterCount() == args.length) {
        return m.invoke(null, (Object[]) ArrayOracle.deepCopy(args));
      }
    }
    throw new AssertionError("no " + method + "Grad in " + diff);
  }

  @Test
  void pendulumForLoopCountsNotAMultipleOfTheStride() throws Exception {
    for (int n : new int[] {1, 2, 3, 10, 17, 1000}) {
      check("pendulum", 0.8, 0.1, 2.0, n);
    }
  }

  @Test
  void fixedStrideOfThreeWithRemainders() throws Exception {
    for (int n : new int[] {0, 1, 3, 4, 8, 9, 50}) {
      check("fixedStride", 0.4, 0.7, n);
    }
  }

  @Test
  void arraysWrittenInTheLoopAreSnapshotted() throws Exception {
    for (int steps : new int[] {1, 5, 37}) {
      check("arrays", new double[] {0.1, 0.5, 0.9, 0.3, 0.7, 0.2}, 0.2, steps);
    }
  }

  @Test
  void nestedLoopsBranchesAndADescendingCounter() throws Exception {
    for (int n : new int[] {1, 6, 29}) {
      check("nested", 0.9, 0.8, n);
    }
  }

  @Test
  void valuesTheCodeAfterTheLoopReadsAndAnInclusiveBound() throws Exception {
    for (int n : new int[] {0, 5, 40}) {
      check("afterwards", 0.6, n);
    }
  }

  @Test
  void callsOfDifferentiableMethodsInTheLoop() throws Exception {
    for (int n : new int[] {1, 7, 30}) {
      check("calls", 0.3, new double[] {0.5, -0.2, 0.8}, n);
    }
    Object vjp = Arrays.stream(checkpointed.getMethods())
        .filter(m -> m.getName().equals("callsVjp") && m.getParameterCount() == 3)
        .findFirst().orElseThrow()
        .invoke(null, 0.3, new double[] {0.5, -0.2, 0.8}, 30);
    Method pullback = Arrays.stream(vjp.getClass().getMethods())
        .filter(m -> m.getName().equals("pullback")).findFirst().orElseThrow();
    Object twin = grad(recorded, "calls", 0.3, new double[] {0.5, -0.2, 0.8}, 30);
    for (int k = 0; k < 2; k++) {
      Object g = pullback.invoke(vjp, 1.0);
      assertThat((double) g.getClass().getMethod("dX").invoke(g))
          .isEqualTo(twin.getClass().getMethod("dX").invoke(twin));
      assertThat((double[]) g.getClass().getMethod("dW").invoke(g)).usingExactEquality()
          .containsExactly((double[]) twin.getClass().getMethod("dW").invoke(twin)).inOrder();
    }
  }

  @Test
  void aVoidHelperWritingItsArrayParameter() throws Exception {
    for (int steps : new int[] {1, 4, 23}) {
      check("viaHelper", new double[] {0.3, -0.4, 0.9, 0.1}, 0.3, steps);
    }
  }

  @Test
  void floatsALongCounterAndAWhileLoopInABlock() throws Exception {
    for (long n : new long[] {0, 1, 5, 26}) {
      check("floatsAndLongCounter", 0.5f, 0.25, n);
    }
  }

  @Test
  void adjointOnAReusedTapeAndRepeatedPullbacks() throws Exception {
    Method adjoint = checkpointed.getMethod("pendulumAdjoint", double.class, double.class,
        double.class, int.class, double.class, double[].class, Tape.class);
    Method plain = recorded.getMethod("pendulumAdjoint", double.class, double.class,
        double.class, int.class, double.class, double[].class, Tape.class);
    Tape tape = new Tape();
    double[] expected = new double[3];
    plain.invoke(null, 0.8, 0.1, 5.0, 500, 2.0, expected, new Tape());
    for (int k = 0; k < 3; k++) {
      double[] got = new double[3];
      adjoint.invoke(null, 0.8, 0.1, 5.0, 500, 2.0, got, tape);
      assertThat(got).usingExactEquality().containsExactly(expected).inOrder();
      assertThat(tape.doubleSize()).isEqualTo(0);
      assertThat(tape.intSize()).isEqualTo(0);
    }
    Object vjp = checkpointed.getMethod("pendulumVjp", double.class, double.class,
        double.class, int.class).invoke(null, 0.8, 0.1, 5.0, 500);
    Method pullback = Arrays.stream(vjp.getClass().getMethods())
        .filter(m -> m.getName().equals("pullback")).findFirst().orElseThrow();
    for (int k = 0; k < 2; k++) {
      Object g = pullback.invoke(vjp, 2.0);
      String[] names = {"dTheta0", "dOmega0", "dTime"};
      for (int i = 0; i < 3; i++) {
        assertWithMessage(g.toString()).that((double) g.getClass().getMethod(names[i]).invoke(g))
            .isEqualTo(expected[i]);
      }
    }
  }

  @Test
  void theTapeHoldsSnapshotsAndOneSegment() throws Exception {
    Method adjoint = checkpointed.getMethod("pendulumAdjoint", double.class, double.class,
        double.class, int.class, double.class, double[].class, Tape.class);
    Method plain = recorded.getMethod("pendulumAdjoint", double.class, double.class,
        double.class, int.class, double.class, double[].class, Tape.class);
    int n = 1_000_000;
    Tape small = new Tape();
    adjoint.invoke(null, 0.8, 0.1, 10.0, n, 1.0, new double[3], small);
    Tape large = new Tape();
    plain.invoke(null, 0.8, 0.1, 10.0, n, 1.0, new double[3], large);
    // Recorded: at least one double per step. Checkpointed: 1000 snapshots of 2 doubles and
    // one int, then one segment of 1000 steps.
    assertThat(large.bytes()).isAtLeast((long) n * Double.BYTES);
    assertThat(small.bytes()).isLessThan(large.bytes() / 50);
  }

  @Test
  void secondOrderMethodsKeepTheirHessian() throws Exception {
    String body = """
          public static double f(double x, double y, int n) {
            double s = x;
            for (int i = 0; i < n; i++) {
              s = 0.9 * s + 0.1 * Math.sin(s * y);
            }
            return s * s;
          }
        """;
    InProcessCompiler c = InProcessCompiler.compile(
        "package p;\nimport dev.adjoint.Differentiable;\npublic class Second {\n"
            + "@Differentiable(checkpoint = true, order = 2)\n" + body + "}\n",
        "package p;\nimport dev.adjoint.Differentiable;\npublic class SecondRecorded {\n"
            + "@Differentiable(order = 2)\n" + body + "}\n");
    Class<?> mine = c.load("p.SecondDiff");
    Class<?> twin = c.load("p.SecondRecordedDiff");
    ArrayOracle.on(mine).check("f", 0.7, 1.3, 25);
    Method hessian = mine.getMethod("fHessian", double.class, double.class, int.class);
    Method twinHessian = twin.getMethod("fHessian", double.class, double.class, int.class);
    double[][] h = (double[][]) hessian.invoke(null, 0.7, 1.3, 25);
    double[][] expected = (double[][]) twinHessian.invoke(null, 0.7, 1.3, 25);
    assertThat(h).isEqualTo(expected);
    Object g = mine.getMethod("fGrad", double.class, double.class, int.class)
        .invoke(null, 0.7, 1.3, 25);
    Object e = twin.getMethod("fGrad", double.class, double.class, int.class)
        .invoke(null, 0.7, 1.3, 25);
    assertThat(g.toString().replace("SecondRecorded", "Second")).isEqualTo(e.toString()
        .replace("SecondRecorded", "Second"));
  }

  private static JavaFileObject file(String... body) {
    return JavaFileObjects.forSourceLines("p.Foo", body);
  }

  private static Compilation compile(JavaFileObject f) {
    return Compiler.javac().withProcessors(new AdjointProcessor()).compile(f);
  }

  @Test
  void aTopLevelLoopThatIsNotCountedIsAnError() {
    JavaFileObject f = file("package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  @Differentiable(checkpoint = true)",
        "  public static double m(double x) {",
        "    double s = x;",
        "    while (s < 10) {",
        "      s = s * 1.5 + 0.1;",
        "    }",
        "    return s;",
        "  }",
        "}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ223] Foo.m checkpoints the loops at its top level, "
        + "and this loop is not a counted loop").inFile(f).onLine(7);
  }

  @Test
  void checkpointingWithoutALoopIsAnError() {
    JavaFileObject f = file("package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  @Differentiable(checkpointEvery = 10)",
        "  public static double m(double x) {",
        "    return x * x;",
        "  }",
        "}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ224] Foo.m asks for checkpointing but has no loop at "
        + "its top level to checkpoint: remove checkpointEvery from the annotation.");
  }

  @Test
  void aNegativeStrideIsAnError() {
    JavaFileObject f = file("package p;",
        "import dev.adjoint.Differentiable;",
        "public class Foo {",
        "  @Differentiable(checkpointEvery = -2)",
        "  public static double m(double x, int n) {",
        "    double s = x;",
        "    for (int i = 0; i < n; i++) {",
        "      s = s * x;",
        "    }",
        "    return s;",
        "  }",
        "}");
    Compilation c = compile(f);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[ADJ126] checkpointEvery = -2: the iterations between "
        + "two snapshots must be positive").inFile(f).onLine(4);
  }
}
