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
import dev.adjoint.processor.ir.Identifiers;
import dev.adjoint.processor.ir.Intrinsic;
import dev.adjoint.processor.ir.ObjectShape;
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

  /**
   * Reads a call of a method returning a record ({@code step(s, p, dt)}, {@code s.advance(dt)})
   * used where a record is: the body reader, which reads the callee's body in place and holds
   * the record's components in fresh locals (scalar replacement, as for a record local).
   */
  interface RecordValueReader {
    /**
     * The method {@code call} calls when it returns a record the reader can read in place
     * ({@code receiver}: the record it is called on, if any); null otherwise. Reads nothing.
     */
    ExecutableElement recordMethod(MethodInvocationTree call, Optional<RecordRef> receiver);

    /** The record {@code call} returns, its statements appended to {@code effects}. */
    RecordRef record(MethodInvocationTree call, ExecutableElement method,
        Optional<RecordRef> receiver, List<Stmt> effects);
  }

  private RecordValueReader recordValueReader;

  void recordValueReader(RecordValueReader reader) {
    this.recordValueReader = reader;
  }

  /** A call returning a record, read in place before the statement; empty if not one. */
  private Optional<RecordRef> recordCall(MethodInvocationTree call) {
    if (recordValueReader == null) {
      return Optional.empty();
    }
    Optional<RecordRef> receiver = call.getMethodSelect() instanceof MemberSelectTree sel
        ? recordRef(sel.getExpression()) : Optional.empty();
    ExecutableElement method = recordValueReader.recordMethod(call, receiver);
    if (method == null) {
      return Optional.empty();
    }
    if (effects == null || conditional > 0) {
      throw unsupported(call, "a call of '" + method.getSimpleName() + "' (which returns a "
          + "record) " + (conditional > 0 ? "where Java evaluates it only sometimes ("
              + conditionalWhere + ")" : "here"), "declare a record "
          + "local holding its result (" + ((TypeElement) ((javax.lang.model.type.DeclaredType)
              method.getReturnType()).asElement()).getSimpleName() + " r = " + call + ";) "
          + "before this statement and read that.");
    }
    return Optional.of(recordValueReader.record(call, method, receiver, effects));
  }

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
    if (v != null && context.generator(v).isPresent()) {
      throw error(Message.GENERATOR_USE, t, "using '" + name + "' as a value",
          context.generator(v).get().kind().draws, "draw from it here (" + name
              + ".nextDouble()), and pass the numbers drawn, or the seed, rather than the "
              + "generator.");
    }
    if (v != null) {
      reads.add(v);
      return new Expr.Local(v);
    }
    if (context.poisoned(name)) {
      throw new Abort();
    }
    Optional<ObjectShape> record = context.record(name)
        .or(() -> context.recordAlias(name).map(RecordRef::shape));
    if (record.isPresent()) {
      throw recordAsValue(t, record.get());
    }
    Optional<ObjectShape> own = ownComponent(name);
    if (own.isPresent()) {
      // A component of this record, read by its field's name inside the record.
      checkFieldReadable(context.record(ObjectShape.THIS).get(), own.get(), t);
      return componentValue(own.get(), Optional.empty(), t, name);
    }
    Optional<VariableElement> field = symbols.unqualifiedField(name);
    if (field.isPresent()) {
      return fieldRead(field.get(), t);
    }
    throw error(Message.UNKNOWN_NAME, t, name);
  }

  private Expr memberSelect(MemberSelectTree t) {
    String member = t.getIdentifier().toString();
    Optional<RecordRef> base = recordRef(t.getExpression());
    if (base.isPresent()) {
      RecordRef r = base.get();
      if (member.equals("length") && r.array()) {
        List<Variable> leaves = r.shape().leaves();
        if (leaves.isEmpty()) {
          throw error(Message.RECORD_WITHOUT_NUMBERS, t, r.shape().simpleType());
        }
        reads.add(leaves.get(0));
        return new Expr.ArrayLength(new Expr.Local(leaves.get(0)));
      }
      if (!r.array() && r.shape().constantObject()) {
        // poly.c, this.c, bodies[i].mass: a final field of an instance of a final class.
        for (ObjectShape c : r.shape().components()) {
          if (c.name().equals(member)) {
            checkFieldReadable(r.shape(), c, t);
            if (c.kind() == ObjectShape.Kind.RECORD || c.kind() == ObjectShape.Kind.RECORD_ARRAY) {
              throw recordAsValue(t, c);
            }
            return componentValue(c, r.index(), t, t.toString());
          }
        }
        throw error(Message.UNKNOWN_NAME, t, t.toString());
      }
      if (!r.array() && r.shape().javaType().equals(
          symbols.enclosing().getQualifiedName().toString())) {
        // this.k or other.k inside the record itself: the component.
        for (ObjectShape c : r.shape().components()) {
          if (c.name().equals(member)) {
            if (c.kind() == ObjectShape.Kind.RECORD || c.kind() == ObjectShape.Kind.RECORD_ARRAY) {
              throw recordAsValue(t, c);
            }
            return componentValue(c, r.index(), t, t.toString());
          }
        }
      }
      throw error(Message.RECORD_FIELD_ACCESS, t, t.getExpression(), member,
          t.getExpression() + "." + member + "()");
    }
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
    if (field.getKind() == javax.lang.model.element.ElementKind.ENUM_CONSTANT) {
      // An enum constant is its ordinal, as enum parameters are.
      TypeElement e = (TypeElement) field.getEnclosingElement();
      // Printed OptionType.CALL.ordinal() where the generated class can see the enum.
      boolean visible = !e.getModifiers().contains(Modifier.PRIVATE);
      Expr constant = visible ? new Expr.FieldRead(e.getQualifiedName().toString(),
          field.getSimpleName() + ".ordinal()", Type.INT)
          : new Expr.Literal(Type.INT, ObjectTypes.ordinal(e, field.getSimpleName().toString()));
      context.declareEnumConstant(constant, e);
      return constant;
    }
    if (ObjectTypes.isObject(field.asType())) {
      throw error(Message.OBJECT_FIELD_READ, at, field.getSimpleName(), field.asType());
    }
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
      // A private table or computed constant is copied into the generated class.
      Optional<String> copy = symbols.helpers().privateConstant(field);
      if (copy.isPresent()) {
        return new Expr.FieldRead(copy.get(), field.getSimpleName().toString(), type);
      }
      throw error(Message.PRIVATE_MEMBER, at, "field '" + field.getSimpleName() + "'",
          Identifiers.diffClassName(owner.getSimpleName().toString()), PRIVATE_FIELD_ADVICE);
    }
    if (type.isArray() && !field.getModifiers().contains(Modifier.FINAL)) {
      throw error(Message.MUTABLE_FIELD_READ, at, field.getSimpleName());
    }
    return new Expr.FieldRead(owner.getQualifiedName().toString(),
        field.getSimpleName().toString(), type);
  }

  private static final String PRIVATE_FIELD_ADVICE = "it cannot be copied there either "
      + "(only a scalar or a table with an initializer list built from constants, "
      + "whose elements the class never writes, can be): make it package-private (or public)";
  private static final String PRIVATE_METHOD_ADVICE = "it cannot be copied there either (it is "
      + "overloaded or declared in a nested class, or its source is not part of this "
      + "compilation): make it package-private (or public)";

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
        Expr l = caseLabel(selector, label);
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
    Optional<TypeElement> enumType = enumOf(selector);
    if (otherwise == null && enumType.isPresent() && !values.isEmpty()
        && coversAll(enumType.get(), t)) {
      // Every constant has an arm (javac checks it): the last arm needs no test.
      conditions.remove(conditions.size() - 1);
      otherwise = values.remove(values.size() - 1);
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

  /** Whether the labels of a switch over enum {@code e} name each of its constants. */
  private static boolean coversAll(TypeElement e,
      com.sun.source.tree.SwitchExpressionTree t) {
    Set<String> named = new HashSet<>();
    for (com.sun.source.tree.CaseTree c : t.getCases()) {
      for (ExpressionTree label : c.getExpressions()) {
        named.add(label instanceof IdentifierTree id ? id.getName().toString() : "");
      }
    }
    boolean any = false;
    for (javax.lang.model.element.Element c : e.getEnclosedElements()) {
      if (c.getKind() == javax.lang.model.element.ElementKind.ENUM_CONSTANT) {
        any = true;
        if (!named.contains(c.getSimpleName().toString())) {
          return false;
        }
      }
    }
    return any;
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

  /** A draw from a generator local, hoisted before the statement (see {@link Generators}). */
  private Expr draw(Generators.Generator g, MemberSelectTree sel, MethodInvocationTree t) {
    String method = sel.getIdentifier().toString();
    String where = "drawing '" + sel + "()'";
    if (effects == null || conditional > 0) {
      throw error(Message.GENERATOR_USE, t, where, g.kind().draws, conditional > 0
          ? "Java evaluates it only sometimes (" + conditionalWhere + "); draw into a local "
              + "before, or in an if statement's branch."
          : "draw into a local in a statement of its own.");
    }
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : t.getArguments()) {
      args.add(assignable(expression(a), Type.INT, a, "bound of '" + sel + "'"));
    }
    return Generators.draw(g, method, args, effects, new Position(t)).orElseThrow(() -> error(
        Message.GENERATOR_USE, t, where, g.kind().draws, "use one of these draws (compute "
            + "other distributions from them, e.g. a normal by Box-Muller from nextDouble()) "
            + "or draw the numbers outside and pass them in an array."));
  }

  private Expr invocation(MethodInvocationTree t) {
    if (!t.getTypeArguments().isEmpty()) {
      throw unsupported(t, "a call with explicit type arguments",
          "call the method without them.");
    }
    ExpressionTree select = t.getMethodSelect();
    if (select instanceof MemberSelectTree sel && sel.getExpression() instanceof IdentifierTree g
        && scope.alias(g.getName().toString()).isEmpty()) {
      Variable v = scope.lookup(g.getName().toString());
      Optional<Generators.Generator> generator = v == null ? Optional.empty()
          : context.generator(v);
      if (generator.isPresent()) {
        return draw(generator.get(), sel, t);
      }
    }
    if (select instanceof MemberSelectTree sel) {
      Optional<RecordRef> receiver = recordRef(sel.getExpression());
      if (receiver.isPresent()) {
        return accessor(receiver.get(), sel, t);
      }
      Optional<TypeElement> enumType = enumReceiver(sel.getExpression());
      if (enumType.isPresent()) {
        throw error(Message.INSTANCE_CALL, t, sel.getIdentifier(), sel.getExpression(),
            "an enum value is a constant here: compare it (==) or switch on it.");
      }
    }
    if (select instanceof IdentifierTree id && context.record(ObjectShape.THIS).isPresent()) {
      String name = id.getName().toString();
      for (ExecutableElement m : symbols.methods(symbols.enclosing(), name)) {
        if (!m.getModifiers().contains(Modifier.STATIC)) {
          ObjectShape self = context.record(ObjectShape.THIS).get();
          return instanceCall(new RecordRef(self, Optional.empty(), false), name, t);
        }
      }
    }
    List<Expr> args = new ArrayList<>();
    List<RecordRef> recordArgs = new ArrayList<>();
    for (ExpressionTree a : t.getArguments()) {
      Optional<RecordRef> r = recordRef(a);
      recordArgs.add(r.orElse(null));
      args.add(r.isPresent() ? null : expression(a));
    }
    String name;
    List<TypeElement> owners = new ArrayList<>();
    if (select instanceof MemberSelectTree sel) {
      name = sel.getIdentifier().toString();
      Optional<TypeElement> owner = ownerType(sel.getExpression());
      if (owner.isEmpty()) {
        Tree.Kind k = sel.getExpression().getKind();
        boolean accessor = sel.getExpression() instanceof MethodInvocationTree inner
            && inner.getMethodSelect() instanceof MemberSelectTree innerSelect
            && recordRef(innerSelect.getExpression()).isPresent();
        Optional<TypeElement> virtual = keptComponentType(sel.getExpression())
            .filter(ObjectTypes::dispatches);
        if (virtual.isPresent()) {
          throw error(Message.VIRTUAL_CALL, t, name, sel.getExpression(),
              ObjectTypes.dispatchKind(virtual.get()));
        }
        if (accessor || k == Tree.Kind.IDENTIFIER || k == Tree.Kind.MEMBER_SELECT) {
          // What the receiver is may be the real problem (a String component, an object field).
          expression(sel.getExpression());
        }
        throw unsupported(t, "calling a method on a value ('" + sel.getExpression() + "')",
            "call static methods only.");
      }
      owners.add(owner.get());
    } else {
      name = ((IdentifierTree) select).getName().toString();
      if (!symbols.methods(symbols.enclosing(), name).isEmpty()) {
        owners.add(symbols.enclosing());
      } else {
        // Inside a record nested in a class, the class's methods (as Java resolves them).
        for (javax.lang.model.element.Element outer = symbols.enclosing().getEnclosingElement();
            outer instanceof TypeElement o; outer = o.getEnclosingElement()) {
          if (!symbols.methods(o, name).isEmpty()) {
            owners.add(o);
            break;
          }
        }
      }
      owners.addAll(symbols.staticImportOwners(name));
    }
    boolean objects = recordArgs.stream().anyMatch(r -> r != null);
    for (TypeElement owner : owners) {
      if (Symbols.isMathClass(owner) && !objects) {
        return intrinsic(name, args, t,
            owner.getQualifiedName().contentEquals("java.lang.StrictMath"));
      }
      ExecutableElement method = objects
          ? withRecords(symbols.methods(owner, name), args, recordArgs)
          : mostSpecific(symbols.methods(owner, name), args);
      if (method != null) {
        return call(owner, method, args, recordArgs, t);
      }
    }
    throw error(Message.UNKNOWN_METHOD, t, select.toString(), argumentTypes(args, recordArgs));
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

  private Expr call(TypeElement owner, ExecutableElement method, List<Expr> sourceArgs,
      List<RecordRef> recordArgs, MethodInvocationTree t) {
    return call(owner, method, sourceArgs, recordArgs, t, null);
  }

  private Expr call(TypeElement owner, ExecutableElement method, List<Expr> sourceArgs,
      List<RecordRef> recordArgs, MethodInvocationTree t, RecordRef receiver) {
    if (!method.getModifiers().contains(Modifier.STATIC) && receiver == null) {
      throw unsupported(t, "calling instance method '" + method.getSimpleName() + "'",
          "call static methods only.");
    }
    boolean isPrivate = method.getModifiers().contains(Modifier.PRIVATE);
    Optional<DifferentiableAnnotation> annotation = DifferentiableAnnotation.of(method);
    // A helper whose source is here is differentiated where it is called, as if annotated.
    boolean implicit = annotation.isEmpty() && symbols.helpers().differentiable(method);
    if (isPrivate && !implicit) {
      throw error(Message.PRIVATE_MEMBER, t, "method '" + method.getSimpleName() + "'",
          Identifiers.diffClassName(symbols.enclosing().getSimpleName().toString()),
          PRIVATE_METHOD_ADVICE);
    }
    // Record, record-array and enum parameters are flattened as the callee's own reader does.
    List<Type> parameterTypes = new ArrayList<>();
    List<String> parameterNames = new ArrayList<>();
    List<Boolean> differentiates = new ArrayList<>();
    List<Expr> args = new ArrayList<>();
    boolean objects = false;
    Set<String> taken = new HashSet<>();
    method.getParameters().forEach(p -> taken.add(p.getSimpleName().toString()));
    if (receiver != null) {
      // The receiver is the callee's implicit first record parameter.
      objects = true;
      ObjectShape self = ObjectTypes.shape(ObjectShape.THIS, owner.asType(), taken);
      List<Variable> varied = self.variedLeaves();
      for (Variable leaf : self.leaves()) {
        parameterTypes.add(leaf.type());
        parameterNames.add(leaf.name());
        differentiates.add(leaf.type().carriesDerivatives() && varied.contains(leaf)
            && annotation.map(a -> a.differentiates(ObjectShape.THIS)).orElse(true));
      }
      args.addAll(leafValues(receiver));
    }
    for (int i = 0; i < method.getParameters().size(); i++) {
      VariableElement p = method.getParameters().get(i);
      String pName = p.getSimpleName().toString();
      if (ObjectTypes.isObject(p.asType())) {
        objects = true;
        if (annotation.isEmpty()) {
          throw error(Message.OBJECT_TO_PLAIN_METHOD, t.getArguments().get(i),
              t.getArguments().get(i), owner.getSimpleName() + "." + method.getSimpleName());
        }
        Optional<String> problem = ObjectTypes.problem(p.asType());
        if (problem.isPresent()) {
          throw unsupported(t, "calling '" + method.getSimpleName() + "' (" + problem.get()
              + ")", "give its records double, float, array, record and constant components.");
        }
        taken.remove(pName);
        ObjectShape shape = ObjectTypes.shape(pName, p.asType(), taken);
        taken.add(pName);
        List<Variable> varied = shape.variedLeaves();
        for (Variable leaf : shape.leaves()) {
          parameterTypes.add(leaf.type());
          parameterNames.add(leaf.name());
          differentiates.add(leaf.type().carriesDerivatives() && varied.contains(leaf)
              && annotation.map(a -> a.differentiates(pName)).orElse(true));
        }
        if (recordArgs.get(i) != null) {
          args.addAll(leafValues(recordArgs.get(i)));
        } else {
          args.add(sourceArgs.get(i));
        }
        continue;
      }
      Type pt = Symbols.type(p.asType());
      if (pt == null) {
        throw unsupported(t, "calling '" + method.getSimpleName() + "' (its signature is not "
            + "primitive)", "call methods with primitive, array, record or enum parameters.");
      }
      parameterTypes.add(pt);
      parameterNames.add(pName);
      differentiates.add(pt.carriesDerivatives()
          && annotation.map(a -> a.differentiates(pName)).orElse(true));
      args.add(sourceArgs.get(i));
    }
    Type returnType = Symbols.type(method.getReturnType());
    if (returnType == null) {
      throw unsupported(t, "calling '" + method.getSimpleName() + "' (its signature is not "
          + "primitive)", "call methods with primitive or array parameters and result.");
    }
    // Derivatives flow through a helper from a floating parameter to its result, or, for a
    // void helper, into the floating arrays it writes.
    boolean carries = returnType == Type.VOID
        ? parameterTypes.stream().anyMatch(p -> p.isArray() && p.carriesDerivatives())
        : returnType.carriesDerivatives()
            && parameterTypes.stream().anyMatch(Type::carriesDerivatives);
    boolean differentiable = annotation.isPresent() || (implicit && carries);
    if (!differentiable) {
      differentiates.replaceAll(d -> false);
    }
    for (int i = 0; i < args.size() && !objects; i++) {
      if (args.get(i).type().isArray() && !differentiable) {
        throw error(Message.ARRAY_TO_PLAIN_METHOD, t.getArguments().get(i),
            t.getArguments().get(i), owner.getSimpleName() + "." + method.getSimpleName());
      }
    }
    if (differentiable && returnType != Type.VOID) {
      checkWrittenByCallee(owner, method, parameterNames, args, t);
    }
    for (int i = 0; i < args.size(); i++) {
      if (returnType == Type.VOID && args.get(i).type() == Type.BOOLEAN_ARRAY) {
        throw unsupported(t.getArguments().get(i), "passing boolean[] '"
            + t.getArguments().get(i) + "' to a void helper (which could write it)",
            "boolean[] arrays are read-only: pass it to methods that return a value.");
      }
    }
    if (implicit) {
      symbols.helpers().called(method);
    }
    int order = annotation.map(DifferentiableAnnotation::order)
        .orElse(differentiable ? Callee.IMPLICIT_ORDER : 0);
    // A private helper is called through the copy of it in the generated class; a callee with
    // object parameters through its flat form in <Owner>Diff, which takes the components (the
    // user's method takes the objects).
    Callee callee = new Callee(Symbols.packageOf(owner), owner.getSimpleName().toString(),
        method.getSimpleName().toString(), List.copyOf(parameterNames),
        List.copyOf(parameterTypes), List.copyOf(differentiates), returnType, differentiable,
        order, objects || implicit && isPrivate);
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
    com.sun.source.tree.MethodTree source = symbols.helpers().source(method)
        .orElse(WrittenParameters.source(symbols.unit(), method));
    if (source == null) {
      // A class file (which may not keep parameter names): its generated class says which
      // array parameters it writes, by position and name.
      java.util.Map<Integer, String> byPosition = symbols.writtenArrays(owner, method);
      List<String> names = new ArrayList<>(parameterNames);
      byPosition.forEach((i, name) -> {
        if (i < names.size()) {
          names.set(i, name);
        }
      });
      reportWritten(owner, method, Set.copyOf(byPosition.values()), names, args, t);
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
    reportWritten(owner, method, written, parameterNames, args, t);
  }

  private void reportWritten(TypeElement owner, ExecutableElement method, Set<String> written,
      List<String> parameterNames, List<Expr> args, MethodInvocationTree t) {
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
        Type p = parameterType(m.getParameters().get(i).asType());
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
      Type pa = parameterType(a.getParameters().get(i).asType());
      Type pb = parameterType(b.getParameters().get(i).asType());
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

  private static String argumentTypes(List<Expr> args, List<RecordRef> records) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      out.add(records.get(i) != null ? records.get(i).shape().simpleType()
          + (records.get(i).array() ? "[]" : "") : args.get(i).type().javaName());
    }
    return String.join(", ", out);
  }

  // ---------------------------------------------------------------- records and enums

  /**
   * A record value the body names without computing it: a record parameter, an element of a
   * record array, a component that is a record; or a whole record array ({@code array}).
   *
   * @param shape the record's shape (for an array, its element's components)
   * @param index the element's index, for an element of a record array
   * @param array whether this is the whole array
   */
  record RecordRef(ObjectShape shape, Optional<Expr> index, boolean array) {}

  /**
   * The record {@code t} names, if it names one: {@code p}, {@code flows[i]},
   * {@code p.inner()}, {@code bond.flows()}. Reads nothing when it does not.
   */
  Optional<RecordRef> recordRef(ExpressionTree t) {
    switch (t.getKind()) {
      case PARENTHESIZED:
        return recordRef(((ParenthesizedTree) t).getExpression());
      case IDENTIFIER: {
        String name = ((IdentifierTree) t).getName().toString();
        if (scope.lookup(name) != null) {
          return Optional.empty();
        }
        Optional<RecordRef> alias = context.recordAlias(name);
        if (alias.isPresent()) {
          for (Variable v : alias.get().index().map(Exprs::variables).orElse(Set.of())) {
            reads.add(v);
          }
          return alias;
        }
        Optional<ObjectShape> named = context.record(name);
        if (named.isEmpty()) {
          named = ownComponent(name).filter(c -> c.kind() == ObjectShape.Kind.RECORD
              || c.kind() == ObjectShape.Kind.RECORD_ARRAY);
        }
        return named.map(s -> new RecordRef(s, Optional.empty(),
            s.kind() == ObjectShape.Kind.RECORD_ARRAY));
      }
      case ARRAY_ACCESS: {
        ArrayAccessTree access = (ArrayAccessTree) t;
        Optional<RecordRef> base = recordRef(access.getExpression());
        if (base.isEmpty() || !base.get().array()) {
          return Optional.empty();
        }
        Expr index = expression(access.getIndex());
        requireIndex(index, access.getIndex());
        return Optional.of(new RecordRef(base.get().shape(), Optional.of(index), false));
      }
      case MEMBER_SELECT: {
        // holder.params, this.bodies: an object-valued field of an instance of a final class.
        MemberSelectTree sel = (MemberSelectTree) t;
        if (sel.getExpression() instanceof IdentifierTree q
            && scope.lookup(q.getName().toString()) != null) {
          return Optional.empty();
        }
        Optional<RecordRef> base = recordRef(sel.getExpression());
        if (base.isEmpty() || base.get().array() || !base.get().shape().constantObject()) {
          return Optional.empty();
        }
        for (ObjectShape c : base.get().shape().components()) {
          if (c.name().contentEquals(sel.getIdentifier())) {
            if (c.kind() == ObjectShape.Kind.RECORD) {
              return Optional.of(new RecordRef(c, base.get().index(), false));
            }
            if (c.kind() == ObjectShape.Kind.RECORD_ARRAY && base.get().index().isEmpty()) {
              return Optional.of(new RecordRef(c, Optional.empty(), true));
            }
          }
        }
        return Optional.empty();
      }
      case METHOD_INVOCATION: {
        MethodInvocationTree call = (MethodInvocationTree) t;
        Optional<RecordRef> returned = recordCall(call);
        if (returned.isPresent()) {
          return returned;
        }
        if (!call.getArguments().isEmpty()
            || !(call.getMethodSelect() instanceof MemberSelectTree sel)) {
          return Optional.empty();
        }
        Optional<RecordRef> base = recordRef(sel.getExpression());
        if (base.isEmpty() || base.get().array() || base.get().shape().constantObject()) {
          return Optional.empty();
        }
        ObjectShape c = component(base.get(), sel, call);
        if (c.kind() == ObjectShape.Kind.RECORD) {
          return Optional.of(new RecordRef(c, base.get().index(), false));
        }
        if (c.kind() == ObjectShape.Kind.RECORD_ARRAY && base.get().index().isEmpty()) {
          return Optional.of(new RecordRef(c, Optional.empty(), true));
        }
        return Optional.empty();
      }
      default:
        return Optional.empty();
    }
  }

  /**
   * The first component array of the record array {@code r} (named by {@code at}): what its
   * length and a loop over it read.
   */
  Expr recordArrayLength(Tree at, RecordRef r) {
    List<Variable> leaves = r.shape().leaves();
    if (leaves.isEmpty()) {
      throw error(Message.RECORD_WITHOUT_NUMBERS, at, r.shape().simpleType());
    }
    reads.add(leaves.get(0));
    return new Expr.Local(leaves.get(0));
  }

  /** {@code curve.times()}: a record's array component, when {@code t} is one. */
  Optional<Expr> arrayComponent(ExpressionTree t) {
    if (!(t instanceof MethodInvocationTree call) || !call.getArguments().isEmpty()
        || !(call.getMethodSelect() instanceof MemberSelectTree sel)) {
      return Optional.empty();
    }
    Optional<RecordRef> base = recordRef(sel.getExpression());
    if (base.isEmpty() || base.get().array() || base.get().shape().constantObject()) {
      return Optional.empty();
    }
    ObjectShape c = component(base.get(), sel, call);
    if (c.kind() != ObjectShape.Kind.VALUE || !c.leaf().orElseThrow().type().isArray()) {
      return Optional.empty();
    }
    return Optional.of(leafValue(c.leaf().get(), base.get().index()));
  }

  private ObjectShape component(RecordRef r, MemberSelectTree sel, Tree at) {
    String name = sel.getIdentifier().toString();
    for (ObjectShape c : r.shape().components()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw error(Message.INSTANCE_CALL, at, name, sel.getExpression(),
        "only the accessors of a record's components can be called on it.");
  }

  /** {@code p.k()}, {@code flows[i].amount()}: a component's value. */
  private Expr accessor(RecordRef r, MemberSelectTree sel, MethodInvocationTree t) {
    if (r.array()) {
      throw error(Message.INSTANCE_CALL, t, sel.getIdentifier(), sel.getExpression(),
          "index the array first (" + sel.getExpression() + "[i]." + sel.getIdentifier()
              + "()).");
    }
    String name = sel.getIdentifier().toString();
    boolean isComponent = t.getArguments().isEmpty() && !r.shape().constantObject()
        && r.shape().components().stream().anyMatch(c -> c.name().equals(name));
    if (!isComponent) {
      return instanceCall(r, name, t);
    }
    ObjectShape c = component(r, sel, t);
    return componentValue(c, r.index(), t, sel.getExpression() + "." + c.name() + "()");
  }

  /** The value of component {@code c} (of an element at {@code index} of a record array). */
  private Expr componentValue(ObjectShape c, Optional<Expr> index, Tree at, String what) {
    switch (c.kind()) {
      case VALUE:
      case ENUM:
        return leafValue(c.leaf().orElseThrow(), index);
      case KEPT:
        throw error(Message.KEPT_COMPONENT_READ, at, what, c.javaType());
      default:
        throw recordAsValue(at, c);
    }
  }

  /** A component of the record whose instance method is being read, by name. */
  private Optional<ObjectShape> ownComponent(String name) {
    return context.record(ObjectShape.THIS)
        .flatMap(self -> self.components().stream().filter(c -> c.name().equals(name))
            .findFirst());
  }

  /**
   * {@code bodies[i].energy()}, {@code p.norm(x)}, or {@code norm(x)} inside the record: a
   * {@code @Differentiable} instance method of the record, called with the receiver as its
   * implicit first argument (records are final: the call cannot dispatch elsewhere).
   */
  private Expr instanceCall(RecordRef receiver, String name, MethodInvocationTree t) {
    Object where = t.getMethodSelect() instanceof MemberSelectTree s ? s.getExpression()
        : ObjectShape.THIS;
    if (receiver.array()) {
      throw error(Message.INSTANCE_CALL, t, name, where,
          "index the array first (" + where + "[i]." + name + "(...)).");
    }
    Optional<TypeElement> type = symbols.typeElement(receiver.shape().javaType());
    List<ExecutableElement> candidates = type.map(r -> symbols.methods(r, name).stream()
        .filter(m -> !m.getModifiers().contains(Modifier.STATIC)
            && m.getEnclosingElement().equals(r)
            && !List.of("hashCode", "toString", "equals").contains(name)).toList())
        .orElse(List.of());
    List<Expr> args = new ArrayList<>();
    List<RecordRef> recordArgs = new ArrayList<>();
    for (ExpressionTree a : t.getArguments()) {
      Optional<RecordRef> r = recordRef(a);
      recordArgs.add(r.orElse(null));
      args.add(r.isPresent() ? null : expression(a));
    }
    ExecutableElement method = withRecords(candidates, args, recordArgs);
    if (method == null && receiver.shape().constantObject()) {
      throw error(Message.INSTANCE_CALL, t, name, where, "only the instance methods that "
          + receiver.shape().simpleType() + " declares itself can be called on it.");
    }
    if (method == null) {
      throw error(Message.INSTANCE_CALL, t, name, where,
          "only the accessors of a record's components and its @Differentiable instance "
              + "methods can be called on it.");
    }
    if (DifferentiableAnnotation.of(method).isEmpty() && receiver.shape().constantObject()) {
      // A getter of a final class (return f; or return this.f;) is the field it returns.
      Optional<ObjectShape> field = getterField(method, receiver.shape());
      if (field.isPresent()) {
        checkFieldReadable(receiver.shape(), field.get(), t);
        return componentValue(field.get(), receiver.index(), t, t.toString());
      }
      if (symbols.helpers().differentiable(method)) {
        // Its source is here: differentiated where it is called, as static helpers are.
        return call(type.get(), method, args, recordArgs, t, receiver);
      }
      throw error(Message.INSTANCE_CALL, t, name, where, "'" + name + "' is not "
          + "@Differentiable and cannot be differentiated where it is called (its source is not "
          + "part of this compilation, it is overloaded, or its class is nested); annotate it "
          + "(its receiver becomes an implicit constant parameter).");
    }
    if (DifferentiableAnnotation.of(method).isEmpty()) {
      throw error(Message.INSTANCE_CALL, t, name, where, "'" + name + "' is not "
          + "@Differentiable; annotate it (this becomes its implicit record parameter).");
    }
    return call(type.get(), method, args, recordArgs, t, receiver);
  }

  /**
   * The field {@code method}, an instance method of the final class of {@code shape}, returns
   * when its body is {@code return f;} or {@code return this.f;}; empty otherwise (or when its
   * source is not part of this compilation).
   */
  private Optional<ObjectShape> getterField(ExecutableElement method, ObjectShape shape) {
    if (!method.getParameters().isEmpty()) {
      return Optional.empty();
    }
    com.sun.source.tree.MethodTree source = symbols.helpers().source(method)
        .orElse(WrittenParameters.source(symbols.unit(), method));
    if (source == null || source.getBody() == null
        || source.getBody().getStatements().size() != 1
        || !(source.getBody().getStatements().get(0)
            instanceof com.sun.source.tree.ReturnTree ret)
        || ret.getExpression() == null) {
      return Optional.empty();
    }
    ExpressionTree e = ret.getExpression();
    while (e instanceof ParenthesizedTree p) {
      e = p.getExpression();
    }
    String field = e instanceof IdentifierTree id ? id.getName().toString()
        : e instanceof MemberSelectTree sel && sel.getExpression() instanceof IdentifierTree q
            && q.getName().contentEquals("this") ? sel.getIdentifier().toString() : null;
    return shape.components().stream().filter(c -> c.name().equals(field)).findFirst()
        .filter(c -> c.kind() != ObjectShape.Kind.RECORD
            && c.kind() != ObjectShape.Kind.RECORD_ARRAY);
  }

  /**
   * The declared type of the record component or final-class field {@code t} names when it is
   * one the stages do not carry ({@link ObjectShape.Kind#KEPT}: a {@code String}, an
   * interface, a class that is not final); reads nothing.
   */
  private Optional<TypeElement> keptComponentType(ExpressionTree t) {
    Optional<ObjectShape> kept = Optional.empty();
    if (t instanceof IdentifierTree id && scope.lookup(id.getName().toString()) == null) {
      kept = ownComponent(id.getName().toString());
    } else if (t instanceof MemberSelectTree sel) {
      kept = recordRef(sel.getExpression()).filter(r -> !r.array())
          .flatMap(r -> r.shape().components().stream()
              .filter(c -> c.name().contentEquals(sel.getIdentifier())).findFirst());
    } else if (t instanceof MethodInvocationTree call && call.getArguments().isEmpty()
        && call.getMethodSelect() instanceof MemberSelectTree sel) {
      kept = recordRef(sel.getExpression()).filter(r -> !r.array()
              && !r.shape().constantObject())
          .flatMap(r -> r.shape().components().stream()
              .filter(c -> c.name().contentEquals(sel.getIdentifier())).findFirst());
    }
    return kept.filter(c -> c.kind() == ObjectShape.Kind.KEPT)
        .flatMap(c -> symbols.typeElement(c.javaType().replaceAll("<.*", "")));
  }

  /**
   * Reports, at {@code at}, a read of field {@code c} of an instance of a final class
   * ({@code owner}) that differentiable code cannot read: not final, or of a type outside the
   * contract.
   */
  private void checkFieldReadable(ObjectShape owner, ObjectShape c, Tree at) {
    if (!owner.constantObject() || c.kind() != ObjectShape.Kind.KEPT) {
      return;
    }
    Optional<TypeElement> type = symbols.typeElement(owner.javaType());
    Optional<VariableElement> field = type.flatMap(t -> ObjectTypes.instanceFields(t).stream()
        .filter(f -> f.getSimpleName().contentEquals(c.name())).findFirst());
    String why = field.flatMap(f -> ObjectTypes.fieldProblem(f,
        owner.kind() == ObjectShape.Kind.RECORD_ARRAY))
        .orElse("its type " + c.javaType() + " is outside the contract");
    throw error(Message.CLASS_FIELD_READ, at, c.name(), owner.simpleType(), why);
  }

  private Expr leafValue(Variable leaf, Optional<Expr> index) {
    reads.add(leaf);
    Expr local = new Expr.Local(leaf);
    return index.<Expr>map(i -> new Expr.ArrayRead(local, i, leaf.type().element()))
        .orElse(local);
  }

  /** The flat values a record argument stands for, in the callee's parameter order. */
  List<Expr> leafValues(RecordRef r) {
    List<Expr> out = new ArrayList<>();
    for (Variable leaf : r.shape().leaves()) {
      out.add(leafValue(leaf, r.index()));
    }
    return out;
  }

  private Abort recordAsValue(Tree at, ObjectShape shape) {
    return error(Message.RECORD_AS_VALUE, at, at, shape.simpleType()
        + (shape.kind() == ObjectShape.Kind.RECORD_ARRAY ? "[]" : ""));
  }

  /** The enum class a value's ordinal belongs to, when the reader knows it. */
  Optional<TypeElement> enumOf(Expr e) {
    if (e instanceof Expr.Local l) {
      return context.enumOf(l.variable());
    }
    if (e instanceof Expr.ArrayRead a && a.array() instanceof Expr.Local l) {
      return context.enumOf(l.variable());
    }
    if (e instanceof Expr.Conditional c) {
      Optional<TypeElement> t = enumOf(c.whenTrue());
      return t.isPresent() ? t : enumOf(c.whenFalse());
    }
    return context.enumConstant(e);
  }

  /** The enum class of a method's receiver when it is an enum value, without reading it. */
  private Optional<TypeElement> enumReceiver(ExpressionTree t) {
    if (t instanceof IdentifierTree id) {
      Variable v = scope.lookup(id.getName().toString());
      return v == null ? Optional.empty() : context.enumOf(v);
    }
    return Optional.empty();
  }

  /**
   * A case label: a constant, or for a switch over an enum, the constant's bare name
   * ({@code case CALL}), which is its ordinal.
   */
  Expr caseLabel(Expr selector, ExpressionTree label) {
    Optional<TypeElement> e = enumOf(selector);
    if (e.isPresent() && label instanceof IdentifierTree id) {
      int ordinal = ObjectTypes.ordinal(e.get(), id.getName().toString());
      if (ordinal < 0) {
        throw error(Message.UNKNOWN_NAME, label, e.get().getSimpleName() + "." + id.getName());
      }
      Expr constant = e.get().getModifiers().contains(Modifier.PRIVATE)
          ? new Expr.Literal(Type.INT, ordinal)
          : new Expr.FieldRead(e.get().getQualifiedName().toString(),
              id.getName() + ".ordinal()", Type.INT);
      context.declareEnumConstant(constant, e.get());
      return constant;
    }
    return expression(label);
  }

  /**
   * The one method named so that takes these arguments, some of them records: no overloads
   * are considered (a record argument matches its own record type only).
   */
  private static ExecutableElement withRecords(List<ExecutableElement> candidates,
      List<Expr> args, List<RecordRef> records) {
    for (ExecutableElement m : candidates) {
      if (m.getParameters().size() != args.size() || m.isVarArgs()) {
        continue;
      }
      boolean applicable = true;
      for (int i = 0; i < args.size() && applicable; i++) {
        javax.lang.model.type.TypeMirror pt = m.getParameters().get(i).asType();
        RecordRef r = records.get(i);
        if (r != null) {
          TypeElement want = r.array() ? ObjectTypes.recordArrayElement(pt)
              : ObjectTypes.declared(pt);
          applicable = want != null && want.getQualifiedName().contentEquals(
              r.shape().javaType());
        } else {
          Type p = parameterType(pt);
          applicable = p != null && args.get(i).type().widensTo(p);
        }
      }
      if (applicable) {
        return m;
      }
    }
    return null;
  }

  /** The IR type of a parameter: an enum's is its ordinal's. */
  private static Type parameterType(javax.lang.model.type.TypeMirror t) {
    Type p = Symbols.type(t);
    return p != null ? p : ObjectTypes.isEnum(ObjectTypes.declared(t)) ? Type.INT : null;
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
