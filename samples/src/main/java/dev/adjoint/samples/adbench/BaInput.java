package dev.adjoint.samples.adbench;

/**
 * One ADBench bundle-adjustment instance: {@code n} cameras, {@code m} points and {@code p}
 * observations. As ADBench does, the file's one camera, point, weight and feature are replicated;
 * observation {@code i} sees point {@code i mod m} from camera {@code i mod n}.
 */
public record BaInput(
    double[][] cameras, double[][] points, double[] weights, double[][] features,
    int[] observationCamera, int[] observationPoint) {

  /** The shipped instances. */
  public static final String TEST = "ba/test.txt";
  public static final String BA1 = "ba/ba1_n49_m7776_p31843.txt";

  /** Reads a shipped instance, replicating its single camera, point, weight and feature. */
  public static BaInput read(String path) {
    try (Tokens in = Tokens.open(path)) {
      int n = in.nextInt();
      int m = in.nextInt();
      int p = in.nextInt();
      double[] camera = in.nextDoubles(Ba.CAMERA);
      double[] point = in.nextDoubles(Ba.POINT);
      double weight = in.nextDouble();
      double[] feature = in.nextDoubles(2);
      double[][] cameras = new double[n][];
      for (int i = 0; i < n; i++) {
        cameras[i] = camera.clone();
      }
      double[][] points = new double[m][];
      for (int i = 0; i < m; i++) {
        points[i] = point.clone();
      }
      double[] weights = new double[p];
      double[][] features = new double[p][];
      int[] observationCamera = new int[p];
      int[] observationPoint = new int[p];
      for (int i = 0; i < p; i++) {
        weights[i] = weight;
        features[i] = feature.clone();
        observationCamera[i] = i % n;
        observationPoint[i] = i % m;
      }
      return new BaInput(cameras, points, weights, features, observationCamera, observationPoint);
    }
  }

  public int observations() {
    return weights.length;
  }

  /** Columns of the Jacobian: 11 n + 3 m + p. */
  public int parameterCount() {
    return Ba.CAMERA * cameras.length + Ba.POINT * points.length + weights.length;
  }
}
