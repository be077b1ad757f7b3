package dev.adjoint.processor.kernel;

import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The maths of every generated kernel, checked without a GPU: the element functions of {@code
 * FnsKernels.cu} (the code each kernel runs per element) are compiled as host C with gcc and
 * evaluated at sample points; the float64 results must match the Java {@code FnsDiff} (the
 * same IR printed as Java) to a few ulps and the Ridders oracle to 1e-7, and the float32
 * results must match them to float precision.
 */
class HostMathsTest {
  @TempDir Path dir;

  /** One method at one point; {@code floatParameters} marks the parameters declared float. */
  private record Case(String method, boolean[] floatParameters, int differentiated,
      double... point) {}

  private static final List<Case> CASES = List.of(
      new Case("act", new boolean[] {false}, 1, -2.3),
      new Case("act", new boolean[] {false}, 1, -0.7),
      new Case("act", new boolean[] {false}, 1, 0.0),
      new Case("act", new boolean[] {false}, 1, 0.4),
      new Case("act", new boolean[] {false}, 1, 2.9),
      new Case("branchy", new boolean[] {false, true}, 2, 0.5, 0.25),
      new Case("branchy", new boolean[] {false, true}, 2, 0.3, 1.75),
      new Case("branchy", new boolean[] {false, true}, 2, -1.2, -0.375),
      new Case("mix", new boolean[] {false, false, false}, 3, 0.3, -0.8, 1.2),
      new Case("mix", new boolean[] {false, false, false}, 3, 1.5, 0.5, -0.7),
      new Case("mix", new boolean[] {false, false, false}, 3, -2.0, 1.0, 0.3),
      new Case("scaled", new boolean[] {true, false}, 1, 0.75, 2.5),
      new Case("scaled", new boolean[] {true, false}, 1, -1.25, 0.4));

  @Test
  void elementFunctionsMatchJavaAndTheOracle() throws Exception {
    Path cc = Toolchain.hostCompiler();
    assumeTrue(cc != null, "no host C compiler (gcc, cc) on the PATH: host check skipped");
    Files.writeString(dir.resolve("FnsKernels.cu"), KernelFixtures.cuda());
    Files.writeString(dir.resolve("harness.c"), harness());
    Toolchain.Run build = Toolchain.run(dir, List.of(cc.toString(), "-std=c11", "-O2", "-Wall",
        "-Wno-unused-function", "-Wno-unused-variable", "-Werror", "-x", "c", "harness.c", "-o", "harness", "-lm"));
    assertWithMessage("host compile:\n" + build.output()).that(build.exitCode()).isEqualTo(0);
    Toolchain.Run run = Toolchain.run(dir, List.of(dir.resolve("harness").toString()));
    assertWithMessage(run.output()).that(run.exitCode()).isEqualTo(0);
    String[] lines = run.output().trim().split("\n");
    assertWithMessage("harness output").that(lines.length).isEqualTo(CASES.size() * 2);

    Class<?> fns = KernelFixtures.compiled().load("p.Fns");
    Class<?> diff = KernelFixtures.compiled().load("p.FnsDiff");
    for (int c = 0; c < CASES.size(); c++) {
      Case k = CASES.get(c);
      double[] f64 = parse(lines[2 * c]);
      double[] f32 = parse(lines[2 * c + 1]);
      double[] expected = javaAdjoint(diff, k);
      String label = k.method() + Arrays.toString(k.point());
      for (int i = 0; i < expected.length; i++) {
        assertWithMessage("%s float64 [%s] against FnsDiff", label, i).that(f64[i])
            .isWithin(1e-13 * Math.max(1, Math.abs(expected[i]))).of(expected[i]);
        assertWithMessage("%s float32 [%s] against FnsDiff", label, i).that(f32[i])
            .isWithin(2e-5 * Math.max(1, Math.abs(expected[i]))).of(expected[i]);
      }
      for (int g = 0; g < k.differentiated(); g++) {
        Oracle.Estimate fd = Oracle.partial(x -> invoke(fns, k, x), k.point(), g,
            k.floatParameters()[g] ? v -> (float) v : v -> v, Oracle.initialStep(k.point()[g]));
        // A float function is a staircase at float resolution: the project's float tolerance.
        boolean floats = false;
        for (boolean f : k.floatParameters()) {
          floats |= f;
        }
        double relative = floats ? GradientAssert.FLOAT_REL_TOL : 1e-7;
        assertWithMessage("%s float64 d[%s] against the oracle %s", label, g, fd)
            .that(f64[1 + g])
            .isWithin(relative * Math.max(1, Math.abs(fd.value())) + 10 * fd.error())
            .of(fd.value());
      }
    }
  }

  /** printf of value then gradient, for f64 and f32, one line each, per case. */
  private static String harness() {
    StringBuilder c = new StringBuilder("#include \"FnsKernels.cu\"\n#include <stdio.h>\n\n"
        + "int main(void) {\n");
    for (Case k : CASES) {
      for (String precision : List.of("f64", "f32")) {
        boolean f32 = precision.equals("f32");
        String real = f32 ? "float" : "double";
        List<String> args = new ArrayList<>();
        for (int i = 0; i < k.point().length; i++) {
          boolean asFloat = f32 || k.floatParameters()[i];
          args.add(String.format(Locale.ROOT, asFloat ? "%.9gf" : "%.17g", k.point()[i]));
        }
        c.append("    {\n        ").append(real).append(" a[").append(k.differentiated())
            .append("] = {0};\n        ").append(real).append(" v = ").append(k.method())
            .append("_adjoint_").append(precision).append('(').append(String.join(", ", args))
            .append(f32 ? ", 1.0f" : ", 1.0").append(", a);\n        ").append(real)
            .append(" w = ").append(k.method()).append('_').append(precision).append('(')
            .append(String.join(", ", args)).append(");\n");
        c.append("        if (v != w) { printf(\"value and adjoint disagree\\n\"); return 1; }\n");
        c.append("        printf(\"%.17g");
        for (int g = 0; g < k.differentiated(); g++) {
          c.append(" %.17g");
        }
        c.append("\\n\", (double) v");
        for (int g = 0; g < k.differentiated(); g++) {
          c.append(", (double) a[").append(g).append(']');
        }
        c.append(");\n    }\n");
      }
    }
    return c.append("    return 0;\n}\n").toString();
  }

  private static double[] parse(String line) {
    String[] parts = line.trim().split(" ");
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Double.parseDouble(parts[i]);
    }
    return out;
  }

  /** Value and gradient from the Java adjoint {@code FnsDiff.<m>Adjoint(..., 1.0, adjoints)}. */
  private static double[] javaAdjoint(Class<?> diff, Case k) throws Exception {
    Class<?>[] types = new Class<?>[k.point().length + 2];
    Object[] args = new Object[types.length];
    for (int i = 0; i < k.point().length; i++) {
      types[i] = k.floatParameters()[i] ? float.class : double.class;
      args[i] = k.floatParameters()[i] ? (Object) (float) k.point()[i] : (Object) k.point()[i];
    }
    types[types.length - 2] = double.class;
    types[types.length - 1] = double[].class;
    double[] adjoints = new double[k.differentiated()];
    args[args.length - 2] = 1.0;
    args[args.length - 1] = adjoints;
    Method m = diff.getMethod(k.method() + "Adjoint", types);
    double value = ((Number) m.invoke(null, args)).doubleValue();
    double[] out = new double[1 + adjoints.length];
    out[0] = value;
    System.arraycopy(adjoints, 0, out, 1, adjoints.length);
    return out;
  }

  private static double invoke(Class<?> fns, Case k, double[] x) {
    try {
      Class<?>[] types = new Class<?>[x.length];
      Object[] args = new Object[x.length];
      for (int i = 0; i < x.length; i++) {
        types[i] = k.floatParameters()[i] ? float.class : double.class;
        args[i] = k.floatParameters()[i] ? (Object) (float) x[i] : (Object) x[i];
      }
      return ((Number) fns.getMethod(k.method(), types).invoke(null, args)).doubleValue();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
