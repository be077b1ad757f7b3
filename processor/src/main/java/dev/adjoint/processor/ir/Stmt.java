package dev.adjoint.processor.ir;

import java.util.List;

/** A statement of the IR: structured control flow over assignments to variables. */
public sealed interface Stmt {

  /** Declares a local, with an initial value or none. */
  record Declare(Variable variable, Expr init, Position position) implements Stmt {}

  /** {@code variable = value}; compound assignments and {@code ++} arrive here lowered. */
  record Assign(Variable variable, Expr value, Position position) implements Stmt {}

  /** {@code array[i] = value} or {@code array[i][j] = value}: one index per dimension. */
  record ArrayWrite(Variable array, List<Expr> indices, Expr value, Position position)
      implements Stmt {}

  /** {@code if (condition) thenBlock else elseBlock}; an absent else is an empty block. */
  record If(Expr condition, Block thenBlock, Block elseBlock) implements Stmt {}

  /**
   * Every loop: {@code for (init; condition; update) body}, {@code while} (no init, no update)
   * and {@code do body while (condition)} ({@code testFirst} false). A null label is none.
   */
  record Loop(
      String label,
      List<Stmt> init,
      Expr condition,
      List<Stmt> update,
      Block body,
      boolean testFirst,
      Position position)
      implements Stmt {}

  /** {@code return value}; gone after control-flow lowering. */
  record Return(Expr value, Position position) implements Stmt {}

  /** {@code break label}; gone after control-flow lowering. */
  record Break(String label, Position position) implements Stmt {}

  /** {@code continue label}; gone after control-flow lowering. */
  record Continue(String label, Position position) implements Stmt {}

  /** A nested scope. */
  record Block(List<Stmt> statements) implements Stmt {
    public static Block of(List<Stmt> statements) {
      return new Block(List.copyOf(statements));
    }

    public boolean isEmpty() {
      return statements.isEmpty();
    }
  }

  /** An expression evaluated for its effect (the reverse sweep's adjoint calls). */
  record Evaluate(Expr expression) implements Stmt {}

  /** Reverse sweep only: restores every element of {@code array} saved by a push. */
  record RestoreArray(Variable tape, Variable array) implements Stmt {}

  /** Forward sweep only: saves a value the reverse sweep will need. */
  record Push(Variable tape, Expr value) implements Stmt {}

  /** Sweeps only: gives back the last {@code count} arrays borrowed from the tape. */
  record Release(Variable tape, int count) implements Stmt {}

  /** Reverse sweep only: {@code array[index] = value} in the scratch array of call partials. */
  record ElementAssign(Variable array, int index, Expr value) implements Stmt {}
}
