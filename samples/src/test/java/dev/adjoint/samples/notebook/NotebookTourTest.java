package dev.adjoint.samples.notebook;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

class NotebookTourTest {

  @Test
  void notebookNumbers() {
    assertThat(LessonsDiff.accumulationGrad(7).dX()).isWithin(1e-5).of(-15.504779);
    LessonsDiff.AccumulationGrad a = LessonsDiff.accumulationGrad(7);
    assertThat(a.dY1() * 14 - a.dY2() * Math.sin(7) + a.dY3() / 50).isWithin(1e-12).of(a.dX());
    LessonsDiff.SquareOfProductGrad p = LessonsDiff.squareOfProductGrad(1, 2);
    assertThat(new double[] {p.dX(), p.dA(), p.dY()}).isEqualTo(new double[] {8, 4, 4});
    assertThat(LessonsDiff.diamondGrad(Math.PI).dX()).isWithin(1e-10)
        .of(4 * Math.pow(Math.PI, 3));
    double[] grad = new double[1];
    LessonsDiff.z1Adjoint(2, 1.0, grad);
    LessonsDiff.z2Adjoint(2, 1.0, grad);
    assertThat(grad[0]).isEqualTo(348.0);
    assertThat(LessonsDiff.unusedInputGrad(2, 3).dX()).isEqualTo(0.0);
    assertThat(LessonsDiff.quotientSquaredGrad(2, 1).dX2()).isEqualTo(-8.0);
    assertThat(LessonsDiff.drawingGrad(2, 0, 1).value()).isWithin(1e-4).of(54.5981);
    assertThat(SecondDerivatives.uxx(10, 12)).isEqualTo(2.0);
    assertThat(SecondDerivatives.threeXSquaredDerivatives(5))
        .isEqualTo(new double[] {75, 30, 6, 0, 0});
  }

  @Test
  void recordingGrowsWithTheNumberOfFactors() {
    double[] a = new double[1000];
    long ten = LessonsDiff.someCalculusVjp(a, new double[10][1000]).bytes();
    long hundred = LessonsDiff.someCalculusVjp(a, new double[100][1000]).bytes();
    assertThat(hundred).isGreaterThan(ten);
    assertThat(ten).isAtLeast(8L * 1000 * 11);
  }

  @Test
  void failureGameSnippetsGiveTheCompilersRealMessages() {
    List<SnippetCompiler.Message> a = SnippetCompiler.compile("A", """
        class A {
          @dev.adjoint.Differentiable
          static double z(double x, double y) {
            return y * y;
          }
        }
        """);
    assertThat(a).hasSize(1);
    assertThat(a.get(0).kind()).isEqualTo(Diagnostic.Kind.WARNING);
    assertThat(a.get(0).text()).startsWith("[ADJ111]");
    assertThat(a.get(0).line()).isEqualTo(3);

    List<SnippetCompiler.Message> f = SnippetCompiler.compile("F", """
        class F {
          @dev.adjoint.Differentiable(wrt = "a")
          static double b(int a) {
            return a * a * a;
          }
        }
        """);
    assertThat(f.get(0).kind()).isEqualTo(Diagnostic.Kind.ERROR);
    assertThat(f.get(0).text()).startsWith("[ADJ110]");
  }

  @Test
  void theTourRunsAndPrintsEveryLesson() {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      NotebookTour.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    for (int lesson = 1; lesson <= 11; lesson++) {
      assertThat(out).contains("## " + lesson + ".");
    }
    assertThat(out).contains("[ADJ111]");
    assertThat(out).contains("[ADJ110]");
    assertThat(out).contains("cannot find symbol");
    assertThat(out).contains("348.0000000");
  }
}
