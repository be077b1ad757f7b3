package dev.adjoint.processor.read;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.NewArrayTree;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.VariableElement;

/**
 * The initializer of a private static final constant or table, read as an expression that
 * the generated class can evaluate itself (its own copy): numbers, arithmetic, {@code Math}
 * functions, other constants, and for a table an initializer list of those (a matrix's
 * row by row).
 */
public final class ConstantInitializer {
  private ConstantInitializer() {}

  /** Reports nothing: a field whose initializer cannot be read stays an error at its use. */
  private static final class Silent implements Reporter {
    private boolean errors;

    @Override
    public void report(Message message, Position position, Object... args) {
      errors = true;
    }

    @Override
    public boolean hasErrors() {
      return errors;
    }
  }

  /**
   * The initializer of {@code field} (declared in the class {@code symbols} describes), or
   * empty when it is not built from constants.
   */
  public static Optional<Expr> read(Symbols symbols, VariableElement field, ExpressionTree init) {
    Type type = Symbols.type(field.asType());
    if (type == null || init == null) {
      return Optional.empty();
    }
    ReadContext context = new ReadContext(symbols, new Silent());
    ExpressionReader reader = new ExpressionReader(context);
    try {
      if (!type.isArray()) {
        Expr value = reader.expression(init);
        return Optional.of(reader.assignable(value, type, init, "constant"));
      }
      return table(reader, type, init);
    } catch (RuntimeException e) {
      // Abort included: the initializer is outside what can be copied.
      return Optional.empty();
    }
  }

  /** A table's initializer list, a matrix's row by row ({@code {{a, b}, {c, d}}}). */
  private static Optional<Expr> table(ExpressionReader reader, Type type, ExpressionTree init) {
    if (!(init instanceof NewArrayTree n) || n.getInitializers() == null
        || !n.getDimensions().isEmpty()) {
      return Optional.empty();
    }
    List<Expr> elements = new ArrayList<>();
    for (ExpressionTree e : n.getInitializers()) {
      if (type.element().isArray()) {
        Optional<Expr> row = table(reader, type.element(), e);
        if (row.isEmpty()) {
          return Optional.empty();
        }
        elements.add(row.get());
      } else {
        elements.add(reader.assignable(reader.expression(e), type.element(), e, "element"));
      }
    }
    return Optional.of(new Expr.NewArray(type, List.of(), List.copyOf(elements)));
  }
}
