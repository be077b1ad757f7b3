package dev.adjoint.processor.ir;

import java.util.List;

/**
 * A side-effect-free expression of the IR. Every node knows its Java type, so later stages
 * never guess; the reader rejects anything with side effects before it gets here.
 */
public sealed interface Expr {
  Type type();

  /** A numeric or boolean literal; {@code value} is a boxed Java value of {@code type}. */
  record Literal(Type type, Object value) implements Expr {
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
  }

  /** Reads a variable. */
  record Local(Variable variable) implements Expr {
    @Override
    public Type type() {
      return variable.type();
    }
  }

  /** Reads a {@code static final} field, printed as {@code Owner.NAME}; never active. */
  record FieldRead(String ownerQualifiedName, String name, Type type) implements Expr {}

  /** A prefix operator. */
  record Unary(UnaryOp op, Expr operand, Type type) implements Expr {}

  /** An infix operator; {@code &&} and {@code ||} short-circuit as in Java. */
  record Binary(BinaryOp op, Expr left, Expr right, Type type) implements Expr {}

  /** {@code condition ? whenTrue : whenFalse}. */
  record Conditional(Expr condition, Expr whenTrue, Expr whenFalse, Type type) implements Expr {}

  /** A primitive conversion. */
  record Cast(Type type, Expr operand, Position position) implements Expr {}

  /**
   * A call of a {@code java.lang.Math} function whose derivative the table knows; {@code strict}
   * when the source called {@code StrictMath}, whose results the forward sweep must reproduce.
   */
  record IntrinsicCall(
      Intrinsic intrinsic, List<Expr> arguments, Type type, boolean strict, Position position)
      implements Expr {}

  /** A call of another static method: differentiable through its generated adjoint, or not. */
  record Call(Callee callee, List<Expr> arguments, Position position) implements Expr {
    @Override
    public Type type() {
      return callee.returnType();
    }

    /** The array variables passed: what a void helper may write. */
    public List<Variable> arrayArguments() {
      return arguments.stream().filter(a -> a instanceof Local && a.type().isArray())
          .map(a -> ((Local) a).variable()).toList();
    }
  }

  /**
   * Reverse sweep only: {@code callee}'s adjoint, adding its scalar partials into
   * {@code scratch} (null when it has none) and its array partials into
   * {@code arrayAdjoints}, one per differentiable array parameter (a null literal where the
   * caller needs none).
   */
  record AdjointCall(
      Callee callee,
      List<Expr> arguments,
      Expr seed,
      Variable scratch,
      List<Expr> arrayAdjoints,
      Variable tape)
      implements Expr {
    @Override
    public Type type() {
      return callee.returnType();
    }
  }

  /** {@code array[index]}; for a {@code double[][]}, {@code a[i][j]} nests two reads. */
  record ArrayRead(Expr array, Expr index, Type type) implements Expr {}

  /** {@code array.length}. */
  record ArrayLength(Expr array) implements Expr {
    @Override
    public Type type() {
      return Type.INT;
    }
  }

  /**
   * {@code new T[d0][d1]} (dimensions, no elements) or {@code {e0, e1, ...}} (elements); only as
   * the initializer of a local array.
   */
  record NewArray(Type type, List<Expr> dimensions, List<Expr> elements) implements Expr {}

  /** Reverse sweep only: a copy of an array, for a callee that writes its argument. */
  record ArrayCopy(Expr array) implements Expr {
    @Override
    public Type type() {
      return array.type();
    }
  }

  /** Sweeps only: a zeroed {@code double[length]} borrowed from the tape (see Stmt.Release). */
  record Borrow(Variable tape, Expr length) implements Expr {
    @Override
    public Type type() {
      return Type.DOUBLE_ARRAY;
    }
  }

  /** Reverse sweep only: the value last pushed on the tape. */
  record TapePop(Variable tape, Type type) implements Expr {}

  /** Reverse sweep only: an element of a scratch array of doubles. */
  record Element(Variable array, int index) implements Expr {
    @Override
    public Type type() {
      return Type.DOUBLE;
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
