package dev.adjoint.processor.robust;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated programs whose parameters and locals take odd names drawn at random (seeded) from
 * a pool: {@code $}, {@code _}, unicode, case twins, classes and packages generated code refers
 * to, the generated code's own names. Each is compiled with {@code order = 2} (every entry
 * point) and its gradient checked against the oracle.
 */
class NameStressTest {
  static final List<String> POOL = List.of("$", "$x", "a$b", "b$$", "_y", "__", "λ", "größe",
      "x", "X", "y", "Y", "Objects", "Double", "System", "Arrays", "String", "Integer", "Tape",
      "Shapes", "java", "dev", "p", "valueAndTangent", "tape", "seed", "adjoints", "value",
      "result", "xBar", "xDot", "xAdjoint", "t", "t2", "recording", "outOfMemory", "dX",
      "method", "k2", "unnamed");
  static final int PROGRAMS = 8;

  private static final List<Class<?>> DIFFS = new ArrayList<>();
  private static final List<double[]> POINTS = new ArrayList<>();

  /** A method {@code f} over four parameters and four locals with names from the pool. */
  static String program(String cls, Random rnd) {
    List<String> names = new ArrayList<>(POOL);
    Collections.shuffle(names, rnd);
    String[] p = names.subList(0, 4).toArray(String[]::new);
    String[] l = names.subList(4, 8).toArray(String[]::new);
    return "package p;\nimport dev.adjoint.Differentiable;\npublic class " + cls + " {\n"
        + "  @Differentiable(order = 2)\n"
        + "  public static double f(double " + p[0] + ", double " + p[1] + ", double " + p[2]
        + ", double " + p[3] + ") {\n"
        + "    double " + l[0] + " = " + p[0] + " * " + p[1] + " + Math.sin(" + p[2] + ");\n"
        + "    double " + l[1] + " = " + l[0] + " * " + p[3] + " - " + p[0] + ";\n"
        + "    double " + l[2] + " = 0.0;\n"
        + "    for (int k = 0; k < 3; k++) {\n"
        + "      " + l[2] + " = " + l[2] + " * 0.5 + Math.cos(" + l[1] + " * " + p[1]
        + ") + k * " + p[3] + ";\n"
        + "      if (" + l[2] + " > 1.5) {\n"
        + "        " + l[2] + " -= 0.25 * " + p[0] + ";\n"
        + "      }\n"
        + "    }\n"
        + "    double " + l[3] + " = " + l[2] + " * " + l[0] + " + " + p[2] + " * " + p[3]
        + ";\n"
        + "    return " + l[3] + " + Math.exp(-" + l[1] + " * " + l[1] + ");\n"
        + "  }\n}\n";
  }

  @BeforeAll
  static void compile() {
    Random rnd = new Random(14);
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < PROGRAMS; i++) {
      sources.add(program("Named" + i, rnd));
      POINTS.add(new double[] {0.2 + rnd.nextDouble(), -0.5 + rnd.nextDouble(),
          0.3 + rnd.nextDouble(), -0.8 + rnd.nextDouble()});
    }
    InProcessCompiler c = InProcessCompiler.compile(sources.toArray(String[]::new));
    for (int i = 0; i < PROGRAMS; i++) {
      DIFFS.add(c.load("p.Named" + i + "Diff"));
    }
  }

  @Test
  void everyProgramsGradientMatchesTheOracle() {
    for (int i = 0; i < PROGRAMS; i++) {
      double[] x = POINTS.get(i);
      GradientAssert.check(DIFFS.get(i), "f", x[0], x[1], x[2], x[3]);
    }
  }
}
