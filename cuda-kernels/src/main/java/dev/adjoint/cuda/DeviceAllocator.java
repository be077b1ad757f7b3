package dev.adjoint.cuda;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A caching allocator of device memory, as PyTorch's: a freed block is kept and handed out
 * again for the next request of the same rounded size, so a loop that allocates and frees the
 * same arrays stops calling the driver after its first iteration.
 *
 * <p>Sizes are rounded up to a multiple of {@value #GRANULE} bytes (PyTorch's smallest block),
 * and the statistics count rounded sizes: 1024 floats take 4096 bytes, 1000 floats take 4096
 * too, and 1025 floats take 4608. Sizes that are powers of two of at least 512 bytes waste
 * nothing, which is the notebook's exercise. Every block starts at a driver allocation, so it is
 * aligned for 128-bit loads. When the driver runs out of memory the cache is emptied and the
 * allocation tried once more. Thread-safe.
 */
public final class DeviceAllocator {
  /** The rounding granule in bytes. */
  public static final long GRANULE = 512;

  private final DeviceMemory memory;
  /** Cached free blocks by rounded size. */
  private final TreeMap<Long, Deque<Long>> free = new TreeMap<>();
  /** Blocks in use: address to rounded size. */
  private final Map<Long, Long> used = new HashMap<>();
  private long allocated;
  private long peak;
  private long reserved;
  private long deviceAllocations;

  DeviceAllocator(DeviceMemory memory) {
    this.memory = memory;
  }

  /** {@code bytes} rounded up to the granule (at least one granule). */
  public static long roundedSize(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size " + bytes);
    }
    return Math.max(GRANULE, (bytes + GRANULE - 1) / GRANULE * GRANULE);
  }

  /** A block of at least {@code bytes} bytes: a cached one of the same rounded size if any. */
  public synchronized long allocate(long bytes) {
    long size = roundedSize(bytes);
    Deque<Long> cached = free.get(size);
    long address;
    if (cached != null && !cached.isEmpty()) {
      address = cached.pop();
    } else {
      address = fromDevice(size);
    }
    used.put(address, size);
    allocated += size;
    peak = Math.max(peak, allocated);
    return address;
  }

  /** Returns a block to the cache. */
  public synchronized void free(long address) {
    Long size = used.remove(address);
    if (size == null) {
      throw new IllegalArgumentException("0x" + Long.toHexString(address)
          + " is not a block of this allocator in use");
    }
    allocated -= size;
    free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(address);
  }

  /** Gives every cached free block back to the driver. */
  public synchronized void emptyCache() {
    for (Map.Entry<Long, Deque<Long>> e : free.entrySet()) {
      for (long address : e.getValue()) {
        memory.free(address);
        reserved -= e.getKey();
      }
    }
    free.clear();
  }

  /** Starts a new peak from the current allocation ({@code reset_peak_memory_stats}). */
  public synchronized void resetPeak() {
    peak = allocated;
  }

  public synchronized AllocatorStats stats() {
    return new AllocatorStats(allocated, peak, reserved, deviceAllocations);
  }

  private long fromDevice(long size) {
    long address;
    try {
      address = memory.allocate(size);
    } catch (OutOfMemoryError e) {
      emptyCache();
      address = memory.allocate(size);
    }
    reserved += size;
    deviceAllocations++;
    return address;
  }
}
