package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.testing.InProcessCompiler;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random loop bodies (scalars, an array, branches on the state, inner counted loops,
 * transcendental functions), each method written twice: checkpointed (with {@code checkpoint =
 * true} or {@code checkpointEvery} from 1 to 7) and recorded in full. For trip counts from 0 to
 * 23 the checkpointed gradient must equal the recorded one bit for bit (the recorded one is
 * checked against the oracle by every other suite), and the value the plain call's.
 */
class CheckpointRandomTest {
  private static final int PROGRAMS = 60;
  private static final String[] STATE = {"a", "b", "c"};

  private final SplittableRandom random = new SplittableRandom(20261203);

  private String terminal() {
    return switch (random.nextInt(8)) {
      case 0, 1 -> STATE[random.nextInt(3)];
      case 2 -> "x";
      case 3 -> "y";
      case 4 -> "v[(i + " + random.nextInt(4) + ") % 4]";
      case 5 -> "(i * 0.01)";
      default -> String.valueOf(Math.round((random.nextDouble() - 0.5) * 100) / 50.0);
    };
  }

  private String expression(int depth) {
    if (depth == 0 || random.nextInt(3) == 0) {
      return terminal();
    }
    String l = expression(depth - 1);
    String r = expression(depth - 1);
    return switch (random.nextInt(6)) {
      case 0 -> "(" + l + " + " + r + ")";
      case 1 -> "(" + l + " - " + r + ")";
      case 2 -> "(" + l + " * " + r + ")";
      case 3 -> "Math.sin(" + l + ")";
      case 4 -> "Math.tanh(" + l + " * " + r + ")";
      default -> "Math.cos(" + l + " - " + r + ")";
    };
  }

  /** A statement keeping the state bounded (a contraction plus a bounded function). */
  private String statement(int depth) {
    String s = STATE[random.nextInt(3)];
    return switch (depth > 0 ? random.nextInt(6) : random.nextInt(3)) {
      case 0 -> s + " = 0.8 * " + s + " + 0.2 * Math.sin(" + expression(2) + ");";
      case 1 -> s + " += 0.1 * Math.tanh(" + expression(2) + ");";
      case 2 -> "v[(i + " + random.nextInt(4) + ") % 4] = 0.5 * v[i % 4] + 0.3 * Math.cos("
          + expression(2) + ");";
      case 3 -> "if (" + STATE[random.nextInt(3)] + " > " + terminal() + ") { "
          + statement(depth - 1) + " } else { " + statement(depth - 1) + " }";
      case 4 -> "for (int j = 0; j < " + (1 + random.nextInt(3)) + "; j++) { " + s
          + " = 0.9 * " + s + " + 0.05 * j * Math.sin(" + expression(1) + "); }";
      default -> "{ double t = " + expression(2) + "; " + s + " = 0.7 * " + s
          + " + 0.2 * Math.sin(t * t); }";
    };
  }

  private String method(String name, String annotation, List<String> body) {
    StringBuilder m = new StringBuilder();
    m.append("  ").append(annotation).append("\n  public static double ").append(name)
        .append("(double x, double y, int n) {\n")
        .append("    double a = x;\n    double b = y;\n    double c = x * y;\n")
        .append("    double[] v = new double[4];\n")
        .append("    for (int k = 0; k < 4; k++) {\n      v[k] = k * x - y;\n    }\n")
        .append("    for (int i = 0; i < n; i++) {\n");
    for (String s : body) {
      m.append("      ").append(s).append('\n');
    }
    m.append("    }\n    return a + b * c + v[0] - v[3] * a;\n  }\n");
    return m.toString();
  }

  @Test
  void randomLoopBodiesGiveTheRecordedGradientBitForBit() throws Exception {
    StringBuilder checkpointed = new StringBuilder(
        "package p;\nimport dev.adjoint.Differentiable;\npublic class Ck {\n");
    StringBuilder recorded = new StringBuilder(
        "package p;\nimport dev.adjoint.Differentiable;\npublic class Rec {\n");
    List<String> sources = new ArrayList<>();
    for (int k = 0; k < PROGRAMS; k++) {
      List<String> body = new ArrayList<>();
      int size = 1 + random.nextInt(5);
      for (int s = 0; s < size; s++) {
        body.add(statement(2));
      }
      int every = random.nextInt(8);
      String annotation = every == 0 ? "@Differentiable(checkpoint = true)"
          : "@Differentiable(checkpointEvery = " + every + ")";
      String m = method("m" + k, annotation, body);
      sources.add(m);
      checkpointed.append(m);
      recorded.append(method("m" + k, "@Differentiable", body));
    }
    InProcessCompiler c = InProcessCompiler.compile(checkpointed.append("}\n").toString(),
        recorded.append("}\n").toString());
    Class<?> ck = c.load("p.CkDiff");
    Class<?> rec = c.load("p.RecDiff");
    Class<?> plain = c.load("p.Ck");
    int compared = 0;
    for (int k = 0; k < PROGRAMS; k++) {
      String name = "m" + k;
      Method g1 = ck.getMethod(name + "Grad", double.class, double.class, int.class);
      Method g2 = rec.getMethod(name + "Grad", double.class, double.class, int.class);
      Method f = plain.getMethod(name, double.class, double.class, int.class);
      for (int n : new int[] {0, 1, 2, 5, 8, 23}) {
        double x = 0.3 + 0.1 * (k % 5);
        double y = -0.4 + 0.05 * n;
        Object mine = g1.invoke(null, x, y, n);
        Object theirs = g2.invoke(null, x, y, n);
        String what = sources.get(k) + " at n = " + n;
        for (RecordComponent rc : mine.getClass().getRecordComponents()) {
          assertWithMessage(what + " " + rc.getName()).that(rc.getAccessor().invoke(mine))
              .isEqualTo(theirs.getClass().getMethod(rc.getName()).invoke(theirs));
        }
        assertWithMessage(what + " value")
            .that(mine.getClass().getMethod("value").invoke(mine))
            .isEqualTo(f.invoke(null, x, y, n));
        compared++;
      }
    }
    assertWithMessage("gradients compared").that(compared).isEqualTo(PROGRAMS * 6);
  }
}
