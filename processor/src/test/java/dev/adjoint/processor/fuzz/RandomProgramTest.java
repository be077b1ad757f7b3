package dev.adjoint.processor.fuzz;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.adjoint.processor.fuzz.FuzzChecker.Config;
import dev.adjoint.processor.fuzz.FuzzChecker.Failure;
import dev.adjoint.processor.fuzz.FuzzChecker.Summary;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Random differentiable programs (see {@link ProgramGenerator}; scalar code, arrays, void
 * helpers, helpers without {@code @Differentiable} (private ones too), argument checks that
 * throw, record parameters, arrays of records, record locals, calls returning a record and
 * record instance methods), checked against the plain method, a finite-difference oracle for every scalar and
 * array-element input, and the mAdjoint contract (see {@link FuzzChecker}).
 *
 * <p>The default is a quick run of 300 programs with a fixed seed. A long run:
 *
 * <pre>
 * mvn -B -ntp -pl processor test -Dtest=RandomProgramTest \
 *     -Dadjoint.fuzz.programs=10000 -Dadjoint.fuzz.seed=1
 * </pre>
 *
 * <p>Other properties: {@code adjoint.fuzz.shrink} (default true: shrink failures and write
 * reproducers), {@code adjoint.fuzz.regressions} (the folder for reproducers, default {@code
 * src/test/resources/regressions} of this module; {@code none} writes nothing), {@code
 * adjoint.fuzz.maxShrinks}, {@code adjoint.fuzz.shrinkSeconds}, {@code
 * adjoint.fuzz.methodsPerClass}, {@code adjoint.fuzz.classesPerRun}, {@code adjoint.fuzz.points},
 * {@code adjoint.fuzz.threads}, {@code adjoint.fuzz.profile} ({@code large}: bigger programs),
 * {@code adjoint.fuzz.compileTimeout} (seconds), {@code adjoint.fuzz.step} (the oracle's relative
 * step, default 1e-5). Surefire passes these {@code -D} properties to the forked test JVM.
 * The summary line ({@code FUZZ SUMMARY}) gives programs, points checked and skipped, mismatches
 * by kind, time and throughput, and the constructs covered.
 */
class RandomProgramTest {

  static Config configFromProperties() {
    Config c = new Config();
    c.programs = Integer.getInteger("adjoint.fuzz.programs", c.programs);
    c.seed = Long.getLong("adjoint.fuzz.seed", c.seed);
    c.methodsPerClass = Integer.getInteger("adjoint.fuzz.methodsPerClass", c.methodsPerClass);
    c.classesPerRun = Integer.getInteger("adjoint.fuzz.classesPerRun", c.classesPerRun);
    c.points = Integer.getInteger("adjoint.fuzz.points", c.points);
    c.threads = Integer.getInteger("adjoint.fuzz.threads", c.threads);
    c.compileTimeoutSeconds =
        Long.getLong("adjoint.fuzz.compileTimeout", c.compileTimeoutSeconds);
    c.shrink = Boolean.parseBoolean(System.getProperty("adjoint.fuzz.shrink", "true"));
    c.maxShrinks = Integer.getInteger("adjoint.fuzz.maxShrinks", c.maxShrinks);
    c.shrinkSeconds = Long.getLong("adjoint.fuzz.shrinkSeconds", c.shrinkSeconds);
    String dir = System.getProperty("adjoint.fuzz.regressions",
        Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "regressions")
            .toString());
    c.regressionDir = dir.equals("none") ? null : Path.of(dir);
    return c;
  }

  @Test
  void randomProgramsHaveCorrectDerivatives() {
    Config config = configFromProperties();
    Summary s = FuzzChecker.run(config);
    System.out.println(s.line());
    StringBuilder failures = new StringBuilder();
    Map<String, Integer> shown = new LinkedHashMap<>();
    for (Failure f : s.failures) {
      if (shown.merge(f.signature(), 1, Integer::sum) > 3) {
        continue;
      }
      failures.append("\n--- ").append(f.kind().id).append(" (").append(f.signature())
          .append(") in ").append(f.unit() == null ? "?" : f.unit().name()).append('.')
          .append(f.method()).append(f.point() == null ? ""
              : " at (" + FuzzChecker.formatArgs(f.point()) + ")")
          .append("\n").append(f.detail());
    }
    if (!s.reproducers.isEmpty()) {
      failures.append("\nReproducers: ").append(s.reproducers);
    }
    assertWithMessage("fuzzer's own failures (invalid programs, twin mismatches):%s\n%s",
        failures, s.line()).that(s.harnessFailures()).isEqualTo(0);
    assertWithMessage("mismatches of generated derivatives:%s\n%s", failures, s.line())
        .that(s.processorMismatches()).isEqualTo(0);
    // A huge random body passes close to one of its many branches at most points, where the
    // oracle's differences are skipped; its checked points are fewer, not less exact.
    boolean huge = ProgramGenerator.PROFILE.equals(ProgramGenerator.Profile.named("huge"));
    assertWithMessage("fraction of points checked (not skipped near a branch or kink)\n%s",
        s.line()).that(s.checkedFraction()).isAtLeast(huge ? 0.15 : 0.8);
    if (huge) {
      assertWithMessage("classes whose generated methods were split\n%s", s.line())
          .that(s.split).isGreaterThan(0);
    }
  }
}
