package dev.adjoint.processor.read;

import dev.adjoint.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Lexical scopes of the method being read: names to variables, innermost first. */
final class Scope {
  private final Deque<Map<String, Variable>> frames = new ArrayDeque<>();

  Scope() {
    push();
  }

  void push() {
    frames.push(new HashMap<>());
  }

  void pop() {
    frames.pop();
  }

  void declare(Variable v) {
    frames.peek().put(v.name(), v);
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
