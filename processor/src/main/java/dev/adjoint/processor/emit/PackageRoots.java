package dev.adjoint.processor.emit;

import dev.adjoint.processor.ir.Callee;
import dev.adjoint.processor.ir.Expr;
import dev.adjoint.processor.ir.Exprs;
import dev.adjoint.processor.ir.Statements;
import dev.adjoint.processor.transform.Derivatives;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The first segments of the packages whose classes a generated file refers to, and those
 * classes' simple names: JavaPoet writes
 * a class by its qualified name where its simple name is taken ({@code p.sub.Tables.POWERS}
 * beside {@code p.Tables}), and a generated local of that name ({@code p}) would hide the
 * package, so {@link Names} never hands them out.
 */
public final class PackageRoots {
  private PackageRoots() {}

  /**
   * The roots of the owner's package and of every table and callee class the bodies name, and
   * those classes' simple names.
   */
  static Set<String> of(String ownerPackage, List<Derivatives> methods) {
    Set<String> roots = new HashSet<>();
    add(roots, ownerPackage);
    add(roots, "java");
    add(roots, "javax");
    add(roots, "dev");
    Named named = new Named(roots);
    forEachExpression(methods, e -> e.accept(named));
    return roots;
  }

  /**
   * What one expression itself (not its subexpressions, which the walk visits) adds: the root
   * and simple name of each class it names. The bodies are source IR, hence a source visitor.
   */
  private static final class Named implements Expr.SourceVisitor<Void> {
    private final Set<String> roots;

    Named(Set<String> roots) {
      this.roots = roots;
    }

    /** A table or constant of a class: {@code p.sub.Tables.POWERS}. */
    @Override
    public Void visitFieldRead(Expr.FieldRead f) {
      add(roots, f.ownerQualifiedName());
      roots.add(f.ownerQualifiedName().substring(f.ownerQualifiedName().lastIndexOf('.') + 1));
      return null;
    }

    /** The callee's class, and its generated class, which the derivative code calls. */
    @Override
    public Void visitCall(Expr.Call c) {
      add(roots, c.callee().packageName());
      roots.add(c.callee().ownerSimpleName());
      roots.add(DiffClassEmitter.diffClassName(c.callee().ownerSimpleName()));
      return null;
    }

    @Override
    public Void visitLiteral(Expr.Literal e) {
      return null;
    }

    @Override
    public Void visitLocal(Expr.Local e) {
      return null;
    }

    @Override
    public Void visitUnary(Expr.Unary e) {
      return null;
    }

    @Override
    public Void visitBinary(Expr.Binary e) {
      return null;
    }

    @Override
    public Void visitConditional(Expr.Conditional e) {
      return null;
    }

    @Override
    public Void visitCast(Expr.Cast e) {
      return null;
    }

    /** {@code Math}, which {@link Names#RESERVED} already holds. */
    @Override
    public Void visitIntrinsicCall(Expr.IntrinsicCall e) {
      return null;
    }

    @Override
    public Void visitArrayRead(Expr.ArrayRead e) {
      return null;
    }

    @Override
    public Void visitArrayLength(Expr.ArrayLength e) {
      return null;
    }

    @Override
    public Void visitNewArray(Expr.NewArray e) {
      return null;
    }
  }

  /**
   * The differentiable methods of other classes that {@code methods} call (their generated
   * classes' adjoints and tangent forms are what the generated code calls), once each.
   */
  public static List<Callee> calleesInOtherClasses(String ownerPackage, String ownerSimpleName,
      List<Derivatives> methods) {
    Map<String, Callee> out = new LinkedHashMap<>();
    forEachExpression(methods, e -> {
      if (e instanceof Expr.Call c && c.callee().differentiable() && !c.callee().generated()
          && !(c.callee().packageName().equals(ownerPackage)
              && c.callee().ownerSimpleName().equals(ownerSimpleName))) {
        out.putIfAbsent(c.callee().packageName() + "." + c.callee().ownerSimpleName() + "."
            + c.callee().name(), c.callee());
      }
    });
    return List.copyOf(out.values());
  }

  /** Every expression of the methods' bodies. */
  private static void forEachExpression(List<Derivatives> methods, Consumer<Expr> action) {
    for (Derivatives d : methods) {
      Statements.forEachExpression(d.adjoint().method().body(), action);
    }
  }

  private static void add(Set<String> roots, String qualifiedName) {
    if (!qualifiedName.isEmpty()) {
      int dot = qualifiedName.indexOf('.');
      roots.add(dot < 0 ? qualifiedName : qualifiedName.substring(0, dot));
    }
  }
}
