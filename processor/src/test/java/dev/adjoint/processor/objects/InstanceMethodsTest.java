package dev.adjoint.processor.objects;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.InProcessCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Instance methods of records: {@code this} is an implicit record parameter (its derivative
 * {@code dThis()}, its generated parameter {@code self}), its components are read by their
 * field names or accessors, and calls of such methods from other differentiable code, on
 * parameters and on elements of record arrays, are differentiated. Every mode against the
 * oracle ({@link ObjectModes}).
 */
class InstanceMethodsTest {

  static final String SOURCE =
      """
      package p;

      import dev.adjoint.Differentiable;

      public class NBody {
        static final double G = 1.5;

        public record Body(double x, double y, double mass) {
          @Differentiable(order = 2)
          public double kinetic(double vx, double vy) {
            return 0.5 * mass * (vx * vx + vy * vy);
          }

          @Differentiable(order = 2)
          public double potential(Body other) {
            double dx = x - other.x;
            double dy = this.y - other.y();
            return -G * mass * other.mass() / Math.sqrt(dx * dx + dy * dy + 0.01);
          }

          @Differentiable(order = 2)
          public double energy(Body other, double v) {
            return kinetic(v, 0.5 * v) + potential(other);
          }
        }

        public record Poly(double[] c) {
          @Differentiable(order = 2)
          public double eval(double x) {
            double s = 0;
            for (int i = c.length - 1; i >= 0; i--) {
              s = s * x + c[i];
            }
            return s;
          }
        }

        @Differentiable(order = 2)
        public static double total(Body[] bodies, double v) {
          double e = 0;
          for (int i = 0; i < bodies.length; i++) {
            e += bodies[i].kinetic(v, v * i);
            for (int j = i + 1; j < bodies.length; j++) {
              e += bodies[i].potential(bodies[j]);
            }
          }
          return e;
        }

        @Differentiable(order = 2)
        public static double horner(Poly p, double x) {
          return p.eval(x) * p.eval(0.5 * x);
        }
      }
      """;

  private static ObjectModes nbody;
  private static ObjectModes bodies;
  private static ObjectModes polys;
  private static InProcessCompiler compiled;

  @BeforeAll
  static void compile() {
    compiled = InProcessCompiler.compile(SOURCE);
    nbody = new ObjectModes(compiled.load("p.NBody"), compiled.load("p.NBodyDiff"));
    bodies = new ObjectModes(compiled.load("p.NBody$Body"), compiled.load("p.BodyDiff"));
    polys = new ObjectModes(compiled.load("p.NBody$Poly"), compiled.load("p.PolyDiff"));
    if (System.getProperty("objects.dump") != null) {
      System.out.println(compiled.generatedSource("p.BodyDiff"));
    }
  }

  private static Object body(double x, double y, double mass) {
    return construct("p.NBody$Body", x, y, mass);
  }

  private static Object construct(String binaryName, Object... parts) {
    try {
      var constructor = compiled.load(binaryName).getDeclaredConstructors()[0];
      constructor.setAccessible(true);
      return constructor.newInstance(parts);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void instanceMethodReadsItsFieldsAndThisIsDifferentiated() {
    double[] g = bodies.checkInstance("kinetic", body(0.3, -0.2, 2.0), 1.1, -0.7);
    // d/dmass = (vx^2 + vy^2) / 2, d/dvx = mass vx.
    assertThat(g[2]).isWithin(1e-12).of(0.5 * (1.1 * 1.1 + 0.7 * 0.7));
    assertThat(g[3]).isWithin(1e-12).of(2.0 * 1.1);
    Object grad = bodies.call("kineticGrad", body(0.3, -0.2, 2.0), 1.1, -0.7);
    assertThat(ObjectModes.component(grad, "dThis").getClass().getName())
        .isEqualTo("p.NBody$Body");
  }

  @Test
  void instanceMethodsCallingEachOtherAndTakingRecords() {
    bodies.checkInstance("potential", body(0.3, -0.2, 2.0), body(-0.5, 0.4, 1.3));
    bodies.checkInstance("energy", body(0.3, -0.2, 2.0), body(-0.5, 0.4, 1.3), 0.8);
  }

  @Test
  void instanceMethodsCalledOnArrayElements() {
    Object[] array = (Object[]) java.lang.reflect.Array.newInstance(
        compiled.load("p.NBody$Body"), 3);
    array[0] = body(0.0, 0.0, 1.0);
    array[1] = body(1.0, 0.5, 2.0);
    array[2] = body(-0.7, 1.2, 0.5);
    nbody.check("total", array, 0.6);
  }

  @Test
  void recordHoldingAnArrayWithAHornerMethod() {
    Object p = construct("p.NBody$Poly", (Object) new double[] {1.0, -0.5, 0.25, 2.0});
    polys.checkInstance("eval", p, 0.7);
    nbody.check("horner", p, 0.7);
  }
}
