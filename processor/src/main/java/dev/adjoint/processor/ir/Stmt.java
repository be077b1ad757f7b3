package dev.adjoint.processor.ir;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A statement of the IR: structured control flow over assignments to variables.
 *
 * <p>Two families. The statements a method's source can contain are read from the body and
 * seen by every stage; {@link Sweep} statements exist only in the output of the reverse
 * transform (tape pushes, restores, releases, scratch writes). A pass chooses what it can
 * receive by the visitor it implements: a {@link SourceVisitor} has no method for sweep
 * statements and so cannot be written to handle them, and handing it one fails at once; a
 * {@link Visitor} handles both families. Neither has a default: adding a statement kind
 * fails to compile until every pass of its family handles it.
 */
public sealed interface Stmt {

  /** Dispatches to the visitor method of this statement's kind. */
  <R> R accept(Visitor<R> visitor);

  /**
   * Dispatches to the visitor method of this statement's kind; a sweep statement, which no
   * source pass can receive, throws {@link IllegalStateException}.
   */
  <R> R accept(SourceVisitor<R> visitor);

  /** A pass over statements of method bodies: the reader's output and the transforms' input. */
  interface SourceVisitor<R> {
    R visitDeclare(Declare s);

    R visitAssign(Assign s);

    R visitArrayWrite(ArrayWrite s);

    R visitIf(If s);

    R visitLoop(Loop s);

    R visitReturn(Return s);

    R visitBreak(Break s);

    R visitContinue(Continue s);

    R visitBlock(Block s);

    R visitEvaluate(Evaluate s);

    R visitThrow(Throw s);
  }

  /** A pass over every statement, the sweeps' own included: printers, generic walks. */
  interface Visitor<R> extends SourceVisitor<R> {
    R visitRestoreArray(RestoreArray s);

    R visitPush(Push s);

    R visitRelease(Release s);

    R visitElementAssign(ElementAssign s);
  }

  /** A statement a method's source can contain; any pass may receive it. */
  sealed interface Source extends Stmt {
    @Override
    default <R> R accept(Visitor<R> visitor) {
      return accept((SourceVisitor<R>) visitor);
    }
  }

  /** A statement only the reverse transform creates; only a full {@link Visitor} receives it. */
  sealed interface Sweep extends Stmt {
    @Override
    default <R> R accept(SourceVisitor<R> visitor) {
      if (visitor instanceof Visitor<R> full) {
        return accept(full);
      }
      throw new IllegalStateException(
          getClass().getSimpleName() + " is a sweep statement; " + visitor.getClass().getName()
              + " only handles statements of source methods");
    }
  }

  /** Declares a local, with an initial value or none. */
  record Declare(Variable variable, Optional<Expr> init, Position position) implements Source {
    public Declare {
      Objects.requireNonNull(init);
    }

    /** {@code T variable = init;} */
    public Declare(Variable variable, Expr init, Position position) {
      this(variable, Optional.of(init), position);
    }

    /** {@code T variable;} */
    public static Declare uninitialised(Variable variable, Position position) {
      return new Declare(variable, Optional.empty(), position);
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitDeclare(this);
    }
  }

  /** {@code variable = value}; compound assignments and {@code ++} arrive here lowered. */
  record Assign(Variable variable, Expr value, Position position) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitAssign(this);
    }
  }

  /** {@code array[i] = value} or {@code array[i][j] = value}: one index per dimension. */
  record ArrayWrite(Variable array, List<Expr> indices, Expr value, Position position)
      implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitArrayWrite(this);
    }
  }

  /** {@code if (condition) thenBlock else elseBlock}; an absent else is an empty block. */
  record If(Expr condition, Block thenBlock, Block elseBlock) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitIf(this);
    }
  }

  /**
   * Every loop: {@code for (init; condition; update) body}, {@code while} (no init, no update)
   * and {@code do body while (condition)} ({@code testFirst} false).
   */
  record Loop(
      Optional<String> label,
      List<Stmt> init,
      Expr condition,
      List<Stmt> update,
      Block body,
      boolean testFirst,
      Position position)
      implements Source {
    public Loop {
      Objects.requireNonNull(label);
    }

    /** A loop without a label. */
    public static Loop unlabelled(List<Stmt> init, Expr condition, List<Stmt> update,
        Block body, boolean testFirst, Position position) {
      return new Loop(Optional.empty(), init, condition, update, body, testFirst, position);
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitLoop(this);
    }
  }

  /** {@code return value} ({@code return;} in a void method); gone after lowering. */
  record Return(Optional<Expr> value, Position position) implements Source {
    public Return {
      Objects.requireNonNull(value);
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitReturn(this);
    }
  }

  /** {@code break label}; gone after control-flow lowering. */
  record Break(Optional<String> label, Position position) implements Source {
    public Break {
      Objects.requireNonNull(label);
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitBreak(this);
    }
  }

  /** {@code continue label}; gone after control-flow lowering. */
  record Continue(Optional<String> label, Position position) implements Source {
    public Continue {
      Objects.requireNonNull(label);
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitContinue(this);
    }
  }

  /** A nested scope. */
  record Block(List<Stmt> statements) implements Source {
    public static Block of(List<Stmt> statements) {
      return new Block(List.copyOf(statements));
    }

    public boolean isEmpty() {
      return statements.isEmpty();
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitBlock(this);
    }
  }

  /** An expression evaluated for its effect: a void helper's call, a callee's adjoint. */
  record Evaluate(Expr expression) implements Source {
    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitEvaluate(this);
    }
  }

  /**
   * {@code throw new E(message)} for an unchecked exception {@code E}: the message, when there
   * is one, is {@code texts[0] + values[0] + texts[1] + ... + texts[n]} (string concatenation,
   * each value printed as Java prints it), so {@code texts} has one element more than
   * {@code values}; without a message both are empty. The values are read, never
   * differentiated. The forward sweep throws where the method does; the reverse sweep, which
   * only runs when it did not, has nothing to undo.
   *
   * @param exception the exception class's qualified name
   * @param withMessage whether the exception is created with a message
   */
  record Throw(String exception, boolean withMessage, List<String> texts, List<Expr> values,
      Position position) implements Source {
    public Throw {
      texts = List.copyOf(texts);
      values = List.copyOf(values);
      if (withMessage ? texts.size() != values.size() + 1 : !texts.isEmpty() || !values.isEmpty()) {
        throw new IllegalArgumentException("a message has one text more than values: " + texts
            + ", " + values);
      }
    }

    @Override
    public <R> R accept(SourceVisitor<R> visitor) {
      return visitor.visitThrow(this);
    }
  }

  /** Reverse sweep only: restores every element of {@code array} saved by a push. */
  record RestoreArray(Variable tape, Variable array) implements Sweep {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitRestoreArray(this);
    }
  }

  /** Forward sweep only: saves a value the reverse sweep will need. */
  record Push(Variable tape, Expr value) implements Sweep {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitPush(this);
    }
  }

  /** Sweeps only: gives back the last {@code count} arrays borrowed from the tape. */
  record Release(Variable tape, int count) implements Sweep {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitRelease(this);
    }
  }

  /** Reverse sweep only: {@code array[index] = value} in the scratch array of call partials. */
  record ElementAssign(Variable array, int index, Expr value) implements Sweep {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.visitElementAssign(this);
    }
  }
}
