package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Identifiers.capitalize;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.Exprs;
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

  public MethodIr lower(MethodIr method) {
    if (method.returnType().isArray()) {
      // The reader checked the form: one local array, returned once at the very end.
      List<Stmt> body = new ArrayList<>(method.body().statements());
      Stmt.Return last = (Stmt.Return) body.remove(body.size() - 1);
      return method.withBody(Block.of(body), ((Expr.Local) last.value().orElseThrow()).variable());
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
    if (s instanceof Stmt.If f) {
      return new Stmt.If(f.condition(), absorb(f.thenBlock()), absorb(f.elseBlock()));
    }
    if (s instanceof Stmt.Loop l) {
      return new Stmt.Loop(l.label(), l.init(), l.condition(), l.update(), absorb(l.body()),
          l.testFirst(), l.position());
    }
    if (s instanceof Block b) {
      return absorb(b);
    }
    return s;
  }

  /** Whether control never falls out of the end of {@code block}. */
  private static boolean alwaysJumps(Block block) {
    if (block.isEmpty()) {
      return false;
    }
    Stmt last = block.statements().get(block.statements().size() - 1);
    if (last instanceof Stmt.Return || last instanceof Stmt.Break
        || last instanceof Stmt.Continue) {
      return true;
    }
    if (last instanceof Stmt.If f) {
      return alwaysJumps(f.thenBlock()) && alwaysJumps(f.elseBlock());
    }
    return last instanceof Block b && alwaysJumps(b);
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
    if (s instanceof Stmt.Return) {
      return true;
    }
    return Statements.children(s).stream().anyMatch(ControlFlowLowering::containsReturn);
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
    if (s instanceof Stmt.Return r && r.value().isEmpty()) {
      // A void helper's return: nothing to assign, only the rest to skip.
      return tail.methodEnd() ? List.of()
          : List.of(new Stmt.Assign(returnedFlag(), Expr.Literal.ofBoolean(true), r.position()));
    }
    if (s instanceof Stmt.Return r) {
      if (tail.methodEnd()) {
        return List.of(declareResult
            ? new Stmt.Declare(result, r.value().get(), r.position())
            : new Stmt.Assign(result, r.value().get(), r.position()));
      }
      return List.of(new Stmt.Assign(result, r.value().get(), r.position()),
          new Stmt.Assign(returnedFlag(), Expr.Literal.ofBoolean(true), r.position()));
    }
    if (s instanceof Stmt.Break b) {
      LoopContext target = target(b.label());
      return List.of(new Stmt.Assign(breakFlag(target), Expr.Literal.ofBoolean(true),
          b.position()));
    }
    if (s instanceof Stmt.Continue c) {
      LoopContext target = target(c.label());
      if (tail.loopEnd() == target.loop) {
        return List.of();
      }
      return List.of(new Stmt.Assign(continueFlag(target), Expr.Literal.ofBoolean(true),
          c.position()));
    }
    if (s instanceof Stmt.If f) {
      return List.of(new Stmt.If(f.condition(),
          Block.of(lowerList(f.thenBlock().statements(), tail, false)),
          Block.of(lowerList(f.elseBlock().statements(), tail, false))));
    }
    if (s instanceof Block b) {
      return List.of(Block.of(lowerList(b.statements(), tail, declareResult)));
    }
    if (s instanceof Stmt.Loop l) {
      return lowerLoop(l);
    }
    return List.of(s);
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
    if (s instanceof Stmt.Return) {
      flags.add(returnedFlag());
    } else if (s instanceof Stmt.Break b) {
      if (!targetsInner(b.label(), inner)) {
        flags.add(breakFlag(target(b.label())));
      }
    } else if (s instanceof Stmt.Continue c) {
      if (!targetsInner(c.label(), inner)) {
        flags.add(continueFlag(target(c.label())));
      }
    } else if (s instanceof Stmt.Loop l) {
      inner.push(l);
      for (Stmt child : l.body().statements()) {
        collectEscaping(child, inner, flags);
      }
      inner.pop();
    } else {
      for (Stmt child : Statements.children(s)) {
        collectEscaping(child, inner, flags);
      }
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
