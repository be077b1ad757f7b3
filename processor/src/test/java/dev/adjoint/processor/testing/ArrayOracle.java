package dev.adjoint.processor.testing;

import dev.adjoint.processor.testing.Oracle.Estimate;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * {@link GradientAssert} for methods with array parameters: checks a generated gradient against
 * the plain method and the finite-difference {@link Oracle}, perturbing every element of every
 * {@code double[]}, {@code float[]} and {@code double[][]} argument (and every {@code double} or
 * {@code float} scalar) one at a time; {@code int}, {@code int[]} and other arguments stay fixed.
 *
 * <p>For a generated class {@code p.FooDiff} and method {@code m}, {@link #check} calls {@code
 * FooDiff.mGrad(args)} reflectively and checks that:
 *
 * <ul>
 *   <li>it returns the record {@code FooDiff.MGrad} with components {@code value} and one {@code
 *       d<Param>} per differentiable parameter in declaration order, each of the parameter's own
 *       type, arrays shaped like the argument and never the argument itself;
 *   <li>{@code value} is bit-identical to the plain call {@code Foo.m(args)};
 *   <li>every partial agrees with the oracle, with {@link GradientAssert}'s tolerance rule
 *       ({@code max(rel * max(1, |expected|), 20 * oracleError)}, rel = 1e-7, or 1e-3 when a float
 *       is involved), and an unreliable oracle fails the check rather than widening it;
 *   <li>{@code mAdjoint(args, 1.0, zeros...)} returns the same value and fills its buffers with
 *       exactly the same gradient;
 *   <li>the caller's arguments (arrays included) are unchanged after mGrad and after mAdjoint.
 * </ul>
 */
public final class ArrayOracle {

  private static final double UNRELIABLE_ORACLE_FACTOR = 50;

  private final Class<?> diffClass;
  private final Class<?> originalClass;
  private final double relTolOverride;

  private ArrayOracle(Class<?> diffClass, Class<?> originalClass, double relTolOverride) {
    this.diffClass = diffClass;
    this.originalClass = originalClass;
    this.relTolOverride = relTolOverride;
  }

  /** Checks against {@code diffClass}; the original is the class named without the "Diff". */
  public static ArrayOracle on(Class<?> diffClass) {
    String name = diffClass.getName();
    if (!name.endsWith("Diff")) {
      throw new IllegalArgumentException("Not a generated *Diff class: " + name);
    }
    String originalName = name.substring(0, name.length() - "Diff".length());
    try {
      return new ArrayOracle(
          diffClass, Class.forName(originalName, true, diffClass.getClassLoader()), Double.NaN);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("Original class " + originalName + " not found", e);
    }
  }

  /** The same checks with a different relative tolerance. */
  public ArrayOracle withRelativeTolerance(double relTol) {
    return new ArrayOracle(diffClass, originalClass, relTol);
  }

  // ---------------------------------------------------------------------------------------------
  // Result
  // ---------------------------------------------------------------------------------------------

  /** What mGrad returned: the value and one component per differentiable parameter. */
  public static final class Result {
    private final String label;
    private final double value;
    private final Map<String, Object> components;
    private final Object record;

    Result(String label, double value, Map<String, Object> components, Object record) {
      this.label = label;
      this.value = value;
      this.components = components;
      this.record = record;
    }

    public String label() {
      return label;
    }

    public double value() {
      return value;
    }

    public Object record() {
      return record;
    }

    /** Component names in order ({@code dX}, {@code dW}, ...). */
    public List<String> names() {
      return List.copyOf(components.keySet());
    }

    /** A scalar component ({@code double} or {@code float}). */
    public double d(String name) {
      Object c = component(name);
      if (!(c instanceof Number n)) {
        throw new AssertionError(label + ": component " + name + " is not a scalar");
      }
      return n.doubleValue();
    }

    /** A {@code double[]} or {@code float[]} component, as doubles (a copy). */
    public double[] vector(String name) {
      Object c = component(name);
      if (c instanceof double[] d) {
        return d.clone();
      }
      if (c instanceof float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
          d[i] = f[i];
        }
        return d;
      }
      throw new AssertionError(label + ": component " + name + " is not a vector");
    }

    /** A {@code double[][]} component (a deep copy). */
    public double[][] matrix(String name) {
      Object c = component(name);
      if (!(c instanceof double[][] m)) {
        throw new AssertionError(label + ": component " + name + " is not a matrix");
      }
      return (double[][]) deepCopy(m);
    }

    /** The raw component, as the record holds it. */
    public Object component(String name) {
      if (!components.containsKey(name)) {
        throw new AssertionError(label + ": no component " + name + " in " + components.keySet());
      }
      return components.get(name);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder(label).append(": value=").append(value);
      for (Map.Entry<String, Object> e : components.entrySet()) {
        sb.append(", ").append(e.getKey()).append('=').append(show(e.getValue()));
      }
      return sb.toString();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checks
  // ---------------------------------------------------------------------------------------------

  /** All the checks of the class comment; returns the gradient for further assertions. */
  public Result check(String method, Object... args) {
    Call call = prepare(method, args);
    Result r = evaluate(call);
    checkAdjointAgrees(call, r);
    List<String> failures = new ArrayList<>();
    List<Coordinate> coordinates = call.coordinates(r.names());
    double[] x = new double[coordinates.size()];
    DoubleUnaryOperator[] reps = new DoubleUnaryOperator[x.length];
    for (int k = 0; k < x.length; k++) {
      x[k] = coordinates.get(k).get(call.args);
      reps[k] = coordinates.get(k).isFloat ? v -> (float) v : null;
    }
    ToDoubleFunction<double[]> f =
        v -> {
          Object[] perturbed = deepCopyArgs(call.args);
          for (int k = 0; k < v.length; k++) {
            coordinates.get(k).set(perturbed, v[k]);
          }
          return ((Number) invoke(call.original, perturbed, call.label, null)).doubleValue();
        };
    Estimate[] oracle = Oracle.gradient(f, x, reps);
    double rel =
        !Double.isNaN(relTolOverride)
            ? relTolOverride
            : call.involvesFloat() ? GradientAssert.FLOAT_REL_TOL : GradientAssert.DOUBLE_REL_TOL;
    for (int k = 0; k < x.length; k++) {
      Coordinate c = coordinates.get(k);
      double expected = oracle[k].value();
      double error = oracle[k].error();
      double actual = c.get(r.components.get(c.component), call);
      double scale = Math.max(1.0, Math.abs(expected));
      double tol = Math.max(rel * scale, 20 * error);
      if (!(error <= UNRELIABLE_ORACLE_FACTOR * rel * scale)) {
        failures.add(
            String.format(
                Locale.ROOT,
                "%s: %s: oracle unreliable here (estimate %s, error estimate %s); generated %s",
                call.label, c.describe(), expected, error, actual));
      } else if (!(Math.abs(actual - expected) <= tol)) {
        failures.add(
            String.format(
                Locale.ROOT,
                "%s: %s: expected %s (oracle, error estimate %s, tolerance %s) but was %s"
                    + " (difference %s)",
                call.label, c.describe(), expected, error, tol, actual, actual - expected));
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(String.join("\n", failures) + "\n  gradient: " + r);
    }
    return r;
  }

  /** The record-shape, value, no-mutation and mAdjoint checks, without the oracle. */
  public Result grad(String method, Object... args) {
    Call call = prepare(method, args);
    Result r = evaluate(call);
    checkAdjointAgrees(call, r);
    return r;
  }

  /**
   * Calls {@code mAdjoint(args, seed, [adjoints], buffers...)} as given (buffers may be null or
   * deliberately misshapen) and returns its value; exceptions thrown by it propagate unwrapped.
   * {@code adjoints} is passed only when the method has a scalar double or float parameter.
   */
  public double adjoint(String method, Object[] args, double seed, double[] adjoints,
      Object... buffers) throws Throwable {
    Call call = prepare(method, args);
    Object[] full = adjointArguments(call, call.args, seed, adjoints, buffers);
    try {
      return ((Number) call.adjoint.invoke(null, full)).doubleValue();
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** The generated mAdjoint method (for signature checks). */
  public Method adjointMethod(String method) {
    return uniqueStatic(diffClass, method + "Adjoint");
  }

  // ---------------------------------------------------------------------------------------------

  /** One differentiable scalar: a scalar argument or one element of an array argument. */
  private static final class Coordinate {
    final int param;
    final int row; // -1 for a scalar parameter
    final int col; // -1 for a scalar or vector element
    final boolean isFloat;
    final String component;

    Coordinate(int param, int row, int col, boolean isFloat, String component) {
      this.param = param;
      this.row = row;
      this.col = col;
      this.isFloat = isFloat;
      this.component = component;
    }

    double get(Object[] args) {
      return read(args[param]);
    }

    double get(Object component, Call call) {
      return read(component);
    }

    private double read(Object holder) {
      if (row < 0) {
        return ((Number) holder).doubleValue();
      }
      if (holder instanceof double[] d) {
        return d[row];
      }
      if (holder instanceof float[] f) {
        return f[row];
      }
      return ((double[][]) holder)[row][col];
    }

    void set(Object[] args, double v) {
      if (row < 0) {
        args[param] = isFloat ? (Object) (float) v : (Object) v;
      } else if (args[param] instanceof double[] d) {
        d[row] = v;
      } else if (args[param] instanceof float[] f) {
        f[row] = (float) v;
      } else {
        ((double[][]) args[param])[row][col] = v;
      }
    }

    String describe() {
      if (row < 0) {
        return component;
      }
      return component + "[" + row + "]" + (col < 0 ? "" : "[" + col + "]");
    }
  }

  private static final class Call {
    final String method;
    final Method original;
    final Method generated;
    final Method adjoint;
    final Class<?>[] types;
    final String[] names;
    final Object[] args;
    final String label;

    Call(String method, Method original, Method generated, Method adjoint, Object[] args,
        String label) {
      this.method = method;
      this.original = original;
      this.generated = generated;
      this.adjoint = adjoint;
      this.types = original.getParameterTypes();
      // Parameter names are in the class file only with -parameters: otherwise null.
      java.lang.reflect.Parameter[] ps = original.getParameters();
      this.names =
          ps.length > 0 && ps[0].isNamePresent()
              ? Arrays.stream(ps).map(p -> p.getName()).toArray(String[]::new)
              : null;
      this.args = args;
      this.label = label;
    }

    static boolean differentiable(Class<?> t) {
      return t == double.class || t == float.class || t == double[].class
          || t == float[].class || t == double[][].class;
    }

    static boolean scalar(Class<?> t) {
      return t == double.class || t == float.class;
    }

    int[] differentiableIndices() {
      return java.util.stream.IntStream.range(0, types.length)
          .filter(i -> differentiable(types[i]))
          .toArray();
    }

    int[] scalarIndices() {
      return java.util.stream.IntStream.range(0, types.length)
          .filter(i -> scalar(types[i]))
          .toArray();
    }

    int[] arrayIndices() {
      return java.util.stream.IntStream.range(0, types.length)
          .filter(i -> differentiable(types[i]) && !scalar(types[i]))
          .toArray();
    }

    boolean involvesFloat() {
      return original.getReturnType() == float.class
          || Arrays.stream(types).anyMatch(t -> t == float.class || t == float[].class);
    }

    /** Every differentiable scalar, named after the record components (in the same order). */
    List<Coordinate> coordinates(List<String> components) {
      List<Coordinate> out = new ArrayList<>();
      int[] diff = differentiableIndices();
      for (int k = 0; k < diff.length; k++) {
        int i = diff[k];
        String component = components.get(k);
        Class<?> t = types[i];
        boolean isFloat = t == float.class || t == float[].class;
        if (scalar(t)) {
          out.add(new Coordinate(i, -1, -1, isFloat, component));
        } else if (t == double[][].class) {
          double[][] m = (double[][]) args[i];
          for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[r].length; c++) {
              out.add(new Coordinate(i, r, c, false, component));
            }
          }
        } else {
          int n = java.lang.reflect.Array.getLength(args[i]);
          for (int r = 0; r < n; r++) {
            out.add(new Coordinate(i, r, -1, isFloat, component));
          }
        }
      }
      return out;
    }
  }

  static String componentName(String param) {
    return "d" + Character.toUpperCase(param.charAt(0)) + param.substring(1);
  }

  private Call prepare(String method, Object[] rawArgs) {
    Method original = uniqueStatic(originalClass, method);
    Method generated = uniqueStatic(diffClass, method + "Grad");
    Method adjoint = uniqueStatic(diffClass, method + "Adjoint");
    for (Method m : List.of(generated, adjoint)) {
      if (!Modifier.isPublic(m.getModifiers())) {
        throw new AssertionError(diffClass.getName() + "." + m.getName() + " is not public");
      }
    }
    Class<?>[] types = original.getParameterTypes();
    if (!Arrays.equals(types, generated.getParameterTypes())) {
      throw new AssertionError(
          String.format(
              "%s.%s has parameters %s but %s.%s has %s",
              diffClass.getName(), generated.getName(),
              Arrays.toString(generated.getParameterTypes()), originalClass.getName(), method,
              Arrays.toString(types)));
    }
    if (rawArgs.length != types.length) {
      throw new IllegalArgumentException(
          method + " takes " + types.length + " arguments, got " + rawArgs.length);
    }
    Object[] args = new Object[rawArgs.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = types[i].isArray() ? checkArray(rawArgs[i], types[i]) : GradientAssert.coerce(
          rawArgs[i], types[i]);
    }
    StringBuilder label = new StringBuilder();
    label.append(originalClass.getSimpleName()).append('.').append(method).append('(');
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        label.append(", ");
      }
      label.append(show(args[i]));
      if (types[i] == float.class) {
        label.append('f');
      }
    }
    label.append(')');
    Call call = new Call(method, original, generated, adjoint, args, label.toString());
    checkAdjointSignature(call);
    return call;
  }

  private static Object checkArray(Object value, Class<?> type) {
    if (value != null && !type.isInstance(value)) {
      throw new IllegalArgumentException("Expected " + type.getSimpleName() + ", got " + value);
    }
    return value;
  }

  /** mAdjoint(params..., double seed, [double[] adjoints], one buffer per array parameter). */
  private static void checkAdjointSignature(Call call) {
    List<Class<?>> expected = new ArrayList<>(Arrays.asList(call.types));
    expected.add(double.class);
    if (call.scalarIndices().length > 0) {
      expected.add(double[].class);
    }
    for (int i : call.arrayIndices()) {
      expected.add(call.types[i]);
    }
    List<Class<?>> actual = Arrays.asList(call.adjoint.getParameterTypes());
    if (!actual.equals(expected)) {
      throw new AssertionError(call.label + ": " + call.adjoint.getName() + " takes " + actual
          + "; expected " + expected);
    }
    java.lang.reflect.Parameter[] ps = call.adjoint.getParameters();
    if (call.names != null && ps.length > 0 && ps[0].isNamePresent()) {
      int k = ps.length - call.arrayIndices().length;
      for (int i : call.arrayIndices()) {
        String want = call.names[i] + "Adjoint";
        if (!ps[k].getName().equals(want)) {
          throw new AssertionError(call.label + ": buffer parameter " + k + " of "
              + call.adjoint.getName() + " is named " + ps[k].getName() + "; expected " + want);
        }
        k++;
      }
    }
  }

  private Result evaluate(Call call) {
    Object[] args = deepCopyArgs(call.args);
    Object record = invoke(call.generated, args, call.label, null);
    assertArgsAsThePlainCallLeaves(call, args, call.generated.getName());
    if (record == null) {
      throw new AssertionError(call.label + ": " + call.generated.getName() + " returned null");
    }
    Class<?> recordClass = record.getClass();
    String expectedRecordName =
        Character.toUpperCase(call.method.charAt(0)) + call.method.substring(1) + "Grad";
    if (!recordClass.isRecord()
        || !recordClass.getSimpleName().equals(expectedRecordName)
        || recordClass.getEnclosingClass() != diffClass) {
      throw new AssertionError(call.label + ": " + call.generated.getName() + " returned "
          + recordClass.getName() + "; expected the record " + diffClass.getName() + "."
          + expectedRecordName);
    }
    RecordComponent[] rc = recordClass.getRecordComponents();
    int[] diff = call.differentiableIndices();
    List<String> expectedNames = new ArrayList<>();
    List<Class<?>> expectedTypes = new ArrayList<>();
    expectedNames.add("value");
    expectedTypes.add(call.original.getReturnType());
    for (int i : diff) {
      expectedNames.add(call.names != null ? componentName(call.names[i]) : "d<Param>");
      expectedTypes.add(call.types[i]);
    }
    List<String> names = Arrays.stream(rc).map(RecordComponent::getName).toList();
    List<Class<?>> types = Arrays.stream(rc).<Class<?>>map(RecordComponent::getType).toList();
    boolean namesOk =
        call.names != null
            ? names.equals(expectedNames)
            : names.size() == expectedNames.size()
                && names.get(0).equals("value")
                && names.stream().skip(1).allMatch(n -> n.matches("d\\p{Lu}.*"));
    if (!namesOk || !types.equals(expectedTypes)) {
      throw new AssertionError(call.label + ": record " + recordClass.getName() + " has "
          + names + " " + types + "; expected " + expectedNames + " " + expectedTypes);
    }
    Map<String, Object> components = new LinkedHashMap<>();
    double value = ((Number) read(rc[0], record, call.label)).doubleValue();
    for (int k = 0; k < diff.length; k++) {
      int i = diff[k];
      Object c = read(rc[k + 1], record, call.label);
      if (call.types[i].isArray()) {
        if (c == null) {
          throw new AssertionError(call.label + ": component " + names.get(k + 1) + " is null");
        }
        if (c == call.args[i]) {
          throw new AssertionError(call.label + ": component " + names.get(k + 1)
              + " is the argument array itself");
        }
        String shape = sameShape(call.args[i], c);
        if (shape != null) {
          throw new AssertionError(call.label + ": component " + names.get(k + 1) + ": " + shape);
        }
      }
      components.put(names.get(k + 1), c);
    }
    Object plain = invoke(call.original, deepCopyArgs(call.args), call.label, null);
    double plainValue = ((Number) plain).doubleValue();
    if (Double.doubleToLongBits(plainValue) != Double.doubleToLongBits(value)) {
      throw new AssertionError(
          String.format(
              Locale.ROOT,
              "%s: value() is %s (%s) but the plain call returns %s (%s): not bit-identical",
              call.label, value, Double.toHexString(value), plainValue,
              Double.toHexString(plainValue)));
    }
    return new Result(call.label, value, components, record);
  }

  /** mAdjoint with seed 1 and zero buffers must reproduce mGrad exactly. */
  private void checkAdjointAgrees(Call call, Result r) {
    int[] scalars = call.scalarIndices();
    int[] arrays = call.arrayIndices();
    double[] adjoints = scalars.length > 0 ? new double[scalars.length] : null;
    Object[] buffers = new Object[arrays.length];
    for (int k = 0; k < arrays.length; k++) {
      buffers[k] = zerosLike(call.args[arrays[k]]);
    }
    Object[] args = deepCopyArgs(call.args);
    Object[] full = adjointArguments(call, args, 1.0, adjoints, buffers);
    double value = ((Number) invoke(call.adjoint, full, call.label, null)).doubleValue();
    assertArgsAsThePlainCallLeaves(call, args, call.adjoint.getName());
    List<String> failures = new ArrayList<>();
    if (Double.doubleToLongBits(value) != Double.doubleToLongBits(r.value())) {
      failures.add("value " + value + " but mGrad's is " + r.value());
    }
    List<String> names = r.names();
    int[] diff = call.differentiableIndices();
    for (int k = 0; k < scalars.length; k++) {
      String name = names.get(indexOf(diff, scalars[k]));
      double a = call.types[scalars[k]] == float.class ? (float) adjoints[k] : adjoints[k];
      if (Double.doubleToLongBits(a) != Double.doubleToLongBits(r.d(name))
          && !(a == 0 && r.d(name) == 0)) {
        failures.add("adjoints[" + k + "] = " + a + " but mGrad's " + name + " = " + r.d(name));
      }
    }
    for (int k = 0; k < arrays.length; k++) {
      String name = names.get(indexOf(diff, arrays[k]));
      if (!Arrays.deepEquals(new Object[] {buffers[k]}, new Object[] {r.component(name)})) {
        failures.add("buffer " + k + " = " + show(buffers[k]) + " but mGrad's "
            + name + " = " + show(r.component(name)));
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError(call.label + ": " + call.adjoint.getName()
          + "(seed 1, zero buffers) disagrees with mGrad: " + String.join("; ", failures));
    }
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new IllegalStateException(v + " not in " + Arrays.toString(a));
  }

  private static Object[] adjointArguments(Call call, Object[] args, double seed,
      double[] adjoints, Object[] buffers) {
    int[] arrays = call.arrayIndices();
    if (buffers.length != arrays.length) {
      throw new IllegalArgumentException(call.method + "Adjoint takes " + arrays.length
          + " buffers, got " + buffers.length);
    }
    List<Object> full = new ArrayList<>(Arrays.asList(args));
    full.add(seed);
    if (call.scalarIndices().length > 0) {
      full.add(adjoints);
    }
    full.addAll(Arrays.asList(buffers));
    return full.toArray();
  }

  /**
   * The arguments {@code after} an entry point ran on copies of {@code call.args} hold what the
   * plain call leaves: unchanged, unless the method writes its array parameters.
   */
  private static void assertArgsAsThePlainCallLeaves(Call call, Object[] after, String entry) {
    Object[] plain = deepCopyArgs(call.args);
    invoke(call.original, plain, call.label, null);
    for (int i = 0; i < plain.length; i++) {
      if (!Arrays.deepEquals(new Object[] {plain[i]}, new Object[] {after[i]})) {
        throw new AssertionError(call.label + ": argument " + i + " after " + entry + " is "
            + show(after[i]) + ", but the plain call leaves " + show(plain[i]) + " (it was "
            + show(call.args[i]) + ")");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Array utilities
  // ---------------------------------------------------------------------------------------------

  /** A deep copy of an array (any nesting) or the value itself for anything else. */
  public static Object deepCopy(Object o) {
    if (o instanceof double[] d) {
      return d.clone();
    }
    if (o instanceof float[] f) {
      return f.clone();
    }
    if (o instanceof int[] a) {
      return a.clone();
    }
    if (o instanceof Object[] a) {
      Object[] copy = a.clone();
      for (int i = 0; i < copy.length; i++) {
        copy[i] = deepCopy(copy[i]);
      }
      return copy;
    }
    return o;
  }

  static Object[] deepCopyArgs(Object[] args) {
    Object[] copy = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      copy[i] = deepCopy(args[i]);
    }
    return copy;
  }

  /** A zero array shaped like {@code o}. */
  public static Object zerosLike(Object o) {
    if (o instanceof double[] d) {
      return new double[d.length];
    }
    if (o instanceof float[] f) {
      return new float[f.length];
    }
    double[][] m = (double[][]) o;
    double[][] z = new double[m.length][];
    for (int r = 0; r < m.length; r++) {
      z[r] = new double[m[r].length];
    }
    return z;
  }

  /** Null when {@code b} has {@code a}'s shape, else a description of the difference. */
  static String sameShape(Object a, Object b) {
    if (a.getClass() != b.getClass()) {
      return "type " + b.getClass().getSimpleName() + " but expected "
          + a.getClass().getSimpleName();
    }
    int n = java.lang.reflect.Array.getLength(a);
    if (java.lang.reflect.Array.getLength(b) != n) {
      return "length " + java.lang.reflect.Array.getLength(b) + " but expected " + n;
    }
    if (a instanceof double[][] m) {
      double[][] o = (double[][]) b;
      for (int r = 0; r < n; r++) {
        if (o[r] == null || o[r].length != m[r].length) {
          return "row " + r + " has length " + (o[r] == null ? "null" : o[r].length)
              + " but expected " + m[r].length;
        }
        if (o[r] == m[r]) {
          return "row " + r + " is the argument's row itself";
        }
      }
    }
    return null;
  }

  static String show(Object o) {
    if (o instanceof double[] d) {
      return Arrays.toString(d);
    }
    if (o instanceof float[] f) {
      return Arrays.toString(f);
    }
    if (o instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (o instanceof Object[] a) {
      return Arrays.deepToString(a);
    }
    return String.valueOf(o);
  }

  private static Object read(RecordComponent c, Object record, String label) {
    Method accessor = c.getAccessor();
    accessor.setAccessible(true);
    return invoke(accessor, new Object[0], label, record);
  }

  private static Method uniqueStatic(Class<?> owner, String name) {
    List<Method> found = new ArrayList<>();
    for (Method m : owner.getDeclaredMethods()) {
      // mAdjoint also has an overload taking a caller-owned Tape; the checks use the other.
      boolean takesTape = m.getParameterCount() > 0 && m.getParameterTypes()[
          m.getParameterCount() - 1].getName().equals("dev.adjoint.runtime.Tape");
      if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()
          && !takesTape) {
        found.add(m);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError("Expected exactly one static method " + owner.getName() + "."
          + name + ", found " + found);
    }
    Method m = found.get(0);
    m.setAccessible(true);
    return m;
  }

  private static Object invoke(Method m, Object[] args, String label, Object receiver) {
    try {
      return m.invoke(receiver, args);
    } catch (InvocationTargetException e) {
      throw new AssertionError(label + ": " + m.getDeclaringClass().getName() + "." + m.getName()
          + " threw " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(label + ": cannot call " + m, e);
    }
  }
}
