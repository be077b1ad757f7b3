// Adjoint fuzz regression, written by dev.adjoint.processor.fuzz.FuzzChecker (shrunk).
// RegressionProgramsTest compiles it with the processor and checks @target at @point and at
// random points like the fuzzer does; after the twin marker is the plain margin-tracking twin.
// @kind exception
// @signature exception:NullPointerException
// @target f28
// @point {-0.5034739811481708, -1.8830893233816237, -0.28074714896276154, -1.85068582585441, -0.2862554928268106}, 1.0
// @found run seed 20240611, program seed 7031435566070632356
// @note mVjp's pullback copied a local array that the early return left null (fixed: Shapes.copy is null-safe)
// Failure when found:
//   f28({-0.5034739811481708, -1.8830893233816237, -0.28074714896276154, -1.85068582585441, -0.2862554928268106}, 1.0): f28Vjp's pullback threw java.lang.NullPointerException: Cannot invoke "[D.clone()" because "this.t8" is null
//         at adjoint-fuzz//fz.Shrink549Diff$F28Vjp.pullback(Shrink549Diff.java:511)
//         at java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
//         at java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)
//         at java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)
package fz;

import dev.adjoint.Differentiable;

public class Regression_exception_7031435566070632356 {
  
  @Differentiable(order = 2)
  public static double f28(double[] a, double x) {
    double[] t1 = new double[a.length];
    double[] t2 = new double[1];
    if (x > t1[1]) {
      return t1[0];
    }
    double[] t8 = new double[a.length];
    return x + t1[0] + t2[0] + t8[0];
  }
}
//==== twin (plain, margin-tracking; not @Differentiable) ====
package fz;

public final class Regression_exception_7031435566070632356Twin {
  
  public static double f28(double[] a, double x, double[] mg) {
    double[] t1 = new double[a.length];
    double[] t2 = new double[1];
    if (gt(x, t1[1], mg)) {
      return t1[0];
    }
    double[] t8 = new double[a.length];
    return x + t1[0] + t2[0] + t8[0];
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
