package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import dev.adjoint.processor.testing.Oracle;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Methods whose generated code is split into parts (docs/robustness.md#method-sizes): straight
 * lines of 1000 and 2000 statements, a loop whose body has 600 statements, second order at 400
 * statements. Each is compiled and checked against the oracle in every mode ({@code mGrad},
 * {@code mJvp}, {@code mVjp}'s pullback; at order 2 {@code mHvp}, {@code mHessian} and {@code
 * mTangentTangent}), and every method of every generated class is read from its class file and
 * must stay under the JIT's 8000 bytes of bytecode.
 */
class HugeMethodTest {
  /** HotSpot's HugeMethodLimit: larger methods are never JIT-compiled by default. */
  static final int JIT_LIMIT = 8000;

  private static InProcessCompiler compiled;
  private static Class<?> diff;

  @BeforeAll
  static void compile() {
    String src = "package p;\nimport dev.adjoint.Differentiable;\npublic class Huge {\n"
        + method("straight1000", 1, LargeMethodTest.straightLine(1000))
        + method("straight2000", 1, LargeMethodTest.straightLine(2000))
        + method("looped600", 1, LargeMethodTest.loop(600))
        + method("second400", 2, LargeMethodTest.straightLine(400))
        + "}\n";
    compiled = InProcessCompiler.compile(src);
    diff = compiled.load("p.HugeDiff");
  }

  private static String method(String name, int order, String body) {
    return "  @Differentiable(order = " + order + ")\n  public static double " + name
        + "(double x, double y) {\n" + body + "  }\n";
  }

  @Test
  void straightLineOf1000Statements() throws Exception {
    everyFirstOrderMode("straight1000");
  }

  @Test
  void straightLineOf2000Statements() throws Exception {
    everyFirstOrderMode("straight2000");
  }

  @Test
  void loopWhoseBodyHas600Statements() throws Exception {
    everyFirstOrderMode("looped600");
  }

  @Test
  void secondOrderOf400Statements() throws Exception {
    double[] grad = everyFirstOrderMode("second400");
    double x = 0.3;
    double y = -0.7;
    double[] v = {0.8, -0.6};
    // H v against Ridders derivatives of the gradient along v.
    double[] hv = (double[]) unique("second400Hvp").invoke(null, x, y, v[0], v[1]);
    for (int k = 0; k < 2; k++) {
      int component = k;
      Oracle.Estimate e = Oracle.derivative(
          s -> gradient("second400", x + s * v[0], y + s * v[1])[component], 0.0);
      assertWithMessage("second400Hvp[%s]", k).that(hv[k])
          .isWithin(1e-7 * Math.max(1, Math.abs(e.value())) + 20 * e.error()).of(e.value());
    }
    double[][] h = (double[][]) unique("second400Hessian").invoke(null, x, y);
    for (int j = 0; j < 2; j++) {
      for (int k = 0; k < 2; k++) {
        int row = j;
        int col = k;
        Oracle.Estimate e = Oracle.derivative(
            s -> gradient("second400", x + (row == 0 ? s : 0), y + (row == 1 ? s : 0))[col], 0.0);
        assertWithMessage("second400Hessian[%s][%s]", j, k).that(h[j][k])
            .isWithin(1e-7 * Math.max(1, Math.abs(e.value())) + 20 * e.error()).of(e.value());
      }
    }
    // Tangent of the tangent: value, first tangents, and u' H v (the second tangent of x is 0).
    double[] u = {0.5, 0.25};
    double[] valueAndTangent = new double[2];
    double[] valueAndTangentDot = new double[2];
    unique("second400TangentTangent").invoke(null, x, y, u[0], u[1], valueAndTangent, v[0], v[1],
        0.0, 0.0, valueAndTangentDot);
    double plain = (double) plain("second400").invoke(null, x, y);
    assertThat(valueAndTangent[0]).isEqualTo(plain);
    assertThat(valueAndTangent[1]).isWithin(1e-9).of(grad[0] * u[0] + grad[1] * u[1]);
    assertThat(valueAndTangentDot[0]).isWithin(1e-9).of(grad[0] * v[0] + grad[1] * v[1]);
    assertThat(valueAndTangentDot[1]).isWithin(1e-7 * Math.max(1, Math.abs(hv[0])))
        .of(u[0] * hv[0] + u[1] * hv[1]);
  }

  /** No method of any generated class, split parts included, reaches the JIT's limit. */
  @Test
  void everyGeneratedMethodStaysUnderTheJitLimit() throws IOException {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    for (Map.Entry<String, byte[]> c : compiled.classFiles().entrySet()) {
      if (c.getKey().startsWith("p.HugeDiff")) {
        codeLengths(c.getValue()).forEach((m, n) -> sizes.put(c.getKey() + "." + m, n));
      }
    }
    assertThat(sizes).containsKey("p.HugeDiff.straight2000Adjoint");
    List<String> tooLarge = new ArrayList<>();
    sizes.forEach((m, n) -> {
      if (n >= JIT_LIMIT) {
        tooLarge.add(m + " " + n);
      }
    });
    assertWithMessage("methods of %s bytes or more (all sizes: %s)", JIT_LIMIT, sizes)
        .that(tooLarge).isEmpty();
    // The split methods are really split: the plain method is over the limit itself.
    Map<String, Integer> plain = codeLengths(compiled.classFiles().get("p.Huge"));
    assertThat(plain.get("straight2000")).isGreaterThan(JIT_LIMIT);
  }

  /** gradient against the oracle, the JVP against it, the pullback against it; the gradient. */
  private static double[] everyFirstOrderMode(String name) throws Exception {
    double x = 0.3;
    double y = -0.7;
    GradientAssert.Gradient g = GradientAssert.check(diff, name, x, y);
    double[] grad = g.partials();
    Object jvp = unique(name + "Jvp").invoke(null, x, y, 0.8, -0.6);
    assertThat(component(jvp, "value")).isEqualTo(g.value());
    double expected = grad[0] * 0.8 - grad[1] * 0.6;
    assertThat(component(jvp, "tangent")).isWithin(1e-9 * Math.max(1, Math.abs(expected)))
        .of(expected);
    Object vjp = unique(name + "Vjp").invoke(null, x, y);
    Object pulled = vjp.getClass().getMethod("pullback", double.class).invoke(vjp, 2.0);
    RecordComponent[] cs = pulled.getClass().getRecordComponents();
    assertThat((double) cs[0].getAccessor().invoke(pulled)).isEqualTo(g.value());
    for (int i = 0; i < 2; i++) {
      assertThat((double) cs[i + 1].getAccessor().invoke(pulled)).isWithin(1e-12)
          .of(2.0 * grad[i]);
    }
    return grad;
  }

  private static double[] gradient(String name, double x, double y) {
    try {
      Object r = unique(name + "Grad").invoke(null, x, y);
      RecordComponent[] cs = r.getClass().getRecordComponents();
      return new double[] {(double) cs[1].getAccessor().invoke(r),
          (double) cs[2].getAccessor().invoke(r)};
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Method plain(String name) throws ReflectiveOperationException {
    return compiled.load("p.Huge").getMethod(name, double.class, double.class);
  }

  private static Method unique(String name) {
    List<Method> found = new ArrayList<>();
    for (Method m : diff.getMethods()) {
      boolean reRecording = m.getParameterCount() > 0 && m.getParameterTypes()[
          m.getParameterCount() - 1].getSimpleName().endsWith("Vjp");
      if (m.getName().equals(name) && !reRecording) {
        found.add(m);
      }
    }
    assertWithMessage("methods named %s", name).that(found).hasSize(1);
    return found.get(0);
  }

  private static double component(Object record, String name) throws ReflectiveOperationException {
    return (double) record.getClass().getMethod(name).invoke(record);
  }

  /**
   * The length of each method's {@code Code} attribute (JVMS 4.7.3), read from a class file:
   * the constant pool is skipped entry by entry, keeping the UTF-8 entries for names.
   */
  static Map<String, Integer> codeLengths(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.skipBytes(4);
        case 5, 6 -> {
          in.skipBytes(8);
          i++;
        }
        case 7, 8, 16, 19, 20 -> in.skipBytes(2);
        case 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
        case 15 -> in.skipBytes(3);
        default -> throw new AssertionError("constant pool tag " + tag);
      }
    }
    in.skipBytes(6); // access flags, this class, super class
    in.skipBytes(2 * in.readUnsignedShort()); // interfaces
    int fields = in.readUnsignedShort();
    for (int f = 0; f < fields; f++) {
      in.skipBytes(6);
      skipAttributes(in);
    }
    Map<String, Integer> lengths = new LinkedHashMap<>();
    int methods = in.readUnsignedShort();
    for (int m = 0; m < methods; m++) {
      in.readUnsignedShort();
      String name = utf8[in.readUnsignedShort()];
      String descriptor = utf8[in.readUnsignedShort()];
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8[in.readUnsignedShort()];
        int length = in.readInt();
        if (attribute.equals("Code")) {
          in.skipBytes(4); // max stack, max locals
          int code = in.readInt();
          String key = lengths.containsKey(name) ? name + descriptor : name;
          lengths.put(key, code);
          in.skipBytes(length - 8);
        } else {
          in.skipBytes(length);
        }
      }
    }
    return lengths;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipBytes(2);
      in.skipBytes(in.readInt());
    }
  }
}
