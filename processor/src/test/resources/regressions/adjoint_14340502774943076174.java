// Adjoint fuzz regression, written by dev.adjoint.processor.fuzz.FuzzChecker (shrunk).
// RegressionProgramsTest compiles it with the processor and checks @target at @point and at
// random points like the fuzzer does; after the twin marker is the plain margin-tracking twin.
// @kind adjoint
// @signature adjoint
// @target f13
// @point 1.3022725942860411, -1.2589551234818686, 1.2027434453646708, -1.9906404607672363, 4
// @found run seed 20240611, program seed 14340502774943076174
// Failure when found:
//   f13(1.3022725942860411, -1.2589551234818686, 1.2027434453646708, -1.9906404607672363, 4): f13Adjoint(..., 2.5, adjoints) did not add 2.5 x the gradient
//       adjoints[0]: added -0.06998802894868428, expected 2.5 * -0.02799521157947375 = -0.06998802894868437 (tolerance NaN)
//       adjoints[1]: added -0.5342230883007832, expected 2.5 * -0.21368923532031328 = -0.5342230883007832 (tolerance NaN)
//       adjoints[2]: added 0.0, expected 2.5 * 0.0 = 0.0 (tolerance NaN)
package fz;

import dev.adjoint.Differentiable;

public class Regression_adjoint_14340502774943076174 {
  static final double C0 = 0.75;
  static final double C1 = 1.5;
  static final double C2 = Math.PI / 8;
  static final int K0 = 3;
  static final int K1 = 2;
  
  @Differentiable(order = 2)
  public static double f10(double x, int n, double y) {
    if (n <= 0) {
      return x;
    }
    for (int i1 = 1; i1 < Math.min(1, 6) && y - x > 0.5; i1++) {
      x = x - 0.1 * (Math.rint(x) * Math.cos((double) (i1 % 3)));
    }
    if (n % 2 == 0) {
      double iteration = Math.toRadians(y);
    }
    {
      var r2 = mixVec(new VecRegression_adjoint_14340502774943076174(StrictMath.log(1.0 + y * y) / (1.5 + C0 * Math.tanh(C0) * (C0 * Math.tanh(C0))), x), StrictMath.pow(1.5 + Math.asin(0.5 * Math.sin(C1)) * Math.asin(0.5 * Math.sin(C1)), 0.5 * Math.cos(3.0 * y)));
      for (int r2I = 0; r2I < 3; r2I++) {
        r2 = r2.turn(Math.atan(Math.sin(f10(1.0 == y ? x : y, n - 1, y))));
      }
      x += r2.a() * r2.b();
    }
    int g4 = 0;
    outer3: do {
      g4++;
      if ((int) (y * Math.cos(y)) > 4) {
        {
          VecRegression_adjoint_14340502774943076174 r5 = mixVec(new VecRegression_adjoint_14340502774943076174((double) 3, x), Math.cos(y));
          VecRegression_adjoint_14340502774943076174 r5T = r5.turn((double) 3);
          x = r5T.dot(r5) + mixVec(r5T, x).a();
        }
        {
          VecRegression_adjoint_14340502774943076174 r6 = mixVec(new VecRegression_adjoint_14340502774943076174(x, Math.toDegrees(Math.cos(y))), Math.sin(C2));
          VecRegression_adjoint_14340502774943076174 r6T = r6.turn(x);
          y = r6T.dot(r6) + mixVec(r6T, y).a();
        }
      }
      boolean b7 = x * y < Math.cos(x) * y;
      {
        VecRegression_adjoint_14340502774943076174 r8 = mixVec(new VecRegression_adjoint_14340502774943076174(x * Math.atan(Math.atan(y) * x), (double) K1), Math.tanh(x * y));
        VecRegression_adjoint_14340502774943076174 r8T = r8.turn(x * Math.atan(Math.atan(y) * x));
        y = r8T.dot(r8) + mixVec(r8T, y).a();
      }
    } while (x + y >= 1.25 && g4 < 5);
    for (int i9 = 1; i9 < 6 && -x > 0.5; i9++) {
      i9++;
      double a10 = Math.atan2(Math.rint(2.0) * i9, y);
      if (!!(x > 0.1)) {
        a10 += 1.0 * Math.atan((K0 - 1.0) / (2.0 + Math.cos(Math.toDegrees(StrictMath.sin(y)))));
      } else {
        var a11 = x * (C2 * y / C1);
      }
    }
    outer12: for (int i13 = 0; i13 < Math.min(n - 1, 6); i13++) {
      if (x % (1.5 + 1.5 * 1.5) * K1 <= 3.0) {
        {
          VecRegression_adjoint_14340502774943076174 r14 = mixVec(new VecRegression_adjoint_14340502774943076174(Math.pow(1.5 + x * x, K0) - Math.toDegrees(Math.tanh(x)), Math.expm1(Math.cos(x * 0.1))), Math.tanh(3.0 * x));
          VecRegression_adjoint_14340502774943076174 r14T = r14.turn(Math.pow(1.5 + x * x, K0) - Math.toDegrees(Math.tanh(x)));
          y = r14T.dot(r14) + mixVec(r14T, y).a();
        }
        {
          y -= mixVec(new VecRegression_adjoint_14340502774943076174(Math.atan(0.25 * 2.0), y), y).turn(Math.cos(y + y)).a() + 0.5 * mixVec(new VecRegression_adjoint_14340502774943076174(y, Math.cos(y + y)), Math.atan(0.25 * 2.0)).b();
        }
        {
          var r16 = mixVec(new VecRegression_adjoint_14340502774943076174(x * x - (x + x), x), n - x * K0);
          for (int r16I = 0; r16I < 3; r16I++) {
            r16 = r16.turn(Math.tanh(Math.sin(y)));
          }
          x += r16.a() * r16.b();
        }
      } else {
        var a17 = (x - x) / (1.0 + Math.exp(Math.sin(Math.log(1.5 + Math.sin(C0))))) - y;
      }
      y -= 0.25 * Math.sin(y - Math.log(1.5 + Math.sin(3.0)));
      x -= 0.25 * Math.tanh(StrictMath.max(-y, 2.5 * x));
    }
    return x;
  }
  
  @Differentiable(order = 2)
  public static double f11(double x, double y, double z, double w) {
    double[] t1 = {Math.min(K0, 6) >= 1 && K1 % 2 == 0 ? x - y : y * Math.cos(w), Math.cos(-1.5)};
    int g3 = 0;
    outer2: do {
      g3++;
      if (y * Math.cos(Math.cos(y) * y) > 0.1) {
        java.util.Arrays.fill(t1, y);
      }
    } while (z < (z >= x ? y : t1[1]) && g3 < 7);
    double[] t4 = t1.clone();
    var a5 = StrictMath.exp(-(2.5 * w * (2.5 * w))) / (1.0 + Math.exp(Math.cos(Math.sin(f10(t1[0], 4, C0)) * Math.log(1.5 + Math.sin(C2)))));
    var a6 = (a5 + 0.75 + (2.5 + Math.E)) % 0.7;
    return Math.cosh(Math.atan(a5)) + t1[0] + a5;
  }
  
  @Differentiable(order = 2)
  public static double f13(double x, double y, double z, double w, int n) {
    var b1 = x >= 1.25;
    for (int i2 = 6; i2 > 0; i2--) {
      int g3 = 0;
      while (g3++ < 6 && (y > 0.75 || b1)) {
        int k4 = i2;
        double a5 = z;
        z = Math.cos(StrictMath.log(1.5 + Math.sin(Math.E)));
      }
      if (i2 >= 2) {
        double a6 = z;
        w /= 1.1 + Math.cos(f11(2.0, w, z, a6)) * Math.cos(f11(2.0, w, z, a6));
      } else {
        if (Math.sinh(Math.atan(w % 0.7)) <= x) {
          int k7 = K1;
          int k8 = k7;
        } else {
          y *= 0.9 + 0.1 * Math.cos(x);
        }
        x += 0.25 * Math.sin(0 - f10(x, n - 1, z));
      }
    }
    double xBarIn = Math.tanh(Math.asin(0.9 * Math.tanh(y)));
    return w - xBarIn;
  }
  
  public record VecRegression_adjoint_14340502774943076174(double a, double b) {
    @Differentiable(order = 2)
    public double dot(VecRegression_adjoint_14340502774943076174 o) {
      return a * o.a() + b * o.b();
    }
    
    public VecRegression_adjoint_14340502774943076174 turn(double k) {
      double c = Math.tanh(k);
      return new VecRegression_adjoint_14340502774943076174(0.6 * a - 0.4 * c * b, 0.6 * b + 0.4 * c * a);
    }
  }
  
  static VecRegression_adjoint_14340502774943076174 mixVec(VecRegression_adjoint_14340502774943076174 u, double t) {
    double s = Math.tanh(t);
    return new VecRegression_adjoint_14340502774943076174(0.5 * (u.a() + s * u.b()), 0.5 * (u.b() - s * u.a()) + 0.25 * s);
  }
}
//==== twin (plain, margin-tracking; not @Differentiable) ====
package fz;

public final class Regression_adjoint_14340502774943076174Twin {
  static final double C0 = 0.75;
  static final double C1 = 1.5;
  static final double C2 = Math.PI / 8;
  static final int K0 = 3;
  static final int K1 = 2;
  
  public static double f10(double x, int n, double y, double[] mg) {
    if (n <= 0) {
      return x;
    }
    for (int i1 = 1; i1 < Math.min(1, 6) && gt(y - x, 0.5, mg); i1++) {
      x = x - 0.1 * (mRint(x, false, mg) * Math.cos((double) (i1 % 3)));
    }
    if (n % 2 == 0) {
      double iteration = Math.toRadians(y);
    }
    {
      var r2 = Regression_adjoint_14340502774943076174.mixVec(new Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174(StrictMath.log(1.0 + y * y) / (1.5 + C0 * Math.tanh(C0) * (C0 * Math.tanh(C0))), x), StrictMath.pow(1.5 + Math.asin(0.5 * Math.sin(C1)) * Math.asin(0.5 * Math.sin(C1)), 0.5 * mCos(3.0 * y, false, mg)));
      for (int r2I = 0; r2I < 3; r2I++) {
        r2 = r2.turn(Math.atan(mSin(f10(eq(1.0, y, mg) ? x : y, n - 1, y, mg), false, mg)));
      }
      x += r2.a() * r2.b();
    }
    int g4 = 0;
    outer3: do {
      g4++;
      if (toInt(y * mCos(y, false, mg), mg) > 4) {
        {
          Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174 r5 = Regression_adjoint_14340502774943076174.mixVec(new Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174((double) 3, x), mCos(y, false, mg));
          Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174 r5T = r5.turn((double) 3);
          x = r5T.dot(r5) + Regression_adjoint_14340502774943076174.mixVec(r5T, x).a();
        }
        {
          Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174 r6 = Regression_adjoint_14340502774943076174.mixVec(new Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174(x, Math.toDegrees(mCos(y, false, mg))), Math.sin(C2));
          Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174 r6T = r6.turn(x);
          y = r6T.dot(r6) + Regression_adjoint_14340502774943076174.mixVec(r6T, y).a();
        }
      }
      boolean b7 = lt(x * y, mCos(x, false, mg) * y, mg);
      {
        Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174 r8 = Regression_adjoint_14340502774943076174.mixVec(new Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174(x * Math.atan(Math.atan(y) * x), (double) K1), Math.tanh(x * y));
        Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174 r8T = r8.turn(x * Math.atan(Math.atan(y) * x));
        y = r8T.dot(r8) + Regression_adjoint_14340502774943076174.mixVec(r8T, y).a();
      }
    } while (ge(x + y, 1.25, mg) && g4 < 5);
    for (int i9 = 1; i9 < 6 && gt(-x, 0.5, mg); i9++) {
      i9++;
      double a10 = mAtan2(Math.rint(2.0) * i9, y, false, mg);
      if (!!gt(x, 0.1, mg)) {
        a10 += 1.0 * Math.atan((K0 - 1.0) / (2.0 + mCos(Math.toDegrees(mSin(y, true, mg)), false, mg)));
      } else {
        var a11 = x * (C2 * y / C1);
      }
    }
    outer12: for (int i13 = 0; i13 < Math.min(n - 1, 6); i13++) {
      if (le(rem(x, 1.5 + 1.5 * 1.5, mg) * K1, 3.0, mg)) {
        {
          Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174 r14 = Regression_adjoint_14340502774943076174.mixVec(new Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174(Math.pow(1.5 + x * x, K0) - Math.toDegrees(Math.tanh(x)), Math.expm1(mCos(x * 0.1, false, mg))), Math.tanh(3.0 * x));
          Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174 r14T = r14.turn(Math.pow(1.5 + x * x, K0) - Math.toDegrees(Math.tanh(x)));
          y = r14T.dot(r14) + Regression_adjoint_14340502774943076174.mixVec(r14T, y).a();
        }
        {
          y -= Regression_adjoint_14340502774943076174.mixVec(new Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174(Math.atan(0.25 * 2.0), y), y).turn(mCos(y + y, false, mg)).a() + 0.5 * Regression_adjoint_14340502774943076174.mixVec(new Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174(y, mCos(y + y, false, mg)), Math.atan(0.25 * 2.0)).b();
        }
        {
          var r16 = Regression_adjoint_14340502774943076174.mixVec(new Regression_adjoint_14340502774943076174.VecRegression_adjoint_14340502774943076174(x * x - (x + x), x), n - x * K0);
          for (int r16I = 0; r16I < 3; r16I++) {
            r16 = r16.turn(Math.tanh(mSin(y, false, mg)));
          }
          x += r16.a() * r16.b();
        }
      } else {
        var a17 = (x - x) / (1.0 + Math.exp(Math.sin(Math.log(1.5 + Math.sin(C0))))) - y;
      }
      y -= 0.25 * mSin(y - Math.log(1.5 + Math.sin(3.0)), false, mg);
      x -= 0.25 * Math.tanh(mMax(-y, 2.5 * x, true, mg));
    }
    return x;
  }
  
  public static double f11(double x, double y, double z, double w, double[] mg) {
    double[] t1 = {Math.min(K0, 6) >= 1 && K1 % 2 == 0 ? x - y : y * mCos(w, false, mg), Math.cos(-1.5)};
    int g3 = 0;
    outer2: do {
      g3++;
      if (gt(y * mCos(mCos(y, false, mg) * y, false, mg), 0.1, mg)) {
        java.util.Arrays.fill(t1, y);
      }
    } while (lt(z, ge(z, x, mg) ? y : t1[1], mg) && g3 < 7);
    double[] t4 = t1.clone();
    var a5 = StrictMath.exp(-(2.5 * w * (2.5 * w))) / (1.0 + Math.exp(mCos(mSin(f10(t1[0], 4, C0, mg), false, mg) * Math.log(1.5 + Math.sin(C2)), false, mg)));
    var a6 = rem(a5 + 0.75 + (2.5 + Math.E), 0.7, mg);
    return Math.cosh(Math.atan(a5)) + t1[0] + a5;
  }
  
  public static double f13(double x, double y, double z, double w, int n, double[] mg) {
    var b1 = ge(x, 1.25, mg);
    for (int i2 = 6; i2 > 0; i2--) {
      int g3 = 0;
      while (g3++ < 6 && (gt(y, 0.75, mg) || b1)) {
        int k4 = i2;
        double a5 = z;
        z = Math.cos(StrictMath.log(1.5 + Math.sin(Math.E)));
      }
      if (i2 >= 2) {
        double a6 = z;
        w /= 1.1 + mCos(f11(2.0, w, z, a6, mg), false, mg) * mCos(f11(2.0, w, z, a6, mg), false, mg);
      } else {
        if (le(Math.sinh(Math.atan(rem(w, 0.7, mg))), x, mg)) {
          int k7 = K1;
          int k8 = k7;
        } else {
          y *= 0.9 + 0.1 * mCos(x, false, mg);
        }
        x += 0.25 * mSin(0 - f10(x, n - 1, z, mg), false, mg);
      }
    }
    double xBarIn = Math.tanh(Math.asin(0.9 * Math.tanh(y)));
    return w - xBarIn;
  }
  
  // At a singular derivative (cbrt at 0: infinite; atan2 at the origin: 0 / 0) even a margin
  // of exactly 0 counts: the chain rule gives NaN (inf * 0) there, whatever the program.
  // (The rules of abs, signum, copySign, min, max and hypot stay finite at their kinks.)
  private static void noteSingular(double[] mg, double margin, int kind, double outcome) {
    note(mg, margin == 0 ? Double.MIN_VALUE : margin, kind, outcome);
  }
  
  // A margin of exactly 0 is an identity (x <= x, max(z, z), a cast of an integer value),
  // which no perturbation flips: it is left to the path comparison at nearby points.
  private static void note(double[] mg, double margin, int kind, double outcome) {
    if (margin != margin) {
      margin = Double.MIN_VALUE;
    }
    if (margin > 0 && margin < mg[0]) {
      mg[0] = margin;
      mg[4] = kind;
    }
    mg[1] = (mg[1] * 31.0 + kind * 1000.0 + outcome) % 1.0e14;
    mg[2] += 1;
  }
  
  private static boolean lt(double a, double b, double[] mg) {
    boolean r = a < b;
    note(mg, Math.abs(a - b), 1, r ? 1 : 2);
    return r;
  }
  
  private static boolean le(double a, double b, double[] mg) {
    boolean r = a <= b;
    note(mg, Math.abs(a - b), 1, r ? 1 : 2);
    return r;
  }
  
  private static boolean gt(double a, double b, double[] mg) {
    boolean r = a > b;
    note(mg, Math.abs(a - b), 1, r ? 1 : 2);
    return r;
  }
  
  private static boolean ge(double a, double b, double[] mg) {
    boolean r = a >= b;
    note(mg, Math.abs(a - b), 1, r ? 1 : 2);
    return r;
  }
  
  private static boolean eq(double a, double b, double[] mg) {
    boolean r = a == b;
    note(mg, Math.abs(a - b), 1, r ? 1 : 2);
    return r;
  }
  
  private static boolean ne(double a, double b, double[] mg) {
    boolean r = a != b;
    note(mg, Math.abs(a - b), 1, r ? 1 : 2);
    return r;
  }
  
  // Truncation jumps at every integer but 0.
  private static double truncationMargin(double v) {
    double k = Math.rint(v);
    return k == 0 ? 1 - Math.abs(v) : Math.abs(v - k);
  }
  
  private static int toInt(double v, double[] mg) {
    int r = (int) v;
    note(mg, truncationMargin(v), 3, r % 1000);
    return r;
  }
  
  private static long toLong(double v, double[] mg) {
    long r = (long) v;
    note(mg, truncationMargin(v), 4, r % 1000);
    return r;
  }
  
  // (double) (float) v. Exact mode records the rounding residual fl(v) - v (exact, by
  // Sterbenz) in mg[7...]; smooth mode adds the recorded residual back: the same values at
  // the point, and derivative 1 through the cast around it.
  private static double fr(double v, double[] mg) {
    int at = (int) mg[5];
    mg[5] = at + 1;
    if (mg[3] == 0) {
      double r = (double) (float) v;
      if (7 + at < mg.length) {
        mg[7 + at] = r - v;
      }
      return r;
    }
    return 7 + at < mg.length ? v + mg[7 + at] : v;
  }
  
  private static double mFloor(double v, boolean strict, double[] mg) {
    double r = strict ? StrictMath.floor(v) : Math.floor(v);
    note(mg, Math.abs(v - Math.rint(v)), 5, r % 1000);
    return r;
  }
  
  private static double mCeil(double v, boolean strict, double[] mg) {
    double r = strict ? StrictMath.ceil(v) : Math.ceil(v);
    note(mg, Math.abs(v - Math.rint(v)), 6, r % 1000);
    return r;
  }
  
  private static double mRint(double v, boolean strict, double[] mg) {
    double r = strict ? StrictMath.rint(v) : Math.rint(v);
    note(mg, Math.abs(Math.abs(v - Math.floor(v)) - 0.5), 7, r % 1000);
    return r;
  }
  
  private static long mRound(double v, boolean strict, double[] mg) {
    long r = strict ? StrictMath.round(v) : Math.round(v);
    note(mg, Math.abs(Math.abs(v - Math.floor(v)) - 0.5), 8, r % 1000);
    return r;
  }
  
  private static double mSignum(double v, boolean strict, double[] mg) {
    double r = strict ? StrictMath.signum(v) : Math.signum(v);
    note(mg, Math.abs(v), 9, r);
    return r;
  }
  
  private static double mAbs(double v, boolean strict, double[] mg) {
    double r = strict ? StrictMath.abs(v) : Math.abs(v);
    note(mg, Math.abs(v), 10, v < 0 ? 1 : 2);
    return r;
  }
  
  private static double mMin(double a, double b, boolean strict, double[] mg) {
    double r = strict ? StrictMath.min(a, b) : Math.min(a, b);
    note(mg, Math.abs(a - b), 12, a <= b ? 1 : 2);
    return r;
  }
  
  private static double mMax(double a, double b, boolean strict, double[] mg) {
    double r = strict ? StrictMath.max(a, b) : Math.max(a, b);
    note(mg, Math.abs(a - b), 14, a >= b ? 1 : 2);
    return r;
  }
  
  private static double mCopySign(double m, double s, boolean strict, double[] mg) {
    double r = strict ? StrictMath.copySign(m, s) : Math.copySign(m, s);
    note(mg, Math.min(Math.abs(m), Math.abs(s)), 16, (m < 0 ? 1 : 2) + (s < 0 ? 2 : 0));
    return r;
  }
  
  private static double mAtan2(double y, double x, boolean strict, double[] mg) {
    double r = strict ? StrictMath.atan2(y, x) : Math.atan2(y, x);
    double h = Math.hypot(y, x);
    noteSingular(mg, x < 0 ? Math.min(Math.abs(y), h) : h, 20, y < 0 ? 1 : 2);
    return r;
  }
  
  private static double mHypot(double a, double b, boolean strict, double[] mg) {
    double r = strict ? StrictMath.hypot(a, b) : Math.hypot(a, b);
    note(mg, Math.hypot(a, b), 22, 0);
    return r;
  }
  
  private static double mCbrt(double v, boolean strict, double[] mg) {
    double r = strict ? StrictMath.cbrt(v) : Math.cbrt(v);
    noteSingular(mg, Math.abs(v), 23, 0);
    return r;
  }
  
  private static double periodic(double v, double[] mg) {
    if (!(Math.abs(v) <= mg[6])) {
      mg[6] = Math.abs(v);
    }
    return v;
  }
  
  private static double mSin(double v, boolean strict, double[] mg) {
    return strict ? StrictMath.sin(periodic(v, mg)) : Math.sin(periodic(v, mg));
  }
  
  private static double mCos(double v, boolean strict, double[] mg) {
    return strict ? StrictMath.cos(periodic(v, mg)) : Math.cos(periodic(v, mg));
  }
  
  private static double mTan(double v, boolean strict, double[] mg) {
    return strict ? StrictMath.tan(periodic(v, mg)) : Math.tan(periodic(v, mg));
  }
  
  private static double rem(double a, double b, double[] mg) {
    double r = a % b;
    double q = a / b;
    note(mg, Math.abs(b) * truncationMargin(q), 24, (long) q % 1000);
    return r;
  }
}
