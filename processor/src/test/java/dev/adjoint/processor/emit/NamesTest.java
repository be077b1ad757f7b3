package dev.adjoint.processor.emit;

import static com.google.common.truth.Truth.assertThat;
import static dev.adjoint.processor.ir.Exprs.add;
import static dev.adjoint.processor.ir.Exprs.local;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names follow Java's scopes: reused once a scope closes, never shadowing a visible one. */
class NamesTest {
  private static Variable variable(String name) {
    return new Variable(name, Type.INT, Variable.Kind.LOCAL);
  }

  @Test
  void aNameIsReusedOnceItsScopeHasClosed() {
    Names names = new Names();
    names.open();
    assertThat(names.declare(variable("c"))).isEqualTo("c");
    names.close();
    names.open();
    assertThat(names.declare(variable("c"))).isEqualTo("c");
    names.close();
  }

  @Test
  void aVisibleNameIsNeverShadowedOrReused() {
    Names names = new Names();
    Variable parameter = new Variable("c", Type.DOUBLE, Variable.Kind.PARAMETER);
    names.reserve(parameter);
    assertThat(names.fresh("t")).isEqualTo("t");
    names.open();
    assertThat(names.declare(variable("c"))).isEqualTo("c2");
    assertThat(names.declare(variable("t"))).isEqualTo("t2");
    names.open();
    assertThat(names.declare(variable("c"))).isEqualTo("c3");
    names.close();
    names.close();
    assertThat(names.of(parameter)).isEqualTo("c");
  }

  @Test
  void namesTheGeneratedCodeUsesAreNeverTaken() {
    Names names = new Names();
    assertThat(names.fresh("Math")).isEqualTo("Math2");
    assertThat(names.of(variable("Tape"))).isEqualTo("Tape2");
  }

  @Test
  void aVariableNamedAtTheTopKeepsItsNameForTheWholeMethod() {
    Names names = new Names();
    Variable bar = variable("xBar");
    names.open();
    assertThat(names.of(bar)).isEqualTo("xBar");
    names.close();
    names.open();
    assertThat(names.declare(variable("xBar"))).isEqualTo("xBar2");
    assertThat(names.of(bar)).isEqualTo("xBar");
    names.close();
  }

  @Test
  void printerReusesLoopCountersOfClosedLoops() {
    Variable n = new Variable("n", Type.INT, Variable.Kind.PARAMETER);
    Variable s = new Variable("s", Type.INT, Variable.Kind.LOCAL);
    Names names = new Names();
    names.reserve(n);
    names.reserve(s);
    Stmt first = countedLoop(variable("c"), n, s, null);
    Stmt second = countedLoop(variable("c"), n, s, countedLoop(variable("c"), n, s, null));
    CodeBlock.Builder out = CodeBlock.builder();
    new JavaPrinter(names).statements(List.of(first, second), out);
    assertThat(out.build().toString()).isEqualTo(""
        + "for (int c = 0; c < n; c++) {\n"
        + "  s += c;\n"
        + "}\n"
        + "for (int c = 0; c < n; c++) {\n"
        + "  s += c;\n"
        + "  for (int c2 = 0; c2 < n; c2++) {\n"
        + "    s += c2;\n"
        + "  }\n"
        + "}\n");
  }

  /** {@code for (int c = 0; c < n; c++) { s += c; inner }}. */
  private static Stmt countedLoop(Variable c, Variable n, Variable s, Stmt inner) {
    List<Stmt> body = inner == null
        ? List.of(new Stmt.Assign(s, add(local(s), local(c)), Position.NONE))
        : List.of(new Stmt.Assign(s, add(local(s), local(c)), Position.NONE), inner);
    return Stmt.Loop.unlabelled(
        List.of(new Stmt.Declare(c, Expr.Literal.ofInt(0), Position.NONE)),
        new Expr.Binary(Expr.BinaryOp.LESS, local(c), local(n), Type.BOOLEAN),
        List.of(new Stmt.Assign(c, add(local(c), Expr.Literal.ofInt(1)), Position.NONE)),
        Stmt.Block.of(body), true, Position.NONE);
  }
}
