package dev.adjoint.processor.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes the two sweeps of an {@link Adjoint} into a method body. {@code mAdjoint} writes both;
 * {@code mVjp} writes the forward sweep and its pullback the reverse sweep, so the code for each
 * sweep lives here once.
 */
final class SweepWriter {
  static final ClassName TAPE = ClassName.get("dev.adjoint.runtime", "Tape");
  static final ClassName SHAPES = ClassName.get("dev.adjoint.runtime", "Shapes");

  /**
   * Where the reverse sweep leaves its results.
   *
   * @param scalars the array receiving the scalar parameters' adjoints, or null if none
   * @param arrays per differentiable array parameter, the buffer receiving its adjoint (which
   *     may be null at run time when {@code buffersMayBeNull})
   * @param retained the array receiving the retained locals' adjoints, or null if none
   */
  record Outputs(String scalars, Map<Variable, String> arrays, boolean buffersMayBeNull,
      String retained) {}

  private SweepWriter() {}

  /**
   * The tape (unless the caller passes one in), the hoisted declarations, the forward sweep.
   * The scratch array of recorded calls is borrowed here and given back by the reverse sweep
   * of the same method, so that the tape's borrowed arrays keep their sizes from call to call.
   */
  static void forward(Adjoint a, JavaPrinter printer, CodeBlock.Builder body,
      boolean declareTape) {
    if (a.tape().isPresent() && declareTape) {
      body.addStatement("$T $L = new $T()", TAPE, printer.name(a.tape().get()), TAPE);
    }
    if (!a.hoisted().isEmpty()) {
      body.add("// Variables both sweeps use, declared where both can see them.\n");
    }
    printer.statements(a.hoisted(), body);
    body.add(forwardComment(a));
    if (a.forwardScratch().isPresent()) {
      body.addStatement("double[] $L = $L.borrow($L)",
          printer.name(a.forwardScratch().get().array()), printer.name(a.tape().orElseThrow()),
          a.forwardScratch().get().size());
    }
    printer.statements(a.forward(), body);
  }

  /**
   * Adjoint declarations, the reverse sweep, and the accumulation into {@code outputs}; {@code
   * afterForward} when the forward sweep ran in the same method (its borrowing is undone here).
   */
  static void reverse(Adjoint a, JavaPrinter printer, CodeBlock.Builder body, String seed,
      Outputs outputs, boolean afterForward) {
    reverse(a, printer, body, seed, outputs, afterForward, Optional.empty());
  }

  /**
   * As above; with {@code seedTape}, the name of a tape in scope, an array output seed is copied
   * into an array borrowed from it instead of a fresh copy, so that the call allocates nothing
   * for it.
   */
  static void reverse(Adjoint a, JavaPrinter printer, CodeBlock.Builder body, String seed,
      Outputs outputs, boolean afterForward, Optional<String> seedTape) {
    MethodIr m = a.method();
    body.add("// Reverse sweep: adjoints flow from $L back to the parameters.\n",
        m.result() == null ? "the arrays' final state" : "the result");
    int borrowed = afterForward
        ? (a.forwardScratch().isPresent() ? 1 : 0) + a.borrowedAcrossSweeps() : 0;
    String tape = a.tape().map(printer::name).orElse(seedTape.orElse(null));
    if (a.scratch().isPresent()) {
      body.addStatement("double[] $L = $L.borrow($L)", printer.name(a.scratch().get().array()),
          tape, a.scratch().get().size());
      borrowed++;
    }
    // A void helper has no result: its seeds are its arrays' buffers.
    Variable resultAdjoint = m.result() == null ? null : a.adjointOf().get(m.result());
    for (Map.Entry<Variable, Variable> entry : a.adjointOf().entrySet()) {
      Variable v = entry.getKey();
      String bar = printer.name(entry.getValue());
      if (entry.getValue() == resultAdjoint && v.type() == Type.DOUBLE_ARRAY
          && seedTape.isPresent()) {
        // The output seed, copied into a borrowed array: the sweep consumes its adjoint array.
        body.addStatement("double[] $L = $L.borrow($L.length)", bar, tape, seed);
        body.addStatement("System.arraycopy($L, 0, $L, 0, $L.length)", seed, bar, seed);
        borrowed++;
      } else if (entry.getValue() == resultAdjoint && v.type().isArray()) {
        // The output seed, copied: the sweep consumes its adjoint array.
        body.addStatement("$T $L = $L.clone()", typeName(v.type()), bar, seed);
      } else if (entry.getValue() == resultAdjoint) {
        body.addStatement("double $L = $L", bar, seed);
      } else if (v.type().isArray() && outputs.arrays().containsKey(v)) {
        String buffer = outputs.arrays().get(v);
        if (outputs.buffersMayBeNull()) {
          // Parameters are never written, so their adjoints accumulate in the caller's buffer.
          body.addStatement("$T $L = $L != null ? $L : $T.zerosLike($L)", typeName(v.type()),
              bar, buffer, buffer, SHAPES, printer.name(v));
        } else {
          body.addStatement("$T $L = $L", typeName(v.type()), bar, buffer);
        }
      } else if (v.type() == Type.DOUBLE_ARRAY && tape != null) {
        // Borrowed from the tape: a gradient loop reusing its tape allocates nothing.
        body.addStatement("double[] $L = $L.borrowLike($L)", bar, tape, printer.name(v));
        borrowed++;
      } else if (v.type().isArray()) {
        body.addStatement("$T $L = $T.zerosLike($L)", typeName(v.type()), bar, SHAPES,
            printer.name(v));
      } else {
        body.addStatement("double $L = 0.0", bar);
      }
    }
    for (Variable captured : a.retainedAdjoints().values()) {
      body.addStatement("double $L = 0.0", printer.name(captured));
    }
    printer.statements(a.reverse(), body);
    int i = 0;
    for (Variable p : m.differentiableScalars()) {
      Variable bar = a.adjointOf().get(p);
      if (bar != null) {
        body.addStatement("$L[$L] += $L", outputs.scalars(), i, printer.name(bar));
      }
      i++;
    }
    for (int k = 0; k < m.retained().size(); k++) {
      body.addStatement("$L[$L] += $L", outputs.retained(), k,
          printer.name(a.retainedAdjoints().get(m.retained().get(k))));
    }
    if (borrowed > 0) {
      body.addStatement("$L.release($L)", tape, borrowed);
    }
  }

  /** What the forward sweep does besides the method's own computation, for its comment. */
  private static String forwardComment(Adjoint a) {
    boolean records = a.forward().stream().anyMatch(s -> s.accept(RECORDS));
    boolean partials = a.forwardScratch().isPresent();
    boolean values = a.forward().stream().anyMatch(s -> computesForReverse(a, s));
    StringBuilder comment = new StringBuilder("// Forward sweep: runs the method");
    if (values) {
      comment.append(", keeping in locals the intermediate values the reverse sweep reads");
    }
    if (partials) {
      comment.append(values ? " and" : ",").append(" the partials of the calls it makes (from "
          + "their adjoints)");
    }
    if (records) {
      comment.append("; records on the tape what the reverse sweep restores");
    }
    return comment.append(".\n").toString();
  }

  /**
   * Whether a top-level statement of the forward sweep declares a value computed only for the
   * reverse sweep: a temporary of the transform that is neither the result, a control flag nor
   * the value of a call differentiated where it happens.
   */
  private static boolean computesForReverse(Adjoint a, Stmt s) {
    return s instanceof Stmt.Declare d && d.variable().kind() == Variable.Kind.SYNTHETIC
        && d.variable() != a.method().result() && d.variable().type() != Type.BOOLEAN
        && !(d.init().orElse(null) instanceof Expr.AdjointCall);
  }

  /** Whether a statement pushes onto the tape, itself or in a nested statement. */
  private static final Stmt.Visitor<Boolean> RECORDS = new Stmt.Visitor<>() {
    private boolean any(List<Stmt> statements) {
      return statements.stream().anyMatch(s -> s.accept(this));
    }

    @Override
    public Boolean visitPush(Stmt.Push s) {
      return true;
    }

    @Override
    public Boolean visitIf(Stmt.If s) {
      return any(s.thenBlock().statements()) || any(s.elseBlock().statements());
    }

    @Override
    public Boolean visitLoop(Stmt.Loop s) {
      return any(s.init()) || any(s.body().statements()) || any(s.update());
    }

    @Override
    public Boolean visitBlock(Stmt.Block s) {
      return any(s.statements());
    }

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
    public Boolean visitEvaluate(Stmt.Evaluate s) {
      return false;
    }

    @Override
    public Boolean visitThrow(Stmt.Throw s) {
      return false;
    }

    @Override
    public Boolean visitRestoreArray(Stmt.RestoreArray s) {
      return false;
    }

    @Override
    public Boolean visitRelease(Stmt.Release s) {
      return false;
    }

    @Override
    public Boolean visitElementAssign(Stmt.ElementAssign s) {
      return false;
    }

    @Override
    public Boolean visitReturn(Stmt.Return s) {
      throw new IllegalStateException("return cannot appear in a sweep: lowering removed it");
    }

    @Override
    public Boolean visitBreak(Stmt.Break s) {
      throw new IllegalStateException("break cannot appear in a sweep: lowering removed it");
    }

    @Override
    public Boolean visitContinue(Stmt.Continue s) {
      throw new IllegalStateException("continue cannot appear in a sweep: lowering removed it");
    }
  };

  /** Checks that a vector seed matches the output's length. */
  static void checkSeed(MethodIr m, JavaPrinter printer, CodeBlock.Builder body, String seed) {
    String output = printer.name(m.result());
    body.addStatement("$T.requireNonNull($L, $S)", Objects.class, seed, seed);
    body.beginControlFlow("if ($L.length != $L.length)", seed, output)
        .addStatement("throw new $T($S + $L.length + $S + $L.length)",
            IllegalArgumentException.class, seed + " has length ", seed,
            " but " + m.name() + " returns an array of length ", output)
        .endControlFlow();
  }

  static TypeName typeName(Type t) {
    if (t.isArray()) {
      return ArrayTypeName.of(typeName(t.element()));
    }
    return switch (t) {
      case BOOLEAN -> TypeName.BOOLEAN;
      case BYTE -> TypeName.BYTE;
      case SHORT -> TypeName.SHORT;
      case CHAR -> TypeName.CHAR;
      case INT -> TypeName.INT;
      case LONG -> TypeName.LONG;
      case FLOAT -> TypeName.FLOAT;
      case VOID -> TypeName.VOID;
      default -> TypeName.DOUBLE;
    };
  }


}
