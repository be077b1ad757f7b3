/**
 * The typed intermediate representation every stage after the reader works on.
 *
 * <p>A {@link dev.adjoint.processor.ir.MethodIr} is one method: its signature and a body of
 * {@link dev.adjoint.processor.ir.Stmt statements} over side-effect-free, typed {@link
 * dev.adjoint.processor.ir.Expr expressions}. Nodes are immutable records and compare by value;
 * a {@link dev.adjoint.processor.ir.Variable} compares by identity (two locals may share a
 * name). Each family splits into the {@code Source} nodes a method body can contain and the
 * {@code Sweep} nodes only the reverse transform creates.
 *
 * <p>Every dispatch on a node's kind goes through the family's visitors, which have no
 * defaults: a pass over source IR implements {@code SourceVisitor} (handing it a sweep node
 * throws), a pass over any IR implements {@code Visitor}, so adding a kind fails to compile
 * until every pass handles it. {@link dev.adjoint.processor.ir.Exprs} and {@link
 * dev.adjoint.processor.ir.Statements} hold the builders and the generic walks (children,
 * rebuild with mapped children, variables, substitution, assigned variables): the one place
 * where each kind's children are spelled out. {@link dev.adjoint.processor.ir.Intrinsic} and
 * {@link dev.adjoint.processor.ir.Operator} are the derivative rules of functions and
 * operators.
 */
package dev.adjoint.processor.ir;
