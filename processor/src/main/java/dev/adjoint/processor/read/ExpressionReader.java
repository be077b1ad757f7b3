package dev.adjoint.processor.read;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import dev.adjoint.processor.diagnostics.Abort;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Expr.UnaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;

/**
 * Reads the expressions of a method body into the typed IR: it types every expression itself,
 * resolves names, fields, calls and {@code Math} intrinsics, and checks the conversions the
 * statements around them need.
 */
final class ExpressionReader {
  private final ReadContext context;
  private final Symbols symbols;
  private final Scope scope;

  /**
   * Reads the side effects of an expression ({@code i++}, {@code s += x}) as statements: the
   * body reader, which knows assignment targets.
   */
  interface EffectReader {
    /**
     * Appends to {@code effects} the statements of {@code effect} (an increment, a decrement
     * or an assignment used as a value) and returns the value the expression has in Java.
     */
    Effect effect(ExpressionTree effect, List<Stmt> effects, Set<Variable> writes);
  }

  /** The value of a hoisted side effect and the variable it writes. */
  record Effect(Expr value, Variable target) {}

  private EffectReader effectReader;

  /**
   * Reads an array-valued expression (a creation, a copy, a call of a method of the class that
   * returns an array) used inside another expression: the body reader, which holds it in a
   * fresh local array filled before the statement.
   */
  interface ArrayValueReader {
    /** The local holding {@code value}, its statements appended to {@code effects}; or empty. */
    Optional<Expr> array(ExpressionTree value, List<Stmt> effects);

    /** Whether {@code value} makes a fresh array that {@link #array} would hold. */
    boolean makesArray(ExpressionTree value);
  }

  private ArrayValueReader arrayValueReader;

  void arrayValueReader(ArrayValueReader reader) {
    this.arrayValueReader = reader;
  }

  /** {@code t} held in a fresh local array, where statements may be hoisted before this one. */
  private Optional<Expr> arrayValue(ExpressionTree t) {
    if (arrayValueReader == null) {
      return Optional.empty();
    }
    if (effects == null || conditional > 0) {
      if (arrayValueReader.makesArray(t)) {
        throw unsupported(t, "creating an array inside an expression", "declare a local array "
            + "holding it (double[] a = {x, y};) and use that.");
      }
      return Optional.empty();
    }
    return arrayValueReader.array(t, effects);
  }

  /** Where the side effects of the statement being read go; null where none are allowed. */
  private List<Stmt> effects;

  /** The variables the statement's side effects write (each once at most). */
  private Set<Variable> effectWrites = new HashSet<>();

  /** The variables the statement reads other than through its own side effects. */
  private Set<Variable> reads = new HashSet<>();

  /** Above 0 inside an operand Java evaluates only sometimes (after && or ||, in ?:). */
  private int conditional;

  /** Where a conditionally evaluated operand begins, for the message. */
  private String conditionalWhere;

  ExpressionReader(ReadContext context) {
    this.context = context;
    this.symbols = context.symbols();
    this.scope = context.scope();
  }

  void effectReader(EffectReader reader) {
    this.effectReader = reader;
  }

  /** The state of one statement's side effects, saved around a nested statement. */
  record EffectState(List<Stmt> effects, Set<Variable> writes, Set<Variable> reads,
      int conditional, String conditionalWhere) {}

  /**
   * Starts reading a statement whose expressions may have side effects, collected into
   * {@code out} in Java's evaluation order; returns the state to give back to {@link #end}.
   */
  EffectState begin(List<Stmt> out) {
    EffectState saved = new EffectState(effects, effectWrites, reads, conditional,
        conditionalWhere);
    effects = out;
    effectWrites = new HashSet<>();
    reads = new HashSet<>();
    conditional = 0;
    conditionalWhere = null;
    return saved;
  }

  /**
   * Ends a statement begun with {@link #begin}: a variable that a side effect writes and that
   * the statement also reads elsewhere would depend on Java's evaluation order in ways the
   * hoisted statements do not keep, so it is rejected at {@code at}.
   */
  void end(EffectState saved, Tree at, boolean check) {
    Set<Variable> both = new HashSet<>(effectWrites);
    both.retainAll(reads);
    effects = saved.effects();
    effectWrites = saved.writes();
    reads = saved.reads();
    conditional = saved.conditional();
    conditionalWhere = saved.conditionalWhere();
    if (check && !both.isEmpty()) {
      Variable v = both.iterator().next();
      throw error(Message.SIDE_EFFECT_IN_EXPRESSION, at, "changing '" + v + "'",
          "this statement also reads '" + v + "' elsewhere, so its value depends on Java's "
              + "evaluation order; change it in a statement of its own before or after.");
    }
  }

  /** Records that the statement reads {@code v} (an implicit read, as in {@code s += e}). */
  void noteRead(Variable v) {
    reads.add(v);
  }

  /** A boolean expression: the condition of an if, a loop or a ?:. */
  Expr condition(ExpressionTree t) {
    Expr e = expression(t);
    if (e.type() != Type.BOOLEAN) {
      throw error(Message.TYPE_MISMATCH, t, "condition", "boolean", e.type().javaName());
    }
    return e;
  }

  /** The typed IR of an expression of the supported subset. */
  Expr expression(ExpressionTree t) {
    switch (t.getKind()) {
      case PARENTHESIZED:
        return expression(((ParenthesizedTree) t).getExpression());
      case INT_LITERAL:
        return new Expr.Literal(Type.INT, ((LiteralTree) t).getValue());
      case LONG_LITERAL:
        return new Expr.Literal(Type.LONG, ((LiteralTree) t).getValue());
      case FLOAT_LITERAL:
        return new Expr.Literal(Type.FLOAT, ((LiteralTree) t).getValue());
      case DOUBLE_LITERAL:
        return new Expr.Literal(Type.DOUBLE, ((LiteralTree) t).getValue());
      case BOOLEAN_LITERAL:
        return new Expr.Literal(Type.BOOLEAN, ((LiteralTree) t).getValue());
      case CHAR_LITERAL:
        return new Expr.Literal(Type.INT, (int) (Character) ((LiteralTree) t).getValue());
      case STRING_LITERAL:
        throw unsupported(t, "a string", "compute with numbers only.");
      case NULL_LITERAL:
        throw unsupported(t, "null", "compute with primitive values only.");
      case IDENTIFIER:
        return identifier((IdentifierTree) t);
      case MEMBER_SELECT:
        return memberSelect((MemberSelectTree) t);
      case UNARY_MINUS:
      case UNARY_PLUS:
      case LOGICAL_COMPLEMENT:
      case BITWISE_COMPLEMENT:
        return unary((UnaryTree) t);
      case PREFIX_INCREMENT:
      case POSTFIX_INCREMENT:
      case PREFIX_DECREMENT:
      case POSTFIX_DECREMENT:
        return sideEffect(t, "'" + t + "'");
      case ASSIGNMENT:
      case PLUS_ASSIGNMENT:
      case MINUS_ASSIGNMENT:
      case MULTIPLY_ASSIGNMENT:
      case DIVIDE_ASSIGNMENT:
      case REMAINDER_ASSIGNMENT:
      case AND_ASSIGNMENT:
      case OR_ASSIGNMENT:
      case XOR_ASSIGNMENT:
      case LEFT_SHIFT_ASSIGNMENT:
      case RIGHT_SHIFT_ASSIGNMENT:
      case UNSIGNED_RIGHT_SHIFT_ASSIGNMENT:
        return sideEffect(t, "the assignment '" + t + "'");
      case CONDITIONAL_EXPRESSION:
        return conditional((ConditionalExpressionTree) t);
      case TYPE_CAST:
        return cast((TypeCastTree) t);
      case METHOD_INVOCATION: {
        Optional<Expr> array = arrayValue(t);
        return array.isPresent() ? array.get() : invocation((MethodInvocationTree) t);
      }
      case LAMBDA_EXPRESSION:
        throw unsupported(t, "a lambda", "write the function as a @Differentiable method.");
      case MEMBER_REFERENCE:
        throw unsupported(t, "a method reference", "call a @Differentiable method directly.");
      case NEW_CLASS:
        throw unsupported(t, "creating an object",
            "differentiated code computes with primitives only; pass values as parameters.");
      case NEW_ARRAY:
        Optional<Expr> created = arrayValue(t);
        if (created.isPresent()) {
          return created.get();
        }
        throw unsupported(t, "creating an array inside an expression",
            "declare a local array holding it (double[] a = {x, y};) and use that.");
      case ARRAY_ACCESS: {
        ArrayAccessTree access = (ArrayAccessTree) t;
        Expr array = expression(access.getExpression());
        if (!array.type().isArray()) {
          throw error(Message.TYPE_MISMATCH, t, "indexing", "an array", array.type().javaName());
        }
        Expr index = expression(access.getIndex());
        requireIndex(index, access.getIndex());
        return new Expr.ArrayRead(array, index, array.type().element());
      }
      case INSTANCE_OF:
        throw unsupported(t, "instanceof", "compute with primitive values only.");
      case SWITCH_EXPRESSION:
        return switchExpression((com.sun.source.tree.SwitchExpressionTree) t);
      default:
        if (t instanceof BinaryTree b) {
          return binaryTree(b);
        }
        throw unsupported(t, "this expression (" + t.getKind() + ")",
            "use arithmetic, comparisons, ?:, casts and calls.");
    }
  }

  /** An increment or assignment used as a value: hoisted into statements before this one. */
  private Expr sideEffect(ExpressionTree t, String what) {
    if (effects == null || effectReader == null) {
      throw error(Message.SIDE_EFFECT_IN_EXPRESSION, t, what,
          "write it as a statement of its own.");
    }
    if (conditional > 0) {
      throw error(Message.SIDE_EFFECT_IN_EXPRESSION, t, what, "Java evaluates it only "
          + "sometimes (" + conditionalWhere + "); write the condition as an if statement "
          + "and change the variable in its branch.");
    }
    // Reads inside the effect happen in its own hoisted statement, in Java's order, except
    // those of a variable that an effect nested in it changes (k in y += k * k++).
    Set<Variable> outerReads = reads;
    Set<Variable> writesBefore = new HashSet<>(effectWrites);
    reads = new HashSet<>();
    Effect effect;
    Set<Variable> inside;
    try {
      effect = effectReader.effect(t, effects, effectWrites);
    } finally {
      inside = reads;
      reads = outerReads;
    }
    Set<Variable> nested = new HashSet<>(effectWrites);
    nested.removeAll(writesBefore);
    nested.remove(effect.target());
    nested.retainAll(inside);
    if (!nested.isEmpty()) {
      Variable v = nested.iterator().next();
      throw error(Message.SIDE_EFFECT_IN_EXPRESSION, t, "changing '" + v + "'",
          "this statement also reads '" + v + "' elsewhere, so its value depends on Java's "
              + "evaluation order; change it in a statement of its own before or after.");
    }
    return effect.value();
  }

  private Expr identifier(IdentifierTree t) {
    String name = t.getName().toString();
    Optional<Expr> alias = scope.alias(name);
    if (alias.isPresent()) {
      Expr row = alias.get();
      for (Variable read : Exprs.variables(row)) {
        reads.add(read);
      }
      return row;
    }
    Variable v = scope.lookup(name);
    if (v != null) {
      reads.add(v);
      return new Expr.Local(v);
    }
    if (context.poisoned(name)) {
      throw new Abort();
    }
    Optional<VariableElement> field = symbols.unqualifiedField(name);
    if (field.isPresent()) {
      return fieldRead(field.get(), t);
    }
    throw error(Message.UNKNOWN_NAME, t, name);
  }

  private Expr memberSelect(MemberSelectTree t) {
    String member = t.getIdentifier().toString();
    if (member.equals("length") && !isTypeName(t.getExpression())) {
      Expr array = expression(t.getExpression());
      if (!array.type().isArray()) {
        throw error(Message.TYPE_MISMATCH, t, "'.length'", "an array", array.type().javaName());
      }
      return new Expr.ArrayLength(array);
    }
    Optional<TypeElement> owner = ownerType(t.getExpression());
    if (owner.isPresent()) {
      Optional<VariableElement> field = symbols.field(owner.get(), member);
      if (field.isPresent()) {
        return fieldRead(field.get(), t);
      }
    }
    throw error(Message.UNKNOWN_NAME, t, t.toString());
  }

  private boolean isTypeName(ExpressionTree qualifier) {
    if (qualifier instanceof IdentifierTree id && scope.lookup(id.getName().toString()) != null) {
      return false;
    }
    return qualifier.getKind() == Tree.Kind.IDENTIFIER
        || qualifier.getKind() == Tree.Kind.MEMBER_SELECT
        ? symbols.resolveType(qualifier).isPresent() : false;
  }

  private Optional<TypeElement> ownerType(ExpressionTree qualifier) {
    if (qualifier instanceof IdentifierTree id && scope.lookup(id.getName().toString()) != null) {
      return Optional.empty();
    }
    return symbols.resolveType(qualifier);
  }

  private Expr fieldRead(VariableElement field, Tree at) {
    Type type = Symbols.primitive(field.asType());
    if (type == null && field.asType().getKind() == javax.lang.model.type.TypeKind.ARRAY) {
      // A static final table (Lanczos coefficients): read, never written; a constant.
      Type table = Type.forName(field.asType().toString());
      if (table != null && table != Type.VOID) {
        type = table;
      }
    }
    boolean isFinalStatic = field.getModifiers().contains(Modifier.STATIC)
        && field.getModifiers().contains(Modifier.FINAL);
    if (!isFinalStatic) {
      throw error(Message.MUTABLE_FIELD_READ, at, field.getSimpleName());
    }
    if (type == null) {
      throw unsupported(at, "reading field '" + field.getSimpleName() + "' of type "
          + field.asType(), "only primitive constants can be read.");
    }
    TypeElement owner = (TypeElement) field.getEnclosingElement();
    if (field.getModifiers().contains(Modifier.PRIVATE)) {
      Object constant = field.getConstantValue();
      if (constant instanceof Character ch) {
        return new Expr.Literal(Type.INT, (int) ch);
      }
      if (constant != null) {
        // A private compile-time constant is inlined: the generated class cannot read it.
        return new Expr.Literal(type.promoteUnary(), constant instanceof Byte
            || constant instanceof Short ? ((Number) constant).intValue() : constant);
      }
      throw error(Message.PRIVATE_MEMBER, at, "field '" + field.getSimpleName() + "'",
          owner.getSimpleName() + "Diff");
    }
    if (type.isArray() && !field.getModifiers().contains(Modifier.FINAL)) {
      throw error(Message.MUTABLE_FIELD_READ, at, field.getSimpleName());
    }
    return new Expr.FieldRead(owner.getQualifiedName().toString(),
        field.getSimpleName().toString(), type);
  }

  private Expr unary(UnaryTree t) {
    Expr operand = expression(t.getExpression());
    switch (t.getKind()) {
      case LOGICAL_COMPLEMENT -> {
        requireType(operand, Type.BOOLEAN, t.getExpression(), "operand of !");
        return new Expr.Unary(UnaryOp.NOT, operand, Type.BOOLEAN);
      }
      case BITWISE_COMPLEMENT -> {
        if (!operand.type().isIntegral()) {
          throw error(Message.TYPE_MISMATCH, t, "operand of ~", "an integer",
              operand.type().javaName());
        }
        return new Expr.Unary(UnaryOp.BITWISE_NOT, operand, operand.type().promoteUnary());
      }
      default -> {
        if (!operand.type().isNumeric()) {
          throw error(Message.TYPE_MISMATCH, t, "operand of unary "
              + (t.getKind() == Tree.Kind.UNARY_MINUS ? "-" : "+"), "a number",
              operand.type().javaName());
        }
        UnaryOp op = t.getKind() == Tree.Kind.UNARY_MINUS ? UnaryOp.NEGATE : UnaryOp.PLUS;
        return new Expr.Unary(op, operand, operand.type().promoteUnary());
      }
    }
  }

  private Expr binaryTree(BinaryTree t) {
    Tree.Kind kind = t.getKind();
    BinaryOp op = binaryOp(kind);
    if (op == null) {
      throw unsupported(t, "operator " + kind, "use arithmetic, comparison and logic operators.");
    }
    Expr left = expression(t.getLeftOperand());
    Expr right;
    if (op == BinaryOp.CONDITIONAL_AND || op == BinaryOp.CONDITIONAL_OR) {
      right = sometimes("the right operand of " + op.symbol, t.getRightOperand());
    } else {
      right = expression(t.getRightOperand());
    }
    return binary(op, left, right, t);
  }

  /** {@code left op right}, with its operands checked and its type promoted as Java does. */
  Expr binary(BinaryOp op, Expr left, Expr right, Tree at) {
    Type l = left.type();
    Type r = right.type();
    switch (op) {
      case CONDITIONAL_AND, CONDITIONAL_OR -> {
        requireType(left, Type.BOOLEAN, at, "operand of " + op.symbol);
        requireType(right, Type.BOOLEAN, at, "operand of " + op.symbol);
        return new Expr.Binary(op, left, right, Type.BOOLEAN);
      }
      case EQUAL, NOT_EQUAL -> {
        if ((l == Type.BOOLEAN) != (r == Type.BOOLEAN)) {
          throw error(Message.TYPE_MISMATCH, at, "comparison", l.javaName(), r.javaName());
        }
        return new Expr.Binary(op, left, right, Type.BOOLEAN);
      }
      case LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> {
        requireNumeric(left, at);
        requireNumeric(right, at);
        return new Expr.Binary(op, left, right, Type.BOOLEAN);
      }
      case AND, OR, XOR -> {
        if (l == Type.BOOLEAN && r == Type.BOOLEAN) {
          return new Expr.Binary(op, left, right, Type.BOOLEAN);
        }
        requireIntegral(left, at);
        requireIntegral(right, at);
        return new Expr.Binary(op, left, right, Type.promote(l, r));
      }
      case SHIFT_LEFT, SHIFT_RIGHT, UNSIGNED_SHIFT_RIGHT -> {
        requireIntegral(left, at);
        requireIntegral(right, at);
        return new Expr.Binary(op, left, right, l.promoteUnary());
      }
      default -> {
        requireNumeric(left, at);
        requireNumeric(right, at);
        return new Expr.Binary(op, left, right, Type.promote(l, r));
      }
    }
  }

  private Expr conditional(ConditionalExpressionTree t) {
    Expr condition = condition(t.getCondition());
    Expr whenTrue = sometimes("a branch of ?:", t.getTrueExpression());
    Expr whenFalse = sometimes("a branch of ?:", t.getFalseExpression());
    Type type;
    if (whenTrue.type().isArray() || whenFalse.type().isArray()) {
      throw unsupported(t, "choosing between arrays with ?:",
          "choose between elements (c ? x[i] : y[i]) or use if / else.");
    } else if (whenTrue.type() == Type.BOOLEAN || whenFalse.type() == Type.BOOLEAN) {
      if (whenTrue.type() != whenFalse.type()) {
        throw error(Message.TYPE_MISMATCH, t, "the branches of a ?: expression",
            whenTrue.type().javaName(), whenFalse.type().javaName());
      }
      type = Type.BOOLEAN;
    } else {
      type = Type.promote(whenTrue.type(), whenFalse.type());
    }
    return new Expr.Conditional(condition, whenTrue, whenFalse, type);
  }

  /** The selector of a switch: an int, char, short or byte value. */
  Expr switchSelector(ExpressionTree t) {
    Expr e = expression(t);
    if (!e.type().isIntegral() || e.type() == Type.LONG) {
      throw error(Message.TYPE_MISMATCH, t, "switch selector", "int or char",
          e.type().javaName());
    }
    return e;
  }

  /**
   * {@code switch (k) { case 1 -> a; case 2, 3 -> b; default -> c; }} is
   * {@code k == 1 ? a : k == 2 || k == 3 ? b : c}; arms that are blocks ({@code yield}) are
   * rejected.
   */
  private Expr switchExpression(com.sun.source.tree.SwitchExpressionTree t) {
    Expr selector = switchSelector(t.getExpression());
    if (!(selector instanceof Expr.Local) && !(selector instanceof Expr.Literal)) {
      throw unsupported(t.getExpression(), "a switch expression over a computed value",
          "store the value in a local first: int k = ...; switch (k) { ... }.");
    }
    Expr otherwise = null;
    List<Expr> conditions = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    for (com.sun.source.tree.CaseTree c : t.getCases()) {
      if (c.getCaseKind() != com.sun.source.tree.CaseTree.CaseKind.RULE
          || !(c.getBody() instanceof ExpressionTree arm)) {
        throw unsupported(c, "a switch expression arm with statements (yield)",
            "give each arm a value (case 1 -> a * x;), or assign a local in a switch "
                + "statement.");
      }
      Expr value = sometimes("an arm of a switch expression", arm);
      Expr condition = null;
      for (ExpressionTree label : c.getExpressions()) {
        Expr l = expression(label);
        if (!(l instanceof Expr.Literal) && !(l instanceof Expr.FieldRead)) {
          throw unsupported(label, "this case label", "use an int or char constant.");
        }
        Expr test = binary(BinaryOp.EQUAL, selector, l, label);
        condition = condition == null ? test
            : new Expr.Binary(BinaryOp.CONDITIONAL_OR, condition, test, Type.BOOLEAN);
      }
      if (condition == null) {
        otherwise = value;
      } else {
        conditions.add(condition);
        values.add(value);
      }
    }
    if (otherwise == null) {
      throw unsupported(t, "a switch expression without default", "add a default arm.");
    }
    Type type = otherwise.type();
    for (Expr v : values) {
      if ((v.type() == Type.BOOLEAN) != (type == Type.BOOLEAN) || v.type().isArray()) {
        throw error(Message.TYPE_MISMATCH, t, "the arms of a switch expression",
            type.javaName(), v.type().javaName());
      }
      type = type == Type.BOOLEAN ? type : Type.promote(type, v.type());
    }
    Expr result = otherwise;
    for (int k = values.size() - 1; k >= 0; k--) {
      result = new Expr.Conditional(conditions.get(k), values.get(k), result, type);
    }
    return result;
  }

  /** An operand Java evaluates only sometimes: no side effect may be hoisted out of it. */
  private Expr sometimes(String where, ExpressionTree t) {
    String outer = conditionalWhere;
    if (conditional == 0) {
      conditionalWhere = where;
    }
    conditional++;
    try {
      return expression(t);
    } finally {
      conditional--;
      conditionalWhere = outer;
    }
  }

  private Expr cast(TypeCastTree t) {
    if (!(t.getType() instanceof PrimitiveTypeTree p)) {
      throw unsupported(t, "a cast to " + t.getType(), "cast only between primitive types.");
    }
    Type target = Type.forName(p.getPrimitiveTypeKind().name().toLowerCase(java.util.Locale.ROOT));
    Expr operand = expression(t.getExpression());
    if (operand.type().isArray() || operand.type() == Type.VOID) {
      throw error(Message.TYPE_MISMATCH, t, "cast", "a primitive value",
          operand.type().javaName());
    }
    if ((target == Type.BOOLEAN) != (operand.type() == Type.BOOLEAN)) {
      throw error(Message.TYPE_MISMATCH, t, "cast", target.javaName(), operand.type().javaName());
    }
    return new Expr.Cast(target, operand, new Position(t));
  }

  private Expr invocation(MethodInvocationTree t) {
    if (!t.getTypeArguments().isEmpty()) {
      throw unsupported(t, "a call with explicit type arguments",
          "call the method without them.");
    }
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : t.getArguments()) {
      args.add(expression(a));
    }
    ExpressionTree select = t.getMethodSelect();
    String name;
    List<TypeElement> owners = new ArrayList<>();
    if (select instanceof MemberSelectTree sel) {
      name = sel.getIdentifier().toString();
      Optional<TypeElement> owner = ownerType(sel.getExpression());
      if (owner.isEmpty()) {
        throw unsupported(t, "calling a method on a value ('" + sel.getExpression() + "')",
            "call static methods only.");
      }
      owners.add(owner.get());
    } else {
      name = ((IdentifierTree) select).getName().toString();
      if (!symbols.methods(symbols.enclosing(), name).isEmpty()) {
        owners.add(symbols.enclosing());
      }
      owners.addAll(symbols.staticImportOwners(name));
    }
    for (TypeElement owner : owners) {
      if (Symbols.isMathClass(owner)) {
        return intrinsic(name, args, t,
            owner.getQualifiedName().contentEquals("java.lang.StrictMath"));
      }
      ExecutableElement method = mostSpecific(symbols.methods(owner, name), args);
      if (method != null) {
        return call(owner, method, args, t);
      }
    }
    throw error(Message.UNKNOWN_METHOD, t, select.toString(), argumentTypes(args));
  }

  private Expr intrinsic(String name, List<Expr> args, MethodInvocationTree t, boolean strict) {
    Intrinsic fn = Intrinsic.byJavaName(name);
    if (fn == null) {
      throw error(Message.NOT_DIFFERENTIABLE_MATH, t, strict ? "StrictMath" : "Math", name);
    }
    Intrinsic.Overload overload = fn.resolve(Exprs.typesOf(args));
    if (overload == null) {
      throw error(Message.UNKNOWN_METHOD, t, "Math." + name, argumentTypes(args));
    }
    return new Expr.IntrinsicCall(fn, List.copyOf(args), overload.result(), strict,
        new Position(t));
  }

  private Expr call(TypeElement owner, ExecutableElement method, List<Expr> args,
      MethodInvocationTree t) {
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      throw unsupported(t, "calling instance method '" + method.getSimpleName() + "'",
          "call static methods only.");
    }
    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      throw error(Message.PRIVATE_MEMBER, t, "method '" + method.getSimpleName() + "'",
          symbols.enclosing().getSimpleName() + "Diff");
    }
    List<Type> parameterTypes = method.getParameters().stream()
        .map(p -> Symbols.type(p.asType())).toList();
    Type returnType = Symbols.type(method.getReturnType());
    if (returnType == null || parameterTypes.contains(null)) {
      throw unsupported(t, "calling '" + method.getSimpleName() + "' (its signature is not "
          + "primitive)", "call methods with primitive or array parameters and result.");
    }
    Optional<DifferentiableAnnotation> annotation = DifferentiableAnnotation.of(method);
    boolean differentiable = annotation.isPresent();
    List<String> parameterNames = method.getParameters().stream()
        .map(p -> p.getSimpleName().toString()).toList();
    List<Boolean> differentiates = new ArrayList<>();
    for (int i = 0; i < parameterTypes.size(); i++) {
      differentiates.add(differentiable && parameterTypes.get(i).carriesDerivatives()
          && annotation.get().differentiates(parameterNames.get(i)));
    }
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).type().isArray() && !differentiable) {
        throw error(Message.ARRAY_TO_PLAIN_METHOD, t.getArguments().get(i),
            t.getArguments().get(i), owner.getSimpleName() + "." + method.getSimpleName());
      }
    }
    if (differentiable && returnType != Type.VOID) {
      checkWrittenByCallee(owner, method, parameterNames, args, t);
    }
    Callee callee = new Callee(Symbols.packageOf(owner), owner.getSimpleName().toString(),
        method.getSimpleName().toString(), parameterNames, parameterTypes,
        List.copyOf(differentiates), returnType, differentiable,
        annotation.map(DifferentiableAnnotation::order).orElse(0), false);
    return new Expr.Call(callee, List.copyOf(args), new Position(t));
  }

  /**
   * A method returning a value that writes an array parameter works on a copy in its
   * derivative code, its entry points ending with a plain call: a call of it from a
   * differentiable method, whose derivative code calls those, cannot follow the write.
   */
  private void checkWrittenByCallee(TypeElement owner, ExecutableElement method,
      List<String> parameterNames, List<Expr> args, MethodInvocationTree t) {
    Set<String> arrays = new java.util.HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).type().isArray()) {
        arrays.add(parameterNames.get(i));
      }
    }
    if (arrays.isEmpty()) {
      return;
    }
    com.sun.source.tree.MethodTree source = WrittenParameters.source(symbols.unit(), method);
    if (source == null) {
      return;
    }
    Set<String> written = WrittenParameters.of(source, arrays, call -> {
      String name = call.getMethodSelect() instanceof IdentifierTree id
          ? id.getName().toString()
          : ((com.sun.source.tree.MemberSelectTree) call.getMethodSelect()).getIdentifier()
              .toString();
      return symbols.methods(owner, name).stream().map(m -> Symbols.type(m.getReturnType()))
          .anyMatch(r -> r == Type.VOID || r != null && r.isArray());
    });
    for (int i = 0; i < args.size(); i++) {
      if (written.contains(parameterNames.get(i))) {
        String callee = owner.getSimpleName() + "." + method.getSimpleName();
        throw error(Message.CALLEE_WRITES_ARRAY, t.getArguments().get(i), callee,
            parameterNames.get(i), callee, callee, args.get(i).type().javaName(),
            parameterNames.get(i));
      }
    }
  }

  private static ExecutableElement mostSpecific(List<ExecutableElement> candidates,
      List<Expr> args) {
    ExecutableElement best = null;
    for (ExecutableElement m : candidates) {
      if (m.getParameters().size() != args.size() || m.isVarArgs()) {
        continue;
      }
      boolean applicable = true;
      for (int i = 0; i < args.size() && applicable; i++) {
        Type p = Symbols.type(m.getParameters().get(i).asType());
        applicable = p != null && args.get(i).type().widensTo(p);
      }
      if (applicable && (best == null || moreSpecific(m, best))) {
        best = m;
      }
    }
    return best;
  }

  private static boolean moreSpecific(ExecutableElement a, ExecutableElement b) {
    for (int i = 0; i < a.getParameters().size(); i++) {
      Type pa = Symbols.type(a.getParameters().get(i).asType());
      Type pb = Symbols.type(b.getParameters().get(i).asType());
      if (pa == null || pb == null || !pa.widensTo(pb)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- typing helpers

  /** Checks assignment conversion (JLS 5.2) for a value stored into a {@code target} slot. */
  Expr assignable(Expr value, Type target, Tree at, String what) {
    if (value.type().widensTo(target)) {
      return value;
    }
    if (value instanceof Expr.Literal lit && value.type() == Type.INT && target.isIntegral()) {
      return value; // int constants narrow implicitly, as javac allows.
    }
    throw error(Message.TYPE_MISMATCH, at, what, target.javaName(), value.type().javaName());
  }

  /** The implicit narrowing of compound assignment: {@code x op= e} is {@code x = (T)(x op e)}. */
  static Expr narrowTo(Type target, Expr value, Tree at) {
    return value.type() == target ? value : new Expr.Cast(target, value, new Position(at));
  }

  private void requireType(Expr e, Type type, Tree at, String what) {
    if (e.type() != type) {
      throw error(Message.TYPE_MISMATCH, at, what, type.javaName(), e.type().javaName());
    }
  }

  private void requireNumeric(Expr e, Tree at) {
    if (!e.type().isNumeric()) {
      throw error(Message.TYPE_MISMATCH, at, "operand", "a number", e.type().javaName());
    }
  }

  private void requireIntegral(Expr e, Tree at) {
    if (!e.type().isIntegral()) {
      throw error(Message.TYPE_MISMATCH, at, "operand", "an integer", e.type().javaName());
    }
  }

  /** Checks that an array index is an int (or narrower). */
  void requireIndex(Expr index, Tree at) {
    if (!index.type().isIntegral() || index.type() == Type.LONG) {
      throw error(Message.TYPE_MISMATCH, at, "array index", "int", index.type().javaName());
    }
  }

  private static String argumentTypes(List<Expr> args) {
    return args.stream().map(a -> a.type().javaName()).collect(Collectors.joining(", "));
  }

  /** The operator of a binary tree, or null for one outside the subset. */
  static BinaryOp binaryOp(Tree.Kind k) {
    return switch (k) {
      case MULTIPLY -> BinaryOp.MULTIPLY;
      case DIVIDE -> BinaryOp.DIVIDE;
      case REMAINDER -> BinaryOp.REMAINDER;
      case PLUS -> BinaryOp.ADD;
      case MINUS -> BinaryOp.SUBTRACT;
      case LEFT_SHIFT -> BinaryOp.SHIFT_LEFT;
      case RIGHT_SHIFT -> BinaryOp.SHIFT_RIGHT;
      case UNSIGNED_RIGHT_SHIFT -> BinaryOp.UNSIGNED_SHIFT_RIGHT;
      case LESS_THAN -> BinaryOp.LESS;
      case LESS_THAN_EQUAL -> BinaryOp.LESS_EQUAL;
      case GREATER_THAN -> BinaryOp.GREATER;
      case GREATER_THAN_EQUAL -> BinaryOp.GREATER_EQUAL;
      case EQUAL_TO -> BinaryOp.EQUAL;
      case NOT_EQUAL_TO -> BinaryOp.NOT_EQUAL;
      case AND -> BinaryOp.AND;
      case XOR -> BinaryOp.XOR;
      case OR -> BinaryOp.OR;
      case CONDITIONAL_AND -> BinaryOp.CONDITIONAL_AND;
      case CONDITIONAL_OR -> BinaryOp.CONDITIONAL_OR;
      default -> null;
    };
  }

  // ---------------------------------------------------------------- reporting

  private Abort error(Message message, Tree at, Object... args) {
    return context.error(message, at, args);
  }

  private Abort unsupported(Tree at, String construct, String advice) {
    return context.unsupported(at, construct, advice);
  }
}
