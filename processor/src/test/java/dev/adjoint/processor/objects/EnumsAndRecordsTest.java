package dev.adjoint.processor.objects;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enums as constants and records as inputs: each method is checked in every mode by
 * {@link ObjectModes} against Ridders' differences of the user's own method.
 */
class EnumsAndRecordsTest {

  static final String KINDS =
      """
      package p;

      public enum OptionType { CALL, PUT }
      """;

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Objs {
        public record Params(double k, double c, double m) {}
        public record Inner(double a, int n) {}
        public record Outer(Inner inner, double b, String label, OptionType type) {}
        public record CashFlow(double time, double amount) {}
        public record Curve(double[] times, double[] rates) {}

        static final double HALF = 0.5;

        @Differentiable(order = 2)
        public static double payoff(double s, double k, OptionType type) {
          double sign = type == OptionType.CALL ? 1 : -1;
          double soft = 0;
          switch (type) {
            case CALL -> soft = Math.log1p(Math.exp(s - k));
            case PUT -> soft = Math.log1p(Math.exp(k - s));
          }
          double w = switch (type) {
            case CALL -> s * HALF;
            case PUT -> k * HALF;
          };
          OptionType other = type == OptionType.CALL ? OptionType.PUT : OptionType.CALL;
          if (other != OptionType.PUT) {
            w += 0.25 * s;
          }
          return sign * soft + w + kind(type) * s * k;
        }

        @Differentiable(order = 2)
        public static double kind(OptionType type) {
          return type == OptionType.PUT ? 2.0 : 1.0;
        }

        @Differentiable(order = 2)
        public static double oscillator(Params p, double x0, int steps) {
          double x = x0;
          double v = 0;
          double dt = 0.01;
          for (int i = 0; i < steps; i++) {
            double a = (-p.k() * x - p.c() * v) / p.m();
            v += a * dt;
            x += v * dt;
          }
          return x * x + v;
        }

        @Differentiable(order = 2)
        public static double nested(Outer o, double x) {
          double s = o.inner().a() * x + o.b() * o.inner().n();
          if (o.type() == OptionType.PUT) {
            s = -s;
          }
          return Math.sin(s) + o.b() * o.b();
        }

        @Differentiable(order = 2)
        public static double bond(CashFlow[] flows, Curve curve) {
          double pv = 0;
          for (int i = 0; i < flows.length; i++) {
            double r = interpolate(curve, flows[i].time());
            pv += flows[i].amount() * Math.exp(-r * flows[i].time());
          }
          return pv;
        }

        @Differentiable(order = 2)
        public static double interpolate(Curve curve, double t) {
          double[] ts = curve.times();
          int j = 0;
          while (j < ts.length - 2 && t > ts[j + 1]) {
            j++;
          }
          double w = (t - ts[j]) / (ts[j + 1] - ts[j]);
          return curve.rates()[j] * (1 - w) + curve.rates()[j + 1] * w;
        }

        @Differentiable(order = 2)
        public static double callsWithRecords(Params p, CashFlow[] flows, double x) {
          double s = 0;
          for (int i = 0; i < flows.length; i++) {
            s += weight(flows[i], p) * x;
          }
          return s + oscillator(p, x, 2);
        }

        @Differentiable(order = 2)
        public static double weight(CashFlow f, Params p) {
          return f.amount() * p.k() + Math.sqrt(f.time() + p.m());
        }

        public static Params new2(Outer o) {
          return new Params(1, 1, 1);
        }
      }
      """;

  private static ObjectModes modes;
  private static InProcessCompiler compiled;

  @BeforeAll
  static void compile() {
    compiled = InProcessCompiler.compile(KINDS, SOURCE);
    modes = new ObjectModes(compiled.load("p.Objs"), compiled.load("p.ObjsDiff"));
    if (System.getProperty("objects.dump") != null) {
      System.out.println(compiled.generatedSource("p.ObjsDiff"));
    }
  }

  private static Object kind(String name) {
    Class<?> e = compiled.load("p.OptionType");
    for (Object c : e.getEnumConstants()) {
      if (((Enum<?>) c).name().equals(name)) {
        return c;
      }
    }
    throw new AssertionError(name);
  }

  @Test
  void enumParameterComparedAndSwitchedOn() {
    for (String k : new String[] {"CALL", "PUT"}) {
      double[] g = modes.check("payoff", 1.3, 1.1, kind(k));
      assertThat(g).hasLength(2);
    }
  }

  private static Object params(double k, double c, double m) {
    return construct("p.Objs$Params", k, c, m);
  }

  private static Object construct(String binaryName, Object... parts) {
    Class<?> type = compiled.load(binaryName);
    try {
      var constructor = type.getDeclaredConstructors()[0];
      constructor.setAccessible(true);
      return constructor.newInstance(parts);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object[] flows(double... timeAmount) {
    Class<?> type = compiled.load("p.Objs$CashFlow");
    Object[] out = (Object[]) java.lang.reflect.Array.newInstance(type, timeAmount.length / 2);
    for (int i = 0; i < out.length; i++) {
      out[i] = construct("p.Objs$CashFlow", timeAmount[2 * i], timeAmount[2 * i + 1]);
    }
    return out;
  }

  private static Object curve() {
    return construct("p.Objs$Curve", new double[] {0.0, 1.0, 2.5, 5.0},
        new double[] {0.02, 0.025, 0.03, 0.028});
  }

  @Test
  void recordParameterOscillator() {
    double[] g = modes.check("oscillator", params(2.0, 0.3, 1.5), 0.8, 20);
    assertThat(g).hasLength(4);
    Object grad = modes.call("oscillatorGrad", params(2.0, 0.3, 1.5), 0.8, 20);
    Object dP = ObjectModes.component(grad, "dP");
    // The gradient of a record is a record of the same type.
    assertThat(dP.getClass().getName()).isEqualTo("p.Objs$Params");
  }

  @Test
  void nestedRecordsWithConstantComponents() {
    for (String k : new String[] {"CALL", "PUT"}) {
      Object inner = construct("p.Objs$Inner", 0.7, 3);
      Object outer = construct("p.Objs$Outer", inner, -0.4, "label", kind(k));
      modes.check("nested", outer, 1.2);
      Object grad = modes.call("nestedGrad", outer, 1.2);
      Object dO = ObjectModes.component(grad, "dO");
      // Constant components hold the input's own values.
      assertThat(ObjectModes.component(dO, "label")).isEqualTo("label");
      assertThat(ObjectModes.component(dO, "type")).isEqualTo(kind(k));
      assertThat(ObjectModes.component(ObjectModes.component(dO, "inner"), "n")).isEqualTo(3);
    }
  }

  @Test
  void arrayOfRecordsAndRecordHoldingArrays() {
    double[] g = modes.check("bond", flows(0.5, 2.0, 1.5, 2.0, 3.0, 102.0), curve());
    assertThat(g).hasLength(6 + 8);
    Object grad = modes.call("bondGrad", flows(0.5, 2.0, 1.5, 2.0, 3.0, 102.0), curve());
    assertThat(ObjectModes.component(grad, "dFlows").getClass().getComponentType().getName())
        .isEqualTo("p.Objs$CashFlow");
    assertThat(ObjectModes.component(grad, "dCurve").getClass().getName())
        .isEqualTo("p.Objs$Curve");
  }

  @Test
  void recordsPassedToOtherDifferentiableMethods() {
    modes.check("callsWithRecords", params(1.1, 0.2, 0.9), flows(0.5, 2.0, 1.5, 3.0), 0.6);
    modes.check("interpolate", curve(), 1.7);
  }
}
