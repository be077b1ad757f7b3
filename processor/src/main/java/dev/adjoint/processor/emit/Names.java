package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Variable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Gives every variable of one generated method a unique Java name: the source name where it
 * is free, else the name followed by the first free number (t, t2, t3, ...).
 */
final class Names {
  private final Map<Variable, String> names = new HashMap<>();
  private final Set<String> taken = new HashSet<>();

  /** Reserves a name that must stay as it is (a parameter of the user's method). */
  void reserve(Variable v) {
    names.put(v, v.name());
    taken.add(v.name());
  }

  String of(Variable v) {
    return names.computeIfAbsent(v, k -> fresh(k.name()));
  }

  String fresh(String base) {
    String name = base;
    for (int i = 2; taken.contains(name); i++) {
      name = base + i;
    }
    taken.add(name);
    return name;
  }
}
