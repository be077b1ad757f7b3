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

  Scope() {
    push();
  }

  void push() {
    frames.push(new HashMap<>());
    aliases.push(new HashMap<>());
  }

  void pop() {
    frames.pop();
    aliases.pop();
  }

  /** Declares {@code name} as standing for {@code row} in the innermost scope. */
  void declareAlias(String name, Expr row) {
    aliases.peek().put(name, row);
  }

  /** The expression a name stands for, when the innermost declaration of it is an alias. */
  Optional<Expr> alias(String name) {
    java.util.Iterator<Map<String, Variable>> f = frames.iterator();
    for (Map<String, Expr> frame : aliases) {
      Map<String, Variable> vars = f.next();
      if (vars.containsKey(name)) {
        return Optional.empty();
      }
      if (frame.containsKey(name)) {
        return Optional.of(frame.get(name));
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
    for (Map<String, Variable> frame : frames) {
      Variable v = frame.get(name);
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
