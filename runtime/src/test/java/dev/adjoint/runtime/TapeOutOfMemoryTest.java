package dev.adjoint.runtime;

import static com.google.common.truth.Truth.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A recording that fills a 32 MB heap ends with the named {@link Tape.RecordingOutOfMemoryError}
 * (method, recorded size, remedy), not with the JVM's plain "Java heap space": the tape lets its
 * memory go before the message is built. Runs {@link FillsTheTape} in a JVM of its own.
 */
class TapeOutOfMemoryTest {
  @Test
  void aRecordingThatFillsASmallHeapIsNamed() throws Exception {
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator
        + "java";
    Process p = new ProcessBuilder(java, "-Xmx32m", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), FillsTheTape.class.getName())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(out).contains("dev.adjoint.runtime.Tape$RecordingOutOfMemoryError: "
        + "p.Pendulum.energy(double, int) ran out of memory while its gradient was recorded: "
        + "the tape held ");
    assertThat(out).contains("give the JVM a larger heap (-Xmx)");
    assertThat(out).contains("after: 1.5 0");
    assertThat(p.exitValue()).isEqualTo(0);
  }
}
