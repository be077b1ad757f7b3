// Adjoint fuzz regression, written by dev.adjoint.processor.fuzz.FuzzChecker (shrunk).
// RegressionProgramsTest compiles it with the processor and checks @target at @point and at
// random points like the fuzzer does; after the twin marker is the plain margin-tracking twin.
// @kind compile-error
// @signature compile-error:compiler.err.cant.resolve.location.args
// @target f42
// @point none
// @found run seed 20240611, program seed 6246931473721054551
// Failure when found:
//   [WARNING SOURCE Shrink1761.f42 line 41: [ADJ207] casting a value that depends on a differentiable parameter to int cuts its derivative: the result is treated as a constant. Cast to double instead if the derivative should flow.
//       | return (int) ((y + x) * 2.0) * 0.5;, WARNING SOURCE Shrink1761.f42 line 39: [ADJ111] no derivative of 'x' reaches the result of 'f42' (it is unused, or used only in conditions, indices or integer conversions), so its derivative is always 0; leave it out of wrt (or check the method: is a term missing?).
//       | public static double f42(int n, double x, int[] k, double y, double[] a) {, ERROR GENERATED Shrink1761.f42 line 670: cannot find symbol
//     symbol:   method p38Tangent(double[],double,double[],double,double[])
//     location: class fz.Shrink1761Diff
//       | Shrink1761Diff.p38Tangent(t1, 0.75, t1Dot, 0.0, valueAndTangent2);, ERROR GENERATED Shrink1761.f42 line 747: cannot find symbol
//     symbol:   method p38TangentTangent(double[],double,double[],double,double[],double[],double,double[],double,double[])
//     location: class fz.Shrink1761Diff
//       | Shrink1761Diff.p38TangentTangent(t1, 0.75, t1Dot, 0.0, valueAndTangent2, t1Dot2, 0.0, t1DotDot, 0.0, valueAndTangentDot2);, ERROR GENERATED Shrink1761.f42Tangent line 896: cannot find symbol
//     symbol:   method p38Tangent(double[],double,double[],double,double[])
//     location: class fz.Shrink1761Diff
//       | Shrink1761Diff.p38Tangent(t1, 0.75, t1Dot, 0.0, valueAndTangent2);, ERROR GENERATED Shrink1761.f42Tangent line 1019: cannot find symbol
//     symbol:   method p38TangentAdjoint(double[],double,double[],double,double[],double[],double[],double[],double[],dev.adjoint.runtime.Tape)
//     location: class fz.Shrink1761Diff
//       | Shrink1761Diff.p38TangentAdjoint(t1.clone(), 0.75, t1Dot.clone(), 0.0, valueAndTangent2.clone(), callAdjoints, t1Bar, t1DotBar, valueAndTangentBar2, tape);]
package fz;

import dev.adjoint.Differentiable;

public class Regression_compile_error_6246931473721054551 {
  static final double C1 = 1.5;
  static final int K0 = 3;
  
  private static double q4(int n, double w) {
    if (n <= 0) {
      return 1.0;
    }
    return 0.75;
  }
  
  @Differentiable(order = 2)
  public static double f10(double x, int n) {
    if (n <= 0) {
      return 0.7;
    }
    return x;
  }
  
  private static double q11(double w) {
    return w;
  }
  
  static double p38(double[] a, double x) {
    double a2 = 1.5;
    double[] t4 = new double[2];
    double[] t5 = new double[2];
    return a2 + t4[1] + t5[1];
  }
  
  @Differentiable(order = 2)
  public static double f42(int n, double x, int[] k, double y, double[] a) {
    if (n <= 0) {
      return (int) ((y + x) * 2.0) * 0.5;
    }
    double[] t1 = new double[5];
    double seed = q4(n, f10(y, n)) - 1.5;
    double[] t2 = new double[5];
    seed += t1[k[0] % t1.length] + 0.75 - p38(t1, 0.75);
    return (K0 % 2 == 0 || y < a[0] ? -a[k[1] % a.length] : (int) (C1 * 2.0) * 0.5) + t2[1] + seed + 0.5 * Math.sin(f42(n - 1, q11(seed), k, Math.atan(seed), a));
  }
}
//==== twin (plain, margin-tracking; not @Differentiable) ====
package fz;

public final class Regression_compile_error_6246931473721054551Twin {
  static final double C1 = 1.5;
  static final int K0 = 3;
  
  public static double q4(int n, double w, double[] mg) {
    if (n <= 0) {
      return 1.0;
    }
    return 0.75;
  }
  
  public static double f10(double x, int n, double[] mg) {
    if (n <= 0) {
      return 0.7;
    }
    return x;
  }
  
  public static double q11(double w, double[] mg) {
    return w;
  }
  
  public static double p38(double[] a, double x, double[] mg) {
    double a2 = 1.5;
    double[] t4 = new double[2];
    double[] t5 = new double[2];
    return a2 + t4[1] + t5[1];
  }
  
  public static double f42(int n, double x, int[] k, double y, double[] a, double[] mg) {
    if (n <= 0) {
      return toInt((y + x) * 2.0, mg) * 0.5;
    }
    double[] t1 = new double[5];
    double seed = q4(n, f10(y, n, mg), mg) - 1.5;
    double[] t2 = new double[5];
    seed += t1[k[0] % t1.length] + 0.75 - p38(t1, 0.75, mg);
    return (K0 % 2 == 0 || lt(y, a[0], mg) ? -a[k[1] % a.length] : (int) (C1 * 2.0) * 0.5) + t2[1] + seed + 0.5 * mSin(f42(n - 1, q11(seed, mg), k, Math.atan(seed), a, mg), false, mg);
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
