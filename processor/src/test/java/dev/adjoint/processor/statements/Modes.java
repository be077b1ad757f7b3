package dev.adjoint.processor.statements;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.ArrayOracle;
import dev.adjoint.processor.testing.Oracle;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Checks one method of an {@code order = 2} class in every mode against the oracle: the
 * reverse gradient ({@code mGrad}, {@code mAdjoint}) against Ridders' differences
 * ({@link ArrayOracle}), the pullback of {@code mVjp} against the seed times the gradient,
 * forward mode ({@code mJvp}: the value bit-identical, the tangent equal to the gradient dotted
 * with a random tangent) and second order ({@code mHvp} along a random direction against
 * Ridders' derivative of the gradient along it).
 */
public final class Modes {
  private final Class<?> diff;

  public Modes(Class<?> diff) {
    this.diff = diff;
  }

  /** Every check at one point; returns the flattened gradient. */
  public double[] check(String method, Object... args) {
    ArrayOracle.on(diff).check(method, args);
    double[] g = gradient(method, args);
    double value = ((Number) component(call(method + "Grad", args), "value")).doubleValue();
    // mVjp: one recording, two pullbacks.
    Object vjp = call(method + "Vjp", args);
    for (double seed : new double[] {1.0, -2.5}) {
      double[] pulled = flatten(new Object[] {invoke(vjp, "pullback", seed)});
      assertWithMessage("%s: pullback(%s) length", method, seed).that(pulled.length)
          .isEqualTo(g.length);
      for (int k = 0; k < g.length; k++) {
        assertWithMessage("%s: pullback(%s)[%s]", method, seed, k).that(pulled[k])
            .isWithin(1e-12 * (1 + Math.abs(seed * g[k]))).of(seed * g[k]);
      }
    }
    Random random = new Random(method.hashCode());
    double[] t = new double[g.length];
    for (int k = 0; k < t.length; k++) {
      t[k] = random.nextDouble() * 2 - 1;
    }
    // Forward mode.
    List<Object> jvpArgs = new ArrayList<>(Arrays.asList(args));
    jvpArgs.addAll(directions(args, t));
    Object jvp = call(method + "Jvp", jvpArgs.toArray());
    assertWithMessage("%s: mJvp value", method)
        .that(((Number) component(jvp, "value")).doubleValue()).isEqualTo(value);
    double want = 0;
    double scale = 0;
    for (int k = 0; k < g.length; k++) {
      want += g[k] * t[k];
      scale += Math.abs(g[k] * t[k]);
    }
    assertWithMessage("%s: mJvp tangent", method)
        .that(((Number) component(jvp, "tangent")).doubleValue())
        .isWithin(1e-12 * (1 + scale)).of(want);
    // Second order: H t against the derivative of the gradient along t.
    double[] x = flatten(args);
    double[] hv = (double[]) call(method + "Hvp", jvpArgs.toArray());
    for (int i = 0; i < g.length; i++) {
      int component = i;
      Oracle.Estimate e = Oracle.derivative(
          s -> {
            double[] xs = x.clone();
            for (int k = 0; k < xs.length; k++) {
              xs[k] += s * t[k];
            }
            return gradient(method, unflatten(args, xs))[component];
          }, 0.0);
      assertWithMessage("%s: (Hv)[%s] (oracle %s)", method, i, e).that(hv[i])
          .isWithin(1e-7 * (1 + Math.abs(e.value())) + 10 * e.error()).of(e.value());
    }
    return g;
  }

  double[] gradient(String method, Object[] args) {
    Object grad = call(method + "Grad", args);
    List<Double> out = new ArrayList<>();
    RecordComponent[] components = grad.getClass().getRecordComponents();
    for (int k = 1; k < components.length; k++) {
      addFlat(component(grad, components[k].getName()), out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /**
   * Calls the entry point {@code name} on copies of {@code args}, and checks that it leaves
   * them as the plain call leaves its own (unchanged unless the method writes its array
   * parameters), the arguments after the method's own (tangents, directions) unchanged.
   */
  Object call(String name, Object... args) {
    for (Method m : diff.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == args.length
          && accepts(m.getParameterTypes(), args)) {
        try {
          Object[] copies = deepCopy(args);
          Object result = m.invoke(null, copies);
          expectAsThePlainCall(name, args, copies);
          return result;
        } catch (InvocationTargetException e) {
          throw new AssertionError(name + " threw", e.getCause());
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no " + name + " for " + Arrays.deepToString(args));
  }

  private void expectAsThePlainCall(String name, Object[] args, Object[] after)
      throws ReflectiveOperationException {
    String plainName = diff.getName().substring(0, diff.getName().length() - "Diff".length());
    Method plain = null;
    for (Method m : diff.getClassLoader().loadClass(plainName).getMethods()) {
      int k = m.getParameterCount();
      if (name.startsWith(m.getName()) && name.length() > m.getName().length()
          && k <= args.length && accepts(m.getParameterTypes(), Arrays.copyOf(args, k))
          && (plain == null || m.getName().length() > plain.getName().length())) {
        plain = m;
      }
    }
    if (plain == null) {
      throw new AssertionError("no plain method for " + name);
    }
    Object[] expected = deepCopy(args);
    plain.invoke(null, (Object[]) Arrays.copyOf(expected, plain.getParameterCount()));
    for (int i = 0; i < args.length; i++) {
      Object want = i < plain.getParameterCount() ? expected[i] : args[i];
      assertWithMessage("%s: argument %s afterwards (as the plain call leaves it)", name, i)
          .that(Arrays.deepEquals(new Object[] {after[i]}, new Object[] {want})).isTrue();
    }
  }

  private static Object[] deepCopy(Object[] args) {
    Object[] out = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      out[i] = deepCopy(args[i]);
    }
    return out;
  }

  private static Object deepCopy(Object a) {
    if (a == null || !a.getClass().isArray()) {
      return a;
    }
    int n = java.lang.reflect.Array.getLength(a);
    Object c = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), n);
    for (int i = 0; i < n; i++) {
      java.lang.reflect.Array.set(c, i, deepCopy(java.lang.reflect.Array.get(a, i)));
    }
    return c;
  }

  private static boolean accepts(Class<?>[] types, Object[] args) {
    for (int i = 0; i < types.length; i++) {
      Class<?> t = types[i];
      Object a = args[i];
      boolean ok = t.isPrimitive()
          ? (t == double.class && a instanceof Double) || (t == float.class && a instanceof Float)
              || (t == int.class && a instanceof Integer) || (t == long.class && a instanceof Long)
              || (t == boolean.class && a instanceof Boolean)
          : t.isInstance(a);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static Object invoke(Object target, String name, Object arg) {
    for (Method m : target.getClass().getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == 1) {
        try {
          m.setAccessible(true);
          return m.invoke(target, arg);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
    }
    throw new AssertionError("no " + name + " on " + target.getClass());
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
    if (record instanceof double[] || record instanceof Double) {
      return record;
    }
    throw new AssertionError(record + " has no " + name);
  }

  private static void addFlat(Object v, List<Double> out) {
    if (v instanceof double[] a) {
      for (double e : a) {
        out.add(e);
      }
    } else if (v instanceof double[][] m) {
      for (double[] row : m) {
        addFlat(row, out);
      }
    } else if (v instanceof Double d) {
      out.add(d);
    } else if (v instanceof Object[] parts) {
      for (Object p : parts) {
        addFlat(p, out);
      }
    } else if (v != null && v.getClass().isRecord()) {
      for (RecordComponent rc : v.getClass().getRecordComponents()) {
        if (!rc.getName().equals("value")) {
          addFlat(component(v, rc.getName()), out);
        }
      }
    }
  }

  /** The double arguments, flattened (ints, longs, booleans and int[] are constants). */
  static double[] flatten(Object[] args) {
    List<Double> out = new ArrayList<>();
    for (Object a : args) {
      addFlat(a, out);
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  static Object[] unflatten(Object[] args, double[] flat) {
    Object[] out = new Object[args.length];
    int at = 0;
    for (int i = 0; i < args.length; i++) {
      Object a = args[i];
      if (a instanceof Double) {
        out[i] = flat[at++];
      } else if (a instanceof double[] v) {
        out[i] = Arrays.copyOfRange(flat, at, at + v.length);
        at += v.length;
      } else if (a instanceof double[][] m) {
        double[][] copy = new double[m.length][];
        for (int r = 0; r < m.length; r++) {
          copy[r] = Arrays.copyOfRange(flat, at, at + m[r].length);
          at += m[r].length;
        }
        out[i] = copy;
      } else {
        out[i] = a;
      }
    }
    return out;
  }

  static List<Object> directions(Object[] args, double[] flat) {
    Object[] shaped = unflatten(args, flat);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i] instanceof Double || args[i] instanceof double[]
          || args[i] instanceof double[][]) {
        out.add(shaped[i]);
      }
    }
    return out;
  }
}
