/**
 * The transforms: lowered source IR in, {@link dev.adjoint.processor.transform.Adjoint} and
 * {@link dev.adjoint.processor.transform.Derivatives} out.
 *
 * <p>{@link dev.adjoint.processor.transform.ControlFlowLowering} first removes every jump. The
 * reverse transform ({@link dev.adjoint.processor.transform.ReverseTransform}) then takes a
 * lowered method and its {@link dev.adjoint.processor.analysis.Activity} and returns the hoisted
 * declarations, the forward sweep (the source statements, plus the pushes the reverse sweep
 * pops) and the reverse sweep. It guarantees: every value the reverse sweep reads is the
 * value the forward sweep had at that point, restored exactly from the tape where it was
 * overwritten; only such values, undecidable branch decisions and the trip counts of loops
 * that are not counted loops are recorded; the code of an expression is linear in its size
 * (each needed intermediate value computed once, bottom-up); nothing is allocated per
 * operation (the tape is a primitive stack, arrays for callees' partials are borrowed from it).
 * Its input is source IR only (it walks it with {@code SourceVisitor}s); sweep nodes appear
 * only in its output. {@link dev.adjoint.processor.transform.TangentTransform} maps lowered IR
 * to lowered IR, so the transforms compose ({@link dev.adjoint.processor.transform.HigherOrder}).
 * Every partial derivative comes from {@link dev.adjoint.processor.ir.Operator} and {@link
 * dev.adjoint.processor.ir.Intrinsic}.
 */
package dev.adjoint.processor.transform;
