// Adjoint fuzz regression, written by dev.adjoint.processor.fuzz.FuzzChecker (shrunk).
// RegressionProgramsTest compiles it with the processor and checks @target at @point and at
// random points like the fuzzer does; after the twin marker is the plain margin-tracking twin.
// @kind compile-error
// @signature compile-error:compiler.err.cant.resolve.location.args
// @target f16
// @point none
// @found run seed 20240611, program seed 2938368789763724047
// Failure when found:
//   [WARNING SOURCE Shrink361.f2 line 37: [ADJ207] casting a value that depends on a differentiable parameter to int cuts its derivative: the result is treated as a constant. Cast to double instead if the derivative should flow.
//       | outer6: for (int i7 = 1; i7 < (int) (3.0 + 2.0 * Math.tanh(0.25 * Math.expm1(Math.sin(y)))); i7++) {, WARNING SOURCE Shrink361.f16 line 113: [ADJ207] casting a value that depends on a differentiable parameter to int cuts its derivative: the result is treated as a constant. Cast to double instead if the derivative should flow.
//       | t8[1] = f10(y - (int) (y * 2.0) * 0.5, -(x * y), y);, WARNING SOURCE Shrink361.f0 line 13: [ADJ111] no derivative of 'y' reaches the result of 'f0' (it is unused, or used only in conditions, indices or integer conversions), so its derivative is always 0; leave it out of wrt (or check the method: is a term missing?).
//       | public static double f0(double y, double z) {, WARNING SOURCE Shrink361.f16 line 95: [ADJ111] no derivative of 'x' reaches the result of 'f16' (it is unused, or used only in conditions, indices or integer conversions), so its derivative is always 0; leave it out of wrt (or check the method: is a term missing?).
//       | public static double f16(int n, double x, double y) {, ERROR GENERATED Shrink361.f16 line 1614: cannot find symbol
//     symbol:   method p7Tangent(double[],double,int,double[],double[],double,double[],double[])
//     location: class fz.Shrink361Diff
//       | Shrink361Diff.p7Tangent(t8, Math.sinh(t), 3, t8, t8Dot, Math.cosh(t) * (xDot / (1.0 + x * x)), t8Dot, valueAndTangent2);, ERROR GENERATED Shrink361.f16 line 1636: cannot find symbol
//     symbol:   method p4Tangent(double,double,int,double,double,double,double,double[])
//     location: class fz.Shrink361Diff
//       | Shrink361Diff.p4Tangent(t8[1], t8[i11 - 1], n, t8[i11 % t8.length], t8Dot[1], t8Dot[i11 - 1], t8Dot[i11 % t8.length], valueAndTangent2);, ERROR GENERATED Shrink361.f16 line 1727: cannot find symbol
//     symbol:   method p7TangentTangent(double[],double,int,double[],double[],double,double[],double[],double[],double,double[],double[],double,double[],double[])
//     location: class fz.Shrink361Diff
//       | Shrink361Diff.p7TangentTangent(t8, Math.sinh(t), 3, t8, t8Dot, t4 * t3, t8Dot, valueAndTangent2, t8Dot2, 0.0, t8Dot2, t8DotDot, t4 * ((xDotDot - t3 * (x * xDot2 + x * xDot2)) / t2), t8DotDot, valueAndTangentDot2);, ERROR GENERATED Shrink361.f16 line 1759: cannot find symbol
//     symbol:   method p4TangentTangent(double,double,int,double,double,double,double,double[],double,double,double,double,double,double,double[])
//     location: class fz.Shrink361Diff
//       | Shrink361Diff.p4TangentTangent(t8[1], t8[i11 - 1], n, t8[i11 % t8.length], t8Dot[1], t8Dot[i11 - 1], t8Dot[i11 % t8.length], valueAndTangent2, t8Dot2[1], t8Dot2[i11 - 1], t8Dot2[i11 % t8.length], t8DotDot[1], t8DotDot[i11 - 1], t8DotDot[i11 % t8.length], valueAndTangentDot2);, ERROR GENERATED Shrink361.f16Tangent line 1903: cannot find symbol
//     symbol:   method p7Tangent(double[],double,int,double[],double[],double,double[],double[])
//     location: class fz.Shrink361Diff
//       | Shrink361Diff.p7Tangent(t82, Math.sinh(t3), 3, t82, t8Dot, Math.cosh(t3) * (xDot / (1.0 + x * x)), t8Dot, valueAndTangent2);, ERROR GENERATED Shrink361.f16Tangent line 1925: cannot find symbol
//     symbol:   method p4Tangent(double,double,int,double,double,double,double,double[])
//     location: class fz.Shrink361Diff
//       | Shrink361Diff.p4Tangent(t82[1], t82[i11 - 1], n, t82[i11 % t82.length], t8Dot[1], t8Dot[i11 - 1], t8Dot[i11 % t82.length], valueAndTangent2);]
package fz;

import dev.adjoint.Differentiable;

public class Regression_compile_error_2938368789763724047 {
  static final double C0 = 0.75;
  static final double C1 = 1.5;
  static final int K0 = 3;
  
  @Differentiable(order = 2)
  public static double f0(double y, double z) {
    if (K0 % 2 == 0) {
      y /= 1.5 + 2.5 * 2.5;
    } else {
      int k9 = 1;
    }
    return z;
  }
  
  @Differentiable(order = 2)
  public static double f2(double x, double y, int n, double z) {
    outer1: for (int i2 = n; i2 > 0; i2--) {
      double a3 = StrictMath.atan(y) * Math.pow(1.5 + 0.5 * 0.5, 3);
      for (int i4 = 0; i4 < i2; i4++) {
        y += 1.0 * Math.cos(C0 * StrictMath.tanh(1.25) * i2);
        if (x <= a3) {
          break;
        }
        a3 += 0.25 * Math.tanh(x * z);
      }
      a3 = Math.sin((n - 1 > 3 ? x : y) * x);
    }
    var a5 = StrictMath.tanh(x - z) * Math.atan(1.5) + (z + x + Math.expm1(Math.sin(3.0)));
    z *= 2.0;
    outer6: for (int i7 = 1; i7 < (int) (3.0 + 2.0 * Math.tanh(0.25 * Math.expm1(Math.sin(y)))); i7++) {
      a5 = a5 - 0.1 * y;
      var a8 = Math.toDegrees(Math.tanh(1.5));
    }
    ++a5;
    double[] t9 = new double[4];
    return Math.sin(z) + a5;
  }
  
  static double p4(double x, double y, int n, double z) {
    boolean b1 = x < 1.0;
    for (int i2 = 0; i2 < 4; i2++) {
      x /= 1.1 + Math.cos(2.5) * Math.cos(2.5);
      if (n != 2) {
        return Math.E;
      }
    }
    x /= 1.0 + Math.exp(Math.tanh(f2(x, y * 1.0, n, y * z)));
    return y;
  }
  
  static double p7(double[] a, double x, int n, double[] b) {
    if (x > 1000000.0) {
      throw new IllegalArgumentException("x too large: " + x);
    }
    for (int i1 = 0; i1 < (int) (3.0 + 2.0 * Math.tanh(x)) && x > 1.5; i1++) {
      for (int i2 = 0; i2 < Math.min(K0 + 2, 6); i2++) {
        double a3 = (1 - (x - b[1])) * 3.0;
      }
      x = 0.5 * x + Math.cos(Math.log1p(0.5 * StrictMath.tanh(x)));
      if (0.75 < b[0] && b[i1 % b.length] >= x) {
        if (Math.floor(C1) <= x) {
          double a4 = (x - (double) ((int) x)) / (1.5 + 0.5 * 0.5);
          return Math.sinh(Math.sin(a[i1 % a.length] - x));
        }
        continue;
      }
    }
    double a5 = (int) ((Math.signum(x) - (double) ((long) (b[0] * 3.0))) * 2.0) * 0.5;
    a5 = StrictMath.tanh(3.0 * n) * (1.0 * Math.sqrt(2.0 + Math.cos(a5)));
    --a5;
    a5 /= 1.0 + Math.exp(StrictMath.atan(-(Math.atan(x) * a[0])));
    if (Math.log1p(0.5 * Math.tanh(a5)) - x * Math.tanh(a5) < 0.1 - x - (b[0] - a[0])) {
      double a6 = 0.5 / 0.7;
      int k7 = K0;
      a5 -= a[1];
    }
    return x + a5;
  }
  
  @Differentiable(order = 2)
  public static double f10(double y, double z, double w) {
    y /= C1;
    double g = f0(f2(Math.sinh(Math.atan(z)), 0.75 / (2.0 + Math.sin(z)), 0, y - 1.5), 0 + z);
    return w + g * w;
  }
  
  @Differentiable(order = 2)
  public static double f16(int n, double x, double y) {
    int g1 = 0;
    while (g1++ < 6 && Math.log(1.0 + x * x) < 0.1) {
      boolean b2 = Math.exp(-(0.1 * 0.1)) < 2.0;
      boolean b3 = 0.1 <= x - x;
      double a4 = 0.1 * (x / C1);
    }
    int g6 = 0;
    outer5: do {
      g6++;
      double a7 = x;
    } while ((y <= 0.5 || y <= 2.0) && g6 < 6);
    double[] t8 = new double[4];
    if (Math.atan(1.0) >= 1.0) {
      double iteration = (y >= x && t8[1] <= y ? -y : -x) * 0.5;
      iteration += (0.25 - t8[0]) * 2.0;
      t8[0] = Math.cbrt(2.0 + Math.sin(t8[0]));
    } else if (t8[1] <= 0.5) {
      t8[1] = f10(y - (int) (y * 2.0) * 0.5, -(x * y), y);
    } else {
      for (int i9 = 1; i9 < t8.length; i9++) {
        t8[i9] = 0.5 * t8[i9] + Math.sin(p7(t8, Math.sinh(Math.atan(x)), 3, t8));
        for (int i10 = 1; i10 < t8.length; i10++) {
          t8[i10] += 0.25 * Math.sin(Math.exp(Math.cos(0.75 * x)));
          if ((y <= 1.5 ? y : x) < t8[i9]) {
            continue;
          }
        }
      }
      for (int i11 = 1; i11 < t8.length; i11++) {
        t8[i11] = StrictMath.tanh(t8[i11 - 1] * t8[i11]) + Math.sin(t8[i11]);
        if (x < x / (1.5 + y * y)) {
          t8[i11 % t8.length] = t8[i11 % t8.length] - 0.1 * Math.tanh(f2(t8[i11 - 1], p4(t8[1], t8[i11 - 1], n, t8[i11 % t8.length]), n - 1, t8[i11] * 0.1));
          continue;
        }
      }
    }
    return Math.log10(1.0 + (t8[0] <= y ? y : 1.0) * (t8[0] <= y ? y : 1.0));
  }
}
//==== twin (plain, margin-tracking; not @Differentiable) ====
package fz;

public final class Regression_compile_error_2938368789763724047Twin {
  static final double C0 = 0.75;
  static final double C1 = 1.5;
  static final int K0 = 3;
  
  public static double f0(double y, double z, double[] mg) {
    if (K0 % 2 == 0) {
      y /= 1.5 + 2.5 * 2.5;
    } else {
      int k9 = 1;
    }
    return z;
  }
  
  public static double f2(double x, double y, int n, double z, double[] mg) {
    outer1: for (int i2 = n; i2 > 0; i2--) {
      double a3 = StrictMath.atan(y) * Math.pow(1.5 + 0.5 * 0.5, 3);
      for (int i4 = 0; i4 < i2; i4++) {
        y += 1.0 * Math.cos(C0 * StrictMath.tanh(1.25) * i2);
        if (le(x, a3, mg)) {
          break;
        }
        a3 += 0.25 * Math.tanh(x * z);
      }
      a3 = mSin((n - 1 > 3 ? x : y) * x, false, mg);
    }
    var a5 = StrictMath.tanh(x - z) * Math.atan(1.5) + (z + x + Math.expm1(Math.sin(3.0)));
    z *= 2.0;
    outer6: for (int i7 = 1; i7 < toInt(3.0 + 2.0 * Math.tanh(0.25 * Math.expm1(mSin(y, false, mg))), mg); i7++) {
      a5 = a5 - 0.1 * y;
      var a8 = Math.toDegrees(Math.tanh(1.5));
    }
    ++a5;
    double[] t9 = new double[4];
    return mSin(z, false, mg) + a5;
  }
  
  public static double p4(double x, double y, int n, double z, double[] mg) {
    boolean b1 = lt(x, 1.0, mg);
    for (int i2 = 0; i2 < 4; i2++) {
      x /= 1.1 + Math.cos(2.5) * Math.cos(2.5);
      if (n != 2) {
        return Math.E;
      }
    }
    x /= 1.0 + Math.exp(Math.tanh(f2(x, y * 1.0, n, y * z, mg)));
    return y;
  }
  
  public static double p7(double[] a, double x, int n, double[] b, double[] mg) {
    if (gt(x, 1000000.0, mg)) {
      throw new IllegalArgumentException("x too large: " + x);
    }
    for (int i1 = 0; i1 < toInt(3.0 + 2.0 * Math.tanh(x), mg) && gt(x, 1.5, mg); i1++) {
      for (int i2 = 0; i2 < Math.min(K0 + 2, 6); i2++) {
        double a3 = (1 - (x - b[1])) * 3.0;
      }
      x = 0.5 * x + mCos(Math.log1p(0.5 * StrictMath.tanh(x)), false, mg);
      if (lt(0.75, b[0], mg) && ge(b[i1 % b.length], x, mg)) {
        if (le(Math.floor(C1), x, mg)) {
          double a4 = (x - (double) toInt(x, mg)) / (1.5 + 0.5 * 0.5);
          return Math.sinh(mSin(a[i1 % a.length] - x, false, mg));
        }
        continue;
      }
    }
    double a5 = toInt((mSignum(x, false, mg) - (double) toLong(b[0] * 3.0, mg)) * 2.0, mg) * 0.5;
    a5 = StrictMath.tanh(3.0 * n) * (1.0 * Math.sqrt(2.0 + mCos(a5, false, mg)));
    --a5;
    a5 /= 1.0 + Math.exp(StrictMath.atan(-(Math.atan(x) * a[0])));
    if (lt(Math.log1p(0.5 * Math.tanh(a5)) - x * Math.tanh(a5), 0.1 - x - (b[0] - a[0]), mg)) {
      double a6 = 0.5 / 0.7;
      int k7 = K0;
      a5 -= a[1];
    }
    return x + a5;
  }
  
  public static double f10(double y, double z, double w, double[] mg) {
    y /= C1;
    double g = f0(f2(Math.sinh(Math.atan(z)), 0.75 / (2.0 + mSin(z, false, mg)), 0, y - 1.5, mg), 0 + z, mg);
    return w + g * w;
  }
  
  public static double f16(int n, double x, double y, double[] mg) {
    int g1 = 0;
    while (g1++ < 6 && lt(Math.log(1.0 + x * x), 0.1, mg)) {
      boolean b2 = Math.exp(-(0.1 * 0.1)) < 2.0;
      boolean b3 = le(0.1, x - x, mg);
      double a4 = 0.1 * (x / C1);
    }
    int g6 = 0;
    outer5: do {
      g6++;
      double a7 = x;
    } while ((le(y, 0.5, mg) || le(y, 2.0, mg)) && g6 < 6);
    double[] t8 = new double[4];
    if (Math.atan(1.0) >= 1.0) {
      double iteration = (ge(y, x, mg) && le(t8[1], y, mg) ? -y : -x) * 0.5;
      iteration += (0.25 - t8[0]) * 2.0;
      t8[0] = mCbrt(2.0 + mSin(t8[0], false, mg), false, mg);
    } else if (le(t8[1], 0.5, mg)) {
      t8[1] = f10(y - toInt(y * 2.0, mg) * 0.5, -(x * y), y, mg);
    } else {
      for (int i9 = 1; i9 < t8.length; i9++) {
        t8[i9] = 0.5 * t8[i9] + mSin(p7(t8, Math.sinh(Math.atan(x)), 3, t8, mg), false, mg);
        for (int i10 = 1; i10 < t8.length; i10++) {
          t8[i10] += 0.25 * mSin(Math.exp(mCos(0.75 * x, false, mg)), false, mg);
          if (lt(le(y, 1.5, mg) ? y : x, t8[i9], mg)) {
            continue;
          }
        }
      }
      for (int i11 = 1; i11 < t8.length; i11++) {
        t8[i11] = StrictMath.tanh(t8[i11 - 1] * t8[i11]) + mSin(t8[i11], false, mg);
        if (lt(x, x / (1.5 + y * y), mg)) {
          t8[i11 % t8.length] = t8[i11 % t8.length] - 0.1 * Math.tanh(f2(t8[i11 - 1], p4(t8[1], t8[i11 - 1], n, t8[i11 % t8.length], mg), n - 1, t8[i11] * 0.1, mg));
          continue;
        }
      }
    }
    return Math.log10(1.0 + (le(t8[0], y, mg) ? y : 1.0) * (le(t8[0], y, mg) ? y : 1.0));
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
