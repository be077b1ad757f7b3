/**
 * Analyses of a method's IR that decide what the transforms produce, without changing the IR.
 *
 * <p>{@link dev.adjoint.processor.analysis.Activity} takes a lowered method (source nodes, no
 * jumps, {@code result} assigned) and tells which variables and expressions carry the
 * derivative from the differentiated parameters to the result (varied and useful): only those
 * get adjoint or tangent code. It reports what activity alone can see: a call Adjoint cannot
 * differentiate, or an argument a callee does not differentiate, on a path to the result (an
 * error), and integer conversions of varied values (a warning). {@link
 * dev.adjoint.processor.analysis.CalleeOrders} takes the method as read and reports calls of
 * differentiable methods whose declared order is below the caller's.
 *
 * <p>Both are passes over source IR: they implement the source visitors, and a sweep node
 * handed to them throws.
 */
package dev.adjoint.processor.analysis;
