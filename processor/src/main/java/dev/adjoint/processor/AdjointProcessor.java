package dev.adjoint.processor;

import com.google.auto.service.AutoService;
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
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.kernel.KernelStage;
import dev.adjoint.processor.read.BodyReader;
import dev.adjoint.processor.read.Symbols;
import dev.adjoint.processor.read.DifferentiableAnnotation;
import dev.adjoint.processor.transform.Adjoint;
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
    declarations = new ElementReporter(processingEnv.getMessager(),
        Boolean.parseBoolean(processingEnv.getOptions().get(DEBUG_OPTION)));
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
    return true;
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
    try {
      DiffClassEmitter.emit(packageName, owner.getSimpleName().toString(), adjoints,
              helperMembers, constants)
          .writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      declarations.report(Message.INTERNAL_ERROR, owner,
          "cannot write the generated class: " + e.getMessage());
    }
    if (!adjoints.isEmpty()) {
      kernels.generate(owner, methods, adjoints.stream().map(Derivatives::adjoint).toList(),
          customAdjoints.keySet());
    }
  }

  /** A differentiated parameter the result cannot depend on gets a warning; its derivative is 0. */
  private void warnUnusedInputs(ExecutableElement method, MethodIr ir, Activity activity) {
    for (int i = 0; i < ir.parameters().size(); i++) {
      var p = ir.parameters().get(i);
      if (ir.differentiableParameters().contains(p) && !activity.isUseful(p)) {
        declarations.report(Message.UNUSED_INPUT, method.getParameters().get(i), p.name(),
            method.getSimpleName());
      }
    }
  }

  /** Reads every helper a differentiated method calls: where they are differentiated. */
  private ImplicitHelpers helpers;

  /** One annotated method between reading and differentiating. */
  private final class Pending implements ImplicitHelpers.Caller {
    final TypeElement owner;
    final ExecutableElement method;
    final CompilationUnitTree unit;
    final Reporter reporter;
    int order;
    MethodIr lowered;
    Activity activity;
    Derivatives custom;
    boolean failed;

    Pending(TypeElement owner, ExecutableElement method, CompilationUnitTree unit,
        Reporter reporter) {
      this.owner = owner;
      this.method = method;
      this.unit = unit;
      this.reporter = reporter;
    }

    @Override
    public MethodIr lowered() {
      return lowered;
    }

    @Override
    public Activity activity() {
      return activity;
    }

    @Override
    public int order() {
      return order;
    }

    @Override
    public Reporter reporter() {
      return reporter;
    }

    @Override
    public String name() {
      return owner.getSimpleName() + "." + method.getSimpleName();
    }

    @Override
    public CompilationUnitTree unit() {
      return unit;
    }

    @Override
    public boolean failed() {
      return failed;
    }

    @Override
    public void fail() {
      failed = true;
    }

    @Override
    public void replace(MethodIr newLowered, Activity newActivity) {
      lowered = newLowered;
      activity = newActivity;
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
        p.custom = new Derivatives(Adjoint.custom(BodyReader.signatureOnly(symbols, method),
            new Adjoint.Custom(symbols.packageName(), owner.getSimpleName().toString(),
                custom.getSimpleName().toString())), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty());
        return p;
      }
      p.order = DifferentiableAnnotation.of(method).orElseThrow().order();
      MethodIr read = new BodyReader(symbols, reporter).read(method, (MethodTree) path.getLeaf());
      CalleeOrders.check(read, p.order, reporter);
      MethodIr lowered = new ControlFlowLowering().lower(read);
      Activity activity = Activity.of(lowered, reporter);
      if (reporter.hasErrors()) {
        p.failed = true;
        return p;
      }
      p.lowered = lowered;
      p.activity = activity;
    } catch (Abort e) {
      p.failed = true;
    } catch (RuntimeException e) {
      reporter.report(Message.INTERNAL_ERROR, Position.NONE, declarations.failure(e));
      p.failed = true;
    }
    return p;
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
          ReverseTransform.transform(p.lowered, p.activity), p.order);
    } catch (Abort e) {
      return null;
    } catch (RuntimeException e) {
      p.reporter.report(Message.INTERNAL_ERROR, Position.NONE, declarations.failure(e));
      return null;
    }
  }
}
