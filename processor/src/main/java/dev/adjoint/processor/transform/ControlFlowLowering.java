package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Stmt.Block;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Removes {@code return}, {@code break} and {@code continue}, so that the reverse transform
 * only meets structured code whose every statement runs to its end.
 *
 * <p>First, code after an {@code if} one of whose branches always jumps moves into the other
 * branch, which removes the usual early returns without any flag. Then a return in tail
 * position becomes an assignment to {@code result}; any other jump sets a boolean flag,
 * statements after it are guarded by the flag, and loop conditions test it.
 */
public final class ControlFlowLowering {
  private final Deque<LoopContext> loops = new ArrayDeque<>();
  private Variable result;
  private Variable returned;

  private static final class LoopContext {
    final Stmt.Loop loop;
    Variable breakFlag;
    Variable continueFlag;

    LoopContext(Stmt.Loop loop) {
      this.loop = loop;
    }
  }

  /** Where a statement list ends: the method's end, a loop body's end, or neither. */
  private record Tail(boolean methodEnd, Stmt.Loop loopEnd) {
    static final Tail NONE = new Tail(false, null);
  }

  /**
   * {@code method} (as read, with returns) without jumps: its body ends by giving {@link
   * MethodIr#result()} its value (a void helper has none; an array result is the local array
   * it returns). One instance lowers one method.
   */
  public MethodIr lower(MethodIr method) {
    if (method.returnType().isArray()) {
      // The reader checked the form: one local array, returned once at the very end. The
      // statements before it may still break out of or continue loops: lowered as a void
      // method's (there is no other return).
      List<Stmt> body = new ArrayList<>(method.body().statements());
      Stmt.Return last = (Stmt.Return) body.remove(body.size() - 1);
      result = null;
      List<Stmt> lowered = lowerList(absorb(Block.of(body)).statements(), new Tail(true, null),
          true);
      return method.withBody(Block.of(lowered),
          ((Expr.Local) last.value().orElseThrow()).variable());
    }
    boolean helper = method.returnType() == Type.VOID;
    result = helper ? null : new Variable("result", method.returnType(), Variable.Kind.SYNTHETIC);
    Block absorbed = absorb(method.body());
    boolean straightReturn = helper || isOnlyReturnAtEnd(absorbed);
    List<Stmt> body = lowerList(absorbed.statements(), new Tail(true, null), straightReturn);
    List<Stmt> out = new ArrayList<>();
    if (!straightReturn) {
      out.add(new Stmt.Declare(result, zero(method.returnType()), Position.NONE));
    }
    if (returned != null) {
      out.add(new Stmt.Declare(returned, Expr.Literal.ofBoolean(false), Position.NONE));
    }
    out.addAll(body);
    return method.withBody(Block.of(out), result);
  }

  // ------------------------------------------------------------ else-absorption

  private Block absorb(Block block) {
    return Block.of(absorbList(block.statements()));
  }

  private List<Stmt> absorbList(List<Stmt> statements) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      Stmt s = absorbInside(statements.get(i));
      List<Stmt> rest = statements.subList(i + 1, statements.size());
      if (s instanceof Stmt.If f && !rest.isEmpty()) {
        boolean thenJumps = alwaysJumps(f.thenBlock());
        boolean elseJumps = alwaysJumps(f.elseBlock());
        if (thenJumps != elseJumps) {
          Block target = thenJumps ? f.elseBlock() : f.thenBlock();
          List<Stmt> merged = new ArrayList<>(target.statements());
          merged.addAll(rest);
          Block absorbedRest = Block.of(absorbList(merged));
          out.add(thenJumps
              ? new Stmt.If(f.condition(), f.thenBlock(), absorbedRest)
              : new Stmt.If(f.condition(), absorbedRest, f.elseBlock()));
          return out;
        }
      }
      out.add(s);
    }
    return out;
  }

  private Stmt absorbInside(Stmt s) {
    return s.accept(new AbsorbInside());
  }

  /** A statement with else-absorption applied to the blocks nested in it. */
  private final class AbsorbInside implements Stmt.SourceVisitor<Stmt> {
    @Override
    public Stmt visitDeclare(Stmt.Declare s) {
      return s;
    }

    @Override
    public Stmt visitAssign(Stmt.Assign s) {
      return s;
    }

    @Override
    public Stmt visitArrayWrite(Stmt.ArrayWrite s) {
      return s;
    }

    @Override
    public Stmt visitIf(Stmt.If s) {
      return new Stmt.If(s.condition(), absorb(s.thenBlock()), absorb(s.elseBlock()));
    }

    @Override
    public Stmt visitLoop(Stmt.Loop s) {
      return new Stmt.Loop(s.label(), s.init(), s.condition(), s.update(), absorb(s.body()),
          s.testFirst(), s.position());
    }

    @Override
    public Stmt visitReturn(Stmt.Return s) {
      return s;
    }

    @Override
    public Stmt visitBreak(Stmt.Break s) {
      return s;
    }

    @Override
    public Stmt visitContinue(Stmt.Continue s) {
      return s;
    }

    @Override
    public Stmt visitBlock(Block s) {
      return absorb(s);
    }

    @Override
    public Stmt visitEvaluate(Stmt.Evaluate s) {
      return s;
    }

    @Override
    public Stmt visitThrow(Stmt.Throw s) {
      return s;
    }
  }

  /** Whether control never falls out of the end of {@code block}. */
  private static boolean alwaysJumps(Block block) {
    return !block.isEmpty()
        && block.statements().get(block.statements().size() - 1).accept(AlwaysJumps.INSTANCE);
  }

  /**
   * Whether control never falls out of the end of a statement: a jump, or an if both of whose
   * branches always jump. A loop may always be left by its condition.
   */
  private static final class AlwaysJumps implements Stmt.SourceVisitor<Boolean> {
    static final AlwaysJumps INSTANCE = new AlwaysJumps();

    @Override
    public Boolean visitDeclare(Stmt.Declare s) {
      return false;
    }

    @Override
    public Boolean visitAssign(Stmt.Assign s) {
      return false;
    }

    @Override
    public Boolean visitArrayWrite(Stmt.ArrayWrite s) {
      return false;
    }

    @Override
    public Boolean visitIf(Stmt.If s) {
      return alwaysJumps(s.thenBlock()) && alwaysJumps(s.elseBlock());
    }

    @Override
    public Boolean visitLoop(Stmt.Loop s) {
      return false;
    }

    @Override
    public Boolean visitReturn(Stmt.Return s) {
      return true;
    }

    @Override
    public Boolean visitBreak(Stmt.Break s) {
      return true;
    }

    @Override
    public Boolean visitContinue(Stmt.Continue s) {
      return true;
    }

    @Override
    public Boolean visitBlock(Block s) {
      return alwaysJumps(s);
    }

    @Override
    public Boolean visitEvaluate(Stmt.Evaluate s) {
      return false;
    }

    /**
     * A throw leaves the method, but needs no flag: nothing after it runs, and the reverse
     * sweep only runs when it did not throw. Keeping the code after an {@code if} that throws
     * where it is keeps it at the top level (run once).
     */
    @Override
    public Boolean visitThrow(Stmt.Throw s) {
      return false;
    }
  }

  private static boolean isOnlyReturnAtEnd(Block body) {
    List<Stmt> stmts = body.statements();
    if (stmts.isEmpty() || !(stmts.get(stmts.size() - 1) instanceof Stmt.Return)) {
      return false;
    }
    for (int i = 0; i < stmts.size() - 1; i++) {
      if (containsReturn(stmts.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsReturn(Stmt s) {
    return Statements.find(s, Stmt.Return.class).isPresent();
  }

  // ------------------------------------------------------------ lowering

  private List<Stmt> lowerList(List<Stmt> statements, Tail tail, boolean declareResult) {
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < statements.size(); i++) {
      Stmt s = statements.get(i);
      boolean last = i == statements.size() - 1;
      Set<Variable> flags = last ? Set.of() : escapingFlags(s);
      out.addAll(lowerStatement(s, last ? tail : Tail.NONE, declareResult && last));
      if (!flags.isEmpty()) {
        List<Stmt> rest = lowerList(statements.subList(i + 1, statements.size()), tail,
            declareResult);
        if (!rest.isEmpty()) {
          out.add(new Stmt.If(noneSet(flags), Block.of(rest), Block.of(List.of())));
        }
        break;
      }
    }
    return out;
  }

  private List<Stmt> lowerStatement(Stmt s, Tail tail, boolean declareResult) {
    return s.accept(new Lower(tail, declareResult));
  }

  /** One statement without jumps: the statements that replace it. */
  private final class Lower implements Stmt.SourceVisitor<List<Stmt>> {
    private final Tail tail;
    private final boolean declareResult;

    /**
     * @param tail where the statement stands: a jump there needs no flag
     * @param declareResult whether a return at the method's end declares {@code result}
     */
    Lower(Tail tail, boolean declareResult) {
      this.tail = tail;
      this.declareResult = declareResult;
    }

    @Override
    public List<Stmt> visitDeclare(Stmt.Declare s) {
      return List.of(s);
    }

    @Override
    public List<Stmt> visitAssign(Stmt.Assign s) {
      return List.of(s);
    }

    @Override
    public List<Stmt> visitArrayWrite(Stmt.ArrayWrite s) {
      return List.of(s);
    }

    @Override
    public List<Stmt> visitIf(Stmt.If s) {
      return List.of(new Stmt.If(s.condition(),
          Block.of(lowerList(s.thenBlock().statements(), tail, false)),
          Block.of(lowerList(s.elseBlock().statements(), tail, false))));
    }

    @Override
    public List<Stmt> visitLoop(Stmt.Loop s) {
      return lowerLoop(s);
    }

    /**
     * At the method's end, the value goes to {@code result} (a void helper's return does
     * nothing there); elsewhere it also sets {@code returned}, which guards what follows.
     */
    @Override
    public List<Stmt> visitReturn(Stmt.Return s) {
      if (s.value().isEmpty()) {
        return tail.methodEnd() ? List.of() : List.of(setReturned(s));
      }
      Expr value = s.value().get();
      if (tail.methodEnd()) {
        return List.of(declareResult
            ? new Stmt.Declare(result, value, s.position())
            : new Stmt.Assign(result, value, s.position()));
      }
      return List.of(new Stmt.Assign(result, value, s.position()), setReturned(s));
    }

    /** {@code returned = true}; the flag exists only once a return needs it. */
    private Stmt setReturned(Stmt.Return s) {
      return new Stmt.Assign(returnedFlag(), Expr.Literal.ofBoolean(true), s.position());
    }

    @Override
    public List<Stmt> visitBreak(Stmt.Break s) {
      LoopContext target = target(s.label());
      return List.of(new Stmt.Assign(breakFlag(target), Expr.Literal.ofBoolean(true),
          s.position()));
    }

    /** At the end of the body of the loop it continues, it does nothing. */
    @Override
    public List<Stmt> visitContinue(Stmt.Continue s) {
      LoopContext target = target(s.label());
      if (tail.loopEnd() == target.loop) {
        return List.of();
      }
      return List.of(new Stmt.Assign(continueFlag(target), Expr.Literal.ofBoolean(true),
          s.position()));
    }

    @Override
    public List<Stmt> visitBlock(Block s) {
      return List.of(Block.of(lowerList(s.statements(), tail, declareResult)));
    }

    @Override
    public List<Stmt> visitEvaluate(Stmt.Evaluate s) {
      return List.of(s);
    }

    @Override
    public List<Stmt> visitThrow(Stmt.Throw s) {
      return List.of(s);
    }
  }

  private List<Stmt> lowerLoop(Stmt.Loop loop) {
    LoopContext context = new LoopContext(loop);
    Set<Variable> escaping = escapingFlags(loop);
    loops.push(context);
    List<Stmt> body;
    try {
      body = lowerList(loop.body().statements(), new Tail(false, loop), false);
    } finally {
      loops.pop();
    }
    List<Stmt> out = new ArrayList<>();
    Set<Variable> stops = new LinkedHashSet<>();
    if (context.breakFlag != null) {
      out.add(new Stmt.Declare(context.breakFlag, Expr.Literal.ofBoolean(false), Position.NONE));
      stops.add(context.breakFlag);
    }
    stops.addAll(escaping);
    if (context.continueFlag != null) {
      List<Stmt> withReset = new ArrayList<>();
      withReset.add(new Stmt.Declare(context.continueFlag, Expr.Literal.ofBoolean(false),
          Position.NONE));
      withReset.addAll(body);
      body = withReset;
    }
    Expr condition = stops.isEmpty() ? loop.condition()
        : Exprs.and(noneSet(stops), loop.condition());
    List<Stmt> update = loop.update();
    if (!stops.isEmpty() && !update.isEmpty() && !writesOnlyLoopLocals(loop)) {
      // After a break or return the update must not run: it writes variables seen later.
      update = List.of(new Stmt.If(noneSet(stops), Block.of(update), Block.of(List.of())));
    }
    out.add(Stmt.Loop.unlabelled(loop.init(), condition, update, Block.of(body),
        loop.testFirst(), loop.position()));
    return out;
  }

  private static boolean writesOnlyLoopLocals(Stmt.Loop loop) {
    Set<Variable> declared = new LinkedHashSet<>();
    for (Stmt s : loop.init()) {
      if (s instanceof Stmt.Declare d) {
        declared.add(d.variable());
      }
    }
    for (Stmt s : loop.update()) {
      if (!(s instanceof Stmt.Assign a) || !declared.contains(a.variable())) {
        return false;
      }
    }
    return true;
  }

  /** The flags that jumps inside {@code s} set and that matter after {@code s}. */
  private Set<Variable> escapingFlags(Stmt s) {
    Set<Variable> flags = new LinkedHashSet<>();
    collectEscaping(s, new ArrayDeque<>(), flags);
    return flags;
  }

  private void collectEscaping(Stmt s, Deque<Stmt.Loop> inner, Set<Variable> flags) {
    s.accept(new Escaping(inner, flags));
  }

  /** Collects the flags of the jumps in a statement that leave it. */
  private final class Escaping implements Stmt.SourceVisitor<Void> {
    /** The loops inside the statement around the current one, innermost first. */
    private final Deque<Stmt.Loop> inner;
    private final Set<Variable> flags;

    Escaping(Deque<Stmt.Loop> inner, Set<Variable> flags) {
      this.inner = inner;
      this.flags = flags;
    }

    private Void nested(Stmt s) {
      Statements.children(s).forEach(child -> child.accept(this));
      return null;
    }

    @Override
    public Void visitDeclare(Stmt.Declare s) {
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign s) {
      return null;
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite s) {
      return null;
    }

    @Override
    public Void visitIf(Stmt.If s) {
      return nested(s);
    }

    /** Only the body can jump; a jump to this loop or one inside it stays inside. */
    @Override
    public Void visitLoop(Stmt.Loop s) {
      inner.push(s);
      s.body().statements().forEach(child -> child.accept(this));
      inner.pop();
      return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
      flags.add(returnedFlag());
      return null;
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
      if (!targetsInner(s.label(), inner)) {
        flags.add(breakFlag(target(s.label())));
      }
      return null;
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
      if (!targetsInner(s.label(), inner)) {
        flags.add(continueFlag(target(s.label())));
      }
      return null;
    }

    @Override
    public Void visitBlock(Block s) {
      return nested(s);
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate s) {
      return null;
    }

    @Override
    public Void visitThrow(Stmt.Throw s) {
      return null;
    }
  }

  private static boolean targetsInner(Optional<String> label, Deque<Stmt.Loop> inner) {
    if (label.isEmpty()) {
      return !inner.isEmpty();
    }
    return inner.stream().anyMatch(l -> label.equals(l.label()));
  }

  private LoopContext target(Optional<String> label) {
    if (label.isEmpty()) {
      return loops.peek();
    }
    return loops.stream().filter(c -> label.equals(c.loop.label())).findFirst().orElseThrow();
  }

  private Variable returnedFlag() {
    if (returned == null) {
      returned = new Variable("returned", Type.BOOLEAN, Variable.Kind.SYNTHETIC);
    }
    return returned;
  }

  private static Variable breakFlag(LoopContext c) {
    if (c.breakFlag == null) {
      c.breakFlag = new Variable(
          "broke" + c.loop.label().map(Identifiers::capitalize).orElse(""),
          Type.BOOLEAN, Variable.Kind.SYNTHETIC);
    }
    return c.breakFlag;
  }

  private static Variable continueFlag(LoopContext c) {
    if (c.continueFlag == null) {
      c.continueFlag = new Variable(
          "skipRest" + c.loop.label().map(Identifiers::capitalize).orElse(""),
          Type.BOOLEAN, Variable.Kind.SYNTHETIC);
    }
    return c.continueFlag;
  }

  private static Expr noneSet(Set<Variable> flags) {
    Expr condition = null;
    for (Variable flag : flags) {
      condition = Exprs.and(condition, Exprs.not(Exprs.local(flag)));
    }
    return condition;
  }

  private static Expr zero(Type type) {
    return new Expr.Literal(type, type == Type.FLOAT ? (Object) 0.0f : (Object) 0.0);
  }

}
