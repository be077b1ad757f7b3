package dev.adjoint.processor.read;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.lang.model.element.ExecutableElement;

/**
 * The array parameters a method body writes, read from its source: an element written ({@code
 * p[i] = ...}, a compound assignment, {@code ++}, {@code --}), {@code Arrays.fill(p, ...)},
 * {@code System.arraycopy(..., p, ...)} as destination, or {@code p} passed to a method that
 * may write its array arguments. A method returning a value reads each such parameter into a
 * work array of its own first and writes that one (see {@link BodyReader}).
 */
final class WrittenParameters {
  private WrittenParameters() {}

  /**
   * The names among {@code arrays} that {@code method}'s body writes; {@code writesArguments}
   * says whether a call other than {@code Arrays.fill} and {@code System.arraycopy} may write
   * the arrays passed to it.
   */
  static Set<String> of(MethodTree method, Set<String> arrays,
      Predicate<MethodInvocationTree> writesArguments) {
    Set<String> written = new HashSet<>();
    if (method.getBody() == null) {
      return written;
    }
    new AssignmentTargets() {
      @Override
      protected void target(ExpressionTree t) {
        ExpressionTree e = t;
        boolean element = false;
        while (e instanceof ArrayAccessTree a) {
          e = a.getExpression();
          element = true;
        }
        while (e.getKind() == Tree.Kind.PARENTHESIZED) {
          e = ((com.sun.source.tree.ParenthesizedTree) e).getExpression();
        }
        if (element && e instanceof IdentifierTree id && arrays.contains(id.getName().toString())) {
          written.add(id.getName().toString());
        }
      }

      @Override
      public Void visitMethodInvocation(MethodInvocationTree m, Void unused) {
        List<? extends ExpressionTree> args = m.getArguments();
        String name = m.getMethodSelect() instanceof MemberSelectTree s
            ? s.getIdentifier().toString()
            : m.getMethodSelect() instanceof IdentifierTree id ? id.getName().toString() : "";
        String qualifier = m.getMethodSelect() instanceof MemberSelectTree s
            ? s.getExpression().toString() : "";
        for (int i = 0; i < args.size(); i++) {
          if (!(args.get(i) instanceof IdentifierTree id)
              || !arrays.contains(id.getName().toString())) {
            continue;
          }
          boolean writes;
          if (qualifier.endsWith("Arrays") && name.equals("fill")) {
            writes = i == 0;
          } else if (qualifier.endsWith("System") && name.equals("arraycopy")) {
            writes = i == 2;
          } else if (qualifier.endsWith("Arrays") || qualifier.endsWith("Math")) {
            writes = false;
          } else {
            writes = writesArguments.test(m);
          }
          if (writes) {
            written.add(id.getName().toString());
          }
        }
        return super.visitMethodInvocation(m, unused);
      }

      @Override
      public Void visitClass(ClassTree c, Void unused) {
        return null; // a local or anonymous class has names of its own
      }
    }.scan(method.getBody(), null);
    return written;
  }

  /** The names among {@code scalars} that {@code method}'s body assigns. */
  static Set<String> reassigned(MethodTree method, Set<String> scalars) {
    Set<String> out = new HashSet<>();
    if (method.getBody() == null) {
      return out;
    }
    new AssignmentTargets() {
      @Override
      protected void target(ExpressionTree t) {
        if (t instanceof IdentifierTree id && scalars.contains(id.getName().toString())) {
          out.add(id.getName().toString());
        }
      }

      @Override
      public Void visitClass(ClassTree c, Void unused) {
        return null;
      }
    }.scan(method.getBody(), null);
    return out;
  }

  /**
   * The source of {@code method} in {@code unit} (a top-level or nested class of the same
   * simple name as its owner), or null when it is compiled elsewhere.
   */
  static MethodTree source(CompilationUnitTree unit, ExecutableElement method) {
    String owner = method.getEnclosingElement().getSimpleName().toString();
    MethodTree[] found = new MethodTree[1];
    int[] count = new int[1];
    new TreeScanner<Void, Boolean>() {
      @Override
      public Void visitClass(ClassTree c, Boolean inOwner) {
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
            found[0] = m;
            count[0]++;
          }
        }
        return null;
      }
    }.scan(unit, false);
    return count[0] == 1 ? found[0] : null;
  }
}
