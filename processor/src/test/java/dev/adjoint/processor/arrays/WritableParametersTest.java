package dev.adjoint.processor.arrays;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.statements.Modes;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A method returning a value may write its one-dimensional array parameters: the derivative
 * with respect to such a parameter is that of its initial contents, checked in every mode by
 * {@link Modes} (mGrad, mAdjoint, mVjp's pullbacks, mJvp, mHvp against Ridders); each entry
 * point leaves the caller's array unchanged (the plain call writes it). A named array passed
 * to such a method from another differentiable method is ADJ228.
 */
class WritableParametersTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;
      import java.util.Arrays;

      public class Writes {
        @Differentiable(order = 2)
        public static double scaled(double[] x, double c) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            x[i] = c * x[i] * x[i];
            s += x[i];
          }
          x[0] += s;
          x[1]++;
          return s * x[0] + x[1];
        }

        @Differentiable(order = 2)
        static void smooth(double[] a, double k) {
          for (int i = 1; i < a.length; i++) {
            a[i] = a[i] + k * a[i - 1];
          }
        }

        @Differentiable(order = 2)
        public static double throughHelper(double[] x, double k, double[] y) {
          smooth(x, k);
          Arrays.fill(y, 0, 1, x[0]);
          System.arraycopy(x, 0, y, 1, 1);
          double s = 0;
          for (double v : x) {
            s += v * Math.sin(v);
          }
          return s + y[0] * y[1] + y[2];
        }

        @Differentiable
        public static double[] normalised(double[] x, double c) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * c;
            s += x[i] * x[i];
          }
          double[] y = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / Math.sqrt(s);
            x[i] = y[i] + 1;
          }
          return y;
        }

        @Differentiable(order = 2)
        public static double reassignsAScalarToo(double y, double[] a, int n) {
          a[0] = y;
          y /= 1.1;
          while (n-- > 0) {
            a[n % a.length] += y * a[0];
          }
          return y * a[0] + a[1];
        }

        static double[] squaredInPlace(double[] a) {
          double[] r = new double[a.length];
          for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * a[i];
            r[i] = Math.sin(a[i]);
          }
          return r;
        }

        @Differentiable(order = 2)
        public static double throughArrayHelper(double[] x, double c) {
          double[] y = squaredInPlace(x);
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += c * x[i] * y[i];
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double indexTable(double[] x, int[] at) {
          at[0] = at[1];
          x[at[0]] *= x[0];
          return x[at[0]] * x[2];
        }

        @Differentiable(order = 2)
        public static double readsBeforeWriting(double[] x) {
          double first = x[0] * x[1];
          x[0] = Math.exp(x[1]);
          return first + x[0] * x[0];
        }
      }
      """;

  private static Modes modes;
  private static Class<?> diff;
  private static Class<?> plain;

  @BeforeAll
  static void compile() {
    InProcessCompiler c = InProcessCompiler.compile(SOURCE);
    diff = c.load("p.WritesDiff");
    plain = c.load("p.Writes");
    modes = new Modes(diff);
  }

  /** Every mode on copies of the arguments, each left as the plain call leaves them. */
  @Test
  void elementWritesCompoundAndIncrement() {
    double[] x = {0.3, -0.8, 1.1, 0.45};
    modes.check("scaled", x, 0.7);
    assertThat(x).isEqualTo(new double[] {0.3, -0.8, 1.1, 0.45});
  }

  @Test
  void voidHelperFillAndArraycopy() {
    modes.check("throughHelper", new double[] {0.3, -0.8, 1.1}, 0.4,
        new double[] {0.5, 0.25, -1.5});
  }

  /** The plain call at the end sees the scalar arguments, not what the body made of them. */
  @Test
  void scalarParametersReassignedBeforeThePlainCall() {
    modes.check("reassignsAScalarToo", 0.8, new double[] {0.3, -0.8, 1.1}, 4);
  }

  /** An array-returning helper, read in place, writes the caller's parameter: its work copy. */
  @Test
  void arrayReturningHelperWritesTheParameter() {
    modes.check("throughArrayHelper", new double[] {0.3, -0.8, 1.1}, 0.6);
  }

  @Test
  void intArrayParameterWrittenToo() {
    modes.check("indexTable", new double[] {0.3, -0.8, 1.1}, new int[] {0, 2});
  }

  @Test
  void readBeforeTheWriteSeesTheInitialContents() {
    modes.check("readsBeforeWriting", new double[] {0.3, -0.8});
  }

  /** The caller's own array, through each entry point, ends as the plain call leaves it. */
  @Test
  void entryPointsLeaveTheCallersArrayAsThePlainCall() throws Exception {
    double[] initial = {0.3, -0.8, 1.1, 0.45};
    double[] expected = initial.clone();
    double value = (double) plain.getMethod("scaled", double[].class, double.class)
        .invoke(null, expected, 0.7);
    assertThat(expected).isNotEqualTo(initial);
    double[] x = initial.clone();
    Object grad = diff.getMethod("scaledGrad", double[].class, double.class).invoke(null, x, 0.7);
    assertThat(x).isEqualTo(expected);
    assertThat(grad.getClass().getMethod("value").invoke(grad)).isEqualTo(value);
    x = initial.clone();
    double[][] hessian = (double[][]) diff.getMethod("scaledHessian", double[].class,
        double.class).invoke(null, x, 0.7);
    assertThat(x).isEqualTo(expected);
    double[] direction = {0, 0, 0, 0};
    for (int k = 0; k < 5; k++) {
      double[] d = new double[4];
      double dc = k == 4 ? 1 : 0;
      if (k < 4) {
        d[k] = 1;
      }
      double[] xk = initial.clone();
      double[] hv = (double[]) diff.getMethod("scaledHvp", double[].class, double.class,
          double[].class, double.class).invoke(null, xk, 0.7, d, dc);
      assertThat(xk).isEqualTo(expected);
      assertThat(d).isEqualTo(k < 4 ? unit(k) : direction);
      for (int j = 0; j < 5; j++) {
        assertThat(hessian[k][j]).isWithin(1e-12 * (1 + Math.abs(hv[j]))).of(hv[j]);
      }
    }
  }

  private static double[] unit(int k) {
    double[] u = new double[4];
    u[k] = 1;
    return u;
  }

  /** mJacobian of an array result: every row sees the initial contents. */
  @Test
  void jacobianOfAMethodWritingItsParameter() throws Exception {
    double[] initial = {0.3, -0.8, 1.1};
    double c = 0.7;
    double[] expected = initial.clone();
    java.lang.reflect.Method f = plain.getMethod("normalised", double[].class, double.class);
    f.invoke(null, expected, c);
    double[] x = initial.clone();
    double[][] j = (double[][]) diff.getMethod("normalisedJacobian", double[].class,
        double.class).invoke(null, x, c);
    assertThat(x).isEqualTo(expected);
    double[] at = {0.3, -0.8, 1.1, c};
    for (int col = 0; col < at.length; col++) {
      int column = col;
      for (int row = 0; row < initial.length; row++) {
        int r = row;
        Oracle.Estimate e = Oracle.derivative(s -> {
          double[] xs = Arrays.copyOf(at, 3);
          double cs = at[3];
          if (column < 3) {
            xs[column] += s;
          } else {
            cs += s;
          }
          try {
            return ((double[]) f.invoke(null, xs, cs))[r];
          } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
          }
        }, 0.0);
        assertWithMessage("J[%s][%s] (oracle %s)", row, col, e).that(j[row][col])
            .isWithin(1e-8 * (1 + Math.abs(e.value())) + 10 * e.error()).of(e.value());
      }
    }
  }

  @Test
  void arrayPassedToAMethodThatWritesItIsADJ228() {
    Compilation c = Compiler.javac().withProcessors(new AdjointProcessor()).compile(
        JavaFileObjects.forSourceLines("p.Foo",
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double w(double[] a, double[] b) {",
            "    a[0] = a[0] * b[0];",
            "    return a[0];",
            "  }",
            "  @Differentiable",
            "  public static double m(double[] x) {",
            "    double[] t = x.clone();",
            "    double s = w(x, t);",
            "    return w(x.clone(), x) + t[0];",
            "  }",
            "}"));
    CompilationSubject.assertThat(c).hadErrorContaining("[ADJ228] passes an array to Foo.w as "
        + "'a', which Foo.w writes and which returns a value: a call from a @Differentiable "
        + "method cannot follow that write; in Foo.w, copy it (double[] work = a.clone();) and "
        + "write the copy, or make the part that writes it a void helper called as a "
        + "statement.").inFile(c.sourceFiles().get(0)).onLine(12).atColumn(18);
    CompilationSubject.assertThat(c).hadErrorContaining("[ADJ228]")
        .inFile(c.sourceFiles().get(0)).onLine(13).atColumn(21);
    assertThat(c.errors()).hasSize(2);
  }

  private static final String[] WRITER = {
      "package q;",
      "import dev.adjoint.Differentiable;",
      "public class Writer {",
      "  @Differentiable",
      "  public static double w(double[] a) {",
      "    a[0] = a[0] * a[0];",
      "    return a[0];",
      "  }",
      "}"};

  private static final String[] CALLER = {
      "package p;",
      "import dev.adjoint.Differentiable;",
      "public class Foo {",
      "  @Differentiable",
      "  public static double m(double[] x) {",
      "    return q.Writer.w(x);",
      "  }",
      "}"};

  @Test
  void calleeInAnotherFileThatWritesItIsADJ228() {
    Compilation c = Compiler.javac().withProcessors(new AdjointProcessor()).compile(
        JavaFileObjects.forSourceLines("q.Writer", WRITER),
        JavaFileObjects.forSourceLines("p.Foo", CALLER));
    CompilationSubject.assertThat(c).hadErrorContaining("[ADJ228] passes an array to Writer.w "
        + "as 'a'").inFile(c.sourceFiles().get(1)).onLine(6).atColumn(23);
    assertThat(c.errors()).hasSize(1);
  }

  @Test
  void calleeKnownOnlyAsAClassFileThatWritesItIsADJ228(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path classes) throws java.io.IOException {
    // The library is compiled first; the caller sees only its class files.
    Compilation library = Compiler.javac().withProcessors(new AdjointProcessor()).compile(
        JavaFileObjects.forSourceLines("q.Writer", WRITER));
    CompilationSubject.assertThat(library).succeeded();
    for (javax.tools.JavaFileObject f : library.generatedFiles()) {
      if (f.getKind() == javax.tools.JavaFileObject.Kind.CLASS) {
        String path = f.toUri().getPath();
        java.nio.file.Path out = classes.resolve(path.substring(path.indexOf("/q/") + 1));
        java.nio.file.Files.createDirectories(out.getParent());
        try (java.io.InputStream in = f.openInputStream()) {
          java.nio.file.Files.copy(in, out);
        }
      }
    }
    List<java.io.File> classpath = new java.util.ArrayList<>(List.of(classes.toFile()));
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      classpath.add(new java.io.File(entry));
    }
    Compilation c = Compiler.javac().withProcessors(new AdjointProcessor())
        .withClasspath(classpath)
        .compile(JavaFileObjects.forSourceLines("p.Foo", CALLER));
    CompilationSubject.assertThat(c).hadErrorContaining("[ADJ228] passes an array to Writer.w "
        + "as 'a'").inFile(c.sourceFiles().get(0)).onLine(6).atColumn(23);
    assertThat(c.errors()).hasSize(1);
  }

  @Test
  void parameterPassedToAnotherClasssVoidHelperStaysADJ216() {
    Compilation c = Compiler.javac().withProcessors(new AdjointProcessor()).compile(
        JavaFileObjects.forSourceLines("p.Helpers",
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Helpers {",
            "  @Differentiable",
            "  public static void scale(double[] a, double c) {",
            "    a[0] = a[0] * c;",
            "  }",
            "}"),
        JavaFileObjects.forSourceLines("p.Foo",
            "package p;",
            "import dev.adjoint.Differentiable;",
            "public class Foo {",
            "  @Differentiable",
            "  public static double m(double[] x, double c) {",
            "    Helpers.scale(x, c);",
            "    return x[0];",
            "  }",
            "}"));
    CompilationSubject.assertThat(c).hadErrorContaining("[ADJ216] passes parameter 'x' to "
        + "Helpers.scale, a void helper, which may write its array arguments, which a "
        + "@Differentiable method that returns a value does only for a one-dimensional array it "
        + "writes itself or passes to a void helper of its class: copy it (double[] work = "
        + "x.clone();) and pass the copy, or move the helper into this class.")
        .inFile(c.sourceFiles().get(1)).onLine(6).atColumn(19);
    assertThat(c.errors()).hasSize(1);
  }
}
