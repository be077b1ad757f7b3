package dev.adjoint.processor.fuzz;

import dev.adjoint.processor.fuzz.Ast.Assign;
import dev.adjoint.processor.fuzz.Ast.Break;
import dev.adjoint.processor.fuzz.Ast.ClassUnit;
import dev.adjoint.processor.fuzz.Ast.Continue;
import dev.adjoint.processor.fuzz.Ast.DFor;
import dev.adjoint.processor.fuzz.Ast.DLit;
import dev.adjoint.processor.fuzz.Ast.Decl;
import dev.adjoint.processor.fuzz.Ast.DoWhile;
import dev.adjoint.processor.fuzz.Ast.Expr;
import dev.adjoint.processor.fuzz.Ast.For;
import dev.adjoint.processor.fuzz.Ast.ILit;
import dev.adjoint.processor.fuzz.Ast.If;
import dev.adjoint.processor.fuzz.Ast.Invoke;
import dev.adjoint.processor.fuzz.Ast.Method;
import dev.adjoint.processor.fuzz.Ast.Param;
import dev.adjoint.processor.fuzz.Ast.RecBase;
import dev.adjoint.processor.fuzz.Ast.Ref;
import dev.adjoint.processor.fuzz.Ast.Return;
import dev.adjoint.processor.fuzz.Ast.Step;
import dev.adjoint.processor.fuzz.Ast.Stmt;
import dev.adjoint.processor.fuzz.Ast.T;
import dev.adjoint.processor.fuzz.Ast.While;
import dev.adjoint.processor.fuzz.BatchCompiler.Unit;
import dev.adjoint.processor.fuzz.FuzzChecker.Failure;
import dev.adjoint.processor.fuzz.FuzzChecker.Kind;
import dev.adjoint.processor.fuzz.FuzzChecker.Verdict;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Reduces a failing program while the same kind of failure (same signature: kind, [ADJ] id or
 * javac error code, exception class) persists: drops uncalled methods and unused parameters,
 * deletes statements, replaces an if or a loop by one of its bodies, replaces subexpressions by
 * a parameter, a constant or one of their own operands, and finally simplifies the failing point.
 * Candidates are checked many at a time (one javac run per chunk); the first that still fails,
 * in order of decreasing reduction, is kept, until none does or the time is up.
 */
final class Shrinker {
  private static final int CHUNK = 40;

  private final Failure failure;
  private final long deadline;
  private final FuzzChecker.Watchdog watchdog = new FuzzChecker.Watchdog();
  private int names;
  private String lastDetail;

  Shrinker(Failure failure, long deadlineNanos) {
    this.failure = failure;
    this.deadline = deadlineNanos;
  }

  /** The smallest failing program found, as a failure of the same kind. */
  Failure shrink() {
    try {
      return doShrink();
    } finally {
      watchdog.close();
    }
  }

  private record Candidate(ClassUnit unit, Object[] point) {}

  private Failure doShrink() {
    String target = failure.method();
    ClassUnit current = FuzzChecker.closure(failure.unit(), target);
    Object[] point = failure.point() != null ? failure.point()
        : FuzzChecker.randomPoint(types(current.method(target)), new Random(1));
    // The failure must reproduce on the closure alone (otherwise keep the original).
    Candidate start = new Candidate(current, point);
    if (firstReproducing(List.of(start)) < 0) {
      return failure.withUnit(current, target, failure.point());
    }
    boolean progress = true;
    while (progress && System.nanoTime() < deadline) {
      progress = false;
      List<Candidate> candidates = new ArrayList<>();
      int size = Ast.size(current);
      for (Candidate c : candidates(current, point, target)) {
        if (Ast.size(c.unit()) < size && valid(c.unit())) {
          candidates.add(c);
        }
      }
      for (int from = 0; from < candidates.size() && System.nanoTime() < deadline;
          from += CHUNK) {
        List<Candidate> chunk = candidates.subList(from, Math.min(candidates.size(), from + CHUNK));
        int found = firstReproducing(chunk);
        if (found >= 0) {
          current = FuzzChecker.closure(chunk.get(found).unit(), target);
          point = chunk.get(found).point();
          progress = true;
          break;
        }
      }
    }
    if (!Kind.atCompileTime(failure.kind(), failure.signature())) {
      point = simplifyPoint(current, target, point);
    }
    // Confirm, and take the final message.
    firstReproducing(List.of(new Candidate(current, point)));
    Failure out = failure.withUnit(withoutUnusedConstants(current), target,
        Kind.atCompileTime(failure.kind(), failure.signature()) ? null : point);
    return lastDetail != null ? out.withDetail(lastDetail) : out;
  }

  /** The unit without the constants nothing reads (they cannot matter). */
  static ClassUnit withoutUnusedConstants(ClassUnit unit) {
    Set<String> read = new HashSet<>();
    for (Method m : unit.methods()) {
      read.addAll(readNames(m.body()));
    }
    List<Ast.Const> kept = unit.constants().stream().filter(c -> read.contains(c.name())).toList();
    return new ClassUnit(unit.pkg(), unit.name(), kept, unit.methods());
  }

  private static Class<?>[] types(Method m) {
    Class<?>[] t = new Class<?>[m.params().size()];
    for (int i = 0; i < t.length; i++) {
      T type = m.params().get(i).type();
      t[i] = type == T.INT ? int.class : type == T.DARR ? double[].class
          : type == T.IARR ? int[].class : double.class;
    }
    return t;
  }

  /** Compiles and checks the candidates; the index of the first that fails the same way. */
  private int firstReproducing(List<Candidate> candidates) {
    List<Unit> units = new ArrayList<>();
    Map<String, String> targets = new LinkedHashMap<>();
    Map<String, List<Object[]>> points = new LinkedHashMap<>();
    List<String> unitNames = new ArrayList<>();
    for (Candidate c : candidates) {
      String name = "Shrink" + (names++);
      units.add(Unit.of(c.unit().withName(name)));
      targets.put(name, failure.method());
      points.put(name, java.util.Collections.singletonList(c.point()));
      unitNames.add(name);
    }
    Map<String, Verdict> verdicts = FuzzChecker.verify(units, targets, points, watchdog, 20);
    for (int i = 0; i < unitNames.size(); i++) {
      Verdict v = verdicts.get(unitNames.get(i));
      if (v != null && reproduces(v)) {
        lastDetail = v.detail();
        return i;
      }
    }
    return -1;
  }

  private boolean reproduces(Verdict v) {
    if (v.passed()) {
      return false;
    }
    if (Kind.atCompileTime(failure.kind(), failure.signature())) {
      return v.allSignatures().contains(failure.signature());
    }
    return v.kind() == failure.kind() && failure.signature().equals(v.signature());
  }

  // --------------------------------------------------------------------------- the point

  private Object[] simplifyPoint(ClassUnit unit, String target, Object[] point) {
    Object[] current = point.clone();
    for (int i = 0; i < current.length && System.nanoTime() < deadline + 30_000_000_000L; i++) {
      List<Object> tries = new ArrayList<>();
      if (current[i] instanceof Double d) {
        for (double v : new double[] {1.0, 0.5, -0.5, 1.5, -1.0, 2.0, -1.5}) {
          tries.add(v);
        }
        for (int digits = 1; digits <= 3; digits++) {
          double scale = Math.pow(10, digits);
          tries.add(Math.round(d * scale) / scale);
        }
      } else if (current[i] instanceof Integer n) {
        for (int v = 0; v < n; v++) {
          tries.add(v);
        }
      }
      List<Candidate> candidates = new ArrayList<>();
      for (Object t : tries) {
        if (t.equals(current[i])) {
          continue;
        }
        Object[] p = current.clone();
        p[i] = t;
        candidates.add(new Candidate(unit, p));
      }
      if (candidates.isEmpty()) {
        continue;
      }
      int found = firstReproducing(candidates);
      if (found >= 0) {
        current = candidates.get(found).point();
      }
    }
    return current;
  }

  // ---------------------------------------------------------------------------- candidates

  private List<Candidate> candidates(ClassUnit unit, Object[] point, String target) {
    List<Candidate> out = new ArrayList<>();
    // Unused parameters.
    for (Method m : unit.methods()) {
      Set<String> read = readNames(m.body());
      for (int i = 0; i < m.params().size(); i++) {
        Param p = m.params().get(i);
        boolean lastDouble = p.type() == T.DOUBLE && m.doubleParams().size() == 1;
        if (!read.contains(p.name()) && !lastDouble) {
          out.add(new Candidate(removeParam(unit, m.name(), i),
              m.name().equals(target) ? removeAt(point, i) : point));
        }
      }
    }
    // Statements: delete, or replace by a nested body.
    for (Method m : unit.methods()) {
      int count = countStatements(m.body());
      for (int index = 0; index < count; index++) {
        final int at = index;
        Stmt s = statementAt(m.body(), at);
        if (s instanceof RecBase) {
          continue;
        }
        out.add(new Candidate(replaceStmt(unit, m.name(), at, x -> List.of()), point));
        for (List<Stmt> block : Ast.blocks(s)) {
          out.add(new Candidate(replaceStmt(unit, m.name(), at, x -> block), point));
        }
        if (s instanceof If f && !f.otherwise().isEmpty()) {
          out.add(new Candidate(replaceStmt(unit, m.name(), at,
              x -> List.of(new If(f.condition(), f.then(), List.of()))), point));
        }
      }
    }
    // Expressions: by a constant, a parameter, or one of their operands.
    for (Method m : unit.methods()) {
      List<Expr> all = new ArrayList<>();
      Ast.forEachExpr(m.body(), all::add);
      String firstDouble = m.doubleParams().isEmpty() ? null : m.doubleParams().get(0).name();
      for (int index = 0; index < all.size(); index++) {
        Expr e = all.get(index);
        List<Expr> replacements = new ArrayList<>();
        for (Expr child : Ast.children(e)) {
          if (child.type() == e.type()) {
            replacements.add(child);
          }
        }
        if (e.type() == T.DOUBLE) {
          if (!(e instanceof DLit)) {
            replacements.add(new DLit(1.0));
          }
          if (firstDouble != null && !(e instanceof Ref)) {
            replacements.add(new Ref(firstDouble, T.DOUBLE));
          }
        } else if (e.type() == T.INT && !(e instanceof ILit) && !(e instanceof Ref)) {
          replacements.add(new ILit(1));
        }
        for (Expr r : replacements) {
          out.add(new Candidate(replaceExpr(unit, m.name(), index, r), point));
        }
      }
    }
    return out;
  }

  private static Object[] removeAt(Object[] point, int i) {
    Object[] out = new Object[point.length - 1];
    for (int j = 0, k = 0; j < point.length; j++) {
      if (j != i) {
        out[k++] = point[j];
      }
    }
    return out;
  }

  private static ClassUnit removeParam(ClassUnit unit, String method, int index) {
    List<Method> methods = new ArrayList<>();
    for (Method m : unit.methods()) {
      List<Param> params = new ArrayList<>(m.params());
      if (m.name().equals(method)) {
        params.remove(index);
      }
      List<Stmt> body = mapExprs(m.body(), e -> dropArgument(e, method, index));
      methods.add(new Method(m.name(), List.copyOf(params), body));
    }
    return unit.withMethods(methods);
  }

  private static Expr dropArgument(Expr e, String method, int index) {
    Expr mapped = Ast.mapChildren(e, c -> dropArgument(c, method, index));
    if (mapped instanceof Invoke i && i.method().equals(method)) {
      List<Expr> args = new ArrayList<>(i.args());
      args.remove(index);
      return new Invoke(i.method(), args);
    }
    return mapped;
  }

  private static List<Stmt> mapExprs(List<Stmt> body, Function<Expr, Expr> f) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : body) {
      List<Expr> es = new ArrayList<>();
      for (Expr e : Ast.expressions(s)) {
        es.add(f.apply(e));
      }
      Stmt t = Ast.withExpressions(s, es);
      List<List<Stmt>> blocks = new ArrayList<>();
      for (List<Stmt> b : Ast.blocks(t)) {
        blocks.add(mapExprs(b, f));
      }
      out.add(Ast.withBlocks(t, blocks));
    }
    return out;
  }

  private static Set<String> readNames(List<Stmt> body) {
    Set<String> out = new HashSet<>();
    Ast.forEachExpr(body, e -> {
      if (e instanceof Ref r) {
        out.add(r.name());
      }
    });
    Ast.forEachStmt(body, s -> {
      if (s instanceof Assign a) {
        out.add(a.name());
      } else if (s instanceof Step st) {
        out.add(st.name());
      } else if (s instanceof RecBase b) {
        out.add(b.depthParam());
      } else if (s instanceof Ast.RecordBlock r) {
        out.add(r.target());
      }
    });
    return out;
  }

  private static int countStatements(List<Stmt> body) {
    int[] n = {0};
    Ast.forEachStmt(body, s -> n[0]++);
    return n[0];
  }

  private static Stmt statementAt(List<Stmt> body, int index) {
    Stmt[] found = {null};
    int[] n = {0};
    Ast.forEachStmt(body, s -> {
      if (n[0]++ == index) {
        found[0] = s;
      }
    });
    return found[0];
  }

  /** Replaces the statement with this pre-order index by a list of statements. */
  private static ClassUnit replaceStmt(ClassUnit unit, String method,
      int index, Function<Stmt, List<Stmt>> f) {
    List<Method> methods = new ArrayList<>();
    for (Method m : unit.methods()) {
      if (!m.name().equals(method)) {
        methods.add(m);
        continue;
      }
      int[] counter = {0};
      List<Stmt> body = replaceIn(m.body(), index, counter, f);
      // Never remove the final return.
      if (body.isEmpty() || !(body.get(body.size() - 1) instanceof Return)) {
        return unit;
      }
      methods.add(m.withBody(body));
    }
    return unit.withMethods(methods);
  }

  private static List<Stmt> replaceIn(List<Stmt> body, int index, int[] counter,
      Function<Stmt, List<Stmt>> f) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : body) {
      int mine = counter[0]++;
      if (mine == index) {
        out.addAll(f.apply(s));
        // Skip the numbers of the nested statements.
        List<Stmt> nested = new ArrayList<>();
        for (List<Stmt> b : Ast.blocks(s)) {
          nested.addAll(b);
        }
        counter[0] += countStatements(nested);
        continue;
      }
      List<List<Stmt>> blocks = new ArrayList<>();
      for (List<Stmt> b : Ast.blocks(s)) {
        blocks.add(replaceIn(b, index, counter, f));
      }
      out.add(Ast.withBlocks(s, blocks));
    }
    return out;
  }

  /** Replaces the expression with this pre-order index (in forEachExpr order). */
  private static ClassUnit replaceExpr(ClassUnit unit, String method, int index, Expr by) {
    List<Method> methods = new ArrayList<>();
    for (Method m : unit.methods()) {
      if (!m.name().equals(method)) {
        methods.add(m);
        continue;
      }
      int[] counter = {0};
      methods.add(m.withBody(replaceExprIn(m.body(), index, counter, by)));
    }
    return unit.withMethods(methods);
  }

  private static List<Stmt> replaceExprIn(List<Stmt> body, int index, int[] counter, Expr by) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : body) {
      List<Expr> es = new ArrayList<>();
      for (Expr e : Ast.expressions(s)) {
        es.add(replaceExprIn(e, index, counter, by));
      }
      Stmt t = Ast.withExpressions(s, es);
      List<List<Stmt>> blocks = new ArrayList<>();
      for (List<Stmt> b : Ast.blocks(t)) {
        blocks.add(replaceExprIn(b, index, counter, by));
      }
      out.add(Ast.withBlocks(t, blocks));
    }
    return out;
  }

  private static Expr replaceExprIn(Expr e, int index, int[] counter, Expr by) {
    int mine = counter[0]++;
    if (mine == index) {
      int[] skip = {0};
      Ast.forEachExpr(e, x -> skip[0]++);
      counter[0] += skip[0] - 1;
      return by;
    }
    return Ast.mapChildren(e, c -> replaceExprIn(c, index, counter, by));
  }

  // ----------------------------------------------------------------------------- validity

  /**
   * A cheap check that a candidate is still valid Java, so that most invalid ones cost no javac
   * run: names in scope, jumps last in their block and inside a loop with that label, an
   * uninitialised local assigned by the if that follows it, calls with the right arity.
   */
  static boolean valid(ClassUnit unit) {
    Map<String, Integer> arity = new LinkedHashMap<>();
    for (Method m : unit.methods()) {
      arity.put(m.name(), m.params().size());
    }
    for (Method m : unit.methods()) {
      Deque<Set<String>> scopes = new ArrayDeque<>();
      Set<String> top = new HashSet<>();
      for (Param p : m.params()) {
        top.add(p.name());
      }
      for (Ast.Const c : unit.constants()) {
        top.add(c.name());
      }
      top.add("Math.PI");
      top.add("Math.E");
      scopes.push(top);
      if (!validList(m.body(), scopes, new ArrayDeque<>(), arity, !m.helper())) {
        return false;
      }
    }
    return true;
  }

  private static boolean inScope(Deque<Set<String>> scopes, String name) {
    for (Set<String> s : scopes) {
      if (s.contains(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean validExpr(Expr e, Deque<Set<String>> scopes,
      Map<String, Integer> arity) {
    boolean[] ok = {true};
    Ast.forEachExpr(e, x -> {
      if (x instanceof Ref r && !inScope(scopes, r.name())) {
        ok[0] = false;
      } else if (x instanceof Invoke i
          && !Integer.valueOf(i.args().size()).equals(arity.get(i.method()))) {
        ok[0] = false;
      }
    });
    return ok[0];
  }

  private static boolean validList(List<Stmt> body, Deque<Set<String>> scopes,
      Deque<String> loops, Map<String, Integer> arity, boolean methodBody) {
    scopes.push(new HashSet<>());
    try {
      for (int i = 0; i < body.size(); i++) {
        Stmt s = body.get(i);
        boolean last = i == body.size() - 1;
        if (ProgramGenerator.isJump(s) && !last) {
          return false;
        }
        for (Expr e : Ast.expressions(s)) {
          if (!(s instanceof For || s instanceof DFor) && !validExpr(e, scopes, arity)) {
            return false;
          }
        }
        if (s instanceof Decl d) {
          if (inScope(scopes, d.name())) {
            return false;
          }
          if (d.init() == null) {
            // Must be followed by an if that assigns it in both branches.
            if (last || !(body.get(i + 1) instanceof If f) || !assigns(f.then(), d.name())
                || !assigns(f.otherwise(), d.name())) {
              return false;
            }
          }
          scopes.peek().add(d.name());
        } else if (s instanceof Ast.ArrDecl d) {
          if (inScope(scopes, d.name())) {
            return false;
          }
          scopes.peek().add(d.name());
        } else if (s instanceof Ast.ArrayOp o) {
          if (!inScope(scopes, o.a()) || o.b() != null && !inScope(scopes, o.b())
              || o.name() != null && inScope(scopes, o.name())) {
            return false;
          }
          if (o.name() != null && !o.kind().equals("swap")) {
            scopes.peek().add(o.name());
          }
        } else if (s instanceof Ast.CallStmt c) {
          if (!Integer.valueOf(c.args().size()).equals(arity.get(c.method()))) {
            return false;
          }
        } else if (s instanceof Assign a) {
          if (!inScope(scopes, a.name())) {
            return false;
          }
        } else if (s instanceof Ast.RecordBlock r) {
          if (!inScope(scopes, r.target())) {
            return false;
          }
        } else if (s instanceof Step st) {
          if (!inScope(scopes, st.name())) {
            return false;
          }
        } else if (s instanceof Break b) {
          if (loops.isEmpty() || (b.label() != null && !loops.contains(b.label()))) {
            return false;
          }
        } else if (s instanceof Continue c) {
          if (loops.isEmpty() || (c.label() != null && !loops.contains(c.label()))) {
            return false;
          }
        } else if (s instanceof If f) {
          if (!validList(f.then(), scopes, loops, arity, false)
              || !validList(f.otherwise(), scopes, loops, arity, false)) {
            return false;
          }
        } else if (s instanceof For f) {
          if (!validExpr(f.from(), scopes, arity) || !validExpr(f.to(), scopes, arity)) {
            return false;
          }
          scopes.push(new HashSet<>(Set.of(f.var())));
          boolean ok = (f.extra() == null || validExpr(f.extra(), scopes, arity))
              && validLoop(f.label(), f.body(), scopes, loops, arity);
          scopes.pop();
          if (!ok) {
            return false;
          }
        } else if (s instanceof DFor f) {
          if (!validExpr(f.from(), scopes, arity)) {
            return false;
          }
          scopes.push(new HashSet<>(Set.of(f.var())));
          boolean ok = validLoop(f.label(), f.body(), scopes, loops, arity);
          scopes.pop();
          if (!ok) {
            return false;
          }
        } else if (s instanceof While w) {
          if (inScope(scopes, w.guard())) {
            return false;
          }
          scopes.peek().add(w.guard());
          if (!validLoop(w.label(), w.body(), scopes, loops, arity)) {
            return false;
          }
        } else if (s instanceof DoWhile d) {
          if (inScope(scopes, d.guard())) {
            return false;
          }
          scopes.peek().add(d.guard());
          if (!validLoop(d.label(), d.body(), scopes, loops, arity)) {
            return false;
          }
        }
      }
      return !methodBody || (!body.isEmpty() && body.get(body.size() - 1) instanceof Return);
    } finally {
      scopes.pop();
    }
  }

  private static boolean validLoop(String label, List<Stmt> body, Deque<Set<String>> scopes,
      Deque<String> loops, Map<String, Integer> arity) {
    loops.push(label == null ? "" : label);
    try {
      return validList(body, scopes, loops, arity, false);
    } finally {
      loops.pop();
    }
  }

  private static boolean assigns(List<Stmt> block, String name) {
    for (Stmt s : block) {
      if (s instanceof Assign a && a.name().equals(name) && a.op().equals("=")) {
        return true;
      }
    }
    return false;
  }
}
