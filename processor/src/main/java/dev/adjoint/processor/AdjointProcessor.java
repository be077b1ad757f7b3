package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.CalleeOrders;
import dev.adjoint.processor.diagnostics.Abort;
import dev.adjoint.processor.diagnostics.ElementReporter;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.emit.DiffClassEmitter;
import dev.adjoint.processor.emit.Fingerprints;
import dev.adjoint.processor.emit.PackageRoots;
import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.ObjectShape;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.ir.Stmt;
import dev.adjoint.processor.kernel.KernelStage;
import dev.adjoint.processor.read.BodyReader;
import dev.adjoint.processor.read.Symbols;
import dev.adjoint.processor.read.DifferentiableAnnotation;
import dev.adjoint.processor.transform.Adjoint;
import dev.adjoint.processor.transform.Checkpointing;
import dev.adjoint.processor.transform.ControlFlowLowering;
import dev.adjoint.processor.transform.Derivatives;
import dev.adjoint.processor.transform.HigherOrder;
import dev.adjoint.processor.transform.ReverseTransform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * The annotation processor: for every class with {@code @Differentiable} methods, writes
 * {@code <Class>Diff} with their derivatives.
 *
 * <p>The pipeline, one stage a package: validate the declaration ({@link MethodValidator}),
 * read the body into the IR ({@code read}), lower control flow and analyse activity
 * ({@code transform}, {@code analysis}), build the adjoint ({@code transform}), emit Java
 * ({@code emit}). A method with an error is reported and skipped; the others still get
 * their derivatives.
 */
@AutoService(Processor.class)
public final class AdjointProcessor extends AbstractProcessor {
  static final String ANNOTATION = "dev.adjoint.Differentiable";
  static final String CUSTOM_ADJOINT = "dev.adjoint.CustomAdjoint";
  /** With {@code -Aadjoint.debug=true}, internal errors (ADJ002) show their stack trace. */
  static final String DEBUG_OPTION = "adjoint.debug";

  private Trees trees;
  private String treesProblem;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(ANNOTATION, CUSTOM_ADJOINT, KernelStage.ANNOTATION);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    try {
      trees = Trees.instance(env);
    } catch (RuntimeException | LinkageError e) {
      treesProblem = e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(DEBUG_OPTION);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (annotations.isEmpty()) {
      return false;
    }
    onLargeStack(() -> processRound(round));
    return true;
  }

  /**
   * The stack reserved for the processor's work: the stages walk expressions recursively, and
   * javac accepts expressions nested hundreds deep or sums of thousands of terms, which a
   * compiler thread's default stack (often 1 MB or less) does not hold. Only what the walks
   * touch is committed.
   */
  static final long STACK_BYTES = 512L << 20;

  /**
   * Runs {@code work} on a thread of its own with {@link #STACK_BYTES} of stack and waits for
   * it (javac's objects are only ever used by one thread at a time: this one waits). Where no
   * such thread can be started, runs it here.
   */
  private static void onLargeStack(Runnable work) {
    Throwable[] failure = new Throwable[1];
    Thread worker = new Thread(null, () -> {
      try {
        work.run();
      } catch (Throwable t) {
        failure[0] = t;
      }
    }, "adjoint-processor", STACK_BYTES);
    try {
      worker.start();
    } catch (OutOfMemoryError | SecurityException e) {
      work.run();
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        worker.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure[0] instanceof RuntimeException e) {
      throw e;
    }
    if (failure[0] instanceof Error e) {
      throw e;
    }
    if (failure[0] != null) {
      throw new IllegalStateException(failure[0]);
    }
  }

  private void processRound(RoundEnvironment round) {
    declarations = new ElementReporter(processingEnv.getMessager(),
        Boolean.parseBoolean(processingEnv.getOptions().get(DEBUG_OPTION)));
    signatures.clear();
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
    Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
    MethodValidator validator = new MethodValidator(declarations);
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (!(e instanceof ExecutableElement method)) {
        continue;
      }
      if (trees == null) {
        declarations.report(Message.TREES_UNAVAILABLE, e, treesProblem);
        continue;
      }
      if (validator.validate(method)) {
        byClass.computeIfAbsent((TypeElement) method.getEnclosingElement(), k -> new ArrayList<>())
            .add(method);
      }
    }
    byClass.values().forEach(this::rejectOverloads);
    customAdjoints = new CustomAdjointValidator(processingEnv.getElementUtils(), declarations)
        .validate(round, byClass);
    kernels = new KernelStage(processingEnv, trees, declarations);
    kernels.checkMarks(round);
    helpers = new ImplicitHelpers(processingEnv.getElementUtils(), trees, declarations);
    Map<TypeElement, List<Pending>> pending = new LinkedHashMap<>();
    byClass.forEach((owner, methods) -> methods.forEach(m ->
        pending.computeIfAbsent(owner, k -> new ArrayList<>()).add(read(owner, m))));
    helpers.readAll();
    List<Pending> roots = new ArrayList<>();
    pending.values().forEach(roots::addAll);
    helpers.resolve(roots);
    helpers.transform();
    Map<TypeElement, List<DiffClassEmitter.Helper>> helperMembers = helpers.members();
    Map<TypeElement, List<DiffClassEmitter.Constant>> constants = helpers.constants();
    Set<TypeElement> hosts = new java.util.LinkedHashSet<>(byClass.keySet());
    hosts.addAll(helperMembers.keySet());
    hosts.addAll(constants.keySet());
    for (TypeElement owner : hosts) {
      generate(owner, byClass.getOrDefault(owner, List.of()),
          pending.getOrDefault(owner, List.of()), helperMembers.getOrDefault(owner, List.of()),
          constants.getOrDefault(owner, List.of()));
    }
  }

  /** Reports the diagnostics of this round that sit on declarations. */
  private ElementReporter declarations;
  /** Per differentiable method, the user's {@code @CustomAdjoint}, checked against it. */
  private Map<ExecutableElement, ExecutableElement> customAdjoints;
  /** Writes the elementwise kernels of {@code @Elementwise} methods. */
  private KernelStage kernels;

  private void rejectOverloads(List<ExecutableElement> methods) {
    Map<String, List<ExecutableElement>> byName = new LinkedHashMap<>();
    for (ExecutableElement m : methods) {
      byName.computeIfAbsent(m.getSimpleName().toString(), k -> new ArrayList<>()).add(m);
    }
    for (List<ExecutableElement> same : byName.values()) {
      if (same.size() > 1) {
        for (ExecutableElement m : same) {
          String name = m.getSimpleName().toString();
          declarations.report(Message.OVERLOADED_METHOD, m, name, name, name);
        }
        methods.removeAll(same);
      }
    }
  }

  /** Per method read in this round, its parameters as declared (records, enums). */
  private final Map<ExecutableElement, List<ObjectShape>> signatures = new LinkedHashMap<>();

  private void generate(TypeElement owner, List<ExecutableElement> methods,
      List<Pending> read, List<DiffClassEmitter.Helper> helperMembers,
      List<DiffClassEmitter.Constant> constants) {
    List<Derivatives> adjoints = new ArrayList<>();
    for (Pending p : read) {
      Derivatives derivatives = differentiate(p);
      if (derivatives != null) {
        adjoints.add(derivatives);
      }
    }
    if (adjoints.isEmpty() && helperMembers.isEmpty() && constants.isEmpty()) {
      return;
    }
    String packageName = processingEnv.getElementUtils().getPackageOf(owner)
        .getQualifiedName().toString();
    String simpleName = owner.getSimpleName().toString();
    if (diffClassNameTaken(owner, packageName, simpleName)) {
      return;
    }
    JavaFile file;
    try {
      file = emit(owner, packageName, simpleName, methods, adjoints, helperMembers, constants);
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      // Find the methods whose emission fails, report ADJ002 at each, emit the others.
      List<Derivatives> emittable = new ArrayList<>();
      for (Derivatives d : adjoints) {
        try {
          DiffClassEmitter.emit(ClassName.get(owner), List.of(d), objectShapes(methods),
              helperMembers, constants, Fingerprints.NONE, List.of()).toString();
          emittable.add(d);
        } catch (RuntimeException | StackOverflowError | LinkageError failure) {
          declarations.report(Message.INTERNAL_ERROR, methodNamed(methods, d),
              declarations.failure(failure));
        }
      }
      if (emittable.isEmpty() && helperMembers.isEmpty() && constants.isEmpty()) {
        return;
      }
      adjoints = emittable;
      try {
        file = emit(owner, packageName, simpleName, methods, adjoints, helperMembers, constants);
      } catch (RuntimeException | StackOverflowError | LinkageError failure) {
        declarations.report(Message.INTERNAL_ERROR, owner, declarations.failure(failure));
        return;
      }
    }
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      declarations.report(Message.INTERNAL_ERROR, owner,
          "cannot write the generated class: " + e.getMessage());
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      declarations.report(Message.INTERNAL_ERROR, owner, declarations.failure(e));
      return;
    }
    try {
      if (!adjoints.isEmpty()) {
        kernels.generate(owner, methods, adjoints.stream().map(Derivatives::adjoint).toList(),
            customAdjoints.keySet());
      }
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      declarations.report(Message.INTERNAL_ERROR, owner, declarations.failure(e));
    }
  }

  /**
   * Whether a class of this compilation's sources already has the name of {@code owner}'s
   * generated class ({@code FooDiff}); if so, reports ADJ125 at both. A {@code FooDiff} known
   * only as a class file is a previous build's output and is replaced.
   */
  private boolean diffClassNameTaken(TypeElement owner, String packageName, String simpleName) {
    String diffName = DiffClassEmitter.diffClassName(simpleName);
    String qualified = packageName.isEmpty() ? diffName : packageName + "." + diffName;
    TypeElement existing = processingEnv.getElementUtils().getTypeElement(qualified);
    if (existing == null || trees == null || trees.getPath(existing) == null) {
      return false;
    }
    String ownerName = owner.getQualifiedName().toString();
    declarations.report(Message.GENERATED_CLASS_NAME_TAKEN, owner, qualified, ownerName,
        qualified, ownerName, ownerName, qualified);
    declarations.report(Message.GENERATED_CLASS_NAME_TAKEN, existing, qualified, ownerName,
        qualified, ownerName, ownerName, qualified);
    return true;
  }

  /**
   * {@code FooDiff} with the fingerprints of its methods' sources and of the other classes'
   * methods they call (where their source is part of this compilation: a callee known only as a
   * class file is not checked), declaring the owner and the callees' classes as the elements it
   * is generated from.
   */
  private JavaFile emit(TypeElement owner, String packageName, String simpleName,
      List<ExecutableElement> methods, List<Derivatives> adjoints,
      List<DiffClassEmitter.Helper> helperMembers, List<DiffClassEmitter.Constant> constants) {
    Map<String, Long> own = new LinkedHashMap<>();
    for (Derivatives d : adjoints) {
      Element method = methodNamed(methods, d);
      own.put(d.adjoint().method().name(), fingerprint(method));
    }
    // Helpers differentiated where they are called have members here that callers check too.
    for (DiffClassEmitter.Helper h : helperMembers) {
      if (h.derivatives().isPresent()) {
        String name = h.lowered().name();
        owner.getEnclosedElements().stream()
            .filter(e -> e instanceof ExecutableElement && e.getSimpleName().contentEquals(name))
            .findFirst()
            .filter(e -> trees.getTree(e) != null)
            .ifPresent(e -> own.put(name, fingerprint(e)));
      }
    }
    List<Fingerprints.Expected> expected = new ArrayList<>();
    List<Element> originating = new ArrayList<>(List.of(owner));
    for (Callee c : PackageRoots.calleesInOtherClasses(packageName, simpleName, adjoints)) {
      TypeElement calleeOwner = processingEnv.getElementUtils().getTypeElement(
          c.packageName().isEmpty() ? c.ownerSimpleName()
              : c.packageName() + "." + c.ownerSimpleName());
      if (calleeOwner == null) {
        continue;
      }
      if (!originating.contains(calleeOwner)) {
        originating.add(calleeOwner);
      }
      calleeOwner.getEnclosedElements().stream()
          .filter(e -> e instanceof ExecutableElement && e.getSimpleName().contentEquals(c.name()))
          .findFirst()
          .filter(e -> trees.getTree(e) != null)
          .ifPresent(e -> expected.add(new Fingerprints.Expected(c.packageName(),
              c.ownerSimpleName(), c.name(), fingerprint(e))));
    }
    return DiffClassEmitter.emit(ClassName.get(owner), adjoints, objectShapes(methods),
        helperMembers, constants, new Fingerprints(own, expected), originating);
  }

  /** Per method name, its parameters as declared, for those of {@code methods} read. */
  private Map<String, List<ObjectShape>> objectShapes(List<ExecutableElement> methods) {
    Map<String, List<ObjectShape>> out = new LinkedHashMap<>();
    for (ExecutableElement m : methods) {
      List<ObjectShape> shapes = signatures.get(m);
      if (shapes != null) {
        out.put(m.getSimpleName().toString(), shapes);
      }
    }
    return out;
  }

  /**
   * The fingerprint of a method's source text (annotations, signature and body, as written: the
   * same whatever the JDK), or of javac's rendering of it where the text cannot be read.
   */
  private long fingerprint(Element method) {
    TreePath path = trees.getPath(method);
    try {
      CompilationUnitTree unit = path.getCompilationUnit();
      long start = trees.getSourcePositions().getStartPosition(unit, path.getLeaf());
      long end = trees.getSourcePositions().getEndPosition(unit, path.getLeaf());
      CharSequence text = unit.getSourceFile().getCharContent(true);
      if (start >= 0 && end <= text.length() && start < end) {
        return Fingerprints.of(text.subSequence((int) start, (int) end).toString());
      }
    } catch (IOException e) {
      // fall through: javac's rendering of the tree
    }
    return Fingerprints.of(String.valueOf(path.getLeaf()));
  }

  /** The element of the method {@code d} differentiates. */
  private static Element methodNamed(List<ExecutableElement> methods, Derivatives d) {
    String name = d.adjoint().method().name();
    return methods.stream().filter(m -> m.getSimpleName().contentEquals(name)).findFirst()
        .map(Element.class::cast).orElseThrow();
  }

  /** A differentiated parameter the result cannot depend on gets a warning; its derivative is 0. */
  private void warnUnusedInputs(ExecutableElement method, MethodIr ir, Activity activity) {
    List<ObjectShape> shapes = signatures.get(method);
    int offset = shapes.size() - method.getParameters().size();
    for (int i = 0; i < shapes.size(); i++) {
      // A record is unused when none of its differentiated components is.
      List<dev.adjoint.processor.ir.Variable> leaves = shapes.get(i).leaves().stream()
          .filter(ir.differentiableParameters()::contains).toList();
      if (!leaves.isEmpty() && leaves.stream().noneMatch(activity::isUseful)) {
        Element at = i < offset ? method : method.getParameters().get(i - offset);
        declarations.report(Message.UNUSED_INPUT, at, shapes.get(i).name(),
            method.getSimpleName());
      }
    }
  }

  /** Reads every helper a differentiated method calls: where they are differentiated. */
  private ImplicitHelpers helpers;

  /** One annotated method between reading and differentiating. */
  private final class Pending extends ImplicitHelpers.Caller {
    final TypeElement owner;
    final ExecutableElement method;
    final Reporter reporter;
    Checkpointing checkpointing = Checkpointing.NONE;
    Derivatives custom;

    Pending(TypeElement owner, ExecutableElement method, CompilationUnitTree unit,
        Reporter reporter) {
      super(unit);
      this.owner = owner;
      this.method = method;
      this.reporter = reporter;
    }

    @Override
    Reporter reporter() {
      return reporter;
    }

    @Override
    String name() {
      return owner.getSimpleName() + "." + method.getSimpleName();
    }
  }

  /** Reads, lowers and analyses one method; helpers it calls are registered to be read. */
  private Pending read(TypeElement owner, ExecutableElement method) {
    TreePath path = trees.getPath(method);
    CompilationUnitTree unit = path.getCompilationUnit();
    Pending p = new Pending(owner, method, unit, declarations.forBody(trees, unit, method));
    Reporter reporter = p.reporter;
    try {
      Symbols symbols = new Symbols(processingEnv.getElementUtils(), unit, owner, helpers);
      ExecutableElement custom = customAdjoints.get(method);
      if (custom != null) {
        for (var parameter : method.getParameters()) {
          if (dev.adjoint.processor.read.ObjectTypes.isObject(parameter.asType())) {
            declarations.report(Message.CUSTOM_ADJOINT_OBJECTS, parameter,
                method.getSimpleName(), parameter.getSimpleName());
            p.failed = true;
            return p;
          }
        }
        p.custom = new Derivatives(Adjoint.custom(BodyReader.signatureOnly(symbols, method),
            new Adjoint.Custom(symbols.packageName(), owner.getSimpleName().toString(),
                custom.getSimpleName().toString())), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty());
        return p;
      }
      DifferentiableAnnotation annotation = DifferentiableAnnotation.of(method).orElseThrow();
      p.order = annotation.order();
      BodyReader reader = new BodyReader(symbols, reporter);
      MethodIr read = reader.read(method, (MethodTree) path.getLeaf());
      signatures.put(method, reader.signature());
      CalleeOrders.check(read, p.order, reporter);
      MethodIr lowered = new ControlFlowLowering().lower(read);
      Activity activity = Activity.of(lowered, reporter);
      if (annotation.checkpoints()) {
        p.checkpointing = checkpointing(annotation, lowered, reporter);
      }
      if (reporter.hasErrors()) {
        p.failed = true;
        return p;
      }
      p.lowered = lowered;
      p.activity = activity;
    } catch (Abort e) {
      p.failed = true;
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      reporter.report(Message.INTERNAL_ERROR, Position.NONE, declarations.failure(e));
      p.failed = true;
    }
    return p;
  }

  /** The checkpointing asked for, after reporting the top-level loops it cannot apply to. */
  private static Checkpointing checkpointing(DifferentiableAnnotation annotation,
      MethodIr lowered, Reporter reporter) {
    String method = lowered.ownerSimpleName() + "." + lowered.name();
    if (!Checkpointing.hasTopLevelLoop(lowered)) {
      reporter.report(Message.CHECKPOINT_WITHOUT_LOOP, Position.NONE, method,
          annotation.checkpointEvery() > 0 ? "Every" : "");
    }
    for (Stmt.Loop l : Checkpointing.uncountedTopLevelLoops(lowered)) {
      reporter.report(Message.CHECKPOINT_LOOP_NOT_COUNTED, l.position(), method);
    }
    return new Checkpointing(true, Math.max(0, annotation.checkpointEvery()));
  }

  /** Differentiates one read method; null when it reported an error. */
  private Derivatives differentiate(Pending p) {
    if (p.custom != null) {
      return p.custom;
    }
    if (p.failed || p.lowered == null) {
      return null;
    }
    try {
      warnUnusedInputs(p.method, p.lowered, p.activity);
      return HigherOrder.of(p.lowered, p.activity,
          ReverseTransform.transform(p.lowered, p.activity, p.checkpointing), p.order);
    } catch (Abort e) {
      return null;
    } catch (RuntimeException | StackOverflowError | LinkageError e) {
      // Any internal failure, a walk too deep for the stack included, is this method's ADJ002.
      p.reporter.report(Message.INTERNAL_ERROR, Position.NONE, declarations.failure(e));
      return null;
    }
  }
}
