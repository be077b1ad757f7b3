package dev.adjoint.processor.transform;

import static dev.adjoint.processor.ir.Exprs.lit;
import static dev.adjoint.processor.ir.Exprs.local;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Operator;
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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The forward (tangent) transform: from a lowered method, one that computes beside every
 * active variable {@code v} its directional derivative {@code vDot}, given one tangent per
 * differentiated parameter. Derivatives come from the same rule tables as the reverse
 * transform's: {@link Operator} for operators, {@link Intrinsic} for functions.
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
        Set<String> taken = new HashSet<>();
        parameters.forEach(p -> taken.add(p.name()));
        Variable out = new Variable(fresh(VALUE_AND_TANGENT, taken), Type.DOUBLE_ARRAY,
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
    // As the tangent form declares them (asTangentForm): the callee's differentiated
    // parameters (not a constant receiver's fields), the tangents and the value's array.
    List<Boolean> differentiates = new ArrayList<>();
    for (int i = 0; i < types.size(); i++) {
      differentiates.add(i < callee.parameterTypes().size() ? callee.differentiates(i)
          : types.get(i).carriesDerivatives());
    }
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
    t.statements(method.body().statements(), body);
    body.addAll(0, t.zeroTangentsOfConstantArrays(method));
    if (t.pair != null) {
      body.add(0, new Stmt.Declare(t.pair, new Expr.NewArray(Type.DOUBLE_ARRAY,
          List.of(Expr.Literal.ofInt(2)), List.of()), Position.NONE));
    }
    return new Tangent(method, t.tangentParameters, Stmt.Block.of(body), t.tangentOf);
  }

  private final Predicate<Variable> active;
  private final List<Variable> tangentParameters;
  private final Map<Variable, Variable> tangentOf = new LinkedHashMap<>();
  /**
   * Arrays passed to differentiated parameters of callees: a local among them gets a tangent
   * array at its declaration even if inactive (parameters get theirs when used).
   */
  private final Set<Variable> passedArrays = new HashSet<>();
  /** The names of the method's variables and of the tangents given so far. */
  private final Set<String> names = new HashSet<>();
  /** The {@code double[2]} that tangent forms of callees write into; null until needed. */
  private Variable pair;

  private TangentTransform(MethodIr method, Predicate<Variable> active) {
    this.active = active;
    this.tangentParameters = tangentParameters(method);
    method.parameters().forEach(p -> names.add(p.name()));
    tangentParameters.forEach(p -> names.add(p.name()));
    Statements.assigned(method.body()).forEach(v -> names.add(v.name()));
    for (int i = 0; i < tangentParameters.size(); i++) {
      tangentOf.put(method.differentiated().get(i), tangentParameters.get(i));
    }
    method.body().accept(new PassedArrays());
  }

  /**
   * Collects the arrays that calls in assigned values pass to differentiated parameters of
   * differentiable callees (conditions and indices are never differentiated).
   */
  private final class PassedArrays implements Stmt.SourceVisitor<Void> {
    private void statements(List<Stmt> statements) {
      statements.forEach(s -> s.accept(this));
    }

    private Void value(Expr e) {
      // A shape test, not a dispatch: only calls pass arrays; everything else is walked.
      if (e instanceof Expr.Call c && c.callee().differentiable()) {
        for (int i = 0; i < c.arguments().size(); i++) {
          Variable base = baseArray(c.arguments().get(i));
          if (base != null && c.callee().differentiates(i)) {
            passedArrays.add(base);
          }
        }
      }
      Exprs.children(e).forEach(this::value);
      return null;
    }

    @Override
    public Void visitDeclare(Stmt.Declare s) {
      s.init().ifPresent(this::value);
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign s) {
      return value(s.value());
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite s) {
      return value(s.value());
    }

    @Override
    public Void visitIf(Stmt.If s) {
      statements(s.thenBlock().statements());
      statements(s.elseBlock().statements());
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop s) {
      statements(s.init());
      statements(s.body().statements());
      statements(s.update());
      return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
      throw notLowered(s);
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
      throw notLowered(s);
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
      throw notLowered(s);
    }

    @Override
    public Void visitBlock(Stmt.Block s) {
      statements(s.statements());
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate s) {
      return value(s.expression());
    }

    @Override
    public Void visitThrow(Stmt.Throw s) {
      return null;
    }
  }

  private static IllegalStateException notLowered(Stmt s) {
    return new IllegalStateException(
        s.getClass().getSimpleName() + " cannot appear here: the tangent transform takes "
            + "lowered IR, without jumps");
  }

  /** The variable at the bottom of an array expression ({@code a}, {@code a[i]}), if any. */
  private static Variable baseArray(Expr e) {
    if (!e.type().isArray() || !e.type().carriesDerivatives()) {
      return null;
    }
    while (e instanceof Expr.ArrayRead r) {
      e = r.array();
    }
    return e instanceof Expr.Local l ? l.variable() : null;
  }

  /**
   * Zero tangents for the array parameters that have none of their own but that the code
   * written passes to tangent forms: known once the body is transformed, so that none is
   * declared that nothing reads.
   */
  private List<Stmt> zeroTangentsOfConstantArrays(MethodIr method) {
    List<Stmt> out = new ArrayList<>();
    for (Variable p : method.parameters()) {
      if (p.type().isArray() && !method.differentiated().contains(p)
          && tangentOf.containsKey(p)) {
        out.add(new Stmt.Declare(tangentOf.get(p), zerosLike(p), Position.NONE));
      }
    }
    return out;
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

  /**
   * The tangent variable of {@code v}, named {@code vDot} unless the method already has that
   * name: then {@code vDot2}, as for parameters, so that a tangent's name never depends on the
   * order of emission (in a form transformed again, {@code xDot} stays the first direction's).
   */
  private Variable tangentVariable(Variable v) {
    return tangentOf.computeIfAbsent(v, k -> new Variable(fresh(k.name() + DOT, names),
        tangentType(k.type()), Variable.Kind.SYNTHETIC));
  }

  private boolean hasTangent(Variable v) {
    return tangentOf.containsKey(v) || (v.type().carriesDerivatives() && active.test(v));
  }

  // ---------------------------------------------------------------- statements

  private void statements(List<Stmt> in, List<Stmt> out) {
    StatementTangent visitor = new StatementTangent(out);
    for (Stmt s : in) {
      s.accept(visitor);
    }
  }

  private Stmt.Block block(Stmt.Block b) {
    List<Stmt> out = new ArrayList<>();
    statements(b.statements(), out);
    return Stmt.Block.of(out);
  }

  private List<Stmt> statements(List<Stmt> in) {
    List<Stmt> out = new ArrayList<>();
    statements(in, out);
    return List.copyOf(out);
  }

  /**
   * Writes each statement with, before it, what its tangent needs: temporaries and the
   * assignment of the tangent of the variable it assigns. Works on lowered IR (no jumps).
   */
  private final class StatementTangent implements Stmt.SourceVisitor<Void> {
    private final List<Stmt> out;

    StatementTangent(List<Stmt> out) {
      this.out = out;
    }

    @Override
    public Void visitDeclare(Stmt.Declare d) {
      Variable v = d.variable();
      boolean needsTangent = hasTangent(v) || passedArrays.contains(v);
      if (!needsTangent) {
        out.add(d);
        return null;
      }
      Variable t = tangentVariable(v);
      if (d.init().isEmpty()) {
        out.add(Stmt.Declare.uninitialised(t, d.position()));
        out.add(d);
      } else if (d.init().get() instanceof Expr.NewArray n) {
        // A local array: its tangent has the same shape, elements differentiated one by one.
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
        assign(d.init().get(), new Target(v, t, true, d.position()));
      }
      return null;
    }

    @Override
    public Void visitAssign(Stmt.Assign a) {
      if (!hasTangent(a.variable())) {
        out.add(a);
        return null;
      }
      assign(a.value(), new Target(a.variable(), tangentVariable(a.variable()), false,
          a.position()));
      return null;
    }

    /** {@code target = value} and its tangent, unless the value's root wrote both itself. */
    private void assign(Expr value, Target target) {
      ExpressionTangent root = new ExpressionTangent(out, target);
      Dual d = root.of(value);
      if (!root.wroteTarget) {
        // The tangent first: it may read the variable's value from before the assignment.
        out.add(target.assignTangent(d.tangent()));
        out.add(target.assignValue(d.value()));
      }
    }

    @Override
    public Void visitArrayWrite(Stmt.ArrayWrite w) {
      if (!hasTangent(w.array())) {
        out.add(w);
        return null;
      }
      Dual d = new ExpressionTangent(out).of(w.value());
      Variable t = tangentVariable(w.array());
      out.add(new Stmt.ArrayWrite(t, w.indices(), narrow(d.tangent(), t.type().scalar()),
          w.position()));
      out.add(new Stmt.ArrayWrite(w.array(), w.indices(), d.value(), w.position()));
      return null;
    }

    @Override
    public Void visitIf(Stmt.If f) {
      out.add(new Stmt.If(f.condition(), block(f.thenBlock()), block(f.elseBlock())));
      return null;
    }

    @Override
    public Void visitLoop(Stmt.Loop l) {
      out.add(new Stmt.Loop(l.label(), statements(l.init()), l.condition(),
          statements(l.update()), block(l.body()), l.testFirst(), l.position()));
      return null;
    }

    @Override
    public Void visitReturn(Stmt.Return s) {
      throw notLowered(s);
    }

    @Override
    public Void visitBreak(Stmt.Break s) {
      throw notLowered(s);
    }

    @Override
    public Void visitContinue(Stmt.Continue s) {
      throw notLowered(s);
    }

    @Override
    public Void visitBlock(Stmt.Block b) {
      out.add(block(b));
      return null;
    }

    @Override
    public Void visitEvaluate(Stmt.Evaluate s) {
      // A shape test: the reader only lets a call (of a void helper) stand as a statement.
      if (!(s.expression() instanceof Expr.Call c)) {
        throw new IllegalStateException("only a call can be evaluated for its effect: " + s);
      }
      if (!callIsActive(c)) {
        out.add(s);
        return null;
      }
      out.add(new Stmt.Evaluate(tangentCall(c, new ExpressionTangent(out))));
      return null;
    }

    /** The tangent code throws where the method does; its values have no tangent. */
    @Override
    public Void visitThrow(Stmt.Throw s) {
      out.add(s);
      return null;
    }
  }

  /**
   * The variable a statement assigns, as the root of its value may write it directly: a
   * result the tangent reads, a callee's value and tangent, a conditional's branches.
   *
   * @param declares whether the statement declares {@code variable} (else it assigns it)
   */
  private record Target(Variable variable, Variable tangent, boolean declares,
      Position position) {
    Stmt assignValue(Expr value) {
      return declares ? new Stmt.Declare(variable, value, position)
          : new Stmt.Assign(variable, value, position);
    }

    Stmt assignTangent(Expr value) {
      return declares ? new Stmt.Declare(tangent, value, position)
          : new Stmt.Assign(tangent, value, position);
    }

    /** The same target written by assignments (inside branches, declared before them). */
    Target assigned() {
      return new Target(variable, tangent, false, position);
    }

    /** For a value assigned inside branches: declared first, without a value. */
    void declareUnassigned(List<Stmt> out) {
      if (declares) {
        out.add(Stmt.Declare.uninitialised(tangent, position));
        out.add(Stmt.Declare.uninitialised(variable, position));
      }
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
    return e.type().carriesDerivatives() && e.accept(carriesTangent);
  }

  private final CarriesTangent carriesTangent = new CarriesTangent();

  /** {@link #carriesTangent(Expr)} per kind, for an expression of a floating type. */
  private final class CarriesTangent implements Expr.SourceVisitor<Boolean> {
    private boolean any(List<Expr> operands) {
      return operands.stream().anyMatch(TangentTransform.this::carriesTangent);
    }

    @Override
    public Boolean visitLiteral(Expr.Literal e) {
      return false;
    }

    @Override
    public Boolean visitLocal(Expr.Local e) {
      return hasTangent(e.variable());
    }

    @Override
    public Boolean visitFieldRead(Expr.FieldRead e) {
      return false;
    }

    @Override
    public Boolean visitUnary(Expr.Unary e) {
      return carriesTangent(e.operand());
    }

    @Override
    public Boolean visitBinary(Expr.Binary e) {
      return any(List.of(e.left(), e.right()));
    }

    @Override
    public Boolean visitConditional(Expr.Conditional e) {
      // The condition selects; only the branches' values flow into the result.
      return carriesTangent(e.whenTrue()) || carriesTangent(e.whenFalse());
    }

    @Override
    public Boolean visitCast(Expr.Cast e) {
      return carriesTangent(e.operand());
    }

    @Override
    public Boolean visitIntrinsicCall(Expr.IntrinsicCall e) {
      return any(e.arguments());
    }

    @Override
    public Boolean visitCall(Expr.Call e) {
      return callIsActive(e);
    }

    @Override
    public Boolean visitArrayRead(Expr.ArrayRead e) {
      Variable base = baseArray(e.array());
      return base != null && hasTangent(base);
    }

    @Override
    public Boolean visitArrayLength(Expr.ArrayLength e) {
      return false;
    }

    @Override
    public Boolean visitNewArray(Expr.NewArray e) {
      return any(e.elements());
    }
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
    // A shape test: array arguments are locals or rows of them (the reader allows no other).
    if (array instanceof Expr.Local l) {
      return local(tangentVariable(l.variable()));
    }
    if (array instanceof Expr.ArrayRead row) {
      return new Expr.ArrayRead(tangentArray(row.array()), row.index(), row.type());
    }
    throw new IllegalStateException("an array is a local or a row of one: " + array);
  }

  // ---------------------------------------------------------------- expressions

  /** An expression's value (rewritten to use temporaries) and its tangent. */
  private record Dual(Expr value, Expr tangent) {
    static Dual constant(Expr value) {
      return new Dual(value, lit(0));
    }
  }

  /**
   * Differentiates one expression, writing the temporaries it needs before the statement that
   * uses it. Every operator and intrinsic goes through one rule ({@link #applyRule}); only
   * what is not a function of operand values has its own method: variables and array
   * elements (their tangent variables), conditionals (branches), calls (tangent forms).
   *
   * <p>Code size stays linear in the source: a value a formula repeats is kept in a temporary,
   * and an operand's tangent is computed only where its partial is not a literal zero, so no
   * temporary is written that nothing reads.
   */
  private final class ExpressionTangent implements Expr.SourceVisitor<Dual> {
    private final List<Stmt> out;
    /** The statement's variable, which this root expression may write; null below the root. */
    private final Target target;
    /** Differentiates the operands: this visitor without the target. */
    private final ExpressionTangent below;
    /** Whether the root wrote the target's value and tangent itself. */
    private boolean wroteTarget;

    ExpressionTangent(List<Stmt> out) {
      this(out, null);
    }

    ExpressionTangent(List<Stmt> out, Target target) {
      this.out = out;
      this.target = target;
      this.below = target == null ? this : new ExpressionTangent(out, null);
    }

    /** The value of {@code e} and its tangent. */
    Dual of(Expr e) {
      return of(e, true);
    }

    /**
     * The value of {@code e} and, when {@code wanted}, its tangent; an unwanted tangent is 0
     * and costs nothing: the value is {@code e} itself, as no formula repeats any part of it.
     */
    private Dual of(Expr e, boolean wanted) {
      return wanted && carriesTangent(e) ? e.accept(this) : Dual.constant(e);
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

    /**
     * The one derivative rule: tangent = Σ partial_i × tangent_i over the operands, the
     * partials given by {@code rule} (of {@link Operator} or {@link Intrinsic}) as formulas of
     * the operands' values and of the node's result.
     *
     * <p>The partials are formed first, over placeholders for the operands that are not atoms
     * and for the result. That tells which operand tangents are needed (a literal-zero partial
     * drops its operand's) and which values the needed partials read: exactly those are kept
     * in temporaries and substituted, so no operand is evaluated twice and none is kept in vain.
     */
    private Dual applyRule(Intrinsic.Rule rule, List<Expr> operands, Type type,
        Function<List<Expr>, Expr> rebuild) {
      List<Variable> placeholders = new ArrayList<>();
      List<Expr> arguments = new ArrayList<>();
      for (Expr operand : operands) {
        // An atom is its own value (literals stay visible to rules: pow(x, 2)).
        Variable p = Exprs.isAtom(operand) ? null
            : new Variable("x", operand.type(), Variable.Kind.SYNTHETIC);
        placeholders.add(p);
        arguments.add(p == null ? operand : local(p));
      }
      Variable result = new Variable("r", type, Variable.Kind.SYNTHETIC);
      List<Expr> partials = new ArrayList<>(rule.partials(arguments, local(result)));
      List<Dual> duals = new ArrayList<>();
      for (int i = 0; i < operands.size(); i++) {
        duals.add(below.of(operands.get(i), !Exprs.isZero(partials.get(i))));
      }
      List<Integer> terms = new ArrayList<>();
      Set<Variable> read = new HashSet<>();
      for (int i = 0; i < operands.size(); i++) {
        if (!Exprs.isZero(duals.get(i).tangent()) && !Exprs.isZero(partials.get(i))) {
          terms.add(i);
          read.addAll(Exprs.variables(partials.get(i)));
        }
      }
      List<Expr> values = new ArrayList<>();
      for (int i = 0; i < operands.size(); i++) {
        Expr value = duals.get(i).value();
        Variable p = placeholders.get(i);
        if (p != null && read.contains(p)) {
          value = atom(value);
          for (int term : terms) {
            partials.set(term, Exprs.substitute(partials.get(term), p, value));
          }
        }
        values.add(value);
      }
      Expr value = rebuild.apply(values);
      boolean bound = false;
      if (read.contains(result)) {
        bound = canBind(type, terms, partials, duals);
        value = bound ? bind(value) : atom(value);
      }
      List<Expr> termPartials = new ArrayList<>();
      List<Expr> termTangents = new ArrayList<>();
      for (int term : terms) {
        termPartials.add(Exprs.substitute(partials.get(term), result, value));
        termTangents.add(duals.get(term).tangent());
      }
      Expr tangent = sumOfProducts(termPartials, termTangents);
      if (bound) {
        out.add(target.assignTangent(tangent));
      }
      return new Dual(value, tangent);
    }

    /**
     * Whether the root may write its result straight into the target instead of a temporary:
     * of the same type (no conversion in between), and the tangent, then computed after the
     * assignment, must not read the target's old value.
     */
    private boolean canBind(Type type, List<Integer> terms, List<Expr> partials,
        List<Dual> duals) {
      if (target == null || target.variable().type() != type) {
        return false;
      }
      for (int term : terms) {
        if (Exprs.variables(partials.get(term)).contains(target.variable())
            || Exprs.variables(duals.get(term).tangent()).contains(target.variable())) {
          return false;
        }
      }
      return true;
    }

    /** Assigns the root's value to the target, whose tangent the caller assigns next. */
    private Expr bind(Expr value) {
      out.add(target.assignValue(value));
      wroteTarget = true;
      return local(target.variable());
    }

    @Override
    public Dual visitLiteral(Expr.Literal e) {
      return Dual.constant(e);
    }

    @Override
    public Dual visitLocal(Expr.Local e) {
      return hasTangent(e.variable()) ? new Dual(e, local(tangentVariable(e.variable())))
          : Dual.constant(e);
    }

    @Override
    public Dual visitFieldRead(Expr.FieldRead e) {
      return Dual.constant(e);
    }

    @Override
    public Dual visitUnary(Expr.Unary u) {
      Operator op = Operator.of(u.op()).orElseThrow(() -> noRule(u));
      return applyRule(op.rule(), List.of(u.operand()), u.type(),
          v -> new Expr.Unary(u.op(), v.get(0), u.type()));
    }

    @Override
    public Dual visitBinary(Expr.Binary b) {
      Operator op = Operator.of(b.op()).orElseThrow(() -> noRule(b));
      return applyRule(op.rule(), List.of(b.left(), b.right()), b.type(),
          v -> new Expr.Binary(b.op(), v.get(0), v.get(1), b.type()));
    }

    @Override
    public Dual visitCast(Expr.Cast c) {
      // Only a conversion between floating types carries a tangent (carriesTangent).
      return applyRule(Operator.CONVERT.rule(), List.of(c.operand()), c.type(),
          v -> new Expr.Cast(c.type(), v.get(0), c.position()));
    }

    @Override
    public Dual visitIntrinsicCall(Expr.IntrinsicCall c) {
      return applyRule(c.intrinsic().rule(), c.arguments(), c.type(),
          v -> new Expr.IntrinsicCall(c.intrinsic(), List.copyOf(v), c.type(), c.strict(),
              c.position()));
    }

    /**
     * Each branch's temporaries stay inside it: a branch may recurse or fail where the
     * condition rules it out. A branch needing statements writes its value and tangent into
     * the statement's variable (at the root) or into one temporary pair, which its own root
     * may write directly.
     */
    @Override
    public Dual visitConditional(Expr.Conditional c) {
      Target branches = (target != null ? target
          : new Target(new Variable("t", c.type(), Variable.Kind.SYNTHETIC),
              new Variable("tDot", Type.DOUBLE, Variable.Kind.SYNTHETIC), false, Position.NONE))
          .assigned();
      List<Stmt> whenTrue = new ArrayList<>();
      List<Stmt> whenFalse = new ArrayList<>();
      ExpressionTangent onTrue = new ExpressionTangent(whenTrue, branches);
      ExpressionTangent onFalse = new ExpressionTangent(whenFalse, branches);
      Dual t = onTrue.of(c.whenTrue());
      Dual f = onFalse.of(c.whenFalse());
      boolean hasTangent = !Exprs.isZero(t.tangent()) || !Exprs.isZero(f.tangent());
      if (whenTrue.isEmpty() && whenFalse.isEmpty()) {
        if (!hasTangent) {
          return Dual.constant(c);
        }
        // Value and tangent both select: a condition worth keeping is evaluated once.
        Expr condition = isCheap(c.condition()) ? c.condition() : atom(c.condition());
        return new Dual(new Expr.Conditional(condition, t.value(), f.value(), c.type()),
            Exprs.cond(condition, t.tangent(), f.tangent()));
      }
      // The statement's own tangent is always assigned; a temporary one only if not zero.
      boolean withTangent = hasTangent || target != null;
      onTrue.completeBranch(t, withTangent);
      onFalse.completeBranch(f, withTangent);
      if (target != null) {
        target.declareUnassigned(out);
        wroteTarget = true;
      } else {
        out.add(Stmt.Declare.uninitialised(branches.variable(), Position.NONE));
        if (withTangent) {
          out.add(Stmt.Declare.uninitialised(branches.tangent(), Position.NONE));
        }
      }
      out.add(new Stmt.If(c.condition(), Stmt.Block.of(whenTrue), Stmt.Block.of(whenFalse)));
      return new Dual(local(branches.variable()),
          withTangent ? local(branches.tangent()) : lit(0));
    }

    /** Ends a branch of a conditional: assigns its target unless its root already did. */
    private void completeBranch(Dual branch, boolean withTangent) {
      if (!wroteTarget) {
        // The tangent first: it may read the variable's value from before the assignment.
        if (withTangent) {
          out.add(target.assignTangent(branch.tangent()));
        }
        out.add(target.assignValue(branch.value()));
      }
    }

    @Override
    public Dual visitCall(Expr.Call c) {
      if (c.type().isArray()) {
        throw new IllegalStateException("array-valued call in an expression: " + c);
      }
      out.add(new Stmt.Evaluate(tangentCall(c, below)));
      Expr first = new Expr.ArrayRead(local(pair), Expr.Literal.ofInt(0), Type.DOUBLE);
      Expr value = c.type() == Type.DOUBLE ? first
          : new Expr.Cast(c.type(), first, Position.NONE);
      Expr tangent = new Expr.ArrayRead(local(pair), Expr.Literal.ofInt(1), Type.DOUBLE);
      if (target != null) {
        out.add(target.assignValue(value));
        out.add(target.assignTangent(tangent));
        wroteTarget = true;
        return new Dual(local(target.variable()), local(target.tangent()));
      }
      Variable valueVariable = new Variable(c.callee().name(), c.type(),
          Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(valueVariable, value, Position.NONE));
      Variable tangentVariable = new Variable(c.callee().name() + DOT, Type.DOUBLE,
          Variable.Kind.SYNTHETIC);
      out.add(new Stmt.Declare(tangentVariable, tangent, Position.NONE));
      return new Dual(local(valueVariable), local(tangentVariable));
    }

    @Override
    public Dual visitArrayRead(Expr.ArrayRead r) {
      return new Dual(r, new Expr.ArrayRead(tangentArray(r.array()), r.index(), r.type()));
    }

    @Override
    public Dual visitArrayLength(Expr.ArrayLength e) {
      return Dual.constant(e);
    }

    @Override
    public Dual visitNewArray(Expr.NewArray e) {
      throw new IllegalStateException("an array literal cannot appear here: only as the "
          + "initializer of a local array, which StatementTangent handles");
    }
  }

  private static IllegalStateException noRule(Expr e) {
    return new IllegalStateException("no derivative rule for " + e + ": its type carries "
        + "no derivative, so it cannot have a tangent");
  }

  /**
   * Σ partial_i × tangent_i (no term is a literal zero). Where every partial is a quotient by
   * one divisor, as both of a quotient's are, the divisor is applied once to the sum: {@code
   * (aDot - q * bDot) / b} rather than {@code aDot / b - q / b * bDot}.
   */
  private static Expr sumOfProducts(List<Expr> partials, List<Expr> tangents) {
    List<Quotient> quotients = partials.stream().map(Quotient::of).toList();
    boolean oneDivisor = !quotients.isEmpty() && quotients.stream().allMatch(q -> q != null
        && q.divisor().equals(quotients.get(0).divisor()));
    Expr sum = lit(0);
    for (int i = 0; i < partials.size(); i++) {
      if (oneDivisor) {
        Quotient q = quotients.get(i);
        Expr product = Exprs.mul(q.numerator(), tangents.get(i));
        sum = q.negated() ? Exprs.sub(sum, product) : Exprs.add(sum, product);
      } else {
        sum = Exprs.add(sum, Exprs.mul(partials.get(i), tangents.get(i)));
      }
    }
    return oneDivisor ? Exprs.div(sum, quotients.get(0).divisor()) : sum;
  }

  /** A partial of the shape {@code n / d} or {@code -(n / d)}. */
  private record Quotient(Expr numerator, Expr divisor, boolean negated) {
    /** The quotient {@code partial} is, or null (a shape test on one node). */
    static Quotient of(Expr partial) {
      boolean negated = partial instanceof Expr.Unary u && u.op() == Expr.UnaryOp.NEGATE;
      Expr inner = negated ? ((Expr.Unary) partial).operand() : partial;
      return inner instanceof Expr.Binary b && b.op() == Expr.BinaryOp.DIVIDE
          ? new Quotient(b.left(), b.right(), negated) : null;
    }
  }

  /** A condition as cheap to evaluate twice as to keep: an atom, or one operator over atoms. */
  private static boolean isCheap(Expr condition) {
    boolean oneOperator = condition instanceof Expr.Binary || condition instanceof Expr.Unary;
    return Exprs.isAtom(condition)
        || (oneOperator && Exprs.children(condition).stream().allMatch(Exprs::isAtom));
  }
}
