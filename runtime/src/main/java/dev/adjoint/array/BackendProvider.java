package dev.adjoint.array;

/**
 * A backend that may or may not be usable on this machine, found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/dev.adjoint.array.BackendProvider}).
 * {@code adjoint-cuda} provides {@code cuda}.
 */
public interface BackendProvider {
  /** The name the {@code adjoint.backend} override uses, e.g. {@code cuda}. */
  String name();

  /**
   * Opens the backend, or throws {@link BackendUnavailableException} saying why it cannot run
   * here (no driver library, no device). Must not throw anything else, nor crash the JVM.
   */
  Backend open() throws BackendUnavailableException;
}
