package dev.adjoint.processor.objects;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Checks one method taking records, arrays of records or enums in every mode, against an
 * independent oracle: the user's own method, differentiated by Ridders' central differences
 * along each {@code double} the arguments hold (record components in declaration order). The
 * gradient ({@code mGrad}, shaped like the arguments), the pullbacks of {@code mVjp}, forward
 * mode ({@code mJvp} with tangents shaped like the arguments), {@code mHvp} where the method
 * has {@code order = 2}, and {@code mJacobian} for a {@code double[]} result.
 */
final class ObjectModes {
  private final Class<?> source;
  private final Class<?> diff;

  ObjectModes(Class<?> source, Class<?> diff) {
    this.source = source;
    this.diff = diff;
  }

  /** The receiver of the instance method being checked, or null. */
  private Object receiver;

  /**
   * {@link #check} of instance method {@code method} of {@code self}: the generated forms take
   * the receiver as their first argument.
   */
  double[] checkInstance(String method, Object self, Object... args) {
    Object[] all = new Object[args.length + 1];
    all[0] = self;
    System.arraycopy(args, 0, all, 1, args.length);
    receiver = self;
    try {
      return check(method, all);
    } finally {
      receiver = null;
    }
  }

  /** Every check at one point; returns the flattened gradient. */
  double[] check(String method, Object... args) {
    double[] x = flatten(args);
    double[] g = flatten(new Object[] {gradientComponents(call(method + "Grad", copies(args)))});
    assertWithMessage("%s: gradient length", method).that(g.length).isEqualTo(x.length);
    boolean[] floats = floatMask(args);
    for (int k = 0; k < x.length; k++) {
      int at = k;
      Oracle.Estimate e = Oracle.derivative(s -> value(method, unflatten(args, bump(x, at, s))),
          0.0);
      // A float input is rounded to float when the oracle moves it: float tolerance.
      double tolerance = floats[k] ? 1e-3 : 1e-7;
      assertWithMessage("%s: d/dx[%s] (oracle %s)", method, k, e).that(g[k])
          .isWithin(tolerance * (1 + Math.abs(e.value())) + 10 * e.error()).of(e.value());
    }
    double value = ((Number) component(call(method + "Grad", copies(args)), "value")).doubleValue();
    assertWithMessage("%s: value", method).that(value).isEqualTo(value(method, args));
    Object vjp = call(method + "Vjp", copies(args));
    for (double seed : new double[] {1.0, -2.5}) {
      double[] pulled = flatten(new Object[] {gradientComponents(invoke(vjp, "pullback", seed))});
      for (int k = 0; k < g.length; k++) {
        // A float component's partial is a float: rounded after the seed multiplies it.
        assertWithMessage("%s: pullback(%s)[%s]", method, seed, k).that(pulled[k])
            .isWithin((floats[k] ? 1e-6 : 1e-12) * (1 + Math.abs(seed * g[k])))
            .of(seed * g[k]);
      }
    }
    Random random = new Random(method.hashCode());
    double[] t = new double[g.length];
    for (int k = 0; k < t.length; k++) {
      t[k] = random.nextDouble() * 2 - 1;
    }
    List<Object> jvpArgs = new ArrayList<>(Arrays.asList(args));
    jvpArgs.addAll(directions(args, t));
    Object jvp = call(method + "Jvp", copies(jvpArgs.toArray()));
    assertWithMessage("%s: mJvp value", method)
        .that(((Number) component(jvp, "value")).doubleValue()).isEqualTo(value);
    double want = 0;
    double scale = 0;
    for (int k = 0; k < g.length; k++) {
      want += g[k] * t[k];
      scale += Math.abs(g[k] * t[k]);
    }
    boolean anyFloat = false;
    for (boolean f : floats) {
      anyFloat |= f;
    }
    assertWithMessage("%s: mJvp tangent", method)
        .that(((Number) component(jvp, "tangent")).doubleValue())
        .isWithin((anyFloat ? 1e-6 : 1e-12) * (1 + scale)).of(want);
    if (has(method + "Hvp")) {
      // mHvp is flat: an array of records counts as one array per component.
      int[] order = flatOrder(args);
      double[] hvFlat = (double[]) call(method + "Hvp", jvpArgs.toArray());
      double[] hv = new double[hvFlat.length];
      for (int k = 0; k < order.length; k++) {
        hv[order[k]] = hvFlat[k];
      }
      for (int i = 0; i < g.length; i++) {
        int c = i;
        Oracle.Estimate e = Oracle.derivative(s -> {
          double[] xs = x.clone();
          for (int k = 0; k < xs.length; k++) {
            xs[k] += s * t[k];
          }
          return flatten(new Object[] {gradientComponents(
              call(method + "Grad", unflatten(args, xs)))})[c];
        }, 0.0);
        assertWithMessage("%s: (Hv)[%s] (oracle %s)", method, i, e).that(hv[i])
            .isWithin((anyFloat ? 1e-3 : 1e-7) * (1 + Math.abs(e.value())) + 10 * e.error())
            .of(e.value());
      }
    }
    return g;
  }

  /** The Jacobian of a method returning double[], against the oracle, column by column. */
  double[][] checkJacobian(String method, Object... args) {
    double[] x = flatten(args);
    double[][] j = (double[][]) call(method + "Jacobian", args);
    Object out = callSource(method, args);
    // A record result counts as its double components, in declaration order.
    double[] y = out instanceof double[] values ? values : flatten(new Object[] {out});
    assertWithMessage("%s: rows", method).that(j.length).isEqualTo(y.length);
    for (int r = 0; r < y.length; r++) {
      assertWithMessage("%s: columns", method).that(j[r].length).isEqualTo(x.length);
      for (int k = 0; k < x.length; k++) {
        int row = r;
        int at = k;
        Oracle.Estimate e = Oracle.derivative(
            s -> flatten(new Object[] {callSource(method, unflatten(args, bump(x, at, s)))})[row],
            0.0);
        assertWithMessage("%s: J[%s][%s] (oracle %s)", method, r, k, e).that(j[r][k])
            .isWithin(1e-7 * (1 + Math.abs(e.value())) + 10 * e.error()).of(e.value());
      }
    }
    // A pullback with a seed is the seed times the Jacobian, shaped like the arguments.
    double[] seed = new double[y.length];
    for (int r = 0; r < seed.length; r++) {
      seed[r] = 0.5 + r;
    }
    Object seedArgument = out instanceof double[] ? seed : unflatten(new Object[] {out}, seed)[0];
    Object vjp = call(method + "Vjp", copies(args));
    if (!(out instanceof double[])) {
      // The recording's value is a record of the result's type.
      assertWithMessage("%s: value()", method).that(invoke0(vjp, "value")).isEqualTo(out);
    }
    double[] pulled = flatten(new Object[] {gradientComponents(
        invoke(vjp, "pullback", seedArgument))});
    for (int k = 0; k < x.length; k++) {
      double want = 0;
      for (int r = 0; r < y.length; r++) {
        want += seed[r] * j[r][k];
      }
      assertWithMessage("%s: pullback[%s]", method, k).that(pulled[k])
          .isWithin(1e-12 * (1 + Math.abs(want))).of(want);
    }
    return j;
  }

  private static double[] bump(double[] x, int k, double s) {
    double[] xs = x.clone();
    xs[k] += s;
    return xs;
  }

  double value(String method, Object[] args) {
    return ((Number) callSource(method, copies(args))).doubleValue();
  }

  Object callSource(String method, Object[] args) {
    if (receiver != null) {
      Object self = args[0];
      Object[] rest = Arrays.copyOfRange(args, 1, args.length);
      for (Method m : source.getMethods()) {
        if (m.getName().equals(method) && m.getParameterCount() == rest.length
            && accepts(m.getParameterTypes(), rest)) {
          try {
            m.setAccessible(true);
            return m.invoke(self, rest);
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        }
      }
      throw new AssertionError("no " + method);
    }
    return invokeStatic(source, method, args);
  }

  /** The components of a gradient record after its value, as an array. */
  static Object[] gradientComponents(Object grad) {
    RecordComponent[] components = grad.getClass().getRecordComponents();
    Object[] out = new Object[components.length - 1];
    for (int k = 1; k < components.length; k++) {
      out[k - 1] = component(grad, components[k].getName());
    }
    return out;
  }

  boolean has(String name) {
    return Arrays.stream(diff.getMethods()).anyMatch(m -> m.getName().equals(name));
  }

  Object call(String name, Object... args) {
    return invokeStatic(diff, name, args);
  }

  /**
   * {@code args} with every array (of numbers or of arrays) copied deeply: a method may write
   * its array parameters (so do its entry points, as the plain call does), and every check
   * starts from the same point.
   */
  private static Object[] copies(Object[] args) {
    Object[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = deepCopy(out[i]);
    }
    return out;
  }

  private static Object deepCopy(Object value) {
    if (value == null || !value.getClass().isArray()) {
      return value;
    }
    int n = java.lang.reflect.Array.getLength(value);
    Object copy = java.lang.reflect.Array.newInstance(value.getClass().getComponentType(), n);
    for (int i = 0; i < n; i++) {
      java.lang.reflect.Array.set(copy, i, deepCopy(java.lang.reflect.Array.get(value, i)));
    }
    return copy;
  }

  private static Object invokeStatic(Class<?> owner, String name, Object[] args) {
    for (Method m : owner.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length
          && accepts(m.getParameterTypes(), args)) {
        try {
          return m.invoke(null, args);
        } catch (InvocationTargetException e) {
          throw new AssertionError(name + " threw", e.getCause());
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no " + name + " for " + Arrays.deepToString(args));
  }

  private static boolean accepts(Class<?>[] types, Object[] args) {
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      Object a = args[i];
      boolean ok = t.isPrimitive()
          ? (t == double.class && a instanceof Double) || (t == float.class && a instanceof Float)
              || (t == int.class && a instanceof Integer) || (t == long.class && a instanceof Long)
              || (t == boolean.class && a instanceof Boolean)
          : a == null || t.isInstance(a);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static Object invoke(Object target, String name, Object arg) {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == 1) {
        try {
          m.setAccessible(true);
          return m.invoke(target, arg);
        } catch (InvocationTargetException e) {
          throw new AssertionError(name + " threw", e.getCause());
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no " + name + " on " + target.getClass());
  }

  static Object invoke0(Object target, String name) {
    try {
      Method m = target.getClass().getMethod(name);
      m.setAccessible(true);
      return m.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static Object component(Object record, String name) {
    for (RecordComponent rc : record.getClass().getRecordComponents()) {
      if (rc.getName().equals(name)) {
        try {
          Method accessor = rc.getAccessor();
          accessor.setAccessible(true);
          return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError(record + " has no " + name);
  }

  /** Which of {@link #flatten}'s values are floats. */
  static boolean[] floatMask(Object[] values) {
    double[] probe = flatten(values);
    double[] marks = new double[probe.length];
    java.util.Arrays.fill(marks, 0.1);
    double[] back = flatten(unflatten(values, marks));
    boolean[] out = new boolean[probe.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = back[k] != 0.1;
    }
    return out;
  }

  /** The doubles (and floats) values hold, records' components in order; the rest constant. */
  static double[] flatten(Object[] values) {
    List<Double> out = new ArrayList<>();
    for (Object v : values) {
      addFlat(v, out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void addFlat(Object v, List<Double> out) {
    if (v instanceof Double d) {
      out.add(d);
    } else if (v instanceof Float f) {
      out.add((double) f);
    } else if (v instanceof double[] a) {
      for (double e : a) {
        out.add(e);
      }
    } else if (v instanceof float[] a) {
      for (float e : a) {
        out.add((double) e);
      }
    } else if (v instanceof Object[] parts) {
      for (Object p : parts) {
        addFlat(p, out);
      }
    } else if (v != null && v.getClass().isRecord()) {
      for (RecordComponent rc : v.getClass().getRecordComponents()) {
        addFlat(component(v, rc.getName()), out);
      }
    }
  }

  /** The values with their doubles replaced by {@code flat}, in {@link #flatten}'s order. */
  static Object[] unflatten(Object[] values, double[] flat) {
    int[] at = {0};
    Object[] out = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = rebuild(values[i], flat, at);
    }
    return out;
  }

  private static Object rebuild(Object v, double[] flat, int[] at) {
    if (v instanceof Double) {
      return flat[at[0]++];
    } else if (v instanceof Float) {
      return (float) flat[at[0]++];
    } else if (v instanceof double[] a) {
      double[] c = new double[a.length];
      for (int k = 0; k < c.length; k++) {
        c[k] = flat[at[0]++];
      }
      return c;
    } else if (v instanceof float[] a) {
      float[] c = new float[a.length];
      for (int k = 0; k < c.length; k++) {
        c[k] = (float) flat[at[0]++];
      }
      return c;
    } else if (v instanceof Object[] parts) {
      Object[] c = (Object[]) Array.newInstance(parts.getClass().getComponentType(),
          parts.length);
      for (int k = 0; k < c.length; k++) {
        c[k] = rebuild(parts[k], flat, at);
      }
      return c;
    } else if (v != null && v.getClass().isRecord()) {
      RecordComponent[] rcs = v.getClass().getRecordComponents();
      Object[] parts = new Object[rcs.length];
      Class<?>[] types = new Class<?>[rcs.length];
      for (int k = 0; k < rcs.length; k++) {
        parts[k] = rebuild(component(v, rcs[k].getName()), flat, at);
        types[k] = rcs[k].getType();
      }
      try {
        Constructor<?> c = v.getClass().getDeclaredConstructor(types);
        c.setAccessible(true);
        return c.newInstance(parts);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return v;
  }

  /**
   * Where each value of the flat forms' order (an array of records as one array per
   * component) sits in {@link #flatten}'s order (element by element).
   */
  static int[] flatOrder(Object[] args) {
    double[] labels = new double[flatten(args).length];
    for (int k = 0; k < labels.length; k++) {
      labels[k] = k;
    }
    List<Double> out = new ArrayList<>();
    for (Object a : unflatten(args, labels)) {
      addFlatSoA(a, out);
    }
    return out.stream().mapToInt(Double::intValue).toArray();
  }

  private static void addFlatSoA(Object v, List<Double> out) {
    if (v instanceof Object[] parts && parts.length > 0 && parts[0] != null
        && parts[0].getClass().isRecord()) {
      double[][] elements = new double[parts.length][];
      for (int e = 0; e < parts.length; e++) {
        elements[e] = flatten(new Object[] {parts[e]});
      }
      for (int l = 0; l < elements[0].length; l++) {
        for (double[] element : elements) {
          out.add(element[l]);
        }
      }
    } else if (v != null && v.getClass().isRecord()) {
      for (RecordComponent rc : v.getClass().getRecordComponents()) {
        addFlatSoA(component(v, rc.getName()), out);
      }
    } else {
      addFlat(v, out);
    }
  }

  /** The tangents, one per argument holding doubles, shaped like it. */
  static List<Object> directions(Object[] args, double[] flat) {
    Object[] shaped = unflatten(args, flat);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (flatten(new Object[] {args[i]}).length > 0) {
        out.add(shaped[i]);
      }
    }
    return out;
  }
}
