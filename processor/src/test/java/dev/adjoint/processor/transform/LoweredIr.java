package dev.adjoint.processor.transform;

import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Hand-built lowered IR for the reverse transform's stage tests, and walks over its output. */
final class LoweredIr {
  private LoweredIr() {}

  static final Reporter SILENT = new Reporter() {
    @Override
    public void report(Message message, Position position, Object... args) {}

    @Override
    public boolean hasErrors() {
      return false;
    }
  };

  static Variable parameter(String name, Type type) {
    return new Variable(name, type, Variable.Kind.PARAMETER);
  }

  static Variable local(String name, Type type) {
    return new Variable(name, type, Variable.Kind.LOCAL);
  }

  static Expr read(Variable v) {
    return Exprs.local(v);
  }

  static Stmt declare(Variable v, Expr init) {
    return new Stmt.Declare(v, init, Position.NONE);
  }

  static Stmt assign(Variable v, Expr value) {
    return new Stmt.Assign(v, value, Position.NONE);
  }

  /** {@code static double m(params) { body }}, lowered: the body ends by defining result. */
  static MethodIr method(List<Variable> parameters, Variable result, List<Stmt> body) {
    List<Variable> differentiated =
        parameters.stream().filter(p -> p.type().carriesDerivatives()).toList();
    return new MethodIr("p", "Owner", "m", parameters, Type.DOUBLE,
        new Stmt.Block(body), result, differentiated, List.of());
  }

  static Adjoint transform(MethodIr method) {
    return ReverseTransform.transform(method, Activity.of(method, SILENT));
  }

  /** Every statement of {@code statements}, nested ones included, in order. */
  static List<Stmt> flatten(List<Stmt> statements) {
    List<Stmt> out = new ArrayList<>();
    for (Stmt s : statements) {
      out.add(s);
      out.addAll(flatten(Statements.children(s)));
    }
    return out;
  }

  static long count(List<Stmt> statements, Predicate<Stmt> which) {
    return flatten(statements).stream().filter(which).count();
  }

  /** Every expression node under {@code e}, {@code e} included. */
  static List<Expr> nodes(Expr e) {
    List<Expr> out = new ArrayList<>();
    out.add(e);
    for (Expr child : Exprs.children(e)) {
      out.addAll(nodes(child));
    }
    return out;
  }

  /** How many expression nodes the statements hold: the size of generated code. */
  static int size(List<Stmt> statements) {
    int n = 0;
    for (Stmt s : flatten(statements)) {
      n++;
      for (Expr e : expressions(s)) {
        n += nodes(e).size();
      }
    }
    return n;
  }

  /** The expressions a statement holds directly (not those of nested statements). */
  static List<Expr> expressions(Stmt s) {
    List<Expr> out = new ArrayList<>();
    if (s instanceof Stmt.Declare d) {
      d.init().ifPresent(out::add);
    } else if (s instanceof Stmt.Assign a) {
      out.add(a.value());
    } else if (s instanceof Stmt.ArrayWrite w) {
      out.addAll(w.indices());
      out.add(w.value());
    } else if (s instanceof Stmt.If f) {
      out.add(f.condition());
    } else if (s instanceof Stmt.Loop l) {
      out.add(l.condition());
    } else if (s instanceof Stmt.Evaluate e) {
      out.add(e.expression());
    } else if (s instanceof Stmt.Push p) {
      out.add(p.value());
    } else if (s instanceof Stmt.ElementAssign e) {
      out.add(e.value());
    }
    return out;
  }

  static boolean isPush(Stmt s) {
    return s instanceof Stmt.Push;
  }

  static boolean popsTape(Stmt s) {
    return expressions(s).stream().flatMap(e -> nodes(e).stream())
        .anyMatch(e -> e instanceof Expr.TapePop);
  }

  /** Statements writing {@code v} (an assignment or an element write). */
  static boolean writes(Stmt s, Variable v) {
    return s instanceof Stmt.Assign a && a.variable() == v
        || s instanceof Stmt.ArrayWrite w && w.array() == v;
  }

  /** Synthetic locals declared: the temporaries the transform made. */
  static boolean declaresSynthetic(Stmt s, String name) {
    return s instanceof Stmt.Declare d && d.variable().kind() == Variable.Kind.SYNTHETIC
        && d.variable().name().equals(name);
  }
}
