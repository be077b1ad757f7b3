package dev.adjoint.processor.ir;

import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.binary;
import static dev.adjoint.processor.ir.Exprs.call;
import static dev.adjoint.processor.ir.Exprs.cond;
import static dev.adjoint.processor.ir.Exprs.div;
import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.mul;
import static dev.adjoint.processor.ir.Exprs.neg;
import static dev.adjoint.processor.ir.Exprs.sub;

import dev.adjoint.processor.ir.Expr.BinaryOp;
import java.util.Arrays;
import java.util.List;

/**
 * The table of primitive derivatives: every function of {@code java.lang.Math} (and
 * {@code StrictMath}) that a differentiated body may call, with its overloads and the partial
 * derivative with respect to each argument. It is the single source of derivative rules for
 * every transform; adding an intrinsic is adding one constant here.
 *
 * <p>A rule receives the argument values {@code x} (already evaluated, cheap to repeat) and
 * {@code r}, the call's own result, and returns one partial per argument. Conventions at
 * kinks are documented in the README: the derivative of abs at 0 is 0; ties of min and max
 * give the whole derivative to the first argument; pow(x, y) has d/dx = 0 where y = 0 and
 * d/dy = 0 where x = 0; hypot at (0, 0) has zero partials; piecewise-constant functions
 * (signum, floor, ceil, rint, round) have derivative 0.
 */
public enum Intrinsic {
  SIN("sin", Signatures.D1, (x, r) -> List.of(apply("cos", x.get(0)))),
  COS("cos", Signatures.D1, (x, r) -> List.of(neg(apply("sin", x.get(0))))),
  TAN("tan", Signatures.D1, (x, r) -> List.of(add(lit(1), mul(r, r)))),
  ASIN("asin", Signatures.D1, (x, r) -> List.of(div(lit(1), sqrtOneMinusSquare(x.get(0))))),
  ACOS("acos", Signatures.D1, (x, r) -> List.of(div(lit(-1), sqrtOneMinusSquare(x.get(0))))),
  ATAN("atan", Signatures.D1, (x, r) -> List.of(div(lit(1), add(lit(1), mul(x.get(0), x.get(0)))))),
  ATAN2(
      "atan2",
      Signatures.D2,
      (x, r) -> {
        Expr y = x.get(0);
        Expr xx = x.get(1);
        Expr norm = add(mul(xx, xx), mul(y, y));
        return List.of(div(xx, norm), div(neg(y), norm));
      }),
  SINH("sinh", Signatures.D1, (x, r) -> List.of(apply("cosh", x.get(0)))),
  COSH("cosh", Signatures.D1, (x, r) -> List.of(apply("sinh", x.get(0)))),
  TANH("tanh", Signatures.D1, (x, r) -> List.of(sub(lit(1), mul(r, r)))),
  EXP("exp", Signatures.D1, (x, r) -> List.of(r)),
  EXPM1("expm1", Signatures.D1, (x, r) -> List.of(add(r, lit(1)))),
  LOG("log", Signatures.D1, (x, r) -> List.of(div(lit(1), x.get(0)))),
  LOG10("log10", Signatures.D1, (x, r) -> List.of(div(lit(1), mul(x.get(0), lit(Math.log(10)))))),
  LOG1P("log1p", Signatures.D1, (x, r) -> List.of(div(lit(1), add(lit(1), x.get(0))))),
  SQRT("sqrt", Signatures.D1, (x, r) -> List.of(div(lit(0.5), r))),
  CBRT("cbrt", Signatures.D1, (x, r) -> List.of(div(lit(1), mul(lit(3), mul(r, r))))),
  POW(
      "pow",
      Signatures.D2,
      (x, r) -> {
        Expr base = x.get(0);
        Expr exponent = x.get(1);
        if (exponent instanceof Expr.Literal n && n.value() instanceof Number value) {
          double k = value.doubleValue();
          Expr dBase = k == 0 ? lit(0)
              : mul(lit(k), k == 2 ? base : apply("pow", base, lit(k - 1)));
          return List.of(dBase, lit(0));
        }
        Expr dBase =
            cond(
                binary(BinaryOp.EQUAL, exponent, lit(0)),
                lit(0),
                mul(exponent, apply("pow", base, sub(exponent, lit(1)))));
        Expr dExponent =
            cond(
                binary(BinaryOp.EQUAL, base, lit(0)),
                lit(0),
                mul(r, apply("log", base)));
        return List.of(dBase, dExponent);
      }),
  HYPOT(
      "hypot",
      Signatures.D2,
      (x, r) -> {
        Expr atOrigin = binary(BinaryOp.EQUAL, r, lit(0));
        return List.of(
            cond(atOrigin, lit(0), div(x.get(0), r)), cond(atOrigin, lit(0), div(x.get(1), r)));
      }),
  ABS("abs", Signatures.ALL_NUMERIC_1, (x, r) -> List.of(apply("signum", x.get(0)))),
  MIN(
      "min",
      Signatures.ALL_NUMERIC_2,
      (x, r) -> {
        Expr firstWins = binary(BinaryOp.LESS_EQUAL, x.get(0), x.get(1));
        return List.of(cond(firstWins, lit(1), lit(0)), cond(firstWins, lit(0), lit(1)));
      }),
  MAX(
      "max",
      Signatures.ALL_NUMERIC_2,
      (x, r) -> {
        Expr firstWins = binary(BinaryOp.GREATER_EQUAL, x.get(0), x.get(1));
        return List.of(cond(firstWins, lit(1), lit(0)), cond(firstWins, lit(0), lit(1)));
      }),
  SIGNUM("signum", Signatures.FLOATING_1, Intrinsic::zeros),
  FLOOR("floor", Signatures.D1, Intrinsic::zeros),
  CEIL("ceil", Signatures.D1, Intrinsic::zeros),
  RINT("rint", Signatures.D1, Intrinsic::zeros),
  ROUND("round", new Overload[] {sig(Type.INT, Type.FLOAT), sig(Type.LONG, Type.DOUBLE)},
      Intrinsic::zeros),
  TO_RADIANS("toRadians", Signatures.D1, (x, r) -> List.of(lit(Math.toRadians(1.0)))),
  TO_DEGREES("toDegrees", Signatures.D1, (x, r) -> List.of(lit(Math.toDegrees(1.0)))),
  FMA(
      "fma",
      new Overload[] {
        sig(Type.FLOAT, Type.FLOAT, Type.FLOAT, Type.FLOAT),
        sig(Type.DOUBLE, Type.DOUBLE, Type.DOUBLE, Type.DOUBLE)
      },
      (x, r) -> List.of(x.get(1), x.get(0), lit(1))),
  COPY_SIGN(
      "copySign",
      new Overload[] {
        sig(Type.FLOAT, Type.FLOAT, Type.FLOAT), sig(Type.DOUBLE, Type.DOUBLE, Type.DOUBLE)
      },
      (x, r) ->
          List.of(
              mul(apply("copySign", lit(1), x.get(0)),
                  apply("copySign", lit(1), x.get(1))),
              lit(0)));

  /** One Java overload: the result type, then the parameter types. */
  public record Overload(Type result, List<Type> parameters) {}

  /** The partial derivatives of a call, given argument values and the call's result. */
  @FunctionalInterface
  public interface Rule {
    List<Expr> partials(List<Expr> arguments, Expr result);
  }

  private static Overload sig(Type result, Type... parameters) {
    return new Overload(result, List.of(parameters));
  }

  /** Overload sets shared by several intrinsics (a holder: enum constants are built first). */
  private static final class Signatures {
    static final Overload[] D1 = {sig(Type.DOUBLE, Type.DOUBLE)};
    static final Overload[] D2 = {sig(Type.DOUBLE, Type.DOUBLE, Type.DOUBLE)};
    static final Overload[] FLOATING_1 = {
      sig(Type.FLOAT, Type.FLOAT), sig(Type.DOUBLE, Type.DOUBLE)
    };
    static final Overload[] ALL_NUMERIC_1 = {
      sig(Type.INT, Type.INT), sig(Type.LONG, Type.LONG),
      sig(Type.FLOAT, Type.FLOAT), sig(Type.DOUBLE, Type.DOUBLE)
    };
    static final Overload[] ALL_NUMERIC_2 = {
      sig(Type.INT, Type.INT, Type.INT), sig(Type.LONG, Type.LONG, Type.LONG),
      sig(Type.FLOAT, Type.FLOAT, Type.FLOAT), sig(Type.DOUBLE, Type.DOUBLE, Type.DOUBLE)
    };
  }

  private final String javaName;
  private final List<Overload> overloads;
  private final Rule rule;

  Intrinsic(String javaName, Overload[] overloads, Rule rule) {
    this.javaName = javaName;
    this.overloads = List.of(overloads);
    this.rule = rule;
  }

  /** The method's name in {@code java.lang.Math}. */
  public String javaName() {
    return javaName;
  }

  public Rule rule() {
    return rule;
  }

  /** The overload Java would pick for these argument types, or null if none applies. */
  public Overload resolve(List<Type> argumentTypes) {
    // Overloads are listed from the narrowest, so the first applicable is the most specific.
    for (Overload o : overloads) {
      if (o.parameters().size() != argumentTypes.size()) {
        continue;
      }
      boolean applicable = true;
      for (int i = 0; i < argumentTypes.size(); i++) {
        applicable &= argumentTypes.get(i).widensTo(o.parameters().get(i));
      }
      if (applicable) {
        return o;
      }
    }
    return null;
  }

  public Type resultType(List<Type> argumentTypes) {
    Overload o = resolve(argumentTypes);
    return o == null ? Type.DOUBLE : o.result();
  }

  public static Intrinsic byJavaName(String name) {
    return Arrays.stream(values()).filter(i -> i.javaName.equals(name)).findFirst().orElse(null);
  }

  /** Calls an intrinsic by name: rules may not name constants (they are still being built). */
  private static Expr apply(String javaName, Expr... args) {
    return call(byJavaName(javaName), args);
  }

  private static Expr sqrtOneMinusSquare(Expr x) {
    return apply("sqrt", sub(lit(1), mul(x, x)));
  }

  private static List<Expr> zeros(List<Expr> arguments, Expr result) {
    return arguments.stream().map(a -> (Expr) lit(0)).toList();
  }
}
