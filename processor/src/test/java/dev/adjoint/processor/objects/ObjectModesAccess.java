package dev.adjoint.processor.objects;

/**
 * The checks of {@link ObjectModes} for suites of other packages (the natural-Java probe): every
 * mode of a scalar method, or the Jacobian and pullbacks of an array- or record-valued one,
 * against Ridders' differences of the user's own method.
 */
public final class ObjectModesAccess {
  private ObjectModesAccess() {}

  /** {@link ObjectModes#check} of static {@code method} of {@code source}. */
  public static double[] check(Class<?> source, Class<?> diff, String method, Object... args) {
    return new ObjectModes(source, diff).check(method, args);
  }

  /** {@link ObjectModes#checkInstance} of instance {@code method} of {@code self}. */
  public static double[] checkInstance(Class<?> source, Class<?> diff, String method,
      Object self, Object... args) {
    return new ObjectModes(source, diff).checkInstance(method, self, args);
  }

  /** {@link ObjectModes#checkJacobian} of a method returning an array or a record. */
  public static double[][] checkJacobian(Class<?> source, Class<?> diff, String method,
      Object... args) {
    return new ObjectModes(source, diff).checkJacobian(method, args);
  }
}
