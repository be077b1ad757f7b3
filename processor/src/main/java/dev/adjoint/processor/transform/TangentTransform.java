package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The forward (tangent) transform: from a lowered method, one that computes beside every
 * active variable {@code v} its directional derivative {@code vDot}, given one tangent per
 * differentiated parameter. Derivatives come from the same primitive table as the reverse
 * transform ({@link dev.adjoint.processor.ir.Intrinsic}).
 *
 * <p>The output is plain IR again: assignments, branches, loops, local arrays and calls. A call
 * of a differentiable method becomes a call of its tangent form ({@link #tangentCallee}), a
 * void method writing the callee's value and tangent into a two-element array. So the output
 * can be printed as it is ({@code mJvp}), transformed forward again (higher derivatives in one
 * variable) or in reverse (Hessian-vector products).
 */
public final class TangentTransform {
  /** The suffix of a tangent form's name and of tangent variables' names. */
  public static final String TANGENT = "Tangent";

  private static final String DOT = "Dot";

  /**
   * A method's tangent code.
   *
   * @param source the method transformed
   * @param tangentParameters one per differentiated parameter, declaration order: an array's
   *     has its type, a scalar's is a double
   * @param body the statements computing values and tangents (the source's, interleaved)
   * @param tangentOf the tangent variable of each variable that has one
   */
  public record Tangent(MethodIr source, List<Variable> tangentParameters, Stmt.Block body,
      Map<Variable, Variable> tangentOf) {

    /** The tangent of the result, or null when it is identically 0. */
    public Variable resultTangent() {
      return source.result() == null ? null : tangentOf.get(source.result());
    }

    /**
     * The method that callers' tangent code calls: the source's parameters, their tangents,
     * and for a scalar result a {@code double[2]} receiving value and tangent. Every floating
     * parameter is differentiated, so that it can be transformed again.
     */
    public MethodIr asTangentForm() {
      List<Variable> parameters = new ArrayList<>(source.parameters());
      parameters.addAll(tangentParameters);
      List<Variable> differentiated = new ArrayList<>(source.differentiated());
      differentiated.addAll(tangentParameters);
      List<Stmt> statements = new ArrayList<>(body.statements());
      if (source.returnType() != Type.VOID) {
        Variable out = new Variable(VALUE_AND_TANGENT, Type.DOUBLE_ARRAY,
            Variable.Kind.PARAMETER);
        parameters.add(out);
        differentiated.add(out);
        Variable tangent = resultTangent();
        statements.add(new Stmt.ArrayWrite(out, List.of(Expr.Literal.ofInt(0)),
            local(source.result()), Position.NONE));
        statements.add(new Stmt.ArrayWrite(out, List.of(Expr.Literal.ofInt(1)),
            tangent == null ? lit(0) : local(tangent), Position.NONE));
      }
      return new MethodIr(source.ownerPackage(), source.ownerSimpleName(),
          source.name() + TANGENT, List.copyOf(parameters), Type.VOID,
          Stmt.Block.of(statements), null, List.copyOf(differentiated), List.of());
    }

    /**
     * The tangent code as a method returning the result's tangent, differentiated with respect
     * to {@code differentiated} only: the input of the next forward transform when derivatives
     * of higher order in one variable are wanted.
     */
    public MethodIr asValueForm(List<Variable> differentiated, Variable result) {
      List<Variable> parameters = new ArrayList<>(source.parameters());
      parameters.addAll(tangentParameters);
      return new MethodIr(source.ownerPackage(), source.ownerSimpleName(),
          source.name() + TANGENT, List.copyOf(parameters), source.returnType(), body, result,
          List.copyOf(differentiated), List.of());
    }
  }

  /** Name of the tangent form's last parameter, receiving value and tangent. */
  public static final String VALUE_AND_TANGENT = "valueAndTangent";

  /**
   * The tangent form of {@code callee}: its parameters, then one tangent per differentiated
   * parameter, then (for a scalar result) the array receiving value and tangent.
   */
  public static Callee tangentCallee(Callee callee) {
    List<String> names = new ArrayList<>(callee.parameterNames());
    List<Type> types = new ArrayList<>(callee.parameterTypes());
    Set<String> taken = new HashSet<>(names);
    for (int i = 0; i < callee.parameterTypes().size(); i++) {
      if (callee.differentiates(i)) {
        names.add(fresh(callee.parameterNames().get(i) + DOT, taken));
        types.add(tangentType(callee.parameterTypes().get(i)));
      }
    }
    if (callee.returnType() != Type.VOID) {
      names.add(VALUE_AND_TANGENT);
      types.add(Type.DOUBLE_ARRAY);
    }
    List<Boolean> differentiates = types.stream().map(Type::carriesDerivatives).toList();
    return new Callee(callee.packageName(), callee.ownerSimpleName(), callee.name() + TANGENT,
        List.copyOf(names), List.copyOf(types), differentiates, Type.VOID, true,
        callee.order(), true);
  }

  /** A tangent parameter for each of {@code method}'s differentiated parameters. */
  public static List<Variable> tangentParameters(MethodIr method) {
    Set<String> taken = new HashSet<>();
    method.parameters().forEach(p -> taken.add(p.name()));
    List<Variable> out = new ArrayList<>();
    for (Variable p : method.differentiated()) {
      out.add(new Variable(fresh(p.name() + DOT, taken), tangentType(p.type()),
          Variable.Kind.PARAMETER));
    }
    return out;
  }

  /** Scalar tangents are doubles (a float's too); an array's tangent has its type. */
  private static Type tangentType(Type t) {
    return t.isArray() ? t : Type.DOUBLE;
  }

  private static String fresh(String base, Set<String> taken) {
    String name = base;
    for (int i = 2; !taken.add(name); i++) {
      name = base + i;
    }
    return name;
  }

  /** Transforms {@code method}, whose active variables {@code active} tells. */
  public static Tangent transform(MethodIr method, Predicate<Variable> active) {
    TangentTransform t = new TangentTransform(method, active);
    List<Stmt> body = new ArrayList<>();
    t.zeroTangentsOfConstantArrays(method, body);
    t.statements(method.body().statements(), body);
    if (t.pair != null) {
      body.add(0, new Stmt.Declare(t.pair, new Expr.NewArray(Type.DOUBLE_ARRAY,
          List.of(Expr.Literal.ofInt(2)), List.of()), Position.NONE));
    }
    return new Tangent(method, t.tangentParameters, Stmt.Block.of(body), t.tangentOf);
  }

  private final Predicate<Variable> active;
  private final List<Variable> tangentParameters;
  private final Map<Variable, Variable> tangentOf = new LinkedHashMap<>();
  /** Arrays passed to differentiated parameters of callees: they need tangents even if 0. */
  private final Set<Variable> passedArrays = new HashSet<>();
  /** The {@code double[2]} that tangent forms of callees write into; null until needed. */
  private Variable pair;

  private TangentTransform(MethodIr method, Predicate<Variable> active) {
    this.active = active;
    this.tangentParameters = tangentParameters(method);
    for (int i = 0; i < tangentParameters.size(); i++) {
      tangentOf.put(method.differentiated().get(i), tangentParameters.get(i));
    }
    collectPassedArrays(method.body());
  }

  private void collectPassedArrays(Stmt s) {
    List<Expr> expressions = new ArrayList<>();
    if (s instanceof Stmt.Declare d && d.init().isPresent()) {
      expressions.add(d.init().get());
    } else if (s instanceof Stmt.Assign a) {
      expressions.add(a.value());
    } else if (s instanceof Stmt.ArrayWrite w) {
      expressions.add(w.value());
    } else if (s instanceof Stmt.Evaluate e) {
      expressions.add(e.expression());
    }
    expressions.forEach(this::collectPassedArrays);
    Statements.children(s).forEach(this::collectPassedArrays);
  }

  private void collectPassedArrays(Expr e) {
    if (e instanceof Expr.Call c && c.callee().differentiable()) {
      for (int i = 0; i < c.arguments().size(); i++) {
        Variable base = baseArray(c.arguments().get(i));
        if (base != null && c.callee().differentiates(i)) {
          passedArrays.add(base);
        }
      }
    }
    Exprs.children(e).forEach(this::collectPassedArrays);
  }

  private static Variable baseArray(Expr e) {
    if (!e.type().isArray() || !e.type().carriesDerivatives()) {
      return null;
    }
    while (e instanceof Expr.ArrayRead r) {
      e = r.array();
    }
    return e instanceof Expr.Local l ? l.variable() : null;
  }

  /** Array parameters that carry no tangent but are passed to callees that want one. */
  private void zeroTangentsOfConstantArrays(MethodIr method, List<Stmt> out) {
    for (Variable p : method.parameters()) {
      if (passedArrays.contains(p) && !tangentOf.containsKey(p)) {
        Variable t = tangentVariable(p);
        out.add(new Stmt.Declare(t, zerosLike(p), Position.NONE));
      }
    }
  }

  private static Expr zerosLike(Variable array) {
    List<Expr> dimensions = new ArrayList<>();
    dimensions.add(new Expr.ArrayLength(local(array)));
    if (array.type() == Type.DOUBLE_MATRIX) {
      Expr rows = new Expr.ArrayLength(local(array));
      Expr first = new Expr.ArrayRead(local(array), Expr.Literal.ofInt(0), Type.DOUBLE_ARRAY);
      dimensions.add(Exprs.cond(Exprs.binary(Expr.BinaryOp.EQUAL, rows,
          Expr.Literal.ofInt(0)), Expr.Literal.ofInt(0), new Expr.ArrayLength(first)));
    }
    return new Expr.NewArray(array.type(), List.copyOf(dimensions), List.of());
  }

  private Variable tangentVariable(Variable v) {
    return tangentOf.computeIfAbsent(v, k -> new Variable(k.name() + DOT,
        tangentType(k.type()), Variable.Kind.SYNTHETIC));
  }

  private boolean hasTangent(Variable v) {
    return tangentOf.containsKey(v) || (v.type().carriesDerivatives() && active.test(v));
  }

  // ---------------------------------------------------------------- statements

  private void statements(List<Stmt> in, List<Stmt> out) {
    for (Stmt s : in) {
      statement(s, out);
    }
  }

  private Stmt.Block block(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    statements(b.statements(), out);
    return Stmt.Block.of(out);
  }

  private void statement(Stmt s, List<Stmt> out) {
    if (s instanceof Stmt.Declare d) {
      declare(d, out);
    } else if (s instanceof Stmt.Assign a) {
      if (!hasTangent(a.variable())) {
        out.add(a);
        return;
      }
      Dual d = new ExpressionTangent(out).of(a.value());
      out.add(new Stmt.Assign(tangentVariable(a.variable()), d.tangent(), a.position()));
      out.add(new Stmt.Assign(a.variable(), d.value(), a.position()));
    } else if (s instanceof Stmt.ArrayWrite w) {
      if (!hasTangent(w.array())) {
        out.add(w);
        return;
      }
      Dual d = new ExpressionTangent(out).of(w.value());
      Variable t = tangentVariable(w.array());
      out.add(new Stmt.ArrayWrite(t, w.indices(), narrow(d.tangent(), t.type().scalar()),
          w.position()));
      out.add(new Stmt.ArrayWrite(w.array(), w.indices(), d.value(), w.position()));
    } else if (s instanceof Stmt.If f) {
      out.add(new Stmt.If(f.condition(), block(f.thenBlock()), block(f.elseBlock())));
    } else if (s instanceof Stmt.Loop l) {
      List<Stmt> init = new ArrayList<>();
      statements(l.init(), init);
      List<Stmt> update = new ArrayList<>();
      statements(l.update(), update);
      out.add(new Stmt.Loop(l.label(), List.copyOf(init), l.condition(), List.copyOf(update),
          block(l.body()), l.testFirst(), l.position()));
    } else if (s instanceof Stmt.Block b) {
      out.add(block(b));
    } else if (s instanceof Stmt.Evaluate e && e.expression() instanceof Expr.Call c) {
      if (!callIsActive(c)) {
        out.add(s);
        return;
      }
      out.add(new Stmt.Evaluate(tangentCall(c, new ExpressionTangent(out))));
    } else {
      throw new IllegalStateException("not in lowered IR: " + s);
    }
  }

  private void declare(Stmt.Declare d, List<Stmt> out) {
    Variable v = d.variable();
    boolean needsTangent = hasTangent(v) || passedArrays.contains(v);
    if (!needsTangent) {
      out.add(d);
      return;
    }
    Variable t = tangentVariable(v);
    if (d.init().isEmpty()) {
      out.add(Stmt.Declare.uninitialised(t, d.position()));
      out.add(d);
    } else if (d.init().get() instanceof Expr.NewArray n) {
      ExpressionTangent tangents = new ExpressionTangent(out);
      List<Expr> values = new ArrayList<>();
      List<Expr> derivatives = new ArrayList<>();
      for (Expr element : n.elements()) {
        Dual e = tangents.of(element);
        values.add(e.value());
        derivatives.add(narrow(e.tangent(), v.type().scalar()));
      }
      out.add(new Stmt.Declare(v, new Expr.NewArray(n.type(), n.dimensions(),
          List.copyOf(values)), d.position()));
      out.add(new Stmt.Declare(t, new Expr.NewArray(t.type(), n.dimensions(),
          List.copyOf(derivatives)), d.position()));
    } else {
      Dual e = new ExpressionTangent(out).of(d.init().get());
      out.add(new Stmt.Declare(t, e.tangent(), d.position()));
      out.add(new Stmt.Declare(v, e.value(), d.position()));
    }
  }

  /** A tangent written into a {@code float[]} is rounded like the values next to it. */
  private static Expr narrow(Expr tangent, Type elementType) {
    return elementType == Type.FLOAT && tangent.type() != Type.FLOAT
        ? new Expr.Cast(Type.FLOAT, tangent, Position.NONE) : tangent;
  }

  private boolean callIsActive(Expr.Call c) {
    if (!c.callee().differentiable()) {
      return false;
    }
    for (int i = 0; i < c.arguments().size(); i++) {
      Expr arg = c.arguments().get(i);
      if (!c.callee().differentiates(i)) {
        continue;
      }
      Variable base = baseArray(arg);
      if (base != null ? hasTangent(base) : carriesTangent(arg)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a derivative can reach {@code e}'s value from a variable with a tangent. */
  private boolean carriesTangent(Expr e) {
    if (!e.type().carriesDerivatives()) {
      return false;
    }
    if (e instanceof Expr.Local l) {
      return hasTangent(l.variable());
    }
    if (e instanceof Expr.ArrayRead r) {
      Variable base = baseArray(r.array());
      return base != null && hasTangent(base);
    }
    if (e instanceof Expr.Call c) {
      return callIsActive(c);
    }
    if (e instanceof Expr.Conditional c) {
      return carriesTangent(c.whenTrue()) || carriesTangent(c.whenFalse());
    }
    return Exprs.children(e).stream().anyMatch(this::carriesTangent);
  }

  /**
   * The call of {@code c}'s tangent form: arguments, their tangents (a zero literal for a
   * scalar without one), and for a scalar result the array receiving value and tangent.
   */
  private Expr.Call tangentCall(Expr.Call c, ExpressionTangent tangents) {
    List<Expr> arguments = new ArrayList<>();
    List<Expr> argumentTangents = new ArrayList<>();
    for (int i = 0; i < c.arguments().size(); i++) {
      Expr arg = c.arguments().get(i);
      if (arg.type().isArray()) {
        arguments.add(arg);
        if (c.callee().differentiates(i)) {
          argumentTangents.add(tangentArray(arg));
        }
        continue;
      }
      if (!c.callee().differentiates(i)) {
        arguments.add(arg);
        continue;
      }
      Dual d = tangents.of(arg);
      arguments.add(d.value());
      argumentTangents.add(d.tangent());
    }
    arguments.addAll(argumentTangents);
    if (c.type() != Type.VOID) {
      if (pair == null) {
        pair = new Variable(VALUE_AND_TANGENT, Type.DOUBLE_ARRAY, Variable.Kind.SYNTHETIC);
      }
      arguments.add(local(pair));
    }
    return new Expr.Call(tangentCallee(c.callee()), List.copyOf(arguments), c.position());
  }

  /** {@code aDot} for an array {@code a}, {@code wDot[r]} for a row {@code w[r]}. */
  private Expr tangentArray(Expr array) {
    if (array instanceof Expr.Local l) {
      return local(tangentVariable(l.variable()));
    }
    Expr.ArrayRead row = (Expr.ArrayRead) array;
    return new Expr.ArrayRead(tangentArray(row.array()), row.index(), row.type());
  }

  // ---------------------------------------------------------------- expressions

  /** An expression's value (rewritten to use temporaries) and its tangent. */
  private record Dual(Expr value, Expr tangent) {}

  /** Writes the temporaries one expression needs before the statement that uses it. */
  private final class ExpressionTangent {
    private final List<Stmt> out;

    ExpressionTangent(List<Stmt> out) {
      this.out = out;
    }

    Dual of(Expr e) {
      if (!carriesTangent(e)) {
        return new Dual(e, lit(0));
      }
      if (e instanceof Expr.Local l) {
        return new Dual(e, local(tangentVariable(l.variable())));
      }
      if (e instanceof Expr.ArrayRead r) {
        return new Dual(e, new Expr.ArrayRead(tangentArray(r.array()), r.index(), r.type()));
      }
      if (e instanceof Expr.Unary u) {
        Dual d = of(u.operand());
        Expr value = new Expr.Unary(u.op(), d.value(), u.type());
        return new Dual(value, u.op() == Expr.UnaryOp.NEGATE ? Exprs.neg(d.tangent())
            : d.tangent());
      }
      if (e instanceof Expr.Cast c) {
        Dual d = of(c.operand());
        return new Dual(new Expr.Cast(c.type(), d.value(), c.position()), d.tangent());
      }
      if (e instanceof Expr.Binary b) {
        return binary(b);
      }
      if (e instanceof Expr.Conditional c) {
        return conditional(c);
      }
      if (e instanceof Expr.IntrinsicCall c) {
        return intrinsic(c);
      }
      if (e instanceof Expr.Call c) {
        return call(c);
      }
      throw new IllegalStateException("no tangent rule for " + e);
    }

    /** A temporary holding {@code value}, so that formulas may repeat it for free. */
    private Expr atom(Expr value) {
      if (Exprs.isAtom(value)) {
        return value;
      }
      Variable t = new Variable("t", value.type(), Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(t, value, Position.NONE));
      return local(t);
    }

    private Dual binary(Expr.Binary b) {
      Dual l = of(b.left());
      Dual r = of(b.right());
      Expr.BinaryOp op = b.op();
      switch (op) {
        case ADD:
          return new Dual(rebuild(b, l.value(), r.value()), Exprs.add(l.tangent(), r.tangent()));
        case SUBTRACT:
          return new Dual(rebuild(b, l.value(), r.value()), Exprs.sub(l.tangent(), r.tangent()));
        case MULTIPLY: {
          Expr a = Exprs.isZero(r.tangent()) ? l.value() : atom(l.value());
          Expr c = Exprs.isZero(l.tangent()) ? r.value() : atom(r.value());
          return new Dual(rebuild(b, a, c), Exprs.add(times(l.tangent(), c),
              times(a, r.tangent())));
        }
        case DIVIDE: {
          Expr denominator = atom(r.value());
          if (Exprs.isZero(r.tangent())) {
            return new Dual(rebuild(b, l.value(), denominator),
                Exprs.div(l.tangent(), denominator));
          }
          // d(a/b) = (da - (a/b) db) / b: the quotient is the value itself.
          Expr quotient = atom(rebuild(b, l.value(), denominator));
          return new Dual(quotient, Exprs.div(Exprs.sub(l.tangent(),
              times(quotient, r.tangent())), denominator));
        }
        case REMAINDER: {
          if (Exprs.isZero(r.tangent())) {
            return new Dual(rebuild(b, l.value(), r.value()), l.tangent());
          }
          // a % b = a - q b with q = trunc(a / b), constant where a % b is differentiable.
          Expr a = atom(l.value());
          Expr c = atom(r.value());
          Expr remainder = atom(rebuild(b, a, c));
          Expr quotient = Exprs.div(Exprs.sub(a, remainder), c);
          return new Dual(remainder, Exprs.sub(l.tangent(), times(quotient, r.tangent())));
        }
        default:
          return new Dual(b, lit(0));
      }
    }

    private Expr rebuild(Expr.Binary b, Expr left, Expr right) {
      return new Expr.Binary(b.op(), left, right, b.type());
    }

    /** A product in a tangent formula; a zero factor drops the term, as in the adjoint. */
    private Expr times(Expr a, Expr b) {
      return Exprs.isZero(a) || Exprs.isZero(b) ? lit(0) : Exprs.mul(a, b);
    }

    /**
     * Each branch's temporaries stay inside it: a branch may recurse or fail where the
     * condition rules it out.
     */
    private Dual conditional(Expr.Conditional c) {
      List<Stmt> whenTrue = new ArrayList<>();
      List<Stmt> whenFalse = new ArrayList<>();
      Dual t = new ExpressionTangent(whenTrue).of(c.whenTrue());
      Dual f = new ExpressionTangent(whenFalse).of(c.whenFalse());
      if (whenTrue.isEmpty() && whenFalse.isEmpty()) {
        Expr tangent = Exprs.isZero(t.tangent()) && Exprs.isZero(f.tangent()) ? lit(0)
            : Exprs.cond(c.condition(), t.tangent(), f.tangent());
        return new Dual(new Expr.Conditional(c.condition(), t.value(), f.value(), c.type()),
            tangent);
      }
      Variable value = new Variable("t", c.type(), Variable.Kind.SYNTHETIC);
      Variable tangent = new Variable("tDot", Type.DOUBLE, Variable.Kind.SYNTHETIC);
      out.add(Stmt.Declare.uninitialised(value, Position.NONE));
      out.add(Stmt.Declare.uninitialised(tangent, Position.NONE));
      whenTrue.add(new Stmt.Assign(value, t.value(), Position.NONE));
      whenTrue.add(new Stmt.Assign(tangent, t.tangent(), Position.NONE));
      whenFalse.add(new Stmt.Assign(value, f.value(), Position.NONE));
      whenFalse.add(new Stmt.Assign(tangent, f.tangent(), Position.NONE));
      out.add(new Stmt.If(c.condition(), Stmt.Block.of(whenTrue), Stmt.Block.of(whenFalse)));
      return new Dual(local(value), local(tangent));
    }

    private Dual intrinsic(Expr.IntrinsicCall c) {
      List<Dual> args = c.arguments().stream().map(this::of).toList();
      Variable resultPlaceholder = new Variable("r", c.type(), Variable.Kind.SYNTHETIC);
      List<Expr> atoms = new ArrayList<>();
      for (Dual a : args) {
        atoms.add(args.stream().allMatch(x -> Exprs.isZero(x.tangent())) ? a.value()
            : atom(a.value()));
      }
      List<Expr> partials = c.intrinsic().rule().partials(atoms, local(resultPlaceholder));
      Expr value = new Expr.IntrinsicCall(c.intrinsic(), List.copyOf(atoms), c.type(),
          c.strict(), c.position());
      boolean needsResult = false;
      for (int i = 0; i < args.size(); i++) {
        needsResult |= !Exprs.isZero(args.get(i).tangent())
            && Exprs.variables(partials.get(i)).contains(resultPlaceholder);
      }
      if (needsResult) {
        value = atom(value);
      }
      Expr tangent = lit(0);
      for (int i = 0; i < args.size(); i++) {
        Expr argTangent = args.get(i).tangent();
        if (Exprs.isZero(argTangent) || Exprs.isZero(partials.get(i))) {
          continue;
        }
        Expr partial = Exprs.substitute(partials.get(i), resultPlaceholder, value);
        tangent = Exprs.add(tangent, times(partial, argTangent));
      }
      return new Dual(value, tangent);
    }

    private Dual call(Expr.Call c) {
      if (c.type().isArray()) {
        throw new IllegalStateException("array-valued call in an expression: " + c);
      }
      out.add(new Stmt.Evaluate(tangentCall(c, this)));
      Variable value = new Variable(c.callee().name(), c.type(), Variable.Kind.SYNTHETIC);
      Expr first = new Expr.ArrayRead(local(pair), Expr.Literal.ofInt(0), Type.DOUBLE);
      out.add(new Stmt.Declare(value, c.type() == Type.DOUBLE ? first
          : new Expr.Cast(c.type(), first, Position.NONE), Position.NONE));
      Variable tangent = new Variable(c.callee().name() + DOT, Type.DOUBLE,
          Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(tangent, new Expr.ArrayRead(local(pair), Expr.Literal.ofInt(1),
          Type.DOUBLE), Position.NONE));
      return new Dual(local(value), local(tangent));
    }
  }
}
