package dev.adjoint.processor.fuzz;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.fuzz.BatchCompiler.Loaded;
import dev.adjoint.processor.fuzz.BatchCompiler.Unit;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NaN, infinities and signed zeros in the inputs propagate through generated derivatives as IEEE
 * arithmetic says: the generated code throws nothing, its value is the plain method's, and each
 * partial is what the chain rule gives when evaluated in IEEE arithmetic (the derivative of {@code
 * x * x} at NaN is NaN, of {@code log(x)} at +0 is +inf and at -0 is -inf, ...). A sweep of
 * generated programs at special inputs checks the first two on arbitrary code.
 */
class IeeeSpecialsTest {
  static final double NAN = Double.NaN;
  static final double INF = Double.POSITIVE_INFINITY;

  static final String SOURCE =
      """
      package fz;

      import dev.adjoint.Differentiable;

      public class Specials {
        @Differentiable
        public static double square(double x) {
          return x * x;
        }

        @Differentiable
        public static double log(double x) {
          return Math.log(x);
        }

        @Differentiable
        public static double sqrt(double x) {
          return Math.sqrt(x);
        }

        @Differentiable
        public static double exp(double x) {
          return Math.exp(x);
        }

        @Differentiable
        public static double product(double x, double y) {
          return x * y;
        }

        @Differentiable
        public static double reciprocal(double x) {
          return 1 / x;
        }

        @Differentiable
        public static double atan(double x) {
          return Math.atan(x);
        }

        @Differentiable
        public static double tanh(double x) {
          return Math.tanh(x);
        }

        @Differentiable
        public static double abs(double x) {
          return Math.abs(x);
        }

        @Differentiable
        public static double sin(double x) {
          return Math.sin(x);
        }

        @Differentiable
        public static double branch(double x) {
          return x < 0 ? -x : 2 * x;
        }

        @Differentiable
        public static double loop(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += x * i;
          }
          return s;
        }

        @Differentiable
        public static double whileData(double x) {
          int k = 0;
          double s = x;
          while (s < 10 && k < 5) {
            k++;
            s = s * 2 + 1;
          }
          return s;
        }
      }
      """;

  private static Loaded specials;

  @BeforeAll
  static void compile() {
    BatchCompiler.Result r = BatchCompiler.compile(List.of(
        Unit.raw("fz", "Specials", SOURCE, "package fz;\npublic final class SpecialsTwin {}\n")));
    assertWithMessage("compiling: %s", r.failed()).that(r.failed()).isEmpty();
    specials = r.loaded().get(0);
  }

  static Arguments c(String method, Object[] args, double value, double... partials) {
    return Arguments.of(method, args, value, partials);
  }

  static Object[] at(Object... args) {
    return args;
  }

  /** Method, arguments, expected value, expected partials (IEEE evaluation of the chain rule). */
  static Stream<Arguments> cases() {
    double halfPi = Math.PI / 2;
    return Stream.of(
        c("square", at(NAN), NAN, NAN),
        c("square", at(INF), INF, INF),
        c("square", at(-INF), INF, -INF),
        c("log", at(0.0), -INF, INF),
        c("log", at(-0.0), -INF, -INF),
        c("log", at(INF), INF, 0.0),
        c("log", at(NAN), NAN, NAN),
        c("sqrt", at(0.0), 0.0, INF),
        c("sqrt", at(INF), INF, 0.0),
        c("sqrt", at(NAN), NAN, NAN),
        c("exp", at(-INF), 0.0, 0.0),
        c("exp", at(INF), INF, INF),
        c("exp", at(NAN), NAN, NAN),
        c("product", at(INF, 0.0), NAN, 0.0, INF),
        c("product", at(NAN, 2.0), NAN, 2.0, NAN),
        c("product", at(-INF, 3.0), -INF, 3.0, -INF),
        c("reciprocal", at(0.0), INF, -INF),
        c("reciprocal", at(-0.0), -INF, -INF),
        c("reciprocal", at(INF), 0.0, 0.0),
        c("atan", at(INF), halfPi, 0.0),
        c("atan", at(-INF), -halfPi, 0.0),
        c("atan", at(NAN), NAN, NAN),
        c("tanh", at(INF), 1.0, 0.0),
        c("tanh", at(NAN), NAN, NAN),
        c("abs", at(-INF), INF, -1.0),
        c("abs", at(NAN), NAN, NAN),
        c("sin", at(INF), NAN, NAN),
        c("branch", at(NAN), NAN, 2.0),
        c("branch", at(-INF), INF, -1.0),
        c("loop", at(NAN, 3), NAN, 3.0),
        c("loop", at(INF, 3), NAN, 3.0), // inf * 0 at i = 0
        c("whileData", at(NAN), NAN, 1.0),
        c("whileData", at(-INF), -INF, 32.0),
        c("whileData", at(INF), INF, 1.0));
  }

  /** Equal as IEEE values: both NaN, or ==, with infinities' signs (zeros' signs not checked). */
  static boolean same(double a, double b) {
    return (Double.isNaN(a) && Double.isNaN(b)) || a == b;
  }

  @ParameterizedTest(name = "{0}{1}")
  @MethodSource("cases")
  void specialsPropagate(String method, Object[] args, double value, double[] partials)
      throws Exception {
    FuzzChecker.Bound b = new FuzzChecker.Bound(specials, method, false);
    Object plain = b.plain.invoke(null, b.plainArguments(args));
    Object record;
    try {
      record = b.grad.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError(method + Arrays.toString(args) + ": " + method + "Grad threw "
          + e.getCause(), e.getCause());
    }
    double got = ((Number) b.components[0].invoke(record)).doubleValue();
    assertWithMessage("%s%s: value() vs plain", method, Arrays.toString(args))
        .that(Double.doubleToLongBits(got))
        .isEqualTo(Double.doubleToLongBits(((Number) plain).doubleValue()));
    assertWithMessage("%s%s: value()", method, Arrays.toString(args)).that(same(got, value))
        .isTrue();
    for (int k = 0; k < partials.length; k++) {
      double d = ((Number) b.components[k + 1].invoke(record)).doubleValue();
      assertWithMessage("%s%s: %s = %s, expected %s", method, Arrays.toString(args),
          b.components[k + 1].getName(), d, partials[k]).that(same(d, partials[k])).isTrue();
    }
    // mAdjoint: no exception, same value, seed * partials added.
    double[] adj = new double[partials.length];
    Object[] full = Arrays.copyOf(args, args.length + 2);
    full[args.length] = 1.0;
    full[args.length + 1] = adj;
    double returned = ((Number) b.adjoint.invoke(null, full)).doubleValue();
    assertWithMessage("%s%s: mAdjoint value", method, Arrays.toString(args))
        .that(Double.doubleToLongBits(returned)).isEqualTo(Double.doubleToLongBits(got));
    for (int k = 0; k < partials.length; k++) {
      assertWithMessage("%s%s: mAdjoint adjoints[%s] = %s, expected %s", method,
          Arrays.toString(args), k, adj[k], partials[k]).that(same(adj[k], partials[k])).isTrue();
    }
  }

  static final double[] SPECIALS = {
    NAN, INF, -INF, 0.0, -0.0, Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, 1e300, -1e-300
  };

  /**
   * Generated programs at special inputs (one double parameter at a time, the others ordinary):
   * the generated code must not throw, and must compute the plain method's value.
   */
  @Test
  void generatedProgramsAtSpecialInputsThrowNothing() throws Exception {
    Ast.ClassUnit unit = ProgramGenerator.generateClass(777, 0, 0, 50, "Ieee0");
    FuzzChecker.Compiled compiled = FuzzChecker.compileDroppingFailures(unit);
    assertWithMessage("nothing compiled: %s", compiled.dropped()).that(compiled.loaded())
        .isNotNull();
    List<String> problems = new ArrayList<>();
    int calls = 0;
    try (FuzzChecker.Watchdog watchdog = new FuzzChecker.Watchdog()) {
      for (Ast.Method m : compiled.loaded().unit().ast().methods()) {
        if (m.helper() || m.plain() || !m.params().stream()
            .allMatch(p -> p.type() == Ast.T.DOUBLE || p.type() == Ast.T.INT)) {
          continue; // scalar methods only: special values are put into double parameters
        }
        FuzzChecker.Bound b = new FuzzChecker.Bound(compiled.loaded(), m.name(), false);
        for (int k : b.active) {
          for (double special : SPECIALS) {
            Object[] args = FuzzChecker.randomPoint(b.types, new java.util.Random(k));
            args[k] = special;
            calls++;
            String problem = watchdog.run(() -> atSpecial(b, args), 20);
            if (problem == null) {
              problems.add(b.label(args) + ": no result after 20 s");
            } else if (!problem.isEmpty()) {
              problems.add(problem);
            }
          }
        }
      }
    }
    assertWithMessage("%s of %s calls at special inputs went wrong:\n%s", problems.size(), calls,
        String.join("\n", problems.subList(0, Math.min(20, problems.size()))))
        .that(problems).isEmpty();
  }

  /** "" when fine, else what went wrong. */
  private static String atSpecial(FuzzChecker.Bound b, Object[] args) throws Exception {
    String label = b.label(args);
    double plain;
    try {
      // Each call on copies: a generated method may write its array parameters.
      plain = ((Number) b.plain.invoke(null, b.plainArguments(FuzzChecker.deepCopy(args))))
          .doubleValue();
    } catch (InvocationTargetException e) {
      return "";
    }
    try {
      Object record = b.grad.invoke(null, FuzzChecker.deepCopy(args));
      double value = ((Number) b.components[0].invoke(record)).doubleValue();
      if (Double.doubleToLongBits(value) != Double.doubleToLongBits(plain)) {
        return String.format(Locale.ROOT, "%s: value() %s but plain %s", label, value, plain);
      }
      double[] adj = new double[b.active.length];
      Object[] full = Arrays.copyOf(FuzzChecker.deepCopy(args), args.length + 2);
      full[args.length] = 1.0;
      full[args.length + 1] = adj;
      double returned = ((Number) b.adjoint.invoke(null, full)).doubleValue();
      if (Double.doubleToLongBits(returned) != Double.doubleToLongBits(plain)) {
        return String.format(Locale.ROOT, "%s: mAdjoint returned %s but plain %s", label,
            returned, plain);
      }
      for (int k = 0; k < b.active.length; k++) {
        double d = ((Number) b.components[k + 1].invoke(record)).doubleValue();
        if (Double.doubleToLongBits(d) != Double.doubleToLongBits(adj[k])) {
          return String.format(Locale.ROOT, "%s: mGrad partial %d is %s but mAdjoint added %s",
              label, k, d, adj[k]);
        }
      }
      return "";
    } catch (InvocationTargetException e) {
      return label + ": generated code threw " + e.getCause();
    }
  }
}
