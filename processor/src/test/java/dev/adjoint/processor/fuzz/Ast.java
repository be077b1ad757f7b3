package dev.adjoint.processor.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A tiny AST of the Java subset the fuzzer generates: enough structure to print a program twice
 * (the {@code @Differentiable} original and its margin-tracking twin, see {@link JavaWriter}), to
 * count the constructs it uses, and to shrink it (see {@link Shrinker}). Nodes are immutable.
 */
final class Ast {
  private Ast() {}

  /** The primitive types the generator uses. */
  enum T {
    DOUBLE("double"),
    INT("int"),
    LONG("long"),
    BOOLEAN("boolean"),
    DARR("double[]"),
    IARR("int[]");

    final String java;

    T(String java) {
      this.java = java;
    }

    boolean floating() {
      return this == DOUBLE;
    }

    static T promote(T a, T b) {
      if (a == DOUBLE || b == DOUBLE) {
        return DOUBLE;
      }
      if (a == LONG || b == LONG) {
        return LONG;
      }
      return INT;
    }
  }

  /** Infix operators with Java's precedence. */
  enum Op {
    MUL("*", 12),
    DIV("/", 12),
    REM("%", 12),
    ADD("+", 11),
    SUB("-", 11),
    LT("<", 9),
    LE("<=", 9),
    GT(">", 9),
    GE(">=", 9),
    EQ("==", 8),
    NE("!=", 8),
    AND("&&", 4),
    OR("||", 3);

    final String symbol;
    final int precedence;

    Op(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }

    boolean comparison() {
      return precedence == 9 || precedence == 8;
    }

    boolean logical() {
      return this == AND || this == OR;
    }
  }

  // ------------------------------------------------------------------------------ expressions

  sealed interface Expr permits DLit, ILit, BLit, Ref, Neg, Not, Bin, Cond, Cast, FloatRound,
      MathCall, Invoke, Index, Length {
    T type();
  }

  /** A non-negative double literal (negative values are {@code Neg(DLit)}). */
  record DLit(double value) implements Expr {
    DLit {
      if (!(value >= 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("literal " + value);
      }
    }

    @Override
    public T type() {
      return T.DOUBLE;
    }
  }

  /** A non-negative int literal. */
  record ILit(int value) implements Expr {
    ILit {
      if (value < 0) {
        throw new IllegalArgumentException("literal " + value);
      }
    }

    @Override
    public T type() {
      return T.INT;
    }
  }

  record BLit(boolean value) implements Expr {
    @Override
    public T type() {
      return T.BOOLEAN;
    }
  }

  /** A parameter, a local, or a constant ({@code C0}, {@code Math.PI}). */
  record Ref(String name, T type) implements Expr {}

  record Neg(Expr operand) implements Expr {
    @Override
    public T type() {
      return operand.type();
    }
  }

  record Not(Expr operand) implements Expr {
    @Override
    public T type() {
      return T.BOOLEAN;
    }
  }

  record Bin(Op op, Expr left, Expr right) implements Expr {
    @Override
    public T type() {
      return op.comparison() || op.logical() ? T.BOOLEAN : T.promote(left.type(), right.type());
    }
  }

  record Cond(Expr condition, Expr whenTrue, Expr whenFalse) implements Expr {
    @Override
    public T type() {
      return whenTrue.type() == T.BOOLEAN ? T.BOOLEAN
          : T.promote(whenTrue.type(), whenFalse.type());
    }
  }

  /** {@code (int) e}, {@code (long) e} or {@code (double) e}. */
  record Cast(T to, Expr operand) implements Expr {
    @Override
    public T type() {
      return to;
    }
  }

  /** {@code (double) (float) e}: rounds to float and widens back. */
  record FloatRound(Expr operand) implements Expr {
    @Override
    public T type() {
      return T.DOUBLE;
    }
  }

  /** {@code Math.fn(args)} or {@code StrictMath.fn(args)}. */
  record MathCall(String fn, boolean strict, List<Expr> args, T type) implements Expr {}

  /** A call of a generated method of the same class (possibly the method itself). */
  record Invoke(String method, List<Expr> args) implements Expr {
    @Override
    public T type() {
      return T.DOUBLE;
    }
  }

  /** {@code array[index]}: an element of a double[] or int[] (array is a Ref). */
  record Index(Expr array, Expr index) implements Expr {
    @Override
    public T type() {
      return array.type() == T.IARR ? T.INT : T.DOUBLE;
    }
  }

  /** {@code array.length} (array is a Ref). */
  record Length(Expr array) implements Expr {
    @Override
    public T type() {
      return T.INT;
    }
  }

  // ------------------------------------------------------------------------------- statements

  sealed interface Stmt permits Decl, Assign, Step, If, For, DFor, While, DoWhile, Break, Continue,
      Return, RecBase, ArrDecl, ElemAssign, CallStmt, ArrayOp, Guard, RecordBlock {}

  /**
   * Records in a body, assigning the double {@code target}: a record local created from
   * {@code args} (three doubles) and reassigned from calls of methods returning a record (the
   * class's static {@code mixVec}, the record's instance method {@code turn}), components read
   * from call results, and the record's {@code @Differentiable} instance method {@code dot}
   * (forms 0 to 3); in a method taking an array of records ({@link Method#recordArray()}),
   * forms 10 to 13 read its elements instead (an indexed loop, an enhanced for, a local
   * {@code Pt q = pts[i]} in a reversed loop, single elements)
   * (see {@link JavaWriter}); {@code form} picks one of four shapes, {@code local} names its
   * locals (unique in the method).
   */
  record RecordBlock(String target, int form, String local, List<Expr> args) implements Stmt {}

  /**
   * An argument check: {@code if (condition) throw new IllegalArgumentException("text" +
   * value);} (the condition never holds at the points checked; the throw is still generated
   * into every sweep).
   */
  record Guard(Expr condition, String text, Expr value) implements Stmt {}

  /**
   * A local array at the top level of a body: {@code double[] name = new double[size];} (size
   * non-null) or {@code double[] name = {elems};}.
   */
  record ArrDecl(String name, Expr size, List<Expr> elems) implements Stmt {}

  /**
   * Arrays as values, on double[] variables: {@code kind} "clone" ({@code double[] name =
   * a.clone();}), "copyOf" ({@code double[] name = java.util.Arrays.copyOf(a, e0);}),
   * "copyOfRange" ({@code ... copyOfRange(a, e0, e1)}), "swap" ({@code double[] name = a; a =
   * b; b = name;}), "fill" ({@code java.util.Arrays.fill(a, e0);}) and "arraycopy" ({@code
   * System.arraycopy(a, e0, b, e1, e2);}); {@code name} null where nothing is declared.
   */
  record ArrayOp(String kind, String name, String a, String b, List<Expr> exprs)
      implements Stmt {}

  /** {@code array[index] op value;} with op = or +=, on a local double[]. */
  record ElemAssign(Expr array, Expr index, String op, Expr value) implements Stmt {}

  /** A call of a void helper as a statement: {@code h0(t, c);}. */
  record CallStmt(String method, List<Expr> args) implements Stmt {}

  /** {@code type name = init;} ({@code var} when {@code useVar}); init null: no initializer. */
  record Decl(T type, String name, Expr init, boolean useVar) implements Stmt {}

  /** {@code name op value;} with op one of = += -= *= /=. */
  record Assign(String name, T type, String op, Expr value) implements Stmt {}

  /** {@code name++}, {@code ++name}, {@code name--} or {@code --name}. */
  record Step(String name, boolean increment, boolean prefix) implements Stmt {}

  /** {@code if (c) {..} else {..}}; an else that is a single If prints as else-if. */
  record If(Expr condition, List<Stmt> then, List<Stmt> otherwise) implements Stmt {}

  /**
   * Up: {@code for (int v = from; v < to [&& extra]; v++)}; down: {@code for (int v = to; v >
   * from [&& extra]; v--)}.
   */
  record For(String label, String var, Expr from, Expr to, boolean up, Expr extra, List<Stmt> body)
      implements Stmt {}

  /** {@code for (double v = from; v < limit; v += step)}, with step > 0 and a bounded start. */
  record DFor(String label, String var, Expr from, double limit, double step, List<Stmt> body)
      implements Stmt {}

  /**
   * {@code int guard = 0; while (cond && guard < limit) { guard++; body }}: the guard bounds the
   * trip count whatever the body does (it counts before any continue).
   */
  record While(String label, String guard, int limit, Expr condition, List<Stmt> body)
      implements Stmt {}

  /** {@code int guard = 0; do { guard++; body } while (cond && guard < limit);} */
  record DoWhile(String label, String guard, int limit, List<Stmt> body, Expr condition)
      implements Stmt {}

  record Break(String label) implements Stmt {}

  record Continue(String label) implements Stmt {}

  record Return(Expr value) implements Stmt {}

  /** The base case of a self-recursive method: {@code if (n <= 0) { return value; }}. */
  record RecBase(String depthParam, Expr value) implements Stmt {}

  // ---------------------------------------------------------------------------------- program

  record Param(String name, T type) {}

  record Method(String name, List<Param> params, List<Stmt> body) {
    List<Param> doubleParams() {
      return params.stream().filter(p -> p.type() == T.DOUBLE).toList();
    }

    /** A void helper that writes its array parameter (named h...): it has no mGrad. */
    boolean helper() {
      return name.startsWith("h");
    }

    /**
     * A helper without {@code @Differentiable} (named p..., q..., hp... or hq...), differentiated
     * where it is called: it has no entry points and is checked through its callers.
     */
    boolean plain() {
      return name.startsWith("p") || name.startsWith("q") || name.startsWith("hp")
          || name.startsWith("hq");
    }

    /**
     * An annotated method taking a record (named g...): its first two double parameters are
     * printed as the components of one record parameter, {@code rv} (see {@link JavaWriter}),
     * which the body reads and never writes; checked through the flat forms of its generated
     * class, which take the components, and the plain call with the record built from them.
     */
    boolean recordParams() {
      return name.startsWith("g") && doubleParams().size() >= 2;
    }

    /**
     * An annotated method taking an array of records (named e...): its parameters {@code ptsX},
     * {@code ptsW} (double[]) and {@code ptsK} (int[], as long) are printed as the components of
     * one {@code Pt[] pts} (see {@link JavaWriter}), read only by {@link RecordBlock}s of forms
     * 10 to 13; checked through the flat forms, which take one array per component.
     */
    boolean recordArray() {
      return name.startsWith("e");
    }

    /** A plain helper that is also {@code private} (named q... or hq...). */
    boolean privateHelper() {
      return name.startsWith("q") || name.startsWith("hq");
    }

    Method withBody(List<Stmt> newBody) {
      return new Method(name, params, newBody);
    }
  }

  /** {@code static final type name = value;} */
  record Const(T type, String name, String value) {}

  record ClassUnit(String pkg, String name, List<Const> constants, List<Method> methods) {
    ClassUnit withName(String newName) {
      return new ClassUnit(pkg, newName, constants, methods);
    }

    ClassUnit withMethods(List<Method> newMethods) {
      return new ClassUnit(pkg, name, constants, newMethods);
    }

    Method method(String methodName) {
      for (Method m : methods) {
        if (m.name().equals(methodName)) {
          return m;
        }
      }
      return null;
    }

    String qualifiedName() {
      return pkg + "." + name;
    }
  }

  // ---------------------------------------------------------------------------------- helpers

  /** The direct sub-expressions of an expression. */
  static List<Expr> children(Expr e) {
    if (e instanceof Neg n) {
      return List.of(n.operand());
    } else if (e instanceof Not n) {
      return List.of(n.operand());
    } else if (e instanceof Bin b) {
      return List.of(b.left(), b.right());
    } else if (e instanceof Cond c) {
      return List.of(c.condition(), c.whenTrue(), c.whenFalse());
    } else if (e instanceof Cast c) {
      return List.of(c.operand());
    } else if (e instanceof FloatRound f) {
      return List.of(f.operand());
    } else if (e instanceof MathCall m) {
      return m.args();
    } else if (e instanceof Invoke i) {
      return i.args();
    } else if (e instanceof Index i) {
      return List.of(i.array(), i.index());
    } else if (e instanceof Length l) {
      return List.of(l.array());
    }
    return List.of();
  }

  /** Rebuilds an expression with each direct child mapped. */
  static Expr mapChildren(Expr e, Function<Expr, Expr> f) {
    if (e instanceof Neg n) {
      return new Neg(f.apply(n.operand()));
    } else if (e instanceof Not n) {
      return new Not(f.apply(n.operand()));
    } else if (e instanceof Bin b) {
      Expr l = f.apply(b.left());
      Expr r = f.apply(b.right());
      return new Bin(b.op(), l, r);
    } else if (e instanceof Cond c) {
      Expr a = f.apply(c.condition());
      Expr t = f.apply(c.whenTrue());
      Expr o = f.apply(c.whenFalse());
      return new Cond(a, t, o);
    } else if (e instanceof Cast c) {
      return new Cast(c.to(), f.apply(c.operand()));
    } else if (e instanceof FloatRound r) {
      return new FloatRound(f.apply(r.operand()));
    } else if (e instanceof MathCall m) {
      List<Expr> args = new ArrayList<>();
      for (Expr a : m.args()) {
        args.add(f.apply(a));
      }
      return new MathCall(m.fn(), m.strict(), args, m.type());
    } else if (e instanceof Invoke i) {
      List<Expr> args = new ArrayList<>();
      for (Expr a : i.args()) {
        args.add(f.apply(a));
      }
      return new Invoke(i.method(), args);
    } else if (e instanceof Index i) {
      Expr a = f.apply(i.array());
      Expr x = f.apply(i.index());
      return new Index(a, x);
    } else if (e instanceof Length l) {
      return new Length(f.apply(l.array()));
    }
    return e;
  }

  /** The nested statement lists of a statement (bodies and branches). */
  static List<List<Stmt>> blocks(Stmt s) {
    if (s instanceof If f) {
      return List.of(f.then(), f.otherwise());
    } else if (s instanceof For f) {
      return List.of(f.body());
    } else if (s instanceof DFor f) {
      return List.of(f.body());
    } else if (s instanceof While w) {
      return List.of(w.body());
    } else if (s instanceof DoWhile d) {
      return List.of(d.body());
    }
    return List.of();
  }

  /** Rebuilds a statement with its nested lists replaced (same count and order as blocks()). */
  static Stmt withBlocks(Stmt s, List<List<Stmt>> blocks) {
    if (s instanceof If f) {
      return new If(f.condition(), blocks.get(0), blocks.get(1));
    } else if (s instanceof For f) {
      return new For(f.label(), f.var(), f.from(), f.to(), f.up(), f.extra(), blocks.get(0));
    } else if (s instanceof DFor f) {
      return new DFor(f.label(), f.var(), f.from(), f.limit(), f.step(), blocks.get(0));
    } else if (s instanceof While w) {
      return new While(w.label(), w.guard(), w.limit(), w.condition(), blocks.get(0));
    } else if (s instanceof DoWhile d) {
      return new DoWhile(d.label(), d.guard(), d.limit(), blocks.get(0), d.condition());
    }
    return s;
  }

  /** The expressions held directly by a statement (not those of nested statements). */
  static List<Expr> expressions(Stmt s) {
    List<Expr> out = new ArrayList<>();
    if (s instanceof Decl d && d.init() != null) {
      out.add(d.init());
    } else if (s instanceof Assign a) {
      out.add(a.value());
    } else if (s instanceof If f) {
      out.add(f.condition());
    } else if (s instanceof For f) {
      out.add(f.from());
      out.add(f.to());
      if (f.extra() != null) {
        out.add(f.extra());
      }
    } else if (s instanceof DFor f) {
      out.add(f.from());
    } else if (s instanceof While w) {
      out.add(w.condition());
    } else if (s instanceof DoWhile d) {
      out.add(d.condition());
    } else if (s instanceof Return r) {
      out.add(r.value());
    } else if (s instanceof RecBase b) {
      out.add(b.value());
    } else if (s instanceof ArrDecl d) {
      if (d.size() != null) {
        out.add(d.size());
      } else {
        out.addAll(d.elems());
      }
    } else if (s instanceof ElemAssign a) {
      out.add(a.array());
      out.add(a.index());
      out.add(a.value());
    } else if (s instanceof CallStmt c) {
      out.addAll(c.args());
    } else if (s instanceof ArrayOp o) {
      out.addAll(o.exprs());
    } else if (s instanceof Guard g) {
      out.add(g.condition());
      out.add(g.value());
    } else if (s instanceof RecordBlock r) {
      out.addAll(r.args());
    }
    return out;
  }

  /** Rebuilds a statement with its direct expressions replaced (same order as expressions()). */
  static Stmt withExpressions(Stmt s, List<Expr> e) {
    if (s instanceof Decl d && d.init() != null) {
      return new Decl(d.type(), d.name(), e.get(0), d.useVar());
    } else if (s instanceof Assign a) {
      return new Assign(a.name(), a.type(), a.op(), e.get(0));
    } else if (s instanceof If f) {
      return new If(e.get(0), f.then(), f.otherwise());
    } else if (s instanceof For f) {
      return new For(f.label(), f.var(), e.get(0), e.get(1), f.up(),
          f.extra() == null ? null : e.get(2), f.body());
    } else if (s instanceof DFor f) {
      return new DFor(f.label(), f.var(), e.get(0), f.limit(), f.step(), f.body());
    } else if (s instanceof While w) {
      return new While(w.label(), w.guard(), w.limit(), e.get(0), w.body());
    } else if (s instanceof DoWhile d) {
      return new DoWhile(d.label(), d.guard(), d.limit(), d.body(), e.get(0));
    } else if (s instanceof Return r) {
      return new Return(e.get(0));
    } else if (s instanceof RecBase b) {
      return new RecBase(b.depthParam(), e.get(0));
    } else if (s instanceof ArrDecl d) {
      return d.size() != null ? new ArrDecl(d.name(), e.get(0), null)
          : new ArrDecl(d.name(), null, List.copyOf(e));
    } else if (s instanceof ElemAssign a) {
      return new ElemAssign(e.get(0), e.get(1), a.op(), e.get(2));
    } else if (s instanceof CallStmt c) {
      return new CallStmt(c.method(), List.copyOf(e));
    } else if (s instanceof ArrayOp o) {
      return new ArrayOp(o.kind(), o.name(), o.a(), o.b(), List.copyOf(e));
    } else if (s instanceof Guard g) {
      return new Guard(e.get(0), g.text(), e.get(1));
    } else if (s instanceof RecordBlock r) {
      return new RecordBlock(r.target(), r.form(), r.local(), List.copyOf(e));
    }
    return s;
  }

  /** Every generated method a method body calls (including itself, when recursive). */
  static java.util.Set<String> callees(List<Stmt> body) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    forEachExpr(body, e -> {
      if (e instanceof Invoke i) {
        out.add(i.method());
      }
    });
    forEachStmt(body, s -> {
      if (s instanceof CallStmt c) {
        out.add(c.method());
      }
    });
    return out;
  }

  /** Visits every expression node (pre-order) in a statement list, nested ones included. */
  static void forEachExpr(List<Stmt> body, java.util.function.Consumer<Expr> visitor) {
    for (Stmt s : body) {
      for (Expr e : expressions(s)) {
        forEachExpr(e, visitor);
      }
      for (List<Stmt> b : blocks(s)) {
        forEachExpr(b, visitor);
      }
    }
  }

  static void forEachExpr(Expr e, java.util.function.Consumer<Expr> visitor) {
    visitor.accept(e);
    for (Expr c : children(e)) {
      forEachExpr(c, visitor);
    }
  }

  /** Visits every statement (pre-order), nested ones included. */
  static void forEachStmt(List<Stmt> body, java.util.function.Consumer<Stmt> visitor) {
    for (Stmt s : body) {
      visitor.accept(s);
      for (List<Stmt> b : blocks(s)) {
        forEachStmt(b, visitor);
      }
    }
  }

  /** Number of nodes: the shrinker's measure of size. */
  static int size(ClassUnit u) {
    int[] n = {0};
    for (Method m : u.methods()) {
      n[0] += 2 + m.params().size();
      forEachStmt(m.body(), s -> n[0]++);
      forEachExpr(m.body(), e -> n[0]++);
    }
    n[0] += u.constants().size();
    return n[0];
  }
}
