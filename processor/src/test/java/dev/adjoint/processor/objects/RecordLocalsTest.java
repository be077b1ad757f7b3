package dev.adjoint.processor.objects;

import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records created in the method ({@code Params q = new Params(a * 2, b);}), read, passed,
 * called and reassigned (a state record stepped in a loop): flattened to one local per
 * component. Every mode against the oracle ({@link ObjectModes}).
 */
class RecordLocalsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class Phys {
        public enum Mode { DAMPED, FREE }
        public record Params(double k, double c, double m) {}
        public record State(double x, double v) {
          @Differentiable(order = 2)
          public double energy(Params p) {
            return 0.5 * p.m() * v * v + 0.5 * p.k() * x * x;
          }
        }
        public record Tagged(State s, Mode mode, int count) {}

        @Differentiable(order = 2)
        public static double accel(State s, Params p) {
          return (-p.k() * s.x() - p.c() * s.v()) / p.m();
        }

        @Differentiable(order = 2)
        public static double built(double a, double b, double x) {
          Params q = new Params(a * 2, b, 1.5);
          var s = new State(x, -0.5 * a);
          double e = s.energy(q) + accel(s, q) * q.k();
          Params r = q;
          return e + r.c() * Math.sin(r.k());
        }

        @Differentiable(order = 2)
        public static double stepped(Params p, double x0, double v0, int steps) {
          State s = new State(x0, v0);
          double dt = 0.05;
          for (int i = 0; i < steps; i++) {
            double a = accel(s, p);
            s = new State(s.x() + dt * s.v() + 0.5 * dt * dt * a, s.v() + dt * a);
          }
          return s.energy(p);
        }

        @Differentiable(order = 2)
        public static double nestedAndEnum(double a, double b) {
          Tagged t = new Tagged(new State(a, b * b), Mode.DAMPED, 3);
          double w = t.mode() == Mode.DAMPED ? 0.5 : 1.0;
          for (int i = 0; i < t.count(); i++) {
            t = new Tagged(new State(t.s().v() * w, t.s().x() + a), t.mode(), t.count());
          }
          return t.s().x() * t.s().v();
        }
      }
      """;

  private static InProcessCompiler compiled;
  private static ObjectModes phys;

  @BeforeAll
  static void compile() {
    compiled = InProcessCompiler.compile(SOURCE);
    phys = new ObjectModes(compiled.load("p.Phys"), compiled.load("p.PhysDiff"));
    if (Boolean.getBoolean("adjoint.print")) {
      System.out.println(compiled.generatedSource("p.PhysDiff"));
    }
  }

  private static Object params(double k, double c, double m) {
    try {
      return compiled.load("p.Phys$Params").getDeclaredConstructors()[0].newInstance(k, c, m);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void recordsCreatedReadPassedAndCalled() {
    phys.check("built", 0.8, -0.3, 1.7);
  }

  @Test
  void stateRecordSteppedInALoop() {
    phys.check("stepped", params(2.0, 0.3, 1.2), 0.9, -0.2, 30);
  }

  @Test
  void nestedRecordsWithEnumAndIntComponents() {
    phys.check("nestedAndEnum", 0.6, 1.3);
  }
}
