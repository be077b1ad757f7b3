package dev.adjoint.processor;

import com.google.auto.service.AutoService;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.analysis.Activity;
import dev.adjoint.processor.diagnostics.Abort;
import dev.adjoint.processor.diagnostics.JavacReporter;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.emit.DiffClassEmitter;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Position;
import dev.adjoint.processor.read.BodyReader;
import dev.adjoint.processor.read.Symbols;
import dev.adjoint.processor.transform.Adjoint;
import dev.adjoint.processor.transform.ControlFlowLowering;
import dev.adjoint.processor.transform.ReverseTransform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  private Trees trees;
  private String treesProblem;

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(ANNOTATION);
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
      treesProblem = e.getClass().getSimpleName() + ": " + e.getMessage();
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
    byClass.forEach(this::generate);
    return true;
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
    List<Adjoint> adjoints = new ArrayList<>();
    for (ExecutableElement method : methods) {
      Adjoint adjoint = differentiate(owner, method);
      if (adjoint != null) {
        adjoints.add(adjoint);
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
  private Adjoint differentiate(TypeElement owner, ExecutableElement method) {
    TreePath path = trees.getPath(method);
    CompilationUnitTree unit = path.getCompilationUnit();
    JavacReporter reporter =
        new JavacReporter(trees, unit, processingEnv.getMessager(), method);
    try {
      Symbols symbols = new Symbols(processingEnv.getElementUtils(), unit, owner);
      MethodIr read = new BodyReader(symbols, reporter).read(method, (MethodTree) path.getLeaf());
      MethodIr lowered = new ControlFlowLowering().lower(read);
      Activity activity = Activity.of(lowered, reporter);
      if (reporter.hasErrors()) {
        return null;
      }
      warnUnusedInputs(method, lowered, activity);
      return ReverseTransform.transform(lowered, activity);
    } catch (Abort e) {
      return null;
    } catch (RuntimeException e) {
      reporter.report(Message.INTERNAL_ERROR, Position.NONE, e);
      return null;
    }
  }
}
