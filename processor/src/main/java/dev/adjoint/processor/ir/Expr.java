package dev.adjoint.processor.ir;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A side-effect-free expression of the IR. Every node knows its Java type, so later stages
 * never guess; the reader rejects anything with side effects before it gets here.
 *
 * <p>Two families, as for {@link Stmt}: the expressions a method's source can contain, and
 * the {@link Sweep} expressions that only the reverse transform creates (tape pops, callee
 * adjoints, borrowed and copied arrays, scratch elements, absent buffers). A {@link
 * SourceVisitor} cannot handle sweep expressions; a {@link Visitor} handles both. Neither has
 * a default, so a new kind fails to compile until every pass of its family handles it.
 */
public sealed interface Expr {
  Type type();

  /** Dispatches to the visitor method of this expression's kind. */
  <R> R accept(Visitor<R> visitor);

  /**
   * Dispatches to the visitor method of this expression's kind; a sweep expression, which no
   * source pass can receive, throws {@link IllegalStateException}.
   */
  <R> R accept(SourceVisitor<R> visitor);

  /** A pass over expressions of method bodies: the reader's output and the transforms' input. */
  interface SourceVisitor<R> {
    R visitLiteral(Literal e);

    R visitLocal(Local e);

    R visitFieldRead(FieldRead e);

    R visitUnary(Unary e);

    R visitBinary(Binary e);

    R visitConditional(Conditional e);

    R visitCast(Cast e);

    R visitIntrinsicCall(IntrinsicCall e);

    R visitCall(Call e);

    R visitArrayRead(ArrayRead e);

    R visitArrayLength(ArrayLength e);

    R visitNewArray(NewArray e);
  }

  /** A pass over every expression, the sweeps' own included: printers, generic walks. */
  interface Visitor<R> extends SourceVisitor<R> {
    R visitAdjointCall(AdjointCall e);

    R visitArrayCopy(ArrayCopy e);

    R visitBorrow(Borrow e);

    R visitTapePop(TapePop e);

    R visitElement(Element e);

    R visitNullArray(NullArray e);
  }

  /** An expression a method's source can contain; any pass may receive it. */
  sealed interface Source extends Expr {
    @Override
    default <R> R accept(Visitor<R> visitor) {
      return accept((SourceVisitor<R>) visitor);
    }
  }

  /** An expression only the reverse transform creates; only a full {@link Visitor} sees it. */
  sealed interface Sweep extends Expr {
    @Override
    default <R> R accept(SourceVisitor<R> visitor) {
      if (visitor instanceof Visitor<R> full) {
        return accept(full);
      }
      throw new IllegalStateException(
          getClass().getSimpleName() + " is a sweep expression; " + visitor.getClass().getName()
              + " only handles expressions of source methods");
    }
  }

  /** A numeric or boolean literal; {@code value} is a boxed Java value of {@code type}. */
  record Literal(Type type, Object value) implements Source {
    public Literal {
      Objects.requireNonNull(value);
    }

    public static Literal of(double v) {
      return new Literal(Type.DOUBLE, v);
    }

    public static Literal ofInt(int v) {
      return new Literal(Type.INT, v);
    }

    public static Literal ofBoolean(boolean v) {
      return new Literal(Type.BOOLEAN, v);
    }

    public boolean isZero() {
      return value instanceof Number n && n.doubleValue() == 0.0;
    }

    public boolean isOne() {
      return value instanceof Number n && n.doubleValue() == 1.0;
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitLiteral(this);
    }
  }

  /** Reads a variable. */
  record Local(Variable variable) implements Source {
    @Override
    public Type type() {
      return variable.type();
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitLocal(this);
    }
  }

  /** Reads a {@code static final} field, printed as {@code Owner.NAME}; never active. */
  record FieldRead(String ownerQualifiedName, String name, Type type) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitFieldRead(this);
    }
  }

  /** A prefix operator. */
  record Unary(UnaryOp op, Expr operand, Type type) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitUnary(this);
    }
  }

  /** An infix operator; {@code &&} and {@code ||} short-circuit as in Java. */
  record Binary(BinaryOp op, Expr left, Expr right, Type type) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitBinary(this);
    }
  }

  /** {@code condition ? whenTrue : whenFalse}. */
  record Conditional(Expr condition, Expr whenTrue, Expr whenFalse, Type type) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitConditional(this);
    }
  }

  /** A primitive conversion. */
  record Cast(Type type, Expr operand, Position position) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitCast(this);
    }
  }

  /**
   * A call of a {@code java.lang.Math} function whose derivative the table knows; {@code strict}
   * when the source called {@code StrictMath}, whose results the forward sweep must reproduce.
   */
  record IntrinsicCall(
      Intrinsic intrinsic, List<Expr> arguments, Type type, boolean strict, Position position)
      implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitIntrinsicCall(this);
    }
  }

  /** A call of another static method: differentiable through its generated adjoint, or not. */
  record Call(Callee callee, List<Expr> arguments, Position position) implements Source {
    @Override
    public Type type() {
      return callee.returnType();
    }

    /** The array variables passed: what a void helper may write. */
    public List<Variable> arrayArguments() {
      return arguments.stream().filter(a -> a instanceof Local && a.type().isArray())
          .map(a -> ((Local) a).variable()).toList();
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitCall(this);
    }
  }

  /**
   * Sweeps only: {@code callee}'s adjoint, scaling by {@code seed} (none for a void helper,
   * whose seed is its arrays' adjoints), adding its scalar partials into {@code scratch} (none
   * when it has no scalar parameter to differentiate) and its array partials into {@code
   * arrayAdjoints}, one per differentiable array parameter (a {@link NullArray} where the
   * caller needs none).
   */
  record AdjointCall(
      Callee callee,
      List<Expr> arguments,
      Optional<Expr> seed,
      Optional<Variable> scratch,
      List<Expr> arrayAdjoints,
      Variable tape)
      implements Sweep {
    public AdjointCall {
      Objects.requireNonNull(seed);
      Objects.requireNonNull(scratch);
    }

    @Override
    public Type type() {
      return callee.returnType();
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitAdjointCall(this);
    }
  }

  /** {@code array[index]}; for a {@code double[][]}, {@code a[i][j]} nests two reads. */
  record ArrayRead(Expr array, Expr index, Type type) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitArrayRead(this);
    }
  }

  /** {@code array.length}. */
  record ArrayLength(Expr array) implements Source {
    @Override
    public Type type() {
      return Type.INT;
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitArrayLength(this);
    }
  }

  /**
   * {@code new T[d0][d1]} (dimensions, no elements) or {@code {e0, e1, ...}} (elements); only as
   * the initializer of a local array.
   */
  record NewArray(Type type, List<Expr> dimensions, List<Expr> elements) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitNewArray(this);
    }
  }

  /** Reverse sweep only: a copy of an array, for a callee that writes its argument. */
  record ArrayCopy(Expr array) implements Sweep {
    @Override
    public Type type() {
      return array.type();
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitArrayCopy(this);
    }
  }

  /** Sweeps only: a zeroed {@code double[length]} borrowed from the tape (see Stmt.Release). */
  record Borrow(Variable tape, Expr length) implements Sweep {
    @Override
    public Type type() {
      return Type.DOUBLE_ARRAY;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitBorrow(this);
    }
  }

  /** Reverse sweep only: the value last pushed on the tape. */
  record TapePop(Variable tape, Type type) implements Sweep {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitTapePop(this);
    }
  }

  /** Reverse sweep only: an element of a scratch array of doubles. */
  record Element(Variable array, int index) implements Sweep {
    @Override
    public Type type() {
      return Type.DOUBLE;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitElement(this);
    }
  }

  /** Sweeps only: {@code null} of an array type: an array not yet made, a buffer not wanted. */
  record NullArray(Type type) implements Sweep {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitNullArray(this);
    }
  }

  /** Prefix operators. */
  enum UnaryOp {
    NEGATE("-"),
    PLUS("+"),
    NOT("!"),
    BITWISE_NOT("~");

    public final String symbol;

    UnaryOp(String symbol) {
      this.symbol = symbol;
    }
  }

  /** Infix operators, with Java's precedence (higher binds tighter). */
  enum BinaryOp {
    MULTIPLY("*", 12),
    DIVIDE("/", 12),
    REMAINDER("%", 12),
    ADD("+", 11),
    SUBTRACT("-", 11),
    SHIFT_LEFT("<<", 10),
    SHIFT_RIGHT(">>", 10),
    UNSIGNED_SHIFT_RIGHT(">>>", 10),
    LESS("<", 9),
    LESS_EQUAL("<=", 9),
    GREATER(">", 9),
    GREATER_EQUAL(">=", 9),
    EQUAL("==", 8),
    NOT_EQUAL("!=", 8),
    AND("&", 7),
    XOR("^", 6),
    OR("|", 5),
    CONDITIONAL_AND("&&", 4),
    CONDITIONAL_OR("||", 3);

    public final String symbol;
    public final int precedence;

    BinaryOp(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }

    public boolean isComparison() {
      return precedence == 9 || precedence == 8;
    }

    public boolean isArithmetic() {
      return precedence >= 11;
    }
  }
}
