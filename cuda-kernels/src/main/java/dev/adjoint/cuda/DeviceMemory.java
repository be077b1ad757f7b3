package dev.adjoint.cuda;

/** Raw device memory: what {@link DeviceAllocator} caches ({@code cuMemAlloc}, {@code cuMemFree}). */
interface DeviceMemory {
  /** A new block of {@code bytes} bytes; throws {@link OutOfMemoryError} when none is left. */
  long allocate(long bytes);

  void free(long address);
}
