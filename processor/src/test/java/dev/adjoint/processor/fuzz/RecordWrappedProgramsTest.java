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
 * Random programs with their {@code double} parameters packed in a record: for each generated
 * method {@code f(double x, int n, double y)} the class also gets {@code record FArgs(double x,
 * double y)} and {@code fRec(FArgs args, int n)}, whose body copies the components into locals
 * ({@code double x = args.x();}) and is then {@code f}'s own. The record form must give the
 * value, the gradient (its {@code dArgs()} a record) and forward mode ({@code mJvp} with a
 * tangent record) of the flat form, which {@link RandomProgramTest} checks against the oracle.
 * The record also gets {@code fSelf(int n)}, the same body as an instance method reading the
 * fields ({@code double x = this.x;}), whose gradient's {@code dThis()} must equal
 * {@code dArgs()}.
 *
 * <p>{@code -Dadjoint.fuzz.recordPrograms=N} sets the number of programs (default 80).
 */
class RecordWrappedProgramsTest {

  @Test
  void recordFormsAgreeWithFlatForms() throws ReflectiveOperationException {
    int programs = Integer.getInteger("adjoint.fuzz.recordPrograms", 80);
    long seed = Long.getLong("adjoint.fuzz.seed", 20261203L);
    int perClass = 4;
    int checked = 0;
    int wrapped = 0;
    for (int k = 0; k * perClass < programs; k++) {
      String name = "W" + k;
      ClassUnit unit = ProgramGenerator.generateClass(seed, k, k * perClass, perClass, name);
      String source = JavaWriter.print(unit, JavaWriter.Mode.DIFF).source();
      StringBuilder extra = new StringBuilder();
      List<Method> methods = new ArrayList<>();
      for (Method m : unit.methods()) {
        if (!m.helper() && !m.plain() && !m.recordParams() && !m.recordArray()
            && !m.doubleParams().isEmpty()
            && !writesArrays(m)) {
          extra.append(wrapper(m, name));
          methods.add(m);
        }
      }
      int end = source.lastIndexOf('}');
      source = source.substring(0, end) + extra + "}\n";
      InProcessCompiler compiled = InProcessCompiler.compile(source);
      Class<?> diff = compiled.load(unit.pkg() + "." + name + "Diff");
      for (Method m : methods) {
        wrapped++;
        Random rnd = new Random(seed ^ (k * 31L + m.name().hashCode()));
        Class<?> args = compiled.load(unit.pkg() + "." + name + "$" + argsName(m));
        for (int point = 0; point < 3; point++) {
          checked += check(diff, args, m, rnd, source) ? 1 : 0;
        }
      }
    }
    System.out.printf("RECORD FORMS: %d programs, %d methods wrapped, %d points compared%n",
        programs, wrapped, checked);
    assertWithMessage("points compared").that(checked).isGreaterThan(wrapped);
  }

  /**
   * Whether {@code m} writes one of its array parameters (elements, a fill or copy, a void
   * helper): the record's instance method would pass it to the outer class's helper, which a
   * value-returning method may not (ADJ216), so such methods are left unwrapped.
   */
  private static boolean writesArrays(Method m) {
    java.util.Set<String> arrays = new java.util.HashSet<>();
    m.params().stream().filter(p -> p.type() != T.DOUBLE && p.type() != T.INT)
        .forEach(p -> arrays.add(p.name()));
    boolean[] writes = {false};
    Ast.forEachStmt(m.body(), s -> {
      if (s instanceof Ast.ElemAssign e && e.array() instanceof Ast.Ref r
          && arrays.contains(r.name())) {
        writes[0] = true;
      } else if (s instanceof Ast.ArrayOp o && (arrays.contains(o.a()) || arrays.contains(o.b())
          || arrays.contains(o.name()))) {
        writes[0] = true;
      } else if (s instanceof Ast.CallStmt c && c.args().stream()
          .anyMatch(a -> a instanceof Ast.Ref r && arrays.contains(r.name()))) {
        writes[0] = true;
      }
    });
    return writes[0];
  }

  private static String argsName(Method m) {
    return Character.toUpperCase(m.name().charAt(0)) + m.name().substring(1) + "Args";
  }

  /** The record of {@code m}'s doubles and {@code mRec}, whose body starts by unpacking it. */
  private static String wrapper(Method m, String className) {
    String text = JavaWriter.methodText(m, className);
    StringBuilder flatSig = new StringBuilder();
    StringBuilder recordSig = new StringBuilder("Args args".replace("Args", argsName(m)));
    StringBuilder components = new StringBuilder();
    StringBuilder unpack = new StringBuilder();
    for (Param p : m.params()) {
      if (flatSig.length() > 0) {
        flatSig.append(", ");
      }
      flatSig.append(p.type().java).append(' ').append(p.name());
      if (p.type() == T.DOUBLE) {
        components.append(components.length() > 0 ? ", " : "").append("double ")
            .append(p.name());
        unpack.append("    double ").append(p.name()).append(" = args.").append(p.name())
            .append("();\n");
      } else {
        recordSig.append(", ").append(p.type().java).append(' ').append(p.name());
      }
    }
    String flatLine = "public static double " + m.name() + "(" + flatSig + ") {";
    if (!text.contains(flatLine)) {
      throw new AssertionError("no signature line in\n" + text);
    }
    String recordLine = "public static double " + m.name() + "Rec(" + recordSig + ") {\n"
        + unpack;
    // The same body as an instance method of the record, reading its fields through this.
    String selfLine = "public double " + m.name() + "Self(" + recordSig.substring(
        recordSig.indexOf(",") < 0 ? recordSig.length() : recordSig.indexOf(",") + 2)
        + ") {\n" + unpack.toString().replace("= args.", "= this.").replace("();", ";");
    return "  public record " + argsName(m) + "(" + components + ") {\n"
        + text.replace(flatLine, selfLine) + "\n  }\n"
        + text.replace(flatLine, recordLine) + "\n";
  }

  /** One random point: both forms throw, or agree. Returns whether the point was compared. */
  private static boolean check(Class<?> diff, Class<?> argsType, Method m, Random rnd,
      String source) throws ReflectiveOperationException {
    List<Class<?>> flatTypes = new ArrayList<>();
    for (Param p : m.params()) {
      flatTypes.add(javaType(p.type()));
    }
    Object[] flat = FuzzChecker.randomPoint(flatTypes.toArray(new Class<?>[0]), rnd);
    List<Object> recordArgs = new ArrayList<>();
    List<Object> doubles = new ArrayList<>();
    List<Class<?>> recordTypes = new ArrayList<>();
    recordTypes.add(argsType);
    for (int i = 0; i < flat.length; i++) {
      if (m.params().get(i).type() == T.DOUBLE) {
        doubles.add(flat[i]);
      } else {
        recordArgs.add(flat[i]);
        recordTypes.add(flatTypes.get(i));
      }
    }
    Object record = argsType.getDeclaredConstructors()[0].newInstance(doubles.toArray());
    recordArgs.add(0, record);
    Object flatGrad;
    Object recordGrad;
    try {
      flatGrad = invoke(diff, m.name() + "Grad", flatTypes, flat);
    } catch (InvocationTargetException e) {
      assertThrows(diff, m, recordTypes, recordArgs, source);
      return false;
    }
    recordGrad = invoke(diff, m.name() + "RecGrad", recordTypes, recordArgs.toArray());
    String where = m.name() + " at " + Arrays.deepToString(flat);
    // The instance method: its generated class is the record's, its receiver's derivative dThis.
    Class<?> selfDiff = argsType.getClassLoader().loadClass(
        argsType.getPackageName() + "." + argsType.getSimpleName() + "Diff");
    Object selfGrad = invoke(selfDiff, m.name() + "SelfGrad", recordTypes,
        recordArgs.toArray());
    assertWithMessage("%s: instance form's value\n%s", where, source)
        .that(component(selfGrad, "value")).isEqualTo(component(recordGrad, "value"));
    assertWithMessage("%s: instance form's dThis\n%s", where, source)
        .that(component(selfGrad, "dThis")).isEqualTo(component(recordGrad, "dArgs"));
    double flatValue = (double) component(flatGrad, "value");
    assertWithMessage("%s: value\n%s", where, source).that(component(recordGrad, "value"))
        .isEqualTo(flatValue);
    if (!Double.isFinite(flatValue)) {
      return false;
    }
    Object dArgs = component(recordGrad, "dArgs");
    List<Object> flatTangents = new ArrayList<>(Arrays.asList(flat));
    List<Class<?>> flatJvpTypes = new ArrayList<>(flatTypes);
    List<Object> recordTangents = new ArrayList<>(recordArgs);
    List<Class<?>> recordJvpTypes = new ArrayList<>(recordTypes);
    List<Object> tangentDoubles = new ArrayList<>();
    List<Object> arrayTangents = new ArrayList<>();
    for (int i = 0; i < flat.length; i++) {
      Param p = m.params().get(i);
      if (p.type() == T.DOUBLE) {
        double want = (double) component(flatGrad, "d" + capitalize(p.name()));
        double got = (double) component(dArgs, p.name());
        assertWithMessage("%s: d%s\n%s", where, p.name(), source).that(got)
            .isWithin(1e-12 * (1 + Math.abs(want))).of(want);
        double t = rnd.nextDouble() - 0.5;
        flatTangents.add(t);
        flatJvpTypes.add(double.class);
        tangentDoubles.add(t);
      } else if (p.type() == T.DARR) {
        double[] want = (double[]) component(flatGrad, "d" + capitalize(p.name()));
        double[] got = (double[]) component(recordGrad, "d" + capitalize(p.name()));
        for (int e = 0; e < want.length; e++) {
          assertWithMessage("%s: d%s[%s]\n%s", where, p.name(), e, source).that(got[e])
              .isWithin(1e-12 * (1 + Math.abs(want[e]))).of(want[e]);
        }
        double[] t = new double[want.length];
        Arrays.setAll(t, e -> rnd.nextDouble() - 0.5);
        flatTangents.add(t);
        flatJvpTypes.add(double[].class);
        arrayTangents.add(t);
      }
    }
    recordTangents.add(argsType.getDeclaredConstructors()[0].newInstance(
        tangentDoubles.toArray()));
    recordJvpTypes.add(argsType);
    for (Object t : arrayTangents) {
      recordTangents.add(t);
      recordJvpTypes.add(double[].class);
    }
    // Flat mJvp takes the tangents in declaration order; the record form, the record's first.
    List<Object> flatOrdered = new ArrayList<>(Arrays.asList(flat));
    List<Class<?>> flatOrderedTypes = new ArrayList<>(flatTypes);
    int d = 0;
    int a = 0;
    for (Param p : m.params()) {
      if (p.type() == T.DOUBLE) {
        flatOrdered.add(tangentDoubles.get(d++));
        flatOrderedTypes.add(double.class);
      } else if (p.type() == T.DARR) {
        flatOrdered.add(arrayTangents.get(a++));
        flatOrderedTypes.add(double[].class);
      }
    }
    Object flatJvp = invoke(diff, m.name() + "Jvp", flatOrderedTypes, flatOrdered.toArray());
    Object recordJvp = invoke(diff, m.name() + "RecJvp", recordJvpTypes,
        recordTangents.toArray());
    double want = (double) component(flatJvp, "tangent");
    assertWithMessage("%s: mJvp tangent\n%s", where, source)
        .that((double) component(recordJvp, "tangent"))
        .isWithin(1e-12 * (1 + Math.abs(want))).of(want);
    return true;
  }

  private static void assertThrows(Class<?> diff, Method m, List<Class<?>> types,
      List<Object> args, String source) throws ReflectiveOperationException {
    try {
      invoke(diff, m.name() + "RecGrad", types, args.toArray());
    } catch (InvocationTargetException expected) {
      return;
    }
    throw new AssertionError(m.name() + ": the flat form threw, the record form did not\n"
        + source);
  }

  private static Object invoke(Class<?> diff, String name, List<Class<?>> types, Object[] args)
      throws ReflectiveOperationException {
    return diff.getMethod(name, types.toArray(new Class<?>[0])).invoke(null, args);
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

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
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
