package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Ast.Assign;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A seeded generator of valid {@code @Differentiable} methods over the whole subset that {@code
 * read/BodyReader} accepts. Most methods take 2 to 4 {@code double} parameters and one {@code int}
 * ({@code n}, at a random position) and return a double; about 30% take {@code double[]} (and
 * sometimes {@code int[]}) parameters instead of some doubles, declare and write local arrays in
 * loops (recurrences included), and call the class's void helper {@code h0}, which writes its
 * array argument. Array parameters are only read, as the subset requires.
 *
 * <p>Values stay bounded so that the finite-difference oracle stays meaningful: inputs are in
 * [-2, 2], every Math function gets an argument inside its domain (log(1 + e*e), asin(0.9 *
 * tanh(e)), pow(1.5 + e*e, ...), ...), denominators are bounded away from zero, loops run at most
 * about 10 times (while and do-while loops carry a guard counter that the body cannot skip), and
 * inside loops a variable is only updated by contracting forms ({@code v = 0.5 * v + B}, {@code v
 * += 0.25 * B}, ... with B a sine, cosine, tanh or atan).
 *
 * <p>Methods of one class call earlier methods of the same class (acyclic, at most three levels
 * deep), and a few are self-recursive on their int parameter, which decreases to a base case.
 * About 30% of the methods other than the last are helpers without {@code @Differentiable}
 * ({@code pN}, {@code qN} when also private), differentiated where they are called and checked
 * through their callers, and so is the void helper in about 40% of classes ({@code hp0},
 * {@code hq0}). About 20% of methods start with an argument check that throws
 * ({@code if (x > 1.0E6) throw new IllegalArgumentException("x too large: " + x);}), which
 * never fires at the points checked but is generated into every sweep.
 */
public final class ProgramGenerator {
  static final String PACKAGE = "fz";
  static final String INT_PARAM = "n";
  private static final String[] DOUBLE_PARAMS = {"x", "y", "z", "w"};

  /**
   * Local names that the processor also uses for its own variables (temporaries, adjoints, flags,
   * the tape): a generated local with such a name checks that the emitter keeps them apart.
   */
  static final List<String> TRICKY_NAMES =
      List.of("t", "g", "r", "seed", "tape", "adjoints", "value", "result", "iterations",
          "iteration", "branch", "broke", "returned", "skipRest", "callAdjoints", "xBar", "t2",
          "resultBar", "dF0", "gIn", "xBarIn");

  static final List<Const> CONSTANTS =
      List.of(
          new Const(T.DOUBLE, "C0", "0.75"),
          new Const(T.DOUBLE, "C1", "1.5"),
          new Const(T.DOUBLE, "C2", "Math.PI / 8"),
          new Const(T.INT, "K0", "3"),
          new Const(T.INT, "K1", "2"));

  private static final double[] LITERALS = {0.5, 0.25, 0.75, 1.0, 1.5, 2.0, 3.0, 0.1, 1.25, 2.5};

  /**
   * Program size: {@code default} (the quick run), {@code large} (longer bodies, deeper
   * nesting, loops three deep), {@code huge} (40 to 80 top-level statements, so that
   * generated methods are split into parts) or {@code giant} (150 to 300 top-level statements,
   * only for {@link PrintProgram}; property {@code adjoint.fuzz.profile}).
   */
  record Profile(int minTop, int extraTop, int maxStatements, int maxDepth, int maxLoopNesting) {
    static Profile named(String name) {
      return switch (name) {
        case "large" -> new Profile(4, 6, 40, 4, 3);
        // Methods of hundreds of statements, whose generated code is split into parts.
        case "huge" -> new Profile(40, 40, 120, 3, 2);
        // 150 to 300 top-level statements: the compile-time reproducer of docs/robustness.md
        // (PrintProgram prints such a class; the suite does not run this profile).
        case "giant" -> new Profile(150, 150, 1500, 4, 3);
        default -> new Profile(2, 4, 22, 3, 2);
      };
    }
  }

  static final Profile PROFILE =
      Profile.named(System.getProperty("adjoint.fuzz.profile", "default"));

  private ProgramGenerator() {}

  // ------------------------------------------------------------------------------------ seeds

  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** The seed of program {@code index} of a run with seed {@code masterSeed}. */
  static long programSeed(long masterSeed, int index) {
    return mix(masterSeed * 0x9E3779B97F4A7C15L + index + 1);
  }

  static long classSeed(long masterSeed, int classIndex) {
    return mix(masterSeed ^ (0xD1B54A32D192ED03L * (classIndex + 1)));
  }

  // ------------------------------------------------------------------------------------ class

  /**
   * Generates one class of {@code count} methods, {@code f0 ... f<count-1>}; method {@code i} is
   * program number {@code firstProgram + i} of the run.
   */
  public static ClassUnit generateClass(
      long masterSeed, int classIndex, int firstProgram, int count, String className) {
    Random sigRandom = new Random(classSeed(masterSeed, classIndex));
    List<Signature> signatures = new ArrayList<>();
    // Some methods (never the last) are helpers without @Differentiable, some of them private:
    // their own Random, so that the other choices stay those of earlier runs' seeds.
    Random plainRandom = new Random(classSeed(masterSeed, classIndex) ^ 0x91A7L);
    // About a fifth of the annotated methods take a record (g...); no other method calls those.
    Random recordRandom = new Random(classSeed(masterSeed, classIndex) ^ 0x5EC0L);
    // About an eighth of the others take an array of records (e...); no other method calls those.
    Random recordArrayRandom = new Random(classSeed(masterSeed, classIndex) ^ 0xA75EC0L);
    for (int i = 0; i < count; i++) {
      double p = plainRandom.nextDouble();
      String prefix = i == count - 1 || p >= 0.3 ? "f" : p < 0.12 ? "q" : "p";
      Signature sig = Signature.random(prefix + i, sigRandom);
      if (prefix.equals("f") && recordRandom.nextDouble() < 0.2 && !sig.recursive()
          && sig.params().stream().filter(q -> q.type() == T.DOUBLE).count() >= 2) {
        // The record's two doubles side by side, where it stands (the flat forms take them so).
        List<Param> params = new ArrayList<>(sig.params());
        List<Param> doubles = params.stream().filter(q -> q.type() == T.DOUBLE).toList();
        params.remove(doubles.get(1));
        params.add(params.indexOf(doubles.get(0)) + 1, doubles.get(1));
        sig = new Signature("g" + i, List.copyOf(params), false);
      }
      if (prefix.equals("f") && recordArrayRandom.nextDouble() < 0.15 && !sig.recursive()) {
        // An array of records Pt(double x, double w, int k): its flat arrays side by side.
        List<Param> params = new ArrayList<>(sig.params());
        int at = recordArrayRandom.nextInt(params.size() + 1);
        params.addAll(at, List.of(new Param("ptsX", T.DARR), new Param("ptsW", T.DARR),
            new Param("ptsK", T.IARR)));
        if (recordArrayRandom.nextBoolean()) {
          // An instance of a final class Lens (one final int field), a constant: its method
          // bend is called on each value the array's reads add up.
          params.add(at + 3, new Param("lensOrder", T.INT));
        }
        sig = new Signature("e" + i, List.copyOf(params), false);
      }
      signatures.add(sig);
    }
    List<Method> methods = new ArrayList<>();
    boolean helper = sigRandom.nextDouble() < 0.6;
    if (helper) {
      double p = plainRandom.nextDouble();
      methods.add(helper(p < 0.2 ? "hq0" : p < 0.45 ? "hp0" : HELPER,
          new Random(classSeed(masterSeed, classIndex) ^ 0x4A7L)));
    }
    int[] levels = new int[count];
    // About a third of the methods that do not recurse write their array parameters; no other
    // method calls those (a differentiable caller may not pass an array to a method writing it).
    boolean[] writes = new boolean[count];
    for (int i = 0; i < count; i++) {
      writes[i] = !signatures.get(i).recursive() && new Random(
          programSeed(masterSeed, firstProgram + i) ^ 0x57A1L).nextDouble() < 0.35;
    }
    for (int i = 0; i < count; i++) {
      List<Signature> callable = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (levels[j] <= 2 && !writes[j] && !signatures.get(j).name().startsWith("g")
            && !signatures.get(j).name().startsWith("e")) {
          callable.add(signatures.get(j));
        }
      }
      MethodGenerator g = new MethodGenerator(
          new Random(programSeed(masterSeed, firstProgram + i)), signatures.get(i), callable);
      g.helperAvailable = helper;
      g.helperName = helper ? methods.get(0).name() : HELPER;
      g.guardRandom = new Random(programSeed(masterSeed, firstProgram + i) ^ 0x7E1L);
      g.writesParameters = writes[i] && !signatures.get(i).name().startsWith("g")
          && !signatures.get(i).name().startsWith("e");
      // About a quarter of the methods use records (their own Random: the other methods' choices
      // stay those of earlier runs' seeds).
      g.records = new Random(programSeed(masterSeed, firstProgram + i) ^ 0x2EC0L).nextDouble()
          < 0.25;
      Method m = g.generate();
      methods.add(m);
      int level = 1;
      for (String callee : Ast.callees(m.body())) {
        if (!callee.equals(m.name()) && !callee.startsWith("h")) {
          level = Math.max(level, 1 + levels[Integer.parseInt(callee.substring(1))]);
        }
      }
      levels[i] = level;
    }
    return new ClassUnit(PACKAGE, className, CONSTANTS, methods);
  }

  static final String HELPER = "h0";

  /**
   * The void helper {@code h0(double[] a, double c)}: one or two loops over {@code a} that write
   * its elements in place with bounded (contracting) updates, one of them a recurrence on {@code
   * a[i - 1]}, one of them branching on an element.
   */
  static Method helper(String name, Random rnd) {
    Ref a = new Ref("a", T.DARR);
    Ref c = new Ref("c", T.DOUBLE);
    Ref i = new Ref("i", T.INT);
    Expr ai = new Ast.Index(a, i);
    List<Stmt> body = new ArrayList<>();
    int loops = 1 + rnd.nextInt(2);
    for (int l = 0; l < loops; l++) {
      String var = "i";
      int from = 0;
      Stmt write;
      switch (rnd.nextInt(5)) {
        case 0:
          write = new Ast.ElemAssign(a, i, "=", new Bin(Op.ADD, new Bin(Op.MUL, new DLit(0.5), ai),
              new MathCall("tanh", false, List.of(new Bin(Op.MUL, c, ai)), T.DOUBLE)));
          break;
        case 1:
          from = 1;
          write = new Ast.ElemAssign(a, i, "=", new Bin(Op.ADD,
              new MathCall("tanh", false, List.of(new Bin(Op.MUL,
                  new Ast.Index(a, new Bin(Op.SUB, i, new ILit(1))), ai)), T.DOUBLE),
              new Bin(Op.MUL, new DLit(0.5),
                  new MathCall("sin", false, List.of(new Bin(Op.ADD, c, ai)), T.DOUBLE))));
          break;
        case 2:
          write = new Ast.ElemAssign(a, i, "+=", new Bin(Op.MUL, new DLit(0.25),
              new MathCall("atan", false, List.of(new Bin(Op.SUB, c, ai)), T.DOUBLE)));
          break;
        case 3:
          write = new If(new Bin(Op.GT, ai, c),
              List.of(new Ast.ElemAssign(a, i, "=", new Bin(Op.MUL, new DLit(0.5), ai))),
              List.of(new Ast.ElemAssign(a, i, "=",
                  new MathCall("sin", false, List.of(new Bin(Op.ADD, ai, c)), T.DOUBLE))));
          break;
        default:
          write = new Ast.ElemAssign(a, i, "=", new Bin(Op.ADD, new Bin(Op.MUL, new DLit(0.75), ai),
              new Bin(Op.MUL, new DLit(0.25), new MathCall("cos", false, List.of(c), T.DOUBLE))));
      }
      body.add(new For(null, var, new ILit(from), new Ast.Length(a), true, null,
          List.of(write)));
    }
    if (rnd.nextBoolean()) {
      body.add(new Ast.ElemAssign(a, new ILit(0), "+=", new Bin(Op.MUL, new DLit(0.5),
          new MathCall("sin", false, List.of(c), T.DOUBLE))));
    }
    return new Method(name, List.of(new Param("a", T.DARR), new Param("c", T.DOUBLE)),
        List.copyOf(body));
  }

  /** A method's name, parameters and whether it recurses. */
  record Signature(String name, List<Param> params, boolean recursive) {
    static Signature random(String name, Random rnd) {
      if (rnd.nextDouble() < 0.28) {
        return randomWithArrays(name, rnd);
      }
      int doubles = 2 + rnd.nextInt(3);
      int intPosition = rnd.nextInt(doubles + 1);
      List<Param> params = new ArrayList<>();
      for (int k = 0; k < doubles; k++) {
        if (k == intPosition) {
          params.add(new Param(INT_PARAM, T.INT));
        }
        params.add(new Param(DOUBLE_PARAMS[k], T.DOUBLE));
      }
      if (intPosition == doubles) {
        params.add(new Param(INT_PARAM, T.INT));
      }
      return new Signature(name, List.copyOf(params), rnd.nextDouble() < 0.08);
    }

    /** 0 to 2 doubles, one or two double[] (a, b), maybe an int[] (k), and n, shuffled. */
    static Signature randomWithArrays(String name, Random rnd) {
      List<Param> params = new ArrayList<>();
      int doubles = rnd.nextDouble() < 0.15 ? 0 : 1 + rnd.nextInt(2);
      for (int k = 0; k < doubles; k++) {
        params.add(new Param(DOUBLE_PARAMS[k], T.DOUBLE));
      }
      params.add(new Param("a", T.DARR));
      if (rnd.nextDouble() < 0.35) {
        params.add(new Param("b", T.DARR));
      }
      if (rnd.nextDouble() < 0.4) {
        params.add(new Param("k", T.IARR));
      }
      params.add(new Param(INT_PARAM, T.INT));
      java.util.Collections.shuffle(params, rnd);
      return new Signature(name, List.copyOf(params), rnd.nextDouble() < 0.05);
    }
  }

  // ---------------------------------------------------------------------------------- methods

  private enum Kind {
    PARAM,
    LOCAL,
    COUNTER,
    DCOUNTER,
    CONST
  }

  private record Var(String name, T type, Kind kind) {}

  private record LoopCtx(String label) {}

  /** A counter of {@code for (int i = from; i < array.length; i++)}: a safe index there. */
  private record ArrayCounter(String array, int from) {}

  private static final class MethodGenerator {
    private final Random rnd;
    private final Signature sig;
    private final List<Signature> callable;
    private final Deque<List<Var>> scopes = new ArrayDeque<>();
    private final Deque<LoopCtx> loops = new ArrayDeque<>();
    private final Set<String> used = new HashSet<>();
    private int depth;
    private int statements;
    private int counter;
    private boolean selfCallAllowed;
    private boolean selfCallUsed;
    boolean helperAvailable;
    /** The void helper's name: h0, or hp0 / hq0 when it has no annotation. */
    String helperName = HELPER;
    /** Decides the argument checks, apart from the body's own choices. */
    Random guardRandom = new Random(0);

    /** Whether this method may write its array parameters (then no other method calls it). */
    boolean writesParameters;

    /** Whether this method uses records ({@link Ast.RecordBlock}). */
    boolean records;
    private final java.util.Map<String, ArrayCounter> arrayCounters = new java.util.HashMap<>();

    /** The length of each local double[], where two arrays must be known to be as long. */
    private final java.util.Map<String, Expr> arrayLengths = new java.util.HashMap<>();

    MethodGenerator(Random rnd, Signature sig, List<Signature> callable) {
      this.rnd = rnd;
      this.sig = sig;
      this.callable = callable;
    }

    Method generate() {
      if (sig.name().startsWith("g")) {
        sig.params().stream().filter(p -> p.type() == T.DOUBLE).limit(2)
            .forEach(p -> recordComponents.add(p.name()));
      }
      List<Var> top = new ArrayList<>();
      boolean recordArray = sig.name().startsWith("e");
      for (Param p : sig.params()) {
        if (!recordArray || !p.name().startsWith("pts") && !p.name().startsWith("lens")) {
          // The array of records is read only by its own blocks.
          top.add(new Var(p.name(), p.type(), Kind.PARAM));
        }
        used.add(p.name());
      }
      for (Const c : CONSTANTS) {
        top.add(new Var(c.name(), c.type(), Kind.CONST));
      }
      scopes.push(top);
      List<Stmt> body = new ArrayList<>();
      List<Param> doubles = sig.params().stream().filter(p -> p.type() == T.DOUBLE).toList();
      if (!doubles.isEmpty() && guardRandom.nextDouble() < 0.2) {
        // An argument check that never fires at the points checked (inputs are in [-2, 2]). A
        // helper's arguments are computed by its callers, and a recursive method's by its own
        // previous level: in bodies of hundreds of statements, or a few levels down, they can
        // pass 1e6, so there the check only refuses what no finite value passes.
        Param checked = doubles.get(guardRandom.nextInt(doubles.size()));
        Ref ref = new Ref(checked.name(), T.DOUBLE);
        double limit = PROFILE.minTop >= 40 || sig.recursive() ? 1.0e300 : 1.0e6;
        body.add(new Ast.Guard(new Bin(Op.GT, ref, lit(limit)), checked.name() + " too large: ",
            ref));
      }
      if (sig.recursive()) {
        body.add(new RecBase(INT_PARAM, dexpr(2)));
        selfCallAllowed = true;
      }
      int count = PROFILE.minTop + rnd.nextInt(PROFILE.extraTop + 1);
      for (int i = 0; i < count; i++) {
        stmt(body);
      }
      String recordArraySum = null;
      if (recordArray) {
        // At least one read of the array of records reaches the result.
        recordArraySum = fresh("e", false);
        body.add(new Decl(T.DOUBLE, recordArraySum, dexpr(1), false));
        body.add(new Ast.RecordBlock(recordArraySum, 10 + rnd.nextInt(4), fresh("e", false),
            List.of(dexpr(2), dexpr(2), squash(1))));
      }
      Expr result = finalExpression();
      if (recordArraySum != null) {
        result = new Bin(Op.ADD, result, new Ref(recordArraySum, T.DOUBLE));
      }
      if (sig.recursive() && !selfCallUsed) {
        result = new Bin(Op.ADD, result, new Bin(Op.MUL, lit(0.5), selfCall()));
      }
      body.add(new Return(result));
      return new Method(sig.name(), sig.params(), List.copyOf(body));
    }

    // ----------------------------------------------------------------------------- helpers

    private static DLit lit(double v) {
      return new DLit(v);
    }

    private int pick(double... weights) {
      double total = 0;
      for (double w : weights) {
        total += w;
      }
      double r = rnd.nextDouble() * total;
      for (int i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0 && weights[i] > 0) {
          return i;
        }
      }
      for (int i = weights.length - 1; i >= 0; i--) {
        if (weights[i] > 0) {
          return i;
        }
      }
      throw new IllegalStateException("no choice");
    }

    private <E> E any(List<E> list) {
      return list.get(rnd.nextInt(list.size()));
    }

    private boolean chance(double p) {
      return rnd.nextDouble() < p;
    }

    private List<Var> visible(T type, Set<Kind> kinds) {
      List<Var> out = new ArrayList<>();
      for (List<Var> scope : scopes) {
        for (Var v : scope) {
          if (v.type() == type && kinds.contains(v.kind())) {
            out.add(v);
          }
        }
      }
      return out;
    }

    private String fresh(String prefix, boolean allowTricky) {
      if (allowTricky && chance(0.12)) {
        List<String> free = new ArrayList<>();
        for (String t : TRICKY_NAMES) {
          if (!used.contains(t)) {
            free.add(t);
          }
        }
        if (!free.isEmpty()) {
          String name = any(free);
          used.add(name);
          return name;
        }
      }
      String name;
      do {
        name = prefix + (++counter);
      } while (used.contains(name));
      used.add(name);
      return name;
    }

    private void declare(String name, T type, Kind kind) {
      scopes.peek().add(new Var(name, type, kind));
    }

    private double literal() {
      return LITERALS[rnd.nextInt(LITERALS.length)];
    }

    // --------------------------------------------------------------------- double expressions

    Expr dexpr(int d) {
      if (d <= 0 || chance(0.22)) {
        return dleaf();
      }
      List<Signature> callableNow = callableNow();
      boolean canCall = !callableNow.isEmpty();
      boolean canSelf = selfCallAllowed && !selfCallUsed && loops.isEmpty();
      int c = pick(4, 3, 1.3, 0.7, 4.5, 0.9, 0.6, 0.3, 0.5, canCall ? 1.3 : 0, canSelf ? 1.5 : 0,
          0.6, 0.3);
      switch (c) {
        case 0:
          return new Bin(chance(0.5) ? Op.ADD : Op.SUB, dexpr(d - 1), dexpr(d - 1));
        case 1:
          return chance(0.5) ? new Bin(Op.MUL, dexpr(d - 1), small(d - 1))
              : new Bin(Op.MUL, small(d - 1), dexpr(d - 1));
        case 2:
          return new Bin(Op.DIV, dexpr(d - 1), safeDenominator(d - 1));
        case 3:
          return new Neg(dexpr(d - 1));
        case 4:
          return intrinsic(d - 1);
        case 5:
          return new Cond(bexpr(d - 1), dexpr(d - 1), dexpr(d - 1));
        case 6: {
          // Half the time a divisor that depends on the inputs (d/db of a % b is -trunc(a / b)).
          Expr divisor = switch (rnd.nextInt(4)) {
            case 0 -> lit(0.7);
            case 1 -> lit(1.5);
            default -> onePlusSquare(1.5, dexpr(Math.max(1, d - 1)));
          };
          return new Bin(Op.REM, dexpr(d - 1), divisor);
        }
        case 7:
          return new FloatRound(dexpr(d - 1));
        case 8:
          switch (rnd.nextInt(3)) {
            case 0:
              return new Cast(T.DOUBLE, new Cast(T.INT, dexpr(d - 1)));
            case 1:
              return new Bin(Op.MUL, new Cast(T.INT, new Bin(Op.MUL, dexpr(d - 1), lit(2.0))),
                  lit(0.5));
            default:
              return new Cast(T.DOUBLE,
                  new Cast(T.LONG, new Bin(Op.MUL, dexpr(d - 1), lit(3.0))));
          }
        case 9:
          return invoke(any(callableNow), d - 1);
        case 10:
          return selfCall();
        case 11:
          return chance(0.5) ? new Bin(Op.MUL, dexpr(d - 1), intAtom())
              : new Bin(chance(0.5) ? Op.ADD : Op.SUB, intAtom(), dexpr(d - 1));
        default:
          return new Cast(T.DOUBLE, iexpr());
      }
    }

    private Expr dleaf() {
      List<Var> vars = visible(T.DOUBLE, Set.of(Kind.PARAM, Kind.LOCAL, Kind.DCOUNTER));
      List<Var> consts = visible(T.DOUBLE, Set.of(Kind.CONST));
      List<Var> arrays = visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL));
      int c = pick(vars.isEmpty() ? 0 : 6, 2, 0.5, 0.15, arrays.isEmpty() ? 0 : 3.5);
      switch (c) {
        case 0:
          return ref(any(vars));
        case 4: {
          Var arr = any(arrays);
          return new Ast.Index(ref(arr), safeIndex(arr));
        }
        case 1:
          return lit(literal());
        case 2:
          return ref(any(consts));
        default:
          return new Ref(chance(0.5) ? "Math.PI" : "Math.E", T.DOUBLE);
      }
    }

    private static Ref ref(Var v) {
      return new Ref(v.name(), v.type());
    }

    /** A factor of moderate size: a literal, a parameter or a bounded function. */
    private Expr small(int d) {
      switch (rnd.nextInt(3)) {
        case 0:
          return lit(literal());
        case 1: {
          List<Var> params = visible(T.DOUBLE, Set.of(Kind.PARAM));
          return params.isEmpty() ? lit(literal()) : ref(any(params));
        }
        default:
          return squash(d);
      }
    }

    /** sin, cos, tanh or atan of anything: bounded by pi/2. */
    private Expr squash(int d) {
      String fn = any(List.of("sin", "cos", "tanh", "atan"));
      return math(fn, dexpr(d));
    }

    private MathCall math(String fn, Expr... args) {
      return new MathCall(fn, chance(0.08), List.of(args), T.DOUBLE);
    }

    private static Expr onePlusSquare(double c, Expr e) {
      return new Bin(Op.ADD, new DLit(c), new Bin(Op.MUL, e, e));
    }

    private Expr safeDenominator(int d) {
      switch (rnd.nextInt(5)) {
        case 0:
          return onePlusSquare(1.5, dexpr(d));
        case 1:
          return new Bin(Op.ADD, lit(2.0), math(chance(0.5) ? "sin" : "cos", dexpr(d)));
        case 2:
          return new Bin(Op.ADD, lit(1.0), math("exp", squash(d)));
        case 3:
          return new Ref("C1", T.DOUBLE);
        default:
          return lit(any(List.of(0.7, 1.5, 2.0, 3.0)));
      }
    }

    private Expr intrinsic(int d) {
      switch (rnd.nextInt(33)) {
        case 0:
          return math("sin", dexpr(d));
        case 1:
          return math("cos", dexpr(d));
        case 2:
          return math("tan", new Bin(Op.MUL, lit(0.7), math("tanh", dexpr(d))));
        case 3:
          return math("asin", chance(0.5)
              ? new Bin(Op.MUL, lit(0.9), math("tanh", dexpr(d)))
              : new Bin(Op.MUL, lit(0.5), math("sin", dexpr(d))));
        case 4:
          return math("acos", chance(0.5)
              ? new Bin(Op.MUL, lit(0.9), math("tanh", dexpr(d)))
              : new Bin(Op.MUL, lit(0.5), math("cos", dexpr(d))));
        case 5:
          return math("atan", dexpr(d));
        case 6:
          return math("atan2", dexpr(d), dexpr(d));
        case 7:
          return math("sinh", squash(d));
        case 8:
          return math("cosh", squash(d));
        case 9:
          return math("tanh", dexpr(d));
        case 10: {
          if (chance(0.5)) {
            return math("exp", squash(d));
          }
          Expr e = dexpr(d);
          return math("exp", new Neg(new Bin(Op.MUL, e, e)));
        }
        case 11:
          return math("expm1", squash(d));
        case 12:
          return math("log", chance(0.5) ? onePlusSquare(1.0, dexpr(d))
              : new Bin(Op.ADD, lit(1.5), math("sin", dexpr(d))));
        case 13:
          return math("log10", onePlusSquare(1.0, dexpr(d)));
        case 14: {
          if (chance(0.5)) {
            return math("log1p", new Bin(Op.MUL, lit(0.5), math("tanh", dexpr(d))));
          }
          Expr e = dexpr(d);
          return math("log1p", new Bin(Op.MUL, e, e));
        }
        case 15:
          return math("sqrt", chance(0.5) ? onePlusSquare(1.0, dexpr(d))
              : new Bin(Op.ADD, lit(2.0), math("cos", dexpr(d))));
        case 16:
          return math("cbrt", chance(0.5) ? dexpr(d)
              : new Bin(Op.ADD, lit(2.0), math("sin", dexpr(d))));
        case 17: {
          switch (rnd.nextInt(5)) {
            case 0:
              return math("pow", onePlusSquare(1.5, dexpr(d)),
                  new Bin(Op.MUL, lit(0.5), squash(d)));
            case 1:
              return math("pow", dexpr(d), new ILit(rnd.nextInt(4)));
            case 2:
              return math("pow", dexpr(d), lit(chance(0.5) ? 2.0 : 3.0));
            case 3:
              return math("pow", onePlusSquare(1.5, dexpr(d)), intAtom());
            default:
              return math("pow", onePlusSquare(1.5, dexpr(d)), new Neg(lit(1.5)));
          }
        }
        case 18:
          return math("hypot", dexpr(d), dexpr(d));
        case 19:
          return math("abs", dexpr(d));
        case 20:
          return math("min", dexpr(d), dexpr(d));
        case 21:
          return math("max", dexpr(d), dexpr(d));
        case 22:
          return math("signum", dexpr(d));
        case 23:
          return math("floor", dexpr(d));
        case 24:
          return math("ceil", dexpr(d));
        case 25:
          return math("rint", dexpr(d));
        case 26:
          return new Cast(T.DOUBLE,
              new MathCall("round", chance(0.08), List.of(dexpr(d)), T.LONG));
        case 27:
          return math("toRadians", dexpr(d));
        case 28:
          return math("toDegrees", squash(d));
        case 29:
          return math("fma", dexpr(d), small(d), dexpr(d));
        case 30:
          return math("copySign", dexpr(d), dexpr(d));
        case 31:
          return math(any(List.of("sin", "cos", "atan", "tanh")), dexpr(d));
        default:
          return math(any(List.of("exp", "sinh", "cosh", "expm1")), squash(d));
      }
    }

    private Expr invoke(Signature callee, int d) {
      List<Expr> args = new ArrayList<>();
      for (Param p : callee.params()) {
        args.add(p.type() == T.INT ? intArgument()
            : p.type() == T.DARR || p.type() == T.IARR
                ? ref(any(visible(p.type(), Set.of(Kind.PARAM, Kind.LOCAL))))
                : dexpr(Math.min(d, 2)));
      }
      return new Invoke(callee.name(), args);
    }

    /** The callees whose array parameters this method can pass arrays to. */
    private List<Signature> callableNow() {
      List<Signature> out = new ArrayList<>();
      boolean dArr = !visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL)).isEmpty();
      boolean iArr = !visible(T.IARR, Set.of(Kind.PARAM, Kind.LOCAL)).isEmpty();
      for (Signature s : callable) {
        boolean ok = true;
        for (Param p : s.params()) {
          ok &= (p.type() != T.DARR || dArr) && (p.type() != T.IARR || iArr);
        }
        if (ok) {
          out.add(s);
        }
      }
      return out;
    }

    /**
     * An index that is in bounds for {@code arr} (every array has 2 to 5 or more elements): 0 or
     * 1, the counter of a loop over {@code arr.length} (or that counter - 1 when the loop starts
     * at 1), or a non-negative int (a loop counter, an element of an int[] parameter) modulo
     * {@code arr.length}.
     */
    private Expr safeIndex(Var arr) {
      List<Var> counters = visible(T.INT, Set.of(Kind.COUNTER));
      List<Var> own = new ArrayList<>();
      for (Var c : counters) {
        ArrayCounter ac = arrayCounters.get(c.name());
        if (ac != null && ac.array().equals(arr.name())) {
          own.add(c);
        }
      }
      List<Var> intArrays = visible(T.IARR, Set.of(Kind.PARAM));
      int c = pick(1.5, own.isEmpty() ? 0 : 5, counters.isEmpty() ? 0 : 1.5,
          intArrays.isEmpty() ? 0 : 1);
      switch (c) {
        case 0:
          return new ILit(rnd.nextInt(2));
        case 1: {
          Var i = any(own);
          if (arrayCounters.get(i.name()).from() == 1 && chance(0.4)) {
            return new Bin(Op.SUB, ref(i), new ILit(1));
          }
          return ref(i);
        }
        case 2:
          return new Bin(Op.REM, ref(any(counters)), new Ast.Length(ref(arr)));
        default:
          return new Bin(Op.REM, new Ast.Index(ref(any(intArrays)), new ILit(rnd.nextInt(2))),
              new Ast.Length(ref(arr)));
      }
    }

    /**
     * A self-call, its result squashed: a recursion level may square what the one below
     * returned, and unsquashed values would grow doubly exponentially with the depth.
     */
    private Expr selfCall() {
      selfCallUsed = true;
      List<Expr> args = new ArrayList<>();
      boolean saved = selfCallAllowed;
      selfCallAllowed = false;
      for (Param p : sig.params()) {
        args.add(p.type() == T.INT ? new Bin(Op.SUB, new Ref(INT_PARAM, T.INT), new ILit(1))
            : p.type() == T.DARR || p.type() == T.IARR ? new Ref(p.name(), p.type())
            : dexpr(1));
      }
      selfCallAllowed = saved;
      return math(any(List.of("tanh", "atan", "sin")), new Invoke(sig.name(), args));
    }

    // ------------------------------------------------------------------------ int expressions

    private List<Var> intVars() {
      return visible(T.INT, Set.of(Kind.PARAM, Kind.LOCAL, Kind.COUNTER, Kind.CONST));
    }

    private Expr intAtom() {
      List<Var> vars = intVars();
      return chance(0.35) || vars.isEmpty() ? new ILit(rnd.nextInt(5)) : ref(any(vars));
    }

    Expr iexpr() {
      List<Var> vars = intVars();
      List<Var> arrays = visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL));
      List<Var> intArrays = visible(T.IARR, Set.of(Kind.PARAM));
      int c = pick(2, 4, 1, 0.7, 0.6, 0.4, arrays.isEmpty() ? 0 : 0.4,
          intArrays.isEmpty() ? 0 : 0.5);
      switch (c) {
        case 6:
          return new Ast.Length(ref(any(arrays)));
        case 7: {
          Var k = any(intArrays);
          return new Ast.Index(ref(k), safeIndex(k));
        }
        case 0:
          return new ILit(rnd.nextInt(6));
        case 1:
          return ref(any(vars));
        case 2:
          return new Bin(chance(0.5) ? Op.ADD : Op.SUB, ref(any(vars)),
              new ILit(1 + rnd.nextInt(2)));
        case 3:
          return new Bin(Op.REM, ref(any(vars)), new ILit(2 + rnd.nextInt(3)));
        case 4:
          return new Cast(T.INT, dexpr(1));
        default:
          return chance(0.5)
              ? new MathCall("min", chance(0.1),
                  List.of(ref(any(vars)), new ILit(3 + rnd.nextInt(4))), T.INT)
              : new MathCall("abs", chance(0.1), List.of(ref(any(vars))), T.INT);
      }
    }

    /** An int argument for a call: small, so that the callee's loops stay short. */
    private Expr intArgument() {
      List<Var> counters = visible(T.INT, Set.of(Kind.COUNTER));
      List<Var> locals = visible(T.INT, Set.of(Kind.LOCAL));
      int c = pick(3, 2, counters.isEmpty() ? 0 : 1, 1, locals.isEmpty() ? 0 : 0.5);
      switch (c) {
        case 0:
          return new Ref(INT_PARAM, T.INT);
        case 1:
          return new ILit(rnd.nextInt(5));
        case 2:
          return ref(any(counters));
        case 3:
          return new Bin(Op.SUB, new Ref(INT_PARAM, T.INT), new ILit(1));
        default:
          return new MathCall("min", false, List.of(ref(any(locals)), new ILit(4)), T.INT);
      }
    }

    // -------------------------------------------------------------------- boolean expressions

    Expr bexpr(int d) {
      List<Var> bools = visible(T.BOOLEAN, Set.of(Kind.LOCAL));
      int c = pick(5, 0.2, 1.5, bools.isEmpty() ? 0 : 0.7, d > 0 ? 1 : 0, d > 0 ? 0.4 : 0);
      switch (c) {
        case 0: {
          Op op = any(List.of(Op.LT, Op.LE, Op.GT, Op.GE));
          return new Bin(op, dexpr(d), chance(0.4) ? lit(literal()) : dexpr(d));
        }
        case 1:
          return new Bin(chance(0.5) ? Op.EQ : Op.NE, dexpr(d), dexpr(d));
        case 2: {
          List<Var> vars = intVars();
          if (chance(0.4)) {
            return new Bin(Op.EQ, new Bin(Op.REM, ref(any(vars)), new ILit(2)), new ILit(0));
          }
          Op op = any(List.of(Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE));
          return new Bin(op, iexpr(), new ILit(rnd.nextInt(5)));
        }
        case 3:
          return ref(any(bools));
        case 4:
          return new Bin(chance(0.5) ? Op.AND : Op.OR, bexpr(d - 1), bexpr(d - 1));
        default:
          return new Not(bexpr(d - 1));
      }
    }

    // ----------------------------------------------------------------------------- statements

    private List<Stmt> block(int count) {
      scopes.push(new ArrayList<>());
      depth++;
      try {
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          stmt(out);
        }
        return out;
      } finally {
        depth--;
        scopes.pop();
      }
    }

    private List<Var> assignableDoubles() {
      List<Var> out = new ArrayList<>(visible(T.DOUBLE, Set.of(Kind.PARAM, Kind.LOCAL)));
      out.removeIf(v -> recordComponents.contains(v.name()));
      return out;
    }

    /** The double parameters a record parameter stands for (read, never written). */
    private final Set<String> recordComponents = new HashSet<>();

    void stmt(List<Stmt> out) {
      statements++;
      boolean roomy = statements < PROFILE.maxStatements;
      boolean canNest = depth < PROFILE.maxDepth && roomy;
      boolean canLoop = loops.size() < PROFILE.maxLoopNesting && canNest;
      boolean inLoop = !loops.isEmpty();
      List<Var> doubleLocals = visible(T.DOUBLE, Set.of(Kind.LOCAL));
      List<Var> intLocals = visible(T.INT, Set.of(Kind.LOCAL));
      List<Var> localArrays = visible(T.DARR, Set.of(Kind.LOCAL));
      // The methods return a value: they may write their array parameters too.
      List<Var> writable = new ArrayList<>(localArrays);
      if (writesParameters) {
        writable.addAll(visible(T.DARR, Set.of(Kind.PARAM)));
      }
      List<Var> allArrays = new ArrayList<>(visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL)));
      allArrays.addAll(visible(T.IARR, Set.of(Kind.PARAM)));
      boolean assignable = !assignableDoubles().isEmpty();
      int c = pick(
          3, // 0 double local
          0.8, // 1 int local
          0.3, // 2 boolean local
          canNest ? 0.25 : 0, // 3 declared without initializer, assigned in both branches
          assignable ? 3 : 0, // 4 double assignment
          intLocals.isEmpty() ? 0 : 0.8, // 5 int assignment
          assignable ? 0.25 : 0, // 6 ++/-- on a double (local or parameter)
          canNest ? 1.6 : 0, // 7 if
          canLoop ? 1.3 : 0, // 8 for
          canLoop ? 0.3 : 0, // 9 for over a double
          canLoop ? 0.6 : 0, // 10 while
          canLoop ? 0.5 : 0, // 11 do-while
          inLoop ? 1.1 : 0, // 12 jump out of a loop
          canNest ? 0.2 : 0, // 13 early return
          // 14 a local double[] (anywhere: in loops and branches it is a fresh array each time)
          depth == 0 && loops.isEmpty() && roomy ? (arrayMethod() ? 5 : 0.5)
              : roomy && arrayMethod() ? 1.0 : 0,
          canLoop && !allArrays.isEmpty() ? 2.2 : 0, // 15 a loop over an array's length
          writable.isEmpty() ? 0 : localArrays.isEmpty() ? 0.6 : 1.5, // 16 an element write
          helperAvailable && !writable.isEmpty() ? 1.2 : 0, // 17 a call of the helper
          // 18 arrays as values: copies, swaps, fill, arraycopy
          roomy && !visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL)).isEmpty()
              ? (inLoop ? 2 : 1.2) : 0,
          // 19 a swap of two arrays in a loop
          inLoop && !swappablePairs(localArrays).isEmpty() ? 8 : 0,
          // 20 a time-stepping loop over a double buffer
          depth == 0 && loops.isEmpty() && roomy && arrayMethod() ? 1.5 : 0,
          // 21 records: locals, calls returning a record, instance methods
          records && assignable && roomy ? 3 : 0,
          // 22 reads of the array of records pts
          sig.name().startsWith("e") && assignable && roomy ? 3 : 0,
          // 23 a running maximum or minimum over an array (transform.LastTaken)
          // (at a method's top level, where its recording is rewritten, more often)
          canLoop && !visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL)).isEmpty()
              ? (depth == 0 && loops.isEmpty() ? 1.5 : 0.5) : 0);
      switch (c) {
        case 23:
          out.addAll(runningExtremum());
          return;
        case 14:
          out.add(arrayDeclaration());
          return;
        case 15:
          out.add(arrayLoop());
          return;
        case 16: {
          Var arr = any(!localArrays.isEmpty() && chance(0.4) ? localArrays : writable);
          out.add(elementWrite(arr, safeIndex(arr), inLoop));
          return;
        }
        case 17: {
          Var arr = any(!localArrays.isEmpty() && chance(0.4) ? localArrays : writable);
          out.add(new Ast.CallStmt(helperName, List.of(ref(arr), dexpr(1))));
          return;
        }
        case 18:
          out.add(arrayValue(localArrays, writable));
          return;
        case 20:
          doubleBuffer(out);
          return;
        case 21: {
          List<Var> locals = visible(T.DOUBLE, Set.of(Kind.LOCAL));
          Var target = !locals.isEmpty() && chance(0.7) ? any(locals) : any(assignableDoubles());
          int form = rnd.nextInt(4);
          out.add(new Ast.RecordBlock(target.name(), form, fresh("r", false),
              List.of(dexpr(2), dexpr(2), squash(1))));
          return;
        }
        case 22: {
          List<Var> locals = visible(T.DOUBLE, Set.of(Kind.LOCAL));
          Var target = !locals.isEmpty() && chance(0.7) ? any(locals) : any(assignableDoubles());
          out.add(new Ast.RecordBlock(target.name(), 10 + rnd.nextInt(4), fresh("e", false),
              List.of(dexpr(2), dexpr(2), squash(1))));
          return;
        }
        case 19: {
          Var[] pair = any(swappablePairs(localArrays));
          out.add(new Ast.ArrayOp("swap", fresh("tmp", false), pair[0].name(), pair[1].name(),
              List.of()));
          return;
        }
        case 0: {
          Expr init = dexpr(3);
          String name = fresh("a", true);
          out.add(new Decl(T.DOUBLE, name, init, chance(0.25)));
          declare(name, T.DOUBLE, Kind.LOCAL);
          return;
        }
        case 1: {
          Expr init = iexpr();
          String name = fresh("k", false);
          out.add(new Decl(T.INT, name, init, chance(0.25)));
          declare(name, T.INT, Kind.LOCAL);
          return;
        }
        case 2: {
          Expr init = bexpr(1);
          String name = fresh("b", false);
          out.add(new Decl(T.BOOLEAN, name, init, chance(0.25)));
          declare(name, T.BOOLEAN, Kind.LOCAL);
          return;
        }
        case 3: {
          String name = fresh("u", true);
          out.add(new Decl(T.DOUBLE, name, null, false));
          Expr cond = bexpr(1);
          Expr a = dexpr(2);
          Expr b = dexpr(2);
          out.add(new If(cond, List.of(new Assign(name, T.DOUBLE, "=", a)),
              List.of(new Assign(name, T.DOUBLE, "=", b))));
          declare(name, T.DOUBLE, Kind.LOCAL);
          return;
        }
        case 4:
          out.add(doubleAssignment(inLoop));
          return;
        case 5:
          out.add(intAssignment(any(intLocals)));
          return;
        case 6: {
          Var v = !doubleLocals.isEmpty() && chance(0.7) ? any(doubleLocals)
              : any(assignableDoubles());
          out.add(new Step(v.name(), chance(0.5), chance(0.5)));
          return;
        }
        case 7:
          out.add(ifStatement());
          return;
        case 8:
          out.add(forLoop());
          return;
        case 9:
          out.add(doubleForLoop());
          return;
        case 10:
          out.add(whileLoop());
          return;
        case 11:
          out.add(doWhileLoop());
          return;
        case 12:
          out.add(jump());
          return;
        default: {
          List<Stmt> then = new ArrayList<>(block(rnd.nextInt(2)));
          then.add(new Return(dexpr(2)));
          out.add(new If(bexpr(1), then, List.of()));
        }
      }
    }

    private boolean arrayMethod() {
      for (Param p : sig.params()) {
        if (p.type() == T.DARR && !p.name().startsWith("pts")) {
          return true;
        }
      }
      return false;
    }

    /**
     * A copy of an array into a new local (clone, Arrays.copyOf, copyOfRange, padded with
     * zeros past the source's end), a swap of two local arrays known to be as long, fill or
     * System.arraycopy into a local array or an array parameter (overlapping ranges of one array
     * both ways).
     */
    private Stmt arrayValue(List<Var> localArrays, List<Var> writable) {
      List<Var> sources = visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL));
      List<Var[]> swappable = swappablePairs(localArrays);
      int c = pick(1.5, 1, 1, swappable.isEmpty() ? 0 : 6, writable.isEmpty() ? 0 : 0.7,
          writable.isEmpty() ? 0 : 1);
      switch (c) {
        case 0: {
          // A clone of a local array gives a pair that may be swapped.
          Var src = !localArrays.isEmpty() && chance(0.6) ? any(localArrays) : any(sources);
          String name = fresh("t", false);
          declare(name, T.DARR, Kind.LOCAL);
          arrayLengths.put(name, lengthOf(src));
          return new Ast.ArrayOp("clone", name, src.name(), null, List.of());
        }
        case 1: {
          Var src = any(sources);
          String name = fresh("t", false);
          int k = 2 + rnd.nextInt(4);
          declare(name, T.DARR, Kind.LOCAL);
          arrayLengths.put(name, new ILit(k));
          return new Ast.ArrayOp("copyOf", name, src.name(), null, List.of(new ILit(k)));
        }
        case 2: {
          Var src = any(sources);
          String name = fresh("t", false);
          int from = rnd.nextInt(2);
          int k = 2 + rnd.nextInt(3);
          declare(name, T.DARR, Kind.LOCAL);
          arrayLengths.put(name, new ILit(k));
          return new Ast.ArrayOp("copyOfRange", name, src.name(), null,
              List.of(new ILit(from), new ILit(from + k)));
        }
        case 3: {
          Var[] pair = any(swappable);
          boolean flip = chance(0.5);
          return new Ast.ArrayOp("swap", fresh("tmp", false), pair[flip ? 1 : 0].name(),
              pair[flip ? 0 : 1].name(), List.of());
        }
        case 4:
          return new Ast.ArrayOp("fill", null, any(writable).name(), null, List.of(dexpr(2)));
        default: {
          Var dest = any(writable);
          if (chance(0.4)) {
            // Within one array: shift right (copied last element first) or left.
            Expr n = new Bin(Op.SUB, new Ast.Length(ref(dest)), new ILit(1));
            boolean right = chance(0.5);
            return new Ast.ArrayOp("arraycopy", null, dest.name(), dest.name(),
                List.of(new ILit(right ? 0 : 1), new ILit(right ? 1 : 0), n));
          }
          Var src = any(sources);
          Expr n = new MathCall("min", false, List.of(new Ast.Length(ref(src)),
              new Ast.Length(ref(dest))), T.INT);
          return new Ast.ArrayOp("arraycopy", null, src.name(), dest.name(),
              List.of(new ILit(0), new ILit(0), n));
        }
      }
    }

    /**
     * {@code double[] u = a.clone(); double[] v = new double[a.length];} and a loop of steps,
     * each writing {@code v} from {@code u} and swapping the two: the double buffer of a
     * time-stepping scheme.
     */
    private void doubleBuffer(List<Stmt> out) {
      Var src = any(visible(T.DARR, Set.of(Kind.PARAM)));
      String u = fresh("t", false);
      String v = fresh("t", false);
      out.add(new Ast.ArrayOp("clone", u, src.name(), null, List.of()));
      out.add(new Ast.ArrDecl(v, new Ast.Length(ref(src)), null));
      String step = fresh("i", false);
      String j = fresh("i", false);
      Ref ur = new Ref(u, T.DARR);
      Ref jr = new Ref(j, T.INT);
      Expr next = new Ast.Index(ur, new Bin(Op.REM, new Bin(Op.ADD, jr, new ILit(1)),
          new Ast.Length(ur)));
      Expr update = new Bin(Op.ADD, new Ast.Index(ur, jr), new Bin(Op.MUL,
          new DLit(0.25 * (1 + rnd.nextInt(3))), new MathCall("sin", false,
              List.of(new Bin(Op.MUL, next, new Ast.Index(ur, jr))), T.DOUBLE)));
      Stmt inner = new For(null, j, new ILit(0), new Ast.Length(new Ref(v, T.DARR)), true, null,
          List.of(new Ast.ElemAssign(new Ref(v, T.DARR), jr, "=", update)));
      Stmt swap = new Ast.ArrayOp("swap", fresh("tmp", false), u, v, List.of());
      out.add(new For(null, step, new ILit(0), new ILit(1 + rnd.nextInt(4)), true, null,
          List.of(inner, swap)));
      declare(u, T.DARR, Kind.LOCAL);
      declare(v, T.DARR, Kind.LOCAL);
      arrayLengths.put(u, new Ast.Length(ref(src)));
      arrayLengths.put(v, new Ast.Length(ref(src)));
    }

    /** Pairs of local arrays known to be as long. */
    private List<Var[]> swappablePairs(List<Var> localArrays) {
      List<Var[]> out = new ArrayList<>();
      for (int i = 0; i < localArrays.size(); i++) {
        for (int j = i + 1; j < localArrays.size(); j++) {
          Expr li = arrayLengths.get(localArrays.get(i).name());
          if (li != null && li.equals(arrayLengths.get(localArrays.get(j).name()))) {
            out.add(new Var[] {localArrays.get(i), localArrays.get(j)});
          }
        }
      }
      return out;
    }

    /** The length of an array as a comparable expression: a literal or a parameter's length. */
    private Expr lengthOf(Var array) {
      return array.kind() == Kind.PARAM ? new Ast.Length(ref(array))
          : arrayLengths.get(array.name());
    }

    private Stmt arrayDeclaration() {
      String name = fresh("t", false);
      List<Var> params = visible(T.DARR, Set.of(Kind.PARAM));
      List<Expr> known = new ArrayList<>();
      for (Var v : visible(T.DARR, Set.of(Kind.LOCAL))) {
        if (arrayLengths.get(v.name()) != null) {
          known.add(arrayLengths.get(v.name()));
        }
      }
      if (!known.isEmpty() && chance(0.75)) {
        // As long as another local array: the two may be swapped.
        Expr length = any(known);
        declare(name, T.DARR, Kind.LOCAL);
        arrayLengths.put(name, length);
        return new Ast.ArrDecl(name, length, null);
      }
      Stmt out;
      int c = pick(1, params.isEmpty() ? 0 : 1.2, 0.6, 1.2);
      switch (c) {
        case 0:
          out = new Ast.ArrDecl(name, new ILit(2 + rnd.nextInt(4)), null);
          arrayLengths.put(name, ((Ast.ArrDecl) out).size());
          break;
        case 1:
          out = new Ast.ArrDecl(name, new Ast.Length(ref(any(params))), null);
          arrayLengths.put(name, ((Ast.ArrDecl) out).size());
          break;
        case 2:
          // Math.abs(n) % 4 + 2: n may be negative in a call (n - 1).
          out = new Ast.ArrDecl(name, new Bin(Op.ADD, new Bin(Op.REM, new MathCall("abs", false,
              List.of(new Ref(INT_PARAM, T.INT)), T.INT), new ILit(4)), new ILit(2)), null);
          break;
        default: {
          List<Expr> elems = new ArrayList<>();
          int count = 2 + rnd.nextInt(2);
          for (int i = 0; i < count; i++) {
            elems.add(dexpr(2));
          }
          out = new Ast.ArrDecl(name, null, List.copyOf(elems));
          arrayLengths.put(name, new ILit(count));
        }
      }
      declare(name, T.DARR, Kind.LOCAL);
      return out;
    }

    /**
     * {@code double m = ...; for (int i = 0 or 1; i < arr.length; i++) { if (k * arr[i] > m) {
     * m = k * arr[i]; } }}, with {@code <}, {@code >=} or {@code <=} too and k 1, 0.5 or 2, and now
     * and then another statement in the branch (whose reverse then reads what it does not kill).
     */
    private List<Stmt> runningExtremum() {
      Var arr = any(visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL)));
      String m = fresh("m", false);
      String var = fresh("i", false);
      int from = chance(0.5) ? 1 : 0;
      double k = new double[] {1.0, 0.5, 2.0}[rnd.nextInt(3)];
      Op op = new Op[] {Op.GT, Op.LT, Op.GE, Op.LE}[rnd.nextInt(4)];
      List<Stmt> out = new ArrayList<>();
      out.add(new Decl(T.DOUBLE, m, dexpr(1), false));
      scopes.push(new ArrayList<>());
      declare(var, T.INT, Kind.COUNTER);
      try {
        Expr element = new Ast.Index(ref(arr), new Ref(var, T.INT));
        if (k != 1.0) {
          element = new Bin(Op.MUL, new DLit(k), element);
        }
        List<Stmt> then = new ArrayList<>();
        then.add(new Assign(m, T.DOUBLE, "=", element));
        if (chance(0.25)) {
          declare(m, T.DOUBLE, Kind.LOCAL);
          then.addAll(inLoop(null, () -> block(1)));
        }
        out.add(new For(null, var, new ILit(from), new Ast.Length(ref(arr)), true, null,
            List.of(new If(new Bin(op, element, new Ref(m, T.DOUBLE)), then, List.of()))));
      } finally {
        scopes.pop();
      }
      declare(m, T.DOUBLE, Kind.LOCAL);
      return out;
    }

    /** {@code for (int i = 0 or 1; i < arr.length; i++)}, writing arr[i] when arr is local. */
    private Stmt arrayLoop() {
      List<Var> arrays = new ArrayList<>(visible(T.DARR, Set.of(Kind.PARAM, Kind.LOCAL)));
      arrays.addAll(visible(T.IARR, Set.of(Kind.PARAM)));
      List<Var> locals = visible(T.DARR, Set.of(Kind.LOCAL));
      Var arr = !locals.isEmpty() && chance(0.6) ? any(locals) : any(arrays);
      String label = label();
      String var = fresh("i", false);
      int from = chance(0.4) ? 1 : 0;
      scopes.push(new ArrayList<>());
      declare(var, T.INT, Kind.COUNTER);
      arrayCounters.put(var, new ArrayCounter(arr.name(), from));
      try {
        List<Stmt> body = inLoop(label, () -> {
          List<Stmt> b = new ArrayList<>();
          if (arr.kind() == Kind.LOCAL && chance(0.8)) {
            b.add(elementWrite(arr, ref(new Var(var, T.INT, Kind.COUNTER)), true));
            b.addAll(block(rnd.nextInt(2)));
          } else {
            b.addAll(block(1 + rnd.nextInt(2)));
          }
          return b;
        });
        return new For(label, var, new ILit(from), new Ast.Length(ref(arr)), true, null,
            List.copyOf(body));
      } finally {
        scopes.pop();
      }
    }

    /** A write of arr[index]; inside loops a bounded update, possibly a recurrence on i - 1. */
    private Stmt elementWrite(Var arr, Expr index, boolean inLoop) {
      Ref a = ref(arr);
      Expr self = new Ast.Index(a, index);
      if (!inLoop) {
        return chance(0.6) ? new Ast.ElemAssign(a, index, "=", dexpr(3))
            : new Ast.ElemAssign(a, index, "+=", dexpr(2));
      }
      ArrayCounter ac = index instanceof Ref r ? arrayCounters.get(r.name()) : null;
      boolean recurrence = ac != null && ac.from() == 1 && ac.array().equals(arr.name());
      switch (rnd.nextInt(recurrence ? 6 : 4)) {
        case 0:
          return new Ast.ElemAssign(a, index, "=",
              new Bin(Op.ADD, new Bin(Op.MUL, lit(0.5), self), squash(2)));
        case 1:
          return new Ast.ElemAssign(a, index, "+=",
              new Bin(Op.MUL, lit(any(List.of(0.25, 0.5))), squash(2)));
        case 2:
          return new Ast.ElemAssign(a, index, "=", squash(2));
        case 3:
          return new Ast.ElemAssign(a, index, "=", new Bin(Op.SUB, self,
              new Bin(Op.MUL, lit(0.1), math("tanh", dexpr(2)))));
        default: {
          // t[i] = tanh(t[i - 1] * t[i]) + sin(t[i]): overwrites an element read just before.
          Expr prev = new Ast.Index(a, new Bin(Op.SUB, index, new ILit(1)));
          return new Ast.ElemAssign(a, index, "=", new Bin(Op.ADD,
              math("tanh", new Bin(Op.MUL, prev, self)), chance(0.5) ? math("sin", self)
                  : new Bin(Op.MUL, lit(0.5), math("cos", new Bin(Op.ADD, self, dexpr(1))))));
        }
      }
    }

    private Stmt doubleAssignment(boolean inLoop) {
      List<Var> targets = new ArrayList<>(assignableDoubles());
      List<Var> locals = visible(T.DOUBLE, Set.of(Kind.LOCAL));
      // Prefer locals, but reassign parameters too.
      Var v = !locals.isEmpty() && chance(0.7) ? any(locals) : any(targets);
      String name = v.name();
      Ref self = ref(v);
      if (inLoop) {
        switch (rnd.nextInt(7)) {
          case 0:
            return new Assign(name, T.DOUBLE, "=",
                new Bin(Op.ADD, new Bin(Op.MUL, lit(0.5), self), squash(2)));
          case 1:
            return new Assign(name, T.DOUBLE, "+=",
                new Bin(Op.MUL, lit(any(List.of(0.25, 0.5, 1.0))), squash(2)));
          case 2:
            return new Assign(name, T.DOUBLE, "-=", new Bin(Op.MUL, lit(0.25), squash(2)));
          case 3:
            return new Assign(name, T.DOUBLE, "*=",
                new Bin(Op.ADD, lit(0.9), new Bin(Op.MUL, lit(0.1), squash(2))));
          case 4: {
            Expr b = squash(1);
            return new Assign(name, T.DOUBLE, "/=",
                new Bin(Op.ADD, lit(1.1), new Bin(Op.MUL, b, b)));
          }
          case 5:
            return new Assign(name, T.DOUBLE, "=", squash(2));
          default:
            return new Assign(name, T.DOUBLE, "=", new Bin(Op.SUB, self,
                new Bin(Op.MUL, lit(0.1), dexpr(2))));
        }
      }
      switch (rnd.nextInt(6)) {
        case 0:
        case 1:
          return new Assign(name, T.DOUBLE, "=", dexpr(3));
        case 2:
          return new Assign(name, T.DOUBLE, "+=", dexpr(2));
        case 3:
          return new Assign(name, T.DOUBLE, "-=", dexpr(2));
        case 4:
          return new Assign(name, T.DOUBLE, "*=", small(2));
        default:
          return new Assign(name, T.DOUBLE, "/=", safeDenominator(2));
      }
    }

    private Stmt intAssignment(Var v) {
      switch (rnd.nextInt(7)) {
        case 0:
          return new Assign(v.name(), T.INT, "=", iexpr());
        case 1:
          return new Assign(v.name(), T.INT, chance(0.5) ? "+=" : "-=",
              new ILit(1 + rnd.nextInt(2)));
        case 2:
          return new Step(v.name(), chance(0.5), chance(0.5));
        case 3:
        case 6:
          // Compound assignment with a double operand: an implicit (int) cast.
          return new Assign(v.name(), T.INT, chance(0.5) ? "+=" : "-=",
              new Bin(Op.MUL, lit(chance(0.5) ? 0.5 : 2.5), squash(1)));
        case 4:
          return new Assign(v.name(), T.INT, "=", new Bin(Op.REM, new Ref(v.name(), T.INT),
              new ILit(3)));
        default:
          return new Assign(v.name(), T.INT, "=",
              new MathCall("min", false, List.of(new Ref(v.name(), T.INT), new ILit(5)), T.INT));
      }
    }

    private Stmt ifStatement() {
      Expr cond = bexpr(2);
      List<Stmt> then = block(1 + rnd.nextInt(3));
      int c = rnd.nextInt(3);
      if (c == 0) {
        return new If(cond, then, List.of());
      }
      if (c == 1) {
        return new If(cond, then, block(1 + rnd.nextInt(2)));
      }
      // else-if chain
      Expr cond2 = bexpr(1);
      List<Stmt> then2 = block(1 + rnd.nextInt(2));
      List<Stmt> last = chance(0.6) ? block(1 + rnd.nextInt(2)) : List.of();
      return new If(cond, then, List.of(new If(cond2, then2, last)));
    }

    private String label() {
      return chance(0.35) ? fresh("outer", false) : null;
    }

    /** Generates a loop header part, evaluated on every iteration: no self-call there. */
    private <S> S header(java.util.function.Supplier<S> part) {
      boolean saved = selfCallAllowed;
      selfCallAllowed = false;
      try {
        return part.get();
      } finally {
        selfCallAllowed = saved;
      }
    }

    private <S> S inLoop(String label, java.util.function.Supplier<S> body) {
      loops.push(new LoopCtx(label));
      try {
        return body.get();
      } finally {
        loops.pop();
      }
    }

    private Stmt forLoop() {
      String label = label();
      String var = fresh("i", false);
      List<Var> outerCounters = visible(T.INT, Set.of(Kind.COUNTER));
      Expr from = new ILit(chance(0.8) ? 0 : 1);
      Expr to;
      int c = pick(3, 1.5, 1, 1, outerCounters.isEmpty() ? 0 : 0.8);
      switch (c) {
        case 0:
          to = new Ref(INT_PARAM, T.INT);
          break;
        case 1:
          to = new ILit(1 + rnd.nextInt(6));
          break;
        case 2:
          to = new MathCall("min", false, List.of(header(this::iexpr), new ILit(6)), T.INT);
          break;
        case 3:
          // A trip count that depends on a double: (int) (3 + 2 * tanh(e)) is in [1, 5].
          to = new Cast(T.INT, new Bin(Op.ADD, lit(3.0),
              new Bin(Op.MUL, lit(2.0), math("tanh", header(() -> dexpr(2))))));
          break;
        default:
          to = ref(any(outerCounters));
          from = new ILit(0);
      }
      boolean up = chance(0.75);
      Expr extra = chance(0.15)
          ? new Bin(any(List.of(Op.LT, Op.GT)), header(() -> dexpr(1)), lit(literal())) : null;
      scopes.push(new ArrayList<>());
      declare(var, T.INT, Kind.COUNTER);
      try {
        List<Stmt> body = new ArrayList<>(inLoop(label, () -> block(1 + rnd.nextInt(3))));
        if (chance(0.12)) {
          // The body moves the counter too (the same way, so the loop still ends): no longer
          // a counted loop whose reverse can count back without a record.
          body.add(0, new Step(var, up, chance(0.5)));
        }
        return new For(label, var, from, to, up, extra, List.copyOf(body));
      } finally {
        scopes.pop();
      }
    }

    private Stmt doubleForLoop() {
      String label = label();
      String var = fresh("s", false);
      Expr from = squash(2);
      scopes.push(new ArrayList<>());
      declare(var, T.DOUBLE, Kind.DCOUNTER);
      try {
        double limit = any(List.of(1.0, 2.0, 2.5));
        double step = any(List.of(0.4, 0.5, 0.75));
        List<Stmt> body = inLoop(label, () -> block(1 + rnd.nextInt(3)));
        return new DFor(label, var, from, limit, step, body);
      } finally {
        scopes.pop();
      }
    }

    private Stmt whileLoop() {
      String label = label();
      String guard = fresh("g", false);
      Expr cond = header(() -> bexpr(1));
      int limit = 3 + rnd.nextInt(8);
      List<Stmt> body = inLoop(label, () -> block(1 + rnd.nextInt(3)));
      return new While(label, guard, limit, cond, body);
    }

    private Stmt doWhileLoop() {
      String label = label();
      String guard = fresh("g", false);
      int limit = 2 + rnd.nextInt(8);
      List<Stmt> body = inLoop(label, () -> block(1 + rnd.nextInt(3)));
      // The condition sees only what is declared outside the body.
      Expr cond = header(() -> bexpr(1));
      return new DoWhile(label, guard, limit, body, cond);
    }

    private Stmt jump() {
      Expr cond = bexpr(1);
      List<Stmt> then = new ArrayList<>(chance(0.4) ? block(1) : List.of());
      int c = pick(1, 1, 0.6);
      List<LoopCtx> labelled = loops.stream().filter(l -> l.label() != null).toList();
      String label = !labelled.isEmpty() && chance(0.5) ? any(labelled).label() : null;
      if (c == 0) {
        then.add(new Break(label));
      } else if (c == 1) {
        then.add(new Continue(label));
      } else {
        then.add(new Return(dexpr(2)));
      }
      return new If(cond, then, List.of());
    }

    private Expr finalExpression() {
      List<Var> locals = new ArrayList<>(visible(T.DOUBLE, Set.of(Kind.LOCAL)));
      List<Var> params = visible(T.DOUBLE, Set.of(Kind.PARAM));
      Expr e = chance(0.5) || params.isEmpty() ? dexpr(2) : ref(any(params));
      // Local arrays feed the result through one of their elements.
      for (Var arr : visible(T.DARR, Set.of(Kind.LOCAL))) {
        if (chance(0.7)) {
          e = new Bin(Op.ADD, e, new Ast.Index(ref(arr), new ILit(rnd.nextInt(2))));
        }
      }
      int terms = Math.min(locals.size(), 1 + rnd.nextInt(3));
      java.util.Collections.shuffle(locals, rnd);
      for (int i = 0; i < terms; i++) {
        Expr term = ref(locals.get(i));
        switch (rnd.nextInt(3)) {
          case 0:
            e = new Bin(Op.ADD, e, term);
            break;
          case 1:
            e = new Bin(Op.SUB, e, term);
            break;
          default:
            e = new Bin(Op.ADD, e, new Bin(Op.MUL, term, small(1)));
        }
      }
      return e;
    }
  }

  // -------------------------------------------------------------------------------- coverage

  /** The construct kinds a method uses (not counting its callees), for the coverage summary. */
  static Set<String> constructs(Method m) {
    Set<String> out = new TreeSet<>();
    Set<String> params = new LinkedHashSet<>();
    for (Param p : m.params()) {
      params.add(p.name());
    }
    Set<String> doubleLocals = new HashSet<>();
    Ast.forEachStmt(m.body(), s -> {
      if (s instanceof Decl d && d.type() == T.DOUBLE) {
        doubleLocals.add(d.name());
      }
    });
    constructs(m.body(), 0, out, params, m.name());
    if (m.recordParams()) {
      out.add("record-parameter");
    }
    if (m.recordArray()) {
      out.add("record-array-parameter");
    }
    if (params.contains("lensOrder")) {
      out.add("final-class-parameter");
    }
    for (Param p : m.params()) {
      if (p.type() == T.DARR) {
        out.add("array-param");
      } else if (p.type() == T.IARR) {
        out.add("int-array-param");
      }
    }
    Ast.forEachExpr(m.body(), e -> {
      if (e instanceof Cond) {
        out.add("ternary");
      } else if (e instanceof Not) {
        out.add("!");
      } else if (e instanceof Bin b) {
        if (b.op() == Op.AND) {
          out.add("&&");
        } else if (b.op() == Op.OR) {
          out.add("||");
        } else if (b.op().comparison()) {
          boolean floating = b.left().type() == T.DOUBLE || b.right().type() == T.DOUBLE;
          out.add(floating ? "compare-double" : "compare-int");
        } else if (b.op() == Op.REM && b.type() == T.DOUBLE) {
          out.add("double%double");
        } else if (b.op() == Op.DIV) {
          out.add("/");
        } else if (b.type() == T.DOUBLE
            && (b.left().type() != T.DOUBLE || b.right().type() != T.DOUBLE)) {
          out.add("int-double-mix");
        }
      } else if (e instanceof Neg) {
        out.add("unary-minus");
      } else if (e instanceof Cast c) {
        if (c.to() == T.DOUBLE) {
          out.add("cast-to-double");
        } else if (c.operand().type() == T.DOUBLE) {
          out.add(c.to() == T.INT ? "cast-double-to-int" : "cast-double-to-long");
        }
      } else if (e instanceof FloatRound) {
        out.add("cast-(double)(float)");
      } else if (e instanceof MathCall c) {
        out.add("Math." + c.fn() + (c.type() == T.INT ? "(int)" : ""));
        if (c.strict()) {
          out.add("StrictMath");
        }
      } else if (e instanceof Ast.Index i) {
        out.add(i.type() == T.INT ? "int-array-read" : "array-read");
      } else if (e instanceof Ast.Length) {
        out.add("array-length");
      } else if (e instanceof Invoke i) {
        out.add(i.method().equals(m.name()) ? "recursion"
            : i.method().startsWith("q") ? "private-plain-helper-call"
            : i.method().startsWith("p") ? "plain-helper-call" : "call");
        if (i.args().stream().anyMatch(a -> a.type() == T.DARR)) {
          out.add("call-with-array");
        }
      } else if (e instanceof Ref r) {
        if (r.name().startsWith("C") || r.name().startsWith("K")) {
          out.add("static-final-constant");
        } else if (r.name().startsWith("Math.")) {
          out.add("Math-constant");
        }
      }
    });
    for (String tricky : TRICKY_NAMES) {
      if (doubleLocals.contains(tricky)) {
        out.add("local-named-like-synthetic");
      }
    }
    return out;
  }

  private static void constructs(List<Stmt> body, int loopDepth, Set<String> out,
      Set<String> params, String self) {
    for (Stmt s : body) {
      if (s instanceof Decl d) {
        out.add(d.init() == null ? "local-without-initializer"
            : d.useVar() ? "local-var" : "local-" + d.type().java);
      } else if (s instanceof Assign a) {
        out.add(a.op().equals("=") ? "assignment" : "compound" + a.op());
        if (params.contains(a.name())) {
          out.add("parameter-reassigned");
        }
        if (!a.op().equals("=") && a.type() == T.INT && a.value().type() == T.DOUBLE) {
          out.add("compound-narrowing-to-int");
        }
      } else if (s instanceof Step st) {
        out.add(st.increment() ? "++" : "--");
        if (params.contains(st.name())) {
          out.add("parameter-reassigned");
        }
      } else if (s instanceof If f) {
        out.add(f.otherwise().isEmpty() ? "if" : f.otherwise().size() == 1
            && f.otherwise().get(0) instanceof If ? "else-if" : "if-else");
        boolean jumps = !f.then().isEmpty() && isJump(f.then().get(f.then().size() - 1));
        if (jumps) {
          Stmt j = f.then().get(f.then().size() - 1);
          if (j instanceof Return) {
            out.add(loopDepth > 0 ? "return-in-loop" : "early-return");
          } else if (j instanceof Break b) {
            out.add(b.label() == null ? "break" : "labelled-break");
          } else if (j instanceof Continue c) {
            out.add(c.label() == null ? "continue" : "labelled-continue");
          }
        }
      } else if (s instanceof For f) {
        out.add(f.extra() != null ? "for-with-double-condition"
            : f.up() ? "for-counted-up" : "for-counted-down");
        if (!f.body().isEmpty() && f.body().get(0) instanceof Step st
            && st.name().equals(f.var())) {
          out.add("for-body-moves-counter");
        }
        if (f.to() instanceof Cast) {
          out.add("for-trip-count-from-double");
        }
      } else if (s instanceof DFor) {
        out.add("for-over-double");
      } else if (s instanceof While) {
        out.add("while");
      } else if (s instanceof DoWhile) {
        out.add("do-while");
      } else if (s instanceof RecBase) {
        out.add("recursion-base-case");
      } else if (s instanceof Ast.ArrDecl d) {
        out.add(d.size() != null ? "local-array-new" : "local-array-initializer");
      } else if (s instanceof Ast.ElemAssign a) {
        out.add(a.op().equals("=") ? "array-element-write" : "array-element-compound");
        boolean[] prev = {false};
        Ast.forEachExpr(a.value(), e -> prev[0] |= e instanceof Ast.Index i
            && i.array().equals(a.array()) && i.index() instanceof Bin b && b.op() == Op.SUB);
        if (prev[0]) {
          out.add("array-recurrence");
        }
        if (loopDepth > 0) {
          out.add("array-write-in-loop");
        }
      } else if (s instanceof Ast.CallStmt call) {
        out.add(call.method().startsWith("hp") || call.method().startsWith("hq")
            ? "plain-void-helper-call" : "void-helper-call");
        if (call.args().get(0) instanceof Ref r && params.contains(r.name())) {
          out.add("array-parameter-to-helper");
        }
      } else if (s instanceof Ast.Guard) {
        out.add("throw-guard");
      } else if (s instanceof Ast.RecordBlock r) {
        out.add((r.form() >= 10 ? "record-array-block-" + (r.form() - 10) : "record-block-"
            + r.form()) + (loopDepth > 0 ? "-in-loop" : ""));
      } else if (s instanceof Ast.ArrayOp o) {
        out.add("array-" + o.kind() + (loopDepth > 0 ? "-in-loop" : ""));
        String dest = o.kind().equals("fill") ? o.a() : o.kind().equals("arraycopy") ? o.b()
            : null;
        if (dest != null && params.contains(dest)) {
          out.add("array-parameter-" + o.kind());
        }
      }
      if (s instanceof Ast.ElemAssign a && a.array() instanceof Ref r
          && params.contains(r.name())) {
        out.add("array-parameter-write");
      }
      if (s instanceof Ast.ArrDecl && loopDepth > 0) {
        out.add("local-array-in-loop");
      }
      if (s instanceof For f && f.to() instanceof Ast.Length) {
        out.add("for-over-length");
        // runningExtremum's shape: the branch assigns the variable its condition compares with.
        if (f.body().size() == 1 && f.body().get(0) instanceof If i && i.otherwise().isEmpty()
            && i.condition() instanceof Bin c && c.right() instanceof Ref m
            && !i.then().isEmpty() && i.then().get(0) instanceof Assign a
            && a.name().equals(m.name()) && a.value().equals(c.left())) {
          out.add("running-extremum" + (loopDepth > 0 ? "-in-loop" : ""));
        }
      }
      boolean loop = s instanceof For || s instanceof DFor || s instanceof While
          || s instanceof DoWhile;
      if (loop && loopDepth > 0) {
        out.add("nested-loop");
      }
      for (List<Stmt> b : Ast.blocks(s)) {
        constructs(b, loopDepth + (loop ? 1 : 0), out, params, self);
      }
    }
  }

  static boolean isJump(Stmt s) {
    return s instanceof Break || s instanceof Continue || s instanceof Return;
  }
}
