package dev.adjoint.processor.ir;

import java.util.LinkedHashSet;
import java.util.Set;

/** The node kinds of a sealed IR family, found through its permitted subclasses. */
final class KindCoverage {
  private KindCoverage() {}

  /** Every record (a concrete node kind) below {@code family}: Stmt or Expr. */
  static Set<Class<?>> kindsOf(Class<?> family) {
    Set<Class<?>> out = new LinkedHashSet<>();
    collect(family, out);
    return out;
  }

  private static void collect(Class<?> c, Set<Class<?>> out) {
    if (c.isRecord()) {
      out.add(c);
      return;
    }
    for (Class<?> sub : c.getPermittedSubclasses()) {
      collect(sub, out);
    }
  }
}
