package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Ast.Assign;
import dev.adjoint.processor.fuzz.Ast.BLit;
import dev.adjoint.processor.fuzz.Ast.Bin;
import dev.adjoint.processor.fuzz.Ast.Break;
import dev.adjoint.processor.fuzz.Ast.Cast;
import dev.adjoint.processor.fuzz.Ast.ClassUnit;
import dev.adjoint.processor.fuzz.Ast.Cond;
import dev.adjoint.processor.fuzz.Ast.Const;
import dev.adjoint.processor.fuzz.Ast.Continue;
import dev.adjoint.processor.fuzz.Ast.DFor;
import dev.adjoint.processor.fuzz.Ast.DLit;
import dev.adjoint.processor.fuzz.Ast.Decl;
import dev.adjoint.processor.fuzz.Ast.DoWhile;
import dev.adjoint.processor.fuzz.Ast.Expr;
import dev.adjoint.processor.fuzz.Ast.FloatRound;
import dev.adjoint.processor.fuzz.Ast.For;
import dev.adjoint.processor.fuzz.Ast.ILit;
import dev.adjoint.processor.fuzz.Ast.If;
import dev.adjoint.processor.fuzz.Ast.Invoke;
import dev.adjoint.processor.fuzz.Ast.MathCall;
import dev.adjoint.processor.fuzz.Ast.Method;
import dev.adjoint.processor.fuzz.Ast.Neg;
import dev.adjoint.processor.fuzz.Ast.Not;
import dev.adjoint.processor.fuzz.Ast.Op;
import dev.adjoint.processor.fuzz.Ast.Param;
import dev.adjoint.processor.fuzz.Ast.RecBase;
import dev.adjoint.processor.fuzz.Ast.Ref;
import dev.adjoint.processor.fuzz.Ast.Return;
import dev.adjoint.processor.fuzz.Ast.Step;
import dev.adjoint.processor.fuzz.Ast.Stmt;
import dev.adjoint.processor.fuzz.Ast.T;
import dev.adjoint.processor.fuzz.Ast.While;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints a {@link ClassUnit} as Java source, in one of two modes.
 *
 * <p>{@link Mode#DIFF}: the class under test, every method {@code @Differentiable}.
 *
 * <p>{@link Mode#TWIN}: a plain class {@code <Name>Twin} whose methods compute bit-for-bit the same
 * values, with one extra parameter {@code double[] mg} through which they report every discrete
 * decision they take:
 *
 * <ul>
 *   <li>{@code mg[0]}: the smallest margin seen, i.e. how far some evaluated quantity was from
 *       changing a decision: {@code |a - b|} for a comparison of doubles, the distance to the
 *       nearest integer for an int cast, floor or ceil, to the nearest half-integer for rint and
 *       round, {@code |x|} for abs, signum and cbrt, {@code |a - b|} for min and max, and so on;
 *       A margin of exactly 0 is an identity ({@code x <= x}, {@code max(z, z)}) that no
 *       perturbation flips, and is left to the path comparison, except at the singular
 *       derivatives of cbrt and atan2;
 *   <li>{@code mg[1]}, {@code mg[2]}: a hash and a count of the decisions taken, so that two
 *       evaluations can be compared for "took the same path";
 *   <li>{@code mg[3]} (input): when non-zero, the "smooth" mode: {@code (double) (float) e} is
 *       evaluated as {@code e} plus the rounding residual that exact mode recorded at the same
 *       place (in order, in {@code mg[7...]}, counted in {@code mg[5]}), so that the
 *       finite-difference oracle differentiates a smooth function that agrees with the plain one
 *       at the point instead of a float staircase (the derivative convention of a cast is 1);
 *   <li>{@code mg[4]}: the kind of the decision with the smallest margin (for messages);
 *   <li>{@code mg[6]}: the largest |argument| of sin, cos and tan: far from 0 they oscillate too
 *       fast for finite differences to resolve.
 * </ul>
 *
 * <p>Only decisions on values that can vary with the double inputs are reported.
 */
final class JavaWriter {

  enum Mode {
    DIFF,
    TWIN
  }

  /** Math functions whose twin version reports something (kinks, jumps, fast oscillation). */
  static final Set<String> TRACKED_MATH =
      Set.of("floor", "ceil", "rint", "round", "signum", "abs", "min", "max", "copySign", "atan2",
          "hypot", "cbrt", "sin", "cos", "tan");

  /** A printed source and where each method's lines are (1-based, inclusive). */
  record Printed(String source, Map<String, int[]> methodLines) {
    private static final java.util.regex.Pattern DECLARATION = java.util.regex.Pattern.compile(
        "^\\s*(?:public\\s+|private\\s+)?static\\s+(?:double|float|void)\\s+(\\w+)\\s*\\(");

    /** Finds the methods of a source by their declarations (each ends where the next starts). */
    static Printed scan(String source) {
      Map<String, int[]> lines = new LinkedHashMap<>();
      String[] text = source.split("\n", -1);
      String current = null;
      for (int i = 0; i < text.length; i++) {
        java.util.regex.Matcher m = DECLARATION.matcher(text[i]);
        if (m.find()) {
          current = m.group(1);
          int start = i + 1;
          // Include an annotation line just above.
          if (i > 0 && text[i - 1].strip().startsWith("@")) {
            start = i;
          }
          lines.put(current, new int[] {start, text.length});
          for (int[] other : lines.values()) {
            if (other != lines.get(current) && other[1] >= start) {
              other[1] = start - 1;
            }
          }
        }
      }
      return new Printed(source, lines);
    }

    /** The method whose text spans this line, or null. */
    String methodAt(long line) {
      for (Map.Entry<String, int[]> e : methodLines.entrySet()) {
        if (line >= e.getValue()[0] && line <= e.getValue()[1]) {
          return e.getKey();
        }
      }
      return null;
    }
  }

  private final Mode mode;
  private final StringBuilder out = new StringBuilder();
  private int line = 1;
  private int indent;

  private JavaWriter(Mode mode) {
    this.mode = mode;
  }

  static String twinName(String className) {
    return className + "Twin";
  }

  static Printed print(ClassUnit unit, Mode mode) {
    return new JavaWriter(mode).unit(unit);
  }

  /** Only the methods, as they would be printed in DIFF mode (for messages). */
  static String methodText(Method m, String className) {
    JavaWriter w = new JavaWriter(Mode.DIFF);
    w.unitName = className;
    w.method(m);
    return w.out.toString();
  }

  // ----------------------------------------------------------------------------------- layout

  private void emit(String text) {
    out.append("  ".repeat(indent)).append(text).append('\n');
    line++;
  }

  /** The class being printed: its record and record-returning helper are named after it. */
  private String unitName;

  /** Whether the method being printed takes an instance of the final class Lens. */
  private boolean lens;

  /** In a method taking a record: the double parameters it stands for, as its reads. */
  private final Map<String, String> componentReads = new java.util.HashMap<>();

  /** Whether a method of {@code u} uses records ({@link Ast.RecordBlock}, a record parameter). */
  private static boolean usesRecords(ClassUnit u) {
    boolean[] found = {false};
    for (Method m : u.methods()) {
      found[0] |= m.recordParams();
      Ast.forEachStmt(m.body(), s -> found[0] |= s instanceof Ast.RecordBlock);
    }
    return found[0];
  }

  /** The record type of class {@code unit}, as the printed code names it. */
  private String vec() {
    return mode == Mode.DIFF ? "Vec" + unitName : unitName + ".Vec" + unitName;
  }

  /** The static method of the class returning a record, as the printed code names it. */
  private String mix() {
    return mode == Mode.DIFF ? "mixVec" : unitName + ".mixVec";
  }

  /**
   * The record and its helpers, in the class under test (the twin calls them there): the
   * {@code @Differentiable} instance method {@code dot}, the plain instance method {@code turn}
   * and the plain static {@code mixVec}, both returning a new record; smooth and contracting
   * (tanh), so that loops over them stay bounded and the twin has no decision to report.
   */
  private void recordDeclarations() {
    String v = "Vec" + unitName;
    emit("");
    emit("public record " + v + "(double a, double b) {");
    indent++;
    emit("@Differentiable(order = 2)");
    emit("public double dot(" + v + " o) {");
    emit("  return a * o.a() + b * o.b();");
    emit("}");
    emit("");
    emit("public " + v + " turn(double k) {");
    emit("  double c = Math.tanh(k);");
    emit("  return new " + v + "(0.6 * a - 0.4 * c * b, 0.6 * b + 0.4 * c * a);");
    emit("}");
    indent--;
    emit("}");
    emit("");
    emit("static " + v + " mixVec(" + v + " u, double t) {");
    emit("  double s = Math.tanh(t);");
    emit("  return new " + v + "(0.5 * (u.a() + s * u.b()), 0.5 * (u.b() - s * u.a()) + 0.25 * s);");
    emit("}");
  }

  private Printed unit(ClassUnit u) {
    unitName = u.name();
    emit("package " + u.pkg() + ";");
    emit("");
    if (mode == Mode.DIFF) {
      emit("import dev.adjoint.Differentiable;");
      emit("");
      emit("public class " + u.name() + " {");
    } else {
      emit("public final class " + twinName(u.name()) + " {");
    }
    indent++;
    for (Const c : u.constants()) {
      emit("static final " + c.type().java + " " + c.name() + " = " + c.value() + ";");
    }
    Map<String, int[]> lines = new LinkedHashMap<>();
    for (Method m : u.methods()) {
      emit("");
      int start = line;
      method(m);
      lines.put(m.name(), new int[] {start, line - 1});
    }
    if (mode == Mode.TWIN) {
      for (String helper : TWIN_HELPERS.split("\n")) {
        emit(helper);
      }
    } else {
      if (usesRecords(u)) {
        recordDeclarations();
      }
      if (u.methods().stream().anyMatch(Method::recordArray)) {
        emit("");
        emit("public record Pt" + unitName + "(double x, double w, int k) {}");
        emit("");
        emit("public static final class Lens" + unitName + " {");
        emit("  private final int order;");
        emit("");
        emit("  public Lens" + unitName + "(int order) {");
        emit("    this.order = order;");
        emit("  }");
        emit("");
        emit("  @Differentiable(order = 2)");
        emit("  public double bend(double v) {");
        emit("    return 0.5 * (order + 1) * Math.tanh(v);");
        emit("  }");
        emit("}");
      }
    }
    indent--;
    emit("}");
    return new Printed(out.toString(), lines);
  }

  private void method(Method m) {
    StringBuilder sig = new StringBuilder();
    for (Param p : m.params()) {
      if (sig.length() > 0) {
        sig.append(", ");
      }
      sig.append(p.type().java).append(' ').append(p.name());
    }
    String ret = m.helper() ? "void" : "double";
    componentReads.clear();
    if (mode == Mode.DIFF && m.recordParams()) {
      // The first two doubles are the components of the record parameter rv.
      List<Param> components = m.doubleParams().subList(0, 2);
      componentReads.put(components.get(0).name(), "rv.a()");
      componentReads.put(components.get(1).name(), "rv.b()");
      sig.setLength(0);
      for (Param p : m.params()) {
        if (p.equals(components.get(1))) {
          continue;
        }
        sig.append(sig.length() > 0 ? ", " : "").append(p.equals(components.get(0))
            ? "Vec" + unitName + " rv" : p.type().java + " " + p.name());
      }
    }
    lens = m.params().stream().anyMatch(p -> p.name().equals("lensOrder"));
    if (mode == Mode.DIFF && m.recordArray()) {
      // ptsX, ptsW and ptsK are the components of the array of records pts; lensOrder is the
      // field of the final class's instance lens.
      sig.setLength(0);
      for (Param p : m.params()) {
        if (p.name().equals("ptsW") || p.name().equals("ptsK")) {
          continue;
        }
        sig.append(sig.length() > 0 ? ", " : "").append(p.name().equals("ptsX")
            ? "Pt" + unitName + "[] pts" : p.name().equals("lensOrder") ? "Lens" + unitName
            + " lens" : p.type().java + " " + p.name());
      }
    }
    if (mode == Mode.DIFF) {
      // Order 2 everywhere: each program also exercises the Hessian-vector product.
      if (m.plain()) {
        // A helper without the annotation, differentiated where it is called.
        emit((m.privateHelper() ? "private " : "") + "static " + ret + " " + m.name() + "("
            + sig + ") {");
      } else {
        emit("@Differentiable(order = 2)");
        emit("public static " + ret + " " + m.name() + "(" + sig + ") {");
      }
    } else {
      emit("public static " + ret + " " + m.name() + "(" + sig + (sig.length() > 0 ? ", " : "")
          + "double[] mg) {");
    }
    indent++;
    statements(m.body());
    indent--;
    emit("}");
  }

  // ------------------------------------------------------------------------------- statements

  private void statements(List<Stmt> body) {
    for (Stmt s : body) {
      statement(s);
    }
  }

  /**
   * {@link Ast.RecordBlock}: the same Java in both modes (the record's methods are smooth, the
   * twin has nothing to report about them), its arguments printed by each mode.
   */
  private void recordBlock(Ast.RecordBlock r) {
    if (r.form() >= 10) {
      recordArrayBlock(r);
      return;
    }
    String v = vec();
    String x = expr(r.args().get(0));
    String y = expr(r.args().get(1));
    String k = expr(r.args().get(2));
    String t = r.target();
    String q = r.local();
    emit("{");
    indent++;
    switch (r.form()) {
      case 0 -> {
        // A record local, reassigned from a static and an instance method returning one.
        emit(v + " " + q + " = new " + v + "(" + x + ", " + y + ");");
        emit(q + " = " + mix() + "(" + q + ", " + k + ");");
        emit(q + " = " + q + ".turn(" + t + ");");
        emit(t + " = 0.5 * " + t + " + " + q + ".dot(" + mix() + "(" + q + ", 0.3)) + " + q
            + ".b();");
      }
      case 1 -> {
        // Stepped in a loop.
        emit("var " + q + " = " + mix() + "(new " + v + "(" + x + ", " + t + "), " + y + ");");
        emit("for (int " + q + "I = 0; " + q + "I < 3; " + q + "I++) {");
        emit("  " + q + " = " + q + ".turn(" + k + ");");
        emit("}");
        emit(t + " += " + q + ".a() * " + q + ".b();");
      }
      case 2 ->
        // Components of call results inside an expression, calls chained on a result.
        emit(t + " -= " + mix() + "(new " + v + "(" + x + ", " + t + "), " + y + ").turn(" + k
            + ").a() + 0.5 * " + mix() + "(new " + v + "(" + y + ", " + k + "), " + x + ").b();");
      default -> {
        // A record local from a call, another from its instance method, both passed on.
        emit(v + " " + q + " = " + mix() + "(new " + v + "(" + x + ", " + y + "), " + k + ");");
        emit(v + " " + q + "T = " + q + ".turn(" + x + ");");
        emit(t + " = " + q + "T.dot(" + q + ") + " + mix() + "(" + q + "T, " + t + ").a();");
      }
    }
    indent--;
    emit("}");
  }

  /**
   * {@link Ast.RecordBlock} forms 10 to 13, in a method taking {@code Pt[] pts}: its elements'
   * components read in the class under test ({@code pts[i].x()}, {@code for (Pt q : pts)},
   * {@code Pt q = pts[i]}), the flat arrays {@code ptsX}, {@code ptsW}, {@code ptsK} in the twin,
   * with the same arithmetic in the same order (smooth: nothing for the twin to report). In a
   * method taking {@code Lens lens} (an instance of a final class, a constant), what the block
   * adds to the target goes through {@code lens.bend(...)}, which the twin inlines.
   */
  private void recordArrayBlock(Ast.RecordBlock r) {
    boolean diff = mode == Mode.DIFF;
    String t = r.target();
    String q = r.local();
    String i = q + "I";
    String len = diff ? "pts.length" : "ptsX.length";
    emit("{");
    indent++;
    if (lens) {
      emit("double " + q + "B = " + t + ";");
    }
    emit("double " + q + "C = " + expr(r.args().get(0)) + ";");
    emit("double " + q + "S = " + expr(r.args().get(2)) + ";");
    switch (r.form()) {
      case 10 -> {
        // An indexed loop reading components of pts[i].
        emit("for (int " + i + " = 0; " + i + " < " + len + "; " + i + "++) {");
        emit("  " + t + " += " + (diff ? "pts[" + i + "].w()" : "ptsW[" + i + "]")
            + " * Math.tanh(" + (diff ? "pts[" + i + "].x()" : "ptsX[" + i + "]") + " * " + q
            + "S + 0.1 * " + (diff ? "pts[" + i + "].k()" : "ptsK[" + i + "]") + " - " + q
            + "C);");
        emit("}");
      }
      case 11 -> {
        // An enhanced for over pts.
        emit(diff ? "for (Pt" + unitName + " " + q + " : pts) {"
            : "for (int " + i + " = 0; " + i + " < " + len + "; " + i + "++) {");
        String x = diff ? q + ".x()" : "ptsX[" + i + "]";
        String w = diff ? q + ".w()" : "ptsW[" + i + "]";
        String k = diff ? q + ".k()" : "ptsK[" + i + "]";
        emit("  " + t + " = 0.5 * " + t + " + " + w + " * Math.tanh(" + x + " - " + q + "C) / (1 + "
            + k + ") + " + q + "S * " + x + ";");
        emit("}");
      }
      case 12 -> {
        // A record local taken from the array, in a reversed loop.
        emit("double " + q + "A = 0;");
        emit("for (int " + i + " = " + len + " - 1; " + i + " >= 0; " + i + "--) {");
        indent++;
        if (diff) {
          emit("Pt" + unitName + " " + q + " = pts[" + i + "];");
        }
        String x = diff ? q + ".x()" : "ptsX[" + i + "]";
        String w = diff ? q + ".w()" : "ptsW[" + i + "]";
        String k = diff ? q + ".k()" : "ptsK[" + i + "]";
        emit("double " + q + "D = " + x + " - " + q + "C;");
        emit(q + "A += " + w + " * Math.exp(-" + q + "D * " + q + "D) * (" + k + " + 1);");
        indent--;
        emit("}");
        emit(t + " = 0.5 * " + t + " + " + q + "A * " + q + "S;");
      }
      default -> {
        // Single elements: the first, the last, the second.
        String last = diff ? "pts[pts.length - 1].w()" : "ptsW[ptsW.length - 1]";
        emit(t + " -= " + (diff ? "pts[0].x()" : "ptsX[0]") + " * " + last + " + " + q + "C * "
            + (diff ? "pts[1].x()" : "ptsX[1]") + " * " + q + "S;");
      }
    }
    if (lens) {
      // What the block added, through the final class's instance method (the twin inlines it).
      String added = t + " - " + q + "B";
      emit(t + " = " + q + "B + " + (diff ? "lens.bend(" + added + ")"
          : "0.5 * (lensOrder + 1) * Math.tanh(" + added + ")") + ";");
    }
    indent--;
    emit("}");
  }

  /** Whether {@code body} swaps {@code array} (an enhanced for would keep the first array). */
  private static boolean swaps(List<Ast.Stmt> body, String array) {
    boolean[] found = {false};
    Ast.forEachStmt(body, s -> found[0] |= s instanceof Ast.ArrayOp o && o.kind().equals("swap")
        && (o.a().equals(array) || o.b().equals(array)));
    return found[0];
  }

  private static String labelPrefix(String label) {
    return label == null ? "" : label + ": ";
  }

  private void block(List<Stmt> body) {
    indent++;
    statements(body);
    indent--;
  }

  private void statement(Stmt s) {
    if (s instanceof Decl d) {
      String type = d.useVar() ? "var" : d.type().java;
      emit(d.init() == null ? type + " " + d.name() + ";"
          : type + " " + d.name() + " = " + expr(d.init()) + ";");
    } else if (s instanceof Assign a && a.type() == T.DOUBLE && a.op().equals("+=")
        && ((a.name().hashCode() + a.value().hashCode()) & 3) == 0) {
      // The compound assignment used as a value (hoisted by the reader, Java's order kept).
      emit(a.name() + " = (" + a.name() + " += " + expr(a.value()) + ");");
    } else if (s instanceof Assign a) {
      if (mode == Mode.TWIN && !a.op().equals("=") && a.type() != T.DOUBLE
          && a.value().type() == T.DOUBLE) {
        // Compound assignment to an integer with a double operand: an implicit (int) cast.
        Op op = switch (a.op()) {
          case "+=" -> Op.ADD;
          case "-=" -> Op.SUB;
          case "*=" -> Op.MUL;
          default -> Op.DIV;
        };
        emit(a.name() + " = " + (a.type() == T.LONG ? "toLong(" : "toInt(")
            + expr(new Bin(op, new Ref(a.name(), a.type()), a.value())) + ", mg);");
      } else {
        emit(a.name() + " " + a.op() + " " + expr(a.value()) + ";");
      }
    } else if (s instanceof Ast.ArrDecl d) {
      if (d.size() != null) {
        emit("double[] " + d.name() + " = new double[" + expr(d.size()) + "];");
      } else {
        StringBuilder elems = new StringBuilder();
        for (Expr e : d.elems()) {
          elems.append(elems.length() > 0 ? ", " : "").append(expr(e));
        }
        emit("double[] " + d.name() + " = {" + elems + "};");
      }
    } else if (s instanceof Ast.ElemAssign a) {
      emit(expr(a.array()) + "[" + expr(a.index()) + "] " + a.op() + " " + expr(a.value())
          + ";");
    } else if (s instanceof Ast.ArrayOp o) {
      List<String> e = new java.util.ArrayList<>();
      for (Expr x : o.exprs()) {
        e.add(expr(x));
      }
      switch (o.kind()) {
        case "clone" -> emit("double[] " + o.name() + " = " + o.a() + ".clone();");
        case "copyOf" -> emit("double[] " + o.name() + " = java.util.Arrays.copyOf(" + o.a()
            + ", " + e.get(0) + ");");
        case "copyOfRange" -> emit("double[] " + o.name() + " = java.util.Arrays.copyOfRange("
            + o.a() + ", " + e.get(0) + ", " + e.get(1) + ");");
        case "swap" -> {
          emit("double[] " + o.name() + " = " + o.a() + ";");
          emit(o.a() + " = " + o.b() + ";");
          emit(o.b() + " = " + o.name() + ";");
        }
        case "fill" -> emit("java.util.Arrays.fill(" + o.a() + ", " + e.get(0) + ");");
        default -> emit("System.arraycopy(" + o.a() + ", " + e.get(0) + ", " + o.b() + ", "
            + e.get(1) + ", " + e.get(2) + ");");
      }
    } else if (s instanceof Ast.CallStmt c) {
      StringBuilder args = new StringBuilder();
      for (Expr a : c.args()) {
        args.append(args.length() > 0 ? ", " : "").append(expr(a));
      }
      if (mode == Mode.TWIN) {
        args.append(args.length() > 0 ? ", mg" : "mg");
      }
      emit(c.method() + "(" + args + ");");
    } else if (s instanceof Ast.RecordBlock r) {
      recordBlock(r);
    } else if (s instanceof Step st) {
      String op = st.increment() ? "++" : "--";
      emit(st.prefix() ? op + st.name() + ";" : st.name() + op + ";");
    } else if (s instanceof If f) {
      emit("if (" + expr(f.condition()) + ") {");
      block(f.then());
      List<Stmt> otherwise = f.otherwise();
      while (otherwise.size() == 1 && otherwise.get(0) instanceof If nested) {
        emit("} else if (" + expr(nested.condition()) + ") {");
        block(nested.then());
        otherwise = nested.otherwise();
      }
      if (!otherwise.isEmpty()) {
        emit("} else {");
        block(otherwise);
      }
      emit("}");
    } else if (s instanceof For f && f.up() && f.extra() == null
        && f.from() instanceof Ast.ILit zero && zero.value() == 0
        && f.to() instanceof Ast.Length len && len.array() instanceof Ref arr
        && (f.var().hashCode() & 1) == 0 && !swaps(f.body(), arr.name())) {
      // The same loop as an enhanced for over the array, its index counted beside it.
      emit("{");
      indent++;
      emit("int " + f.var() + " = -1;");
      emit(labelPrefix(f.label()) + "for (" + (arr.type() == T.IARR ? "int " : "double ")
          + f.var() + "Elem : " + arr.name() + ") {");
      indent++;
      emit(f.var() + "++;");
      statements(f.body());
      indent--;
      emit("}");
      indent--;
      emit("}");
    } else if (s instanceof For f) {
      String extra = f.extra() == null ? "" : " && " + operand(f.extra(), Op.AND.precedence, true);
      if (f.up()) {
        emit(labelPrefix(f.label()) + "for (int " + f.var() + " = " + expr(f.from()) + "; "
            + f.var() + " < " + operand(f.to(), Op.LT.precedence, true) + extra + "; " + f.var()
            + "++) {");
      } else {
        emit(labelPrefix(f.label()) + "for (int " + f.var() + " = " + expr(f.to()) + "; "
            + f.var() + " > " + operand(f.from(), Op.GT.precedence, true) + extra + "; "
            + f.var() + "--) {");
      }
      block(f.body());
      emit("}");
    } else if (s instanceof DFor f) {
      String cond = mode == Mode.TWIN && varies(f.from())
          ? "lt(" + f.var() + ", " + literal(f.limit()) + ", mg)"
          : f.var() + " < " + literal(f.limit());
      emit(labelPrefix(f.label()) + "for (double " + f.var() + " = " + expr(f.from()) + "; "
          + cond + "; " + f.var() + " += " + literal(f.step()) + ") {");
      block(f.body());
      emit("}");
    } else if (s instanceof While w && (w.guard().hashCode() & 1) == 0) {
      // The guard counted by ++ in the condition itself (a side effect the reader hoists).
      emit("int " + w.guard() + " = 0;");
      emit(labelPrefix(w.label()) + "while (" + w.guard() + "++ < " + w.limit() + " && "
          + operand(w.condition(), Op.AND.precedence, false) + ") {");
      block(w.body());
      emit("}");
    } else if (s instanceof While w) {
      emit("int " + w.guard() + " = 0;");
      emit(labelPrefix(w.label()) + "while (" + operand(w.condition(), Op.AND.precedence, false)
          + " && " + w.guard() + " < " + w.limit() + ") {");
      indent++;
      emit(w.guard() + "++;");
      statements(w.body());
      indent--;
      emit("}");
    } else if (s instanceof DoWhile d) {
      emit("int " + d.guard() + " = 0;");
      emit(labelPrefix(d.label()) + "do {");
      indent++;
      emit(d.guard() + "++;");
      statements(d.body());
      indent--;
      emit("} while (" + operand(d.condition(), Op.AND.precedence, false) + " && " + d.guard()
          + " < " + d.limit() + ");");
    } else if (s instanceof Break b) {
      emit(b.label() == null ? "break;" : "break " + b.label() + ";");
    } else if (s instanceof Continue c) {
      emit(c.label() == null ? "continue;" : "continue " + c.label() + ";");
    } else if (s instanceof Return r) {
      emit("return " + expr(r.value()) + ";");
    } else if (s instanceof Ast.Guard g) {
      emit("if (" + expr(g.condition()) + ") {");
      indent++;
      emit("throw new IllegalArgumentException(\"" + g.text() + "\" + " + expr(g.value())
          + ");");
      indent--;
      emit("}");
    } else if (s instanceof RecBase b) {
      emit("if (" + b.depthParam() + " <= 0) {");
      indent++;
      emit("return " + expr(b.value()) + ";");
      indent--;
      emit("}");
    } else {
      throw new IllegalStateException("statement " + s);
    }
  }

  // ------------------------------------------------------------------------------ expressions

  private static final int PRIMARY = 16;
  private static final int UNARY = 14;
  private static final int CAST = 13;
  private static final int CONDITIONAL = 2;

  static String literal(double v) {
    return Double.toString(v);
  }

  private int precedence(Expr e) {
    if (e instanceof Bin b) {
      if (mode == Mode.TWIN && (tracked(b) || trackedRem(b))) {
        return PRIMARY;
      }
      return b.op().precedence;
    }
    if (e instanceof Cond) {
      return CONDITIONAL;
    }
    if (e instanceof Cast c) {
      return mode == Mode.TWIN && trackedCast(c) ? PRIMARY : CAST;
    }
    if (e instanceof FloatRound) {
      return mode == Mode.TWIN ? PRIMARY : CAST;
    }
    if (e instanceof Neg || e instanceof Not) {
      return UNARY;
    }
    return PRIMARY;
  }

  private static final Set<String> CONSTANT_NAMES = Set.of("C0", "C1", "C2", "Math.PI", "Math.E");

  /**
   * Whether an expression can change when the double inputs do: it reads a double variable (not
   * a constant) or calls a generated method. Decisions on expressions that cannot vary never flip
   * and are not reported.
   */
  static boolean varies(Expr e) {
    boolean[] v = {false};
    Ast.forEachExpr(e, x -> {
      // A call varies only through its arguments: generated methods read nothing else.
      if (x instanceof Ref r && r.type() == T.DOUBLE && !CONSTANT_NAMES.contains(r.name())) {
        v[0] = true;
      }
      if (x instanceof Ast.Index i && i.type() == T.DOUBLE) {
        v[0] = true;
      }
    });
    return v[0];
  }

  /** A comparison the twin reports: one of doubles that can vary, not of a value with itself. */
  private static boolean tracked(Bin b) {
    return b.op().comparison()
        && (b.left().type() == T.DOUBLE || b.right().type() == T.DOUBLE)
        && !b.left().equals(b.right())
        && (varies(b.left()) || varies(b.right()));
  }

  /** A double remainder, whose twin reports the distance to its next jump. */
  private static boolean trackedRem(Bin b) {
    return b.op() == Op.REM && b.type() == T.DOUBLE && (varies(b.left()) || varies(b.right()));
  }

  private static boolean trackedCast(Cast c) {
    return (c.to() == T.INT || c.to() == T.LONG) && c.operand().type() == T.DOUBLE
        && varies(c.operand());
  }

  private static boolean trackedMath(MathCall m) {
    if (!TRACKED_MATH.contains(m.fn()) || !m.args().stream().allMatch(a -> a.type() == T.DOUBLE)
        || m.args().stream().noneMatch(JavaWriter::varies)) {
      return false;
    }
    // min(x, x), max(x, x), copySign(x, x), hypot(x, x) have no kink; atan2(y, y) is singular
    // at 0 (0 / 0), like any atan2 at the origin.
    return m.args().size() != 2 || !m.args().get(0).equals(m.args().get(1))
        || m.fn().equals("atan2");
  }

  private String operand(Expr e, int context, boolean rightSide) {
    int p = precedence(e);
    boolean parens = rightSide ? p <= context : p < context;
    String printed = expr(e);
    return parens ? "(" + printed + ")" : printed;
  }

  String expr(Expr e) {
    if (e instanceof DLit l) {
      return literal(l.value());
    } else if (e instanceof ILit l) {
      return Integer.toString(l.value());
    } else if (e instanceof BLit b) {
      return Boolean.toString(b.value());
    } else if (e instanceof Ref r) {
      return componentReads.getOrDefault(r.name(), r.name());
    } else if (e instanceof Neg n) {
      String operand = operand(n.operand(), UNARY, false);
      return operand.startsWith("-") ? "-(" + operand + ")" : "-" + operand;
    } else if (e instanceof Not n) {
      return "!" + operand(n.operand(), UNARY, false);
    } else if (e instanceof Bin b) {
      if (mode == Mode.TWIN && tracked(b)) {
        String fn = switch (b.op()) {
          case LT -> "lt";
          case LE -> "le";
          case GT -> "gt";
          case GE -> "ge";
          case EQ -> "eq";
          default -> "ne";
        };
        return fn + "(" + expr(b.left()) + ", " + expr(b.right()) + ", mg)";
      }
      if (mode == Mode.TWIN && trackedRem(b)) {
        return "rem(" + expr(b.left()) + ", " + expr(b.right()) + ", mg)";
      }
      return operand(b.left(), b.op().precedence, false) + " " + b.op().symbol + " "
          + operand(b.right(), b.op().precedence, true);
    } else if (e instanceof Cond c) {
      return operand(c.condition(), CONDITIONAL, true) + " ? "
          + operand(c.whenTrue(), CONDITIONAL, true) + " : "
          + operand(c.whenFalse(), CONDITIONAL, false);
    } else if (e instanceof Cast c) {
      if (mode == Mode.TWIN && trackedCast(c)) {
        return (c.to() == T.INT ? "toInt(" : "toLong(") + expr(c.operand()) + ", mg)";
      }
      return "(" + c.to().java + ") " + operand(c.operand(), UNARY, false);
    } else if (e instanceof FloatRound f) {
      if (mode == Mode.TWIN) {
        return "fr(" + expr(f.operand()) + ", mg)";
      }
      return "(double) (float) " + operand(f.operand(), UNARY, false);
    } else if (e instanceof MathCall m) {
      StringBuilder args = new StringBuilder();
      for (Expr a : m.args()) {
        if (args.length() > 0) {
          args.append(", ");
        }
        args.append(expr(a));
      }
      if (mode == Mode.TWIN && trackedMath(m)) {
        return "m" + Character.toUpperCase(m.fn().charAt(0)) + m.fn().substring(1) + "("
            + args + ", " + m.strict() + ", mg)";
      }
      return (m.strict() ? "StrictMath." : "Math.") + m.fn() + "(" + args + ")";
    } else if (e instanceof Ast.Index i) {
      return expr(i.array()) + "[" + expr(i.index()) + "]";
    } else if (e instanceof Ast.Length l) {
      return expr(l.array()) + ".length";
    } else if (e instanceof Invoke i) {
      StringBuilder args = new StringBuilder();
      for (Expr a : i.args()) {
        if (args.length() > 0) {
          args.append(", ");
        }
        args.append(expr(a));
      }
      if (mode == Mode.TWIN) {
        args.append(args.length() > 0 ? ", mg" : "mg");
      }
      return i.method() + "(" + args + ")";
    }
    throw new IllegalStateException("expression " + e);
  }

  // ---------------------------------------------------------------------------- twin helpers

  /** Static helpers of every twin class (see the class comment for mg). */
  static final String TWIN_HELPERS =
      """

      // At a singular derivative (cbrt at 0: infinite; atan2 at the origin: 0 / 0) even a margin
      // of exactly 0 counts: the chain rule gives NaN (inf * 0) there, whatever the program.
      // (The rules of abs, signum, copySign, min, max and hypot stay finite at their kinks.)
      private static void noteSingular(double[] mg, double margin, int kind, double outcome) {
        note(mg, margin == 0 ? Double.MIN_VALUE : margin, kind, outcome);
      }

      // A margin of exactly 0 is an identity (x <= x, max(z, z), a cast of an integer value),
      // which no perturbation flips: it is left to the path comparison at nearby points.
      private static void note(double[] mg, double margin, int kind, double outcome) {
        if (margin != margin) {
          margin = Double.MIN_VALUE;
        }
        if (margin > 0 && margin < mg[0]) {
          mg[0] = margin;
          mg[4] = kind;
        }
        mg[1] = (mg[1] * 31.0 + kind * 1000.0 + outcome) % 1.0e14;
        mg[2] += 1;
      }

      private static boolean lt(double a, double b, double[] mg) {
        boolean r = a < b;
        note(mg, Math.abs(a - b), 1, r ? 1 : 2);
        return r;
      }

      private static boolean le(double a, double b, double[] mg) {
        boolean r = a <= b;
        note(mg, Math.abs(a - b), 1, r ? 1 : 2);
        return r;
      }

      private static boolean gt(double a, double b, double[] mg) {
        boolean r = a > b;
        note(mg, Math.abs(a - b), 1, r ? 1 : 2);
        return r;
      }

      private static boolean ge(double a, double b, double[] mg) {
        boolean r = a >= b;
        note(mg, Math.abs(a - b), 1, r ? 1 : 2);
        return r;
      }

      private static boolean eq(double a, double b, double[] mg) {
        boolean r = a == b;
        note(mg, Math.abs(a - b), 1, r ? 1 : 2);
        return r;
      }

      private static boolean ne(double a, double b, double[] mg) {
        boolean r = a != b;
        note(mg, Math.abs(a - b), 1, r ? 1 : 2);
        return r;
      }

      // Truncation jumps at every integer but 0.
      private static double truncationMargin(double v) {
        double k = Math.rint(v);
        return k == 0 ? 1 - Math.abs(v) : Math.abs(v - k);
      }

      private static int toInt(double v, double[] mg) {
        int r = (int) v;
        note(mg, truncationMargin(v), 3, r % 1000);
        return r;
      }

      private static long toLong(double v, double[] mg) {
        long r = (long) v;
        note(mg, truncationMargin(v), 4, r % 1000);
        return r;
      }

      // (double) (float) v. Exact mode records the rounding residual fl(v) - v (exact, by
      // Sterbenz) in mg[7...]; smooth mode adds the recorded residual back: the same values at
      // the point, and derivative 1 through the cast around it.
      private static double fr(double v, double[] mg) {
        int at = (int) mg[5];
        mg[5] = at + 1;
        if (mg[3] == 0) {
          double r = (double) (float) v;
          if (7 + at < mg.length) {
            mg[7 + at] = r - v;
          }
          return r;
        }
        return 7 + at < mg.length ? v + mg[7 + at] : v;
      }

      private static double mFloor(double v, boolean strict, double[] mg) {
        double r = strict ? StrictMath.floor(v) : Math.floor(v);
        note(mg, Math.abs(v - Math.rint(v)), 5, r % 1000);
        return r;
      }

      private static double mCeil(double v, boolean strict, double[] mg) {
        double r = strict ? StrictMath.ceil(v) : Math.ceil(v);
        note(mg, Math.abs(v - Math.rint(v)), 6, r % 1000);
        return r;
      }

      private static double mRint(double v, boolean strict, double[] mg) {
        double r = strict ? StrictMath.rint(v) : Math.rint(v);
        note(mg, Math.abs(Math.abs(v - Math.floor(v)) - 0.5), 7, r % 1000);
        return r;
      }

      private static long mRound(double v, boolean strict, double[] mg) {
        long r = strict ? StrictMath.round(v) : Math.round(v);
        note(mg, Math.abs(Math.abs(v - Math.floor(v)) - 0.5), 8, r % 1000);
        return r;
      }

      private static double mSignum(double v, boolean strict, double[] mg) {
        double r = strict ? StrictMath.signum(v) : Math.signum(v);
        note(mg, Math.abs(v), 9, r);
        return r;
      }

      private static double mAbs(double v, boolean strict, double[] mg) {
        double r = strict ? StrictMath.abs(v) : Math.abs(v);
        note(mg, Math.abs(v), 10, v < 0 ? 1 : 2);
        return r;
      }

      private static double mMin(double a, double b, boolean strict, double[] mg) {
        double r = strict ? StrictMath.min(a, b) : Math.min(a, b);
        note(mg, Math.abs(a - b), 12, a <= b ? 1 : 2);
        return r;
      }

      private static double mMax(double a, double b, boolean strict, double[] mg) {
        double r = strict ? StrictMath.max(a, b) : Math.max(a, b);
        note(mg, Math.abs(a - b), 14, a >= b ? 1 : 2);
        return r;
      }

      private static double mCopySign(double m, double s, boolean strict, double[] mg) {
        double r = strict ? StrictMath.copySign(m, s) : Math.copySign(m, s);
        note(mg, Math.min(Math.abs(m), Math.abs(s)), 16, (m < 0 ? 1 : 2) + (s < 0 ? 2 : 0));
        return r;
      }

      private static double mAtan2(double y, double x, boolean strict, double[] mg) {
        double r = strict ? StrictMath.atan2(y, x) : Math.atan2(y, x);
        double h = Math.hypot(y, x);
        noteSingular(mg, x < 0 ? Math.min(Math.abs(y), h) : h, 20, y < 0 ? 1 : 2);
        return r;
      }

      private static double mHypot(double a, double b, boolean strict, double[] mg) {
        double r = strict ? StrictMath.hypot(a, b) : Math.hypot(a, b);
        note(mg, Math.hypot(a, b), 22, 0);
        return r;
      }

      private static double mCbrt(double v, boolean strict, double[] mg) {
        double r = strict ? StrictMath.cbrt(v) : Math.cbrt(v);
        noteSingular(mg, Math.abs(v), 23, 0);
        return r;
      }

      private static double periodic(double v, double[] mg) {
        if (!(Math.abs(v) <= mg[6])) {
          mg[6] = Math.abs(v);
        }
        return v;
      }

      private static double mSin(double v, boolean strict, double[] mg) {
        return strict ? StrictMath.sin(periodic(v, mg)) : Math.sin(periodic(v, mg));
      }

      private static double mCos(double v, boolean strict, double[] mg) {
        return strict ? StrictMath.cos(periodic(v, mg)) : Math.cos(periodic(v, mg));
      }

      private static double mTan(double v, boolean strict, double[] mg) {
        return strict ? StrictMath.tan(periodic(v, mg)) : Math.tan(periodic(v, mg));
      }

      private static double rem(double a, double b, double[] mg) {
        double r = a % b;
        double q = a / b;
        note(mg, Math.abs(b) * truncationMargin(q), 24, (long) q % 1000);
        return r;
      }
      """;
}
