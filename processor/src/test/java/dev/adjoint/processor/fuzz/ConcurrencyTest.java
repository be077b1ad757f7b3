package dev.adjoint.processor.fuzz;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.fuzz.BatchCompiler.Loaded;
import dev.adjoint.processor.fuzz.BatchCompiler.Unit;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Generated derivatives share no mutable state: 8 threads making 100 000 calls each (mGrad and
 * mAdjoint, on methods with loops, branches recorded on the tape, and calls of other
 * differentiable methods) get results bit-identical to single-threaded calls.
 */
class ConcurrencyTest {
  static final int THREADS = 8;
  static final int CALLS_PER_THREAD = 100_000;

  static final String SOURCE =
      """
      package fz;

      import dev.adjoint.Differentiable;

      public class Concurrent {
        @Differentiable
        public static double poly(double x, double y) {
          return x * x * y + Math.sin(y) / (1.5 + x * x);
        }

        @Differentiable
        public static double loops(double x, double y, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s = 0.5 * s + Math.sin(x * i + y);
            if (s > 0.3) {
              s -= 0.1 * x;
            }
          }
          int k = 0;
          while (s < 2 && k < 10) {
            k++;
            s += 0.3 * Math.cos(y * k) + 0.2;
            if (s > x) {
              s = s * 0.9;
            }
          }
          return s * x;
        }

        @Differentiable
        public static double calls(double x, double y, int n) {
          double a = poly(x, y);
          double b = loops(a, x, n);
          for (int i = 0; i < n; i++) {
            b += poly(b * 0.1, y) * 0.01;
            if (b > 3) {
              break;
            }
          }
          return a + b;
        }

        @Differentiable
        public static double recursive(double x, int n) {
          if (n <= 0) {
            return Math.tanh(x);
          }
          double r = recursive(x * 0.9 + 0.1, n - 1);
          return r * x + Math.atan(r);
        }
      }
      """;

  /** One call: a method at a point, with its single-threaded results. */
  private record Task(String label, MethodHandle grad, MethodHandle adjoint, Method[] components,
      Object[] args, long[] expected, long[] expectedAdjoint) {}

  private static long[] gradBits(MethodHandle grad, Method[] components, Object[] args)
      throws Throwable {
    Object record = grad.invokeWithArguments(args);
    long[] out = new long[components.length];
    for (int i = 0; i < components.length; i++) {
      out[i] = Double.doubleToRawLongBits(((Number) components[i].invoke(record)).doubleValue());
    }
    return out;
  }

  private static long[] adjointBits(MethodHandle adjoint, int partials, Object[] args)
      throws Throwable {
    double[] adj = new double[partials];
    Arrays.fill(adj, 0.25);
    Object[] full = Arrays.copyOf(args, args.length + 2);
    full[args.length] = 1.75;
    full[args.length + 1] = adj;
    double value = ((Number) adjoint.invokeWithArguments(full)).doubleValue();
    long[] out = new long[partials + 1];
    out[0] = Double.doubleToRawLongBits(value);
    for (int i = 0; i < partials; i++) {
      out[i + 1] = Double.doubleToRawLongBits(adj[i]);
    }
    return out;
  }

  private static void addTasks(List<Task> tasks, Loaded loaded, List<String> methods,
      Random rnd) throws Throwable {
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    for (String name : methods) {
      Method plain = null;
      for (Method m : loaded.main().getDeclaredMethods()) {
        if (m.getName().equals(name)) {
          plain = m;
        }
      }
      Class<?>[] types = plain.getParameterTypes();
      Method gradMethod = loaded.diff().getMethod(name + "Grad", types);
      Class<?>[] adjointTypes = Arrays.copyOf(types, types.length + 2);
      adjointTypes[types.length] = double.class;
      adjointTypes[types.length + 1] = double[].class;
      Method adjointMethod = loaded.diff().getMethod(name + "Adjoint", adjointTypes);
      MethodHandle grad = lookup.unreflect(gradMethod);
      MethodHandle adjoint = lookup.unreflect(adjointMethod);
      RecordComponent[] rc = gradMethod.getReturnType().getRecordComponents();
      Method[] components = new Method[rc.length];
      for (int i = 0; i < rc.length; i++) {
        components[i] = rc[i].getAccessor();
        components[i].setAccessible(true);
      }
      for (int p = 0; p < 4; p++) {
        Object[] args = FuzzChecker.randomPoint(types, rnd);
        long[] expected = gradBits(grad, components, args);
        long[] expectedAdjoint = adjointBits(adjoint, components.length - 1, args);
        tasks.add(new Task(name + Arrays.toString(args), grad, adjoint, components, args,
            expected, expectedAdjoint));
      }
    }
  }

  @Test
  void manyThreadsGetTheSingleThreadedResults() throws Throwable {
    List<Task> tasks = new ArrayList<>();
    Random rnd = new Random(7);
    BatchCompiler.Result handwritten = BatchCompiler.compile(List.of(Unit.raw("fz", "Concurrent",
        SOURCE, "package fz;\npublic final class ConcurrentTwin {}\n")));
    assertWithMessage("compiling the handwritten class: %s", handwritten.failed())
        .that(handwritten.failed()).isEmpty();
    addTasks(tasks, handwritten.loaded().get(0), List.of("poly", "loops", "calls", "recursive"),
        rnd);
    // A few generated programs with loops (and calls, where they compile).
    Ast.ClassUnit generated = ProgramGenerator.generateClass(42, 0, 0, 40, "Conc0");
    FuzzChecker.Compiled compiled = FuzzChecker.compileDroppingFailures(generated);
    List<String> chosen = new ArrayList<>();
    if (compiled.loaded() != null) {
      for (Ast.Method m : compiled.loaded().unit().ast().methods()) {
        var constructs = ProgramGenerator.constructs(m);
        boolean loops =
            constructs.stream().anyMatch(c -> c.startsWith("for") || c.contains("while"));
        // Scalar methods only (array programs and the void helper have another API shape).
        boolean scalar = !m.helper() && !m.plain() && !m.recordParams() && m.params().stream()
            .allMatch(p -> p.type() == Ast.T.DOUBLE || p.type() == Ast.T.INT);
        if (loops && scalar && chosen.size() < 6) {
          chosen.add(m.name());
        }
      }
      addTasks(tasks, compiled.loaded(), chosen, rnd);
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<String>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        final int offset = t * 7;
        Callable<String> work = () -> {
          try {
            return calls(tasks, offset);
          } catch (Throwable e) {
            return Thread.currentThread().getName() + " threw " + e;
          }
        };
        futures.add(pool.submit(work));
      }
      for (Future<String> f : futures) {
        String problem = f.get(300, TimeUnit.SECONDS);
        assertWithMessage("%s", problem).that(problem).isNull();
      }
    } finally {
      pool.shutdownNow();
    }
    assertWithMessage("tasks (generated methods chosen: %s)", chosen).that(tasks.size())
        .isAtLeast(16);
  }

  /** One thread's calls; null when every result matched. */
  private static String calls(List<Task> tasks, int offset) throws Throwable {
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
      Task task = tasks.get((i + offset) % tasks.size());
      if ((i & 1) == 0) {
        long[] got = gradBits(task.grad(), task.components(), task.args());
        if (!Arrays.equals(got, task.expected())) {
          return "mGrad " + task.label() + " on " + Thread.currentThread().getName() + ": "
              + Arrays.toString(got) + " vs " + Arrays.toString(task.expected());
        }
      } else {
        long[] got = adjointBits(task.adjoint(), task.components().length - 1, task.args());
        if (!Arrays.equals(got, task.expectedAdjoint())) {
          return "mAdjoint " + task.label() + " on " + Thread.currentThread().getName() + ": "
              + Arrays.toString(got) + " vs " + Arrays.toString(task.expectedAdjoint());
        }
      }
    }
    return null;
  }
}
