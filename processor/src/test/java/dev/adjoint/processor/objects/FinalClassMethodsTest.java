package dev.adjoint.processor.objects;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.InProcessCompiler;
import java.lang.reflect.Array;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Instance methods of final classes: {@code this} is an implicit constant parameter whose final
 * fields (private ones included, read by the generated class through a handle) are read as
 * constants, the entry points take the receiver first and give no derivative for it; calls of
 * such methods on parameters, array elements and fields of {@code this} are differentiated.
 * Every mode against the oracle ({@link ObjectModes}: the gradient, its value, {@code mVjp}'s
 * pullbacks, {@code mJvp}, and {@code mHvp} for order 2; {@code mJacobian} for an array result).
 */
class FinalClassMethodsTest {

  static final String POLYNOMIAL = """
      package p;

      import dev.adjoint.Differentiable;

      public final class Polynomial {
        private final double[] c;

        public Polynomial(double[] c) {
          this.c = c.clone();
        }

        public int degree() {
          return c.length - 1;
        }

        @Differentiable(order = 2)
        public double eval(double x) {
          double y = 0;
          for (int i = c.length - 1; i >= 0; i--) {
            y = y * x + c[i];
          }
          return y;
        }

        @Differentiable(order = 2)
        public double squared(double x) {
          double y = eval(x);
          return y * this.eval(0.5 * x);
        }
      }
      """;

  static final String BODY = """
      package p;

      import dev.adjoint.Differentiable;

      public final class Body {
        private final double mass;
        final int index;
        private final double softening;

        public Body(double mass, int index, double softening) {
          this.mass = mass;
          this.index = index;
          this.softening = softening;
        }

        public double mass() {
          return mass;
        }

        @Differentiable(order = 2)
        public double distance(Body other, double[] q) {
          double dx = q[3 * index] - q[3 * other.index];
          double dy = q[3 * index + 1] - q[3 * other.index + 1];
          double dz = q[3 * index + 2] - q[3 * other.index + 2];
          return Math.sqrt(dx * dx + dy * dy + dz * dz + softening * other.softening);
        }
      }
      """;

  static final String MODEL = """
      package p;

      import dev.adjoint.Differentiable;

      public final class Model {
        public enum Mode { PLAIN, DAMPED }
        public record Params(double k, double damping) {}

        private final Params params;
        final Polynomial drift;
        private final Mode mode;
        private final int steps;

        public Model(Params params, Polynomial drift, Mode mode, int steps) {
          this.params = params;
          this.drift = drift;
          this.mode = mode;
          this.steps = steps;
        }

        @Differentiable(order = 2)
        public double run(double x0) {
          double x = x0;
          double dt = 1.0 / steps;
          for (int i = 0; i < steps; i++) {
            double force = -params.k() * x + 0.1 * drift.eval(x);
            if (mode == Mode.DAMPED) {
              force -= params.damping() * x * x;
            }
            x += dt * force;
          }
          return x;
        }
      }
      """;

  static final String USES = """
      package p;

      import dev.adjoint.Differentiable;

      public class Uses {
        @Differentiable(order = 2)
        public static double root(Polynomial p, double x) {
          return p.eval(x) * p.eval(x) + p.degree();
        }

        @Differentiable(order = 2)
        public static double energy(Body[] bodies, double[] q, double[] v) {
          double e = 0;
          for (int i = 0; i < bodies.length; i++) {
            double m = bodies[i].mass();
            e += 0.5 * m * (v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1]
                + v[3 * i + 2] * v[3 * i + 2]);
            for (int j = i + 1; j < bodies.length; j++) {
              e -= m * bodies[j].mass() / bodies[i].distance(bodies[j], q);
            }
          }
          return e;
        }

        @Differentiable(order = 2)
        public static double simulate(Model model, double x0, double scale) {
          return scale * model.run(x0 * scale);
        }

        @Differentiable(order = 2)
        public static double kinetic(Body[] bodies, double[] v) {
          double e = 0;
          int i = 0;
          for (Body b : bodies) {
            e += 0.5 * b.mass() * v[i] * v[i];
            i++;
          }
          Body first = bodies[0];
          var last = bodies[bodies.length - 1];
          return e + first.mass() * last.distance(first, v);
        }

        @Differentiable
        public static double[] values(Polynomial p, double[] xs) {
          double[] out = new double[xs.length];
          for (int i = 0; i < xs.length; i++) {
            out[i] = p.eval(xs[i]);
          }
          return out;
        }
      }
      """;

  static final String PRICING = """
      package p;

      import dev.adjoint.Differentiable;

      public class Pricing {
        public record Trade(Polynomial curve, double notional, Kernel kernel) {}

        public static final class Kernel {
          private final double width;

          public Kernel(double width) {
            this.width = width;
          }

          @Differentiable(order = 2)
          public double weight(double x) {
            return Math.exp(-x * x / (width * width));
          }
        }

        @Differentiable(order = 2)
        public static double value(Trade trade, double x) {
          return trade.notional() * trade.curve().eval(x) * trade.kernel().weight(x);
        }
      }
      """;

  private static InProcessCompiler compiled;
  private static ObjectModes pricing;
  private static ObjectModes kernel;
  private static ObjectModes polynomial;
  private static ObjectModes body;
  private static ObjectModes model;
  private static ObjectModes uses;

  @BeforeAll
  static void compile() {
    compiled = InProcessCompiler.compile(POLYNOMIAL, BODY, MODEL, USES, PRICING);
    pricing = new ObjectModes(compiled.load("p.Pricing"), compiled.load("p.PricingDiff"));
    kernel = new ObjectModes(compiled.load("p.Pricing$Kernel"), compiled.load("p.KernelDiff"));
    polynomial = new ObjectModes(compiled.load("p.Polynomial"), compiled.load("p.PolynomialDiff"));
    body = new ObjectModes(compiled.load("p.Body"), compiled.load("p.BodyDiff"));
    model = new ObjectModes(compiled.load("p.Model"), compiled.load("p.ModelDiff"));
    uses = new ObjectModes(compiled.load("p.Uses"), compiled.load("p.UsesDiff"));
    if (System.getProperty("objects.dump") != null) {
      System.out.println(compiled.generatedSource("p.PolynomialDiff"));
      System.out.println(compiled.generatedSource("p.UsesDiff"));
    }
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

  private static Object poly(double... c) {
    return construct("p.Polynomial", (Object) c);
  }

  @Test
  void hornerOverAPrivateFieldIsDifferentiatedInXOnly() {
    Object p = poly(1.0, -2.0, 0.5, 0.25);
    double[] g = polynomial.checkInstance("eval", p, 0.7);
    // The receiver is a constant: the gradient is d/dx alone, c1 + 2 c2 x + 3 c3 x^2.
    assertThat(g).hasLength(1);
    assertThat(g[0]).isWithin(1e-12).of(-2.0 + 2 * 0.5 * 0.7 + 3 * 0.25 * 0.7 * 0.7);
    Object grad = polynomial.call("evalGrad", p, 0.7);
    assertThat(grad.getClass().getRecordComponents()).hasLength(2);
  }

  @Test
  void instanceMethodCallingItselfBareAndThroughThis() {
    polynomial.checkInstance("squared", poly(0.3, 1.0, -0.4), -1.3);
  }

  @Test
  void callsOnAParameterAndAGetterOfAFinalClass() {
    uses.check("root", poly(1.0, -2.0, 0.5), 0.9);
  }

  @Test
  void nBodyEnergyOverAnArrayOfFinalClassInstances() {
    Object[] bodies = (Object[]) Array.newInstance(compiled.load("p.Body"), 3);
    bodies[0] = construct("p.Body", 1.0, 0, 0.01);
    bodies[1] = construct("p.Body", 2.0, 1, 0.02);
    bodies[2] = construct("p.Body", 0.5, 2, 0.03);
    double[] q = {0.0, 0.1, -0.2, 1.0, 0.4, 0.3, -0.6, 1.1, 0.2};
    double[] v = {0.1, -0.3, 0.2, 0.5, 0.0, -0.1, -0.2, 0.4, 0.3};
    uses.check("energy", bodies, q, v);
    uses.check("kinetic", bodies, v);
    body.checkInstance("distance", bodies[0], bodies[2], q);
  }

  @Test
  void aClassHoldingARecordAnEnumAndAnotherFinalClass() {
    Object params = construct("p.Model$Params", 1.3, 0.4);
    Object drift = poly(0.2, -0.5, 0.3);
    Class<?> mode = compiled.load("p.Model$Mode");
    for (Object m : mode.getEnumConstants()) {
      Object instance = construct("p.Model", params, drift, m, 12);
      model.checkInstance("run", instance, 0.8);
      uses.check("simulate", instance, 0.8, 1.1);
    }
  }

  @Test
  void aRecordHoldingFinalClassesAndANestedFinalClass() {
    Object k = construct("p.Pricing$Kernel", 1.7);
    kernel.checkInstance("weight", k, 0.6);
    Object trade = construct("p.Pricing$Trade", poly(0.5, 1.0, -0.3), 2.5, k);
    double[] g = pricing.check("value", trade, 0.6);
    // The gradient holds d/dnotional and d/dx; the record's derivative keeps its objects.
    assertThat(g).hasLength(2);
    Object dTrade = ObjectModes.component(pricing.call("valueGrad", trade, 0.6), "dTrade");
    assertThat(ObjectModes.component(dTrade, "curve"))
        .isSameInstanceAs(ObjectModes.component(trade, "curve"));
  }

  @Test
  void jacobianOfAnArrayResultCallingAnInstanceMethod() {
    uses.checkJacobian("values", poly(1.0, 0.5, -0.25), new double[] {0.1, -0.7, 1.3});
  }

  @Test
  void privateFieldsAreReadThroughHandlesAndPackagePrivateOnesDirectly() {
    String diff = compiled.generatedSource("p.BodyDiff");
    assertThat(diff).contains("BODY_SOFTENING_FIELD.get(self)");
    assertThat(diff).contains("self.index");
  }
}
