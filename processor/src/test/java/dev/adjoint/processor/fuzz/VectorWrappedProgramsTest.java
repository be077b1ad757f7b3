package dev.adjoint.processor.fuzz;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.fuzz.Ast.ClassUnit;
import dev.adjoint.processor.fuzz.Ast.Method;
import dev.adjoint.processor.fuzz.Ast.Param;
import dev.adjoint.processor.fuzz.Ast.T;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random programs through the vector reverse mode: for each generated method {@code f} whose
 * only {@code return} ends its body, the class also gets {@code fVec}, the same body ending with
 * {@code double[] out = {v, v * v}; return out;} where {@code v} is {@code f}'s result. Its
 * {@code mJacobian} runs one reverse sweep carrying both rows (the result's length is fixed), so
 * every construct of the generator goes through {@code VectorLanes}; row 0 must be {@code f}'s
 * gradient and row 1 {@code 2 v} times it, the gradient being the one {@link RandomProgramTest}
 * checks against the oracle.
 *
 * <p>{@code -Dadjoint.fuzz.vectorPrograms=N} sets the number of programs (default 80).
 */
class VectorWrappedProgramsTest {

  @Test
  void vectorJacobiansAgreeWithGradients() throws ReflectiveOperationException {
    int programs = Integer.getInteger("adjoint.fuzz.vectorPrograms", 80);
    long seed = Long.getLong("adjoint.fuzz.seed", 20261203L);
    int perClass = 4;
    int compared = 0;
    int wrapped = 0;
    int vector = 0;
    for (int k = 0; k * perClass < programs; k++) {
      String name = "V" + k;
      ClassUnit unit = ProgramGenerator.generateClass(seed, k, k * perClass, perClass, name);
      String source = JavaWriter.print(unit, JavaWriter.Mode.DIFF).source();
      StringBuilder extra = new StringBuilder();
      List<Method> methods = new ArrayList<>();
      for (Method m : unit.methods()) {
        if (!m.helper() && !m.plain() && !m.recordParams() && !m.doubleParams().isEmpty()
            && returnsOnceAtTheEnd(m, name)) {
          String w = wrapper(m, name);
          if (w != null) {
            extra.append(w);
            methods.add(m);
          }
        }
      }
      int end = source.lastIndexOf('}');
      source = source.substring(0, end) + extra + "}\n";
      InProcessCompiler compiled = InProcessCompiler.compile(source);
      Class<?> diff = compiled.load(unit.pkg() + "." + name + "Diff");
      for (Method m : methods) {
        wrapped++;
        boolean hasVector = Arrays.stream(diff.getMethods())
            .anyMatch(x -> x.getName().equals(m.name() + "VecVjps"));
        vector += hasVector ? 1 : 0;
        Random rnd = new Random(seed ^ (k * 31L + m.name().hashCode()));
        for (int point = 0; point < 3; point++) {
          compared += check(diff, m, rnd, source) ? 1 : 0;
        }
      }
    }
    System.out.printf("VECTOR FORMS: %d programs, %d methods wrapped, %d with the vector sweep, "
        + "%d points compared%n", programs, wrapped, vector, compared);
    assertWithMessage("wrapped methods with the vector sweep").that(vector)
        .isGreaterThan(wrapped / 2);
    assertWithMessage("points compared").that(compared).isGreaterThan(wrapped);
  }

  /** Whether {@code m}'s only return is the last statement of its body (read off its text). */
  private static boolean returnsOnceAtTheEnd(Method m, String className) {
    String text = JavaWriter.methodText(m, className);
    int first = text.indexOf("return ");
    return !m.body().isEmpty() && m.body().get(m.body().size() - 1) instanceof Ast.Return
        && first >= 0 && first == text.lastIndexOf("return ");
  }

  /** {@code mVec}: {@code m}'s text, returning {@code {v, v * v}}; null if not recognised. */
  private static String wrapper(Method m, String className) {
    String text = JavaWriter.methodText(m, className);
    String sig = "public static double " + m.name() + "(";
    int last = text.lastIndexOf("return ");
    if (!text.contains(sig) || last < 0) {
      return null;
    }
    int semicolon = text.indexOf(";\n", last);
    String value = text.substring(last + "return ".length(), semicolon);
    String ending = "double vecValue = " + value + ";\n"
        + "    double[] vecOut = {vecValue, vecValue * vecValue};\n    return vecOut;";
    return text.substring(0, last).replace("@Differentiable(order = 2)", "@Differentiable")
        .replace(sig, "public static double[] " + m.name() + "Vec(")
        + ending + text.substring(semicolon + 1) + "\n";
  }

  /** One random point: both throw, or row 0 is the gradient and row 1 is 2 v times it. */
  private static boolean check(Class<?> diff, Method m, Random rnd, String source)
      throws ReflectiveOperationException {
    List<Class<?>> types = new ArrayList<>();
    for (Param p : m.params()) {
      types.add(javaType(p.type()));
    }
    Class<?>[] t = types.toArray(new Class<?>[0]);
    Object[] point = FuzzChecker.randomPoint(t, rnd);
    Object grad;
    try {
      grad = diff.getMethod(m.name() + "Grad", t).invoke(null, copy(point));
    } catch (InvocationTargetException e) {
      try {
        diff.getMethod(m.name() + "VecJacobian", t).invoke(null, copy(point));
      } catch (InvocationTargetException expected) {
        return false;
      }
      throw new AssertionError(m.name() + ": the gradient threw, the Jacobian did not\n"
          + source);
    }
    double[][] j = (double[][]) diff.getMethod(m.name() + "VecJacobian", t)
        .invoke(null, copy(point));
    double v = (double) component(grad, "value");
    if (!Double.isFinite(v)) {
      return false;
    }
    List<Double> flat = new ArrayList<>();
    for (RecordComponent rc : grad.getClass().getRecordComponents()) {
      if (rc.getName().equals("value")) {
        continue;
      }
      Object c = component(grad, rc.getName());
      if (c instanceof double[] a) {
        Arrays.stream(a).forEach(flat::add);
      } else {
        flat.add((Double) c);
      }
    }
    String where = m.name() + " at " + Arrays.deepToString(point);
    assertWithMessage("%s: rows\n%s", where, source).that(j.length).isEqualTo(2);
    assertWithMessage("%s: columns\n%s", where, source).that(j[0].length)
        .isEqualTo(flat.size());
    for (int c = 0; c < flat.size(); c++) {
      double g = flat.get(c);
      if (!Double.isFinite(g)) {
        continue;
      }
      assertWithMessage("%s: row 0, column %s\n%s", where, c, source).that(j[0][c])
          .isWithin(1e-12 * (1 + Math.abs(g))).of(g);
      double g1 = 2 * v * g;
      assertWithMessage("%s: row 1, column %s\n%s", where, c, source).that(j[1][c])
          .isWithin(1e-12 * (1 + Math.abs(g1))).of(g1);
    }
    return true;
  }

  private static Object[] copy(Object[] point) {
    Object[] out = point.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof double[] a) {
        out[i] = a.clone();
      } else if (out[i] instanceof int[] a) {
        out[i] = a.clone();
      } else if (out[i] instanceof boolean[] a) {
        out[i] = a.clone();
      }
    }
    return out;
  }

  private static Class<?> javaType(T t) {
    return switch (t) {
      case DOUBLE -> double.class;
      case INT -> int.class;
      case LONG -> long.class;
      case BOOLEAN -> boolean.class;
      case DARR -> double[].class;
      case IARR -> int[].class;
    };
  }

  private static Object component(Object record, String name)
      throws ReflectiveOperationException {
    for (RecordComponent rc : record.getClass().getRecordComponents()) {
      if (rc.getName().equals(name)) {
        var accessor = rc.getAccessor();
        accessor.setAccessible(true);
        return accessor.invoke(record);
      }
    }
    throw new AssertionError(record.getClass() + " has no " + name);
  }
}
