package dev.adjoint.processor.ir;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/** Java identifiers that generated code derives from source names. */
public final class Identifiers {
  private Identifiers() {}

  /** The simple name of the class generated for the user's class {@code ownerSimpleName}. */
  public static String diffClassName(String ownerSimpleName) {
    return ownerSimpleName + "Diff";
  }

  /**
   * The constant of a generated class that lists, comma-separated, as {@code position=name},
   * the array parameters {@code method} writes (a method returning a value that writes them): how a caller compiled
   * later, against the class file, knows it. The {@code $} keeps it apart from the names
   * generated from the user's.
   */
  public static String writtenArraysConstant(String method) {
    return "writtenArrays$" + method;
  }

  /**
   * {@code name} with its first character upper-cased, as the generated API spells it: {@code x}
   * gives {@code dX()}, {@code rate} gives {@code RateGrad}.
   */
  public static String capitalize(String name) {
    if (name.isEmpty()) {
      return name;
    }
    int first = name.codePointAt(0);
    return new StringBuilder().appendCodePoint(Character.toUpperCase(first))
        .append(name, Character.charCount(first), name.length()).toString();
  }

  /**
   * Simple names generated code refers to as qualifiers or package roots ({@code Math.exp},
   * {@code Objects.requireNonNull}, {@code java.lang.Math}, {@code dev.adjoint.runtime.Tape}):
   * a parameter of that name would hide them inside every generated method that declares it.
   */
  public static final Set<String> QUALIFIERS = Set.of("Math", "StrictMath", "Double", "Float",
      "Integer", "Long", "System", "Objects", "Arrays", "Tape", "Shapes", "DeepStack",
      "RandomDraws", "IllegalArgumentException", "IllegalStateException", "String", "java", "javax", "dev");

  /**
   * The Java names of a method's parameters in generated code: each source name, except one
   * that {@link #QUALIFIERS} or the first segment of {@code packageName} holds, which gets
   * {@code _} and, if another parameter already has that, the first free number.
   */
  public static List<String> parameterNames(List<String> sourceNames, String packageName) {
    Set<String> reserved = new HashSet<>(QUALIFIERS);
    if (!packageName.isEmpty()) {
      int dot = packageName.indexOf('.');
      reserved.add(dot < 0 ? packageName : packageName.substring(0, dot));
    }
    Set<String> taken = new HashSet<>(sourceNames);
    taken.addAll(reserved);
    List<String> out = new ArrayList<>();
    for (String n : sourceNames) {
      if (!reserved.contains(n)) {
        out.add(n);
        continue;
      }
      String name = n + "_";
      for (int i = 2; taken.contains(name); i++) {
        name = n + "_" + i;
      }
      taken.add(name);
      out.add(name);
    }
    return out;
  }

  /**
   * Distinct names from {@code preferred}, in order: each keeps its preferred name unless an
   * earlier one took it, in which case it gets the first number after it that no name of the
   * list wants ({@code dX}, then {@code dX2} for parameters {@code x} and {@code X}). With
   * {@code ignoreCase}, names differing only in case count as the same (nested classes are
   * files, and some file systems do not tell {@code FGrad} from {@code fGrad}).
   */
  public static List<String> distinct(List<String> preferred, boolean ignoreCase) {
    Function<String, String> key = ignoreCase ? s -> s.toLowerCase(Locale.ROOT) : s -> s;
    Set<String> wanted = new HashSet<>();
    preferred.forEach(p -> wanted.add(key.apply(p)));
    Set<String> taken = new HashSet<>();
    List<String> out = new ArrayList<>();
    for (String p : preferred) {
      String name = p;
      for (int i = 2; taken.contains(key.apply(name))
          || i > 2 && wanted.contains(key.apply(name)); i++) {
        name = p + i;
      }
      taken.add(key.apply(name));
      out.add(name);
    }
    return out;
  }
}
