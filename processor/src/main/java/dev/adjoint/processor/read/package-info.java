/**
 * Reads a {@code @Differentiable} method into the IR.
 *
 * <p>In: the method's element and its javac parse tree (not attributed), with the {@link
 * dev.adjoint.processor.read.Symbols symbols} around it. Out: a {@link
 * dev.adjoint.processor.ir.MethodIr} of source nodes only, still with its {@code return},
 * {@code break} and {@code continue} (no {@code result} yet), its differentiated parameters
 * ({@code wrt}) and retained locals resolved.
 *
 * <p>Guarantees: the body is inside the supported subset, or its first construct outside it
 * is reported at its exact position and the method abandoned ({@link
 * dev.adjoint.processor.diagnostics.Abort}). Every expression is typed by the reader itself
 * with Java's promotion and conversion rules and has no side effect: assignments, compound
 * assignments and {@code ++} become statements, with the implicit narrowing as an explicit
 * cast. Names resolve to variables (scoped, by identity), {@code static final} fields, {@code
 * Math} intrinsics and static calls with their {@link dev.adjoint.processor.ir.Callee}. Local
 * arrays are declared, created, at the body's top level and never aliased; a method returning
 * an array returns one local array, once, at its end; only a void helper writes the elements
 * of its array parameters (or passes them to a helper that does).
 */
package dev.adjoint.processor.read;
