package dev.adjoint.processor.ir;

import dev.adjoint.processor.ir.Expr.BinaryOp;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Short builders of hand-written IR for the stage tests, which run without javac. Variables
 * compare by identity: a test keeps the references it builds and reads them back.
 */
public final class Ir {
  private Ir() {}

  public static Variable parameter(String name, Type type) {
    return new Variable(name, type, Variable.Kind.PARAMETER);
  }

  public static Variable local(String name, Type type) {
    return new Variable(name, type, Variable.Kind.LOCAL);
  }

  public static Expr.Local read(Variable v) {
    return new Expr.Local(v);
  }

  public static Expr.Literal num(double v) {
    return Expr.Literal.of(v);
  }

  public static Expr.Literal integer(int v) {
    return Expr.Literal.ofInt(v);
  }

  public static Expr.Literal bool(boolean v) {
    return Expr.Literal.ofBoolean(v);
  }

  public static Expr binary(BinaryOp op, Expr a, Expr b) {
    return Exprs.binary(op, a, b);
  }

  public static Expr plus(Expr a, Expr b) {
    return binary(BinaryOp.ADD, a, b);
  }

  public static Expr times(Expr a, Expr b) {
    return binary(BinaryOp.MULTIPLY, a, b);
  }

  public static Expr less(Expr a, Expr b) {
    return binary(BinaryOp.LESS, a, b);
  }

  public static Expr greater(Expr a, Expr b) {
    return binary(BinaryOp.GREATER, a, b);
  }

  public static Expr.Cast cast(Type type, Expr operand) {
    return new Expr.Cast(type, operand, Position.NONE);
  }

  public static Stmt.Declare declare(Variable v, Expr init) {
    return new Stmt.Declare(v, init, Position.NONE);
  }

  public static Stmt.Assign assign(Variable v, Expr value) {
    return new Stmt.Assign(v, value, Position.NONE);
  }

  /** {@code array[index] = value}. */
  public static Stmt.ArrayWrite write(Variable array, Expr index, Expr value) {
    return new Stmt.ArrayWrite(array, List.of(index), value, Position.NONE);
  }

  /** {@code v = v + 1} (what the reader makes of {@code v++}). */
  public static Stmt.Assign increment(Variable v) {
    return assign(v, plus(read(v), integer(1)));
  }

  /** {@code v = v - 1}. */
  public static Stmt.Assign decrement(Variable v) {
    return assign(v, binary(BinaryOp.SUBTRACT, read(v), integer(1)));
  }

  public static Stmt.Block block(Stmt... statements) {
    return Stmt.Block.of(Arrays.asList(statements));
  }

  public static Stmt.If ifThen(Expr condition, Stmt... then) {
    return new Stmt.If(condition, block(then), block());
  }

  public static Stmt.If ifElse(Expr condition, Stmt.Block then, Stmt.Block otherwise) {
    return new Stmt.If(condition, then, otherwise);
  }

  /** {@code while (condition) body}. */
  public static Stmt.Loop whileLoop(Expr condition, Stmt... body) {
    return Stmt.Loop.unlabelled(List.of(), condition, List.of(), block(body), true,
        Position.NONE);
  }

  /** {@code label: while (condition) body}. */
  public static Stmt.Loop labelledWhile(String label, Expr condition, Stmt... body) {
    return new Stmt.Loop(Optional.of(label), List.of(), condition, List.of(), block(body), true,
        Position.NONE);
  }

  /** {@code for (init; condition; update) body}. */
  public static Stmt.Loop forLoop(Stmt init, Expr condition, Stmt update, Stmt... body) {
    return Stmt.Loop.unlabelled(List.of(init), condition, List.of(update), block(body), true,
        Position.NONE);
  }

  public static Stmt.Return ret(Expr value) {
    return new Stmt.Return(Optional.of(value), Position.NONE);
  }

  /** {@code return;} */
  public static Stmt.Return ret() {
    return new Stmt.Return(Optional.empty(), Position.NONE);
  }

  public static Stmt.Break breakLoop() {
    return new Stmt.Break(Optional.empty(), Position.NONE);
  }

  public static Stmt.Continue continueLoop() {
    return new Stmt.Continue(Optional.empty(), Position.NONE);
  }

  public static Stmt.Continue continueLoop(String label) {
    return new Stmt.Continue(Optional.of(label), Position.NONE);
  }

  /** A static method {@code Owner.name} with the given parameter types, of order 1 if any. */
  public static Callee callee(String name, Type result, boolean differentiable,
      Type... parameterTypes) {
    List<Type> types = List.of(parameterTypes);
    List<String> names = IntStream.range(0, types.size()).mapToObj(i -> "p" + i).toList();
    List<Boolean> differentiates =
        types.stream().map(t -> differentiable && t.carriesDerivatives()).toList();
    return new Callee("example", "Owner", name, names, types, differentiates, result,
        differentiable, differentiable ? 1 : 0, false);
  }

  public static Expr.Call call(Callee callee, Expr... arguments) {
    return new Expr.Call(callee, List.of(arguments), Position.NONE);
  }

  /**
   * A method of {@code Owner} as read (no {@code result} yet), differentiated with respect to
   * {@code wrt}.
   */
  public static MethodIr method(String name, Type returnType, List<Variable> parameters,
      List<Variable> wrt, Stmt.Block body) {
    return new MethodIr("example", "Owner", name, parameters, returnType, body, null, wrt,
        List.of());
  }

  /**
   * A method of {@code Owner} as lowering leaves it: the body gives {@code result} its value.
   */
  public static MethodIr lowered(String name, List<Variable> parameters, List<Variable> wrt,
      Stmt.Block body, Variable result) {
    return new MethodIr("example", "Owner", name, parameters, result.type(), body, result, wrt,
        List.of());
  }
}
