package dev.adjoint.processor.diagnostics;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.processor.AdjointProcessor;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Diagnostics of names Adjoint cannot generate under (ADJ125): a class of the compilation
 * already named like the generated class.
 */
class RobustnessDiagnosticsTest extends DiagnosticsTestSupport {

  @Test
  void adj125_userClassNamedLikeTheGeneratedOne() {
    JavaFileObject src = body("    return x * x;");
    JavaFileObject taken = JavaFileObjects.forSourceLines("p.FooDiff",
        "package p;",
        "public class FooDiff {",
        "  public static int answer() { return 42; }",
        "}");
    Compilation c = record(Compiler.javac().withProcessors(new AdjointProcessor())
        .compile(src, taken));
    assertThat(c).failed();
    assertThat(c).hadErrorCount(2);
    String text = "[ADJ125] class p.FooDiff is named like the class Adjoint generates for the "
        + "@Differentiable methods of p.Foo: rename p.FooDiff (or p.Foo), since the derivatives "
        + "of p.Foo are written into p.FooDiff.";
    assertThat(c).hadErrorContaining(text).inFile(src).onLine(3).atColumn(8);
    assertThat(c).hadErrorContaining(text).inFile(taken).onLine(2).atColumn(8);
  }
}
