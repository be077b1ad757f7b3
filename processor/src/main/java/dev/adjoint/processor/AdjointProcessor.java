package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.analysis.CalleeOrders;
import dev.adjoint.processor.diagnostics.Abort;
import dev.adjoint.processor.diagnostics.JavacReporter;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.emit.DiffClassEmitter;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.kernel.KernelStage;
import dev.adjoint.processor.read.BodyReader;
import dev.adjoint.processor.read.Symbols;
import dev.adjoint.processor.transform.Adjoint;
import dev.adjoint.processor.read.DifferentiableAnnotation;
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
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

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
  public synchronized void init(javax.annotation.processing.ProcessingEnvironment env) {
    super.init(env);
    try {
      trees = Trees.instance(env);
    } catch (RuntimeException | LinkageError e) {
      treesProblem = e.getMessage() == null ? e.getClass().getSimpleName()
          : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (annotations.isEmpty()) {
      return false;
    }
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(ANNOTATION);
    Map<TypeElement, List<ExecutableElement>> byClass = new LinkedHashMap<>();
    MethodValidator validator = new MethodValidator(processingEnv.getMessager());
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (!(e instanceof ExecutableElement method)) {
        continue;
      }
      if (trees == null) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.TREES_UNAVAILABLE.format(treesProblem), e);
        continue;
      }
      if (validator.validate(method)) {
        byClass.computeIfAbsent((TypeElement) method.getEnclosingElement(), k -> new ArrayList<>())
            .add(method);
      }
    }
    byClass.values().forEach(this::rejectOverloads);
    customAdjoints = customAdjoints(round, byClass);
    kernels = new KernelStage(processingEnv, trees);
    kernels.checkMarks(round);
    byClass.forEach(this::generate);
    return true;
  }

  /** Per differentiable method, the user's {@code @CustomAdjoint}, checked against it. */
  private Map<ExecutableElement, ExecutableElement> customAdjoints;
  /** Writes the elementwise kernels of {@code @Elementwise} methods. */
  private KernelStage kernels;

  private Map<ExecutableElement, ExecutableElement> customAdjoints(RoundEnvironment round,
      Map<TypeElement, List<ExecutableElement>> byClass) {
    Map<ExecutableElement, ExecutableElement> found = new LinkedHashMap<>();
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(CUSTOM_ADJOINT);
    if (annotation == null) {
      return found;
    }
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (!(e instanceof ExecutableElement custom)) {
        continue;
      }
      String target = custom.getAnnotationMirrors().stream()
          .filter(a -> a.getAnnotationType().toString().equals(CUSTOM_ADJOINT))
          .flatMap(a -> a.getElementValues().values().stream())
          .map(v -> String.valueOf(v.getValue())).findFirst().orElse("");
      List<ExecutableElement> candidates = byClass.getOrDefault(
          (TypeElement) custom.getEnclosingElement(), List.of()).stream()
          .filter(m -> m.getSimpleName().contentEquals(target)).toList();
      if (candidates.size() != 1) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.CUSTOM_ADJOINT_TARGET.format(target), custom);
        continue;
      }
      ExecutableElement primal = candidates.get(0);
      String expected = CustomAdjoints.expectedSignature(primal, custom.getSimpleName());
      if (!CustomAdjoints.matches(primal, custom)) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.CUSTOM_ADJOINT_SIGNATURE.format(custom.getSimpleName(), expected), custom);
        byClass.get((TypeElement) custom.getEnclosingElement()).remove(primal);
        continue;
      }
      int order = dev.adjoint.processor.read.DifferentiableAnnotation.of(primal).orElseThrow()
          .order();
      if (order > 1) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.CUSTOM_ADJOINT_WITH_ORDER.format(primal.getSimpleName(), order), primal);
        byClass.get((TypeElement) custom.getEnclosingElement()).remove(primal);
        continue;
      }
      if (!dev.adjoint.processor.read.DifferentiableAnnotation.of(primal).orElseThrow()
          .retain().isEmpty()) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.CUSTOM_ADJOINT_WITH_RETAIN.format(primal.getSimpleName()), primal);
        byClass.get((TypeElement) custom.getEnclosingElement()).remove(primal);
        continue;
      }
      if (found.containsKey(primal)) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.DUPLICATE_CUSTOM_ADJOINT.format(primal.getSimpleName(),
                found.get(primal).getSimpleName() + ", " + custom.getSimpleName()), custom);
        continue;
      }
      found.put(primal, custom);
    }
    return found;
  }

  private void rejectOverloads(List<ExecutableElement> methods) {
    Map<String, List<ExecutableElement>> byName = new LinkedHashMap<>();
    for (ExecutableElement m : methods) {
      byName.computeIfAbsent(m.getSimpleName().toString(), k -> new ArrayList<>()).add(m);
    }
    for (List<ExecutableElement> same : byName.values()) {
      if (same.size() > 1) {
        for (ExecutableElement m : same) {
          String name = m.getSimpleName().toString();
          processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
              Message.OVERLOADED_METHOD.format(name, name, name), m);
        }
        methods.removeAll(same);
      }
    }
  }

  private void generate(TypeElement owner, List<ExecutableElement> methods) {
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
      DiffClassEmitter.emit(packageName, owner.getSimpleName().toString(), adjoints)
          .writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          Message.INTERNAL_ERROR.format("cannot write the generated class: " + e.getMessage()),
          owner);
    }
    kernels.generate(owner, methods, adjoints.stream().map(Derivatives::adjoint).toList(),
        customAdjoints.keySet());
  }

  /** A differentiated parameter the result cannot depend on gets a warning; its derivative is 0. */
  private void warnUnusedInputs(ExecutableElement method, MethodIr ir, Activity activity) {
    for (int i = 0; i < ir.parameters().size(); i++) {
      var p = ir.parameters().get(i);
      if (ir.differentiableParameters().contains(p) && !activity.isUseful(p)) {
        processingEnv.getMessager().printMessage(Message.UNUSED_INPUT.kind(),
            Message.UNUSED_INPUT.format(p.name(), method.getSimpleName()),
            method.getParameters().get(i));
      }
    }
  }

  /** Runs the pipeline on one method; null when it reported an error. */
  private Derivatives differentiate(TypeElement owner, ExecutableElement method) {
    TreePath path = trees.getPath(method);
    CompilationUnitTree unit = path.getCompilationUnit();
    JavacReporter reporter =
        new JavacReporter(trees, unit, processingEnv.getMessager(), method);
    try {
      Symbols symbols = new Symbols(processingEnv.getElementUtils(), unit, owner);
      ExecutableElement custom = customAdjoints.get(method);
      if (custom != null) {
        return new Derivatives(Adjoint.custom(BodyReader.signatureOnly(symbols, method),
            new Adjoint.Custom(symbols.packageName(), owner.getSimpleName().toString(),
                custom.getSimpleName().toString())), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty());
      }
      int order = DifferentiableAnnotation.of(method).orElseThrow().order();
      MethodIr read = new BodyReader(symbols, reporter).read(method, (MethodTree) path.getLeaf());
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
      reporter.report(Message.INTERNAL_ERROR, Position.NONE, e);
      return null;
    }
  }
}
