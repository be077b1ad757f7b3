package dev.adjoint.samples.notebook;

import dev.adjoint.samples.Functions;
import dev.adjoint.samples.FunctionsDiff;
import dev.adjoint.samples.NotebookDiff;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The seed notebook ("Gradients", TensorFlow and PyTorch) lesson by lesson, done with Adjoint and
 * printing the notebook's numbers. The failure game's programs that Adjoint rejects are compiled
 * in-process ({@link SnippetCompiler}) to show the compiler's own message.
 *
 * <p>Run: {@code mvn -B -ntp -q -DskipTests -Prun-samples package -Dsample=notebook}.
 */
public final class NotebookTour {
  private NotebookTour() {}

  public static void main(String[] args) {
    forwardAndBackward();
    chainRule();
    accumulation();
    symbolic();
    leavesAndRetain();
    nonScalarSources();
    backwardTwiceAndAccumulation();
    memory();
    chosenInputsAndSecondDerivatives();
    failureGame();
    exercises();
  }

  private static void title(String text) {
    System.out.println();
    System.out.println("## " + text);
  }

  private static void show(String what, double value, String notebook) {
    System.out.printf(Locale.ROOT, "  %-56s %18s   (notebook: %s)%n", what, num(value), notebook);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.10g", v);
  }

  static void forwardAndBackward() {
    title("1. Forward and backward: y = 3x(x^2 + x) at x = 3");
    System.out.println("  The forward sweep is the method itself; the backward sweep was generated"
        + " at compile time.");
    show("dy/dx = FunctionsDiff.cubicGrad(3).dX()", FunctionsDiff.cubicGrad(3).dX(), "99.0");
  }

  static void chainRule() {
    title("2. Chain rule with intermediates: t = tanh(4 cos^2 x) at x = 7");
    NotebookDiff.ChainGrad g = NotebookDiff.chainGrad(7);
    show("dt/dz (retain = \"z\")", g.dZ(), "0.041513324");
    show("dt/dy (retain = \"y\")", g.dY(), "0.2503759");
    show("dt/dx", g.dX(), "-0.1644936");
    show("dt/dx, written in one expression", FunctionsDiff.tanhCosSquaredGrad(7).dX(),
        "-0.1644936");
  }

  static void accumulation() {
    title("3. Accumulation rule: z = x^2 cos x / atan x at x = 7");
    LessonsDiff.AccumulationGrad g = LessonsDiff.accumulationGrad(7);
    double x = 7;
    double sumOfPaths = g.dY1() * (2 * x) + g.dY2() * (-Math.sin(x)) + g.dY3() / (1 + x * x);
    show("dz/dx", g.dX(), "-15.504779");
    show("sum_i dz/dy_i dy_i/dx (retained y1, y2, y3)", sumOfPaths, "-15.504779");
  }

  static void symbolic() {
    title("4. Against symbolic differentiation: f(x,y,z) = x y a b / z + a - b at (7, 5, 2)");
    FunctionsDiff.ComplexeGrad g = FunctionsDiff.complexeGrad(7, 5, 2);
    show("df/dx", g.dX(), "-5.6619678 (sympy -5.66196787253764)");
    show("df/dy", g.dY(), "-1.7493755 (sympy -1.74937550466067)");
    show("df/dz", g.dZ(), "17.059452 (sympy 17.0594520169513)");
    double[] adjoints = new double[3];
    dev.adjoint.runtime.Tape tape = new dev.adjoint.runtime.Tape();
    double sink = 0;
    int calls = 2_000_000;
    for (int warm = 0; warm < 3; warm++) {
      long start = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        sink += FunctionsDiff.complexeAdjoint(7, 5, 2 + i * 1e-12, 1.0, adjoints, tape);
      }
      if (warm == 2) {
        System.out.printf(Locale.ROOT, "  one gradient: %.0f ns (a rough wall-clock figure; JMH "
            + "numbers are in benchmarks/). The notebook: TensorFlow 11.7 ms, sympy 1.19 s.%n",
            (System.nanoTime() - start) / (double) calls);
      }
    }
    System.out.println("  No expression swell: the generated adjoint is one statement per partial"
        + " of each original operation; sympy's df/dx alone is five terms long.");
    if (sink == 42) {
      System.out.println();
    }
  }

  static void leavesAndRetain() {
    title("5. Leaves, requires_grad and retain_grad: y = a x, z = y^2 at x = 1, a = 2");
    LessonsDiff.SquareOfProductInXGrad onlyX = LessonsDiff.squareOfProductInXGrad(1, 2);
    show("wrt = \"x\": dz/dx (no dA() exists)", onlyX.dX(), "x.grad 8.0, a.grad None");
    LessonsDiff.SquareOfProductGrad both = LessonsDiff.squareOfProductGrad(1, 2);
    show("all inputs: dz/dx", both.dX(), "8.0");
    show("all inputs: dz/da", both.dA(), "4.0");
    show("retain = \"y\": dz/dy", both.dY(), "y.grad 4.0");
    LessonsDiff.DiamondGrad diamond = LessonsDiff.diamondGrad(Math.PI);
    show("diamond z = (x^2 cos x)^2 at pi: z", diamond.value(), "pi^4 = " + num(Math.pow(Math.PI, 4)));
    show("diamond: dz/dx", diamond.dX(), "4 pi^3 = " + num(4 * Math.pow(Math.PI, 3)));
  }

  static void nonScalarSources() {
    title("6. A linear model: y = x w + b, z = sum y^2, everything ones (w 2x3, b 3)");
    double[] x = {1, 1};
    double[][] w = {{1, 1, 1}, {1, 1, 1}};
    double[] b = {1, 1, 1};
    NotebookDiff.LinearLossGrad g = NotebookDiff.linearLossGrad(x, w, b);
    System.out.printf(Locale.ROOT, "  dz/dw = %s   (notebook: all 6)%n", Arrays.deepToString(g.dW()));
    System.out.printf(Locale.ROOT, "  dz/db = %s             (notebook: all 6)%n",
        Arrays.toString(g.dB()));
  }

  static void backwardTwiceAndAccumulation() {
    title("7. Backward twice, accumulation and zeroing");
    double[] grad = new double[1];
    LessonsDiff.productAdjoint(1, 2, 1.0, grad);
    LessonsDiff.productSquaredAdjoint(1, 2, 1.0, grad);
    show("y = 2x then z = y^2, both into one buffer", grad[0], "x.grad 10 (retain_graph=True)");
    grad[0] = 0;
    LessonsDiff.productAdjoint(1, 2, 1.0, grad);
    show("after zeroing: first backward", grad[0], "2");
    grad[0] = 0;
    LessonsDiff.productSquaredAdjoint(1, 2, 1.0, grad);
    show("zeroed again: second backward", grad[0], "8");
    grad[0] = 0;
    LessonsDiff.squareAdjoint(1, 1.0, grad);
    double first = grad[0];
    LessonsDiff.squareAdjoint(1, 1.0, grad);
    show("two graphs of y = x^2 from one x: 1st", first, "2");
    show("two graphs of y = x^2 from one x: 2nd (accumulated)", grad[0], "4");
    NotebookDiff.LinearLossVjp recording = NotebookDiff.linearLossVjp(
        new double[] {1, 1}, new double[][] {{1, 1, 1}, {1, 1, 1}}, new double[] {1, 1, 1});
    show("one recording (mVjp), pullback(1).dB()[0]", recording.pullback(1).dB()[0], "6");
    show("the same recording again, pullback(0.5)", recording.pullback(0.5).dB()[0],
        "3: no retain_graph needed");
    System.out.println("  no_grad: call the annotated method itself; it records nothing.");
  }

  static void memory() {
    title("8. The memory cost of recording (the notebook's GPU cell, on the CPU)");
    SplittableRandom random = new SplittableRandom(0);
    double[] a = new double[1000];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextDouble();
    }
    for (int n : new int[] {10, 100}) {
      double[][] factors = new double[n][1000];
      for (double[] f : factors) {
        for (int i = 0; i < f.length; i++) {
          f[i] = random.nextDouble();
        }
      }
      LessonsDiff.SomeCalculusVjp vjp = LessonsDiff.someCalculusVjp(a, factors);
      long inputs = 8L * 1000 * (n + 1);
      System.out.printf(Locale.ROOT, "  n = %3d: the recording (mVjp) holds %,9d bytes, %,d of "
          + "them copies of its inputs; the plain call records nothing%n", n, vjp.bytes(), inputs);
    }
    System.out.println("  Like PyTorch keeping every rand() factor alive for backward, the recording"
        + " grows with n; the overwritten product needs no saving, since its adjoint only reads"
        + " the factors.");
  }

  static void chosenInputsAndSecondDerivatives() {
    title("9. grad with chosen inputs, second derivatives, unused inputs");
    show("wrt = \"x\" (torch.autograd.grad(z, x)): dz/dx", LessonsDiff.squareOfProductInXGrad(1, 2)
        .dX(), "8.0");
    show("u = x^2 + y at (10, 12): u_xx, from uHessian", SecondDerivatives.uxx(10, 12), "2.0");
    double[] d = SecondDerivatives.threeXSquaredDerivatives(5);
    String[] notebook = {"75", "30", "6", "0, without grad_fn", "RuntimeError"};
    for (int k = 0; k < d.length; k++) {
      show("3x^2 at 5, derivative " + k + " (mDerivatives)", d[k], notebook[k]);
    }
    show("z = y^2: dz/dx, an exact zero", LessonsDiff.unusedInputGrad(5, 6).dX(),
        "None, or 0 with materialize_grads=True");
  }

  static void failureGame() {
    title("10. The failure game, A to G");
    System.out.println("  A. x does not influence z = y * y. The compiler says:");
    compile("A", """
        import dev.adjoint.Differentiable;
        class A {
          @Differentiable
          static double z(double x, double y) {
            return y * y;
          }
        }
        """);
    show("   and at run time dz/dx is an exact", LessonsDiff.unusedInputGrad(2, 3).dX(), "None");

    System.out.println("  B. Two backwards through one graph: each pullback replays its own"
        + " recording, nothing is freed.");
    double[] grad = new double[1];
    LessonsDiff.z1Adjoint(2, 1.0, grad);
    LessonsDiff.z2Adjoint(2, 1.0, grad);
    show("   dz1/dx + dz2/dx at x = 2", grad[0], "x.grad 348.0 when debugged");

    System.out.println("  C. Two graphs, two backwards: accumulation, as in the notebook.");
    grad[0] = 0;
    LessonsDiff.cubeAdjoint(2, 1.0, grad);
    LessonsDiff.shiftedCubeAdjoint(2, 1.0, grad);
    show("   d(y^3)/dy + d((y-3)^3)/dy at y = 2", grad[0], "12 + 3 = 15");

    System.out.println("  D. requires_grad after the computation: impossible here; what is"
        + " differentiated is declared on the method, before anything runs.");
    show("   d(x^2 + 1)/dx at 2", LessonsDiff.squarePlusOneGrad(2).dX(), "tensor(4.) when debugged");

    System.out.println("  E. x = x + 1 in a loop: reassignment is ordinary Java.");
    for (double x = 2; x <= 4; x++) {
      show("   d(x^2 + 1)/dx at x = " + (int) x, LessonsDiff.squarePlusOneGrad(x).dX(),
          Integer.toString((int) (2 * x)));
    }
    show("   loopIncrement: (x + 3)^2 through x = x + 1, at 1: d/dx",
        FunctionsDiff.loopIncrementGrad(1).dX(), "8");

    System.out.println("  F. An integer input cannot require grad. The compiler says:");
    compile("F", """
        import dev.adjoint.Differentiable;
        class F {
          @Differentiable(wrt = "a")
          static double b(int a) {
            return a * a * a;
          }
        }
        """);
    show("   with a double instead: d(a^3)/da at 2", LessonsDiff.cubeGrad(2).dY(), "a.grad 12.0");

    System.out.println("  G. A gradient of a non-scalar output. The compiler says:");
    compile("G", """
        import dev.adjoint.Differentiable;
        class G {
          @Differentiable
          static double[] square(double[] a) {
            double[] b = new double[a.length];
            for (int i = 0; i < a.length; i++) {
              b[i] = a[i] * a[i];
            }
            return b;
          }

          static double[] gradient(double[] a) {
            return GDiff.squareGrad(a).dA();
          }
        }
        """);
    double[][] jacobian = LessonsDiff.elementwiseSquareJacobian(new double[][] {{1, 1}, {1, 1}});
    System.out.printf(Locale.ROOT, "   instead, the Jacobian of A^2 at ones(2, 2): %s%n",
        Arrays.deepToString(jacobian));
    LessonsDiff.ElementwiseSquareGrad summed = LessonsDiff.elementwiseSquareVjp(
        new double[][] {{1, 1}, {1, 1}}).pullback(new double[] {1, 1, 1, 1});
    System.out.printf(Locale.ROOT, "   or pullback(ones) (B.sum().backward()): dA = %s   "
        + "(notebook: all 2)%n", Arrays.deepToString(summed.dA()));
  }

  static void exercises() {
    title("11. Exercises");
    LessonsDiff.DrawingGrad drawing = LessonsDiff.drawingGrad(2, 0, 1);
    show("z = exp((x1 + x2)^2 x3) at (2, 0, 1)", drawing.value(), "tensor(54.5981)");
    System.out.printf(Locale.ROOT, "  its gradient: dz/dx1 %s, dz/dx2 %s, dz/dx3 %s%n",
        num(drawing.dX1()), num(drawing.dX2()), num(drawing.dX3()));
    LessonsDiff.QuotientSquaredGrad q = LessonsDiff.quotientSquaredGrad(2, 1);
    show("z = (x1/x2)^2 at (2, 1): dz/dy", q.dY(), "4");
    show("dz/dx2", q.dX2(), "dz/dy * dy/dx2 = 4 * (-2) = -8");
  }

  private static void compile(String className, String source) {
    List<SnippetCompiler.Message> messages = SnippetCompiler.compile(className, source);
    for (String line : source.strip().split("\n")) {
      System.out.println("      | " + line);
    }
    if (messages.isEmpty()) {
      System.out.println("      (compiles without a message)");
    }
    for (SnippetCompiler.Message m : messages) {
      System.out.println("      > " + m.toString().replace("\n", "\n        "));
    }
  }
}
