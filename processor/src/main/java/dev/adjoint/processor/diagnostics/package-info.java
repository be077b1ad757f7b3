/**
 * Diagnostics: {@link dev.adjoint.processor.diagnostics.Message}, the one catalogue of messages
 * with their stable ids and kinds, and where they are reported. Stages report through a {@link
 * dev.adjoint.processor.diagnostics.Reporter}, which takes IR positions and never shows javac
 * to them ({@link dev.adjoint.processor.diagnostics.JavacReporter} turns positions back into
 * javac trees); the processor's declaration checks report through {@link
 * dev.adjoint.processor.diagnostics.ElementReporter}, at elements and annotation values. After
 * an error a stage may throw {@link dev.adjoint.processor.diagnostics.Abort} to abandon the
 * method; the class's other methods still get their derivatives.
 */
package dev.adjoint.processor.diagnostics;
