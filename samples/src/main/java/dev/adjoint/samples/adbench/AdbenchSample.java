package dev.adjoint.samples.adbench;

import dev.adjoint.runtime.Tape;
import java.util.Locale;

/**
 * The ADBench sample: reads the shipped GMM, BA and LSTM instances, prints each objective next to
 * ADBench's reference value, and a few gradient entries next to central differences.
 *
 * <p>Run: {@code mvn -B -ntp -q -DskipTests -Prun-samples package -Dsample=adbench}.
 */
public final class AdbenchSample {
  private AdbenchSample() {}

  public static void main(String[] args) {
    System.out.println("ADBench objectives (reference values from ADBench's C++ code):");
    String row = "  %-28s %24s %24s%n";
    System.out.printf(Locale.ROOT, row, "instance", "Adjoint sample", "ADBench");
    gmm(GmmInput.TEST, "8.07380408004975791", row);
    gmm(GmmInput.D2_K5, "-5240.5905625496434", row);
    gmm(GmmInput.D10_K5, "-31302.540910910764", row);
    gmm(GmmInput.D64_K10, "-1171496.2872845707", row);
    LstmInput lstm = LstmInput.read(LstmInput.L2_C1024);
    System.out.printf(Locale.ROOT, row, LstmInput.L2_C1024, num(lstm.objective()),
        "0.66666517955885218");

    System.out.println();
    System.out.println("Gradients: generated adjoint vs central difference (h = 1e-6)");
    GmmInput in = GmmInput.read(GmmInput.D10_K5);
    double[] dAlphas = new double[in.k()];
    double[][] dMeans = new double[in.k()][in.d()];
    double[][] dIcf = new double[in.k()][in.icf()[0].length];
    GmmDiff.objectiveAdjoint(in.alphas(), in.means(), in.icf(), in.x(), in.gamma(), in.m(), 1.0,
        dAlphas, dMeans, dIcf, new Tape());
    System.out.printf(Locale.ROOT, "  GMM d10 K5, %d inputs:%n", in.parameterCount());
    entry("dF/dalpha[2]", dAlphas[2], in.alphas(), 2, in::objective);
    entry("dF/dmu[1][3]", dMeans[1][3], in.means()[1], 3, in::objective);
    entry("dF/dq[4][0]", dIcf[4][0], in.icf()[4], 0, in::objective);
    entry("dF/dl[0][17]", dIcf[0][17], in.icf()[0], 17, in::objective);

    double[][] dMain = new double[lstm.mainParams().length][lstm.mainParams()[0].length];
    double[][] dExtra = new double[3][lstm.extraParams()[0].length];
    LstmDiff.objectiveAdjoint(lstm.mainParams(), lstm.extraParams(), lstm.state(),
        lstm.sequence(), 1.0, dMain, dExtra, new Tape());
    System.out.printf(Locale.ROOT, "  LSTM l2 c1024, %d inputs:%n", lstm.parameterCount());
    entry("dloss/dmain[1][3]", dMain[1][3], lstm.mainParams()[1], 3, lstm::objective);
    entry("dloss/dmain[3][40]", dMain[3][40], lstm.mainParams()[3], 40, lstm::objective);
    entry("dloss/dextra[1][7]", dExtra[1][7], lstm.extraParams()[1], 7, lstm::objective);

    BaInput ba = BaInput.read(BaInput.BA1);
    BaJacobian jacobian = new BaJacobian(ba.observations());
    jacobian.compute(ba, new Tape());
    System.out.printf(Locale.ROOT, "  BA ba1: %d observations, Jacobian %d x %d; row 0 (camera, "
        + "point, weight):%n    %s%n", ba.observations(), 3 * ba.observations(),
        ba.parameterCount(), java.util.Arrays.toString(jacobian.reprojectionRow(0, 0)));
  }

  private static void gmm(String path, String reference, String row) {
    System.out.printf(Locale.ROOT, row, path, num(GmmInput.read(path).objective()), reference);
  }

  private static void entry(String name, double adjoint, double[] row, int j,
      java.util.function.DoubleSupplier f) {
    double x = row[j];
    double h = 1e-6 * Math.max(1, Math.abs(x));
    row[j] = x + h;
    double plus = f.getAsDouble();
    row[j] = x - h;
    double minus = f.getAsDouble();
    row[j] = x;
    System.out.printf(Locale.ROOT, "    %-20s %22.12g %22.12g%n", name, adjoint,
        (plus - minus) / (2 * h));
  }

  private static String num(double v) {
    return Double.toString(v);
  }
}
