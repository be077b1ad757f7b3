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
    byClass.forEach(this::generate);
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

  /** Per method of the class being generated, its parameters as declared (records, enums). */
  private final Map<String, List<dev.adjoint.processor.ir.ObjectShape>> signatures =
      new LinkedHashMap<>();

  private void generate(TypeElement owner, List<ExecutableElement> methods) {
    signatures.clear();
    List<Derivatives> adjoints = new ArrayList<>();
    for (ExecutableElement method : methods) {
      Derivatives derivatives = differentiate(owner, method);
      if (derivatives != null) {
        adjoints.add(derivatives);
      }
    }
    if (adjoints.isEmpty()) {
      return;
    }
    String packageName = processingEnv.getElementUtils().getPackageOf(owner)
        .getQualifiedName().toString();
    try {
      DiffClassEmitter.emit(com.palantir.javapoet.ClassName.get(owner), adjoints, signatures)
          .writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      declarations.report(Message.INTERNAL_ERROR, owner,
          "cannot write the generated class: " + e.getMessage());
    }
    kernels.generate(owner, methods, adjoints.stream().map(Derivatives::adjoint).toList(),
        customAdjoints.keySet());
  }

  /** A differentiated parameter the result cannot depend on gets a warning; its derivative is 0. */
  private void warnUnusedInputs(ExecutableElement method, MethodIr ir, Activity activity) {
    List<dev.adjoint.processor.ir.ObjectShape> shapes =
        signatures.get(method.getSimpleName().toString());
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

  /** Runs the pipeline on one method; null when it reported an error. */
  private Derivatives differentiate(TypeElement owner, ExecutableElement method) {
    TreePath path = trees.getPath(method);
    CompilationUnitTree unit = path.getCompilationUnit();
    Reporter reporter = declarations.forBody(trees, unit, method);
    try {
      Symbols symbols = new Symbols(processingEnv.getElementUtils(), unit, owner);
      ExecutableElement custom = customAdjoints.get(method);
      if (custom != null) {
        for (var p : method.getParameters()) {
          if (dev.adjoint.processor.read.ObjectTypes.isObject(p.asType())) {
            declarations.report(Message.CUSTOM_ADJOINT_OBJECTS, p, method.getSimpleName(),
                p.getSimpleName());
            return null;
          }
        }
        return new Derivatives(Adjoint.custom(BodyReader.signatureOnly(symbols, method),
            new Adjoint.Custom(symbols.packageName(), owner.getSimpleName().toString(),
                custom.getSimpleName().toString())), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty());
      }
      int order = DifferentiableAnnotation.of(method).orElseThrow().order();
      BodyReader reader = new BodyReader(symbols, reporter);
      MethodIr read = reader.read(method, (MethodTree) path.getLeaf());
      signatures.put(method.getSimpleName().toString(), reader.signature());
      CalleeOrders.check(read, order, reporter);
      MethodIr lowered = new ControlFlowLowering().lower(read);
      Activity activity = Activity.of(lowered, reporter);
      if (reporter.hasErrors()) {
        return null;
      }
      warnUnusedInputs(method, lowered, activity);
      return HigherOrder.of(lowered, activity, ReverseTransform.transform(lowered, activity),
          order);
    } catch (Abort e) {
      return null;
    } catch (RuntimeException e) {
      reporter.report(Message.INTERNAL_ERROR, Position.NONE, declarations.failure(e));
      return null;
    }
  }
}
