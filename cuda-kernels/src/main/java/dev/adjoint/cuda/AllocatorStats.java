package dev.adjoint.cuda;

/**
 * A snapshot of the {@link DeviceAllocator}'s counters, like PyTorch's {@code
 * torch.cuda.memory_allocated()}, {@code max_memory_allocated()} and {@code memory_reserved()}.
 *
 * @param allocatedBytes bytes of the blocks in use (sizes rounded up, see {@link
 *     DeviceAllocator#roundedSize})
 * @param peakAllocatedBytes the largest {@code allocatedBytes} since the last reset
 * @param reservedBytes bytes obtained from the driver: blocks in use plus cached free blocks
 * @param deviceAllocations how many times the driver was asked for memory (cache misses)
 */
public record AllocatorStats(long allocatedBytes, long peakAllocatedBytes, long reservedBytes,
    long deviceAllocations) {}
