package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.runtime.Tape;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A null array argument, or a null tape, is a {@link NullPointerException} whose message is the
 * argument's name in the source, thrown by every public entry point before anything runs (a
 * parameter renamed in generated code, {@code Math}, keeps its source name).
 */
class NullArgumentTest {
  private static Class<?> diff;

  @BeforeAll
  static void compile() {
    diff = InProcessCompiler.compile("""
        package p;
        import dev.adjoint.Differentiable;
        public class Nulls {
          @Differentiable(order = 2)
          public static double f(double[] means, double x, double[] Math) {
            double s = 0.0;
            for (int i = 0; i < means.length; i++) {
              s += means[i] * x * Math[i];
            }
            return s * s;
          }
        }
        """).load("p.NullsDiff");
  }

  private static Throwable call(String name, Object... args) throws Exception {
    Method m = Arrays.stream(diff.getMethods())
        .filter(c -> c.getName().equals(name) && c.getParameterCount() == args.length)
        .findFirst().orElseThrow(() -> new AssertionError("no " + name + "/" + args.length));
    try {
      m.invoke(null, args);
      return null;
    } catch (InvocationTargetException e) {
      return e.getCause();
    }
  }

  private static void assertNamed(Throwable e, String name) {
    assertThat(e).isInstanceOf(NullPointerException.class);
    assertThat(e).hasMessageThat().isEqualTo(name);
  }

  @Test
  void everyEntryPointNamesTheNullArray() throws Exception {
    double[] a = {1.0, 2.0};
    assertNamed(call("fGrad", null, 0.5, a), "means");
    assertNamed(call("fGrad", a, 0.5, null), "Math");
    assertNamed(call("fAdjoint", null, 0.5, a, 1.0, new double[1], new double[2],
        new double[2]), "means");
    assertNamed(call("fVjp", a, 0.5, null), "Math");
    assertNamed(call("fJvp", null, 0.5, a, new double[2], 1.0, new double[2]), "means");
    assertNamed(call("fHessian", a, 0.5, null), "Math");
  }

  @Test
  void aNullTapeIsNamed() throws Exception {
    double[] a = {1.0, 2.0};
    assertNamed(call("fAdjoint", a, 0.5, a, 1.0, new double[1], new double[2], new double[2],
        (Tape) null), "tape");
    assertThat(call("fAdjoint", a, 0.5, a, 1.0, new double[1], new double[2], new double[2],
        new Tape())).isNull();
  }
}
