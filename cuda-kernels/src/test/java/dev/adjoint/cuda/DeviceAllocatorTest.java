package dev.adjoint.cuda;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rounding, statistics, reuse and the out-of-memory retry, over a fake device. */
class DeviceAllocatorTest {
  /** Hands out increasing addresses; counts live blocks; can be made to run out. */
  private static final class FakeMemory implements DeviceMemory {
    long next = 0x1000;
    final Set<Long> live = new HashSet<>();
    final List<Long> requests = new ArrayList<>();
    long capacity = Long.MAX_VALUE;
    long used;

    @Override
    public long allocate(long bytes) {
      if (used + bytes > capacity) {
        throw new OutOfMemoryError("fake device full");
      }
      requests.add(bytes);
      long a = next;
      next += bytes;
      live.add(a);
      used += bytes;
      return a;
    }

    @Override
    public void free(long address) {
      assertThat(live.remove(address)).isTrue();
      used -= 512; // every block the tests free back is one granule
    }
  }

  @Test
  void sizesRoundUpTo512Bytes() {
    assertThat(DeviceAllocator.roundedSize(1024 * 4)).isEqualTo(4096);
    assertThat(DeviceAllocator.roundedSize(1000 * 4)).isEqualTo(4096);
    assertThat(DeviceAllocator.roundedSize(1025 * 4)).isEqualTo(4608);
    assertThat(DeviceAllocator.roundedSize(1024 * 8)).isEqualTo(8192);
    assertThat(DeviceAllocator.roundedSize(1)).isEqualTo(512);
    assertThat(DeviceAllocator.roundedSize(0)).isEqualTo(512);
  }

  @Test
  void statisticsLikePytorch() {
    DeviceAllocator a = new DeviceAllocator(new FakeMemory());
    long x = a.allocate(1024 * 4);
    assertThat(a.stats().allocatedBytes()).isEqualTo(4096);
    long y = a.allocate(1025 * 4);
    assertThat(a.stats().allocatedBytes()).isEqualTo(4096 + 4608);
    assertThat(a.stats().peakAllocatedBytes()).isEqualTo(4096 + 4608);
    a.free(y);
    assertThat(a.stats().allocatedBytes()).isEqualTo(4096);
    assertThat(a.stats().peakAllocatedBytes()).isEqualTo(4096 + 4608);
    a.resetPeak();
    assertThat(a.stats().peakAllocatedBytes()).isEqualTo(4096);
    a.free(x);
    assertThat(a.stats().allocatedBytes()).isEqualTo(0);
    assertThat(a.stats().reservedBytes()).isEqualTo(4096 + 4608);
  }

  @Test
  void freedBlocksAreReusedForTheSameRoundedSize() {
    FakeMemory memory = new FakeMemory();
    DeviceAllocator a = new DeviceAllocator(memory);
    long first = a.allocate(1000 * 4);
    a.free(first);
    long second = a.allocate(1020 * 4); // rounds to the same 4096 bytes
    assertThat(second).isEqualTo(first);
    assertThat(a.stats().deviceAllocations()).isEqualTo(1);
    long third = a.allocate(2000 * 4);
    assertThat(third).isNotEqualTo(first);
    assertThat(memory.requests).containsExactly(4096L, 8192L).inOrder();
  }

  @Test
  void emptyCacheGivesFreeBlocksBack() {
    FakeMemory memory = new FakeMemory();
    DeviceAllocator a = new DeviceAllocator(memory);
    long x = a.allocate(100);
    long y = a.allocate(100);
    a.free(x);
    a.emptyCache();
    assertThat(memory.live).containsExactly(y);
    assertThat(a.stats().reservedBytes()).isEqualTo(512);
  }

  @Test
  void outOfMemoryEmptiesTheCacheAndRetriesOnce() {
    FakeMemory memory = new FakeMemory();
    memory.capacity = 1024;
    DeviceAllocator a = new DeviceAllocator(memory);
    long x = a.allocate(512);
    a.allocate(512);
    a.free(x);
    // 1024 bytes do not fit until the cached 512 are given back: still not enough, so it fails.
    assertThrows(OutOfMemoryError.class, () -> a.allocate(1024));
    assertThat(memory.live).hasSize(1);
    long y = a.allocate(512);
    assertThat(a.stats().allocatedBytes()).isEqualTo(1024);
    assertThat(y).isNotEqualTo(0L);
  }

  @Test
  void freeingAnUnknownBlockIsAnError() {
    DeviceAllocator a = new DeviceAllocator(new FakeMemory());
    assertThrows(IllegalArgumentException.class, () -> a.free(42));
  }
}
