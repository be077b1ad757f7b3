package dev.adjoint.processor.read;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code java.util.Random} or {@code java.util.SplittableRandom} local created in the method
 * from a seed, read as its state: a {@code long} (and, for {@code Random}, the pending second
 * normal of a pair, a {@code double}). Each draw becomes a local holding the value drawn, a
 * pure function of the state ({@code dev.adjoint.runtime.RandomDraws}), and the state's update,
 * hoisted before the statement in Java's evaluation order. Every later stage sees integer and
 * floating locals and calls of pure functions, so a forward sweep run again, or a drawn value
 * recomputed in the reverse sweep from the restored state, gives exactly the numbers the plain
 * method draws.
 */
final class Generators {
  static final String RUNTIME_PACKAGE = "dev.adjoint.runtime";
  static final String RUNTIME_CLASS = "RandomDraws";

  /** Which generator class. */
  enum Kind {
    RANDOM("java.util.Random", "nextDouble(), nextGaussian(), nextInt(), nextInt(bound), "
        + "nextLong(), nextBoolean()"),
    SPLITTABLE("java.util.SplittableRandom", "nextDouble(), nextLong()");

    final String className;
    final String draws;

    Kind(String className, String draws) {
      this.className = className;
      this.draws = draws;
    }

    String simpleName() {
      return className.substring(className.lastIndexOf('.') + 1);
    }

    static Optional<Kind> of(String qualifiedName) {
      for (Kind k : values()) {
        if (k.className.equals(qualifiedName)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /** A generator local: its state and, for {@code Random}, the pending normal. */
  record Generator(Kind kind, Variable state, Optional<Variable> pending) {}

  private Generators() {}

  /** A call of {@code RandomDraws.name(arguments)}, a pure function. */
  static Expr.Call call(String name, Type result, List<Expr> arguments, Position at) {
    List<String> names = new ArrayList<>();
    List<Type> types = new ArrayList<>();
    List<Boolean> differentiates = new ArrayList<>();
    for (int i = 0; i < arguments.size(); i++) {
      names.add("a" + i);
      types.add(arguments.get(i).type());
      differentiates.add(false);
    }
    Callee callee = new Callee(RUNTIME_PACKAGE, RUNTIME_CLASS, name, List.copyOf(names),
        List.copyOf(types), List.copyOf(differentiates), result, false, 0, false);
    return new Expr.Call(callee, List.copyOf(arguments), at);
  }

  /** The statements declaring a generator created from {@code seed} (a {@code long}). */
  static List<Stmt> declare(Generator g, Expr seed, Position at) {
    List<Stmt> out = new ArrayList<>();
    String init = g.kind() == Kind.RANDOM ? "random" : "splittable";
    out.add(new Stmt.Declare(g.state(), Optional.of(call(init, Type.LONG, List.of(seed), at)),
        at));
    g.pending().ifPresent(p -> out.add(new Stmt.Declare(p,
        Optional.of(Expr.Literal.of(0.0)), at)));
    return out;
  }

  /**
   * Appends to {@code effects} the statements of the draw {@code method(arguments)} from
   * {@code g} and returns the local holding the value drawn; empty when the generator has no
   * such draw.
   */
  static Optional<Expr> draw(Generator g, String method, List<Expr> arguments, List<Stmt> effects,
      Position at) {
    Expr state = new Expr.Local(g.state());
    String value;
    String next;
    Type type;
    List<Expr> valueArgs = new ArrayList<>(List.of(state));
    List<Expr> nextArgs = new ArrayList<>(List.of(state));
    if (g.kind() == Kind.RANDOM) {
      switch (method + "/" + arguments.size()) {
        case "nextDouble/0" -> {
          value = "randomDouble";
          next = "randomDoubleState";
          type = Type.DOUBLE;
        }
        case "nextGaussian/0" -> {
          value = "randomGaussian";
          next = "randomGaussianState";
          type = Type.DOUBLE;
          valueArgs.add(new Expr.Local(g.pending().orElseThrow()));
        }
        case "nextInt/0" -> {
          value = "randomInt";
          next = "randomIntState";
          type = Type.INT;
        }
        case "nextInt/1" -> {
          value = "randomInt";
          next = "randomIntState";
          type = Type.INT;
          valueArgs.add(arguments.get(0));
          nextArgs.add(arguments.get(0));
        }
        case "nextLong/0" -> {
          value = "randomLong";
          next = "randomLongState";
          type = Type.LONG;
        }
        case "nextBoolean/0" -> {
          value = "randomBoolean";
          next = "randomIntState";
          type = Type.BOOLEAN;
        }
        default -> {
          return Optional.empty();
        }
      }
    } else {
      switch (method + "/" + arguments.size()) {
        case "nextDouble/0" -> {
          value = "splittableDouble";
          type = Type.DOUBLE;
        }
        case "nextLong/0" -> {
          value = "splittableLong";
          type = Type.LONG;
        }
        default -> {
          return Optional.empty();
        }
      }
      next = "splittableState";
    }
    Variable drawn = new Variable(g.state().name() + "Draw", type, Variable.Kind.LOCAL);
    effects.add(new Stmt.Declare(drawn, Optional.of(call(value, type, valueArgs, at)), at));
    if (method.equals("nextGaussian")) {
      Variable pending = g.pending().orElseThrow();
      effects.add(new Stmt.Assign(pending, call("randomGaussianPending", Type.DOUBLE,
          List.of(state, new Expr.Local(pending)), at), at));
    }
    effects.add(new Stmt.Assign(g.state(), call(next, Type.LONG, nextArgs, at), at));
    return Optional.of(new Expr.Local(drawn));
  }
}
