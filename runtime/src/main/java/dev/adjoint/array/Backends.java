package dev.adjoint.array;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Chooses the backend: the GPU when a CUDA driver and device are present (and {@code
 * adjoint-cuda} is on the class path), else the CPU. The system property {@code adjoint.backend}
 * (or the environment variable {@code ADJOINT_BACKEND}) overrides the choice: {@code cpu}, {@code
 * cuda}, or {@code auto} (the default). The choice is made once, and logged in one line saying
 * which backend is used and why.
 */
public final class Backends {
  /** The system property that overrides the choice. */
  public static final String PROPERTY = "adjoint.backend";
  /** The environment variable read when the property is not set. */
  public static final String ENVIRONMENT = "ADJOINT_BACKEND";

  private static final System.Logger LOG = System.getLogger(Backends.class.getName());
  private static final CpuBackend CPU = new CpuBackend();
  private static volatile Selection chosen;

  private Backends() {}

  /** A backend and why it was chosen. */
  public record Selection(Backend backend, String reason) {
    /** The log line: {@code Adjoint backend: cuda (NVIDIA H100 80GB HBM3)}. */
    public String describe() {
      return "Adjoint backend: " + backend.name() + " (" + reason + ")";
    }
  }

  /** The heap-array backend, always available. */
  public static Backend cpu() {
    return CPU;
  }

  /** The chosen backend (made and logged on first use). */
  public static Backend get() {
    return selection().backend();
  }

  /** The chosen backend with the reason, made and logged on first use. */
  public static Selection selection() {
    Selection s = chosen;
    if (s == null) {
      synchronized (Backends.class) {
        s = chosen;
        if (s == null) {
          String override = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
          List<BackendProvider> providers = new ArrayList<>();
          ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())
              .forEach(providers::add);
          s = select(override, providers);
          LOG.log(System.Logger.Level.INFO, s.describe());
          chosen = s;
        }
      }
    }
    return s;
  }

  /**
   * The choice for an override ({@code null}, {@code auto}, {@code cpu} or a provider's name)
   * among {@code providers}. An explicit request for a backend that cannot open is an error;
   * {@code auto} falls back to the CPU and says why.
   */
  public static Selection select(String override, List<BackendProvider> providers) {
    String wanted = override == null || override.isBlank() ? "auto"
        : override.trim().toLowerCase(Locale.ROOT);
    if (wanted.equals("cpu")) {
      return new Selection(CPU, PROPERTY + "=cpu");
    }
    List<String> problems = new ArrayList<>();
    for (BackendProvider p : providers) {
      if (!wanted.equals("auto") && !wanted.equals(p.name())) {
        continue;
      }
      try {
        Backend b = p.open();
        return new Selection(b, wanted.equals("auto") ? "found " + describe(b)
            : PROPERTY + "=" + wanted + ", " + describe(b));
      } catch (BackendUnavailableException | RuntimeException | LinkageError e) {
        if (!wanted.equals("auto")) {
          throw new IllegalStateException(PROPERTY + "=" + wanted + " but " + p.name()
              + " is unavailable: " + e.getMessage(), e);
        }
        problems.add(p.name() + " unavailable: " + e.getMessage());
      }
    }
    if (!wanted.equals("auto")) {
      throw new IllegalStateException(PROPERTY + "=" + wanted + " names no backend on the class "
          + "path; use cpu, auto" + providers.stream().map(p -> ", " + p.name())
          .reduce("", String::concat) + " (cuda needs dev.adjoint:adjoint-cuda)");
    }
    if (problems.isEmpty()) {
      return new Selection(CPU, "no GPU backend on the class path (add dev.adjoint:adjoint-cuda)");
    }
    return new Selection(CPU, String.join("; ", problems));
  }

  private static String describe(Backend b) {
    return b.toString();
  }
}
