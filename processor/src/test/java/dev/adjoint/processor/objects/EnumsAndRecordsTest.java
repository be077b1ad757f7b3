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

        public record State(double x, double v) {}
        public record Step(State state, double energy) {}

        @Differentiable
        public static Step step(State s, Params p, double dt) {
          double a = -(p.k() * s.x() + p.c() * s.v()) / p.m();
          double v = s.v() + a * dt;
          double x = s.x() + v * dt;
          return new Step(new State(x, v), 0.5 * p.m() * v * v + 0.5 * p.k() * x * x);
        }

        @Differentiable(order = 2)
        public static double loops(CashFlow[] flows, Outer o, double x) {
          double s = 0;
          for (CashFlow f : flows) {
            s += f.amount() * Math.exp(-x * f.time());
          }
          int i = 0;
          CashFlow first = flows[i];
          i++;
          var in = o.inner();
          Inner same = in;
          return s + first.amount() * in.a() + same.n() * i * o.b();
        }

        public record Mixed(float f, double d, long n, boolean on, OptionType type) {}
        public record Tagged(double w, OptionType type) {}

        @Differentiable(order = 2)
        public static double mixed(Mixed m, double x) {
          double s = m.on() ? m.f() * x : m.d() * x;
          return s * m.n() + m.f() * m.d();
        }

        @Differentiable(wrt = "p")
        public static double onlyParams(Params p, double x, Params q) {
          return p.k() * x * q.c() + Math.exp(p.m() * q.k());
        }

        @Differentiable(order = 2)
        public static double tagged(Tagged[] ts, double x) {
          double s = 0;
          for (int i = 0; i < ts.length; i++) {
            switch (ts[i].type()) {
              case CALL:
                s += ts[i].w() * x;
                break;
              default:
                s -= Math.sin(ts[i].w() * x);
            }
          }
          double a = s * s;
          return a + x;
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

  @Test
  void floatLongBooleanAndEnumComponents() {
    for (boolean on : new boolean[] {true, false}) {
      Object m = construct("p.Objs$Mixed", 1.5f, -0.75, 3L, on, kind("PUT"));
      modes.check("mixed", m, 0.4);
      Object dM = ObjectModes.component(modes.call("mixedGrad", m, 0.4), "dM");
      assertThat(ObjectModes.component(dM, "f")).isInstanceOf(Float.class);
      assertThat(ObjectModes.component(dM, "n")).isEqualTo(3L);
      assertThat(ObjectModes.component(dM, "on")).isEqualTo(on);
    }
  }

  @Test
  void wrtNamesARecordParameter() throws ReflectiveOperationException {
    Object p = params(0.5, 1.5, -0.3);
    Object q = params(2.0, 0.7, 9.0);
    Object grad = modes.call("onlyParamsGrad", p, 1.2, q);
    assertThat(grad.getClass().getRecordComponents()).hasLength(2);
    Object dP = ObjectModes.component(grad, "dP");
    assertThat((double) ObjectModes.component(dP, "k")).isWithin(1e-12).of(1.2 * 0.7);
    assertThat((double) ObjectModes.component(dP, "c")).isEqualTo(0.0);
    assertThat((double) ObjectModes.component(dP, "m"))
        .isWithin(1e-12).of(2.0 * Math.exp(-0.3 * 2.0));
  }

  @Test
  void switchOnAnEnumComponentOfARecordArray() {
    Class<?> type = compiled.load("p.Objs$Tagged");
    Object[] ts = (Object[]) java.lang.reflect.Array.newInstance(type, 3);
    ts[0] = construct("p.Objs$Tagged", 0.5, kind("CALL"));
    ts[1] = construct("p.Objs$Tagged", 1.5, kind("PUT"));
    ts[2] = construct("p.Objs$Tagged", -0.8, kind("CALL"));
    modes.check("tagged", ts, 0.9);
  }

  @Test
  void adjointTakesTheRecordsAndFlatBuffersOnAReusedTape() throws ReflectiveOperationException {
    Object[] fl = flows(0.5, 2.0, 1.5, 2.0, 3.0, 102.0);
    Object c = curve();
    Object grad = modes.call("bondGrad", fl, c);
    double[] want = ObjectModes.flatten(ObjectModes.gradientComponents(grad));
    dev.adjoint.runtime.Tape tape = new dev.adjoint.runtime.Tape();
    double[] times = new double[3];
    double[] amounts = new double[3];
    double[] curveTimes = new double[4];
    double[] curveRates = new double[4];
    for (int round = 1; round <= 2; round++) {
      double value = (double) modes.call("bondAdjoint", fl, c, 1.0, times, amounts, curveTimes,
          curveRates, tape);
      assertThat(value).isEqualTo(ObjectModes.component(grad, "value"));
      // The flat buffers: each component of the array of records has its own.
      for (int i = 0; i < 3; i++) {
        assertThat(times[i]).isWithin(1e-15).of(round * want[2 * i]);
        assertThat(amounts[i]).isWithin(1e-15).of(round * want[2 * i + 1]);
      }
      for (int k = 0; k < 4; k++) {
        assertThat(curveRates[k]).isWithin(1e-15).of(round * want[6 + 4 + k]);
      }
      // The copies of the records' components were borrowed from the tape and given back.
      assertThat(tape.doubleSize()).isEqualTo(0);
    }
  }

  @Test
  void recordResultHasAJacobianAndPullbacksSeededWithARecord() {
    Object s0 = construct("p.Objs$State", 0.8, -0.3);
    double[][] j = modes.checkJacobian("step", s0, params(2.0, 0.3, 1.5), 0.05);
    // Rows: the result's doubles (state.x, state.v, energy); columns: s.x, s.v, k, c, m, dt.
    assertThat(j).hasLength(3);
    assertThat(j[0]).hasLength(6);
  }

  @Test
  void enhancedForOverRecordsAndRecordLocals() {
    Object inner = construct("p.Objs$Inner", 0.7, 3);
    Object outer = construct("p.Objs$Outer", inner, -0.4, "label", kind("CALL"));
    modes.check("loops", flows(0.5, 2.0, 1.5, 3.0), outer, 0.3);
  }
}
