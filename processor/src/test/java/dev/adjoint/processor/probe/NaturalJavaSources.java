package dev.adjoint.processor.probe;

/**
 * The probe's functions, written as ordinary Java programmers write them, ported in spirit from
 * other people's code (AD tools' test suites, a statistics library, optimisation test functions,
 * MINPACK, physics integrators, small networks, pricing formulas). Each is one source file, with
 * {@code @Differentiable} on its public entry point only; nothing is shaped for the tool.
 */
final class NaturalJavaSources {
  private NaturalJavaSources() {}

  // --- AD tools' test suites ---------------------------------------------------------------

  /** Clad's loop tests (f_sum, f_pow with a decrementing counter). */
  static final String CLAD_LOOPS = """
      package probe;

      import dev.adjoint.Differentiable;

      public class CladLoops {
        @Differentiable
        public static double sumPow(double[] p, double x, int n) {
          double s = 0;
          for (int i = 0; i < p.length; i++) {
            s += p[i] * p[i];
          }
          double r = 1;
          while (n-- > 0) {
            r *= x;
          }
          return s * r;
        }
      }
      """;

  /** Enzyme's max-of-array test (a data-dependent branch in a loop). */
  static final String ENZYME_MAX = """
      package probe;

      import dev.adjoint.Differentiable;

      public class EnzymeMax {
        @Differentiable
        public static double softMax(double[] x) {
          double best = Double.NEGATIVE_INFINITY;
          for (double v : x) {
            if (v > best) {
              best = v;
            }
          }
          return best * best + x[0];
        }
      }
      """;

  /** Tapenade-style polynomial evaluation (Horner) with the coefficients as data. */
  static final String HORNER = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Horner {
        @Differentiable
        public static double eval(double[] coeffs, double x) {
          double result = 0.0;
          for (int i = coeffs.length - 1; i >= 0; i--) {
            result = result * x + coeffs[i];
          }
          return result;
        }
      }
      """;

  // --- a statistics library's densities ----------------------------------------------------

  static final String NORMAL = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Normal {
        private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

        @Differentiable
        public static double logDensity(double x, double mu, double sigma) {
          if (sigma <= 0) {
            throw new IllegalArgumentException("sigma must be positive: " + sigma);
          }
          double z = (x - mu) / sigma;
          return -0.5 * z * z - Math.log(sigma) - LOG_SQRT_2PI;
        }
      }
      """;

  static final String GAMMA = """
      package probe;

      import dev.adjoint.Differentiable;

      public class GammaDist {
        private static final double[] LANCZOS = {
          0.99999999999980993, 676.5203681218851, -1259.1392167224028,
          771.32342877765313, -176.61502916214059, 12.507343278686905,
          -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
        };
        private static final double HALF_LOG_2PI = 0.9189385332046727;

        static double logGamma(double x) {
          if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
          }
          x -= 1;
          double a = LANCZOS[0];
          double t = x + 7.5;
          for (int i = 1; i < 9; i++) {
            a += LANCZOS[i] / (x + i);
          }
          return HALF_LOG_2PI + (x + 0.5) * Math.log(t) - t + Math.log(a);
        }

        @Differentiable
        public static double logDensity(double x, double shape, double rate) {
          if (x <= 0 || shape <= 0 || rate <= 0) {
            throw new IllegalArgumentException("parameters must be positive");
          }
          return shape * Math.log(rate) - logGamma(shape) + (shape - 1) * Math.log(x) - rate * x;
        }
      }
      """;

  static final String BETA = """
      package probe;

      import dev.adjoint.Differentiable;

      public class BetaDist {
        private static double logBeta(double a, double b) {
          return GammaFn.logGamma(a) + GammaFn.logGamma(b) - GammaFn.logGamma(a + b);
        }

        @Differentiable
        public static double logDensity(double x, double a, double b) {
          if (x <= 0 || x >= 1) {
            return Double.NEGATIVE_INFINITY;
          }
          return (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b);
        }
      }

      final class GammaFn {
        private static final double[] COF = {
          76.18009172947146, -86.50532032941677, 24.01409824083091,
          -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5
        };

        private GammaFn() {}

        static double logGamma(double xx) {
          double x = xx;
          double y = xx;
          double tmp = x + 5.5;
          tmp -= (x + 0.5) * Math.log(tmp);
          double ser = 1.000000000190015;
          for (double c : COF) {
            ser += c / ++y;
          }
          return -tmp + Math.log(2.5066282746310005 * ser / x);
        }
      }
      """;

  static final String STUDENT_T = """
      package probe;

      import dev.adjoint.Differentiable;

      public class StudentT {
        @Differentiable
        public static double logDensity(double x, double nu, double mu, double scale) {
          if (nu <= 0 || scale <= 0) {
            throw new IllegalArgumentException("nu and scale must be positive");
          }
          double z = (x - mu) / scale;
          return lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * Math.log(nu * Math.PI)
              - Math.log(scale) - (nu + 1) / 2 * Math.log1p(z * z / nu);
        }

        // Stirling series with a shift, good enough for nu > 0.
        private static double lgamma(double x) {
          double shift = 0;
          while (x < 7) {
            shift -= Math.log(x);
            x += 1;
          }
          double x2 = 1 / (x * x);
          return shift + (x - 0.5) * Math.log(x) - x + 0.9189385332046727
              + (1.0 / 12 - x2 * (1.0 / 360 - x2 / 1260)) / x;
        }
      }
      """;

  static final String LOG_SUM_EXP = """
      package probe;

      import dev.adjoint.Differentiable;

      public class LogSumExp {
        @Differentiable
        public static double logSumExp(double[] values) {
          if (values.length == 0) {
            return Double.NEGATIVE_INFINITY;
          }
          double max = values[0];
          for (double v : values) {
            max = Math.max(max, v);
          }
          double sum = 0;
          for (double v : values) {
            sum += Math.exp(v - max);
          }
          return max + Math.log(sum);
        }
      }
      """;

  // --- optimisation test functions ---------------------------------------------------------

  static final String ROSENBROCK = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Rosenbrock {
        @Differentiable
        public static double value(double[] x) {
          double sum = 0;
          for (int i = 0; i < x.length - 1; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            sum += 100 * a * a + b * b;
          }
          return sum;
        }
      }
      """;

  static final String RASTRIGIN = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Rastrigin {
        private static final double A = 10.0;

        @Differentiable
        public static double value(double[] x) {
          double sum = A * x.length;
          for (double xi : x) {
            sum += xi * xi - A * Math.cos(2 * Math.PI * xi);
          }
          return sum;
        }
      }
      """;

  static final String ACKLEY = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Ackley {
        private static final double A = 20, B = 0.2, C = 2 * Math.PI;

        @Differentiable
        public static double value(double[] x) {
          int d = x.length;
          double sumSq = 0, sumCos = 0;
          for (double xi : x) {
            sumSq += xi * xi;
            sumCos += Math.cos(C * xi);
          }
          return -A * Math.exp(-B * Math.sqrt(sumSq / d)) - Math.exp(sumCos / d) + A + Math.E;
        }
      }
      """;

  static final String BEALE = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Beale {
        @Differentiable
        public static double value(double x, double y) {
          double t1 = 1.5 - x + x * y;
          double t2 = 2.25 - x + x * y * y;
          double t3 = 2.625 - x + x * Math.pow(y, 3);
          return t1 * t1 + t2 * t2 + t3 * t3;
        }
      }
      """;

  static final String HIMMELBLAU = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Himmelblau {
        private static double sq(double v) {
          return v * v;
        }

        @Differentiable
        public static double value(double[] p) {
          double x = p[0], y = p[1];
          return sq(x * x + y - 11) + sq(x + y * y - 7);
        }
      }
      """;

  // --- MINPACK -----------------------------------------------------------------------------

  /** MINPACK's Box three-dimensional function: m residuals. */
  static final String BOX3D = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Box3d {
        @Differentiable
        public static double[] residuals(double[] x, int m) {
          if (x.length != 3) {
            throw new IllegalArgumentException("Box 3-D needs 3 variables");
          }
          double[] f = new double[m];
          for (int i = 1; i <= m; i++) {
            double t = 0.1 * i;
            f[i - 1] = Math.exp(-t * x[0]) - Math.exp(-t * x[1])
                - x[2] * (Math.exp(-t) - Math.exp(-10 * t));
          }
          return f;
        }
      }
      """;

  /** MINPACK's Powell singular function, its sum of squares through a residual helper. */
  static final String POWELL = """
      package probe;

      import dev.adjoint.Differentiable;

      public class PowellSingular {
        static double[] residual(double[] x) {
          return new double[] {
            x[0] + 10 * x[1],
            Math.sqrt(5) * (x[2] - x[3]),
            (x[1] - 2 * x[2]) * (x[1] - 2 * x[2]),
            Math.sqrt(10) * (x[0] - x[3]) * (x[0] - x[3])
          };
        }

        @Differentiable
        public static double sumOfSquares(double[] x) {
          double[] r = residual(x);
          double s = 0;
          for (double ri : r) {
            s += ri * ri;
          }
          return 0.5 * s;
        }
      }
      """;

  // --- physics -----------------------------------------------------------------------------

  static final String RK4 = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Rk4 {
        /** Damped pendulum: y = (theta, omega). */
        private static double[] derivative(double[] y, double damping, double g) {
          return new double[] {y[1], -damping * y[1] - g * Math.sin(y[0])};
        }

        @Differentiable
        public static double finalAngle(double[] y0, double damping, double g, double h,
            int steps) {
          double[] y = y0.clone();
          for (int s = 0; s < steps; s++) {
            double[] k1 = derivative(y, damping, g);
            double[] tmp = new double[2];
            for (int i = 0; i < 2; i++) tmp[i] = y[i] + 0.5 * h * k1[i];
            double[] k2 = derivative(tmp, damping, g);
            for (int i = 0; i < 2; i++) tmp[i] = y[i] + 0.5 * h * k2[i];
            double[] k3 = derivative(tmp, damping, g);
            for (int i = 0; i < 2; i++) tmp[i] = y[i] + h * k3[i];
            double[] k4 = derivative(tmp, damping, g);
            for (int i = 0; i < 2; i++) {
              y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
          }
          return y[0];
        }
      }
      """;

  static final String NBODY = """
      package probe;

      import dev.adjoint.Differentiable;

      public class NBody {
        public record Body(double x, double y, double vx, double vy, double mass) {}

        @Differentiable
        public static double energyAfter(Body[] bodies, double dt, int steps) {
          int n = bodies.length;
          double[] x = new double[n], y = new double[n], vx = new double[n], vy = new double[n];
          for (int i = 0; i < n; i++) {
            x[i] = bodies[i].x();
            y[i] = bodies[i].y();
            vx[i] = bodies[i].vx();
            vy[i] = bodies[i].vy();
          }
          for (int s = 0; s < steps; s++) {
            for (int i = 0; i < n; i++) {
              x[i] += 0.5 * dt * vx[i];
              y[i] += 0.5 * dt * vy[i];
            }
            for (int i = 0; i < n; i++) {
              double ax = 0, ay = 0;
              for (int j = 0; j < n; j++) {
                if (i == j) continue;
                double dx = x[j] - x[i], dy = y[j] - y[i];
                double r2 = dx * dx + dy * dy + 1e-3;
                double inv = bodies[j].mass() / (r2 * Math.sqrt(r2));
                ax += dx * inv;
                ay += dy * inv;
              }
              vx[i] += dt * ax;
              vy[i] += dt * ay;
            }
            for (int i = 0; i < n; i++) {
              x[i] += 0.5 * dt * vx[i];
              y[i] += 0.5 * dt * vy[i];
            }
          }
          double e = 0;
          for (int i = 0; i < n; i++) {
            e += 0.5 * bodies[i].mass() * (vx[i] * vx[i] + vy[i] * vy[i]);
            for (int j = i + 1; j < n; j++) {
              double dx = x[j] - x[i], dy = y[j] - y[i];
              e -= bodies[i].mass() * bodies[j].mass() / Math.sqrt(dx * dx + dy * dy + 1e-3);
            }
          }
          return e;
        }
      }
      """;

  static final String HEAT = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Heat {
        @Differentiable
        public static double heat(double[] initial, double alpha, int steps) {
          double[] u = initial.clone();
          double[] next = new double[u.length];
          for (int t = 0; t < steps; t++) {
            next[0] = u[0];
            next[u.length - 1] = u[u.length - 1];
            for (int i = 1; i < u.length - 1; i++) {
              next[i] = u[i] + alpha * (u[i - 1] - 2 * u[i] + u[i + 1]);
            }
            double[] t2 = u;
            u = next;
            next = t2;
          }
          double total = 0;
          for (double v : u) total += v * v;
          return total;
        }
      }
      """;

  static final String OSCILLATOR = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Oscillator {
        public record Params(double k, double c, double m) {}

        @Differentiable
        public static double finalPosition(Params p, double x0, double v0, double dt, int steps) {
          double x = x0, v = v0;
          for (int i = 0; i < steps; i++) {
            double a = (-p.k() * x - p.c() * v) / p.m();
            v += a * dt;
            x += v * dt;
          }
          return x;
        }
      }
      """;

  // --- small neural networks ---------------------------------------------------------------

  static final String MLP = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Mlp {
        static double[] dense(double[][] w, double[] x, double[] b) {
          double[] out = new double[b.length];
          for (int i = 0; i < out.length; i++) {
            double s = b[i];
            for (int j = 0; j < x.length; j++) {
              s += w[i][j] * x[j];
            }
            out[i] = s;
          }
          return out;
        }

        static double[] relu(double[] v) {
          double[] r = new double[v.length];
          for (int i = 0; i < v.length; i++) r[i] = Math.max(0, v[i]);
          return r;
        }

        @Differentiable
        public static double loss(double[][] w1, double[] b1, double[][] w2, double[] b2,
            double[] x, int label) {
          double[] h = relu(dense(w1, x, b1));
          double[] logits = dense(w2, h, b2);
          double max = Double.NEGATIVE_INFINITY;
          for (double z : logits) max = Math.max(max, z);
          double sum = 0;
          for (double z : logits) sum += Math.exp(z - max);
          return -(logits[label] - max - Math.log(sum));
        }
      }
      """;

  static final String MASKED_MSE = """
      package probe;

      import dev.adjoint.Differentiable;

      public class MaskedMse {
        @Differentiable
        public static double loss(double[] pred, double[] target, boolean[] mask) {
          double sum = 0;
          int count = 0;
          for (int i = 0; i < pred.length; i++) {
            if (!mask[i]) continue;
            double d = pred[i] - target[i];
            sum += d * d;
            count++;
          }
          return count == 0 ? 0 : sum / count;
        }
      }
      """;

  static final String RNN = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Rnn {
        private static double[] cell(double[][] wx, double[][] wh, double[] b, double[] x,
            double[] h) {
          double[] next = new double[h.length];
          for (int i = 0; i < h.length; i++) {
            double s = b[i];
            for (int j = 0; j < x.length; j++) s += wx[i][j] * x[j];
            for (int j = 0; j < h.length; j++) s += wh[i][j] * h[j];
            next[i] = Math.tanh(s);
          }
          return next;
        }

        @Differentiable
        public static double sequenceLoss(double[][] wx, double[][] wh, double[] b,
            double[][] xs, double[] target) {
          double[] h = new double[b.length];
          for (double[] x : xs) {
            h = cell(wx, wh, b, x, h);
          }
          double loss = 0;
          for (int i = 0; i < h.length; i++) {
            double d = h[i] - target[i];
            loss += d * d;
          }
          return loss;
        }
      }
      """;

  static final String LOGISTIC = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Logistic {
        private static double sigmoid(double z) {
          return 1.0 / (1.0 + Math.exp(-z));
        }

        @Differentiable
        public static double negLogLikelihood(double[] w, double[][] features, int[] labels,
            double l2) {
          double nll = 0;
          for (int n = 0; n < features.length; n++) {
            double z = 0;
            for (int j = 0; j < w.length; j++) z += w[j] * features[n][j];
            double p = sigmoid(z);
            nll -= labels[n] == 1 ? Math.log(p) : Math.log(1 - p);
          }
          for (double wj : w) nll += 0.5 * l2 * wj * wj;
          return nll;
        }
      }
      """;

  static final String ACTIVATION = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Activation {
        @Differentiable
        public static double apply(double x, String kind) {
          switch (kind) {
            case "relu":
              return Math.max(0, x);
            case "tanh":
              return Math.tanh(x);
            case "softplus":
              return Math.log1p(Math.exp(x));
            default:
              throw new IllegalArgumentException("unknown activation " + kind);
          }
        }
      }
      """;

  // --- pricing -----------------------------------------------------------------------------

  static final String BLACK76 = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Black76 {
        public enum OptionType { CALL, PUT }

        static double normCdf(double x) {
          return 0.5 * erfc(-x / Math.sqrt(2));
        }

        // Numerical Recipes' erfc (Chebyshev fit).
        static double erfc(double x) {
          double z = Math.abs(x);
          double t = 1 / (1 + 0.5 * z);
          double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196
              + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398
              + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
          return x >= 0 ? r : 2 - r;
        }

        @Differentiable
        public static double price(OptionType type, double forward, double strike, double vol,
            double expiry, double rate) {
          if (vol <= 0 || expiry <= 0) {
            throw new IllegalArgumentException("vol and expiry must be positive");
          }
          double sd = vol * Math.sqrt(expiry);
          double d1 = (Math.log(forward / strike) + 0.5 * sd * sd) / sd;
          double d2 = d1 - sd;
          double df = Math.exp(-rate * expiry);
          return switch (type) {
            case CALL -> df * (forward * normCdf(d1) - strike * normCdf(d2));
            case PUT -> df * (strike * normCdf(-d2) - forward * normCdf(-d1));
          };
        }
      }
      """;

  static final String BOND = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Bond {
        public record CashFlow(double time, double amount) {}

        @Differentiable
        public static double price(CashFlow[] flows, double yield) {
          double pv = 0;
          for (CashFlow cf : flows) {
            pv += cf.amount() * Math.exp(-yield * cf.time());
          }
          return pv;
        }
      }
      """;

  static final String HESTON = """
      package probe;

      import dev.adjoint.Differentiable;
      import java.util.Random;

      public class HestonMc {
        @Differentiable
        public static double callPrice(double s0, double v0, double kappa, double theta,
            double xi, double rho, double strike, double maturity, int steps, int paths,
            long seed) {
          Random rng = new Random(seed);
          double dt = maturity / steps;
          double sum = 0;
          for (int p = 0; p < paths; p++) {
            double logS = Math.log(s0);
            double v = v0;
            for (int i = 0; i < steps; i++) {
              double z1 = rng.nextGaussian();
              double z2 = rho * z1 + Math.sqrt(1 - rho * rho) * rng.nextGaussian();
              double vPos = Math.max(v, 0);
              logS += -0.5 * vPos * dt + Math.sqrt(vPos * dt) * z1;
              v += kappa * (theta - vPos) * dt + xi * Math.sqrt(vPos * dt) * z2;
            }
            sum += Math.max(Math.exp(logS) - strike, 0);
          }
          return sum / paths;
        }
      }
      """;

  static final String SWAP = """
      package probe;

      import dev.adjoint.Differentiable;

      public class SwapPv {
        private static final double[] TENORS = {0.5, 1.0, 1.5, 2.0, 3.0, 5.0};

        static double discount(double[] zeroRates, double t) {
          int i = 0;
          while (i < TENORS.length - 2 && t > TENORS[i + 1]) i++;
          double w = (t - TENORS[i]) / (TENORS[i + 1] - TENORS[i]);
          double r = zeroRates[i] * (1 - w) + zeroRates[i + 1] * w;
          return Math.exp(-r * t);
        }

        @Differentiable
        public static double pv(double[] zeroRates, double fixedRate, double notional,
            int periods) {
          double fixed = 0;
          double prev = 1;
          for (int k = 1; k <= periods; k++) {
            double t = 0.5 * k;
            double df = discount(zeroRates, t);
            fixed += fixedRate * 0.5 * df;
            prev = df;
          }
          double floating = 1 - prev;
          return notional * (floating - fixed);
        }
      }
      """;

  // --- numerics ----------------------------------------------------------------------------

  static final String SIMPSON = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Simpson {
        @Differentiable
        public static double gaussianIntegral(double a, double upper, int n) {
          if (n % 2 != 0) {
            throw new IllegalArgumentException("n must be even");
          }
          double h = upper / n;
          double sum = f(a, 0) + f(a, upper);
          for (int i = 1; i < n; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * f(a, i * h);
          }
          return sum * h / 3;
        }

        private static double f(double a, double x) {
          return Math.exp(-a * x * x);
        }
      }
      """;

  static final String KEPLER = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Kepler {
        private static final int MAX_ITER = 50;

        /** Solves E - e sin E = M by Newton's method and returns the true anomaly. */
        @Differentiable
        public static double trueAnomaly(double meanAnomaly, double e) {
          double E = e < 0.8 ? meanAnomaly : Math.PI;
          int iter = 0;
          while (true) {
            double delta = (E - e * Math.sin(E) - meanAnomaly) / (1 - e * Math.cos(E));
            E -= delta;
            if (Math.abs(delta) < 1e-14) break;
            if (++iter > MAX_ITER) break;
          }
          return 2 * Math.atan2(Math.sqrt(1 + e) * Math.sin(E / 2),
              Math.sqrt(1 - e) * Math.cos(E / 2));
        }
      }
      """;

  static final String PIECEWISE = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Piecewise {
        @Differentiable
        public static double bump(double x, int order) {
          double r = 1;
          switch (order) {
            case 3:
              r *= x;
            case 2:
              r *= x;
            case 1:
              r *= x;
              break;
            default:
              r = Math.exp(-x * x);
          }
          return r;
        }
      }
      """;

  static final String WELFORD = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Welford {
        @Differentiable
        public static double variance(double[] samples) {
          long count = 0;
          double mean = 0, m2 = 0;
          for (double x : samples) {
            count++;
            double delta = x - mean;
            mean += delta / count;
            m2 += delta * (x - mean);
          }
          return count < 2 ? 0 : m2 / (count - 1);
        }
      }
      """;

  static final String HUBER = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Regression {
        @Differentiable
        public static double huberLoss(double[] coef, double[] xs, double[] ys, double delta) {
          double total = 0;
          for (int i = 0; i < xs.length; i++) {
            double r = ys[i] - Losses.predict(coef, xs[i]);
            total += Losses.huber(r, delta);
          }
          return total / xs.length;
        }
      }

      final class Losses {
        private Losses() {}

        static double predict(double[] coef, double x) {
          double y = 0, p = 1;
          for (double c : coef) {
            y += c * p;
            p *= x;
          }
          return y;
        }

        static double huber(double r, double delta) {
          double a = Math.abs(r);
          return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
        }
      }
      """;

  static final String POLYNOMIAL = """
      package probe;

      import dev.adjoint.Differentiable;

      public final class Polynomial {
        private final double[] coefficients;

        public Polynomial(double[] coefficients) {
          this.coefficients = coefficients.clone();
        }

        @Differentiable
        public double eval(double x) {
          double y = 0;
          for (int i = coefficients.length - 1; i >= 0; i--) {
            y = y * x + coefficients[i];
          }
          return y;
        }
      }
      """;

  static final String SOFTMAX_NORMALISE = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Normalise {
        private static double[] softmax(double[] z) {
          double max = z[0];
          for (int i = 1; i < z.length; i++) if (z[i] > max) max = z[i];
          double[] e = new double[z.length];
          double sum = 0;
          for (int i = 0; i < z.length; i++) {
            e[i] = Math.exp(z[i] - max);
            sum += e[i];
          }
          for (int i = 0; i < e.length; i++) e[i] /= sum;
          return e;
        }

        @Differentiable
        public static double entropy(double[] logits) {
          double[] p = softmax(logits);
          double h = 0;
          for (double pi : p) h -= pi * Math.log(pi);
          return h;
        }
      }
      """;

  static final String NORMALISE_IN_PLACE = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Standardise {
        @Differentiable
        public static double standardisedSumOfCubes(double[] x) {
          double mean = 0;
          for (double v : x) mean += v;
          mean /= x.length;
          double var = 0;
          for (double v : x) var += (v - mean) * (v - mean);
          double sd = Math.sqrt(var / x.length);
          for (int i = 0; i < x.length; i++) {
            x[i] = (x[i] - mean) / sd;
          }
          double s = 0;
          for (double v : x) s += v * v * v;
          return s;
        }
      }
      """;

  static final String GAUSS_LEGENDRE = """
      package probe;

      import dev.adjoint.Differentiable;

      public class GaussLegendre {
        // Five-point rule: {node, weight} on [-1, 1].
        private static final double[][] RULE = {
          {0.0, 0.5688888888888889},
          {-0.5384693101056831, 0.4786286704993665},
          {0.5384693101056831, 0.4786286704993665},
          {-0.9061798459386640, 0.2369268850561891},
          {0.9061798459386640, 0.2369268850561891}
        };

        @Differentiable
        public static double integral(double a, double b, double k) {
          double half = 0.5 * (b - a), mid = 0.5 * (a + b);
          double sum = 0;
          for (double[] nw : RULE) {
            double x = mid + half * nw[0];
            sum += nw[1] * Math.sin(k * x) * Math.exp(-x);
          }
          return half * sum;
        }
      }
      """;

  static final String SPLINE = """
      package probe;

      import dev.adjoint.Differentiable;

      public class LinearInterp {
        @Differentiable
        public static double interpolate(double[] xs, double[] ys, double x) {
          if (xs.length != ys.length || xs.length < 2) {
            throw new IllegalArgumentException("need matching knots");
          }
          int lo = 0, hi = xs.length - 1;
          while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] <= x) lo = mid; else hi = mid;
          }
          double t = (x - xs[lo]) / (xs[hi] - xs[lo]);
          return ys[lo] + t * (ys[hi] - ys[lo]);
        }
      }
      """;

  static final String ACCRUAL = """
      package probe;

      import dev.adjoint.Differentiable;

      public class Accrual {
        private static final int DAYS_PER_YEAR = 365;

        @Differentiable
        public static double accrued(double notional, double rate, long days, boolean compound) {
          double t = (double) days / DAYS_PER_YEAR;
          if (compound) {
            return notional * (Math.pow(1 + rate / DAYS_PER_YEAR, days) - 1);
          }
          return notional * rate * t;
        }
      }
      """;
}
