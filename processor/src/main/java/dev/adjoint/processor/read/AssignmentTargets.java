package dev.adjoint.processor.read;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreeScanner;

/**
 * A walk of source trees that sees the target of every write: an assignment, a compound
 * assignment, {@code ++} and {@code --}. What the finders of written parameters, reassigned
 * scalars and written tables share.
 */
public abstract class AssignmentTargets extends TreeScanner<Void, Void> {
  /** Called with the left-hand side of each write, as written (parentheses included). */
  protected abstract void target(ExpressionTree written);

  @Override
  public Void visitAssignment(AssignmentTree a, Void unused) {
    target(a.getVariable());
    return super.visitAssignment(a, unused);
  }

  @Override
  public Void visitCompoundAssignment(CompoundAssignmentTree a, Void unused) {
    target(a.getVariable());
    return super.visitCompoundAssignment(a, unused);
  }

  @Override
  public Void visitUnary(UnaryTree u, Void unused) {
    switch (u.getKind()) {
      case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
          target(u.getExpression());
      default -> { }
    }
    return super.visitUnary(u, unused);
  }
}
