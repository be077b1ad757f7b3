package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.BatchCompiler.Diag;
import dev.adjoint.processor.fuzz.BatchCompiler.Failed;
import dev.adjoint.processor.fuzz.BatchCompiler.Loaded;
import dev.adjoint.processor.fuzz.BatchCompiler.Place;
import dev.adjoint.processor.fuzz.BatchCompiler.Unit;
import dev.adjoint.runtime.Tape;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;

/**
 * Generates programs with {@link ProgramGenerator}, compiles them in batches with the processor
 * ({@link BatchCompiler}), and checks every generated derivative:
 *
 * <ol>
 *   <li>{@code mGrad(...).value()} is bit-identical to the plain call;
 *   <li>each partial matches Ridders-extrapolated central differences ({@link FdOracle}, the
 *       scheme of {@code testing.Oracle}) of the margin twin in smooth mode, within {@code rel *
 *       (|expected| + max_k |expected_k|) + 50 * oracle error + 30 * noise / step + 1e-12 * (1 +
 *       |value|)} (rel = 1e-6; noise: the evaluation noise of the function near the point;
 *       step: the one the oracle's estimate came from; float roundings are replayed as constant
 *       shifts, see JavaWriter). A partial is compared at the scale of the whole gradient, so
 *       that roundoff in a component that nearly cancels does not fail, while a wrong sign, a
 *       missing term or a stale value (errors of the order of the terms themselves) does;
 *   <li>{@code mAdjoint} returns the same value; with seed 4 (a power of two, so that every
 *       operation of the sweep scales exactly) into zeros it gives exactly 4 times the gradient,
 *       bit for bit; with seed 2.5 into a pre-filled array it adds 2.5 times the gradient
 *       (within 1e-12 of the gradient's scale, plus the rounding of the additions and of 2.5 times
 *       terms that cancel), leaving the elements past the gradient untouched; where the
 *       overload on a caller-owned {@code Tape} exists, two calls on the same tape give exactly
 *       what a fresh tape gives (the tape comes back clean);
 *   <li>{@code mVjp}, recorded again into the same recording, pulls back the plain value and,
 *       with seed 4, exactly 4 times the gradient, twice.
 * </ol>
 *
 * <p>A point is skipped (not counted as checked) when the twin says a decision is within {@code
 * 100 * h} of flipping (h: the largest step the oracle takes), when the twin takes a different
 * path at {@code x +- h} or {@code x +- h/3}, when sin, cos or tan get arguments too large for
 * finite differences to follow, when the value is not finite, when the oracle's own error and
 * the noise allow no better than 0.1% there, or when the plain method is too slow for the
 * oracle. Processor errors and warnings ([ADJnnn], other than ADJ207, ADJ214 and ADJ111, which
 * describe valid programs), compile errors in generated code, exceptions, and hangs of javac or
 * of generated code are failures too. Failures that point at the fuzzer itself (invalid
 * generated Java, a twin that disagrees with the plain method) are reported as harness failures.
 */
public final class FuzzChecker {

  /** Relative step of the oracle: h = STEP * max(1, |x|). */
  static final double STEP = Double.parseDouble(System.getProperty("adjoint.fuzz.step", "1e-5"));
  /** A point is skipped when a decision is closer than this many oracle steps to flipping. */
  static final double MARGIN_STEPS = 100;
  static final double SEED_FACTOR = 2.5;
  /**
   * Warnings that describe a valid program: an int cast or integer Math result cuts a derivative
   * (ADJ207, ADJ214), a parameter does not influence the result (ADJ111; the gradient check
   * verifies the claim, since its partial must then be 0).
   */
  static final Set<String> EXPECTED_WARNINGS = Set.of("ADJ207", "ADJ214", "ADJ111");

  /** What went wrong. */
  enum Kind {
    PROCESSOR_ERROR("processor-error", true),
    UNEXPECTED_DIAGNOSTIC("unexpected-diagnostic", true),
    COMPILE_ERROR("compile-error", true),
    EXCEPTION("exception", true),
    VALUE("value", true),
    GRADIENT("gradient", true),
    ADJOINT("adjoint", true),
    /** Forward mode disagrees with the gradient dotted with the tangent. */
    TANGENT("tangent", true),
    /** The Hessian-vector product disagrees with the derivative of the gradient. */
    HESSIAN("hessian", true),
    HANG("hang", true),
    /** The fuzzer generated invalid Java, or a program the plain method cannot run. */
    INVALID_PROGRAM("invalid-program", false),
    /** The twin disagrees with the plain method: a bug of the fuzzer. */
    TWIN_MISMATCH("twin-mismatch", false);

    final String id;
    /** Whether this is a bug of the processor (as opposed to the fuzzer). */
    final boolean processorBug;

    Kind(String id, boolean processorBug) {
      this.id = id;
      this.processorBug = processorBug;
    }

    boolean atCompileTime() {
      return this == PROCESSOR_ERROR || this == UNEXPECTED_DIAGNOSTIC || this == COMPILE_ERROR
          || this == INVALID_PROGRAM;
    }

    /** Whether a failure with this kind and signature shows up while compiling. */
    static boolean atCompileTime(Kind kind, String signature) {
      return kind.atCompileTime() || "hang:javac".equals(signature);
    }
  }

  /** One failure, with everything needed to shrink and report it. */
  record Failure(Kind kind, String signature, Ast.ClassUnit unit, String method, Object[] point,
      String detail, long seed) {
    Failure withUnit(Ast.ClassUnit u, String m, Object[] p) {
      return new Failure(kind, signature, u, m, p, detail, seed);
    }

    Failure withDetail(String d) {
      return new Failure(kind, signature, unit, method, point, d, seed);
    }
  }

  /** The decision kinds the twin reports (see JavaWriter.TWIN_HELPERS). */
  static final Map<Integer, String> DECISIONS = Map.ofEntries(
      Map.entry(1, "comparison"), Map.entry(3, "int-cast"), Map.entry(4, "long-cast"),
      Map.entry(5, "floor"), Map.entry(6, "ceil"), Map.entry(7, "rint"), Map.entry(8, "round"),
      Map.entry(9, "signum"), Map.entry(10, "abs"), Map.entry(12, "min"), Map.entry(14, "max"),
      Map.entry(16, "copySign"), Map.entry(20, "atan2"), Map.entry(22, "hypot"),
      Map.entry(23, "cbrt"), Map.entry(24, "remainder"));

  /** Why a point was not checked. */
  enum Skip {
    MARGIN,
    FLIP,
    NONFINITE,
    ORACLE,
    /** The plain method itself is too slow for the oracle (or timed out). */
    SLOW
  }

  /** A plain call slower than this skips the oracle (after the value and adjoint checks). */
  static final long SLOW_NANOS = 20_000_000L;

  /** The result of one point: checked, skipped, or failed. */
  record PointResult(Skip skip, Kind kind, String signature, String detail, String category) {
    static final PointResult CHECKED = new PointResult(null, null, null, null, null);

    static PointResult skipped(Skip s, String detail) {
      return new PointResult(s, null, null, detail, s.name().toLowerCase(Locale.ROOT));
    }

    static PointResult skipped(Skip s, String detail, String category) {
      return new PointResult(s, null, null, detail, category);
    }

    static PointResult failed(Kind k, String signature, String detail) {
      return new PointResult(null, k, signature, detail, null);
    }

    boolean checked() {
      return skip == null && kind == null;
    }
  }

  // ---------------------------------------------------------------------------------- config

  /** Run parameters; defaults suit the quick run. */
  static final class Config {
    long seed = 20240611L;
    int programs = 300;
    int methodsPerClass = 50;
    int classesPerRun = 3;
    int points = 3;
    boolean shrink = true;
    int maxShrinks = 6;
    int maxShrinksPerSignature = 2;
    long shrinkSeconds = 90;
    long programTimeoutSeconds = 20;
    /** A javac run (a batch normally takes seconds) that exceeds this is a hang. */
    long compileTimeoutSeconds = 300;
    /** Batches compiled and checked at once (javac is single-threaded). */
    int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
    Path regressionDir;
    PrintStream log = System.out;
  }

  /** Totals of a run. */
  static final class Summary {
    int programs;
    int compiled;
    /** Compiled classes whose generated code has a method split into parts. */
    int split;
    int dropped;
    int points;
    int checked;
    final Map<Skip, Integer> skipped = new TreeMap<>();
    final Map<String, Integer> skipCategories = new TreeMap<>();
    final Map<String, Integer> failuresByKind = new TreeMap<>();
    final List<Failure> failures = new ArrayList<>();
    final Map<String, Integer> constructs = new TreeMap<>();
    final List<String> reproducers = new ArrayList<>();
    int javacRuns;
    int threads = 1;
    double seconds;
    double compileSeconds;

    /** Adds another (batch's) totals to these. */
    void add(Summary o) {
      programs += o.programs;
      compiled += o.compiled;
      split += o.split;
      dropped += o.dropped;
      points += o.points;
      checked += o.checked;
      o.skipped.forEach((k, v) -> skipped.merge(k, v, Integer::sum));
      o.skipCategories.forEach((k, v) -> skipCategories.merge(k, v, Integer::sum));
      o.failuresByKind.forEach((k, v) -> failuresByKind.merge(k, v, Integer::sum));
      failures.addAll(o.failures);
      o.constructs.forEach((k, v) -> constructs.merge(k, v, Integer::sum));
      reproducers.addAll(o.reproducers);
      javacRuns += o.javacRuns;
      compileSeconds += o.compileSeconds;
    }

    int skippedTotal() {
      return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    long processorMismatches() {
      return failures.stream().filter(f -> f.kind().processorBug).count();
    }

    long harnessFailures() {
      return failures.stream().filter(f -> !f.kind().processorBug).count();
    }

    double checkedFraction() {
      return points == 0 ? 0 : (double) checked / points;
    }

    String line() {
      StringBuilder sb = new StringBuilder();
      sb.append(String.format(Locale.ROOT,
          "FUZZ SUMMARY: programs=%d compiled=%d split=%d dropped=%d points=%d checked=%d (%.1f%%)"
              + " skipped=%d %s mismatches=%d %s harness-failures=%d javac-runs=%d"
              + " time=%.1fs (javac %.1fs over %d threads) throughput=%.1f programs/s",
          programs, compiled, split, dropped, points, checked, 100 * checkedFraction(), skippedTotal(),
          skipped, processorMismatches(), failuresByKind, harnessFailures(), javacRuns, seconds,
          compileSeconds, threads, programs / Math.max(1e-9, seconds)));
      sb.append("\nFUZZ SKIPS: ").append(skipCategories);
      sb.append("\nFUZZ COVERAGE (programs with a checked point, per construct): ");
      sb.append(constructs);
      return sb.toString();
    }
  }

  // ------------------------------------------------------------------------------- binding

  /** Reflective handles on one method: plain, twin, mGrad, mAdjoint. */
  static final class Bound {
    final String name;
    final Class<?>[] types;
    /** The differentiated parameters (double and double[]), in declaration order. */
    final int[] active;
    /** How many of them are double scalars (the length of mAdjoint's adjoints buffer). */
    final int scalars;
    final Method plain;
    final Method twin;
    final Method grad;
    final Method adjoint;
    /** {@code mAdjoint(..., seed, adjoints, Tape)} (a caller-owned tape), when generated. */
    final Method adjointOnTape;
    /** {@code mJvp(params..., tangents...)}: one tangent per double or double[] parameter. */
    final Method jvp;
    /** {@code mHvp(params..., directions...)}; null for a method of order 1. */
    final Method hvp;
    final Method[] components;
    /** {@code mVjp(params...)}, {@code mVjp(params..., recording)}, {@code pullback(double)}. */
    final Method vjp;
    final Method vjpReusing;
    final Method pullback;
    final boolean floatRounding;

    Bound(Loaded loaded, String name, boolean floatRounding) throws ReflectiveOperationException {
      this.name = name;
      this.floatRounding = floatRounding;
      this.plain = unique(loaded.main(), name);
      // A method taking a record is checked through the flat forms, on the twin's types (the
      // record's doubles in its place), its plain call given the record built from them.
      Class<?>[] declared = plain.getParameterTypes();
      boolean records = Arrays.stream(declared).anyMatch(
          c -> !c.isPrimitive() && !(c.isArray() && c.getComponentType().isPrimitive()));
      if (records) {
        Class<?>[] flat = unique(loaded.twin(), name).getParameterTypes();
        this.types = Arrays.copyOf(flat, flat.length - 1);
      } else {
        this.types = declared;
      }
      List<Integer> act = new ArrayList<>();
      for (int i = 0; i < types.length; i++) {
        if (types[i] == double.class || types[i] == double[].class) {
          act.add(i);
        }
      }
      this.active = act.stream().mapToInt(Integer::intValue).toArray();
      int scalarCount = 0;
      for (Class<?> c : types) {
        scalarCount += c == double.class ? 1 : 0;
      }
      this.scalars = scalarCount;
      Class<?>[] twinTypes = Arrays.copyOf(types, types.length + 1);
      twinTypes[types.length] = double[].class;
      Method t = null;
      try {
        t = loaded.twin().getDeclaredMethod(name, twinTypes);
        t.setAccessible(true);
      } catch (NoSuchMethodException e) {
        // No twin (handwritten classes): only the checks that need none can run.
      }
      this.twin = t;
      this.grad = loaded.diff().getMethod(name + "Grad", types);
      // (params, seed, [adjoints: when a double scalar exists], one buffer per double[]).
      List<Class<?>> at = new ArrayList<>(Arrays.asList(types));
      at.add(double.class);
      if (scalarCount > 0) {
        at.add(double[].class);
      }
      for (Class<?> c : types) {
        if (c == double[].class) {
          at.add(double[].class);
        }
      }
      Class<?>[] adjointTypes = at.toArray(new Class<?>[0]);
      this.adjoint = loaded.diff().getMethod(name + "Adjoint", adjointTypes);
      Class<?>[] onTape = Arrays.copyOf(adjointTypes, adjointTypes.length + 1);
      onTape[adjointTypes.length] = Tape.class;
      Method m = null;
      try {
        m = loaded.diff().getMethod(name + "Adjoint", onTape);
      } catch (NoSuchMethodException e) {
        // Not generated by this version of the processor.
      }
      this.adjointOnTape = m;
      List<Class<?>> jt = new ArrayList<>(Arrays.asList(types));
      for (int k : active) {
        jt.add(types[k]);
      }
      this.jvp = loaded.diff().getMethod(name + "Jvp", jt.toArray(new Class<?>[0]));
      Method hessianVector = null;
      try {
        hessianVector = loaded.diff().getMethod(name + "Hvp", jt.toArray(new Class<?>[0]));
      } catch (NoSuchMethodException e) {
        // A saved program of order 1: first derivatives only.
      }
      this.hvp = hessianVector;
      Method fresh = loaded.diff().getMethod(name + "Vjp", types);
      Class<?>[] reusing = Arrays.copyOf(types, types.length + 1);
      reusing[types.length] = fresh.getReturnType();
      Method again = null;
      try {
        again = loaded.diff().getMethod(name + "Vjp", reusing);
      } catch (NoSuchMethodException e) {
        // A hand-written adjoint's recording keeps its inputs: nothing to record again.
      }
      this.vjp = again == null ? null : fresh;
      this.vjpReusing = again;
      this.pullback = fresh.getReturnType().getMethod("pullback", double.class);
      Class<?> record = grad.getReturnType();
      RecordComponent[] rc = record.getRecordComponents();
      if (rc == null || rc.length != 1 + active.length) {
        throw new NoSuchMethodException(record + " has components " + Arrays.toString(rc)
            + "; expected value and " + active.length + " partials");
      }
      components = new Method[rc.length];
      for (int i = 0; i < rc.length; i++) {
        components[i] = rc[i].getAccessor();
        components[i].setAccessible(true);
      }
    }

    /**
     * The plain method's arguments for flat arguments {@code flat}: each record parameter built
     * from the doubles it stands for (its components, in order); the others as they are.
     */
    Object[] plainArguments(Object[] flat) {
      Class<?>[] declared = plain.getParameterTypes();
      if (declared.length == flat.length) {
        return flat;
      }
      Object[] out = new Object[declared.length];
      int k = 0;
      for (int i = 0; i < declared.length; i++) {
        if (declared[i].isArray() && declared[i].getComponentType().isRecord()) {
          // An array of records: one flat array per component, all as long.
          Class<?> element = declared[i].getComponentType();
          java.lang.reflect.RecordComponent[] rc = element.getRecordComponents();
          Object[] arrays = Arrays.copyOfRange(flat, k, k + rc.length);
          k += rc.length;
          int length = java.lang.reflect.Array.getLength(arrays[0]);
          Object built = java.lang.reflect.Array.newInstance(element, length);
          try {
            java.lang.reflect.Constructor<?> c = element.getDeclaredConstructor(
                Arrays.stream(rc).map(java.lang.reflect.RecordComponent::getType)
                    .toArray(Class<?>[]::new));
            c.setAccessible(true);
            for (int e = 0; e < length; e++) {
              Object[] values = new Object[rc.length];
              for (int j = 0; j < rc.length; j++) {
                values[j] = java.lang.reflect.Array.get(arrays[j], e);
              }
              java.lang.reflect.Array.set(built, e, c.newInstance(values));
            }
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
          out[i] = built;
        } else if (finalClass(declared[i])) {
          // An instance of a final class: its constructor takes its instance fields, in order.
          Class<?>[] fields = fieldTypes(declared[i]);
          Object[] values = Arrays.copyOfRange(flat, k, k + fields.length);
          k += fields.length;
          try {
            java.lang.reflect.Constructor<?> c = declared[i].getDeclaredConstructor(fields);
            c.setAccessible(true);
            out[i] = c.newInstance(values);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        } else if (declared[i].isRecord()) {
          java.lang.reflect.RecordComponent[] rc = declared[i].getRecordComponents();
          Object[] values = Arrays.copyOfRange(flat, k, k + rc.length);
          k += rc.length;
          try {
            java.lang.reflect.Constructor<?> c = declared[i].getDeclaredConstructor(
                Arrays.stream(rc).map(java.lang.reflect.RecordComponent::getType)
                    .toArray(Class<?>[]::new));
            c.setAccessible(true);
            out[i] = c.newInstance(values);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        } else {
          out[i] = flat[k++];
        }
      }
      return out;
    }

    /**
     * Cuts the flat arrays of each array-of-records parameter of {@code point} to the shortest of
     * them (the plain call builds the records from them element by element).
     */
    Object[] alignRecordArrays(Object[] point) {
      Class<?>[] declared = plain.getParameterTypes();
      int k = 0;
      for (Class<?> c : declared) {
        if (c.isArray() && c.getComponentType().isRecord()) {
          int n = c.getComponentType().getRecordComponents().length;
          int length = Integer.MAX_VALUE;
          for (int j = 0; j < n; j++) {
            length = Math.min(length, java.lang.reflect.Array.getLength(point[k + j]));
          }
          for (int j = 0; j < n; j++) {
            Object a = point[k + j];
            point[k + j] = a instanceof double[] d ? Arrays.copyOf(d, length)
                : Arrays.copyOf((int[]) a, length);
          }
          k += n;
        } else {
          k += c.isRecord() ? c.getRecordComponents().length
              : finalClass(c) ? fieldTypes(c).length : 1;
        }
      }
      return point;
    }

    private static boolean finalClass(Class<?> c) {
      return !c.isPrimitive() && !c.isArray() && !c.isRecord()
          && java.lang.reflect.Modifier.isFinal(c.getModifiers());
    }

    /** The types of a class's instance fields, in declaration order. */
    private static Class<?>[] fieldTypes(Class<?> c) {
      return Arrays.stream(c.getDeclaredFields())
          .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers()))
          .map(java.lang.reflect.Field::getType).toArray(Class<?>[]::new);
    }

    private static Method unique(Class<?> c, String name) throws NoSuchMethodException {
      Method found = null;
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers())) {
          if (found != null) {
            throw new NoSuchMethodException("two methods " + name + " in " + c);
          }
          found = m;
        }
      }
      if (found == null) {
        throw new NoSuchMethodException(name + " in " + c);
      }
      found.setAccessible(true);
      return found;
    }

    String label(Object[] args) {
      return name + "(" + formatArgs(args) + ")";
    }
  }

  static String formatArgs(Object[] args) {
    StringBuilder sb = new StringBuilder();
    for (Object a : args) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      if (a instanceof double[] d) {
        sb.append(Arrays.toString(d).replace('[', '{').replace(']', '}'));
      } else if (a instanceof int[] k) {
        sb.append(Arrays.toString(k).replace('[', '{').replace(']', '}'));
      } else {
        sb.append(a);
      }
    }
    return sb.toString();
  }

  /** The arguments with their arrays copied. */
  static Object[] deepCopy(Object[] args) {
    Object[] out = args.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof double[] d) {
        out[i] = d.clone();
      } else if (out[i] instanceof int[] k) {
        out[i] = k.clone();
      }
    }
    return out;
  }

  /** Whether two argument lists are equal, arrays element by element (bit for bit). */
  static boolean sameArgs(Object[] a, Object[] b) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] instanceof double[] x) {
        double[] y = (double[]) b[i];
        if (x.length != y.length) {
          return false;
        }
        for (int e = 0; e < x.length; e++) {
          if (Double.doubleToRawLongBits(x[e]) != Double.doubleToRawLongBits(y[e])) {
            return false;
          }
        }
      } else if (a[i] instanceof int[] x) {
        if (!Arrays.equals(x, (int[]) b[i])) {
          return false;
        }
      } else if (!a[i].equals(b[i])) {
        return false;
      }
    }
    return true;
  }

  /** The differentiated inputs, flattened: double scalars and every element of each double[]. */
  static double[] flat(Bound b, Object[] args) {
    List<Double> out = new ArrayList<>();
    for (int k : b.active) {
      if (args[k] instanceof double[] d) {
        for (double v : d) {
          out.add(v);
        }
      } else {
        out.add((Double) args[k]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** A copy of args with the flattened inputs replaced by v. */
  static Object[] withFlat(Bound b, Object[] args, double[] v) {
    Object[] out = deepCopy(args);
    int at = 0;
    for (int k : b.active) {
      if (out[k] instanceof double[] d) {
        for (int e = 0; e < d.length; e++) {
          d[e] = v[at++];
        }
      } else {
        out[k] = v[at++];
      }
    }
    return out;
  }

  /** Names of the flattened inputs, by record component: dX, dA[2], ... */
  static String[] flatNames(Bound b, Object[] args) {
    List<String> out = new ArrayList<>();
    for (int j = 0; j < b.active.length; j++) {
      String name = b.components[j + 1].getName();
      if (args[b.active[j]] instanceof double[] d) {
        for (int e = 0; e < d.length; e++) {
          out.add(name + "[" + e + "]");
        }
      } else {
        out.add(name);
      }
    }
    return out.toArray(new String[0]);
  }

  /** Random point: doubles in [-2, 2], ints in [0, 6]. */
  static Object[] randomPoint(Class<?>[] types, Random rnd) {
    Object[] args = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      if (types[i] == double.class) {
        args[i] = -2 + 4 * rnd.nextDouble();
      } else if (types[i] == double[].class) {
        double[] a = new double[2 + rnd.nextInt(4)];
        for (int e = 0; e < a.length; e++) {
          a[e] = -2 + 4 * rnd.nextDouble();
        }
        args[i] = a;
      } else if (types[i] == int[].class) {
        int[] a = new int[2 + rnd.nextInt(4)];
        for (int e = 0; e < a.length; e++) {
          a[e] = rnd.nextInt(5);
        }
        args[i] = a;
      } else if (types[i] == int.class) {
        args[i] = rnd.nextInt(7);
      } else {
        throw new IllegalArgumentException("parameter type " + types[i]);
      }
    }
    return args;
  }

  // ------------------------------------------------------------------------------- checking

  private static final class Threw extends Exception {
    private static final long serialVersionUID = 1L;

    Threw(Throwable cause) {
      super(cause);
    }
  }

  private static Object call(Method m, Object... args) throws Threw {
    try {
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw new Threw(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double twin(Bound b, Object[] args, double[] mg) throws Threw {
    // On copies: a method may write its array parameters.
    Object[] full = Arrays.copyOf(deepCopy(args), args.length + 1);
    full[args.length] = mg;
    return ((Number) call(b.twin, full)).doubleValue();
  }

  /** Float rounding residuals a twin can record (see JavaWriter.TWIN_HELPERS). */
  static final int RESIDUALS = 1024;

  /** A fresh margin array for an exact-mode twin call. */
  private static double[] newMargins(Bound b) {
    double[] mg = new double[7 + (b.floatRounding ? RESIDUALS : 0)];
    mg[0] = Double.POSITIVE_INFINITY;
    return mg;
  }

  /** A margin array for a smooth-mode call, replaying the residuals an exact call recorded. */
  private static double[] smoothMargins(double[] exact) {
    double[] mg = exact.clone();
    mg[0] = Double.POSITIVE_INFINITY;
    mg[1] = 0;
    mg[2] = 0;
    mg[3] = 1;
    mg[4] = 0;
    mg[5] = 0;
    mg[6] = 0;
    return mg;
  }

  /** Beyond this |argument|, sin, cos and tan oscillate too fast for the oracle. */
  static final double PERIODIC_LIMIT = 1e3;

  private static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder(t.toString());
    StackTraceElement[] st = t.getStackTrace();
    for (int i = 0; i < Math.min(4, st.length); i++) {
      sb.append("\n      at ").append(st[i]);
    }
    return sb.toString();
  }

  /** Checks one method at one point. */
  static PointResult checkPoint(Bound b, Object[] args) {
    return checkPoint(b, args, new String[1]);
  }

  /**
   * Checks one method at one point; {@code phase[0]} names what runs (plain, twin, grad,
   * adjoint, oracle), so that a timeout can be blamed on the generated code or not.
   */
  static PointResult checkPoint(Bound b, Object[] args, String[] phase) {
    String label = b.label(args);
    // The plain method.
    double plain;
    long plainNanos;
    // The arguments as the plain call leaves them (it may write its array parameters); every
    // call below runs on copies of args, and each entry point must leave them like this.
    Object[] plainAfter = deepCopy(args);
    try {
      phase[0] = "plain";
      long t0 = System.nanoTime();
      plain = ((Number) call(b.plain, b.plainArguments(plainAfter))).doubleValue();
      plainNanos = System.nanoTime() - t0;
    } catch (Threw t) {
      return PointResult.failed(Kind.INVALID_PROGRAM, "invalid-program:plain-threw",
          label + ": the plain method threw " + describe(t.getCause()));
    }
    if (b.twin == null) {
      throw new IllegalStateException("no twin for " + b.name);
    }
    // The twin in exact mode must agree bit for bit.
    phase[0] = "twin";
    double[] mg = newMargins(b);
    try {
      double t = twin(b, args, mg);
      if (Double.doubleToLongBits(t) != Double.doubleToLongBits(plain)) {
        return PointResult.failed(Kind.TWIN_MISMATCH, "twin-mismatch",
            label + ": twin returned " + t + " but the plain method " + plain);
      }
    } catch (Threw t) {
      return PointResult.failed(Kind.TWIN_MISMATCH, "twin-mismatch:threw",
          label + ": the twin threw " + describe(t.getCause()));
    }
    // mGrad.
    phase[0] = "grad";
    double value;
    double[] x0 = flat(b, args);
    double[] g = new double[x0.length];
    try {
      Object[] callArgs = deepCopy(args);
      Object record = call(b.grad, callArgs);
      if (!sameArgs(callArgs, plainAfter)) {
        return PointResult.failed(Kind.VALUE, "value:input-changed",
            label + ": " + b.name + "Grad left its arguments as (" + formatArgs(callArgs)
                + "), the plain call as (" + formatArgs(plainAfter) + ")");
      }
      value = ((Number) b.components[0].invoke(record)).doubleValue();
      int at = 0;
      for (int k = 0; k < b.active.length; k++) {
        Object c = b.components[k + 1].invoke(record);
        if (c instanceof double[] d) {
          int len = ((double[]) args[b.active[k]]).length;
          if (d.length != len) {
            return PointResult.failed(Kind.GRADIENT, "gradient:shape", label + ": "
                + b.components[k + 1].getName() + " has " + d.length + " elements, not " + len);
          }
          for (double v : d) {
            g[at++] = v;
          }
        } else {
          g[at++] = ((Number) c).doubleValue();
        }
      }
    } catch (Threw t) {
      return PointResult.failed(Kind.EXCEPTION,
          "exception:" + t.getCause().getClass().getSimpleName(),
          label + ": " + b.name + "Grad threw " + describe(t.getCause()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    if (Double.doubleToLongBits(value) != Double.doubleToLongBits(plain)) {
      return PointResult.failed(Kind.VALUE, "value",
          String.format(Locale.ROOT, "%s: %sGrad(...).value() = %s (%s) but the plain call"
              + " returns %s (%s)", label, b.name, value, Double.toHexString(value), plain,
              Double.toHexString(plain)));
    }
    // mAdjoint with seed 2.5 into a pre-filled array (exactly as long as the gradient: longer
    // buffers are refused).
    phase[0] = "adjoint";
    PointResult adjoint = checkAdjoint(b, args, plain, plainAfter, g, label);
    if (adjoint != null) {
      return adjoint;
    }
    phase[0] = "oracle";
    if (plainNanos > SLOW_NANOS) {
      return PointResult.skipped(Skip.SLOW, label + ": the plain call took "
          + plainNanos / 1_000_000 + " ms");
    }
    if (!Double.isFinite(plain)) {
      return PointResult.skipped(Skip.NONFINITE, label + ": value " + plain);
    }
    // Gates: margins at the point, and the same path at nearby points.
    double[] x = x0;
    double[] h = new double[x.length];
    double hmax = 0;
    for (int k = 0; k < x.length; k++) {
      h[k] = STEP * Math.max(1, Math.abs(x[k]));
      hmax = Math.max(hmax, h[k]);
    }
    if (!(mg[6] <= PERIODIC_LIMIT)) {
      return PointResult.skipped(Skip.ORACLE,
          label + ": sin, cos or tan of " + mg[6] + " (too fast an oscillation to resolve)",
          "oscillation");
    }
    if (!(mg[0] >= MARGIN_STEPS * hmax)) {
      String decision = DECISIONS.getOrDefault((int) mg[4], "decision " + mg[4]);
      return PointResult.skipped(Skip.MARGIN, label + ": margin " + mg[0] + " at " + decision,
          "margin:" + decision);
    }
    // Forward mode, where no decision is near and no derivative singular (there an infinite
    // partial times an exactly zero tangent is NaN in forward mode, as IEEE arithmetic says,
    // while the reverse sweep never forms that product).
    phase[0] = "jvp";
    PointResult tangent = checkJvp(b, args, plain, g, label);
    if (tangent != null) {
      return tangent;
    }
    try {
      double[] center = smoothMargins(mg);
      twin(b, args, center);
      for (int k = 0; k < x.length; k++) {
        for (double s : new double[] {h[k], -h[k], h[k] / 3, -h[k] / 3}) {
          double[] xs = x.clone();
          xs[k] = x[k] + s;
          Object[] p = withFlat(b, args, xs);
          double[] m = smoothMargins(mg);
          twin(b, p, m);
          if (m[1] != center[1] || m[2] != center[2]) {
            return PointResult.skipped(Skip.FLIP, label + ": path changes within the step");
          }
        }
      }
    } catch (Threw t) {
      return PointResult.failed(Kind.TWIN_MISMATCH, "twin-mismatch:threw",
          label + ": the twin threw " + describe(t.getCause()));
    }
    // The oracle, on the smooth twin.
    ToDoubleFunction<double[]> f = v -> {
      Object[] p = withFlat(b, args, v);
      try {
        return twin(b, p, smoothMargins(mg));
      } catch (Threw t) {
        return Double.NaN;
      }
    };
    FdOracle.Estimate[] oracle = new FdOracle.Estimate[x.length];
    double gmax = 0;
    for (int k = 0; k < x.length; k++) {
      oracle[k] = FdOracle.partial(f, x, k, h[k]);
      gmax = Math.max(gmax, Math.abs(oracle[k].value()));
    }
    // What the oracle cannot resolve: its own error estimate, and the evaluation noise of f
    // amplified by the step its estimate came from.
    double[] slack = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      double e = oracle[k].value();
      slack[k] = 50 * oracle[k].error() + 30 * oracle[k].roundoff();
      // Resolving the partial to 0.1% of the gradient's scale (or, where the gradient is 0, to
      // what the rounding of the value itself allows) is the least the check needs.
      if (!Double.isFinite(e)
          || !(slack[k] <= 1e-3 * (Math.abs(e) + gmax) + 1e-8 * (1 + Math.abs(plain)))) {
        return PointResult.skipped(Skip.ORACLE, label + ": oracle " + oracle[k]);
      }
    }
    // Past RESIDUALS float roundings the smooth twin stops replaying them: looser then.
    double rel = mg[5] > RESIDUALS ? 2e-5 : 1e-6;
    List<String> bad = new ArrayList<>();
    StringBuilder all = new StringBuilder();
    String[] names = flatNames(b, args);
    for (int k = 0; k < x.length; k++) {
      double e = oracle[k].value();
      double tol = rel * (Math.abs(e) + gmax) + slack[k] + 1e-12 * (1 + Math.abs(plain));
      String name = names[k];
      all.append(String.format(Locale.ROOT, "\n    %-4s expected %-24s (oracle error %.1e,"
          + " roundoff %.1e, tolerance %.1e) actual %s", name, e, oracle[k].error(),
          oracle[k].roundoff(), tol, g[k]));
      if (!(Math.abs(g[k] - e) <= tol)) {
        bad.add(name);
      }
    }
    if (!bad.isEmpty()) {
      return PointResult.failed(Kind.GRADIENT, "gradient",
          label + ": wrong partials " + bad + all);
    }
    // Through (float) casts the generated gradient rounds as the method does, so it is a
    // staircase that differencing cannot differentiate: no second-order claim there.
    PointResult hessian = b.hvp == null || mg[5] > 0 ? null : checkHvp(b, args, x, h, label);
    return hessian != null ? hessian : PointResult.CHECKED;
  }

  /**
   * {@code mVjp}: a recording made anew, recorded again into itself ({@code mVjp(..., recording)}
   * after a first pullback), then pulled back twice with seed 4: each pullback gives the plain
   * value and exactly 4 times the gradient, as {@code mAdjoint} does.
   */
  private static PointResult checkPullbacks(Bound b, Object[] args, double plain, double[] g,
      String label) {
    if (b.vjp == null) {
      return null;
    }
    try {
      Object recording = call(b.vjp, deepCopy(args));
      b.pullback.invoke(recording, 1.0);
      Object[] again = Arrays.copyOf(deepCopy(args), args.length + 1);
      again[args.length] = recording;
      Object reused = call(b.vjpReusing, again);
      if (reused != recording) {
        return PointResult.failed(Kind.ADJOINT, "vjp:reuse",
            label + ": " + b.name + "Vjp(..., recording) returned another recording");
      }
      for (int round = 1; round <= 2; round++) {
        Object record;
        try {
          record = b.pullback.invoke(reused, 4.0);
        } catch (InvocationTargetException e) {
          throw new Threw(e.getCause());
        }
        double value = ((Number) b.components[0].invoke(record)).doubleValue();
        if (Double.doubleToLongBits(value) != Double.doubleToLongBits(plain)) {
          return PointResult.failed(Kind.ADJOINT, "vjp", label + ": " + b.name
              + "Vjp(...).pullback(4.0).value() = " + value + " but the plain call " + plain);
        }
        double[] out = new double[g.length];
        int at = 0;
        for (int k = 0; k < b.active.length; k++) {
          Object c = b.components[k + 1].invoke(record);
          if (c instanceof double[] d) {
            for (double v : d) {
              out[at++] = v;
            }
          } else {
            out[at++] = ((Number) c).doubleValue();
          }
        }
        PointResult linear = exactlyFourTimes(b, out, g, label,
            " (as mVjp(..., recording).pullback(4.0), pullback " + round + ")");
        if (linear != null) {
          return linear;
        }
      }
    } catch (Threw t) {
      return PointResult.failed(Kind.EXCEPTION,
          "exception:" + t.getCause().getClass().getSimpleName(),
          label + ": " + b.name + "Vjp or its pullback threw " + describe(t.getCause()));
    } catch (InvocationTargetException e) {
      return PointResult.failed(Kind.EXCEPTION,
          "exception:" + e.getCause().getClass().getSimpleName(),
          label + ": " + b.name + "Vjp's pullback threw " + describe(e.getCause()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return null;
  }

  /** Null when {@code out} holds exactly 4 times the gradient (and zeros past it). */
  private static PointResult exactlyFourTimes(Bound b, double[] out, double[] g, String label,
      String how) {
    for (int k = 0; k < out.length; k++) {
      double want = k < g.length ? 4 * g[k] : 0;
      if (Double.doubleToLongBits(out[k]) != Double.doubleToLongBits(want)
          && !(out[k] == 0 && want == 0)) {
        return PointResult.failed(Kind.ADJOINT, "adjoint",
            String.format(Locale.ROOT, "%s: %sAdjoint(..., 4.0, zeros)%s put %s in"
                + " adjoints[%d]; expected exactly 4 * %s = %s", label, b.name, how, out[k], k,
                k < g.length ? g[k] : 0.0, want));
      }
    }
    return null;
  }

  /**
   * The arguments of an mAdjoint call: the method's own (copied), the seed, the scalar
   * adjoints buffer (when the method has double scalars: {@code scalars} elements) and one
   * buffer per double[] parameter, filled from {@code combined}: the flattened gradient order.
   */
  private static Object[] adjointArgs(Bound b, Object[] args, double seed, double[] combined,
      boolean tape) {
    List<Object> out = new ArrayList<>(Arrays.asList(deepCopy(args)));
    out.add(seed);
    double[] scalarBuf = b.scalars > 0 ? new double[b.scalars] : null;
    List<double[]> arrays = new ArrayList<>();
    int at = 0;
    int slot = 0;
    for (int k : b.active) {
      if (args[k] instanceof double[] d) {
        double[] buf = new double[d.length];
        for (int e = 0; e < d.length; e++) {
          buf[e] = combined[at++];
        }
        arrays.add(buf);
      } else {
        scalarBuf[slot++] = combined[at++];
      }
    }
    if (scalarBuf != null) {
      out.add(scalarBuf);
    }
    out.addAll(arrays);
    if (tape) {
      out.add(new Tape());
    }
    return out.toArray();
  }

  /** The buffers of an mAdjoint call read back in the order of {@link #adjointArgs}. */
  private static double[] combined(Bound b, Object[] call, int n) {
    double[] out = new double[n];
    int first = b.types.length + 1;
    double[] scalarBuf = b.scalars > 0 ? (double[]) call[first] : null;
    int arrayAt = first + (b.scalars > 0 ? 1 : 0);
    int at = 0;
    int slot = 0;
    for (int k : b.active) {
      if (b.types[k] == double[].class) {
        for (double v : (double[]) call[arrayAt++]) {
          out[at++] = v;
        }
      } else {
        out[at++] = scalarBuf[slot++];
      }
    }
    return out;
  }

  private static PointResult checkAdjoint(Bound b, Object[] args, double plain,
      Object[] plainAfter, double[] g, String label) {
    int d = g.length;
    int n = d;
    // Exact linearity: a power-of-two seed scales every operation of the reverse sweep exactly,
    // so seed 4 into zeros must give exactly 4 times the gradient, bit for bit.
    Object[] four = adjointArgs(b, args, 4.0, new double[n], false);
    try {
      call(b.adjoint, four);
    } catch (Threw t) {
      return PointResult.failed(Kind.EXCEPTION,
          "exception:" + t.getCause().getClass().getSimpleName(),
          label + ": " + b.name + "Adjoint threw " + describe(t.getCause()));
    }
    if (!sameArgs(Arrays.copyOf(four, args.length), plainAfter)) {
      return PointResult.failed(Kind.ADJOINT, "adjoint:input-changed", label + ": " + b.name
          + "Adjoint left its arguments as (" + formatArgs(Arrays.copyOf(four, args.length))
          + "), the plain call as (" + formatArgs(plainAfter) + ")");
    }
    PointResult linear = exactlyFourTimes(b, combined(b, four, n), g, label, "");
    if (linear != null) {
      return linear;
    }
    // A caller-owned tape, used twice: it must come back clean for the next call.
    if (b.adjointOnTape != null) {
      Tape tape = new Tape();
      for (int round = 1; round <= 2; round++) {
        Object[] onTape = adjointArgs(b, args, 4.0, new double[n], true);
        onTape[onTape.length - 1] = tape;
        double v;
        try {
          v = ((Number) call(b.adjointOnTape, onTape)).doubleValue();
        } catch (Threw t) {
          return PointResult.failed(Kind.EXCEPTION,
              "exception:" + t.getCause().getClass().getSimpleName(),
              label + ": " + b.name + "Adjoint(..., tape) threw, call " + round + " on the same"
                  + " tape: " + describe(t.getCause()));
        }
        if (Double.doubleToLongBits(v) != Double.doubleToLongBits(plain)) {
          return PointResult.failed(Kind.ADJOINT, "adjoint", label + ": " + b.name
              + "Adjoint(..., tape) returned " + v + " (call " + round + ") but the plain call "
              + plain);
        }
        linear = exactlyFourTimes(b, combined(b, onTape, n), g, label,
            " on a caller-owned tape, call " + round);
        if (linear != null) {
          return linear;
        }
      }
    }
    PointResult pullbacks = checkPullbacks(b, args, plain, g, label);
    if (pullbacks != null) {
      return pullbacks;
    }
    Random rnd = new Random(Arrays.hashCode(flat(b, args)) * 31L + args.length);
    double[] before = new double[n];
    for (int k = 0; k < before.length; k++) {
      before[k] = -3 + 6 * rnd.nextDouble();
    }
    Object[] full = adjointArgs(b, args, SEED_FACTOR, before, false);
    double returned;
    try {
      returned = ((Number) call(b.adjoint, full)).doubleValue();
    } catch (Threw t) {
      return PointResult.failed(Kind.EXCEPTION,
          "exception:" + t.getCause().getClass().getSimpleName(),
          label + ": " + b.name + "Adjoint threw " + describe(t.getCause()));
    }
    double[] adj = combined(b, full, n);
    if (Double.doubleToLongBits(returned) != Double.doubleToLongBits(plain)) {
      return PointResult.failed(Kind.ADJOINT, "adjoint",
          label + ": " + b.name + "Adjoint returned " + returned + " but the plain call " + plain);
    }
    double gscale = 0;
    for (double v : g) {
      if (Double.isFinite(v)) {
        gscale = Math.max(gscale, SEED_FACTOR * Math.abs(v));
      }
    }
    // A value that is not finite (NaN where an overflow cancels) gives no scale: it would make
    // the tolerance NaN, and a point of it is skipped after this check anyway.
    double termScale = Double.isFinite(plain) ? Math.max(1, Math.abs(plain)) : 1;
    for (double a : flat(b, args)) {
      termScale = Math.max(termScale, Math.abs(a));
    }
    for (Object a : args) {
      if (a instanceof Integer i) {
        termScale = Math.max(termScale, Math.abs(i));
      }
    }
    termScale = Math.max(termScale, gscale / SEED_FACTOR);
    StringBuilder problems = new StringBuilder();
    for (int k = 0; k < adj.length; k++) {
      double want = SEED_FACTOR * g[k];
      double added = adj[k] - before[k];
      if (!Double.isFinite(want) && !Double.isFinite(adj[k])) {
        continue;
      }
      // 1e-12 of the gradient's scale, plus: a few ulps of the pre-filled value (the generated
      // code may add several contributions one by one), and the rounding of seed * term where
      // the sweep cancels (terms of the size of the inputs and the value: 2.5 * cos(x) - 2.5
      // loses the ulps of 2.5 * cos(x)).
      double tol = 1e-12 * (Math.abs(want) + gscale)
          + 8 * Math.ulp(Math.max(Math.abs(adj[k]), Math.abs(before[k])))
          + 8 * Math.ulp(SEED_FACTOR * termScale);
      if (!(Math.abs(added - want) <= tol)) {
        problems.append(String.format(Locale.ROOT,
            "\n    adjoints[%d]: added %s, expected 2.5 * %s = %s (tolerance %.1e)", k, added, g[k],
            want, tol));
      }
    }
    if (problems.length() > 0) {
      return PointResult.failed(Kind.ADJOINT, "adjoint",
          label + ": " + b.name + "Adjoint(..., 2.5, adjoints) did not add 2.5 x the gradient"
              + problems);
    }
    return null;
  }

  /**
   * Forward mode against reverse mode: {@code mJvp} along a random tangent must return the
   * plain value bit for bit and, as its tangent, the gradient dotted with the tangent (two
   * exact derivatives computed in different orders: equal to rounding).
   */
  private static PointResult checkJvp(Bound b, Object[] args, double plain, double[] g,
      String label) {
    Random rnd = new Random(Arrays.hashCode(flat(b, args)) * 17L + 5);
    double[] direction = new double[g.length];
    for (int k = 0; k < direction.length; k++) {
      direction[k] = -2 + 4 * rnd.nextDouble();
    }
    List<Object> call = new ArrayList<>(Arrays.asList(deepCopy(args)));
    Object[] tangents = withFlat(b, args, direction);
    for (int k : b.active) {
      call.add(tangents[k]);
    }
    Object record;
    try {
      record = call(b.jvp, call.toArray());
    } catch (Threw t) {
      return PointResult.failed(Kind.EXCEPTION,
          "exception:" + t.getCause().getClass().getSimpleName(),
          label + ": " + b.name + "Jvp threw " + describe(t.getCause()));
    }
    double value;
    double tangent;
    try {
      value = ((Number) record.getClass().getMethod("value").invoke(record)).doubleValue();
      tangent = ((Number) record.getClass().getMethod("tangent").invoke(record)).doubleValue();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    if (Double.doubleToLongBits(value) != Double.doubleToLongBits(plain)) {
      return PointResult.failed(Kind.TANGENT, "tangent:value", label + ": " + b.name
          + "Jvp(...).value() = " + value + " but the plain call returns " + plain);
    }
    double want = 0;
    double scale = 0;
    for (int k = 0; k < g.length; k++) {
      want += g[k] * direction[k];
      scale += Math.abs(g[k] * direction[k]);
    }
    if (!Double.isFinite(scale) || !Double.isFinite(plain)) {
      return null;
    }
    double termScale = Math.max(1, Math.abs(plain));
    for (double a : flat(b, args)) {
      termScale = Math.max(termScale, Math.abs(a));
    }
    double tol = 1e-9 * scale + 1e-12 * termScale;
    if (!(Math.abs(tangent - want) <= tol)) {
      return PointResult.failed(Kind.TANGENT, "tangent", String.format(Locale.ROOT,
          "%s: %sJvp(...).tangent() = %s but the gradient dotted with the tangent %s is %s"
              + " (tolerance %.1e)", label, b.name, tangent, Arrays.toString(direction), want,
          tol));
    }
    return null;
  }

  /**
   * Second order: for random v and w, w . mHvp(x, v) against the derivative along v of
   * w . gradient (the generated gradient, already checked against the oracle), by Ridders.
   * Where that derivative cannot be resolved (kinks of the gradient) nothing is claimed.
   */
  private static PointResult checkHvp(Bound b, Object[] args, double[] x, double[] h,
      String label) {
    Random rnd = new Random(Arrays.hashCode(x) * 13L + 7);
    double[] v = new double[x.length];
    double[] w = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      v[k] = -1 + 2 * rnd.nextDouble();
      w[k] = -1 + 2 * rnd.nextDouble();
    }
    List<Object> call = new ArrayList<>(Arrays.asList(deepCopy(args)));
    Object[] directions = withFlat(b, args, v);
    for (int k : b.active) {
      call.add(directions[k]);
    }
    double[] hv;
    try {
      hv = (double[]) call(b.hvp, call.toArray());
    } catch (Threw t) {
      return PointResult.failed(Kind.EXCEPTION,
          "exception:" + t.getCause().getClass().getSimpleName(),
          label + ": " + b.name + "Hvp threw " + describe(t.getCause()));
    }
    double actual = 0;
    double scale = 0;
    for (int k = 0; k < x.length; k++) {
      actual += w[k] * hv[k];
      scale += Math.abs(w[k] * hv[k]);
    }
    double step = Double.MAX_VALUE;
    for (double hk : h) {
      step = Math.min(step, hk);
    }
    ToDoubleFunction<double[]> slope = t -> {
      double[] xs = x.clone();
      for (int k = 0; k < xs.length; k++) {
        xs[k] += t[0] * v[k];
      }
      try {
        Object record = call(b.grad, withFlat(b, args, xs));
        double sum = 0;
        int at = 0;
        for (int k = 0; k < b.active.length; k++) {
          Object c = b.components[k + 1].invoke(record);
          if (c instanceof double[] d) {
            for (double e : d) {
              sum += w[at++] * e;
            }
          } else {
            sum += w[at++] * ((Number) c).doubleValue();
          }
        }
        return sum;
      } catch (Threw | ReflectiveOperationException e) {
        return Double.NaN;
      }
    };
    FdOracle.Estimate oracle = FdOracle.partial(slope, new double[] {0}, 0, step);
    double e = oracle.value();
    double slack = 50 * oracle.error() + 30 * oracle.roundoff();
    if (!Double.isFinite(e) || !Double.isFinite(scale)
        || !(slack <= 1e-3 * (Math.abs(e) + scale) + 1e-8)) {
      return null;
    }
    double tol = 1e-6 * (Math.abs(e) + scale) + slack + 1e-10;
    if (!(Math.abs(actual - e) <= tol)) {
      return PointResult.failed(Kind.HESSIAN, "hessian", String.format(Locale.ROOT,
          "%s: w . %sHvp(x, v) = %s but the derivative of w . gradient along v is %s (oracle"
              + " %s, tolerance %.1e); v = %s, w = %s", label, b.name, actual, e, oracle, tol,
          Arrays.toString(v), Arrays.toString(w)));
    }
    return null;
  }

  // --------------------------------------------------------------------------- the watchdog

  /** Runs tasks on a worker thread, abandoning (and stopping) one that runs too long. */
  static final class Watchdog implements AutoCloseable {
    private ExecutorService executor;
    private volatile Thread worker;

    Watchdog() {
      start();
    }

    private void start() {
      executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "adjoint-fuzz-worker");
        t.setDaemon(true);
        worker = t;
        return t;
      });
    }

    /** The task's result, or null when it timed out. */
    <V> V run(java.util.concurrent.Callable<V> task, long seconds) {
      Future<V> future = executor.submit(task);
      try {
        return future.get(seconds, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        future.cancel(true);
        Thread t = worker;
        executor.shutdownNow();
        stop(t);
        start();
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread t) {
      if (t == null) {
        return;
      }
      try {
        t.stop();
      } catch (UnsupportedOperationException | SecurityException e) {
        // Left running (it is a daemon); the run goes on with a fresh worker.
      }
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }

  // ---------------------------------------------------------------------------------- a run

  private final Config config;
  private final Summary summary = new Summary();

  private FuzzChecker(Config config) {
    this.config = config;
  }

  /** Generates, compiles and checks {@code config.programs} programs; shrinks failures. */
  static Summary run(Config config) {
    return new FuzzChecker(config).runAll();
  }

  private Summary runAll() {
    long start = System.nanoTime();
    int perRun = config.methodsPerClass * config.classesPerRun;
    int classIndex = 0;
    List<java.util.concurrent.Callable<Summary>> batches = new ArrayList<>();
    for (int first = 0; first < config.programs; first += perRun) {
      List<Ast.ClassUnit> units = new ArrayList<>();
      Map<String, Integer> firstProgram = new LinkedHashMap<>();
      int programs = 0;
      for (int c = 0; c < config.classesPerRun; c++) {
        int from = first + c * config.methodsPerClass;
        int count = Math.min(config.methodsPerClass, config.programs - from);
        if (count <= 0) {
          break;
        }
        String name = "Gen" + classIndex;
        units.add(ProgramGenerator.generateClass(config.seed, classIndex, from, count, name));
        firstProgram.put(name, from);
        classIndex++;
        programs += count;
      }
      int batchPrograms = programs;
      batches.add(() -> {
        Summary part = new Summary();
        part.programs = batchPrograms;
        try (Watchdog w = new Watchdog()) {
          runBatch(units, firstProgram, part, w);
        }
        return part;
      });
    }
    // Batches are independent: run them on the available cores, merge in order.
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, config.threads));
    try {
      List<Future<Summary>> parts = new ArrayList<>();
      for (java.util.concurrent.Callable<Summary> b : batches) {
        parts.add(pool.submit(b));
      }
      for (Future<Summary> part : parts) {
        summary.add(part.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a batch failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    summary.seconds = (System.nanoTime() - start) / 1e9;
    summary.threads = Math.max(1, config.threads);
    if (config.shrink) {
      shrinkAndSave();
    }
    return summary;
  }

  private long seedOf(Map<String, Integer> firstProgram, String unit, String method) {
    Integer first = firstProgram.get(unit);
    int index = first == null ? 0 : first + Integer.parseInt(method.substring(1));
    return ProgramGenerator.programSeed(config.seed, index);
  }

  private void runBatch(List<Ast.ClassUnit> units, Map<String, Integer> firstProgram,
      Summary s, Watchdog w) {
    List<Unit> pending = new ArrayList<>();
    Map<String, Ast.ClassUnit> originals = new LinkedHashMap<>();
    for (Ast.ClassUnit u : units) {
      pending.add(Unit.of(u));
      originals.put(u.name(), u);
    }
    while (!pending.isEmpty()) {
      long t0 = System.nanoTime();
      BatchCompiler.Result result = compileGuarded(pending, w, config.compileTimeoutSeconds);
      s.compileSeconds += (System.nanoTime() - t0) / 1e9;
      s.javacRuns += result.javacRuns();
      for (Loaded loaded : result.loaded()) {
        checkUnit(loaded, originals.get(loaded.unit().name()), firstProgram, s, w);
      }
      List<Unit> next = new ArrayList<>();
      for (Failed failed : result.failed()) {
        Ast.ClassUnit ast = failed.unit().ast();
        Ast.ClassUnit original = originals.get(ast.name());
        Set<String> bad = new LinkedHashSet<>();
        for (Diag d : failed.diagnostics()) {
          if (!d.isError()) {
            continue;
          }
          Kind kind;
          String signature;
          if (HANG_CODE.equals(d.code())) {
            kind = Kind.HANG;
            signature = "hang:javac";
          } else if (d.place() == Place.GENERATED) {
            kind = Kind.COMPILE_ERROR;
            signature = "compile-error:" + d.code();
          } else if (d.place() == Place.SOURCE && d.adjId() != null) {
            kind = Kind.PROCESSOR_ERROR;
            signature = processorSignature(d);
          } else {
            kind = Kind.INVALID_PROGRAM;
            signature = "invalid-program:" + d.code();
          }
          String method = d.method();
          if (method == null || ast.method(method) == null) {
            // Not attributable to a method: the whole unit is lost.
            record(s, new Failure(kind, signature, original, null, null, d.toString(), 0));
            bad.addAll(ast.methods().stream().map(Ast.Method::name).toList());
            continue;
          }
          if (bad.add(method)) {
            record(s, new Failure(kind, signature, original, method, null, d.toString(),
                seedOf(firstProgram, ast.name(), method)));
          }
        }
        if (bad.isEmpty()) {
          // Errors without error diagnostics? Treat the unit as lost.
          record(s, new Failure(Kind.INVALID_PROGRAM, "invalid-program:unattributed", original,
              null, null, failed.diagnostics().toString(), 0));
          continue;
        }
        Ast.ClassUnit rest = removeWithCallers(ast, bad);
        s.dropped += ast.methods().size() - rest.methods().size() - bad.size();
        if (!rest.methods().isEmpty()) {
          next.add(Unit.of(rest));
        }
      }
      pending = next;
    }
  }

  /** The code of the synthetic diagnostic for a javac run that did not finish. */
  static final String HANG_CODE = "adjoint.fuzz.javac-hang";

  /**
   * Compiles under a time limit. When javac (that is, the processor) does not finish, each unit
   * is compiled alone, and in a unit that still does not finish each method with its callees,
   * so that the hang is reported on the methods that cause it (as an error diagnostic with code
   * {@link #HANG_CODE}).
   */
  static BatchCompiler.Result compileGuarded(List<Unit> units, Watchdog w, long seconds) {
    BatchCompiler.Result all = w.run(() -> BatchCompiler.compile(units), seconds);
    if (all != null) {
      return all;
    }
    List<Loaded> loaded = new ArrayList<>();
    List<Failed> failed = new ArrayList<>();
    int runs = 1;
    for (Unit u : units) {
      BatchCompiler.Result one = w.run(() -> BatchCompiler.compile(List.of(u)), seconds);
      runs++;
      if (one != null) {
        loaded.addAll(one.loaded());
        failed.addAll(one.failed());
        runs += one.javacRuns() - 1;
        continue;
      }
      List<Diag> hangs = new ArrayList<>();
      if (u.ast() != null) {
        Set<String> hung = new LinkedHashSet<>();
        for (Ast.Method m : u.ast().methods()) {
          Ast.ClassUnit c = closure(u.ast(), m.name());
          if (c.methods().stream().anyMatch(x -> hung.contains(x.name()))) {
            continue; // a caller of a method that hangs: dropped with it
          }
          Unit alone = Unit.of(c.withName(u.name() + "Hang"));
          runs++;
          if (w.run(() -> BatchCompiler.compile(List.of(alone)), Math.min(seconds, 60)) == null) {
            hung.add(m.name());
            hangs.add(new Diag(javax.tools.Diagnostic.Kind.ERROR, Place.SOURCE, u.name(),
                m.name(), 0, HANG_CODE, "javac (with the processor) did not finish in "
                    + Math.min(seconds, 60) + " s on this method and its callees", null));
          }
        }
      }
      if (hangs.isEmpty()) {
        hangs.add(new Diag(javax.tools.Diagnostic.Kind.ERROR, Place.UNKNOWN, u.name(), null, 0,
            HANG_CODE, "javac (with the processor) did not finish in " + seconds + " s", null));
      }
      failed.add(new Failed(u, hangs, null));
    }
    return new BatchCompiler.Result(loaded, failed, runs);
  }

  static String processorSignature(Diag d) {
    String id = d.adjId();
    if ("ADJ002".equals(id)) {
      // The internal error: keep the exception's class and message.
      String m = d.message();
      int open = m.indexOf('(');
      int close = m.indexOf(')', open + 1);
      String inner = open >= 0 && close > open ? m.substring(open + 1, close) : m;
      return "processor-error:ADJ002:" + inner;
    }
    return "processor-error:" + id;
  }

  /** The unit without the given methods and every method that calls them, transitively. */
  static Ast.ClassUnit removeWithCallers(Ast.ClassUnit unit, Set<String> bad) {
    Set<String> removed = new LinkedHashSet<>(bad);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Ast.Method m : unit.methods()) {
        if (!removed.contains(m.name())) {
          for (String callee : Ast.callees(m.body())) {
            if (removed.contains(callee)) {
              removed.add(m.name());
              changed = true;
              break;
            }
          }
        }
      }
    }
    return unit.withMethods(
        unit.methods().stream().filter(m -> !removed.contains(m.name())).toList());
  }

  /** The method and the methods it calls, transitively, in the unit's order. */
  static Ast.ClassUnit closure(Ast.ClassUnit unit, String method) {
    Set<String> keep = new LinkedHashSet<>();
    List<String> work = new ArrayList<>(List.of(method));
    while (!work.isEmpty()) {
      String m = work.remove(work.size() - 1);
      if (keep.add(m)) {
        Ast.Method am = unit.method(m);
        if (am != null) {
          work.addAll(Ast.callees(am.body()));
        }
      }
    }
    return unit.withMethods(
        unit.methods().stream().filter(m -> keep.contains(m.name())).toList());
  }

  private static void record(Summary s, Failure f) {
    s.failures.add(f);
    s.failuresByKind.merge(f.kind().id, 1, Integer::sum);
  }

  private void checkUnit(Loaded loaded, Ast.ClassUnit original,
      Map<String, Integer> firstProgram, Summary s, Watchdog w) {
    Ast.ClassUnit ast = loaded.unit().ast();
    String diffSource = loaded.generatedSource();
    if (diffSource != null && Pattern.compile("\\w+Part1\\(").matcher(diffSource).find()) {
      s.split++;
    }
    Set<String> warned = new LinkedHashSet<>();
    for (Diag warning : loaded.warnings()) {
      String id = warning.adjId();
      if (id != null && !EXPECTED_WARNINGS.contains(id) && warning.method() != null
          && warned.add(warning.method())) {
        record(s, new Failure(Kind.UNEXPECTED_DIAGNOSTIC, "unexpected-diagnostic:" + id,
            original, warning.method(), null, warning.toString(),
            seedOf(firstProgram, ast.name(), warning.method())));
      }
    }
    for (Ast.Method m : ast.methods()) {
      if (m.helper() || m.plain()) {
        continue; // a void or plain helper has no mGrad: it is checked through its callers
      }
      long seed = seedOf(firstProgram, ast.name(), m.name());
      boolean floatRounding = usesFloatRounding(ast, m.name());
      Bound b;
      try {
        b = new Bound(loaded, m.name(), floatRounding);
      } catch (ReflectiveOperationException | RuntimeException e) {
        record(s, new Failure(Kind.COMPILE_ERROR, "compile-error:api-shape", original, m.name(),
            null, "the generated API does not have the contracted shape: " + e, seed));
        continue;
      }
      s.compiled++;
      Random rnd = new Random(seed ^ 0x5DEECE66DL);
      List<Object[]> points = new ArrayList<>();
      for (int i = 0; i < config.points; i++) {
        points.add(b.alignRecordArrays(randomPoint(b.types, rnd)));
      }
      String[] phase = new String[1];
      int[] current = new int[1];
      PointResult[] partial = new PointResult[points.size()];
      PointResult[] results = w.run(() -> {
        for (int i = 0; i < partial.length; i++) {
          current[0] = i;
          partial[i] = checkPoint(b, points.get(i), phase);
        }
        return partial;
      }, config.programTimeoutSeconds);
      if (results == null) {
        // Blame the generated code only if it was running; a slow plain method is skipped.
        results = partial.clone();
        int at = current[0];
        boolean generated = "grad".equals(phase[0]) || "adjoint".equals(phase[0]);
        for (int i = at; i < results.length; i++) {
          results[i] = i == at && generated
              ? PointResult.failed(Kind.HANG, "hang", b.label(points.get(i)) + ": "
                  + b.name + ("grad".equals(phase[0]) ? "Grad" : "Adjoint")
                  + " gave no result after " + config.programTimeoutSeconds + " s")
              : PointResult.skipped(Skip.SLOW, "timed out in " + phase[0]);
        }
      }
      boolean anyChecked = false;
      boolean failed = false;
      for (int i = 0; i < results.length; i++) {
        PointResult r = results[i];
        s.points++;
        if (r.checked()) {
          s.checked++;
          anyChecked = true;
        } else if (r.skip() != null) {
          s.skipped.merge(r.skip(), 1, Integer::sum);
          s.skipCategories.merge(r.category(), 1, Integer::sum);
        } else if (!failed) {
          failed = true;
          record(s, new Failure(r.kind(), r.signature(), original, m.name(), points.get(i),
              r.detail(), seed));
        }
      }
      if (anyChecked) {
        for (String c : ProgramGenerator.constructs(m)) {
          s.constructs.merge(c, 1, Integer::sum);
        }
      }
    }
  }

  /** Whether the method or anything it calls rounds through float. */
  static boolean usesFloatRounding(Ast.ClassUnit unit, String method) {
    boolean[] found = {false};
    for (Ast.Method m : closure(unit, method).methods()) {
      Ast.forEachExpr(m.body(), e -> found[0] |= e instanceof Ast.FloatRound);
    }
    return found[0];
  }

  // ------------------------------------------------------------------------------ shrinking

  private void shrinkAndSave() {
    Map<String, Integer> perSignature = new LinkedHashMap<>();
    Set<String> written = new LinkedHashSet<>();
    int shrunk = 0;
    for (Failure f : summary.failures) {
      if (shrunk >= config.maxShrinks) {
        break;
      }
      if (f.method() == null || f.unit() == null) {
        config.log.println("FUZZ: not shrinking an unattributed failure: " + f.detail());
        continue;
      }
      int n = perSignature.merge(f.signature(), 1, Integer::sum);
      if (n > config.maxShrinksPerSignature) {
        continue;
      }
      shrunk++;
      long deadline = System.nanoTime() + config.shrinkSeconds * 1_000_000_000L;
      Failure minimal;
      try (Watchdog w = new Watchdog()) {
        minimal = w.run(() -> new Shrinker(f, deadline).shrink(), config.shrinkSeconds + 120);
      }
      if (minimal == null) {
        minimal = f.withUnit(closure(f.unit(), f.method()), f.method(), f.point());
      }
      String text = Regressions.format(minimal, config.seed,
          Regressions.className(Regressions.stem(minimal, 1)));
      if (!written.add(Regressions.body(text))) {
        continue;
      }
      config.log.println("FUZZ REPRODUCER (" + minimal.kind().id + ", signature "
          + minimal.signature() + "):\n" + text);
      if (config.regressionDir != null) {
        summary.reproducers.add(
            Regressions.write(config.regressionDir, minimal, config.seed).toString());
      }
    }
  }

  // ----------------------------------------------------------- checking a single target

  /**
   * Compiles the given units and checks one method of each at the given points: what the
   * shrinker and the regression test use. Returns, per unit name, the first failure (null: the
   * method passed or its points were skipped) and the number of checked points. {@code
   * timeoutSeconds} limits the checks of one unit; javac gets three times as long.
   */
  static Map<String, Verdict> verify(List<Unit> units, Map<String, String> targets,
      Map<String, List<Object[]>> points, Watchdog watchdog, long timeoutSeconds) {
    Map<String, Verdict> out = new LinkedHashMap<>();
    BatchCompiler.Result result = compileGuarded(units, watchdog, 3 * timeoutSeconds);
    for (Failed failed : result.failed()) {
      Diag first = null;
      Kind kind = Kind.INVALID_PROGRAM;
      String signature = "invalid-program";
      List<String> signatures = new ArrayList<>();
      for (Diag d : failed.diagnostics()) {
        if (!d.isError()) {
          continue;
        }
        String sig;
        Kind k;
        if (HANG_CODE.equals(d.code())) {
          k = Kind.HANG;
          sig = "hang:javac";
        } else if (d.place() == Place.GENERATED) {
          k = Kind.COMPILE_ERROR;
          sig = "compile-error:" + d.code();
        } else if (d.place() == Place.SOURCE && d.adjId() != null) {
          k = Kind.PROCESSOR_ERROR;
          sig = processorSignature(d);
        } else {
          k = Kind.INVALID_PROGRAM;
          sig = "invalid-program:" + d.code();
        }
        signatures.add(sig);
        if (first == null) {
          first = d;
          kind = k;
          signature = sig;
        }
      }
      String name = failed.unit().name();
      out.put(name, new Verdict(kind, signature, signatures, first == null ? null : first.method(),
          null, failed.diagnostics().toString(), 0, failed.generatedSource()));
    }
    for (Loaded loaded : result.loaded()) {
      String name = loaded.unit().name();
      String target = targets.get(name);
      List<String> warnings = new ArrayList<>();
      for (Diag w : loaded.warnings()) {
        if (w.adjId() != null && !EXPECTED_WARNINGS.contains(w.adjId())) {
          warnings.add("unexpected-diagnostic:" + w.adjId());
        }
      }
      if (!warnings.isEmpty()) {
        out.put(name, new Verdict(Kind.UNEXPECTED_DIAGNOSTIC, warnings.get(0), warnings, target,
            null, loaded.warnings().toString(), 0, loaded.generatedSource()));
        continue;
      }
      Bound b;
      try {
        boolean floatRounding = loaded.unit().ast() != null
            ? usesFloatRounding(loaded.unit().ast(), target)
            : loaded.unit().source().source().contains("(float)");
        b = new Bound(loaded, target, floatRounding);
      } catch (ReflectiveOperationException | RuntimeException e) {
        out.put(name, new Verdict(Kind.COMPILE_ERROR, "compile-error:api-shape",
            List.of("compile-error:api-shape"), target, null, e.toString(), 0,
            loaded.generatedSource()));
        continue;
      }
      List<Object[]> ps = points.get(name);
      String[] phase = new String[1];
      Verdict v = watchdog.run(() -> {
        int checked = 0;
        for (Object[] p : ps) {
          PointResult r = checkPoint(b, p, phase);
          if (r.checked()) {
            checked++;
          } else if (r.kind() != null) {
            return new Verdict(r.kind(), r.signature(), List.of(r.signature()), target, p,
                r.detail(), checked, loaded.generatedSource());
          }
        }
        return new Verdict(null, null, List.of(), target, null, null, checked,
            loaded.generatedSource());
      }, timeoutSeconds);
      if (v == null) {
        boolean generated = "grad".equals(phase[0]) || "adjoint".equals(phase[0]);
        v = generated
            ? new Verdict(Kind.HANG, "hang", List.of("hang"), target, ps.get(0),
                "generated code gave no result after " + timeoutSeconds + " s", 0,
                loaded.generatedSource())
            : new Verdict(null, null, List.of(), target, null, "timed out in " + phase[0], 0,
                loaded.generatedSource());
      }
      out.put(name, v);
    }
    return out;
  }

  /**
   * Compiles a generated class, dropping methods that fail to compile (and their callers) until
   * the rest compiles. Returns the loaded classes (null if nothing compiled) and the diagnostics
   * of what was dropped.
   */
  static Compiled compileDroppingFailures(Ast.ClassUnit unit) {
    Ast.ClassUnit current = unit;
    List<Diag> dropped = new ArrayList<>();
    while (!current.methods().isEmpty()) {
      BatchCompiler.Result r = BatchCompiler.compile(List.of(Unit.of(current)));
      if (!r.loaded().isEmpty()) {
        return new Compiled(r.loaded().get(0), dropped);
      }
      Set<String> bad = new LinkedHashSet<>();
      for (Diag d : r.failed().get(0).diagnostics()) {
        if (d.isError()) {
          dropped.add(d);
          if (d.method() != null) {
            bad.add(d.method());
          }
        }
      }
      if (bad.isEmpty()) {
        return new Compiled(null, dropped);
      }
      current = removeWithCallers(current, bad);
    }
    return new Compiled(null, dropped);
  }

  /** A compiled class and the errors of the methods left out. */
  record Compiled(Loaded loaded, List<Diag> dropped) {}

  /** What {@link #verify} found for one unit. */
  record Verdict(Kind kind, String signature, List<String> allSignatures, String method,
      Object[] point, String detail, int checked, String generatedSource) {
    boolean passed() {
      return kind == null;
    }
  }
}
