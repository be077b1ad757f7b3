package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * One class of many large methods: the generated class holds every method's entry points, and
 * a class file's constant pool holds at most 65 535 entries. The parts of split static methods
 * are members of their frame classes, each a class file of its own, so the generated class
 * keeps only the entry points' constants. (Found by the fuzzer's {@code huge} profile, where a
 * class of dozens of methods of 40 to 120 statements gave {@code too many constants}; with the
 * parts in the generated class, 32 methods of about 300 statements would need about 70 000.)
 */
class ManyLargeMethodsTest {
  private static final int METHODS = 32;

  @Test
  void aClassOfManyLargeMethodsCompilesAndEachGradientMatchesTheOracle() throws Exception {
    StringBuilder src = new StringBuilder(
        "package p;\nimport dev.adjoint.Differentiable;\npublic class Many {\n");
    for (int m = 0; m < METHODS; m++) {
      src.append("  @Differentiable\n  public static double f").append(m)
          .append("(double x, double y) {\n").append(LargeMethodTest.straightLine(300 + m))
          .append("  }\n");
    }
    InProcessCompiler compiled = InProcessCompiler.compile(src.append("}\n").toString());
    Class<?> diff = compiled.load("p.ManyDiff");
    int entries = constantPoolCount(compiled.classFiles().get("p.ManyDiff"));
    System.out.printf("ManyDiff: %d constant-pool entries for %d methods%n", entries, METHODS);
    assertThat(entries).isLessThan(65_535);
    GradientAssert.check(diff, "f0", 0.3, -0.7);
    GradientAssert.check(diff, "f" + (METHODS - 1), 0.3, -0.7);
  }

  /** The constant_pool_count of a class file (after magic, minor and major version). */
  private static int constantPoolCount(byte[] classFile) {
    return Short.toUnsignedInt(ByteBuffer.wrap(classFile).getShort(8));
  }
}
