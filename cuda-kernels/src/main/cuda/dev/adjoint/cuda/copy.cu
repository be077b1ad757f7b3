// Hand-written kernels of the CUDA backend, compiled to PTX by the adjoint-maven-plugin.

// Copies `words` 32-bit words: a grid-stride loop over 16-byte vectors (one 128-bit load and
// store each), then the last words % 4 one at a time. Both buffers are 16-byte aligned.
extern "C" __global__ void __launch_bounds__(256) adj_copy(
        const unsigned int* __restrict__ from, unsigned int* __restrict__ to, long long words) {
    const long long stride = (long long) gridDim.x * blockDim.x;
    const long long start = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    const long long vectors = words / 4;
    for (long long v = start; v < vectors; v += stride) {
        ((uint4*) to)[v] = ((const uint4*) from)[v];
    }
    for (long long i = vectors * 4 + start; i < words; i += stride) {
        to[i] = from[i];
    }
}
