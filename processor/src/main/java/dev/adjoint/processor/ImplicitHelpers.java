package dev.adjoint.processor;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.CalleeOrders;
import dev.adjoint.processor.diagnostics.Abort;
import dev.adjoint.processor.diagnostics.BufferedReporter;
import dev.adjoint.processor.diagnostics.ElementReporter;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.emit.DiffClassEmitter;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.ir.Type;
import dev.adjoint.processor.read.AssignmentTargets;
import dev.adjoint.processor.read.BodyReader;
import dev.adjoint.processor.read.ConstantInitializer;
import dev.adjoint.processor.read.Helpers;
import dev.adjoint.processor.read.Symbols;
import dev.adjoint.processor.transform.ControlFlowLowering;
import dev.adjoint.processor.transform.Derivatives;
import dev.adjoint.processor.transform.HigherOrder;
import dev.adjoint.processor.transform.ReverseTransform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Helpers differentiated where they are called (as Clad and Tapenade do): a static method
 * without {@code @Differentiable} whose source is part of this compilation is read when a
 * differentiated method calls it, and its derivatives are generated, up to the order its
 * callers need, into the generated class of the class declaring it, with the helper's own
 * access (package-private for a private helper). A private helper also gets a copy of itself
 * there (the generated class cannot call it), and so does a private constant or table the
 * generated code reads. The diagnostics of a helper's body are kept until a caller needs it.
 */
final class ImplicitHelpers implements Helpers {
  private final Elements elements;
  private final Trees trees;
  private final ElementReporter declarations;

  /** A method whose body is differentiated: an annotated one, or a helper. */
  /**
   * A method between reading and differentiating, whose calls the fixed point walks: an
   * annotated method or a helper one calls. It holds what the later stages use.
   */
  abstract static class Caller {
    final CompilationUnitTree unit;
    MethodIr lowered;
    Activity activity;
    boolean failed;
    /** The order of derivatives needed of it; 0 for a helper only copied. */
    int order;

    Caller(CompilationUnitTree unit) {
      this.unit = unit;
    }

    abstract Reporter reporter();

    /** {@code Foo.f}, for messages. */
    abstract String name();

    MethodIr lowered() {
      return lowered;
    }

    Activity activity() {
      return activity;
    }

    int order() {
      return order;
    }

    CompilationUnitTree unit() {
      return unit;
    }

    boolean failed() {
      return failed;
    }

    void fail() {
      failed = true;
    }

    /** Replaces the body (and its activity) the later stages use. */
    void replace(MethodIr newLowered, Activity newActivity) {
      lowered = newLowered;
      activity = newActivity;
    }
  }

  /** One helper, read because a differentiated method calls it. */
  static final class Helper extends Caller {
    final ExecutableElement element;
    final TypeElement owner;
    final MethodTree tree;
    final BufferedReporter buffer = new BufferedReporter();
    /** Private and called: the generated class holds a copy of it. */
    boolean copied;
    /** The first call that needs it, for messages: {@code Foo.f, line 12}. */
    String firstSite;
    Derivatives derivatives;

    Helper(ExecutableElement element, TypeElement owner, CompilationUnitTree unit,
        MethodTree tree) {
      super(unit);
      this.element = element;
      this.owner = owner;
      this.tree = tree;
    }

    @Override
    Reporter reporter() {
      return buffer;
    }

    @Override
    String name() {
      return owner.getSimpleName() + "." + element.getSimpleName();
    }

    boolean live() {
      return order > 0 || copied;
    }
  }

  /** A private constant's copy in the generated class of {@code owner}. */
  record Copy(TypeElement owner, String name, Type type, Expr init) {}

  private final Map<ExecutableElement, Boolean> decisions = new HashMap<>();
  private final Map<ExecutableElement, Helper> helpers = new LinkedHashMap<>();
  private final Map<String, Helper> byKey = new HashMap<>();
  private final Deque<Helper> unread = new ArrayDeque<>();
  private final Map<VariableElement, Optional<Copy>> copies = new LinkedHashMap<>();
  private final Set<VariableElement> copying = new HashSet<>();

  ImplicitHelpers(Elements elements, Trees trees, ElementReporter declarations) {
    this.elements = elements;
    this.trees = trees;
    this.declarations = declarations;
  }

  @Override
  public boolean differentiable(ExecutableElement method) {
    return decisions.computeIfAbsent(method, this::decide);
  }

  private boolean decide(ExecutableElement m) {
    if (!(m.getEnclosingElement() instanceof TypeElement owner)
        || owner.getNestingKind() != NestingKind.TOP_LEVEL
        // An instance method of a final class: its receiver is a constant parameter.
        || !m.getModifiers().contains(Modifier.STATIC)
            && !dev.adjoint.processor.read.ObjectTypes.isFinalClass(owner)
        || m.getModifiers().contains(Modifier.ABSTRACT)
        || m.getModifiers().contains(Modifier.NATIVE)
        || !m.getTypeParameters().isEmpty() || m.isVarArgs()) {
      return false;
    }
    long sameName = ElementFilter.methodsIn(owner.getEnclosedElements()).stream()
        .filter(x -> x.getSimpleName().contentEquals(m.getSimpleName())).count();
    if (sameName != 1) {
      return false;
    }
    TreePath path = trees.getPath(m);
    return path != null && path.getLeaf() instanceof MethodTree t && t.getBody() != null;
  }

  @Override
  public Optional<MethodTree> source(ExecutableElement method) {
    TreePath path = trees.getPath(method);
    return path != null && path.getLeaf() instanceof MethodTree t ? Optional.of(t)
        : Optional.empty();
  }

  @Override
  public void called(ExecutableElement method) {
    if (helpers.containsKey(method)) {
      return;
    }
    TreePath path = trees.getPath(method);
    TypeElement owner = (TypeElement) method.getEnclosingElement();
    Helper h = new Helper(method, owner, path.getCompilationUnit(), (MethodTree) path.getLeaf());
    helpers.put(method, h);
    byKey.put(key(packageOf(owner), owner.getSimpleName().toString(),
        method.getSimpleName().toString()), h);
    unread.add(h);
  }

  private String packageOf(TypeElement owner) {
    return elements.getPackageOf(owner).getQualifiedName().toString();
  }

  private static String key(String pkg, String owner, String name) {
    return pkg + "." + owner + "#" + name;
  }

  private Helper helperOf(Callee c) {
    return byKey.get(key(c.packageName(), c.ownerSimpleName(), c.name()));
  }

  // ---------------------------------------------------------------- private constants

  @Override
  public Optional<String> privateConstant(VariableElement field) {
    Optional<Copy> known = copies.get(field);
    if (known == null) {
      if (!copying.add(field)) {
        return Optional.empty();
      }
      known = copyOf(field);
      copies.put(field, known);
    }
    return known.map(c -> {
      String pkg = packageOf(c.owner());
      String diff = DiffClassEmitter.diffClassName(c.owner().getSimpleName().toString());
      return pkg.isEmpty() ? diff : pkg + "." + diff;
    });
  }

  private Optional<Copy> copyOf(VariableElement field) {
    if (!(field.getEnclosingElement() instanceof TypeElement owner)
        || owner.getNestingKind() != NestingKind.TOP_LEVEL
        || !(trees.getTree(field) instanceof VariableTree declaration)
        || declaration.getInitializer() == null) {
      return Optional.empty();
    }
    TreePath ownerPath = trees.getPath(owner);
    if (ownerPath == null || writesElements(ownerPath.getLeaf(), field.getSimpleName().toString())) {
      return Optional.empty();
    }
    Helpers constantsOnly = new Helpers() {
      @Override
      public boolean differentiable(ExecutableElement method) {
        return false;
      }

      @Override
      public void called(ExecutableElement method) {}

      @Override
      public Optional<String> privateConstant(VariableElement f) {
        return ImplicitHelpers.this.privateConstant(f);
      }
    };
    Symbols symbols = new Symbols(elements, ownerPath.getCompilationUnit(), owner,
        constantsOnly);
    return ConstantInitializer.read(symbols, field, declaration.getInitializer())
        .map(init -> new Copy(owner, field.getSimpleName().toString(), init.type(), init));
  }

  /** Whether the class writes elements of its table {@code name} anywhere (then no copy). */
  private static boolean writesElements(Tree classTree, String name) {
    boolean[] found = {false};
    new AssignmentTargets() {
      @Override
      protected void target(ExpressionTree t) {
        while (t instanceof ParenthesizedTree p) {
          t = p.getExpression();
        }
        while (t instanceof ArrayAccessTree a) {
          t = a.getExpression();
          if (named(t, name)) {
            found[0] = true;
          }
        }
      }
    }.scan(classTree, null);
    return found[0];
  }

  private static boolean named(ExpressionTree t, String name) {
    return t instanceof IdentifierTree id && id.getName().contentEquals(name)
        || t instanceof MemberSelectTree s && s.getIdentifier().contentEquals(name);
  }

  /** Every copied constant, by the class whose generated class holds it, in order. */
  Map<TypeElement, List<DiffClassEmitter.Constant>> constants() {
    Map<TypeElement, List<DiffClassEmitter.Constant>> out = new LinkedHashMap<>();
    for (Optional<Copy> copy : copies.values()) {
      copy.ifPresent(c -> out.computeIfAbsent(c.owner(), k -> new ArrayList<>())
          .add(new DiffClassEmitter.Constant(c.name(), c.type(), c.init())));
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers' bodies

  /** Reads every helper called so far, and those they call, keeping their diagnostics. */
  void readAll() {
    while (!unread.isEmpty()) {
      Helper h = unread.poll();
      try {
        Symbols symbols = new Symbols(elements, h.unit, h.owner, this);
        MethodIr read = new BodyReader(symbols, h.buffer).read(h.element, h.tree);
        h.lowered = new ControlFlowLowering().lower(read);
        h.activity = Activity.of(h.lowered, h.buffer);
      } catch (Abort e) {
        h.failed = true;
      } catch (RuntimeException | StackOverflowError | LinkageError e) {
        h.buffer.report(Message.INTERNAL_ERROR, Position.NONE, declarations.failure(e));
      }
      h.failed |= h.buffer.hasErrors() || h.lowered == null;
    }
  }

  /**
   * Decides which helpers are differentiated (and to which order) and which are copied, from
   * the calls of {@code roots} (the annotated methods) and of the helpers they need; a caller
   * needing a helper whose body has errors fails, with a message at the call.
   */
  void resolve(List<? extends Caller> roots) {
    Set<Expr.Call> reported = Collections.newSetFromMap(new IdentityHashMap<>());
    // Callers whose only calls of a failed (non-private) helper have a varied argument whose
    // derivative never reaches the result: those calls become plain calls instead of errors.
    Map<Caller, Set<Helper>> demoted = new LinkedHashMap<>();
    Set<Helper> blamed = new HashSet<>();
    boolean changed = true;
    while (changed) {
      changed = false;
      List<Caller> live = new ArrayList<>();
      roots.stream().filter(r -> r.lowered() != null).forEach(live::add);
      helpers.values().stream().filter(h -> h.live() && h.lowered != null).forEach(live::add);
      for (Caller c : live) {
        Set<Expr.Call> differentiated = Collections.newSetFromMap(new IdentityHashMap<>());
        differentiated.addAll(c.activity().differentiatedCalls());
        for (Expr.Call call : calls(c.lowered())) {
          Helper h = helperOf(call.callee());
          if (h == null) {
            continue;
          }
          // Reverse mode differentiates the calls whose derivative reaches the result; forward
          // mode every call with a varied argument (its tangent code is made for every
          // varied value): so a call with a varied argument needs the helper's derivatives.
          // An array argument counts as varied: forward mode gives a local array a tangent
          // array by its own rule, and a tangent form made but not called costs nothing.
          boolean derivatives = c.order() > 0 && call.callee().differentiable()
              && (differentiated.contains(call) || call.type() == Type.VOID
                  || call.arguments().stream().anyMatch(a -> c.activity().isVaried(a)
                      || a.type().isArray() && a.type().carriesDerivatives()));
          boolean copy = call.callee().generated();
          if (!derivatives && !copy) {
            continue;
          }
          if (h.firstSite == null) {
            h.firstSite = c.name() + ", line " + line(c.unit(), call.position());
          }
          if (copy && !h.copied) {
            h.copied = true;
            changed = true;
          }
          if (derivatives && c.order() > h.order) {
            h.order = c.order();
            changed = true;
            if (!h.failed) {
              CalleeOrders.check(h.lowered, h.order, h.buffer);
              h.failed = h.buffer.hasErrors();
            }
          }
          boolean reaches = differentiated.contains(call) || call.type() == Type.VOID;
          if (h.failed && !copy && !reaches) {
            demoted.computeIfAbsent(c, k -> new java.util.LinkedHashSet<>()).add(h);
            continue;
          }
          if (h.failed && reported.add(call)) {
            blamed.add(h);
            c.reporter().report(Message.HELPER_NOT_DIFFERENTIABLE, call.position(), h.name(),
                "see " + h.unit.getSourceFile().getName().replaceAll(".*[/\\\\]", "") + ":"
                    + line(h.unit, h.buffer.firstError()));
            if (!c.failed()) {
              c.fail();
              changed = true;
            }
          }
        }
      }
    }
    demoted.forEach((c, failed) -> {
      if (!c.failed()) {
        MethodIr plain = c.lowered().withBody(
            (Stmt.Block) c.lowered().body().accept(new PlainCalls(failed)), c.lowered().result());
        c.replace(plain, Activity.of(plain, new BufferedReporter()));
      }
    });
    for (Helper h : helpers.values()) {
      if (h.live() && !h.buffer.entries().isEmpty() && (!h.failed || blamed.contains(h))) {
        h.buffer.replay(declarations.forBody(trees, h.unit, h.element,
            "(in " + h.name() + ", differentiated for its call in " + h.firstSite + ")"));
      }
    }
  }

  /** A body with the calls of some failed helpers made plain (not differentiated) calls. */
  private final class PlainCalls implements Stmt.SourceVisitor<Stmt> {
    private final Set<Helper> failed;

    PlainCalls(Set<Helper> failed) {
      this.failed = failed;
    }

    private Expr map(Expr e) {
      Expr mapped = Exprs.mapChildren(e, this::map);
      // A shape test: only calls of the failed helpers change.
      if (mapped instanceof Expr.Call c && failed.contains(helperOf(c.callee()))) {
        Callee k = c.callee();
        Callee plain = new Callee(k.packageName(), k.ownerSimpleName(), k.name(),
            k.parameterNames(), k.parameterTypes(),
            k.parameterTypes().stream().map(t -> false).toList(), k.returnType(), false, 0,
            k.generated());
        return new Expr.Call(plain, c.arguments(), c.position());
      }
      return mapped;
    }

    private List<Stmt> map(List<Stmt> statements) {
      return statements.stream().map(st -> st.accept(this)).toList();
    }

    private Stmt.Block map(Stmt.Block b) {
      return Stmt.Block.of(map(b.statements()));
    }

    @Override
    public Stmt visitDeclare(Stmt.Declare s) {
      return new Stmt.Declare(s.variable(), s.init().map(this::map), s.position());
    }

    @Override
    public Stmt visitAssign(Stmt.Assign s) {
      return new Stmt.Assign(s.variable(), map(s.value()), s.position());
    }

    @Override
    public Stmt visitArrayWrite(Stmt.ArrayWrite s) {
      return new Stmt.ArrayWrite(s.array(), s.indices().stream().map(this::map).toList(),
          map(s.value()), s.position());
    }

    @Override
    public Stmt visitIf(Stmt.If s) {
      return new Stmt.If(map(s.condition()), map(s.thenBlock()), map(s.elseBlock()));
    }

    @Override
    public Stmt visitLoop(Stmt.Loop s) {
      return new Stmt.Loop(s.label(), map(s.init()), map(s.condition()), map(s.update()),
          map(s.body()), s.testFirst(), s.position());
    }

    @Override
    public Stmt visitReturn(Stmt.Return s) {
      return new Stmt.Return(s.value().map(this::map), s.position());
    }

    @Override
    public Stmt visitBreak(Stmt.Break s) {
      return s;
    }

    @Override
    public Stmt visitContinue(Stmt.Continue s) {
      return s;
    }

    @Override
    public Stmt visitBlock(Stmt.Block s) {
      return map(s);
    }

    @Override
    public Stmt visitEvaluate(Stmt.Evaluate s) {
      return new Stmt.Evaluate(map(s.expression()));
    }

    @Override
    public Stmt visitThrow(Stmt.Throw s) {
      return new Stmt.Throw(s.exception(), s.withMessage(), s.texts(),
          s.values().stream().map(this::map).toList(), s.position());
    }
  }

  /** Differentiates each helper a caller needs, to the order needed. */
  void transform() {
    for (Helper h : helpers.values()) {
      if (h.order == 0 || h.failed) {
        continue;
      }
      try {
        h.derivatives = HigherOrder.of(h.lowered, h.activity,
            ReverseTransform.transform(h.lowered, h.activity), h.order);
      } catch (RuntimeException | StackOverflowError | LinkageError e) {
        h.failed = true;
        declarations.forBody(trees, h.unit, h.element).report(Message.INTERNAL_ERROR,
            Position.NONE, declarations.failure(e));
      }
    }
  }

  /** What each class's generated class holds for helpers: derivatives, copies. */
  Map<TypeElement, List<DiffClassEmitter.Helper>> members() {
    Map<TypeElement, List<DiffClassEmitter.Helper>> out = new LinkedHashMap<>();
    for (Helper h : helpers.values()) {
      if (!h.live() || h.failed) {
        continue;
      }
      boolean exported = h.element.getModifiers().contains(Modifier.PUBLIC)
          || h.element.getModifiers().contains(Modifier.PROTECTED);
      out.computeIfAbsent(h.owner, k -> new ArrayList<>()).add(new DiffClassEmitter.Helper(
          h.lowered, Optional.ofNullable(h.derivatives), h.copied, exported));
    }
    return out;
  }

  private int line(CompilationUnitTree unit, Position position) {
    if (!(position.tree() instanceof Tree tree)) {
      return 0;
    }
    long start = trees.getSourcePositions().getStartPosition(unit, tree);
    return start < 0 ? 0 : (int) unit.getLineMap().getLineNumber(start);
  }

  /** Every call in a body, nested ones included. */
  private static List<Expr.Call> calls(MethodIr m) {
    List<Expr.Call> out = new ArrayList<>();
    collect(m.body(), out);
    return out;
  }

  private static void collect(Stmt s, List<Expr.Call> out) {
    Statements.expressions(s).forEach(e -> collect(e, out));
    Statements.children(s).forEach(c -> collect(c, out));
  }

  private static void collect(Expr e, List<Expr.Call> out) {
    if (e instanceof Expr.Call c) {
      out.add(c);
    }
    Exprs.children(e).forEach(c -> collect(c, out));
  }
}
