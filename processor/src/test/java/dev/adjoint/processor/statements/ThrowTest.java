package dev.adjoint.processor.statements;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.testing.InProcessCompiler;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code throw} for argument checks: every entry point throws the exception the plain call
 * throws, with the same message, and gives the oracle's derivatives where it does not throw;
 * throws inside loops, at the end of a method, and in a helper without the annotation.
 */
class ThrowTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Guards {
        @Differentiable(order = 2)
        public static double logDensity(double x, double mu, double sigma) {
          if (sigma <= 0) {
            throw new IllegalArgumentException("sigma must be positive: " + sigma);
          }
          double z = (x - mu) / sigma;
          return -0.5 * z * z - Math.log(sigma);
        }

        @Differentiable(order = 2)
        public static double rootSum(double[] x, int limit) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            if (x[i] < 0) throw new IllegalStateException("negative at " + i + " of " + limit);
            s += Math.sqrt(x[i]) * s + x[i];
          }
          return s;
        }

        @Differentiable(order = 2)
        public static double positiveLog(double x) {
          if (x > 0) {
            return Math.log(x) * x;
          }
          throw new ArithmeticException();
        }

        private static double checkedScale(double v, double c) {
          if (c == 0) {
            throw new IllegalArgumentException("c = " + (c + 1) + "!");
          }
          return v / c;
        }

        @Differentiable(order = 2)
        public static double viaHelper(double x, double c) {
          return checkedScale(x * x, c) + Math.sin(x);
        }
      }
      """;

  private static Modes modes;
  private static Class<?> plain;

  @BeforeAll
  static void compile() {
    InProcessCompiler c = InProcessCompiler.compile(SOURCE);
    modes = new Modes(c.load("p.GuardsDiff"));
    plain = c.load("p.Guards");
  }

  /** Each entry point of {@code method} throws what the plain call throws. */
  private static void throwsLikeThePlainCall(String method, Object[] args, Object[] tangents) {
    Throwable expected = assertThrows(Throwable.class, () -> invokePlain(method, args));
    Consumer<Throwable> same = t -> {
      assertThat(t).isInstanceOf(expected.getClass());
      assertThat(t).hasMessageThat().isEqualTo(expected.getMessage());
    };
    for (String entry : new String[] {"Grad", "Vjp"}) {
      AssertionError e = assertThrows(AssertionError.class, () -> modes.call(method + entry, args));
      same.accept(e.getCause());
    }
    Object[] withTangents = new Object[args.length + tangents.length];
    System.arraycopy(args, 0, withTangents, 0, args.length);
    System.arraycopy(tangents, 0, withTangents, args.length, tangents.length);
    for (String entry : new String[] {"Jvp", "Hvp"}) {
      AssertionError e = assertThrows(AssertionError.class,
          () -> modes.call(method + entry, withTangents));
      same.accept(e.getCause());
    }
  }

  private static Object invokePlain(String method, Object[] args) throws Throwable {
    for (var m : plain.getMethods()) {
      if (m.getName().equals(method)) {
        try {
          return m.invoke(null, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
    throw new AssertionError("no " + method);
  }

  @Test
  void argumentCheckAtTheTop() {
    modes.check("logDensity", 0.3, -0.2, 1.7);
    throwsLikeThePlainCall("logDensity", new Object[] {0.3, -0.2, -1.5},
        new Object[] {1.0, 0.0, 0.0});
  }

  @Test
  void throwInsideALoop() {
    modes.check("rootSum", new double[] {0.4, 1.3, 2.2}, 3);
    throwsLikeThePlainCall("rootSum", new Object[] {new double[] {0.4, -1.3, 2.2}, 3},
        new Object[] {new double[] {1, 0, 0}});
  }

  @Test
  void throwAtTheEnd() {
    modes.check("positiveLog", 1.3);
    throwsLikeThePlainCall("positiveLog", new Object[] {-1.0}, new Object[] {1.0});
  }

  @Test
  void throwInAHelperWithoutTheAnnotation() {
    modes.check("viaHelper", 0.8, 1.9);
    throwsLikeThePlainCall("viaHelper", new Object[] {0.8, 0.0}, new Object[] {1.0, 0.0});
  }
}
