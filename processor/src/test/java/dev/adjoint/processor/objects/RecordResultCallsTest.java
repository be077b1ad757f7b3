package dev.adjoint.processor.objects;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calls of methods returning a record from differentiable code ({@code State s = step(s, p,
 * dt);}, {@code s = step(s, p, dt);}, {@code return step(...)}, {@code step(...).x()}), the
 * callee annotated or not, of this class, of another class, or the record's own instance
 * method: each read in place where it is called. Every mode against the oracle
 * ({@link ObjectModes}; {@code mAdjoint} through its flat buffers).
 */
class RecordResultCallsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Osc {
        public enum Mode { DAMPED, FREE }
        public record Params(double k, double c, double m) {}
        public record State(double x, double v) {
          public State advance(double dt, double a) {
            return new State(x + dt * v + 0.5 * dt * dt * a, v + dt * a);
          }
          @Differentiable(order = 2)
          public double drift(double dt) {
            State ahead = advance(dt, 0.5);
            return ahead.x() * v + advance(dt, -x).v();
          }

          @Differentiable(order = 2)
          public double energy(Params p) {
            return 0.5 * p.m() * v * v + 0.5 * p.k() * x * x;
          }
        }
        public record Tagged(State s, Mode mode, int count) {}
        public record Series(double[] xs, double total) {}

        /** Annotated: also a vector function of its own. */
        @Differentiable
        public static State step(State s, Params p, double dt) {
          double a = (-p.k() * s.x() - p.c() * s.v()) / p.m();
          double v = s.v() + dt * a;
          return new State(s.x() + dt * v, v);
        }

        /** Not annotated: read where it is called. */
        static State kick(State s, double f) {
          return new State(s.x(), s.v() + f * Math.cos(s.x()));
        }

        @Differentiable(order = 2)
        public static double oscillate(Params p, double x0, double v0, int steps) {
          State s0 = new State(x0, v0);
          State s = step(s0, p, 0.05);
          for (int i = 0; i < steps; i++) {
            s = step(s, p, 0.05);
            if (i % 3 == 0) {
              s = kick(s, 0.1);
            }
          }
          return s.x() * s.x() + s.v();
        }

        @Differentiable(order = 2)
        public static double flat(double k, double c, double m, double x0, double v0, int steps) {
          Params p = new Params(k, c, m);
          var s = new State(x0, v0);
          for (int i = 0; i < steps; i++) {
            State n = step(s, p, 0.02);
            s = n;
          }
          return s.x() + 3 * s.v();
        }

        @Differentiable(order = 2)
        public static double inExpressions(Params p, double x0, double v0) {
          State s = new State(x0, v0);
          double e = step(s, p, 0.1).x() * Math.exp(step(s, p, 0.2).v());
          return e + Forces.damp(s, 0.3).v() + step(new State(x0 * v0, 1), p, 0.1).x()
              + step(s, p, 0.05).energy(p) + energyOf(step(s, p, 0.05), p);
        }

        @Differentiable(order = 2)
        public static double energyOf(State s, Params p) {
          return 0.5 * p.m() * s.v() * s.v() + 0.5 * p.k() * s.x() * s.x();
        }

        @Differentiable(order = 2)
        public static double instanceCalls(Params p, double x0, double v0, int steps) {
          State s = new State(x0, v0);
          for (int i = 0; i < steps; i++) {
            double a = (-p.k() * s.x()) / p.m();
            s = s.advance(0.05, a);
          }
          State t = s.advance(0.1, 1.0).advance(0.1, -1.0);
          return s.energy(p) + t.x();
        }

        @Differentiable
        public static State twoSteps(State s, Params p, double dt) {
          State h = step(s, p, dt);
          return step(h, p, dt);
        }

        static Tagged tag(State s, double w, int count) {
          Mode m = w > 0 ? Mode.DAMPED : Mode.FREE;
          return new Tagged(new State(s.x() * w, s.v()), m, count);
        }

        @Differentiable(order = 2)
        public static double nested(double a, double b) {
          Tagged t = tag(new State(a, b), 0.5, 3);
          double f = t.mode() == Mode.DAMPED ? 2 : 1;
          for (int i = 0; i < t.count(); i++) {
            t = tag(step(t.s(), new Params(1, 0.1, 2), 0.1), f, t.count());
          }
          return t.s().x() * f + t.s().v();
        }

        static Series trajectory(State s0, Params p, int n) {
          double[] xs = new double[n];
          State s = step(s0, p, 0);
          double total = 0;
          for (int i = 0; i < n; i++) {
            s = step(s, p, 0.05);
            xs[i] = s.x();
            total += s.x() * s.x();
          }
          return new Series(xs, total);
        }

        @Differentiable
        public static double series(Params p, double x0, int n) {
          Series r = trajectory(new State(x0, 0), p, n);
          double sum = r.total();
          for (int i = 0; i < r.xs().length; i++) {
            sum += r.xs()[i] * (i + 1);
          }
          return sum;
        }
      }

      final class Forces {
        private Forces() {}

        static Osc.State damp(Osc.State s, double c) {
          double v = s.v() * (1 - c);
          return new Osc.State(s.x(), v * Math.exp(-c * s.x()));
        }
      }
      """;

  private static InProcessCompiler compiled;
  private static ObjectModes osc;
  private static ObjectModes states;

  @BeforeAll
  static void compile() {
    compiled = InProcessCompiler.compile(SOURCE);
    osc = new ObjectModes(compiled.load("p.Osc"), compiled.load("p.OscDiff"));
    states = new ObjectModes(compiled.load("p.Osc$State"), compiled.load("p.StateDiff"));
    if (Boolean.getBoolean("adjoint.print")) {
      System.out.println(compiled.generatedSource("p.OscDiff"));
    }
  }

  private static Object construct(String type, Object... args) {
    try {
      return compiled.load(type).getDeclaredConstructors()[0].newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object params(double k, double c, double m) {
    return construct("p.Osc$Params", k, c, m);
  }

  @Test
  void oscillatorSteppedByARecordReturningMethodOverManySteps() {
    osc.check("oscillate", params(2.0, 0.3, 1.2), 0.9, -0.2, 40);
    osc.check("oscillate", params(1.0, 0.0, 0.7), -0.4, 0.6, 0);
  }

  @Test
  void recordLocalFromACallAndReassigned() {
    osc.check("flat", 2.0, 0.3, 1.2, 0.9, -0.2, 25);
  }

  @Test
  void flatAdjointMatchesTheOracle() throws ReflectiveOperationException {
    double[] x = {2.0, 0.3, 1.2, 0.9, -0.2};
    Class<?> diff = compiled.load("p.OscDiff");
    Method adjoint = null;
    for (Method m : diff.getMethods()) {
      if (m.getName().equals("flatAdjoint") && m.getParameterCount() == 8) {
        adjoint = m;
      }
    }
    assertThat(adjoint).isNotNull();
    double[] adjoints = new double[5];
    adjoint.invoke(null, x[0], x[1], x[2], x[3], x[4], 25, 2.0, adjoints);
    Method plain = compiled.load("p.Osc").getMethod("flat", double.class, double.class,
        double.class, double.class, double.class, int.class);
    for (int k = 0; k < 5; k++) {
      int at = k;
      Oracle.Estimate e = Oracle.derivative(s -> {
        double[] y = x.clone();
        y[at] += s;
        try {
          return (double) plain.invoke(null, y[0], y[1], y[2], y[3], y[4], 25);
        } catch (ReflectiveOperationException ex) {
          throw new AssertionError(ex);
        }
      }, 0.0);
      assertWithMessage("adjoint[%s] (oracle %s)", k, e).that(adjoints[k])
          .isWithin(1e-7 * (1 + Math.abs(2 * e.value())) + 20 * e.error()).of(2 * e.value());
    }
  }

  @Test
  void callsInsideExpressionsOfThisAndAnotherClass() {
    osc.check("inExpressions", params(2.0, 0.3, 1.2), 0.9, -0.2);
  }

  @Test
  void recordsOwnInstanceMethodsReturningARecord() {
    osc.check("instanceCalls", params(2.0, 0.3, 1.2), 0.9, -0.2, 12);
  }

  @Test
  void recordReturningInstanceMethodCalledBareInsideTheRecord() {
    states.checkInstance("drift", construct("p.Osc$State", 0.8, -0.3), 0.1);
  }

  @Test
  void returningARecordReturnedByACall() {
    Object s0 = construct("p.Osc$State", 0.8, -0.3);
    double[][] j = osc.checkJacobian("twoSteps", s0, params(2.0, 0.3, 1.5), 0.05);
    assertThat(j).hasLength(2);
    assertThat(j[0]).hasLength(6);
  }

  @Test
  void nestedRecordsWithEnumAndIntComponents() {
    osc.check("nested", 0.6, 1.3);
  }

  @Test
  void recordWithAnArrayComponentReturned() {
    osc.check("series", params(2.0, 0.3, 1.2), 0.7, 9);
  }
}
