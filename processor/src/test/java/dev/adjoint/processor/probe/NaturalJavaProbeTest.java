package dev.adjoint.processor.probe;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import dev.adjoint.processor.objects.ObjectModesAccess;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The natural-Java probe: the functions of {@link NaturalJavaSources}, each compiled as written
 * (one compilation each) with the processor. For each one that compiles, its gradient is checked
 * against Ridders' differences of the plain method in every generated mode ({@code mGrad},
 * {@code mVjp}, {@code mJvp}; {@code mJacobian} for an array result). For each one rejected,
 * every error must carry an {@code ADJ} id and a position in the user's source (never in
 * generated code, never an internal error).
 *
 * <p>It prints the tally (compiled as written, rejected with which ids at which positions):
 * {@code mvn -B -ntp -o -q -pl processor -am test -Dtest=NaturalJavaProbeTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class NaturalJavaProbeTest {

  /** One probe function: its source, main class and the check of its gradient. */
  record Probe(String name, String source, String className, Check check) {}

  @FunctionalInterface
  interface Check {
    void run(Class<?> source, Class<?> diff) throws Exception;
  }

  /** A compiled probe's classes, or its errors. */
  record Outcome(Probe probe, Class<?> source, Class<?> diff, List<String> errors,
      Compilation compilation) {
    boolean compiled() {
      return errors.isEmpty();
    }
  }

  private static final Pattern ID = Pattern.compile("ADJ\\d{3}");
  private static final Map<String, Outcome> OUTCOMES = new LinkedHashMap<>();

  static List<Probe> probes() {
    List<Probe> p = new ArrayList<>();
    p.add(new Probe("Clad f_sum/f_pow loops", NaturalJavaSources.CLAD_LOOPS, "probe.CladLoops",
        (s, d) -> scalar(s, d, "sumPow", new double[] {0.3, -0.7, 1.2}, 1.1, 3)));
    p.add(new Probe("Enzyme max of an array", NaturalJavaSources.ENZYME_MAX, "probe.EnzymeMax",
        (s, d) -> scalar(s, d, "softMax", (Object) new double[] {0.3, 1.4, -0.2})));
    p.add(new Probe("Tapenade Horner", NaturalJavaSources.HORNER, "probe.Horner",
        (s, d) -> scalar(s, d, "eval", new double[] {1, -2, 0.5, 0.3}, 0.7)));
    p.add(new Probe("normal log-density", NaturalJavaSources.NORMAL, "probe.Normal",
        (s, d) -> scalar(s, d, "logDensity", 0.3, -0.2, 1.4)));
    p.add(new Probe("gamma log-density (Lanczos)", NaturalJavaSources.GAMMA, "probe.GammaDist",
        (s, d) -> {
          scalar(s, d, "logDensity", 1.3, 2.5, 0.8);
          scalar(s, d, "logDensity", 0.9, 0.3, 1.7);
        }));
    p.add(new Probe("beta log-density", NaturalJavaSources.BETA, "probe.BetaDist",
        (s, d) -> scalar(s, d, "logDensity", 0.3, 2.2, 3.1)));
    p.add(new Probe("Student-t log-density", NaturalJavaSources.STUDENT_T, "probe.StudentT",
        (s, d) -> scalar(s, d, "logDensity", 0.4, 3.5, 0.1, 1.3)));
    p.add(new Probe("log-sum-exp", NaturalJavaSources.LOG_SUM_EXP, "probe.LogSumExp",
        (s, d) -> scalar(s, d, "logSumExp", (Object) new double[] {0.3, 1.2, -0.5})));
    p.add(new Probe("Rosenbrock", NaturalJavaSources.ROSENBROCK, "probe.Rosenbrock",
        (s, d) -> scalar(s, d, "value", (Object) new double[] {-1.2, 1.0, 0.8})));
    p.add(new Probe("Rastrigin", NaturalJavaSources.RASTRIGIN, "probe.Rastrigin",
        (s, d) -> scalar(s, d, "value", (Object) new double[] {0.3, -0.7, 1.1})));
    p.add(new Probe("Ackley", NaturalJavaSources.ACKLEY, "probe.Ackley",
        (s, d) -> scalar(s, d, "value", (Object) new double[] {0.3, -0.7, 1.1})));
    p.add(new Probe("Beale", NaturalJavaSources.BEALE, "probe.Beale",
        (s, d) -> scalar(s, d, "value", 1.1, 0.4)));
    p.add(new Probe("Himmelblau", NaturalJavaSources.HIMMELBLAU, "probe.Himmelblau",
        (s, d) -> scalar(s, d, "value", (Object) new double[] {1.2, 2.3})));
    p.add(new Probe("MINPACK Box 3-D residuals", NaturalJavaSources.BOX3D, "probe.Box3d",
        (s, d) -> ObjectModesAccess.checkJacobian(s, d, "residuals",
            new double[] {0.5, 9.5, 1.1}, 5)));
    p.add(new Probe("MINPACK Powell singular", NaturalJavaSources.POWELL,
        "probe.PowellSingular",
        (s, d) -> scalar(s, d, "sumOfSquares", (Object) new double[] {3, -1, 0.5, 1})));
    p.add(new Probe("RK4 with a derivative helper", NaturalJavaSources.RK4, "probe.Rk4",
        (s, d) -> scalar(s, d, "finalAngle", new double[] {0.5, 0.1}, 0.2, 9.81, 0.05, 10)));
    p.add(new Probe("leapfrog n-body over Body[]", NaturalJavaSources.NBODY, "probe.NBody",
        (s, d) -> {
          Class<?> body = s.getClassLoader().loadClass("probe.NBody$Body");
          Object bodies = Array.newInstance(body, 3);
          double[][] init = {{0, 0, 0, 0.1, 5}, {1, 0, 0, 1.2, 0.5}, {-1.5, 0.3, 0.2, -0.8, 0.3}};
          Constructor<?> c = body.getDeclaredConstructors()[0];
          c.setAccessible(true);
          for (int i = 0; i < 3; i++) {
            Array.set(bodies, i, c.newInstance(init[i][0], init[i][1], init[i][2], init[i][3],
                init[i][4]));
          }
          scalar(s, d, "energyAfter", bodies, 0.01, 5);
        }));
    p.add(new Probe("double-buffered heat equation", NaturalJavaSources.HEAT, "probe.Heat",
        (s, d) -> scalar(s, d, "heat", new double[] {0, 1, 0.5, 0.2, 0}, 0.2, 4)));
    p.add(new Probe("oscillator with a Params record", NaturalJavaSources.OSCILLATOR,
        "probe.Oscillator",
        (s, d) -> scalar(s, d, "finalPosition",
            record(s, "probe.Oscillator$Params", 2.0, 0.3, 1.5), 1.0, 0.0, 0.05, 20)));
    p.add(new Probe("MLP with dense helpers", NaturalJavaSources.MLP, "probe.Mlp",
        (s, d) -> scalar(s, d, "loss", new double[][] {{0.3, -0.2}, {0.5, 0.1}, {-0.4, 0.7}},
            new double[] {0.05, -0.1, 0.2},
            new double[][] {{0.6, -0.3, 0.2}, {-0.1, 0.4, 0.5}}, new double[] {0.1, -0.05},
            new double[] {0.8, -1.2}, 1)));
    p.add(new Probe("masked MSE with boolean[]", NaturalJavaSources.MASKED_MSE,
        "probe.MaskedMse",
        (s, d) -> scalar(s, d, "loss", new double[] {0.3, 1.2, -0.5, 0.8},
            new double[] {0.1, 1.0, 0.4, 0.0}, new boolean[] {true, false, true, true})));
    p.add(new Probe("RNN cell over a sequence", NaturalJavaSources.RNN, "probe.Rnn",
        (s, d) -> scalar(s, d, "sequenceLoss", new double[][] {{0.3, -0.2}, {0.5, 0.1}},
            new double[][] {{0.1, 0.4}, {-0.3, 0.2}}, new double[] {0.05, -0.1},
            new double[][] {{0.8, -1.2}, {0.1, 0.5}, {-0.6, 0.3}}, new double[] {0.2, -0.4})));
    p.add(new Probe("logistic regression", NaturalJavaSources.LOGISTIC, "probe.Logistic",
        (s, d) -> scalar(s, d, "negLogLikelihood", new double[] {0.4, -0.3},
            new double[][] {{1, 0.5}, {-0.3, 2}, {0.7, -1.1}}, new int[] {1, 0, 1}, 0.1)));
    p.add(new Probe("activation chosen by a String switch", NaturalJavaSources.ACTIVATION,
        "probe.Activation", (s, d) -> scalar(s, d, "apply", 0.5, "tanh")));
    p.add(new Probe("Black-76 with an enum switch", NaturalJavaSources.BLACK76,
        "probe.Black76",
        (s, d) -> {
          for (String type : new String[] {"CALL", "PUT"}) {
            scalar(s, d, "price", constant(s, "probe.Black76$OptionType", type), 100.0, 95.0,
                0.25, 0.75, 0.03);
          }
        }));
    p.add(new Probe("bond from CashFlow[]", NaturalJavaSources.BOND, "probe.Bond",
        (s, d) -> {
          Class<?> cf = s.getClassLoader().loadClass("probe.Bond$CashFlow");
          Object flows = Array.newInstance(cf, 3);
          for (int i = 0; i < 3; i++) {
            Array.set(flows, i, record(s, "probe.Bond$CashFlow", 0.5 * (i + 1),
                i == 2 ? 103.0 : 3.0));
          }
          scalar(s, d, "price", flows, 0.04);
        }));
    p.add(new Probe("Heston Euler Monte Carlo with Random", NaturalJavaSources.HESTON,
        "probe.HestonMc",
        (s, d) -> scalar(s, d, "callPrice", 100.0, 0.04, 1.5, 0.04, 0.1, -0.7, 90.0, 1.0, 4, 8,
            42L)));
    p.add(new Probe("swap PV on a private static final tenor table", NaturalJavaSources.SWAP,
        "probe.SwapPv",
        (s, d) -> scalar(s, d, "pv", new double[] {0.01, 0.012, 0.015, 0.017, 0.02, 0.022},
            0.03, 100.0, 6)));
    p.add(new Probe("Simpson's rule with a private helper", NaturalJavaSources.SIMPSON,
        "probe.Simpson", (s, d) -> scalar(s, d, "gaussianIntegral", 0.7, 2.0, 10)));
    p.add(new Probe("Kepler's equation by Newton", NaturalJavaSources.KEPLER, "probe.Kepler",
        (s, d) -> scalar(s, d, "trueAnomaly", 1.2, 0.3)));
    p.add(new Probe("switch with fall-through", NaturalJavaSources.PIECEWISE, "probe.Piecewise",
        (s, d) -> {
          for (int order : new int[] {1, 2, 3, 7}) {
            scalar(s, d, "bump", 0.7, order);
          }
        }));
    p.add(new Probe("Welford variance with a long counter", NaturalJavaSources.WELFORD,
        "probe.Welford",
        (s, d) -> scalar(s, d, "variance", (Object) new double[] {0.3, 1.2, -0.5, 2.0})));
    p.add(new Probe("Huber regression, helpers in another class", NaturalJavaSources.HUBER,
        "probe.Regression",
        (s, d) -> scalar(s, d, "huberLoss", new double[] {0.1, 0.5},
            new double[] {0, 1, 2, 3}, new double[] {0.2, 0.4, 3.5, 1.6}, 1.0)));
    p.add(new Probe("Polynomial final class, instance eval", NaturalJavaSources.POLYNOMIAL,
        "probe.Polynomial",
        (s, d) -> {
          Object poly = s.getConstructor(double[].class)
              .newInstance((Object) new double[] {1, -2, 0.5});
          ObjectModesAccess.checkInstance(s, d, "eval", poly, 0.7);
        }));
    p.add(new Probe("entropy of a softmax helper", NaturalJavaSources.SOFTMAX_NORMALISE,
        "probe.Normalise",
        (s, d) -> scalar(s, d, "entropy", (Object) new double[] {0.3, 1.2, -0.5})));
    p.add(new Probe("standardise the parameter in place", NaturalJavaSources.NORMALISE_IN_PLACE,
        "probe.Standardise",
        (s, d) -> scalar(s, d, "standardisedSumOfCubes",
            (Object) new double[] {0.3, 1.2, -0.5, 2.0})));
    p.add(new Probe("Gauss-Legendre on a private double[][] rule",
        NaturalJavaSources.GAUSS_LEGENDRE, "probe.GaussLegendre", (s, d) -> scalar(s, d, "integral", 0.2, 1.7, 2.3)));
    p.add(new Probe("linear interpolation by binary search", NaturalJavaSources.SPLINE,
        "probe.LinearInterp",
        (s, d) -> scalar(s, d, "interpolate", new double[] {0, 0.5, 1.2, 2.0},
            new double[] {1.0, 0.3, -0.4, 0.8}, 0.9)));
    p.add(new Probe("accrual with long days and a boolean flag", NaturalJavaSources.ACCRUAL,
        "probe.Accrual",
        (s, d) -> {
          scalar(s, d, "accrued", 1000.0, 0.05, 90L, true);
          scalar(s, d, "accrued", 1000.0, 0.05, 90L, false);
        }));
    return p;
  }

  private static void scalar(Class<?> source, Class<?> diff, String method, Object... args) {
    ObjectModesAccess.check(source, diff, method, args);
  }

  private static Object record(Class<?> source, String name, Object... components)
      throws Exception {
    Class<?> type = source.getClassLoader().loadClass(name);
    Constructor<?> c = type.getDeclaredConstructors()[0];
    c.setAccessible(true);
    return c.newInstance(components);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object constant(Class<?> source, String enumName, String constant)
      throws Exception {
    Class type = source.getClassLoader().loadClass(enumName);
    return Enum.valueOf(type, constant);
  }

  @BeforeAll
  static void compileEach() {
    for (Probe probe : probes()) {
      JavaFileObject file = JavaFileObjects.forSourceString(probe.className(), probe.source());
      Compilation c = Compiler.javac().withProcessors(new AdjointProcessor()).compile(file);
      List<String> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : c.errors()) {
        Matcher m = ID.matcher(d.getMessage(Locale.ROOT));
        String where = d.getSource() == null ? "?" : d.getSource().getName();
        errors.add((m.find() ? m.group() : "javac") + " at " + where.replaceAll(".*/", "")
            + ":" + d.getLineNumber() + ":" + d.getColumnNumber());
      }
      Class<?> source = null;
      Class<?> diff = null;
      if (errors.isEmpty()) {
        InProcessCompiler compiled = InProcessCompiler.compile(probe.source());
        source = compiled.load(probe.className());
        diff = compiled.load(probe.className() + "Diff");
      }
      OUTCOMES.put(probe.name(), new Outcome(probe, source, diff, errors, c));
    }
    StringBuilder tally = new StringBuilder("\nNatural-Java probe tally\n");
    int compiled = 0;
    Map<String, Integer> byId = new TreeMap<>();
    for (Outcome o : OUTCOMES.values()) {
      compiled += o.compiled() ? 1 : 0;
      tally.append(String.format(Locale.ROOT, "  %-48s %s%n", o.probe().name(),
          o.compiled() ? "compiles" : "rejected: " + String.join(", ", o.errors())));
      o.errors().stream().map(e -> e.substring(0, e.indexOf(' '))).distinct()
          .forEach(id -> byId.merge(id, 1, Integer::sum));
    }
    tally.append(String.format(Locale.ROOT, "compiled as written: %d of %d%n", compiled,
        OUTCOMES.size()));
    tally.append("functions blocked, by id: ").append(byId).append('\n');
    System.out.println(tally);
  }

  @Test
  void everyCompiledFunctionHasTheOraclesGradientInEveryMode() {
    List<String> failures = new ArrayList<>();
    for (Outcome o : OUTCOMES.values()) {
      if (!o.compiled()) {
        continue;
      }
      try {
        o.probe().check().run(o.source(), o.diff());
      } catch (Throwable t) {
        failures.add(o.probe().name() + ": " + t);
      }
    }
    assertWithMessage("gradients").that(failures).isEmpty();
  }

  @Test
  void everyRejectionIsAnAdjErrorAtAPositionInTheUsersSource() {
    for (Outcome o : OUTCOMES.values()) {
      for (Diagnostic<? extends JavaFileObject> d : o.compilation().errors()) {
        String message = d.getMessage(Locale.ROOT);
        assertWithMessage("%s: %s", o.probe().name(), message).that(message)
            .containsMatch("ADJ\\d{3}");
        assertWithMessage("%s: %s", o.probe().name(), message).that(message)
            .doesNotContain("ADJ002");
        assertWithMessage("%s: source of %s", o.probe().name(), message)
            .that(d.getSource()).isNotNull();
        assertWithMessage("%s: file of %s", o.probe().name(), message)
            .that(d.getSource().getName()).doesNotContain("Diff");
        assertWithMessage("%s: line of %s", o.probe().name(), message)
            .that(d.getLineNumber()).isGreaterThan(0L);
      }
    }
  }
}
