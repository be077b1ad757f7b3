package dev.adjoint.array;

/** A backend cannot run on this machine (no CUDA driver, no device, no compiled kernels). */
public final class BackendUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String reason, Throwable cause) {
    super(reason, cause);
  }

  public BackendUnavailableException(String reason) {
    super(reason);
  }
}
