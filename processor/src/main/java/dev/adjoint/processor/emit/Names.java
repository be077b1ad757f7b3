package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Gives the variables of one generated method Java names that follow Java's scopes: the source
 * name where it is free, else the name followed by the first free number (t, t2, t3, ...).
 *
 * <p>A name is free when no name of an open scope uses it: the method's own scope holds the
 * parameters, the names the generated code itself refers to ({@link #RESERVED}), every name
 * handed out by {@link #fresh} or {@link #of} and every variable declared at the top; a
 * nested scope (a block, a loop, a branch, opened and closed by whoever prints it) holds the
 * variables {@link #declare declared} in it, and gives their names back when it closes. So a
 * loop variable {@code c} of a second loop is {@code c} again, while a name still visible is
 * never shadowed or reused.
 */
final class Names {
  /**
   * Simple names generated code uses as qualifiers ({@code Math.exp}, {@code Tape}, ...): a
   * local of that name would hide the class.
   */
  static final Set<String> RESERVED = Set.of("Math", "StrictMath", "Double", "Float", "Integer",
      "Long", "System", "Objects", "Arrays", "Tape", "Shapes", "DeepStack", "RandomDraws",
      "IllegalArgumentException",
      "IllegalStateException", "OutOfMemoryError", "String");

  /** The name of each variable named so far, and the scope it was named in. */
  private final Map<Variable, Binding> bindings = new HashMap<>();
  /** Open scopes, innermost first; the last is the method's. */
  private final Deque<Set<String>> scopes = new ArrayDeque<>();

  private record Binding(String name, Set<String> scope) {}

  /**
   * Names the file being written refers to beyond {@link #RESERVED} (package roots, table and
   * callee classes: {@link PackageRoots}), set by {@link #forFile} while it is written.
   */
  private static final ThreadLocal<Set<String>> FILE = ThreadLocal.withInitial(Set::of);

  Names() {
    scopes.push(new HashSet<>(RESERVED));
    scopes.getLast().addAll(FILE.get());
  }

  /** Runs {@code work} with {@code referenced} reserved in every {@code Names} it creates. */
  static <T> T forFile(Set<String> referenced, Supplier<T> work) {
    Set<String> before = FILE.get();
    FILE.set(Set.copyOf(referenced));
    try {
      return work.get();
    } finally {
      FILE.set(before);
    }
  }

  /** Reserves a name that must stay as it is (a parameter of the user's method). */
  void reserve(Variable v) {
    Set<String> method = scopes.getLast();
    method.add(v.name());
    bindings.put(v, new Binding(v.name(), method));
  }

  /**
   * The name of {@code v}: the one it has while its scope is open, else a new one for the whole
   * method (a variable used before it is declared by a printed statement, such as an adjoint
   * the sweep writer declares at the top).
   */
  String of(Variable v) {
    Binding b = bindings.get(v);
    if (b != null) {
      return b.name();
    }
    Set<String> method = scopes.getLast();
    String name = free(v.name());
    method.add(name);
    bindings.put(v, new Binding(name, method));
    return name;
  }

  /**
   * Names {@code v} where a statement declares it, in the innermost open scope. A variable
   * declared again after its scope closed (the same loop counter in two loops) is named again.
   */
  String declare(Variable v) {
    Binding b = bindings.get(v);
    if (b != null && isOpen(b.scope())) {
      return b.name();
    }
    String name = free(v.name());
    scopes.peek().add(name);
    bindings.put(v, new Binding(name, scopes.peek()));
    return name;
  }

  /** A new name, taken for the rest of the innermost open scope. */
  String fresh(String base) {
    String name = free(base);
    scopes.peek().add(name);
    return name;
  }

  /**
   * A new name as {@link #fresh(String)}, also unlike every name of {@code kept}: the names of
   * variables still to be printed, which keep them when the new name is numbered instead.
   */
  String fresh(String base, Set<String> kept) {
    String name = base;
    for (int i = 2; taken(name) || kept.contains(name); i++) {
      name = base + i;
    }
    scopes.peek().add(name);
    return name;
  }

  /** Opens a nested scope: names declared until {@link #close} are given back then. */
  void open() {
    scopes.push(new HashSet<>());
  }

  /** Closes the innermost nested scope. */
  void close() {
    if (scopes.size() == 1) {
      throw new IllegalStateException("the method's scope cannot be closed");
    }
    scopes.pop();
  }

  private String free(String base) {
    String name = base;
    for (int i = 2; taken(name); i++) {
      name = base + i;
    }
    return name;
  }

  private boolean taken(String name) {
    for (Set<String> scope : scopes) {
      if (scope.contains(name)) {
        return true;
      }
    }
    return false;
  }

  private boolean isOpen(Set<String> scope) {
    for (Set<String> open : scopes) {
      if (open == scope) {
        return true;
      }
    }
    return false;
  }
}
