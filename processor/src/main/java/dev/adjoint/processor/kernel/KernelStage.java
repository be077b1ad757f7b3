package dev.adjoint.processor.kernel;

import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.adjoint.processor.diagnostics.AnnotationSite;
import dev.adjoint.processor.diagnostics.ElementReporter;
import dev.adjoint.processor.diagnostics.Message;
import dev.adjoint.processor.diagnostics.Reporter;
import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.transform.Adjoint;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The kernel stage of the processor: after a class's {@code @Differentiable} methods have their
 * adjoints, the {@code @Elementwise} ones among them are validated and written out as {@code
 * FooKernels.java} (entry points and CPU loops) and {@code FooKernels.cu} (CUDA C, in the
 * generated-sources folder, where the adjoint-maven-plugin compiles it to PTX).
 */
public final class KernelStage {
  /** The annotation that asks for kernels. */
  public static final String ANNOTATION = "dev.adjoint.Elementwise";
  private static final String DIFFERENTIABLE = "dev.adjoint.Differentiable";

  private final ProcessingEnvironment env;
  private final Trees trees;
  private final ElementReporter reporter;

  /**
   * @param env the processing environment, for elements and the filer
   * @param trees javac's tree API, or null where it is unavailable
   * @param reporter where the stage reports (at declarations, and in bodies)
   */
  public KernelStage(ProcessingEnvironment env, Trees trees, ElementReporter reporter) {
    this.env = env;
    this.trees = trees;
    this.reporter = reporter;
  }

  /** Reports every {@code @Elementwise} method that is not {@code @Differentiable} (ADJ300). */
  public void checkMarks(RoundEnvironment round) {
    TypeElement annotation = env.getElementUtils().getTypeElement(ANNOTATION);
    if (annotation == null) {
      return;
    }
    for (Element e : round.getElementsAnnotatedWith(annotation)) {
      if (!has(e, DIFFERENTIABLE)) {
        reporter.report(Message.ELEMENTWISE_WITHOUT_DIFFERENTIABLE,
            new AnnotationSite(e, mirror(e, ANNOTATION), null), e.getSimpleName());
      }
    }
  }

  /**
   * Writes the kernels of {@code owner}'s {@code @Elementwise} methods, given the adjoints of
   * its differentiable methods (those that failed are absent) and its custom adjoints.
   */
  public void generate(TypeElement owner, List<ExecutableElement> methods,
      List<Adjoint> adjoints, Set<ExecutableElement> withCustomAdjoint) {
    Map<String, ExecutableElement> marked = new LinkedHashMap<>();
    for (ExecutableElement m : methods) {
      if (has(m, ANNOTATION)) {
        marked.put(m.getSimpleName().toString(), m);
      }
    }
    if (marked.isEmpty()) {
      return;
    }
    Map<String, Adjoint> candidates = new LinkedHashMap<>();
    for (Adjoint a : adjoints) {
      ExecutableElement m = marked.get(a.method().name());
      if (m != null && signatureQualifies(m, a.method(), withCustomAdjoint.contains(m))) {
        candidates.put(a.method().name(), a);
      }
    }
    // A method calling one that cannot be a kernel cannot be one either: drop until stable.
    Map<String, KernelMethod> valid = new LinkedHashMap<>();
    Set<String> names = new LinkedHashSet<>(candidates.keySet());
    boolean changed = true;
    while (changed) {
      changed = false;
      valid.clear();
      for (String name : new ArrayList<>(names)) {
        ExecutableElement m = marked.get(name);
        KernelMethod k = new KernelValidator(env.getElementUtils(), reporter(m),
            candidates.get(name).method(), names).validate(candidates.get(name));
        if (k == null) {
          names.remove(name);
          changed = true;
        } else {
          valid.put(name, k);
        }
      }
    }
    if (valid.isEmpty()) {
      return;
    }
    List<KernelMethod> kernels = new ArrayList<>(valid.values());
    String packageName = env.getElementUtils().getPackageOf(owner).getQualifiedName().toString();
    String simpleName = owner.getSimpleName().toString();
    try {
      KernelClassEmitter.emit(packageName, simpleName, kernels).writeTo(env.getFiler());
      FileObject cu = env.getFiler().createResource(StandardLocation.SOURCE_OUTPUT, packageName,
          KernelClassEmitter.className(simpleName) + ".cu", owner);
      try (Writer w = cu.openWriter()) {
        w.write(CudaSource.write(owner.getQualifiedName().toString(), kernels));
      }
    } catch (IOException e) {
      reporter.report(Message.INTERNAL_ERROR, owner,
          "cannot write the kernels: " + e.getMessage());
    } catch (RuntimeException e) {
      reporter.report(Message.INTERNAL_ERROR, owner,
          "writing the kernels: " + reporter.failure(e));
    }
  }

  /** Checks what the declaration alone decides; reports at the element concerned. */
  private boolean signatureQualifies(ExecutableElement m, MethodIr ir, boolean custom) {
    boolean ok = true;
    String name = m.getSimpleName().toString();
    for (VariableElement p : m.getParameters()) {
      TypeKind kind = p.asType().getKind();
      if (kind != TypeKind.DOUBLE && kind != TypeKind.FLOAT) {
        ok = error(Message.ELEMENTWISE_PARAMETER, p, p.getSimpleName(), name, p.asType());
      }
    }
    TypeKind result = m.getReturnType().getKind();
    if (result != TypeKind.DOUBLE && result != TypeKind.FLOAT) {
      ok = error(Message.ELEMENTWISE_RESULT, m, name, m.getReturnType());
    }
    if (custom) {
      ok = error(Message.ELEMENTWISE_CUSTOM_ADJOINT, m, name);
    }
    if (!ir.retained().isEmpty()) {
      ok = error(Message.ELEMENTWISE_RETAIN, m, name, String.join(", ",
          ir.retained().stream().map(v -> v.name()).toList()));
    }
    if (m.getModifiers().contains(Modifier.PRIVATE)) {
      ok = error(Message.ELEMENTWISE_PRIVATE, m, name,
          KernelClassEmitter.className(m.getEnclosingElement().getSimpleName().toString()));
    }
    return ok;
  }

  private boolean error(Message message, Element at, Object... args) {
    reporter.report(message, at, args);
    return false;
  }

  private Reporter reporter(ExecutableElement m) {
    TreePath path = trees == null ? null : trees.getPath(m);
    return reporter.forBody(trees, path == null ? null : path.getCompilationUnit(), m);
  }

  private static boolean has(Element e, String annotation) {
    return mirror(e, annotation) != null;
  }

  private static AnnotationMirror mirror(Element e, String annotation) {
    for (AnnotationMirror a : e.getAnnotationMirrors()) {
      if (a.getAnnotationType().toString().equals(annotation)) {
        return a;
      }
    }
    return null;
  }
}
