/**
 * Emission: the derivatives of a class's methods as {@code FooDiff.java}, written with JavaPoet
 * (the only package that knows it, with {@code kernel}'s class emitter).
 *
 * <p>{@link dev.adjoint.processor.emit.DiffClassEmitter} assembles the class from entry-point
 * families, each one small class adding its members for one method: gradient record and {@code
 * mGrad}, {@code mAdjoint}, {@code mVjp} and its pullback class, {@code mJvp} and the tangent
 * forms, {@code mHvp}/{@code mHessian}, {@code mDerivatives}, {@code mJacobian}. They share one
 * per-method model ({@code MethodModel}). Method bodies come from {@code SweepWriter} (the
 * forward and reverse sweeps of an adjoint) and {@code JavaPrinter} (any IR, through the IR's
 * visitors), which name variables with {@code Names}: source names where free, numbered where
 * not, following Java's scopes so that a name is reused once its scope has closed. Every
 * generated comment documents all parameters and results ({@code Doc}), so generated sources
 * pass {@code javadoc -Xdoclint:all}.
 */
package dev.adjoint.processor.emit;
