package dev.adjoint.processor.read;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Lexical scopes of the method being read: names to variables, innermost first. */
final class Scope {
  private final Deque<Map<String, Variable>> frames = new ArrayDeque<>();

  /**
   * Names that stand for an expression, innermost first: the row variable of
   * {@code for (double[] row : m)} is {@code m[i]}.
   */
  private final Deque<Map<String, Expr>> aliases = new ArrayDeque<>();

  /** Frames that hide the frames outside them: the body of an inlined method. */
  private final Deque<Boolean> isolated = new ArrayDeque<>();

  Scope() {
    push();
  }

  void push() {
    frames.push(new HashMap<>());
    aliases.push(new HashMap<>());
    isolated.push(false);
  }

  /** A frame from which the names declared outside it cannot be seen. */
  void pushIsolated() {
    push();
    isolated.pop();
    isolated.push(true);
  }

  void pop() {
    frames.pop();
    aliases.pop();
    isolated.pop();
  }

  /** Declares {@code name} as standing for the variable {@code v}, whatever its own name. */
  void declareAs(String name, Variable v) {
    frames.peek().put(name, v);
  }

  /** Declares {@code name} as standing for {@code row} in the innermost scope. */
  void declareAlias(String name, Expr row) {
    aliases.peek().put(name, row);
  }

  /** The expression a name stands for, when the innermost declaration of it is an alias. */
  Optional<Expr> alias(String name) {
    java.util.Iterator<Map<String, Variable>> f = frames.iterator();
    java.util.Iterator<Boolean> hides = isolated.iterator();
    for (Map<String, Expr> frame : aliases) {
      Map<String, Variable> vars = f.next();
      if (vars.containsKey(name)) {
        return Optional.empty();
      }
      if (frame.containsKey(name)) {
        return Optional.of(frame.get(name));
      }
      if (hides.next()) {
        break;
      }
    }
    return Optional.empty();
  }

  void declare(Variable v) {
    frames.peek().put(v.sourceName(), v);
  }

  /** 1 for the parameters' scope, 2 for the method body's top level, more inside blocks. */
  int depth() {
    return frames.size();
  }

  Variable lookup(String name) {
    java.util.Iterator<Boolean> hides = isolated.iterator();
    for (Map<String, Variable> frame : frames) {
      Variable v = frame.get(name);
      if (v != null) {
        return v;
      }
      if (hides.next()) {
        break;
      }
    }
    return null;
  }
}
