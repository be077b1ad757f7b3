package dev.adjoint.processor.read;

import static dev.adjoint.processor.read.ExpressionReader.binaryOp;
import static dev.adjoint.processor.read.ExpressionReader.narrowTo;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import dev.adjoint.processor.diagnostics.Abort;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Expr.BinaryOp;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.ObjectShape;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.ir.Variable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Name;
import javax.lang.model.element.VariableElement;

/**
 * Reads a method body (a javac parse tree, not yet attributed) into the typed IR, checking the
 * supported subset and typing every expression itself. Anything outside the subset is
 * reported at its exact position and abandons the method ({@link Abort}).
 *
 * <p>This class reads the method, its statements and declarations; {@link ExpressionReader}
 * reads the expressions within them.
 */
public final class BodyReader {

  private final Symbols symbols;
  private final ReadContext context;
  private final Scope scope;
  private final ExpressionReader expressions;

  /** Every local the body declares, for {@code retain}. */
  private final List<Variable> declaredLocals = new ArrayList<>();

  /** Labels of the loops around the statement being read ("" for an unlabelled loop). */
  private final Deque<String> loops = new ArrayDeque<>();

  private Type returnTypeOfMethod;

  /** The user's parameters and the flat IR parameters each stands for. */
  private final List<ObjectShape> signature = new ArrayList<>();

  /**
   * The method's parameters as the user declared them, each with the flat IR parameters it
   * stands for (records, record arrays and enums are flattened); after {@link #read}.
   */
  public List<ObjectShape> signature() {
    return List.copyOf(signature);
  }

  /**
   * {@code CashFlow f = flows[i];}, {@code Inner in = o.inner();}, {@code var q = p;}: a name
   * for a record the method already has, read in place. An element's index is kept in a local
   * of its own ({@code fIndex}), so that changing {@code i} later does not move {@code f}.
   */
  private Optional<Stmt> recordLocal(VariableTree t, Position pos) {
    Tree typeTree = t.getType();
    boolean inferred = typeTree == null || typeTree.toString().equals("var");
    boolean recordType = !inferred && typeTree.getKind() != Tree.Kind.ARRAY_TYPE
        && !(typeTree instanceof PrimitiveTypeTree)
        && symbols.resolveType(typeTree).filter(ObjectTypes::isRecord).isPresent();
    if (!recordType && !inferred || t.getInitializer() == null) {
      if (recordType) {
        throw error(Message.RECORD_AS_VALUE, t, t.getName(), typeTree);
      }
      return Optional.empty();
    }
    Optional<ExpressionReader.RecordRef> ref = expressions.recordRef(t.getInitializer());
    if (ref.isEmpty() || ref.get().array()) {
      if (recordType) {
        throw error(Message.RECORD_AS_VALUE, t.getInitializer(), t.getInitializer(),
            typeTree);
      }
      return Optional.empty();
    }
    String name = t.getName().toString();
    if (ref.get().index().isEmpty()) {
      context.declareRecordAlias(name, ref.get());
      return Optional.of(Stmt.Block.of(List.of()));
    }
    Variable index = new Variable(name + "Index", Type.INT, Variable.Kind.LOCAL);
    scope.declare(index);
    context.declareRecordAlias(name, new ExpressionReader.RecordRef(ref.get().shape(),
        Optional.of(new Expr.Local(index)), false));
    return Optional.of(new Stmt.Declare(index, ref.get().index(), pos));
  }

  /** The record the method returns, or null. */
  private javax.lang.model.element.TypeElement resultRecord;

  /**
   * {@code return new R(a, new S(b), c);} at the end of a method returning a record:
   * {@code double[] value = {a, b, c}; return value;}, the form of a vector output.
   */
  private void recordReturn(ReturnTree t, Position pos, List<Stmt> out) {
    if (scope.depth() != 2 || !(t.getExpression() instanceof com.sun.source.tree.NewClassTree)) {
      throw error(Message.RECORD_RESULT_FORM, t, resultRecord.getSimpleName());
    }
    Variable value = new Variable("value", Type.DOUBLE_ARRAY, Variable.Kind.LOCAL);
    hoisted(out, t, () -> {
      List<Expr> leaves = new ArrayList<>();
      recordLeaves((com.sun.source.tree.NewClassTree) t.getExpression(), resultRecord, leaves);
      return new Stmt.Declare(value, new Expr.NewArray(Type.DOUBLE_ARRAY, List.of(), leaves),
          pos);
    });
    out.add(new Stmt.Return(Optional.of(new Expr.Local(value)), pos));
  }

  private void recordLeaves(com.sun.source.tree.NewClassTree n,
      javax.lang.model.element.TypeElement record, List<Expr> out) {
    if (!symbols.resolveType(n.getIdentifier()).map(record::equals).orElse(false)
        || n.getClassBody() != null) {
      throw error(Message.RECORD_RESULT_FORM, n, record.getSimpleName());
    }
    var components = record.getRecordComponents();
    for (int i = 0; i < components.size(); i++) {
      ExpressionTree arg = n.getArguments().get(i);
      var nested = ObjectTypes.declared(components.get(i).asType());
      if (ObjectTypes.isRecord(nested)) {
        if (!(arg instanceof com.sun.source.tree.NewClassTree inner)) {
          throw error(Message.RECORD_RESULT_FORM, arg, nested.getSimpleName());
        }
        recordLeaves(inner, nested, out);
      } else {
        out.add(expressions.assignable(expressions.expression(arg), Type.DOUBLE, arg,
            "component '" + components.get(i).getSimpleName() + "'"));
      }
    }
  }

  /** Makes an object parameter's name and its enum leaves known to the expression reader. */
  private void declareObject(ObjectShape shape) {
    if (shape.kind() == ObjectShape.Kind.ENUM) {
      Variable v = shape.leaf().orElseThrow();
      scope.declare(v);
      symbols.typeElement(shape.javaType()).ifPresent(e -> context.declareEnum(v, e));
      return;
    }
    context.declareRecord(shape);
    declareEnumLeaves(shape);
  }

  private void declareEnumLeaves(ObjectShape shape) {
    if (shape.kind() == ObjectShape.Kind.ENUM) {
      symbols.typeElement(shape.javaType())
          .ifPresent(e -> context.declareEnum(shape.leaf().orElseThrow(), e));
    }
    shape.components().forEach(this::declareEnumLeaves);
  }

  /** Reads one method of the class {@code symbols} describes, reporting what it cannot read. */
  public BodyReader(Symbols symbols, Reporter reporter) {
    this.symbols = symbols;
    this.context = new ReadContext(symbols, reporter);
    this.scope = context.scope();
    this.expressions = new ExpressionReader(context);
    this.expressions.effectReader(this::effect);
  }

  /**
   * The signature of a method whose adjoint the user wrote ({@code @CustomAdjoint}): its body
   * is never read, it may be anything.
   */
  public static MethodIr signatureOnly(Symbols symbols, ExecutableElement method) {
    List<Variable> parameters = new ArrayList<>();
    for (VariableElement p : method.getParameters()) {
      parameters.add(new Variable(p.getSimpleName().toString(), Symbols.type(p.asType()),
          Variable.Kind.PARAMETER));
    }
    DifferentiableAnnotation annotation = DifferentiableAnnotation.of(method).orElseThrow();
    List<Variable> differentiated = parameters.stream()
        .filter(p -> p.type().carriesDerivatives() && annotation.differentiates(p.name()))
        .toList();
    return new MethodIr(symbols.packageName(), symbols.enclosing().getSimpleName().toString(),
        method.getSimpleName().toString(), List.copyOf(parameters),
        Symbols.type(method.getReturnType()), Stmt.Block.of(List.of()), null, differentiated,
        List.of());
  }

  /** Reads a validated method: static, primitive parameters, double or float result. */
  public MethodIr read(ExecutableElement method, MethodTree tree) {
    List<Variable> parameters = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    method.getParameters().forEach(p -> taken.add(p.getSimpleName().toString()));
    DifferentiableAnnotation wrt = DifferentiableAnnotation.of(method).orElseThrow();
    List<Variable> differentiatedLeaves = new ArrayList<>();
    if (!method.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
      // An instance method of a record: this is an implicit first parameter, named "this".
      ObjectShape shape = ObjectTypes.shape(ObjectShape.THIS,
          method.getEnclosingElement().asType(), taken);
      signature.add(shape);
      declareObject(shape);
      for (Variable leaf : shape.leaves()) {
        parameters.add(leaf);
        if (leaf.type().carriesDerivatives() && wrt.differentiates(ObjectShape.THIS)) {
          differentiatedLeaves.add(leaf);
        }
      }
    }
    for (VariableElement p : method.getParameters()) {
      String name = p.getSimpleName().toString();
      if (ObjectTypes.isObject(p.asType())) {
        // A record, an array of records or an enum: its flat components (scalar replacement).
        taken.remove(name);
        ObjectShape shape = ObjectTypes.shape(name, p.asType(), taken);
        taken.add(name);
        signature.add(shape);
        declareObject(shape);
        for (Variable leaf : shape.leaves()) {
          parameters.add(leaf);
          if (leaf.type().carriesDerivatives() && wrt.differentiates(name)) {
            differentiatedLeaves.add(leaf);
          }
        }
        continue;
      }
      Variable v = new Variable(name, Symbols.type(p.asType()), Variable.Kind.PARAMETER);
      parameters.add(v);
      scope.declare(v);
      signature.add(ObjectShape.value(v, p.asType().toString()));
      if (v.type().carriesDerivatives() && wrt.differentiates(name)) {
        differentiatedLeaves.add(v);
      }
    }
    Type returnType = Symbols.type(method.getReturnType());
    if (ObjectTypes.isRecord(ObjectTypes.declared(method.getReturnType()))) {
      // A record of doubles is returned as the double[] of its components (a vector output).
      resultRecord = ObjectTypes.declared(method.getReturnType());
      returnType = Type.DOUBLE_ARRAY;
    }
    returnTypeOfMethod = returnType;
    Stmt.Block body = block(tree.getBody().getStatements());
    if (resultRecord != null) {
      signature.add(ObjectTypes.resultShape(method.getReturnType()));
    }
    if (returnType.isArray()) {
      checkArrayResult(body, tree);
    }
    DifferentiableAnnotation annotation = DifferentiableAnnotation.of(method).orElseThrow();
    List<Variable> differentiated = List.copyOf(differentiatedLeaves);
    List<Variable> retained = new ArrayList<>();
    for (String name : annotation.retain()) {
      List<Variable> candidates = declaredLocals.stream()
          .filter(v -> v.name().equals(name)).toList();
      if (candidates.size() != 1 || !candidates.get(0).type().isFloating()) {
        String choices = declaredLocals.stream().filter(v -> v.type().isFloating())
            .map(Variable::name)
            .filter(n -> declaredLocals.stream().filter(v -> v.name().equals(n)).count() == 1)
            .collect(Collectors.joining(", "));
        Tree at = tree.getModifiers().getAnnotations().stream()
            .filter(a -> a.getAnnotationType().toString().endsWith("Differentiable"))
            .findFirst().map(Tree.class::cast).orElse(tree);
        throw error(Message.UNKNOWN_RETAIN, at, name, method.getSimpleName(),
            choices.isEmpty() ? "(none)" : choices);
      }
      retained.add(candidates.get(0));
    }
    return new MethodIr(
        symbols.packageName(),
        symbols.enclosing().getSimpleName().toString(),
        method.getSimpleName().toString(),
        List.copyOf(parameters),
        returnType,
        body,
        null,
        differentiated,
        List.copyOf(retained));
  }

  /** An array result is one local array, returned once, at the end. */
  private void checkArrayResult(Stmt.Block body, MethodTree tree) {
    List<Stmt> stmts = body.statements();
    Stmt last = stmts.isEmpty() ? null : stmts.get(stmts.size() - 1);
    boolean ok = last instanceof Stmt.Return r && r.value().orElse(null) instanceof Expr.Local l
        && l.variable().kind() == Variable.Kind.LOCAL;
    Optional<Stmt.Return> early = Optional.empty();
    for (int i = 0; early.isEmpty() && i < stmts.size() - 1; i++) {
      early = Statements.find(stmts.get(i), Stmt.Return.class);
    }
    if (!ok || early.isPresent()) {
      Tree at = early.map(r -> (Tree) r.position().tree())
          .orElse(last instanceof Stmt.Return r ? (Tree) r.position().tree() : tree);
      throw error(Message.ARRAY_RESULT_FORM, at);
    }
  }

  // ---------------------------------------------------------------- statements

  /**
   * Reads statements in a scope of their own. A statement outside the subset is reported and
   * the next ones are still read, so that one compile reports every unsupported construct of
   * the method; the method is then abandoned.
   */
  private Stmt.Block block(List<? extends StatementTree> statements) {
    scope.push();
    try {
      List<Stmt> out = new ArrayList<>();
      boolean failed = false;
      for (StatementTree s : statements) {
        try {
          statement(s, null, out);
        } catch (Abort a) {
          failed = true;
        }
      }
      if (failed) {
        throw new Abort();
      }
      return Stmt.Block.of(out);
    } finally {
      scope.pop();
    }
  }

  /**
   * Reads an expression of a statement whose side effects ({@code i++}, {@code s += x}) are
   * hoisted into {@code pre}, in Java's evaluation order, to run before the statement.
   */
  private <T> T hoisting(List<Stmt> pre, Tree at, java.util.function.Supplier<T> read) {
    ExpressionReader.EffectState saved = expressions.begin(pre);
    T value;
    try {
      value = read.get();
    } catch (RuntimeException e) {
      expressions.end(saved, at, false);
      throw e;
    }
    expressions.end(saved, at, true);
    return value;
  }

  /** Reads a statement's expressions with their side effects hoisted before it, into out. */
  private void hoisted(List<Stmt> out, Tree at, java.util.function.Supplier<Stmt> read) {
    List<Stmt> pre = new ArrayList<>();
    Stmt main = hoisting(pre, at, read);
    out.addAll(pre);
    out.add(main);
  }

  /** Runs {@code read}, remembering in failed[0] an unsupported construct it reported. */
  private static <T> T attempt(boolean[] failed, java.util.function.Supplier<T> read, T fallback) {
    try {
      return read.get();
    } catch (Abort a) {
      failed[0] = true;
      return fallback;
    }
  }

  private static Expr not(Expr condition) {
    return new Expr.Unary(Expr.UnaryOp.NOT, condition, Type.BOOLEAN);
  }

  /**
   * The body of a loop whose condition has side effects: the condition is computed at the top
   * of each iteration by {@code pre} and the loop left by a break when it is false.
   */
  private static List<Stmt> conditionFirst(List<Stmt> pre, Expr condition, Position pos) {
    List<Stmt> top = new ArrayList<>(pre);
    top.add(new Stmt.If(not(condition), Stmt.Block.of(List.of(new Stmt.Break(Optional.empty(),
        pos))), Stmt.Block.of(List.of())));
    return top;
  }

  /** A statement as a block of its own scope (loop and if bodies). */
  private Stmt.Block body(StatementTree s) {
    if (s instanceof BlockTree b) {
      return block(b.getStatements());
    }
    return block(List.of(s));
  }

  private void statement(StatementTree s, String label, List<Stmt> out) {
    Position pos = new Position(s);
    switch (s.getKind()) {
      case VARIABLE -> {
        try {
          hoisted(out, s, () -> declaration((VariableTree) s));
        } catch (Abort a) {
          context.poison(((VariableTree) s).getName().toString());
          throw a;
        }
      }
      case EXPRESSION_STATEMENT -> hoisted(out, s,
          () -> expressionStatement((ExpressionStatementTree) s));
      case BLOCK -> out.add(block(((BlockTree) s).getStatements()));
      case EMPTY_STATEMENT -> {}
      case IF -> {
        IfTree t = (IfTree) s;
        boolean[] failed = {false};
        List<Stmt> pre = new ArrayList<>();
        Expr condition = attempt(failed, () -> hoisting(pre, t.getCondition(),
            () -> expressions.condition(t.getCondition())), null);
        Stmt.Block thenBlock = attempt(failed, () -> body(t.getThenStatement()), null);
        Stmt.Block elseBlock = t.getElseStatement() == null ? Stmt.Block.of(List.of())
            : attempt(failed, () -> body(t.getElseStatement()), null);
        if (failed[0]) {
          throw new Abort();
        }
        out.addAll(pre);
        out.add(new Stmt.If(condition, thenBlock, elseBlock));
      }
      case RETURN -> {
        ReturnTree t = (ReturnTree) s;
        if (resultRecord != null) {
          recordReturn(t, pos, out);
          return;
        }
        if (t.getExpression() == null) {
          if (returnTypeOfMethod != Type.VOID) {
            throw error(Message.TYPE_MISMATCH, t, "return", returnTypeOfMethod.javaName(),
                "void (no value)");
          }
          out.add(new Stmt.Return(Optional.empty(), pos));
          return;
        }
        hoisted(out, t, () -> new Stmt.Return(Optional.of(expressions.assignable(
            expressions.expression(t.getExpression()), returnTypeOfMethod, t.getExpression(),
            "return value")), pos));
      }
      case BREAK -> out.add(
          new Stmt.Break(Optional.ofNullable(jumpTarget(s, ((BreakTree) s).getLabel())), pos));
      case CONTINUE -> out.add(new Stmt.Continue(
          Optional.ofNullable(jumpTarget(s, ((ContinueTree) s).getLabel())), pos));
      case LABELED_STATEMENT -> {
        LabeledStatementTree t = (LabeledStatementTree) s;
        Tree.Kind k = t.getStatement().getKind();
        if (k != Tree.Kind.FOR_LOOP && k != Tree.Kind.WHILE_LOOP && k != Tree.Kind.DO_WHILE_LOOP
            && k != Tree.Kind.ENHANCED_FOR_LOOP) {
          throw error(Message.LABEL_NOT_ON_LOOP, t, t.getLabel());
        }
        statement(t.getStatement(), t.getLabel().toString(), out);
      }
      case WHILE_LOOP -> {
        WhileLoopTree t = (WhileLoopTree) s;
        boolean[] failed = {false};
        List<Stmt> pre = new ArrayList<>();
        Expr condition = attempt(failed, () -> hoisting(pre, t.getCondition(),
            () -> expressions.condition(t.getCondition())), null);
        Stmt.Block loopBody = attempt(failed, () -> loopBody(label, t.getStatement()), null);
        if (failed[0]) {
          throw new Abort();
        }
        if (pre.isEmpty()) {
          out.add(new Stmt.Loop(Optional.ofNullable(label), List.of(), condition, List.of(),
              loopBody, true, pos));
        } else {
          List<Stmt> body = conditionFirst(pre, condition, pos);
          body.addAll(loopBody.statements());
          out.add(new Stmt.Loop(Optional.ofNullable(label), List.of(),
              Expr.Literal.ofBoolean(true), List.of(), Stmt.Block.of(body), true, pos));
        }
      }
      case DO_WHILE_LOOP -> {
        DoWhileLoopTree t = (DoWhileLoopTree) s;
        boolean[] failed = {false};
        Stmt.Block loopBody = attempt(failed, () -> loopBody(label, t.getStatement()), null);
        List<Stmt> pre = new ArrayList<>();
        Expr condition = attempt(failed, () -> hoisting(pre, t.getCondition(),
            () -> expressions.condition(t.getCondition())), null);
        if (failed[0]) {
          throw new Abort();
        }
        if (pre.isEmpty()) {
          out.add(new Stmt.Loop(Optional.ofNullable(label), List.of(), condition, List.of(),
              loopBody, false, pos));
        } else {
          if (continues(loopBody.statements(), label, true)) {
            throw error(Message.SIDE_EFFECT_IN_EXPRESSION, t.getCondition(),
                "a side effect in the condition of a do-while loop whose body has 'continue'",
                "compute the condition into a local at the end of the body (and before each "
                    + "continue), or use a while loop.");
          }
          List<Stmt> body = new ArrayList<>(loopBody.statements());
          body.addAll(conditionFirst(pre, condition, pos));
          out.add(new Stmt.Loop(Optional.ofNullable(label), List.of(),
              Expr.Literal.ofBoolean(true), List.of(), Stmt.Block.of(body), true, pos));
        }
      }
      case FOR_LOOP -> out.add(forLoop((ForLoopTree) s, label, pos));
      case ENHANCED_FOR_LOOP -> out.add(enhancedFor((EnhancedForLoopTree) s, label, pos));
      case TRY -> throw unsupported(s, "try (with catch, finally or resources)",
          "differentiated code cannot catch exceptions; check inputs before the call instead.");
      case SYNCHRONIZED -> throw unsupported(s, "a synchronized block",
          "generated derivatives are thread-safe without locks; remove the block.");
      case THROW -> throw unsupported(s, "throw",
          "validate arguments in a plain method before calling the differentiated one.");
      case SWITCH -> {
        List<Stmt> pre = new ArrayList<>();
        SwitchTree t = (SwitchTree) s;
        Expr selector = hoisting(pre, t.getExpression(),
            () -> expressions.switchSelector(t.getExpression()));
        out.addAll(pre);
        switchStatement(t, selector, pos, out);
      }
      case ASSERT -> throw unsupported(s, "assert", "check the condition outside the method.");
      case CLASS, INTERFACE, ENUM, RECORD, ANNOTATION_TYPE ->
          throw unsupported(s, "a local class", "declare it outside the method.");
      default -> throw unsupported(s, "this statement (" + s.getKind() + ")",
          "use locals, assignments, if/else, loops, break, continue and return.");
    }
  }

  /** Stands for a switch statement among the loops around a statement. */
  private static final String SWITCH = "\0switch";

  private String jumpTarget(StatementTree s, Name label) {
    String name = name(label);
    boolean isBreak = s.getKind() == Tree.Kind.BREAK;
    if (name == null && isBreak && SWITCH.equals(loops.peek())) {
      throw unsupported(s, "a break before the end of a switch case",
          "end the case with its break, and guard the statements before it with if / else.");
    }
    boolean found = name == null ? loops.stream().anyMatch(l -> !l.equals(SWITCH))
        : loops.contains(name);
    if (!found) {
      throw error(Message.JUMP_WITHOUT_TARGET, s, s.getKind() == Tree.Kind.BREAK ? "break"
          : "continue", name == null ? "" : " labelled '" + name + "'");
    }
    return name;
  }

  /**
   * A switch statement is an if / else-if chain over its case groups, default last: a group that
   * falls through into the next (no break at its end) runs its own statements then the next
   * group's, read again (duplicated), up to one that ends. A case's final {@code break} ends it;
   * a break elsewhere in a case is rejected.
   */
  private void switchStatement(SwitchTree t, Expr selector, Position pos, List<Stmt> out) {
    Expr sel = selector;
    if (!(selector instanceof Expr.Local) && !(selector instanceof Expr.Literal)) {
      Variable v = new Variable("selector", selector.type(), Variable.Kind.LOCAL);
      out.add(new Stmt.Declare(v, selector, pos));
      expressions.enumOf(selector).ifPresent(e -> context.declareEnum(v, e));
      sel = new Expr.Local(v);
    }
    Expr selectorValue = sel;
    List<? extends CaseTree> cases = t.getCases();
    List<List<StatementTree>> own = new ArrayList<>();
    List<Boolean> ends = new ArrayList<>();
    for (CaseTree c : cases) {
      List<StatementTree> body = new ArrayList<>();
      boolean end;
      if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
        Tree b = c.getBody();
        if (b instanceof BlockTree block) {
          body.addAll(block.getStatements());
        } else if (b instanceof StatementTree st) {
          body.add(st);
        } else {
          throw unsupported(c, "this switch rule", "write a statement or a block after ->.");
        }
        end = true;
      } else {
        body.addAll(c.getStatements());
        end = false;
        if (!body.isEmpty()) {
          StatementTree last = body.get(body.size() - 1);
          if (last instanceof BreakTree b && b.getLabel() == null) {
            body.remove(body.size() - 1);
            end = true;
          } else {
            Tree.Kind k = last.getKind();
            end = k == Tree.Kind.RETURN || k == Tree.Kind.CONTINUE || k == Tree.Kind.BREAK
                || k == Tree.Kind.THROW;
          }
        }
      }
      own.add(body);
      ends.add(end);
    }
    boolean[] failed = {false};
    Stmt.Block otherwise = Stmt.Block.of(List.of());
    List<Expr> conditions = new ArrayList<>();
    List<Stmt.Block> bodies = new ArrayList<>();
    for (int k = 0; k < cases.size(); k++) {
      CaseTree c = cases.get(k);
      List<StatementTree> trees = new ArrayList<>();
      for (int j = k; j < cases.size(); j++) {
        trees.addAll(own.get(j));
        if (ends.get(j)) {
          break;
        }
      }
      boolean emptyLabel = own.get(k).isEmpty() && !ends.get(k);
      Expr condition = null;
      for (ExpressionTree label : c.getExpressions()) {
        Expr value = attempt(failed, () -> expressions.caseLabel(selectorValue, label), null);
        if (value == null) {
          continue;
        }
        if (!(value instanceof Expr.Literal) && !(value instanceof Expr.FieldRead)) {
          failed[0] = true;
          unsupported(label, "this case label", "use an int or char constant.");
          continue;
        }
        Expr test = expressions.binary(BinaryOp.EQUAL, sel, value, label);
        condition = condition == null ? test
            : new Expr.Binary(BinaryOp.CONDITIONAL_OR, condition, test, Type.BOOLEAN);
      }
      boolean isDefault = c.getExpressions().isEmpty();
      if (emptyLabel && !isDefault && k + 1 < cases.size()
          && !cases.get(k + 1).getExpressions().isEmpty()) {
        // case 1: case 2: ...: the next group's labels are added to this one's condition.
        conditions.add(condition);
        bodies.add(null);
        continue;
      }
      loops.push(SWITCH);
      Stmt.Block body;
      try {
        body = attempt(failed, () -> block(trees), null);
      } finally {
        loops.pop();
      }
      while (!bodies.isEmpty() && bodies.get(bodies.size() - 1) == null) {
        Expr merged = conditions.remove(conditions.size() - 1);
        bodies.remove(bodies.size() - 1);
        condition = condition == null ? merged
            : new Expr.Binary(BinaryOp.CONDITIONAL_OR, merged, condition, Type.BOOLEAN);
      }
      if (isDefault) {
        otherwise = body;
      } else {
        conditions.add(condition);
        bodies.add(body);
      }
    }
    if (failed[0]) {
      throw new Abort();
    }
    Stmt.Block chain = otherwise;
    for (int k = bodies.size() - 1; k >= 0; k--) {
      if (bodies.get(k) == null) {
        continue;
      }
      chain = Stmt.Block.of(List.of(new Stmt.If(conditions.get(k), bodies.get(k), chain)));
    }
    out.addAll(chain.statements());
  }

  private Stmt.Block loopBody(String label, StatementTree body) {
    loops.push(label == null ? "" : label);
    try {
      return body(body);
    } finally {
      loops.pop();
    }
  }

  private Stmt forLoop(ForLoopTree t, String label, Position pos) {
    scope.push();
    try {
      boolean[] failed = {false};
      List<Stmt> init = new ArrayList<>();
      for (StatementTree s : t.getInitializer()) {
        attempt(failed, () -> {
          statement(s, null, init);
          return null;
        }, null);
      }
      List<Stmt> pre = new ArrayList<>();
      Expr condition = t.getCondition() == null ? Expr.Literal.ofBoolean(true)
          : attempt(failed, () -> hoisting(pre, t.getCondition(),
              () -> expressions.condition(t.getCondition())), null);
      List<Stmt> update = new ArrayList<>();
      for (ExpressionStatementTree s : t.getUpdate()) {
        attempt(failed, () -> {
          hoisted(update, s, () -> expressionStatement(s));
          return null;
        }, null);
      }
      Stmt.Block loopBody = attempt(failed, () -> loopBody(label, t.getStatement()), null);
      if (failed[0]) {
        throw new Abort();
      }
      if (!pre.isEmpty()) {
        List<Stmt> body = conditionFirst(pre, condition, pos);
        body.addAll(loopBody.statements());
        condition = Expr.Literal.ofBoolean(true);
        loopBody = Stmt.Block.of(body);
      }
      return new Stmt.Loop(Optional.ofNullable(label), List.copyOf(init), condition,
          List.copyOf(update), loopBody, true, pos);
    } finally {
      scope.pop();
    }
  }

  /**
   * {@code for (T v : a) body} is {@code for (int i = 0; i < a.length; i++) { T v = a[i];
   * body }} over a fresh index; the row variable of {@code for (double[] row : m)} stands for
   * {@code m[i]} wherever it is read or written through.
   */
  private Stmt enhancedFor(EnhancedForLoopTree t, String label, Position pos) {
    scope.push();
    try {
      VariableTree var = t.getVariable();
      Optional<ExpressionReader.RecordRef> records = expressions.recordRef(t.getExpression())
          .filter(ExpressionReader.RecordRef::array);
      // Over an array of records, the loop runs over the length of its first component.
      Expr array = records.isPresent() ? expressions.recordArrayLength(t.getExpression(),
          records.get()) : expressions.expression(t.getExpression());
      if (!array.type().isArray()) {
        throw error(Message.TYPE_MISMATCH, t.getExpression(), "enhanced for loop", "an array",
            array.type().javaName());
      }
      String name = var.getName().toString();
      Variable index = new Variable(name + "Index", Type.INT, Variable.Kind.LOCAL);
      if (records.isPresent()) {
        // for (CashFlow f : flows): f names flows[fIndex].
        context.declareRecordAlias(name, new ExpressionReader.RecordRef(records.get().shape(),
            Optional.of(new Expr.Local(index)), false));
        Stmt.Block loopBody = loopBody(label, t.getStatement());
        Expr condition = Exprs.binary(BinaryOp.LESS, new Expr.Local(index),
            new Expr.ArrayLength(array));
        Stmt update = new Stmt.Assign(index, Exprs.binary(BinaryOp.ADD, new Expr.Local(index),
            Expr.Literal.ofInt(1)), pos);
        return new Stmt.Loop(Optional.ofNullable(label),
            List.of(new Stmt.Declare(index, Expr.Literal.ofInt(0), pos)), condition,
            List.of(update), loopBody, true, pos);
      }
      Expr element = new Expr.ArrayRead(array, new Expr.Local(index), array.type().element());
      Tree typeTree = var.getType();
      boolean inferred = typeTree == null || typeTree.toString().equals("var");
      Type declared = inferred ? array.type().element()
          : typeTree instanceof PrimitiveTypeTree p
              ? Type.forName(p.getPrimitiveTypeKind().name().toLowerCase(Locale.ROOT))
              : typeTree.getKind() == Tree.Kind.ARRAY_TYPE ? Type.forName(typeTree.toString())
                  : null;
      if (declared == null || declared == Type.BYTE || declared == Type.SHORT
          || declared == Type.CHAR) {
        throw error(Message.UNSUPPORTED_LOCAL_TYPE, var, name, String.valueOf(typeTree));
      }
      List<Stmt> first = new ArrayList<>();
      if (declared.isArray()) {
        if (declared != array.type().element()) {
          throw error(Message.TYPE_MISMATCH, var, "loop variable '" + name + "'",
              array.type().element().javaName(), declared.javaName());
        }
        scope.declareAlias(name, element);
      } else {
        Variable v = new Variable(name, declared, Variable.Kind.LOCAL);
        first.add(new Stmt.Declare(v, expressions.assignable(element, declared, var,
            "loop variable '" + name + "'"), new Position(var)));
        scope.declare(v);
        declaredLocals.add(v);
      }
      Stmt.Block loopBody = loopBody(label, t.getStatement());
      Set<Variable> written = Statements.assigned(loopBody.statements());
      for (Variable v : Exprs.variables(array)) {
        if (!v.type().isArray() && written.contains(v)) {
          throw unsupported(t.getExpression(), "an enhanced for loop over '" + t.getExpression()
              + "' whose body changes '" + v + "'", "loop over an index with a classic for "
              + "loop.");
        }
      }
      first.addAll(loopBody.statements());
      Expr condition = Exprs.binary(BinaryOp.LESS, new Expr.Local(index),
          new Expr.ArrayLength(array));
      Stmt update = new Stmt.Assign(index, Exprs.binary(BinaryOp.ADD, new Expr.Local(index),
          Expr.Literal.ofInt(1)), pos);
      return new Stmt.Loop(Optional.ofNullable(label),
          List.of(new Stmt.Declare(index, Expr.Literal.ofInt(0), pos)), condition,
          List.of(update), Stmt.Block.of(first), true, pos);
    } finally {
      scope.pop();
    }
  }

  /** Whether statements contain a continue of the loop they are the body of. */
  private static boolean continues(List<Stmt> statements, String label, boolean direct) {
    for (Stmt s : statements) {
      if (s instanceof Stmt.Continue c && (c.label().isEmpty() ? direct
          : c.label().get().equals(label))) {
        return true;
      }
      if (continues(Statements.children(s), label, direct && !(s instanceof Stmt.Loop))) {
        return true;
      }
    }
    return false;
  }

  private Stmt declaration(VariableTree t) {
    Position pos = new Position(t);
    Tree typeTree = t.getType();
    Optional<Stmt> record = recordLocal(t, pos);
    if (record.isPresent()) {
      return record.get();
    }
    if (typeTree != null && typeTree.getKind() == Tree.Kind.ARRAY_TYPE) {
      return arrayDeclaration(t, Type.forName(t.getType().toString()));
    }
    if ((typeTree == null || typeTree.toString().equals("var"))
        && t.getInitializer() instanceof NewArrayTree n && n.getType() != null) {
      String name = n.getType().toString() + "[]".repeat(Math.max(1, n.getDimensions().size()));
      return arrayDeclaration(t, Type.forName(name));
    }
    Expr init = t.getInitializer() == null ? null : expressions.expression(t.getInitializer());
    Type type;
    Optional<javax.lang.model.element.TypeElement> enumType = Optional.empty();
    if (typeTree == null || typeTree.toString().equals("var")) {
      if (init == null) {
        throw error(Message.UNSUPPORTED_LOCAL_TYPE, t, t.getName(), "var without initializer");
      }
      type = init.type();
      enumType = expressions.enumOf(init);
    } else if (typeTree instanceof PrimitiveTypeTree p) {
      type = Type.forName(p.getPrimitiveTypeKind().name().toLowerCase(Locale.ROOT));
    } else {
      // An enum local holds the constant's ordinal, like an enum parameter.
      enumType = symbols.resolveType(typeTree).filter(ObjectTypes::isEnum);
      type = enumType.isPresent() ? Type.INT : null;
      if (init != null && enumType.isPresent()
          && !expressions.enumOf(init).equals(enumType)) {
        throw error(Message.TYPE_MISMATCH, t.getInitializer(),
            "initializer of '" + t.getName() + "'", typeTree.toString(),
            expressions.enumOf(init).map(e -> e.getSimpleName().toString())
                .orElse(init.type().javaName()));
      }
    }
    if (type == null || type == Type.BYTE || type == Type.SHORT || type == Type.CHAR) {
      String typeName = typeTree == null ? "?" : typeTree.toString();
      if (typeTree != null && typeTree.getKind() == Tree.Kind.ARRAY_TYPE) {
        throw error(Message.UNSUPPORTED_LOCAL_TYPE, t, t.getName(),
            typeName + " (arrays are not supported yet: use scalar locals)");
      }
      throw error(Message.UNSUPPORTED_LOCAL_TYPE, t, t.getName(), typeName);
    }
    if (init != null) {
      init = expressions.assignable(init, type, t.getInitializer(),
          "initializer of '" + t.getName() + "'");
    }
    Variable v = new Variable(t.getName().toString(), type, Variable.Kind.LOCAL);
    scope.declare(v);
    declaredLocals.add(v);
    enumType.ifPresent(e -> context.declareEnum(v, e));
    return new Stmt.Declare(v, Optional.ofNullable(init), pos);
  }

  /**
   * A local array: {@code double[] a = new double[n];} or {@code double[] a = {1, 2};}, at the
   * top level of the body (the reverse sweep keeps one array object per variable).
   */
  private Stmt arrayDeclaration(VariableTree t, Type type) {
    if (type == null) {
      throw error(Message.UNSUPPORTED_LOCAL_TYPE, t, t.getName(), String.valueOf(t.getType())
          + " (arrays may be int[], float[], double[] or double[][])");
    }
    Optional<Expr> component = t.getInitializer() == null ? Optional.empty()
        : expressions.arrayComponent(t.getInitializer());
    if (component.isPresent()) {
      // double[] ts = curve.times(): a name for the record's array, read in place.
      if (component.get().type() != type) {
        throw error(Message.TYPE_MISMATCH, t.getInitializer(), "initializer of '"
            + t.getName() + "'", type.javaName(), component.get().type().javaName());
      }
      scope.declareAlias(t.getName().toString(), component.get());
      return Stmt.Block.of(List.of());
    }
    if (scope.depth() != 2) {
      throw unsupported(t, "declaring array '" + t.getName() + "' inside a block or loop",
          "declare it at the top level of the method body and reuse it.");
    }
    ExpressionTree init = t.getInitializer();
    if (init == null) {
      throw unsupported(t, "declaring array '" + t.getName() + "' without creating it",
          "create it where it is declared: " + type.javaName() + " " + t.getName() + " = new "
              + type.scalar().javaName() + "[n]" + (type.element().isArray() ? "[m]" : "")
              + ";");
    }
    if (init.getKind() != Tree.Kind.NEW_ARRAY) {
      throw unsupported(t, "initialising array '" + t.getName() + "' from another array",
          "arrays may not alias: create it with new " + type.scalar().javaName()
              + "[n] or an initializer list, and copy elements in a loop.");
    }
    NewArrayTree n = (NewArrayTree) init;
    List<Expr> dimensions = new ArrayList<>();
    for (ExpressionTree d : n.getDimensions()) {
      Expr dim = expressions.expression(d);
      expressions.requireIndex(dim, d);
      dimensions.add(dim);
    }
    List<Expr> elements = new ArrayList<>();
    if (n.getInitializers() != null) {
      if (type.element().isArray()) {
        throw unsupported(init, "a nested array initializer",
            "create the matrix with new double[rows][columns] and fill it.");
      }
      for (ExpressionTree e : n.getInitializers()) {
        elements.add(expressions.assignable(expressions.expression(e), type.element(), e,
            "array element"));
      }
    }
    int depth = type.element().isArray() ? 2 : 1;
    if (n.getInitializers() == null && dimensions.size() != depth) {
      throw unsupported(init, "an array created without all its dimensions",
          "give every dimension: new double[rows][columns].");
    }
    Variable v = new Variable(t.getName().toString(), type, Variable.Kind.LOCAL);
    scope.declare(v);
    return new Stmt.Declare(v, new Expr.NewArray(type, List.copyOf(dimensions),
        List.copyOf(elements)), new Position(t));
  }

  private Stmt expressionStatement(ExpressionStatementTree s) {
    ExpressionTree e = s.getExpression();
    Position pos = new Position(s);
    switch (e.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree a = (AssignmentTree) e;
        if (a.getVariable().getKind() == Tree.Kind.ARRAY_ACCESS) {
          ElementTarget target = elementTarget(a.getVariable());
          Expr value = expressions.expression(a.getExpression());
          return new Stmt.ArrayWrite(target.array(), target.indices(), expressions.assignable(
              value, target.type(), a.getExpression(), "array element"), pos);
        }
        Variable target = assignmentTarget(a.getVariable());
        Expr value = expressions.expression(a.getExpression());
        return new Stmt.Assign(target, expressions.assignable(value, target.type(),
            a.getExpression(), "assignment to '" + target + "'"), pos);
      }
      case PLUS_ASSIGNMENT, MINUS_ASSIGNMENT, MULTIPLY_ASSIGNMENT, DIVIDE_ASSIGNMENT,
          REMAINDER_ASSIGNMENT, AND_ASSIGNMENT, OR_ASSIGNMENT, XOR_ASSIGNMENT,
          LEFT_SHIFT_ASSIGNMENT, RIGHT_SHIFT_ASSIGNMENT, UNSIGNED_RIGHT_SHIFT_ASSIGNMENT -> {
        CompoundAssignmentTree a = (CompoundAssignmentTree) e;
        BinaryOp op = binaryOp(compoundToBinary(e.getKind()));
        if (a.getVariable().getKind() == Tree.Kind.ARRAY_ACCESS) {
          ElementTarget target = elementTarget(a.getVariable());
          expressions.noteRead(target.array());
          Expr combined =
              expressions.binary(op, target.read(), expressions.expression(a.getExpression()), a);
          return new Stmt.ArrayWrite(target.array(), target.indices(),
              narrowTo(target.type(), combined, a), pos);
        }
        Variable target = assignmentTarget(a.getVariable());
        expressions.noteRead(target);
        Expr value = expressions.expression(a.getExpression());
        Expr combined = expressions.binary(op, new Expr.Local(target), value, a);
        return new Stmt.Assign(target, narrowTo(target.type(), combined, a), pos);
      }
      case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT -> {
        UnaryTree u = (UnaryTree) e;
        boolean up = e.getKind() == Tree.Kind.PREFIX_INCREMENT
            || e.getKind() == Tree.Kind.POSTFIX_INCREMENT;
        if (u.getExpression().getKind() == Tree.Kind.ARRAY_ACCESS) {
          ElementTarget target = elementTarget(u.getExpression());
          expressions.noteRead(target.array());
          Expr combined = Exprs.binary(up ? BinaryOp.ADD : BinaryOp.SUBTRACT, target.read(),
              Expr.Literal.ofInt(1));
          return new Stmt.ArrayWrite(target.array(), target.indices(),
              narrowTo(target.type(), combined, u), pos);
        }
        Variable target = assignmentTarget(u.getExpression());
        expressions.noteRead(target);
        if (!target.type().isNumeric()) {
          throw error(Message.TYPE_MISMATCH, u, "increment", "a number", target.type().javaName());
        }
        Expr combined = Exprs.binary(up ? BinaryOp.ADD : BinaryOp.SUBTRACT,
            new Expr.Local(target), Expr.Literal.ofInt(1));
        return new Stmt.Assign(target, narrowTo(target.type(), combined, u), pos);
      }
      case METHOD_INVOCATION -> {
        Expr call = expressions.expression(e);
        if (!(call instanceof Expr.Call c) || c.type() != Type.VOID
            || !c.callee().differentiable()) {
          throw error(Message.UNUSED_CALL_RESULT, e);
        }
        checkWrittenArguments(c, (MethodInvocationTree) e);
        return new Stmt.Evaluate(c);
      }
      default -> throw unsupported(e, "this expression statement",
          "use an assignment, a compound assignment, ++ or --.");
    }
  }

  /**
   * A side effect inside an expression, hoisted: appends its statements to {@code effects} and
   * returns the expression's value as Java defines it (the old value of {@code v++}, kept in a
   * fresh local; the new value of {@code ++v} and of an assignment).
   */
  private ExpressionReader.Effect effect(ExpressionTree e, List<Stmt> effects,
      Set<Variable> writes) {
    Expr value = effectValue(e, effects, writes);
    return new ExpressionReader.Effect(value, effectTarget);
  }

  /** The variable the side effect being read writes (set by {@link #effectValue}). */
  private Variable effectTarget;

  private Expr effectValue(ExpressionTree e, List<Stmt> effects, Set<Variable> writes) {
    Position pos = new Position(e);
    Tree.Kind kind = e.getKind();
    boolean increment = kind == Tree.Kind.PREFIX_INCREMENT
        || kind == Tree.Kind.POSTFIX_INCREMENT || kind == Tree.Kind.PREFIX_DECREMENT
        || kind == Tree.Kind.POSTFIX_DECREMENT;
    ExpressionTree targetTree = increment ? ((UnaryTree) e).getExpression()
        : e instanceof AssignmentTree a ? a.getVariable()
            : ((CompoundAssignmentTree) e).getVariable();
    ElementTarget element = targetTree.getKind() == Tree.Kind.ARRAY_ACCESS
        ? elementTarget(targetTree) : null;
    Variable variable = element != null ? element.array() : assignmentTarget(targetTree);
    effectTarget = variable;
    if (!writes.add(variable)) {
      throw error(Message.SIDE_EFFECT_IN_EXPRESSION, e, "changing '" + variable + "' twice",
          "the result would depend on Java's evaluation order; split the statement.");
    }
    Type type = element != null ? element.type() : variable.type();
    Expr old = element != null ? element.read() : new Expr.Local(variable);
    java.util.function.Function<Expr, Stmt> write = value -> element != null
        ? new Stmt.ArrayWrite(element.array(), element.indices(), value, pos)
        : new Stmt.Assign(variable, value, pos);
    if (increment) {
      if (!type.isNumeric()) {
        throw error(Message.TYPE_MISMATCH, e, "increment", "a number", type.javaName());
      }
      boolean up = kind == Tree.Kind.PREFIX_INCREMENT || kind == Tree.Kind.POSTFIX_INCREMENT;
      BinaryOp op = up ? BinaryOp.ADD : BinaryOp.SUBTRACT;
      if (kind == Tree.Kind.POSTFIX_INCREMENT || kind == Tree.Kind.POSTFIX_DECREMENT) {
        Variable before = new Variable(variable.name() + "Before", type, Variable.Kind.LOCAL);
        effects.add(new Stmt.Declare(before, old, pos));
        effects.add(write.apply(narrowTo(type, Exprs.binary(op, new Expr.Local(before),
            Expr.Literal.ofInt(1)), e)));
        return new Expr.Local(before);
      }
      effects.add(write.apply(narrowTo(type, Exprs.binary(op, old, Expr.Literal.ofInt(1)), e)));
      return old;
    }
    if (e instanceof AssignmentTree a) {
      Expr value = expressions.expression(a.getExpression());
      effectTarget = variable;
      effects.add(write.apply(expressions.assignable(value, type, a.getExpression(),
          "assignment to '" + targetTree + "'")));
      return old;
    }
    CompoundAssignmentTree c = (CompoundAssignmentTree) e;
    BinaryOp op = binaryOp(compoundToBinary(kind));
    Expr combined = expressions.binary(op, old, expressions.expression(c.getExpression()), c);
    effectTarget = variable;
    effects.add(write.apply(narrowTo(type, combined, c)));
    return old;
  }

  /** The element an assignment writes: the array variable and one index per dimension. */
  private record ElementTarget(Variable array, List<Expr> indices) {
    Type type() {
      return read().type();
    }

    Expr read() {
      return Exprs.element(array, indices);
    }
  }

  private ElementTarget elementTarget(ExpressionTree target) {
    List<Expr> indices = new ArrayList<>();
    ExpressionTree base = target;
    while (base instanceof ArrayAccessTree access) {
      Expr index = expressions.expression(access.getIndex());
      expressions.requireIndex(index, access.getIndex());
      indices.add(0, index);
      base = access.getExpression();
    }
    if (base instanceof IdentifierTree row
        && scope.alias(row.getName().toString()).orElse(null) instanceof Expr.ArrayRead r
        && r.array() instanceof Expr.Local matrix) {
      // The row variable of for (double[] row : m): row[j] is m[i][j].
      indices.add(0, r.index());
      base = null;
      Variable array = matrix.variable();
      return checkedElementTarget(target, array, indices);
    }
    if (!(base instanceof IdentifierTree id) || scope.lookup(id.getName().toString()) == null) {
      if (base instanceof IdentifierTree id && context.poisoned(id.getName().toString())) {
        throw new Abort();
      }
      if (base instanceof IdentifierTree id
          && symbols.unqualifiedField(id.getName().toString()).isPresent()
          || base instanceof MemberSelectTree) {
        throw error(Message.FIELD_WRITE, target, base.toString());
      }
      throw unsupported(target, "writing an element of '" + base + "'",
          "write elements of a parameter or of a local array.");
    }
    Variable array = scope.lookup(id.getName().toString());
    return checkedElementTarget(target, array, indices);
  }

  private ElementTarget checkedElementTarget(ExpressionTree target, Variable array,
      List<Expr> indices) {
    if (array.kind() == Variable.Kind.PARAMETER && returnTypeOfMethod != Type.VOID) {
      throw error(Message.PARAMETER_ARRAY_WRITE, target, array, array);
    }
    Type type = array.type();
    for (int i = 0; i < indices.size(); i++) {
      if (type == null || !type.isArray()) {
        throw error(Message.TYPE_MISMATCH, target, "indexing", "an array",
            String.valueOf(type == null ? "?" : type.javaName()));
      }
      type = type.element();
    }
    if (type.isArray()) {
      throw unsupported(target, "assigning a whole row of '" + array + "'",
          "write its elements one by one.");
    }
    return new ElementTarget(array, List.copyOf(indices));
  }

  /**
   * A void helper may write its array arguments: each must be a distinct array variable (no
   * aliasing) that this method may write.
   */
  private void checkWrittenArguments(Expr.Call c, MethodInvocationTree t) {
    Set<Variable> seen = new HashSet<>();
    for (int i = 0; i < c.arguments().size(); i++) {
      Expr arg = c.arguments().get(i);
      if (!arg.type().isArray()) {
        continue;
      }
      ExpressionTree at = t.getArguments().get(i);
      if (!(arg instanceof Expr.Local)) {
        throw unsupported(at, "passing part of an array ('" + at + "') to a method that writes "
            + "it", "copy the row into a local array, pass that, and copy it back.");
      }
      Expr.Local l = (Expr.Local) arg;
      if (!seen.add(l.variable())) {
        throw unsupported(at, "passing the same array twice to a method that writes it",
            "pass distinct arrays: the writes would alias.");
      }
      if (l.variable().kind() == Variable.Kind.PARAMETER && returnTypeOfMethod != Type.VOID) {
        throw error(Message.PARAMETER_ARRAY_WRITE, at, l.variable(), l.variable());
      }
    }
  }

  private Variable assignmentTarget(ExpressionTree target) {
    if (target instanceof IdentifierTree id) {
      if (scope.alias(id.getName().toString()).isPresent()) {
        throw unsupported(target, "assigning the row variable '" + id.getName() + "' of an "
            + "enhanced for loop", "write its elements (" + id.getName() + "[j] = ...) or "
            + "loop over an index.");
      }
      Variable v = scope.lookup(id.getName().toString());
      if (v != null && v.type().isArray()) {
        throw unsupported(target, "assigning array variable '" + v + "'",
            "arrays may not be replaced or aliased: write their elements instead.");
      }
      if (v != null) {
        return v;
      }
      if (context.poisoned(id.getName().toString())) {
        throw new Abort();
      }
      var record = context.record(id.getName().toString()).or(() -> context.recordAlias(
          id.getName().toString()).map(ExpressionReader.RecordRef::shape));
      if (record.isPresent()) {
        throw error(Message.RECORD_AS_VALUE, target, id.getName(), record.get().simpleType());
      }
      if (symbols.unqualifiedField(id.getName().toString()).isPresent()) {
        throw error(Message.FIELD_WRITE, target, id.getName());
      }
      throw error(Message.UNKNOWN_NAME, target, id.getName());
    }
    if (target instanceof MemberSelectTree sel) {
      throw error(Message.FIELD_WRITE, target, sel.toString());
    }
    throw unsupported(target, "this assignment target", "assign to a local or a parameter.");
  }

  private static String name(Name n) {
    return n == null ? null : n.toString();
  }

  private static Tree.Kind compoundToBinary(Tree.Kind k) {
    return switch (k) {
      case PLUS_ASSIGNMENT -> Tree.Kind.PLUS;
      case MINUS_ASSIGNMENT -> Tree.Kind.MINUS;
      case MULTIPLY_ASSIGNMENT -> Tree.Kind.MULTIPLY;
      case DIVIDE_ASSIGNMENT -> Tree.Kind.DIVIDE;
      case REMAINDER_ASSIGNMENT -> Tree.Kind.REMAINDER;
      case AND_ASSIGNMENT -> Tree.Kind.AND;
      case OR_ASSIGNMENT -> Tree.Kind.OR;
      case XOR_ASSIGNMENT -> Tree.Kind.XOR;
      case LEFT_SHIFT_ASSIGNMENT -> Tree.Kind.LEFT_SHIFT;
      case RIGHT_SHIFT_ASSIGNMENT -> Tree.Kind.RIGHT_SHIFT;
      default -> Tree.Kind.UNSIGNED_RIGHT_SHIFT;
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
