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
import javax.lang.model.element.TypeElement;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ThrowTree;
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
import dev.adjoint.processor.ir.Identifiers;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  /**
   * Storage of the local arrays declared inside blocks, created at the top level of the body
   * before the statement that contains them (see {@link ArrayValues}).
   */
  private final List<Stmt> arrayStorage = new ArrayList<>();

  /** The arrays the enhanced for loops around the statement being read iterate over. */
  private final Deque<Variable> iterated = new ArrayDeque<>();

  /** Parameters and the locals declared at the top level of the body. */
  private final Set<Variable> topLevel = new HashSet<>();

  /** The length of each local array, where its declaration gives one. */
  private final java.util.Map<Variable, Expr> arrayLengths = new java.util.HashMap<>();

  /** Int locals and their initial values, to compare and compute array lengths. */
  private final java.util.Map<Variable, Expr> intInitials = new java.util.HashMap<>();

  /** The scalar variables the length of each array created early reads, to check unchanged. */
  private final java.util.Map<Tree, java.util.Map.Entry<String, Set<Variable>>>
      storageLengthReads = new java.util.LinkedHashMap<>();

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
        && symbols.resolveType(typeTree)
            .filter(e -> ObjectTypes.isRecord(e) || ObjectTypes.isFinalClass(e)).isPresent();
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

  /** Record locals created in the method ({@code Params q = new Params(a, b);}), by name. */
  private final Map<String, ObjectShape> builtRecords = new HashMap<>();

  /**
   * {@code R q = new R(a, new S(b), c);}: the record is replaced by one local per component
   * (scalar replacement), named after its path ({@code qK}), initialised in Java's order; its
   * reads, calls and instance calls then go through its shape as for a record parameter.
   */
  private List<Stmt> builtRecordLocal(VariableTree t, NewClassTree created,
      javax.lang.model.element.TypeElement record, Position pos) {
    String name = t.getName().toString();
    ObjectShape shape = localShape(name, ObjectTypes.shape(name, record.asType(),
        new HashSet<>()), t);
    List<Expr> values = new ArrayList<>();
    recordValues(created, record, values);
    List<Variable> leaves = shape.leaves();
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < leaves.size(); i++) {
      out.add(new Stmt.Declare(leaves.get(i), Optional.of(values.get(i)), pos));
      if (runsOnce()) {
        topLevel.add(leaves.get(i));
      }
    }
    context.declareRecord(shape);
    builtRecords.put(name, shape);
    return out;
  }

  /**
   * {@code q = new R(...)} or {@code q = other} for a record local: every component's new
   * value is computed first, into a temporary, then the components are written.
   */
  private Stmt recordAssignment(ObjectShape shape, AssignmentTree a, Position pos) {
    javax.lang.model.element.TypeElement record = symbols.typeElement(shape.javaType())
        .orElse(null);
    List<Expr> values = new ArrayList<>();
    if (a.getExpression() instanceof NewClassTree created && record != null) {
      recordValues(created, record, values);
    } else {
      Optional<ExpressionReader.RecordRef> ref = expressions.recordRef(a.getExpression());
      if (ref.isEmpty() || ref.get().array() || !ref.get().shape().javaType()
          .equals(shape.javaType())) {
        throw error(Message.RECORD_AS_VALUE, a.getExpression(), a.getExpression(),
            shape.simpleType());
      }
      values.addAll(expressions.leafValues(ref.get()));
      if (recordCalls.containsKey(a.getExpression())) {
        // s = step(s, p, dt): the call's record is in fresh locals, computed before any
        // component of s is written, so they are copied straight in.
        List<Stmt> out = new ArrayList<>();
        List<Variable> leaves = shape.leaves();
        for (int i = 0; i < leaves.size(); i++) {
          out.add(new Stmt.Assign(leaves.get(i), values.get(i), pos));
        }
        return Stmt.Block.of(out);
      }
    }
    List<Variable> leaves = shape.leaves();
    List<Stmt> out = new ArrayList<>();
    List<Variable> temps = new ArrayList<>();
    for (int i = 0; i < leaves.size(); i++) {
      Variable temp = new Variable(leaves.get(i).name() + "Next", leaves.get(i).type(),
          Variable.Kind.LOCAL);
      temps.add(temp);
      out.add(new Stmt.Declare(temp, Optional.of(values.get(i)), pos));
    }
    for (int i = 0; i < leaves.size(); i++) {
      out.add(new Stmt.Assign(leaves.get(i), new Expr.Local(temps.get(i)), pos));
    }
    return Stmt.Block.of(out);
  }

  /** A record parameter's shape with local leaves; components a local cannot hold rejected. */
  private ObjectShape localShape(String name, ObjectShape s, Tree at) {
    if (s.kind() == ObjectShape.Kind.RECORD_ARRAY || s.kind() == ObjectShape.Kind.KEPT
        || s.leaf().map(v -> v.type().isArray()).orElse(false)) {
      throw unsupported(at, "a record local '" + name + "' whose component '" + s.name()
          + "' is a " + s.javaType(), "a record created in the method holds numbers, "
          + "booleans, enums and records of them: pass such a record in as a parameter.");
    }
    List<ObjectShape> components = new ArrayList<>();
    for (ObjectShape c : s.components()) {
      components.add(localShape(name, c, at));
    }
    Optional<Variable> leaf = s.leaf().map(v -> new Variable(v.name(), v.type(),
        Variable.Kind.LOCAL));
    leaf.ifPresent(v -> {
      if (s.kind() == ObjectShape.Kind.ENUM) {
        symbols.typeElement(s.javaType()).ifPresent(e -> context.declareEnum(v, e));
      }
    });
    return new ObjectShape(s.kind(), s.name(), s.javaType(), leaf, List.copyOf(components));
  }

  /** The leaf values of {@code new R(...)}, depth first, nested creations and records read. */
  private void recordValues(NewClassTree n, javax.lang.model.element.TypeElement record,
      List<Expr> out) {
    if (!symbols.resolveType(n.getIdentifier()).map(record::equals).orElse(false)
        || n.getClassBody() != null) {
      throw error(Message.RECORD_AS_VALUE, n, n, record.getSimpleName());
    }
    var components = record.getRecordComponents();
    if (n.getArguments().size() != components.size()) {
      throw error(Message.TYPE_MISMATCH, n, "new " + record.getSimpleName(),
          components.size() + " arguments", n.getArguments().size() + " arguments");
    }
    for (int i = 0; i < components.size(); i++) {
      ExpressionTree arg = n.getArguments().get(i);
      var ct = components.get(i).asType();
      Type prim = Symbols.type(ct);
      var d = ObjectTypes.declared(ct);
      if (prim != null && prim != Type.VOID && !prim.isArray()) {
        out.add(expressions.assignable(expressions.expression(arg), prim, arg,
            "component '" + components.get(i).getSimpleName() + "'"));
      } else if (d != null && ObjectTypes.isEnum(d)) {
        out.add(expressions.expression(arg));
      } else if (d != null && ObjectTypes.isRecord(d)) {
        if (arg instanceof NewClassTree nested) {
          recordValues(nested, d, out);
        } else {
          Optional<ExpressionReader.RecordRef> ref = expressions.recordRef(arg);
          if (ref.isEmpty() || ref.get().array()) {
            throw error(Message.RECORD_AS_VALUE, arg, arg, d.getSimpleName());
          }
          out.addAll(expressions.leafValues(ref.get()));
        }
      } else {
        throw unsupported(arg, "component '" + components.get(i).getSimpleName() + "' of a "
            + "record created in the method", "a record created in the method holds numbers, "
            + "booleans, enums and records of them.");
      }
    }
  }

  /** The record the method returns, or null. */
  private javax.lang.model.element.TypeElement resultRecord;

  /**
   * {@code return new R(a, new S(b), c);} at the end of a method returning a record:
   * {@code double[] value = {a, b, c}; return value;}, the form of a vector output.
   */
  private void recordReturn(ReturnTree t, Position pos, List<Stmt> out) {
    boolean call = t.getExpression() instanceof MethodInvocationTree;
    if (scope.depth() != 2 || !(t.getExpression() instanceof com.sun.source.tree.NewClassTree)
        && !call) {
      throw error(Message.RECORD_RESULT_FORM, t, resultRecord.getSimpleName());
    }
    Variable value = new Variable("value", Type.DOUBLE_ARRAY, Variable.Kind.LOCAL);
    hoisted(out, t, () -> {
      List<Expr> leaves = new ArrayList<>();
      if (call) {
        // return step(s, p, dt);: the callee's record, read in place.
        Optional<ExpressionReader.RecordRef> ref = expressions.recordRef(t.getExpression());
        if (ref.isEmpty() || ref.get().array() || !ref.get().shape().javaType().equals(
            resultRecord.getQualifiedName().toString())) {
          throw error(Message.RECORD_RESULT_FORM, t, resultRecord.getSimpleName());
        }
        leaves.addAll(expressions.leafValues(ref.get()));
        return new Stmt.Declare(value, new Expr.NewArray(Type.DOUBLE_ARRAY, List.of(), leaves),
            pos);
      }
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
    this.expressions.arrayValueReader(new ExpressionReader.ArrayValueReader() {
      @Override
      public Optional<Expr> array(ExpressionTree value, List<Stmt> effects) {
        return arrayExpression(value, effects);
      }

      @Override
      public boolean makesArray(ExpressionTree value) {
        return value.getKind() == Tree.Kind.NEW_ARRAY || isFresh(value)
            || value instanceof MethodInvocationTree m && arrayMethodResult(m) != null;
      }
    });
    this.expressions.recordValueReader(new ExpressionReader.RecordValueReader() {
      @Override
      public ExecutableElement recordMethod(MethodInvocationTree call,
          Optional<ExpressionReader.RecordRef> receiver) {
        return BodyReader.this.recordMethod(call, receiver);
      }

      @Override
      public ExpressionReader.RecordRef record(MethodInvocationTree call,
          ExecutableElement method, Optional<ExpressionReader.RecordRef> receiver,
          List<Stmt> effects) {
        return recordCallValue(call, method, receiver, effects);
      }
    });
  }

  /**
   * The signature of a method whose adjoint the user wrote ({@code @CustomAdjoint}): its body
   * is never read, it may be anything.
   */
  public static MethodIr signatureOnly(Symbols symbols, ExecutableElement method) {
    List<Variable> parameters = parameters(symbols, method);
    DifferentiableAnnotation annotation = DifferentiableAnnotation.of(method).orElseThrow();
    List<Variable> differentiated = parameters.stream()
        .filter(p -> p.type().carriesDerivatives() && annotation.differentiates(p.sourceName()))
        .toList();
    return new MethodIr(symbols.packageName(), symbols.enclosing().getSimpleName().toString(),
        method.getSimpleName().toString(), List.copyOf(parameters),
        Symbols.type(method.getReturnType()), Stmt.Block.of(List.of()), null, differentiated,
        List.of());
  }

  /**
   * The method's parameters; one named like a class or package generated code refers to keeps
   * its source name for the user and gets another for generated code
   * ({@link Identifiers#parameterNames}).
   */
  private static List<Variable> parameters(Symbols symbols, ExecutableElement method) {
    List<String> sourceNames = method.getParameters().stream()
        .map(p -> p.getSimpleName().toString()).toList();
    List<String> javaNames = Identifiers.parameterNames(sourceNames, symbols.packageName());
    List<Variable> parameters = new ArrayList<>();
    for (int i = 0; i < sourceNames.size(); i++) {
      parameters.add(new Variable(javaNames.get(i), sourceNames.get(i),
          Symbols.type(method.getParameters().get(i).asType()), Variable.Kind.PARAMETER));
    }
    return parameters;
  }

  /**
   * A source local. Java 22's unnamed variable {@code _} has an empty name in javac's tree; the
   * reverse sweep may still read its value, so generated code calls it {@code unnamed}.
   */
  private static Variable local(String name, Type type) {
    return name.isEmpty() ? new Variable("unnamed", "_", type, Variable.Kind.LOCAL)
        : new Variable(name, type, Variable.Kind.LOCAL);
  }

  /** Reads a validated method: static, primitive parameters, double or float result. */
  public MethodIr read(ExecutableElement method, MethodTree tree) {
    List<Variable> parameters = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    method.getParameters().forEach(p -> taken.add(p.getSimpleName().toString()));
    // A helper without the annotation (differentiated where it is called): every input.
    Optional<DifferentiableAnnotation> wrt = DifferentiableAnnotation.of(method);
    java.util.function.Predicate<String> differentiates =
        name -> wrt.map(a -> a.differentiates(name)).orElse(true);
    List<Variable> differentiatedLeaves = new ArrayList<>();
    if (!method.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)) {
      // An instance method of a record or a final class: this is an implicit first parameter,
      // named "this" (a final class's is a constant: its fields carry no derivative).
      ObjectShape shape = ObjectTypes.shape(ObjectShape.THIS,
          method.getEnclosingElement().asType(), taken);
      signature.add(shape);
      declareObject(shape);
      List<Variable> varied = shape.variedLeaves();
      for (Variable leaf : shape.leaves()) {
        parameters.add(leaf);
        if (leaf.type().carriesDerivatives() && differentiates.test(ObjectShape.THIS)
            && varied.contains(leaf)) {
          differentiatedLeaves.add(leaf);
        }
      }
    }
    // Names generated code can use for the plain parameters (a parameter named Math is Math_).
    List<String> javaNames = Identifiers.parameterNames(method.getParameters().stream()
        .map(p -> p.getSimpleName().toString()).toList(), symbols.packageName());
    for (int i = 0; i < method.getParameters().size(); i++) {
      VariableElement p = method.getParameters().get(i);
      String name = p.getSimpleName().toString();
      if (ObjectTypes.isObject(p.asType())) {
        // A record, an array of records or an enum: its flat components (scalar replacement).
        taken.remove(name);
        ObjectShape shape = ObjectTypes.shape(name, p.asType(), taken);
        taken.add(name);
        signature.add(shape);
        declareObject(shape);
        List<Variable> varied = shape.variedLeaves();
        for (Variable leaf : shape.leaves()) {
          parameters.add(leaf);
          if (leaf.type().carriesDerivatives() && differentiates.test(name)
              && varied.contains(leaf)) {
            differentiatedLeaves.add(leaf);
          }
        }
        continue;
      }
      Variable v = new Variable(javaNames.get(i), name, Symbols.type(p.asType()),
          Variable.Kind.PARAMETER);
      parameters.add(v);
      scope.declare(v);
      signature.add(ObjectShape.value(v, p.asType().toString()));
      if (v.type().carriesDerivatives() && differentiates.test(name)) {
        differentiatedLeaves.add(v);
      }
    }
    topLevel.addAll(parameters);
    Type returnType = Symbols.type(method.getReturnType());
    if (ObjectTypes.isRecord(ObjectTypes.declared(method.getReturnType()))) {
      // A record of doubles is returned as the double[] of its components (a vector output).
      resultRecord = ObjectTypes.declared(method.getReturnType());
      returnType = Type.DOUBLE_ARRAY;
    }
    returnTypeOfMethod = returnType;
    List<Stmt> workCopies = returnType == Type.VOID ? List.of() : workCopies(tree, parameters);
    Stmt.Block body = block(tree.getBody().getStatements());
    if (!workCopies.isEmpty()) {
      List<Stmt> all = new ArrayList<>(workCopies);
      all.addAll(body.statements());
      body = Stmt.Block.of(all);
    }
    checkStorageLengths(body);
    if (resultRecord != null) {
      signature.add(ObjectTypes.resultShape(method.getReturnType()));
    }
    if (returnType.isArray()) {
      checkArrayResult(body, tree);
    }
    Optional<DifferentiableAnnotation> annotation = wrt;
    List<Variable> differentiated = List.copyOf(differentiatedLeaves);
    List<Variable> retained = new ArrayList<>();
    for (String name : annotation.map(DifferentiableAnnotation::retain).orElse(List.of())) {
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
        List.copyOf(retained),
        parameters.stream().filter(workCopied::contains).toList());
  }

  /**
   * A method returning a value may write its one-dimensional array parameters: each one it
   * writes is read into a work array of its own, {@code double[] pWork = p.clone()} lowered,
   * which the body reads and writes in its place (the name {@code p} stands for it). The
   * parameter itself is never written, so its adjoint is that of its initial contents, every
   * sweep sees those contents. The entry points end with a plain call on the caller's
   * arguments, which leaves the arrays as Java would: so that it sees the arguments' values,
   * the scalar parameters such a method reassigns are read into locals too ({@code double
   * yWork = y;}). A written matrix parameter stays ADJ216 (copying a matrix is its own loop).
   */
  /** The array parameters the body writes, each read into a work array of its own. */
  private final Set<Variable> workCopied = new HashSet<>();

  private List<Stmt> workCopies(MethodTree tree, List<Variable> parameters) {
    Set<String> arrays = new HashSet<>();
    for (Variable p : parameters) {
      if (p.type().isArray() && !p.type().element().isArray()) {
        arrays.add(p.name());
      }
    }
    if (arrays.isEmpty()) {
      return List.of();
    }
    Set<String> written = WrittenParameters.of(tree, arrays, this::mayWriteArguments);
    if (written.isEmpty()) {
      return List.of();
    }
    if (signature.stream().anyMatch(s -> !s.plain())) {
      // The entry points end with a plain call of the method on components, which works on
      // copies: the caller's arrays would be left unwritten.
      for (var declared : tree.getParameters()) {
        if (written.contains(declared.getName().toString())) {
          throw unsupported(declared, "writing array parameter '" + declared.getName()
              + "' in a method taking records or enums", "the entry points could not leave "
              + "the array as the plain call does: work on a copy (double[] work = "
              + declared.getName() + ".clone();), or take the record's components as "
              + "parameters.");
        }
      }
    }
    Set<String> taken = new HashSet<>();
    new com.sun.source.util.TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree id, Void unused) {
        taken.add(id.getName().toString());
        return null;
      }

      @Override
      public Void visitVariable(VariableTree v, Void unused) {
        taken.add(v.getName().toString());
        return super.visitVariable(v, unused);
      }
    }.scan(tree, null);
    Set<String> scalars = new HashSet<>();
    for (Variable p : parameters) {
      if (!p.type().isArray()) {
        scalars.add(p.name());
      }
    }
    Set<String> reassigned = WrittenParameters.reassigned(tree, scalars);
    List<Stmt> out = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      Variable p = parameters.get(i);
      if (!written.contains(p.name()) && !reassigned.contains(p.name())) {
        continue;
      }
      String name = p.name() + "Work";
      for (int k = 2; taken.contains(name); k++) {
        name = p.name() + "Work" + k;
      }
      taken.add(name);
      Variable work = new Variable(name, p.type(), Variable.Kind.LOCAL);
      Position pos = new Position(tree.getParameters().stream()
          .filter(declared -> declared.getName().contentEquals(p.sourceName()))
          .findFirst().map(Tree.class::cast).orElse(tree));
      if (!p.type().isArray()) {
        out.add(new Stmt.Declare(work, new Expr.Local(p), pos));
        scope.declareAs(p.name(), work);
        topLevel.add(work);
        if (p.type() == Type.INT) {
          intInitials.put(work, new Expr.Local(p));
        }
        continue;
      }
      Expr length = new Expr.ArrayLength(new Expr.Local(p));
      ArrayValues.Fresh copy = new ArrayValues.Fresh(p.type(), List.of(length), List.of(),
          Optional.of(new ArrayValues.Copy(new Expr.Local(p), Expr.Literal.ofInt(0), length)));
      out.add(new Stmt.Declare(work, copy.creation(), pos));
      out.addAll(ArrayValues.contents(work, copy, false, pos));
      scope.declareAs(p.name(), work);
      topLevel.add(work);
      arrayLengths.put(work, length);
      workCopied.add(p);
    }
    return out;
  }

  /**
   * Whether a call may write the arrays passed to it: a void method of this class (a void
   * helper), or one returning an array (read in place, it may write them).
   */
  private boolean mayWriteArguments(MethodInvocationTree call) {
    String name;
    if (call.getMethodSelect() instanceof IdentifierTree id) {
      name = id.getName().toString();
    } else if (call.getMethodSelect() instanceof MemberSelectTree s
        && s.getExpression().toString().equals(symbols.enclosing().getSimpleName().toString())) {
      name = s.getIdentifier().toString();
    } else {
      return false;
    }
    for (javax.lang.model.element.ExecutableElement m
        : symbols.methods(symbols.enclosing(), name)) {
      Type result = Symbols.type(m.getReturnType());
      if (result == Type.VOID || result != null && result.isArray()) {
        return true;
      }
    }
    return false;
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
      if (statements(statements, out)) {
        throw new Abort();
      }
      return Stmt.Block.of(out);
    } finally {
      scope.pop();
    }
  }

  /**
   * Reads statements into {@code out} in the current scope, each one even after another
   * failed; whether one failed. At the top level of the body, the storage of the arrays a
   * statement declares inside it goes right before it.
   */
  private boolean statements(List<? extends StatementTree> statements, List<Stmt> out) {
    boolean top = scope.depth() == 2;
    boolean failed = false;
    for (int i = 0; i < statements.size(); i++) {
      StatementTree s = statements.get(i);
      int at = out.size();
      boolean swap = isSwap(statements, i);
      try {
        if (swap) {
          swap(statements, i, out);
        } else {
          statement(s, null, out);
        }
      } catch (Abort a) {
        failed = true;
        if (swap) {
          context.poison(((VariableTree) s).getName().toString());
        }
      }
      if (swap) {
        i += 2;
      }
      if (top) {
        out.addAll(at, arrayStorage);
        arrayStorage.clear();
      }
    }
    return failed;
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
          List<Stmt> pre = new ArrayList<>();
          List<Stmt> main = hoisting(pre, s, () -> declaration((VariableTree) s));
          out.addAll(pre);
          out.addAll(main);
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
        if (returnTypeOfMethod.isArray() && scope.depth() == 2
            && t.getExpression() instanceof MethodInvocationTree call
            && !isFresh(t.getExpression())) {
          List<Stmt> pre = new ArrayList<>();
          Inlined inlined = hoisting(pre, t,
              () -> inlineArrayCall("result", returnTypeOfMethod, call, t));
          out.addAll(pre);
          out.addAll(inlined.statements());
          out.add(new Stmt.Return(Optional.of(new Expr.Local(inlined.result())), pos));
          return;
        }
        if (returnTypeOfMethod.isArray() && scope.depth() == 2
            && isFresh(t.getExpression())) {
          // return new double[] {a, b}; is a result array declared here and returned.
          Variable result = new Variable("result", returnTypeOfMethod, Variable.Kind.LOCAL);
          List<Stmt> pre = new ArrayList<>();
          List<Stmt> declared = hoisting(pre, t, () -> arrayValue(result, t.getExpression(), t));
          out.addAll(pre);
          out.addAll(declared);
          out.add(new Stmt.Return(Optional.of(new Expr.Local(result)), pos));
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
      case THROW -> out.add(throwStatement((ThrowTree) s, pos));
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
        Variable v = local(name, declared);
        first.add(new Stmt.Declare(v, expressions.assignable(element, declared, var,
            "loop variable '" + name + "'"), new Position(var)));
        scope.declare(v);
        declaredLocals.add(v);
      }
      Expr iteratedBase = array;
      while (iteratedBase instanceof Expr.ArrayRead r) {
        iteratedBase = r.array();
      }
      Variable iteratedArray = iteratedBase instanceof Expr.Local l ? l.variable() : null;
      if (iteratedArray != null) {
        iterated.push(iteratedArray);
      }
      Stmt.Block loopBody;
      try {
        loopBody = loopBody(label, t.getStatement());
      } finally {
        if (iteratedArray != null) {
          iterated.pop();
        }
      }
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

  /**
   * {@code throw new E(message)}: an unchecked exception created with no argument or a
   * message built from text and values ({@code "sigma must be positive: " + sigma}).
   */
  private Stmt.Throw throwStatement(ThrowTree t, Position pos) {
    String advice = "throw new IllegalArgumentException(...) (or another unchecked exception) "
        + "with a message made of text and numbers.";
    if (!(t.getExpression() instanceof NewClassTree n) || n.getClassBody() != null
        || n.getEnclosingExpression() != null || !n.getTypeArguments().isEmpty()) {
      throw unsupported(t, "throwing an existing exception object", advice);
    }
    Optional<TypeElement> type = symbols.resolveType(n.getIdentifier());
    if (type.isEmpty() || !unchecked(type.get()) || !accessible(type.get())) {
      throw unsupported(n.getIdentifier(), "throwing " + n.getIdentifier()
          + " (not an accessible unchecked exception)", advice);
    }
    String exception = type.get().getQualifiedName().toString();
    if (n.getArguments().isEmpty() && hasConstructor(type.get(), false)) {
      return new Stmt.Throw(exception, false, List.of(), List.of(), pos);
    }
    if (n.getArguments().size() != 1 || !isString(n.getArguments().get(0))
        || !hasConstructor(type.get(), true)) {
      throw unsupported(n, "creating the exception with these arguments", advice);
    }
    List<String> texts = new ArrayList<>(List.of(""));
    List<Expr> values = new ArrayList<>();
    messageParts(n.getArguments().get(0), texts, values);
    return new Stmt.Throw(exception, true, texts, values, pos);
  }

  /** Splits a string concatenation into its texts and (primitive) values, in order. */
  private void messageParts(ExpressionTree t, List<String> texts, List<Expr> values) {
    while (t instanceof ParenthesizedTree p && isString(p.getExpression())) {
      t = p.getExpression();
    }
    if (t.getKind() == Tree.Kind.STRING_LITERAL || t.getKind() == Tree.Kind.CHAR_LITERAL) {
      int last = texts.size() - 1;
      texts.set(last, texts.get(last) + ((LiteralTree) t).getValue());
      return;
    }
    if (t.getKind() == Tree.Kind.PLUS && isString(t)) {
      BinaryTree b = (BinaryTree) t;
      messageParts(b.getLeftOperand(), texts, values);
      messageParts(b.getRightOperand(), texts, values);
      return;
    }
    Expr value = expressions.expression(t);
    if (value.type().isArray() || value.type() == Type.VOID) {
      throw error(Message.TYPE_MISMATCH, t, "part of an exception message", "text or a number",
          value.type().javaName());
    }
    values.add(value);
    texts.add("");
  }

  /** Whether {@code t} is a string: a string literal, or a concatenation with one. */
  private static boolean isString(ExpressionTree t) {
    if (t instanceof ParenthesizedTree p) {
      return isString(p.getExpression());
    }
    return t.getKind() == Tree.Kind.STRING_LITERAL || t.getKind() == Tree.Kind.PLUS
        && (isString(((BinaryTree) t).getLeftOperand())
            || isString(((BinaryTree) t).getRightOperand()));
  }

  /** A subclass of RuntimeException or Error: generated methods declare no exceptions. */
  private static boolean unchecked(TypeElement type) {
    TypeElement t = type;
    while (t != null) {
      String name = t.getQualifiedName().toString();
      if (name.equals("java.lang.RuntimeException") || name.equals("java.lang.Error")) {
        return true;
      }
      t = t.getSuperclass() instanceof javax.lang.model.type.DeclaredType d
          ? (TypeElement) d.asElement() : null;
    }
    return false;
  }

  /** Whether the generated class (in this package) can create it. */
  private boolean accessible(TypeElement type) {
    for (javax.lang.model.element.Element e = type; e instanceof TypeElement te;
        e = e.getEnclosingElement()) {
      if (te.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE)
          || !te.getModifiers().contains(javax.lang.model.element.Modifier.PUBLIC)
          && !Symbols.packageOf(te).equals(symbols.packageName())) {
        return false;
      }
    }
    return true;
  }

  /** Whether it has a usable constructor taking a String ({@code message}) or nothing. */
  private static boolean hasConstructor(TypeElement type, boolean message) {
    return javax.lang.model.util.ElementFilter.constructorsIn(type.getEnclosedElements())
        .stream().filter(c -> !c.getModifiers().contains(javax.lang.model.element.Modifier.PRIVATE))
        .anyMatch(c -> message
            ? c.getParameters().size() == 1
                && c.getParameters().get(0).asType().toString().equals("java.lang.String")
            : c.getParameters().isEmpty());
  }

  /**
   * A {@code java.util.Random} or {@code SplittableRandom} local created from a seed: its state
   * locals (see {@link Generators}); empty for a local of any other type.
   */
  private Optional<List<Stmt>> generatorLocal(VariableTree t, Position pos) {
    Tree typeTree = t.getType();
    Optional<javax.lang.model.element.TypeElement> type;
    if (typeTree == null || typeTree.toString().equals("var")) {
      type = t.getInitializer() instanceof NewClassTree n
          ? symbols.resolveType(n.getIdentifier()) : Optional.empty();
    } else if (typeTree instanceof PrimitiveTypeTree
        || typeTree.getKind() == Tree.Kind.ARRAY_TYPE) {
      return Optional.empty();
    } else {
      type = symbols.resolveType(typeTree);
    }
    Optional<Generators.Kind> kind = type.flatMap(e -> Generators.Kind.of(
        e.getQualifiedName().toString()));
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    String name = t.getName().toString();
    if (!(t.getInitializer() instanceof NewClassTree n) || n.getArguments().size() != 1
        || n.getClassBody() != null || !symbols.resolveType(n.getIdentifier()).equals(type)) {
      boolean unseeded = t.getInitializer() instanceof NewClassTree n
          && n.getArguments().isEmpty();
      throw error(Message.GENERATOR_USE, t.getInitializer() == null ? t : t.getInitializer(),
          "'" + name + "' is not created here from a seed", kind.get().draws,
          unseeded ? "without a seed it draws different numbers on each call, so no derivative "
              + "could be checked against the value: pass a long seed in and write new "
              + kind.get().simpleName() + "(seed)."
              : "create it in its declaration, new " + kind.get().simpleName() + "(seed), from "
                  + "a seed the method is given.");
    }
    Expr seed = expressions.assignable(expressions.expression(n.getArguments().get(0)),
        Type.LONG, n.getArguments().get(0), "seed of '" + name + "'");
    Variable state = local(name, Type.LONG);
    Optional<Variable> pending = kind.get() == Generators.Kind.RANDOM
        ? Optional.of(new Variable(name + "Pending", Type.DOUBLE, Variable.Kind.LOCAL))
        : Optional.empty();
    Generators.Generator g = new Generators.Generator(kind.get(), state, pending);
    scope.declare(state);
    context.declareGenerator(g);
    return Optional.of(Generators.declare(g, seed, pos));
  }

  private List<Stmt> declaration(VariableTree t) {
    Position pos = new Position(t);
    Tree typeTree = t.getType();
    if (t.getInitializer() instanceof NewClassTree created && (typeTree == null
        || typeTree.toString().equals("var") || typeTree.getKind() != Tree.Kind.ARRAY_TYPE
        && !(typeTree instanceof PrimitiveTypeTree))) {
      Optional<javax.lang.model.element.TypeElement> built = symbols.resolveType(
          typeTree == null || typeTree.toString().equals("var") ? created.getIdentifier()
              : typeTree).filter(ObjectTypes::isRecord);
      if (built.isPresent()) {
        return builtRecordLocal(t, created, built.get(), pos);
      }
    }
    Optional<List<Stmt>> returned = recordCallLocal(t);
    if (returned.isPresent()) {
      return returned.get();
    }
    Optional<Stmt> record = recordLocal(t, pos);
    if (record.isPresent()) {
      return List.of(record.get());
    }
    Optional<List<Stmt>> generator = generatorLocal(t, pos);
    if (generator.isPresent()) {
      return generator.get();
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
    Variable v = local(t.getName().toString(), type);
    scope.declare(v);
    declaredLocals.add(v);
    enumType.ifPresent(e -> context.declareEnum(v, e));
    if (runsOnce()) {
      topLevel.add(v);
    }
    if (init != null && type == Type.INT) {
      intInitials.put(v, init);
    }
    return List.of(new Stmt.Declare(v, Optional.ofNullable(init), pos));
  }

  /**
   * A local array: {@code double[] a = new double[n];}, {@code double[] a = {1, 2};}, {@code
   * x.clone()}, {@code Arrays.copyOf(x, n)} or {@code Arrays.copyOfRange(x, from, to)}.
   */
  private List<Stmt> arrayDeclaration(VariableTree t, Type type) {
    if (type == Type.BOOLEAN_ARRAY) {
      throw error(Message.UNSUPPORTED_LOCAL_TYPE, t, t.getName(), "boolean[] (boolean arrays "
          + "may be parameters, read-only; use an int[] of 1 and 0)");
    }
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
      return List.of();
    }
    ExpressionTree init = t.getInitializer();
    if (init == null) {
      throw unsupported(t, "declaring array '" + t.getName() + "' without creating it",
          "create it where it is declared: " + type.javaName() + " " + t.getName() + " = new "
              + type.scalar().javaName() + "[n]" + (type.element().isArray() ? "[m]" : "")
              + ";");
    }
    String declared = t.getName().toString();
    // The array an inlined method returns takes the name its caller gives the result.
    String name = declared.equals(renameFrom) && scope.depth() == renameDepth ? renameTo
        : declared;
    if (init instanceof MethodInvocationTree call && !isFresh(init)) {
      Inlined inlined = inlineArrayCall(name, type, call, t);
      scope.declareAs(declared, inlined.result());
      return inlined.statements();
    }
    Variable v = local(name, type);
    List<Stmt> out = arrayValue(v, init, t);
    scope.declareAs(declared, v);
    return out;
  }

  /**
   * The scope depth of the body of a method being inlined whose statements run exactly once
   * (it is called at the top level of the body), or -1.
   */
  private int onceDepth = -1;

  /** The local array an inlined method returns, the name the caller gives it, and where. */
  private String renameFrom;
  private String renameTo;
  private int renameDepth = -1;

  /** Whether the statement being read runs exactly once: the top level of the body. */
  private boolean runsOnce() {
    return !insideExpression && (scope.depth() == 2 || scope.depth() == onceDepth);
  }

  /**
   * While an array used inside an expression is read: its statements go where the statement's
   * hoisted side effects go, which may be a loop's condition, so its arrays get storage.
   */
  private boolean insideExpression;

  /**
   * An array-valued expression inside another expression ({@code f(new double[] {x, y})},
   * {@code sum(x.clone())}, {@code norm(dense(w, x, b))}): held in a fresh local array, filled
   * by statements before the one being read. Empty where {@code value} is not one.
   */
  private Optional<Expr> arrayExpression(ExpressionTree value, List<Stmt> effects) {
    Type type;
    boolean call = false;
    if (value instanceof NewArrayTree n) {
      if (n.getType() == null) {
        return Optional.empty();
      }
      type = Type.forName(n.getType() + "[]".repeat(Math.max(1, n.getDimensions().size())));
    } else if (value instanceof MethodInvocationTree m && isFresh(value)) {
      MemberSelectTree select = (MemberSelectTree) m.getMethodSelect();
      ExpressionTree source = select.getIdentifier().contentEquals("clone")
          ? select.getExpression() : m.getArguments().isEmpty() ? null : m.getArguments().get(0);
      if (source == null) {
        return Optional.empty();
      }
      type = expressions.expression(source).type();
    } else if (value instanceof MethodInvocationTree m) {
      type = arrayMethodResult(m);
      call = true;
    } else {
      return Optional.empty();
    }
    if (type == null || !type.isArray()) {
      return Optional.empty();
    }
    String name = call ? methodName((MethodInvocationTree) value) : "array";
    boolean outer = insideExpression;
    insideExpression = true;
    try {
      if (call) {
        Inlined inlined = inlineArrayCall(name, type, (MethodInvocationTree) value, value);
        effects.addAll(inlined.statements());
        return Optional.of(new Expr.Local(inlined.result()));
      }
      Variable v = new Variable(name, type, Variable.Kind.LOCAL);
      effects.addAll(arrayValue(v, value, value));
      return Optional.of(new Expr.Local(v));
    } finally {
      insideExpression = outer;
    }
  }

  /** The name a call selects, unqualified or qualified by this class; null otherwise. */
  private String methodName(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    return select instanceof IdentifierTree id ? id.getName().toString()
        : select instanceof MemberSelectTree m && m.getExpression().toString()
            .equals(symbols.enclosing().getSimpleName().toString())
            ? m.getIdentifier().toString() : null;
  }

  /** The array type a call of a static method of this class returns, or null. */
  private Type arrayMethodResult(MethodInvocationTree call) {
    String method = methodName(call);
    if (method == null) {
      return null;
    }
    List<ExecutableElement> candidates = symbols.methods(symbols.enclosing(), method).stream()
        .filter(e -> e.getParameters().size() == call.getArguments().size()
            && e.getModifiers().contains(javax.lang.model.element.Modifier.STATIC))
        .toList();
    if (candidates.size() != 1) {
      return null;
    }
    Type result = Symbols.type(candidates.get(0).getReturnType());
    return result != null && result.isArray() ? result : null;
  }

  // ------------------------------------------------------------- calls returning a record

  /**
   * The method {@code call} calls when it returns a record and its body can be read in place:
   * a static method of this class or of a class named ({@code Dynamics.step(...)}), or an
   * instance method of the record it is called on ({@code s.advance(dt)}, or bare inside the
   * record); null otherwise. Reads nothing.
   */
  private ExecutableElement recordMethod(MethodInvocationTree call,
      Optional<ExpressionReader.RecordRef> receiver) {
    ExpressionTree select = call.getMethodSelect();
    List<ExecutableElement> candidates;
    int arity = call.getArguments().size();
    if (select instanceof IdentifierTree id) {
      String name = id.getName().toString();
      boolean inRecord = context.record(ObjectShape.THIS).isPresent();
      candidates = symbols.methods(symbols.enclosing(), name).stream()
          .filter(m -> inRecord || m.getModifiers().contains(
              javax.lang.model.element.Modifier.STATIC)).toList();
      // Inside a record nested in a class, the class's static methods (as Java resolves them).
      for (javax.lang.model.element.Element outer = symbols.enclosing().getEnclosingElement();
          candidates.isEmpty() && outer instanceof javax.lang.model.element.TypeElement o;
          outer = o.getEnclosingElement()) {
        candidates = symbols.methods(o, name).stream().filter(m -> m.getModifiers().contains(
            javax.lang.model.element.Modifier.STATIC)).toList();
      }
    } else if (select instanceof MemberSelectTree sel) {
      String name = sel.getIdentifier().toString();
      if (receiver.isPresent()) {
        if (receiver.get().array()) {
          return null;
        }
        Optional<javax.lang.model.element.TypeElement> type =
            symbols.typeElement(receiver.get().shape().javaType());
        candidates = type.map(r -> symbols.methods(r, name).stream()
            .filter(m -> !m.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)
                && m.getEnclosingElement().equals(r) && r.getRecordComponents().stream()
                    .noneMatch(c -> m.equals(c.getAccessor()))).toList()).orElse(List.of());
      } else {
        ExpressionTree q = sel.getExpression();
        if (q instanceof IdentifierTree qid && (scope.lookup(qid.getName().toString()) != null
            || scope.alias(qid.getName().toString()).isPresent())
            || q.getKind() != Tree.Kind.IDENTIFIER && q.getKind() != Tree.Kind.MEMBER_SELECT) {
          return null;
        }
        candidates = symbols.resolveType(q).map(o -> symbols.methods(o, name).stream()
            .filter(m -> m.getModifiers().contains(javax.lang.model.element.Modifier.STATIC))
            .toList()).orElse(List.of());
      }
    } else {
      return null;
    }
    List<ExecutableElement> fitting = candidates.stream()
        .filter(m -> m.getParameters().size() == arity && !m.isVarArgs()).toList();
    if (fitting.size() != 1) {
      return null;
    }
    ExecutableElement m = fitting.get(0);
    return ObjectTypes.isRecord(ObjectTypes.declared(m.getReturnType())) ? m : null;
  }

  /** Calls of methods returning a record already read in the statement being read. */
  private final Map<Tree, Map.Entry<List<Stmt>, ExpressionReader.RecordRef>> recordCalls =
      new java.util.IdentityHashMap<>();

  /**
   * {@code step(s, p, dt)} where a record is read: the callee's body read in place, its record
   * held in fresh locals appended to {@code effects}. Reading the same call again for the same
   * statement (a receiver read twice) gives the same locals.
   */
  private ExpressionReader.RecordRef recordCallValue(MethodInvocationTree call,
      ExecutableElement method, Optional<ExpressionReader.RecordRef> receiver,
      List<Stmt> effects) {
    Map.Entry<List<Stmt>, ExpressionReader.RecordRef> known = recordCalls.get(call);
    if (known != null && known.getKey() == effects) {
      return known.getValue();
    }
    boolean outer = insideExpression;
    insideExpression = true;
    try {
      ObjectShape shape = inlineRecordCall(method.getSimpleName().toString(), call, method,
          receiver, effects);
      ExpressionReader.RecordRef ref = new ExpressionReader.RecordRef(shape, Optional.empty(),
          false);
      recordCalls.put(call, Map.entry(effects, ref));
      return ref;
    } finally {
      insideExpression = outer;
    }
  }

  /**
   * {@code R s = step(s0, p, dt);}, {@code var s = q.advance(dt);}: the record local is the
   * callee's result, read in place (its components are the locals the callee's record fills);
   * it may be reassigned when its components are numbers, booleans, enums and records of them.
   */
  private Optional<List<Stmt>> recordCallLocal(VariableTree t) {
    Tree typeTree = t.getType();
    if (!(t.getInitializer() instanceof MethodInvocationTree call)
        || typeTree != null && (typeTree.getKind() == Tree.Kind.ARRAY_TYPE
            || typeTree instanceof PrimitiveTypeTree)) {
      return Optional.empty();
    }
    Optional<ExpressionReader.RecordRef> receiver =
        call.getMethodSelect() instanceof MemberSelectTree sel
            ? expressions.recordRef(sel.getExpression()) : Optional.empty();
    ExecutableElement method = recordMethod(call, receiver);
    if (method == null) {
      return Optional.empty();
    }
    boolean inferred = typeTree == null || typeTree.toString().equals("var");
    javax.lang.model.element.TypeElement record = ObjectTypes.declared(method.getReturnType());
    if (!inferred && !symbols.resolveType(typeTree).map(record::equals).orElse(false)) {
      throw error(Message.TYPE_MISMATCH, t.getInitializer(), "initializer of '" + t.getName()
          + "'", typeTree, record.getSimpleName());
    }
    String name = t.getName().toString();
    List<Stmt> out = new ArrayList<>();
    ObjectShape shape = inlineRecordCall(name, call, method, receiver, out);
    context.declareRecord(shape);
    if (shape.leaves().stream().noneMatch(v -> v.type().isArray())
        && !hasKept(shape)) {
      builtRecords.put(name, shape);
    }
    return Optional.of(out);
  }

  private static boolean hasKept(ObjectShape s) {
    return s.kind() == ObjectShape.Kind.KEPT || s.kind() == ObjectShape.Kind.RECORD_ARRAY
        || s.components().stream().anyMatch(BodyReader::hasKept);
  }

  /** The methods returning a record whose bodies are being read in place. */
  private final Set<ExecutableElement> inliningRecords = new HashSet<>();

  /**
   * Declares an inlined callee's scalar parameter {@code p} as a local holding its argument
   * (kept at the top level when the inlined body runs once), as the callee's body reads it.
   */
  private Variable declareArgument(VariableElement p, Type pt, Expr arg, ExpressionTree argTree,
      String callee, boolean once, List<Stmt> out) {
    String pname = p.getSimpleName().toString();
    if (pt == null) {
      throw error(Message.UNSUPPORTED_LOCAL_TYPE, argTree, pname, p.asType().toString());
    }
    Variable pv = new Variable(pname, pt, Variable.Kind.LOCAL);
    Expr init = expressions.assignable(arg, pt, argTree, "argument '" + pname + "' of '"
        + callee + "'");
    out.add(new Stmt.Declare(pv, init, new Position(argTree)));
    scope.declare(pv);
    if (once) {
      topLevel.add(pv);
    }
    if (pt == Type.INT) {
      intInitials.put(pv, init);
    }
    return pv;
  }
  /**
   * Reads the body of {@code method}, which returns a record, in place of {@code call}: its
   * parameters bound to the arguments (scalars to locals holding them, arrays and records to
   * what the caller passes, read in place), its statements in a scope of its own that sees
   * only its parameters and its class's names, and its last statement, {@code return new
   * R(...)} (or a record it names, or another such call), giving the result: a record shape
   * named {@code name} whose leaves are locals holding the components, declared in {@code
   * out}; an array component is the callee's array itself. Nothing is called at run time, so
   * the transforms see ordinary statements and every mode applies; the callee runs once per
   * call, however many components the caller reads.
   */
  private ObjectShape inlineRecordCall(String name, MethodInvocationTree call,
      ExecutableElement method, Optional<ExpressionReader.RecordRef> receiver, List<Stmt> out) {
    String what = method.getSimpleName().toString();
    javax.lang.model.element.TypeElement owner =
        (javax.lang.model.element.TypeElement) method.getEnclosingElement();
    MethodTree tree = symbols.helpers().source(method)
        .orElseGet(() -> owner.equals(symbols.enclosing()) ? methodTree(method) : null);
    if (tree == null || tree.getBody() == null) {
      throw unsupported(call, "calling '" + what + "' (which returns a record) without its "
          + "source", "a method returning a record is read where it is called: compile "
          + owner.getSimpleName() + " with this class (its source in the same compilation).");
    }
    List<? extends StatementTree> body = tree.getBody().getStatements();
    StatementTree last = body.isEmpty() ? null : body.get(body.size() - 1);
    boolean early = body.subList(0, Math.max(0, body.size() - 1)).stream()
        .anyMatch(BodyReader::returns);
    if (!(last instanceof ReturnTree r) || r.getExpression() == null || early) {
      throw unsupported(call, "calling '" + what + "' (which returns a record) with more "
          + "than one return", "'" + what + "' is read where it is called and must end with "
          + "its only return statement: compute the components in locals (if / else) and "
          + "return the record once, at the end.");
    }
    if (!inliningRecords.add(method)) {
      throw unsupported(call, "a recursive call of '" + what + "' (which returns a record)",
          "compute the record with a loop, or return a double.");
    }
    Position pos = new Position(call);
    // The arguments, read in the caller's names, in Java's order.
    List<Object> bound = new ArrayList<>();
    for (int i = 0; i < method.getParameters().size(); i++) {
      VariableElement p = method.getParameters().get(i);
      ExpressionTree argTree = call.getArguments().get(i);
      javax.lang.model.element.TypeElement d = ObjectTypes.declared(p.asType());
      if (ObjectTypes.isRecord(d) || ObjectTypes.recordArrayElement(p.asType()) != null) {
        bound.add(recordArgument(argTree, p, what, out));
      } else {
        bound.add(expressions.expression(argTree));
      }
    }
    Optional<ExpressionReader.RecordRef> self = receiver;
    if (!method.getModifiers().contains(javax.lang.model.element.Modifier.STATIC)
        && self.isEmpty()) {
      self = context.record(ObjectShape.THIS).map(s -> new ExpressionReader.RecordRef(s,
          Optional.empty(), false));
    }
    if (self.isPresent() && self.get().index().isPresent()) {
      // An element as the receiver: its components copied, read as the callee's fields.
      self = Optional.of(new ExpressionReader.RecordRef(copyRecord(what + "Self",
          self.get(), out, pos), Optional.empty(), false));
    }
    Deque<String> outerLoops = new ArrayDeque<>(loops);
    loops.clear();
    boolean once = runsOnce();
    int outerOnce = onceDepth;
    String outerFrom = renameFrom;
    int outerRenameDepth = renameDepth;
    renameFrom = null;
    Map<String, ObjectShape> outerBuilt = new HashMap<>(builtRecords);
    builtRecords.clear();
    ReadContext.RecordNames outerRecords = context.setAsideRecords();
    javax.lang.model.element.TypeElement outerClass = symbols.readAs(owner);
    scope.pushIsolated();
    try {
      self.ifPresent(s -> context.declareRecord(new ObjectShape(ObjectShape.Kind.RECORD,
          ObjectShape.THIS, s.shape().javaType(), Optional.empty(), s.shape().components())));
      for (int i = 0; i < bound.size(); i++) {
        VariableElement p = method.getParameters().get(i);
        String pname = p.getSimpleName().toString();
        ExpressionTree argTree = call.getArguments().get(i);
        if (bound.get(i) instanceof ExpressionReader.RecordRef ref) {
          context.declareRecordAlias(pname, ref);
          continue;
        }
        Expr arg = (Expr) bound.get(i);
        javax.lang.model.element.TypeElement enumType = ObjectTypes.declared(p.asType());
        Type pt = ObjectTypes.isEnum(enumType) ? Type.INT : Symbols.type(p.asType());
        if (pt != null && pt.isArray()) {
          if (arg.type() != pt) {
            throw error(Message.TYPE_MISMATCH, argTree, "argument '" + pname + "' of '" + what
                + "'", pt.javaName(), arg.type().javaName());
          }
          scope.declareAlias(pname, arg);
          continue;
        }
        Variable pv = declareArgument(p, pt, arg, argTree, what, once, out);
        if (ObjectTypes.isEnum(enumType)) {
          context.declareEnum(pv, enumType);
        }
      }
      scope.push();
      onceDepth = once ? scope.depth() : -1;
      try {
        boolean failed = statements(body.subList(0, body.size() - 1), out);
        if (failed) {
          throw new Abort();
        }
        ExpressionTree value = ((ReturnTree) last).getExpression();
        javax.lang.model.element.TypeElement record =
            ObjectTypes.declared(method.getReturnType());
        List<Expr> values = hoisting(out, last, () -> resultValues(value, record, what));
        return recordOf(name, record, values, out, new Position(last));
      } finally {
        scope.pop();
      }
    } finally {
      scope.pop();
      symbols.readAs(outerClass);
      context.restoreRecords(outerRecords);
      builtRecords.clear();
      builtRecords.putAll(outerBuilt);
      loops.addAll(outerLoops);
      inliningRecords.remove(method);
      onceDepth = outerOnce;
      renameFrom = outerFrom;
      renameDepth = outerRenameDepth;
    }
  }

  /** A record argument of an inlined method: a record the caller names, or one it creates. */
  private ExpressionReader.RecordRef recordArgument(ExpressionTree arg, VariableElement p,
      String what, List<Stmt> out) {
    javax.lang.model.element.TypeElement d = ObjectTypes.declared(p.asType());
    if (arg instanceof NewClassTree created && ObjectTypes.isRecord(d)) {
      List<Expr> values = new ArrayList<>();
      recordValues(created, d, values);
      return new ExpressionReader.RecordRef(recordOf(p.getSimpleName().toString(), d, values,
          out, new Position(arg)), Optional.empty(), false);
    }
    Optional<ExpressionReader.RecordRef> ref = expressions.recordRef(arg);
    String expected = p.asType().toString();
    if (ref.isEmpty() || !(ref.get().shape().javaType() + (ref.get().array() ? "[]" : ""))
        .equals(expected)) {
      throw error(Message.TYPE_MISMATCH, arg, "argument '" + p.getSimpleName() + "' of '"
          + what + "'", expected, ref.map(r -> r.shape().simpleType()
              + (r.array() ? "[]" : "")).orElse(String.valueOf(arg)));
    }
    return ref.get();
  }

  /** The leaf values of a returned record: {@code new R(...)}, a record named, a call. */
  private List<Expr> resultValues(ExpressionTree value,
      javax.lang.model.element.TypeElement record, String what) {
    if (value instanceof NewClassTree created) {
      List<Expr> values = new ArrayList<>();
      resultComponents(created, record, values);
      return values;
    }
    Optional<ExpressionReader.RecordRef> ref = expressions.recordRef(value);
    if (ref.isEmpty() || ref.get().array()
        || !ref.get().shape().javaType().equals(record.getQualifiedName().toString())) {
      throw error(Message.RECORD_RESULT_FORM, value, record.getSimpleName());
    }
    return expressions.leafValues(ref.get());
  }

  /**
   * The leaf values of {@code new R(...)} returned by an inlined method: as for a record
   * created in the method, and also array components (a local array or an array the method
   * was given, read in place) and arrays of records it names.
   */
  private void resultComponents(NewClassTree n, javax.lang.model.element.TypeElement record,
      List<Expr> out) {
    if (!symbols.resolveType(n.getIdentifier()).map(record::equals).orElse(false)
        || n.getClassBody() != null) {
      throw error(Message.RECORD_RESULT_FORM, n, record.getSimpleName());
    }
    var components = record.getRecordComponents();
    for (int i = 0; i < components.size(); i++) {
      ExpressionTree arg = n.getArguments().get(i);
      var ct = components.get(i).asType();
      Type prim = Symbols.type(ct);
      var d = ObjectTypes.declared(ct);
      var element = ObjectTypes.recordArrayElement(ct);
      if (prim != null && prim.isArray()) {
        Expr array = expressions.expression(arg);
        if (!(array instanceof Expr.Local) || array.type() != prim) {
          throw unsupported(arg, "component '" + components.get(i).getSimpleName() + "' of a "
              + "returned record from '" + arg + "'", "return an array variable (a local "
              + "array, a parameter, or a copy of a row: row.clone()).");
        }
        out.add(array);
      } else if (d != null && ObjectTypes.isRecord(d) && arg instanceof NewClassTree nested) {
        resultComponents(nested, d, out);
      } else if (element != null || d != null && ObjectTypes.isRecord(d)) {
        Optional<ExpressionReader.RecordRef> ref = expressions.recordRef(arg);
        if (ref.isEmpty() || ref.get().array() != (element != null)) {
          throw error(Message.RECORD_AS_VALUE, arg, arg, (element != null ? element : d)
              .getSimpleName() + (element != null ? "[]" : ""));
        }
        out.addAll(expressions.leafValues(ref.get()));
      } else {
        // Numbers, booleans and enums: read as recordValues reads them.
        if (prim != null && prim != Type.VOID) {
          out.add(expressions.assignable(expressions.expression(arg), prim, arg,
              "component '" + components.get(i).getSimpleName() + "'"));
        } else if (d != null && ObjectTypes.isEnum(d)) {
          out.add(expressions.expression(arg));
        } else {
          throw unsupported(arg, "component '" + components.get(i).getSimpleName() + "' of a "
              + "record returned by a method read in place", "a returned record holds "
              + "numbers, booleans, enums, arrays and records of them.");
        }
      }
    }
  }

  /**
   * A record of type {@code record} named {@code name} holding {@code values} (its leaves,
   * depth first): each scalar leaf a new local declared in {@code out}, each array leaf the
   * array variable given.
   */
  private ObjectShape recordOf(String name, javax.lang.model.element.TypeElement record,
      List<Expr> values, List<Stmt> out, Position pos) {
    ObjectShape params = ObjectTypes.shape(name, record.asType(), new HashSet<>());
    int[] next = {0};
    return localLeaves(params, values, next, out, pos);
  }

  private ObjectShape localLeaves(ObjectShape s, List<Expr> values, int[] next, List<Stmt> out,
      Position pos) {
    Optional<Variable> leaf = Optional.empty();
    if (s.leaf().isPresent()) {
      Variable p = s.leaf().get();
      Expr value = values.get(next[0]++);
      if (p.type().isArray()) {
        leaf = Optional.of(((Expr.Local) value).variable());
      } else {
        Variable v = new Variable(p.name(), p.type(), Variable.Kind.LOCAL);
        out.add(new Stmt.Declare(v, Optional.of(value), pos));
        if (runsOnce()) {
          topLevel.add(v);
        }
        if (s.kind() == ObjectShape.Kind.ENUM) {
          symbols.typeElement(s.javaType()).ifPresent(e -> context.declareEnum(v, e));
        }
        leaf = Optional.of(v);
      }
    }
    List<ObjectShape> components = new ArrayList<>();
    for (ObjectShape c : s.components()) {
      components.add(localLeaves(c, values, next, out, pos));
    }
    return new ObjectShape(s.kind(), s.name(), s.javaType(), leaf, List.copyOf(components));
  }

  /** The components of a record element {@code r} copied into locals named after {@code name}. */
  private ObjectShape copyRecord(String name, ExpressionReader.RecordRef r, List<Stmt> out,
      Position pos) {
    javax.lang.model.element.TypeElement record = symbols.typeElement(r.shape().javaType())
        .orElseThrow();
    return recordOf(name, record, expressions.leafValues(r), out, pos);
  }

  /** The statements of an inlined call and the array holding its result. */
  private record Inlined(List<Stmt> statements, Variable result) {}

  /** The static methods of this class whose bodies are being inlined. */
  private final Set<ExecutableElement> inlining = new HashSet<>();

  /**
   * A call of a static method of this class that returns an array, differentiated where it
   * is called: its body is read here, in a scope of its own, with its scalar parameters bound
   * to locals holding the arguments and its array parameters standing for the arrays passed
   * (Java passes references); the array it returns holds the call's value. Its arrays are
   * created once, before the caller's top-level statement, like any array declared in a
   * block, so a call in a loop allocates nothing per iteration.
   */
  private Inlined inlineArrayCall(String name, Type type, MethodInvocationTree call, Tree at) {
    String method = methodName(call);
    List<ExecutableElement> candidates = method == null ? List.of()
        : symbols.methods(symbols.enclosing(), method).stream()
            .filter(e -> e.getParameters().size() == call.getArguments().size()
                && e.getModifiers().contains(javax.lang.model.element.Modifier.STATIC))
            .toList();
    MethodTree tree = candidates.size() == 1 ? methodTree(candidates.get(0)) : null;
    if (tree == null || tree.getBody() == null) {
      throw unsupported(at, "initialising array '" + name + "' from the call '" + call + "'",
          "a call returning an array is differentiated through when it calls a static method "
              + "of this class, not overloaded by arity: move the method into this class (or "
              + "make it a void method that fills an array you pass it).");
    }
    ExecutableElement callee = candidates.get(0);
    Type result = Symbols.type(callee.getReturnType());
    if (result != type) {
      throw error(Message.TYPE_MISMATCH, call, "result of '" + method + "'", type.javaName(),
          String.valueOf(result == null ? callee.getReturnType() : result.javaName()));
    }
    List<? extends StatementTree> body = tree.getBody().getStatements();
    StatementTree last = body.isEmpty() ? null : body.get(body.size() - 1);
    boolean early = body.subList(0, Math.max(0, body.size() - 1)).stream()
        .anyMatch(BodyReader::returns);
    if (!(last instanceof ReturnTree r) || r.getExpression() == null || early) {
      throw unsupported(at, "initialising array '" + name + "' from the call '" + call + "'",
          "'" + method + "' must end with its only return statement to be differentiated "
              + "where it is called: keep the result in a local array and return it once, "
              + "at the end.");
    }
    if (!inlining.add(callee)) {
      throw unsupported(at, "a recursive call of '" + method + "', which returns an array",
          "compute the array with a loop, or fill an array passed to a void method.");
    }
    List<Expr> args = new ArrayList<>();
    for (ExpressionTree a : call.getArguments()) {
      args.add(expressions.expression(a));
    }
    List<Stmt> out = new ArrayList<>();
    Deque<String> outerLoops = new ArrayDeque<>(loops);
    loops.clear();
    boolean once = runsOnce();
    int outerOnce = onceDepth;
    String outerFrom = renameFrom;
    String outerTo = renameTo;
    int outerRenameDepth = renameDepth;
    scope.pushIsolated();
    try {
      for (int i = 0; i < args.size(); i++) {
        VariableElement p = callee.getParameters().get(i);
        String pname = p.getSimpleName().toString();
        Type pt = Symbols.type(p.asType());
        Expr arg = args.get(i);
        ExpressionTree argTree = call.getArguments().get(i);
        if (pt != null && pt.isArray()) {
          Expr base = arg;
          while (base instanceof Expr.ArrayRead read) {
            base = read.array();
          }
          if (arg.type() != pt || !(base instanceof Expr.Local)) {
            throw error(Message.TYPE_MISMATCH, argTree, "argument '" + pname + "' of '"
                + method + "'", pt.javaName() + " (an array variable or a matrix row)",
                arg.type().javaName());
          }
          scope.declareAlias(pname, arg);
        } else {
          declareArgument(p, pt, arg, argTree, method, once, out);
        }
      }
      scope.push();
      onceDepth = once ? scope.depth() : -1;
      ExpressionTree returned = ((ReturnTree) last).getExpression();
      renameFrom = returned instanceof IdentifierTree id ? id.getName().toString() : null;
      renameTo = name;
      renameDepth = scope.depth();
      try {
        boolean failed = statements(body.subList(0, body.size() - 1), out);
        renameFrom = null;
        ExpressionTree value = ((ReturnTree) last).getExpression();
        Variable resultArray;
        if (value instanceof IdentifierTree id && scope.lookup(id.getName().toString()) != null
            && scope.lookup(id.getName().toString()).kind() == Variable.Kind.LOCAL
            && scope.lookup(id.getName().toString()).type().isArray()) {
          resultArray = scope.lookup(id.getName().toString());
        } else if (isFresh(value)) {
          resultArray = new Variable(name, type, Variable.Kind.LOCAL);
          out.addAll(arrayValue(resultArray, value, last));
        } else if (value instanceof MethodInvocationTree nested) {
          Inlined inner = inlineArrayCall(name, type, nested, last);
          out.addAll(inner.statements());
          resultArray = inner.result();
        } else {
          throw unsupported(last, "returning '" + value + "' from '" + method + "', called "
              + "for array '" + name + "'", "return a local array (copy a parameter with "
              + value + ".clone()).");
        }
        if (failed) {
          throw new Abort();
        }
        return new Inlined(List.copyOf(out), resultArray);
      } finally {
        scope.pop();
      }
    } finally {
      scope.pop();
      loops.addAll(outerLoops);
      inlining.remove(callee);
      onceDepth = outerOnce;
      renameFrom = outerFrom;
      renameTo = outerTo;
      renameDepth = outerRenameDepth;
    }
  }

  private static boolean returns(Tree t) {
    Boolean found = new com.sun.source.util.TreeScanner<Boolean, Void>() {
      @Override
      public Boolean visitReturn(ReturnTree r, Void unused) {
        return true;
      }

      @Override
      public Boolean visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree l,
          Void unused) {
        return false;
      }

      @Override
      public Boolean reduce(Boolean a, Boolean b) {
        return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
      }
    }.scan(t, null);
    return Boolean.TRUE.equals(found);
  }

  /** The declaration of {@code method} in this compilation unit, or null. */
  private MethodTree methodTree(ExecutableElement method) {
    String owner = symbols.enclosing().getSimpleName().toString();
    List<MethodTree> found = new ArrayList<>();
    new com.sun.source.util.TreeScanner<Void, Boolean>() {
      @Override
      public Void visitClass(com.sun.source.tree.ClassTree c, Boolean inOwner) {
        return super.visitClass(c, c.getSimpleName().contentEquals(owner));
      }

      @Override
      public Void visitMethod(MethodTree m, Boolean inOwner) {
        if (Boolean.TRUE.equals(inOwner) && m.getName().contentEquals(method.getSimpleName())
            && m.getParameters().size() == method.getParameters().size()) {
          boolean same = true;
          for (int i = 0; i < m.getParameters().size(); i++) {
            same &= m.getParameters().get(i).getType().toString()
                .equals(method.getParameters().get(i).asType().toString());
          }
          if (same) {
            found.add(m);
          }
        }
        return null;
      }
    }.scan(symbols.unit(), false);
    return found.size() == 1 ? found.get(0) : null;
  }

  /** Whether {@code e} makes a fresh array: creation, clone, Arrays.copyOf(Range). */
  private static boolean isFresh(ExpressionTree e) {
    if (e.getKind() == Tree.Kind.NEW_ARRAY) {
      return true;
    }
    return e instanceof MethodInvocationTree m && m.getMethodSelect() instanceof MemberSelectTree s
        && (s.getIdentifier().contentEquals("clone") && m.getArguments().isEmpty()
            || isArrays(s.getExpression()) && (s.getIdentifier().contentEquals("copyOf")
                || s.getIdentifier().contentEquals("copyOfRange")));
  }

  private static boolean isArrays(ExpressionTree e) {
    String q = e.toString();
    return q.equals("Arrays") || q.equals("java.util.Arrays");
  }

  /**
   * The statements that make {@code v} (not yet in scope) hold the fresh array {@code init}:
   * at the top level of the body, its declaration and copy; elsewhere its storage is created at
   * the top level (before the statement containing this one) and filled here, as a new array
   * would be: the reverse sweep then keeps one array object per variable.
   */
  private List<Stmt> arrayValue(Variable v, ExpressionTree init, Tree at) {
    Position pos = new Position(at);
    ArrayValues.Fresh fresh = fresh(init, v.type(), v.name(), at);
    arrayLengths.put(v, fresh.length());
    if (runsOnce()) {
      topLevel.add(v);
      declaredLocals.add(v);
      List<Stmt> out = new ArrayList<>();
      out.add(new Stmt.Declare(v, fresh.creation(), pos));
      out.addAll(ArrayValues.contents(v, fresh, false, pos));
      return out;
    }
    Set<Variable> lengthReads = new HashSet<>();
    List<Expr> early = new ArrayList<>();
    for (Expr d : fresh.dimensions()) {
      early.add(earlyLength(d, at, v, lengthReads));
    }
    Expr.NewArray storage = new ArrayValues.Fresh(fresh.type(), List.copyOf(early),
        fresh.elements(), fresh.copy()).storage();
    storageLengthReads.put(at, java.util.Map.entry("creating array '" + v + "' inside a block "
        + "or loop", lengthReads));
    arrayStorage.add(new Stmt.Declare(v, storage, pos));
    return ArrayValues.contents(v, fresh, true, pos);
  }

  /**
   * A length as it can be computed at the top of the body: it may read parameters, top-level
   * locals, the lengths of arrays and matrix rows (never replaced), and int locals whose
   * initial value can (replaced by that value); the scalar variables it reads go into {@code
   * reads}, to be checked never reassigned.
   */
  private Expr earlyLength(Expr e, Tree at, Variable v, Set<Variable> reads) {
    if (e instanceof Expr.ArrayLength l) {
      Expr array = l.array();
      List<Expr> indices = new ArrayList<>();
      while (array instanceof Expr.ArrayRead r) {
        indices.add(0, earlyLength(r.index(), at, v, reads));
        array = r.array();
      }
      Variable a = ((Expr.Local) array).variable();
      if (indices.isEmpty() && arrayLengths.containsKey(a)) {
        // A local array's length is the one it was created with.
        return earlyLength(arrayLengths.get(a), at, v, reads);
      }
      if (!topLevel.contains(a) && !arrayLengths.containsKey(a)) {
        throw storageError(at, v, "'" + a + "'");
      }
      Expr rebuilt = array;
      for (Expr i : indices) {
        rebuilt = new Expr.ArrayRead(rebuilt, i, rebuilt.type().element());
      }
      return new Expr.ArrayLength(rebuilt);
    }
    if (e instanceof Expr.Local l) {
      Variable x = l.variable();
      if (x.type().isArray()) {
        throw storageError(at, v, "'" + x + "'");
      }
      reads.add(x);
      if (intInitials.containsKey(x)) {
        return earlyLength(intInitials.get(x), at, v, reads);
      }
      if (topLevel.contains(x)) {
        return e;
      }
      throw storageError(at, v, "'" + x + "'");
    }
    if (e instanceof Expr.ArrayRead || e instanceof Expr.Call) {
      throw storageError(at, v, "an array element or a call");
    }
    Expr mapped = Exprs.mapChildren(e, c -> earlyLength(c, at, v, reads));
    if (mapped instanceof Expr.Binary b && b.type() == Type.INT
        && b.left() instanceof Expr.Literal l && l.value() instanceof Integer x
        && b.right() instanceof Expr.Literal r && r.value() instanceof Integer y) {
      // Folded, so that copyOfRange(a, 1, 4) is as long as new double[3].
      switch (b.op()) {
        case ADD:
          return Expr.Literal.ofInt(x + y);
        case SUBTRACT:
          return Expr.Literal.ofInt(x - y);
        case MULTIPLY:
          return Expr.Literal.ofInt(x * y);
        default:
          break;
      }
    }
    return mapped;
  }

  /** {@link #earlyLength}, or null where it cannot be computed early (nothing reported). */
  private Expr quietEarlyLength(Expr e, Tree at, Variable v, Set<Variable> reads) {
    quietLengths = true;
    try {
      return earlyLength(e, at, v, reads);
    } catch (Abort a) {
      return null;
    } finally {
      quietLengths = false;
    }
  }

  private boolean quietLengths;

  private Abort storageError(Tree at, Variable v, String what) {
    if (quietLengths) {
      return new Abort();
    }
    return unsupported(at, "creating array '" + v + "' inside a block or loop with a length "
        + "that reads " + what, "its length must be computable at the top of the method "
        + "(from parameters, top-level locals never reassigned, and array lengths): compute "
        + "the length in a top-level local first.");
  }

  /** The lengths of arrays created early read only variables the method never reassigns. */
  private void checkStorageLengths(Stmt.Block body) {
    boolean failed = false;
    for (var e : storageLengthReads.entrySet()) {
      for (Variable read : e.getValue().getValue()) {
        if (definitions(body.statements(), read) > (read.kind() == Variable.Kind.PARAMETER
            ? 0 : 1)) {
          context.unsupported(e.getKey(), e.getValue().getKey() + " with a length that reads '"
              + read + "', which changes", "its length must be computable at the top of the "
              + "method: compute it in a top-level local that is never reassigned.");
          failed = true;
          break;
        }
      }
    }
    if (failed) {
      throw new Abort();
    }
  }

  /** How many statements of {@code statements}, nested ones included, set {@code v}. */
  private static int definitions(List<Stmt> statements, Variable v) {
    int count = 0;
    for (Stmt s : statements) {
      if (s instanceof Stmt.Declare d && d.variable() == v && d.init().isPresent()
          || s instanceof Stmt.Assign a && a.variable() == v) {
        count++;
      }
      count += definitions(Statements.children(s), v);
    }
    return count;
  }

  /** Reads an expression that makes a fresh array of {@code type}. */
  private ArrayValues.Fresh fresh(ExpressionTree init, Type type, String name, Tree at) {
    if (init.getKind() == Tree.Kind.NEW_ARRAY) {
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
      return new ArrayValues.Fresh(type, List.copyOf(dimensions), List.copyOf(elements),
          Optional.empty());
    }
    if (init instanceof MethodInvocationTree m && isFresh(init)) {
      MemberSelectTree select = (MemberSelectTree) m.getMethodSelect();
      boolean clone = select.getIdentifier().contentEquals("clone");
      ExpressionTree sourceTree = clone ? select.getExpression()
          : m.getArguments().isEmpty() ? null : m.getArguments().get(0);
      int arity = clone ? 0 : select.getIdentifier().contentEquals("copyOf") ? 2 : 3;
      if (sourceTree == null || m.getArguments().size() != arity) {
        throw error(Message.UNKNOWN_METHOD, init, select.toString(), m.getArguments().size()
            + " arguments");
      }
      Expr source = expressions.expression(sourceTree);
      if (source.type() != type) {
        throw error(Message.TYPE_MISMATCH, sourceTree, "copy of an array into '" + name + "'",
            type.javaName(), source.type().javaName());
      }
      if (type.element().isArray()) {
        throw unsupported(init, "copying a matrix with " + select.getIdentifier(),
            "this copies only the row references, which would then be shared: create the "
                + "matrix with new double[rows][columns] and copy its elements in a loop.");
      }
      Expr length = new Expr.ArrayLength(source);
      if (clone) {
        return new ArrayValues.Fresh(type, List.of(length), List.of(),
            Optional.of(new ArrayValues.Copy(source, Expr.Literal.ofInt(0), length)));
      }
      List<Expr> args = new ArrayList<>();
      for (ExpressionTree a : m.getArguments().subList(1, arity)) {
        Expr index = expressions.expression(a);
        expressions.requireIndex(index, a);
        args.add(index);
      }
      if (arity == 2) {
        return new ArrayValues.Fresh(type, List.of(args.get(0)), List.of(), Optional.of(
            new ArrayValues.Copy(source, Expr.Literal.ofInt(0),
                ArrayValues.min(args.get(0), length))));
      }
      Expr from = args.get(0);
      Expr to = args.get(1);
      return new ArrayValues.Fresh(type, List.of(Exprs.binary(BinaryOp.SUBTRACT, to, from)),
          List.of(), Optional.of(new ArrayValues.Copy(source, from, Exprs.binary(
              BinaryOp.SUBTRACT, ArrayValues.min(to, length), from))));
    }
    if (init.getKind() == Tree.Kind.IDENTIFIER || init.getKind() == Tree.Kind.ARRAY_ACCESS) {
      throw unsupported(at, "making '" + name + "' a second name for the array '" + init
          + "'", "two names for one array are not supported (a write through one would "
              + "change the other): copy it with " + init + ".clone(), or swap two arrays "
              + "with the three statements " + type.javaName() + " t = a; a = b; b = t;");
    }
    if (init.getKind() == Tree.Kind.METHOD_INVOCATION) {
      throw unsupported(at, "initialising array '" + name + "' from the call '" + init + "'",
          "calls returning an array are not supported yet: make the callee a void "
              + "@Differentiable method that fills an array you pass it.");
    }
    throw unsupported(at, "initialising array '" + name + "' from '" + init + "'",
        "create it with new " + type.scalar().javaName() + "[n], an initializer list, "
            + "clone() or Arrays.copyOf.");
  }

  /**
   * The local one-dimensional array {@code a} assigns a fresh array to ({@code h = cell(x, h);},
   * {@code u = u.clone();}, {@code v = new double[] {x, y};}), or null where it is not one.
   */
  private Variable freshArrayTarget(AssignmentTree a) {
    if (!(a.getVariable() instanceof IdentifierTree id)
        || scope.alias(id.getName().toString()).isPresent()) {
      return null;
    }
    Variable v = scope.lookup(id.getName().toString());
    ExpressionTree value = a.getExpression();
    boolean makesArray = value.getKind() == Tree.Kind.NEW_ARRAY || isFresh(value)
        || value instanceof MethodInvocationTree m && arrayMethodResult(m) != null;
    return v != null && v.kind() == Variable.Kind.LOCAL && v.type().isArray()
        && !v.type().element().isArray() && !iterated.contains(v) && makesArray ? v : null;
  }

  /**
   * {@code v = fresh}: the fresh array, held in a local array of its own before the statement,
   * is copied into {@code v}'s array. No other name refers to either array (a fresh array has
   * none, and an array variable is never aliased), so copying contents cannot be told apart from
   * replacing the reference; each adjoint element goes with its value. The two lengths must be
   * known to be equal, as for a swap.
   */
  private Stmt freshArrayAssignment(Variable v, AssignmentTree a, Position pos) {
    Expr value = expressions.expression(a.getExpression());
    if (!(value instanceof Expr.Local held) || held.variable() == v
        || held.variable().type() != v.type()) {
      throw error(Message.TYPE_MISMATCH, a.getExpression(), "assignment to '" + v + "'",
          v.type().javaName(), value.type().javaName());
    }
    Expr la = arrayLengths.get(v);
    Expr lb = arrayLengths.get(held.variable());
    Set<Variable> lengthReads = new HashSet<>();
    Expr ea = la == null ? null : quietEarlyLength(la, a, v, lengthReads);
    Expr eb = lb == null ? null : quietEarlyLength(lb, a, v, lengthReads);
    if (ea == null || !ea.equals(eb)) {
      throw unsupported(a.getVariable(), "assigning array variable '" + v + "'", "its new "
          + "array may differ in length from the one it was created with; an array variable "
          + "keeps the array it is declared with and a new array is copied into it: create "
          + "both with the same length expression, "
          + "computed from parameters and locals that never change (new double[n] and a "
          + "method returning new double[n]), or declare a new local array for the result ("
          + v.type().javaName() + " " + v + "2 = ...;).");
    }
    storageLengthReads.put(a, java.util.Map.entry("assigning a new array to '" + v + "'",
        lengthReads));
    return ArrayValues.copy(v, List.of(), Expr.Literal.ofInt(0), value, Expr.Literal.ofInt(0),
        new Expr.ArrayLength(new Expr.Local(v)), false, pos);
  }

  private Stmt expressionStatement(ExpressionStatementTree s) {
    ExpressionTree e = s.getExpression();
    Position pos = new Position(s);
    if (e instanceof AssignmentTree a && a.getVariable() instanceof IdentifierTree id
        && builtRecords.containsKey(id.getName().toString())
        && scope.lookup(id.getName().toString()) == null) {
      return recordAssignment(builtRecords.get(id.getName().toString()), a, pos);
    }
    switch (e.getKind()) {
      case ASSIGNMENT -> {
        AssignmentTree a = (AssignmentTree) e;
        if (a.getVariable().getKind() == Tree.Kind.ARRAY_ACCESS) {
          ElementTarget target = elementTarget(a.getVariable());
          Expr value = expressions.expression(a.getExpression());
          return new Stmt.ArrayWrite(target.array(), target.indices(), expressions.assignable(
              value, target.type(), a.getExpression(), "array element"), pos);
        }
        Variable fresh = freshArrayTarget(a);
        if (fresh != null) {
          return freshArrayAssignment(fresh, a, pos);
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
        Optional<Stmt> library = arrayLibraryCall((MethodInvocationTree) e, pos);
        if (library.isPresent()) {
          return library.get();
        }
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
   * {@code Arrays.fill(a, v)}, {@code Arrays.fill(a, from, to, v)} and {@code
   * System.arraycopy(src, srcPos, dest, destPos, length)} as loops over elements; the
   * positions and the fill value are computed once, as Java computes them.
   */
  private Optional<Stmt> arrayLibraryCall(MethodInvocationTree t, Position pos) {
    if (!(t.getMethodSelect() instanceof MemberSelectTree select)) {
      return Optional.empty();
    }
    String owner = select.getExpression().toString();
    String name = select.getIdentifier().toString();
    List<? extends ExpressionTree> args = t.getArguments();
    boolean fill = isArrays(select.getExpression()) && name.equals("fill")
        && (args.size() == 2 || args.size() == 4);
    boolean copy = (owner.equals("System") || owner.equals("java.lang.System"))
        && name.equals("arraycopy") && args.size() == 5;
    if (!fill && !copy) {
      return Optional.empty();
    }
    List<Stmt> out = new ArrayList<>();
    if (fill) {
      WritableArray target = writableArray(args.get(0));
      Expr from = Expr.Literal.ofInt(0);
      Expr to = new Expr.ArrayLength(target.read());
      if (args.size() == 4) {
        from = once(out, "from", index(args.get(1)), pos);
        to = once(out, "to", index(args.get(2)), pos);
      }
      ExpressionTree valueTree = args.get(args.size() - 1);
      Expr value = expressions.assignable(expressions.expression(valueTree), target.element(),
          valueTree, "fill value");
      value = once(out, "value", value, pos);
      out.add(ArrayValues.fill(target.variable(), target.prefix(), from, to, value, pos));
      return Optional.of(Stmt.Block.of(out));
    }
    Expr source = expressions.expression(args.get(0));
    WritableArray target = writableArray(args.get(2));
    if (!source.type().isArray() || source.type().element().isArray()
        || source.type() != target.read().type()) {
      throw error(Message.TYPE_MISMATCH, args.get(0), "System.arraycopy source",
          target.read().type().javaName(), source.type().javaName());
    }
    Expr sourcePos = once(out, "sourcePos", index(args.get(1)), pos);
    Expr targetPos = once(out, "targetPos", index(args.get(3)), pos);
    Expr count = once(out, "count", index(args.get(4)), pos);
    if (source.equals(target.read())) {
      // One array: copy the last element first when the ranges overlap that way.
      out.add(new Stmt.If(Exprs.binary(BinaryOp.LESS, sourcePos, targetPos),
          Stmt.Block.of(List.of(ArrayValues.copy(target.variable(), target.prefix(), targetPos,
              source, sourcePos, count, true, pos))),
          Stmt.Block.of(List.of(ArrayValues.copy(target.variable(), target.prefix(), targetPos,
              source, sourcePos, count, false, pos)))));
    } else {
      out.add(ArrayValues.copy(target.variable(), target.prefix(), targetPos, source, sourcePos,
          count, false, pos));
    }
    return Optional.of(Stmt.Block.of(out));
  }

  private Expr index(ExpressionTree t) {
    Expr e = expressions.expression(t);
    expressions.requireIndex(e, t);
    return e;
  }

  /** {@code e} itself when a literal or a local, else a fresh local holding it. */
  private static Expr once(List<Stmt> out, String name, Expr e, Position pos) {
    if (e instanceof Expr.Literal || e instanceof Expr.Local) {
      return e;
    }
    Variable v = new Variable(name, e.type(), Variable.Kind.LOCAL);
    out.add(new Stmt.Declare(v, e, pos));
    return new Expr.Local(v);
  }

  /** A one-dimensional array this method may write: a local or parameter, or a matrix row. */
  private record WritableArray(Variable variable, List<Expr> prefix) {
    Expr read() {
      Expr e = new Expr.Local(variable);
      for (Expr i : prefix) {
        e = new Expr.ArrayRead(e, i, e.type().element());
      }
      return e;
    }

    Type element() {
      return read().type().element();
    }
  }

  private WritableArray writableArray(ExpressionTree t) {
    Expr e = expressions.expression(t);
    List<Expr> prefix = new ArrayList<>();
    while (e instanceof Expr.ArrayRead r) {
      prefix.add(0, r.index());
      e = r.array();
    }
    if (!(e instanceof Expr.Local l) || !l.variable().type().isArray()) {
      throw unsupported(t, "writing into '" + t + "'", "write into an array variable or a "
          + "row of one.");
    }
    List<Expr> indices = new ArrayList<>(prefix);
    indices.add(Expr.Literal.ofInt(0));
    checkedElementTarget(t, l.variable(), indices);
    return new WritableArray(l.variable(), List.copyOf(prefix));
  }

  /**
   * The swap of two array variables, {@code T t = a; a = b; b = t;} with {@code t} not used
   * afterwards: the two arrays exchange their contents, element by element (they must have the
   * same length). {@link #isSwap} tells whether statements {@code i} to {@code i + 2} are one.
   */
  private boolean isSwap(List<? extends StatementTree> statements, int i) {
    if (i + 2 >= statements.size()
        || !(statements.get(i) instanceof VariableTree held)
        || !(held.getInitializer() instanceof IdentifierTree first)
        || !(assignment(statements.get(i + 1)) instanceof AssignmentTree move)
        || !(assignment(statements.get(i + 2)) instanceof AssignmentTree back)
        || !(move.getVariable() instanceof IdentifierTree a && a.getName().equals(first.getName()))
        || !(move.getExpression() instanceof IdentifierTree b)
        || !(back.getVariable() instanceof IdentifierTree b2 && b2.getName().equals(b.getName()))
        || !(back.getExpression() instanceof IdentifierTree t2
            && t2.getName().equals(held.getName()))) {
      return false;
    }
    Variable va = scope.lookup(a.getName().toString());
    Variable vb = scope.lookup(b.getName().toString());
    return va != null && vb != null && va.type().isArray() && va != vb;
  }

  private void swap(List<? extends StatementTree> statements, int i, List<Stmt> out) {
    VariableTree held = (VariableTree) statements.get(i);
    AssignmentTree move = (AssignmentTree) assignment(statements.get(i + 1));
    Variable va = scope.lookup(((IdentifierTree) move.getVariable()).getName().toString());
    Variable vb = scope.lookup(((IdentifierTree) move.getExpression()).getName().toString());
    if (va.type() != vb.type() || va.type().element().isArray()) {
      throw unsupported(statements.get(i), "swapping '" + va + "' and '" + vb + "'",
          "only two one-dimensional arrays of the same type may be swapped.");
    }
    for (Variable v : List.of(va, vb)) {
      if (iterated.contains(v)) {
        // Java's enhanced for keeps iterating the array object it started with.
        throw unsupported(statements.get(i), "swapping '" + v + "' inside an enhanced for "
            + "loop over it", "loop over an index: for (int i = 0; i < " + v + ".length; i++).");
      }
      if (v.kind() == Variable.Kind.PARAMETER) {
        throw unsupported(statements.get(i), "swapping parameter '" + v + "' with another "
            + "array", "copy it into a local array (" + v + ".clone()) and swap that.");
      }
    }
    Expr la = arrayLengths.get(va);
    Expr lb = arrayLengths.get(vb);
    Set<Variable> lengthReads = new HashSet<>();
    Expr ea = la == null ? null : quietEarlyLength(la, held, va, lengthReads);
    Expr eb = lb == null ? null : quietEarlyLength(lb, held, vb, lengthReads);
    if (ea == null || !ea.equals(eb)) {
      throw unsupported(statements.get(i), "swapping '" + va + "' and '" + vb + "', whose "
          + "lengths may differ", "the swap exchanges their contents, so create both with "
          + "the same length expression, computed from parameters and locals that never "
          + "change (new double[n] and new double[n], or a.clone() and new double[a.length]).");
    }
    storageLengthReads.put(held, java.util.Map.entry("swapping '" + va + "' and '" + vb + "'",
        lengthReads));
    String heldName = held.getName().toString();
    for (StatementTree later : statements.subList(i + 3, statements.size())) {
      if (mentions(later, heldName)) {
        throw unsupported(held, "using '" + heldName + "' after swapping '" + va + "' and '"
            + vb + "'", "two names for one array are not supported: declare the temporary "
            + "of the swap for the swap only.");
      }
    }
    out.add(ArrayValues.swap(va, vb, new Position(held)));
  }

  private static ExpressionTree assignment(StatementTree s) {
    return s instanceof ExpressionStatementTree e
        && e.getExpression().getKind() == Tree.Kind.ASSIGNMENT ? e.getExpression() : null;
  }

  private static boolean mentions(Tree t, String name) {
    Boolean found = new com.sun.source.util.TreeScanner<Boolean, Void>() {
      @Override
      public Boolean visitIdentifier(IdentifierTree id, Void unused) {
        return id.getName().contentEquals(name);
      }

      @Override
      public Boolean reduce(Boolean a, Boolean b) {
        return Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b);
      }
    }.scan(t, null);
    return Boolean.TRUE.equals(found);
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
    if (base instanceof IdentifierTree named
        && scope.alias(named.getName().toString()).orElse(null) instanceof Expr.Local whole) {
      // An array parameter of an inlined method: the array passed.
      return checkedElementTarget(target, whole.variable(), indices);
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
      throw error(Message.PARAMETER_ARRAY_WRITE, target, "writes an element of parameter '"
          + array + "'", workAdvice(array, "write"));
    }
    if (array.type() == Type.BOOLEAN_ARRAY) {
      throw unsupported(target, "writing an element of boolean[] '" + array + "'",
          "boolean[] parameters (labels, masks) are read-only: compute the values into a "
              + "local int[] (1 and 0) instead.");
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
      if (signature.stream().filter(ObjectShape::constantObject)
          .anyMatch(o -> o.leaves().contains(l.variable()))) {
        // A field of an instance of a final class: fields are never written.
        throw unsupported(at, "passing '" + at + "', a field of a " + signature.stream()
            .filter(o -> o.leaves().contains(l.variable())).findFirst().get().simpleType()
            + ", to " + c.callee().ownerSimpleName() + "." + c.callee().name()
            + ", a void helper, which may write it", "a @Differentiable method does not write "
            + "fields: copy it (" + l.variable().type().javaName() + " work = " + at
            + ".clone();) and pass the copy.");
      }
      if (l.variable().kind() == Variable.Kind.PARAMETER && returnTypeOfMethod != Type.VOID) {
        throw error(Message.PARAMETER_ARRAY_WRITE, at, "passes parameter '" + l.variable()
            + "' to " + c.callee().ownerSimpleName() + "." + c.callee().name()
            + ", a void helper, which may write its array arguments",
            workAdvice(l.variable(), "pass"));
      }
    }
  }

  /** What to write instead of writing parameter {@code p} (ADJ216). */
  private static String workAdvice(Variable p, String verb) {
    if (p.type().element().isArray()) {
      return "copy it into a matrix of your own (" + p.type().javaName() + " work = new "
          + p.type().scalar().javaName() + "[" + p + ".length][" + p + "[0].length]; then a "
          + "loop copying the elements) and " + verb + " the copy.";
    }
    return "copy it (" + p.type().javaName() + " work = " + p + ".clone();) and " + verb
        + " the copy, or move the helper into this class.";
  }

  private Variable assignmentTarget(ExpressionTree target) {
    if (target instanceof IdentifierTree id) {
      Variable generator = scope.lookup(id.getName().toString());
      if (generator != null && context.generator(generator).isPresent()) {
        throw error(Message.GENERATOR_USE, target, "assigning '" + id.getName() + "'",
            context.generator(generator).get().kind().draws, "declare a generator of its own "
                + "for another seed.");
      }
      if (scope.alias(id.getName().toString()).isPresent()) {
        throw unsupported(target, "assigning the row variable '" + id.getName() + "' of an "
            + "enhanced for loop", "write its elements (" + id.getName() + "[j] = ...) or "
            + "loop over an index.");
      }
      Variable v = scope.lookup(id.getName().toString());
      if (v != null && v.type().isArray() && v.kind() == Variable.Kind.PARAMETER) {
        throw unsupported(target, "assigning array parameter '" + v + "'", "declare a local "
            + "array for the new value (" + v.type().javaName() + " " + v + "2 = ...;) and use "
            + "it from there.");
      }
      if (v != null && v.type().isArray()) {
        throw unsupported(target, "assigning array variable '" + v + "'", "an array variable "
            + "keeps the array it is declared with: write its elements, copy into it with "
            + "System.arraycopy, or swap two arrays with the three statements "
            + v.type().javaName() + " t = a; a = b; b = t;");
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
