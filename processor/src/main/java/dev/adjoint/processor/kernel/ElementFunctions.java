package dev.adjoint.processor.kernel;

import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import dev.adjoint.processor.transform.Adjoint;
import java.util.List;
import java.util.Map;

/**
 * The maths of one method as two C functions per precision, compiled for both host and device:
 * {@code m_f32(x, ...)}, the value, and {@code m_adjoint_f32(x, ..., seed, adjoints)}, which
 * returns the value and adds {@code seed} times the gradient into {@code adjoints} (one per
 * differentiated parameter), like the Java {@code mAdjoint}. The adjoint function prints the
 * reverse transform's own sweeps; only the syntax differs from the Java.
 */
final class ElementFunctions {
  private ElementFunctions() {}

  static String valueName(String method, boolean f32) {
    return method + (f32 ? "_f32" : "_f64");
  }

  static String adjointName(String method, boolean f32) {
    return method + (f32 ? "_adjoint_f32" : "_adjoint_f64");
  }

  /** The prototypes, so that methods may call each other in any order. */
  static void prototypes(KernelMethod k, boolean f32, StringBuilder out) {
    out.append(signature(k, f32, false, new CudaNames()).text()).append(";\n");
    out.append(signature(k, f32, true, new CudaNames()).text()).append(";\n");
  }

  /** A function's declaration, and the name of its adjoints pointer (when it has one). */
  private record Signature(String text, String adjoints) {}

  private static Signature signature(KernelMethod k, boolean f32, boolean adjoint,
      CudaNames names) {
    Adjoint a = k.adjoint();
    MethodIr m = a.method();
    CudaPrinter printer = new CudaPrinter(names, k.constants(), f32, null, null);
    StringBuilder s = new StringBuilder("ADJ_FN ").append(printer.type(m.returnType()))
        .append(' ').append(adjoint ? adjointName(m.name(), f32) : valueName(m.name(), f32))
        .append('(');
    String separator = "";
    for (Variable p : m.parameters()) {
      s.append(separator).append(printer.type(p.type())).append(' ').append(names.of(p));
      separator = ", ";
    }
    String adjoints = null;
    if (adjoint) {
      adjoints = names.fresh("adjoints");
      s.append(separator).append(printer.real()).append(' ').append(names.of(a.seed()))
          .append(", ").append(printer.real()).append("* ").append(adjoints);
    }
    return new Signature(s.append(')').toString(), adjoints);
  }

  /** {@code m_f32}: the lowered body, as the method computes it. */
  static void value(KernelMethod k, boolean f32, StringBuilder out) {
    MethodIr m = k.adjoint().method();
    CudaNames names = new CudaNames();
    out.append(signature(k, f32, false, names).text()).append(" {\n");
    CudaPrinter printer = new CudaPrinter(names, k.constants(), f32, null, null);
    printer.statements(m.body().statements(), out, "    ");
    out.append("    return ").append(printer.name(m.result())).append(";\n}\n\n");
  }

  /** {@code m_adjoint_f32}: forward sweep, reverse sweep, accumulation into {@code adjoints}. */
  static void adjoint(KernelMethod k, boolean f32, StringBuilder out) {
    Adjoint a = k.adjoint();
    MethodIr m = a.method();
    CudaNames names = new CudaNames();
    Signature signature = signature(k, f32, true, names);
    out.append(signature.text()).append(" {\n");
    String adjoints = signature.adjoints();
    String tape = null;
    String top = null;
    int pushes = pushes(a.forward()) + pushes(a.hoisted());
    if (a.tape().isPresent()) {
      // Loop-free code pushes each value at most once: a stack of that depth is the tape.
      tape = names.fresh("tape");
      top = names.fresh("tapeTop");
    }
    CudaPrinter printer = new CudaPrinter(names, k.constants(), f32, tape, top);
    String in = "    ";
    if (tape != null) {
      out.append(in).append("double ").append(tape).append('[').append(Math.max(1, pushes))
          .append("];\n").append(in).append("int ").append(top).append(" = 0;\n");
    }
    printer.statements(a.hoisted(), out, in);
    if (a.forwardScratch().isPresent()) {
      out.append(in).append(printer.real()).append(' ')
          .append(printer.name(a.forwardScratch().get().array()))
          .append('[').append(a.forwardScratch().get().size()).append("];\n");
    }
    out.append(in).append("// Forward sweep: the original computation.\n");
    printer.statements(a.forward(), out, in);
    out.append(in).append("// Reverse sweep: adjoints flow from the result back to the "
        + "parameters.\n");
    if (a.scratch().isPresent()) {
      out.append(in).append(printer.real()).append(' ')
          .append(printer.name(a.scratch().get().array()))
          .append('[').append(a.scratch().get().size()).append("];\n");
    }
    Variable resultAdjoint = a.adjointOf().get(m.result());
    for (Map.Entry<Variable, Variable> e : a.adjointOf().entrySet()) {
      out.append(in).append(printer.real()).append(' ').append(printer.name(e.getValue()))
          .append(" = ").append(e.getValue() == resultAdjoint ? printer.name(a.seed())
              : printer.literal(Exprs.lit(0))).append(";\n");
    }
    printer.statements(a.reverse(), out, in);
    List<Variable> scalars = m.differentiableScalars();
    for (int i = 0; i < scalars.size(); i++) {
      Variable bar = a.adjointOf().get(scalars.get(i));
      if (bar != null) {
        out.append(in).append(adjoints).append('[').append(i).append("] += ")
            .append(printer.name(bar)).append(";\n");
      }
    }
    out.append(in).append("return ").append(printer.name(m.result())).append(";\n}\n\n");
  }

  private static int pushes(List<Stmt> statements) {
    return statements.stream().mapToInt(s -> s.accept(PUSHES)).sum();
  }

  private static final PushCount PUSHES = new PushCount();

  /**
   * The pushes of loop-free code, each of which runs at most once: the depth of the stack
   * standing for the tape. Loops, arrays and jumps cannot reach a kernel.
   */
  private static final class PushCount implements Stmt.Visitor<Integer> {
    @Override
    public Integer visitPush(Stmt.Push s) {
      return 1;
    }

    @Override
    public Integer visitIf(Stmt.If s) {
      return pushes(s.thenBlock().statements()) + pushes(s.elseBlock().statements());
    }

    @Override
    public Integer visitBlock(Stmt.Block s) {
      return pushes(s.statements());
    }

    @Override
    public Integer visitDeclare(Stmt.Declare s) {
      return 0;
    }

    @Override
    public Integer visitAssign(Stmt.Assign s) {
      return 0;
    }

    @Override
    public Integer visitEvaluate(Stmt.Evaluate s) {
      return 0;
    }

    @Override
    public Integer visitThrow(Stmt.Throw s) {
      return 0;
    }

    @Override
    public Integer visitElementAssign(Stmt.ElementAssign s) {
      return 0;
    }

    @Override
    public Integer visitLoop(Stmt.Loop s) {
      throw notInKernel(s);
    }

    @Override
    public Integer visitArrayWrite(Stmt.ArrayWrite s) {
      throw notInKernel(s);
    }

    @Override
    public Integer visitRestoreArray(Stmt.RestoreArray s) {
      throw notInKernel(s);
    }

    @Override
    public Integer visitRelease(Stmt.Release s) {
      throw notInKernel(s);
    }

    @Override
    public Integer visitReturn(Stmt.Return s) {
      throw notInKernel(s);
    }

    @Override
    public Integer visitBreak(Stmt.Break s) {
      throw notInKernel(s);
    }

    @Override
    public Integer visitContinue(Stmt.Continue s) {
      throw notInKernel(s);
    }

    private static IllegalStateException notInKernel(Stmt s) {
      return new IllegalStateException(s.getClass().getSimpleName()
          + " cannot appear in an elementwise kernel (no loops, arrays or jumps)");
    }
  }

  /** Whether {@code t} is a type the kernels take and return. */
  static boolean isReal(Type t) {
    return t == Type.DOUBLE || t == Type.FLOAT;
  }
}
