package dev.adjoint.processor.testing;

import dev.adjoint.processor.testing.Oracle.Estimate;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Checks a generated gradient against the plain method and the finite-difference {@link Oracle}.
 *
 * <p>For a generated class {@code p.FooDiff} and a method name {@code m}, it calls {@code
 * FooDiff.mGrad(args)} reflectively, reads the returned record through {@link
 * Class#getRecordComponents()} (first {@code value}, then one {@code d<Param>} component per
 * {@code double}/{@code float} parameter in declaration order), checks that {@code value} is
 * bit-identical to the plain call {@code Foo.m(args)}, and compares each derivative component with
 * the oracle's partial derivative with respect to that parameter (only that argument is perturbed;
 * {@code int}, {@code long} and {@code boolean} arguments stay fixed).
 *
 * <p>Tolerance per component: {@code max(rel * max(1, |expected|), 20 * oracleError)}, with {@code
 * rel = 1e-7}, or {@code 1e-3} when the method has a {@code float} parameter or result (the oracle
 * then differentiates the float function, with float steps). To keep that tolerance from hiding
 * anything, an oracle whose own error estimate is large (a branch flip inside the finite-difference
 * step, typically) fails the check as unreliable rather than widening it.
 */
public final class GradientAssert {

  /** Default relative tolerance for double methods. */
  public static final double DOUBLE_REL_TOL = 1e-7;

  /** Default relative tolerance for methods with a float parameter or result. */
  public static final double FLOAT_REL_TOL = 1e-3;

  /** An oracle error estimate above this many times the tolerance makes the point unusable. */
  private static final double UNRELIABLE_ORACLE_FACTOR = 50;

  private final Class<?> diffClass;
  private final Class<?> originalClass;
  private final double relTolOverride;

  private GradientAssert(Class<?> diffClass, Class<?> originalClass, double relTolOverride) {
    this.diffClass = diffClass;
    this.originalClass = originalClass;
    this.relTolOverride = relTolOverride;
  }

  /** Checks against {@code diffClass}; the original is the class named without the "Diff". */
  public static GradientAssert on(Class<?> diffClass) {
    String name = diffClass.getName();
    if (!name.endsWith("Diff")) {
      throw new IllegalArgumentException("Not a generated *Diff class: " + name);
    }
    String originalName = name.substring(0, name.length() - "Diff".length());
    try {
      Class<?> original = Class.forName(originalName, true, diffClass.getClassLoader());
      return new GradientAssert(diffClass, original, Double.NaN);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("Original class " + originalName + " not found", e);
    }
  }

  /** The same checks with a different relative tolerance (for documented special cases). */
  public GradientAssert withRelativeTolerance(double relTol) {
    return new GradientAssert(diffClass, originalClass, relTol);
  }

  /** Shorthand for {@code on(diffClass).check(method, args)}. */
  public static Gradient check(Class<?> diffClass, String method, Object... args) {
    return on(diffClass).check(method, args);
  }

  /** The evaluated gradient: value and one partial per active parameter, with its name. */
  public static final class Gradient {
    private final String label;
    private final double value;
    private final List<String> names;
    private final double[] partials;
    private final Object record;

    Gradient(String label, double value, List<String> names, double[] partials, Object record) {
      this.label = label;
      this.value = value;
      this.names = List.copyOf(names);
      this.partials = partials.clone();
      this.record = record;
    }

    /** Method and point, for messages. */
    public String label() {
      return label;
    }

    public double value() {
      return value;
    }

    /** The record component names of the partials ({@code dX}, {@code dRate}, ...). */
    public List<String> names() {
      return names;
    }

    /** The i-th partial (in the order of the active parameters). */
    public double d(int i) {
      return partials[i];
    }

    /** The partial held by the record component with this name (e.g. {@code "dX"}). */
    public double d(String componentName) {
      int i = names.indexOf(componentName);
      if (i < 0) {
        throw new AssertionError(label + ": no component " + componentName + " in " + names);
      }
      return partials[i];
    }

    public double[] partials() {
      return partials.clone();
    }

    /** The record instance returned by the generated method. */
    public Object record() {
      return record;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(label).append(": value=").append(value);
      for (int i = 0; i < partials.length; i++) {
        sb.append(", ").append(names.get(i)).append('=').append(partials[i]);
      }
      return sb.toString();
    }
  }

  /**
   * Calls {@code mGrad(args)}, checks the record's shape and its value against {@code m(args)},
   * and checks every partial against the oracle. Returns the gradient for further assertions.
   */
  public Gradient check(String method, Object... args) {
    Call call = prepare(method, args);
    Gradient g = evaluate(call);
    int[] active = call.activeIndices();
    double[] x = new double[active.length];
    DoubleUnaryOperator[] reps = new DoubleUnaryOperator[active.length];
    for (int k = 0; k < active.length; k++) {
      x[k] = ((Number) call.args[active[k]]).doubleValue();
      reps[k] = call.types[active[k]] == float.class ? v -> (float) v : null;
    }
    ToDoubleFunction<double[]> f =
        v -> {
          Object[] perturbed = call.args.clone();
          for (int k = 0; k < active.length; k++) {
            perturbed[active[k]] = coerce(v[k], call.types[active[k]]);
          }
          return ((Number) invoke(call.original, perturbed, call.label)).doubleValue();
        };
    Estimate[] oracle = Oracle.gradient(f, x, reps);
    double rel =
        !Double.isNaN(relTolOverride)
            ? relTolOverride
            : call.involvesFloat() ? FLOAT_REL_TOL : DOUBLE_REL_TOL;
    List<String> failures = new ArrayList<>();
    for (int k = 0; k < active.length; k++) {
      double expected = oracle[k].value();
      double error = oracle[k].error();
      double actual = g.d(k);
      double scale = Math.max(1.0, Math.abs(expected));
      double tol = Math.max(rel * scale, 20 * error);
      String component = g.names().get(k);
      if (!(error <= UNRELIABLE_ORACLE_FACTOR * rel * scale)) {
        failures.add(
            String.format(
                Locale.ROOT,
                "%s: component %s: oracle unreliable here (estimate %s, error estimate %s): the"
                    + " point is probably too close to a branch boundary; generated %s",
                call.label,
                component,
                expected,
                error,
                actual));
        continue;
      }
      if (!(Math.abs(actual - expected) <= tol)) {
        failures.add(
            String.format(
                Locale.ROOT,
                "%s: component %s: expected %s (oracle, error estimate %s, tolerance %s) but was %s"
                    + " (difference %s)",
                call.label,
                component,
                expected,
                error,
                tol,
                actual,
                actual - expected));
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n", failures) + "\n  gradient: " + g);
    }
    return g;
  }

  /**
   * Calls {@code mGrad(args)}, checks the record's shape and its value against {@code m(args)},
   * without consulting the oracle (for kinks and other points where it is meaningless).
   */
  public Gradient grad(String method, Object... args) {
    return evaluate(prepare(method, args));
  }

  // ---------------------------------------------------------------------------------------------

  private static final class Call {
    final String method;
    final Method original;
    final Method generated;
    final Class<?>[] types;
    final Object[] args;
    final String label;

    Call(String method, Method original, Method generated, Object[] args, String label) {
      this.method = method;
      this.original = original;
      this.generated = generated;
      this.types = original.getParameterTypes();
      this.args = args;
      this.label = label;
    }

    int[] activeIndices() {
      return java.util.stream.IntStream.range(0, types.length)
          .filter(i -> types[i] == double.class || types[i] == float.class)
          .toArray();
    }

    boolean involvesFloat() {
      return original.getReturnType() == float.class
          || Arrays.stream(types).anyMatch(t -> t == float.class);
    }
  }

  private Call prepare(String method, Object[] rawArgs) {
    Method original = uniqueStatic(originalClass, method);
    Method generated = uniqueStatic(diffClass, method + "Grad");
    if (!Modifier.isPublic(generated.getModifiers())) {
      throw new AssertionError(diffClass.getName() + "." + generated.getName() + " is not public");
    }
    Class<?>[] types = original.getParameterTypes();
    if (!Arrays.equals(types, generated.getParameterTypes())) {
      throw new AssertionError(
          String.format(
              "%s.%s has parameters %s but %s.%s has %s",
              diffClass.getName(),
              generated.getName(),
              Arrays.toString(generated.getParameterTypes()),
              originalClass.getName(),
              method,
              Arrays.toString(types)));
    }
    if (rawArgs.length != types.length) {
      throw new IllegalArgumentException(
          method + " takes " + types.length + " arguments, got " + rawArgs.length);
    }
    Object[] args = new Object[rawArgs.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = coerce(rawArgs[i], types[i]);
    }
    StringBuilder label = new StringBuilder();
    label.append(originalClass.getSimpleName()).append('.').append(method).append('(');
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        label.append(", ");
      }
      label.append(args[i]);
      if (types[i] == float.class) {
        label.append('f');
      } else if (types[i] == long.class) {
        label.append('L');
      }
    }
    label.append(')');
    return new Call(method, original, generated, args, label.toString());
  }

  private Gradient evaluate(Call call) {
    Object record = invoke(call.generated, call.args, call.label);
    if (record == null) {
      throw new AssertionError(call.label + ": " + call.generated.getName() + " returned null");
    }
    Class<?> recordClass = record.getClass();
    String expectedRecordName = Character.toUpperCase(call.method.charAt(0))
        + call.method.substring(1) + "Grad";
    if (!recordClass.isRecord()
        || !recordClass.getSimpleName().matches(
            java.util.regex.Pattern.quote(expectedRecordName.replace("Grad", "")) + "[0-9]*Grad")
        || recordClass.getEnclosingClass() != diffClass) {
      throw new AssertionError(
          String.format(
              "%s: %s returned %s; expected an instance of the record %s.%s",
              call.label,
              call.generated.getName(),
              recordClass.getName(),
              diffClass.getName(),
              expectedRecordName));
    }
    RecordComponent[] components = recordClass.getRecordComponents();
    int[] active = call.activeIndices();
    List<String> names = new ArrayList<>();
    for (RecordComponent c : components) {
      names.add(c.getName());
    }
    if (components.length != 1 + active.length || !components[0].getName().equals("value")) {
      throw new AssertionError(
          String.format(
              "%s: record %s has components %s; expected value and one per double/float"
                  + " parameter (%d)",
              call.label,
              recordClass.getName(),
              names,
              active.length));
    }
    java.lang.reflect.Parameter[] params = call.original.getParameters();
    for (int k = 0; k < active.length; k++) {
      String name = names.get(k + 1);
      java.lang.reflect.Parameter p = params[active[k]];
      // d<Param>, numbered where two parameters differ only in the case of their first letter
      // (x and X give dX and dX2); a name starting with $ or _ keeps it (d$x, d_y).
      boolean ok =
          p.isNamePresent()
              ? name.matches(java.util.regex.Pattern.quote("d" + p.getName().substring(0, 1)
                  .toUpperCase(Locale.ROOT) + p.getName().substring(1)) + "[0-9]*")
              : name.length() > 1 && name.charAt(0) == 'd'
                  && !Character.isLowerCase(name.codePointAt(1));
      if (!ok) {
        throw new AssertionError(
            call.label + ": record component " + name + " is not named d<Param>; all: " + names);
      }
    }
    double value = componentValue(components[0], record, call.label);
    double[] partials = new double[active.length];
    for (int k = 0; k < active.length; k++) {
      partials[k] = componentValue(components[k + 1], record, call.label);
    }

    // The value must be exactly the plain call's.
    Object plain = invoke(call.original, call.args, call.label);
    double plainValue = ((Number) plain).doubleValue();
    if (Double.doubleToLongBits(plainValue) != Double.doubleToLongBits(value)) {
      throw new AssertionError(
          String.format(
              Locale.ROOT,
              "%s: value() is %s (%s) but the plain call returns %s (%s): not bit-identical",
              call.label,
              value,
              Double.toHexString(value),
              plainValue,
              Double.toHexString(plainValue)));
    }
    return new Gradient(call.label, value, names.subList(1, names.size()), partials, record);
  }

  private static double componentValue(RecordComponent c, Object record, String label) {
    Method accessor = c.getAccessor();
    accessor.setAccessible(true);
    Object v = invoke(accessor, new Object[0], label, record);
    if (!(v instanceof Double) && !(v instanceof Float)) {
      throw new AssertionError(
          label + ": record component " + c.getName() + " has type " + c.getType()
              + "; expected double or float");
    }
    return ((Number) v).doubleValue();
  }

  private static Method uniqueStatic(Class<?> owner, String name) {
    List<Method> found = new ArrayList<>();
    for (Method m : owner.getDeclaredMethods()) {
      if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) {
        found.add(m);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError(
          "Expected exactly one static method "
              + owner.getName()
              + "."
              + name
              + ", found "
              + found
              + "; declared: "
              + Arrays.toString(owner.getDeclaredMethods()));
    }
    Method m = found.get(0);
    m.setAccessible(true);
    return m;
  }

  private static Object invoke(Method m, Object[] args, String label) {
    return invoke(m, args, label, null);
  }

  private static Object invoke(Method m, Object[] args, String label, Object receiver) {
    try {
      return m.invoke(receiver, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError(
          label + ": " + m.getDeclaringClass().getName() + "." + m.getName() + " threw "
              + e.getCause(),
          e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(label + ": cannot call " + m, e);
    }
  }

  /** Converts a boxed number (or boolean) to the boxed type of a parameter. */
  static Object coerce(Object value, Class<?> type) {
    if (type == boolean.class) {
      if (!(value instanceof Boolean)) {
        throw new IllegalArgumentException("Expected a boolean, got " + value);
      }
      return value;
    }
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException("Expected a number for " + type + ", got " + value);
    }
    Number n = (Number) value;
    if (type == double.class) {
      return n.doubleValue();
    } else if (type == float.class) {
      return n.floatValue();
    } else if (type == int.class) {
      if (n.intValue() != n.doubleValue()) {
        throw new IllegalArgumentException("Not an int: " + value);
      }
      return n.intValue();
    } else if (type == long.class) {
      if (n.longValue() != n.doubleValue()) {
        throw new IllegalArgumentException("Not a long: " + value);
      }
      return n.longValue();
    }
    throw new IllegalArgumentException("Unsupported parameter type " + type);
  }
}
