package dev.adjoint.processor.robust;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.processor.testing.GradientAssert;
import dev.adjoint.processor.testing.InProcessCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * A build that recompiles a callee without its callers (Maven with {@code
 * useIncrementalCompilation=false}, an IDE) fails loudly: the caller's generated class checks,
 * when it is initialised, that the callee's generated class was generated from the source it
 * was generated against, and says to rebuild cleanly.
 */
class StaleBuildTest {
  static final String CALLER = """
      package p;
      import dev.adjoint.Differentiable;
      public class A {
        @Differentiable
        public static double f(double x) {
          return q.B.g(x) * x;
        }
      }
      """;

  static String callee(String body) {
    return """
        package q;
        import dev.adjoint.Differentiable;
        public class B {
          @Differentiable
          public static double g(double x) {
            return %s;
          }
        }
        """.formatted(body);
  }

  @Test
  void aConsistentBuildPassesTheCheck() {
    Class<?> diff = InProcessCompiler.compile(CALLER, callee("Math.sin(x)")).load("p.ADiff");
    GradientAssert.check(diff, "f", 0.7);
  }

  @Test
  void aCalleeRegeneratedWithoutItsCallerFailsAtInitialisation() {
    InProcessCompiler first = InProcessCompiler.compile(CALLER, callee("Math.sin(x)"));
    InProcessCompiler second = InProcessCompiler.compile(callee("Math.cos(x)"));
    Map<String, byte[]> classes = new HashMap<>();
    classesOf(first, classes);
    classesOf(second, classes); // q.B and q.BDiff replaced: p.A and p.ADiff are stale
    ClassLoader loader = new ClassLoader(StaleBuildTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class,
        () -> Class.forName("p.ADiff", true, loader));
    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
    assertThat(e.getCause()).hasMessageThat().isEqualTo("p.ADiff was generated against another "
        + "version of q.B.g than q.BDiff was (a stale build: a class was recompiled without the "
        + "classes that call it): rebuild cleanly (mvn clean compile, or delete the generated "
        + "sources and classes)");
  }

  @Test
  void generatedClassesNameEveryClassTheyAreGeneratedFrom() {
    InProcessCompiler c = InProcessCompiler.compile(CALLER, callee("Math.sin(x)"));
    assertThat(c.generatedSource("p.ADiff")).contains("if (BDiff.adjointFingerprint(\"g\") != ");
    assertThat(c.generatedSource("q.BDiff")).contains("public static long adjointFingerprint("
        + "String method)");
  }

  private static void classesOf(InProcessCompiler c, Map<String, byte[]> out) {
    for (JavaFileObject f : c.compilation().generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String path = f.toUri().getPath();
      String name = path.substring(path.indexOf("CLASS_OUTPUT/") + "CLASS_OUTPUT/".length(),
          path.length() - ".class".length()).replace('/', '.');
      try (InputStream in = f.openInputStream()) {
        out.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
