package dev.adjoint.cuda;

import dev.adjoint.array.Array;
import dev.adjoint.array.Backend;
import dev.adjoint.array.KernelCall;
import dev.adjoint.array.Operand;
import dev.adjoint.array.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * The GPU backend: device arrays from a {@link DeviceAllocator}, and the kernels of generated
 * {@code FooKernels} classes, loaded from their PTX resources with {@code cuModuleLoadData} and
 * launched through the CUDA driver API (JCuda; no runtime library, NVRTC or cuBLAS).
 *
 * <p>Kernels are launched with 256 threads a block and as many blocks as the device keeps
 * resident at once ({@code cuOccupancyMaxActiveBlocksPerMultiprocessor} times the number of
 * SMs), fewer for small arrays; each thread then strides over the array in 16-byte vectors.
 * Launches are asynchronous; reading an array back, or a sum, waits for them.
 */
public final class CudaBackend implements Backend {
  /** Threads per block of every launch. */
  static final int THREADS = 256;
  private static final String COPY_MODULE = "dev/adjoint/cuda/copy.ptx";

  private final CUcontext context;
  private final String deviceName;
  private final int multiprocessors;
  private final CudaDeviceMemory memory;
  private final DeviceAllocator allocator;
  private final Map<String, CUmodule> modules = new ConcurrentHashMap<>();
  private final Map<String, Launch> launches = new ConcurrentHashMap<>();

  /** A kernel and its launch shape. */
  private record Launch(CUfunction function, int residentBlocks) {}

  CudaBackend(CUdevice device, CUcontext context) {
    this.context = context;
    byte[] name = new byte[256];
    JCudaDriver.cuDeviceGetName(name, name.length, device);
    int end = 0;
    while (end < name.length && name[end] != 0) {
      end++;
    }
    this.deviceName = new String(name, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    int[] value = new int[1];
    JCudaDriver.cuDeviceGetAttribute(value,
        CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device);
    this.multiprocessors = value[0];
    this.memory = new CudaDeviceMemory();
    this.allocator = new DeviceAllocator(memory);
  }

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public boolean isGpu() {
    return true;
  }

  /** The device's name, e.g. {@code NVIDIA H100 80GB HBM3}. */
  public String deviceName() {
    return deviceName;
  }

  public int multiprocessors() {
    return multiprocessors;
  }

  /** The allocator of this backend's arrays, with its statistics. */
  public DeviceAllocator allocator() {
    return allocator;
  }

  /** Makes this backend's context current on the calling thread. */
  void makeCurrent() {
    JCudaDriver.cuCtxSetCurrent(context);
  }

  CUdeviceptr pointer(long address) {
    return memory.pointer(address);
  }

  @Override
  public Array zeros(Precision precision, long length) {
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    makeCurrent();
    long bytes = length * precision.bytes();
    long address = allocator.allocate(bytes);
    JCudaDriver.cuMemsetD8(memory.pointer(address), (byte) 0, bytes);
    return new CudaArray(this, precision, length, address);
  }

  @Override
  public void copy(Array from, Array to) {
    CudaArray a = own(from);
    CudaArray b = own(to);
    if (a.precision() != b.precision() || a.length() != b.length()) {
      throw new IllegalArgumentException("copy needs the same precision and length: "
          + a.precision() + "[" + a.length() + "] to " + b.precision() + "[" + b.length() + "]");
    }
    long words = a.bytes() / 4;
    Launch copy = launch(COPY_MODULE, getClass().getClassLoader(), "adj_copy");
    launch(copy, (words + 3) / 4, Pointer.to(Pointer.to(a.pointer()), Pointer.to(b.pointer()),
        Pointer.to(new long[] {words})));
  }

  @Override
  public void synchronize() {
    makeCurrent();
    JCudaDriver.cuCtxSynchronize();
  }

  @Override
  public double execute(KernelCall call) {
    makeCurrent();
    boolean f32 = call.precision() == Precision.F32;
    int lanes = f32 ? 4 : 2;
    Launch kernel = launch(call.kernel().module(), call.kernel().owner().getClassLoader(),
        call.function());
    List<Pointer> params = new ArrayList<>();
    params.add(Pointer.to(new long[] {call.length()}));
    for (int k = 0; k < call.inputs().size(); k++) {
      params.add(Pointer.to(devicePointer(call.inputArray(k))));
      params.add(real(f32, call.inputScalar(k)));
    }
    int slots = call.kernel().differentiated().size() + 1;
    boolean sums = call.form() == KernelCall.Form.SUM_GRAD;
    for (int g = 0; g < call.gradients().size() && call.form() != KernelCall.Form.VALUE; g++) {
      sums |= call.gradientReduced(g);
    }
    if (call.form() == KernelCall.Form.GRAD) {
      params.add(Pointer.to(devicePointer(call.seed() instanceof Array a ? a : null)));
      params.add(real(f32, call.seed() instanceof Operand.Scalar s ? s.value() : 0.0));
    } else if (call.form() == KernelCall.Form.SUM_GRAD) {
      params.add(real(f32, ((Operand.Scalar) call.seed()).value()));
    }
    if (call.form() != KernelCall.Form.SUM_GRAD) {
      params.add(Pointer.to(devicePointer(call.out())));
    }
    Long sumsAddress = null;
    if (call.form() != KernelCall.Form.VALUE) {
      for (int g = 0; g < call.gradients().size(); g++) {
        params.add(Pointer.to(devicePointer(call.gradientPerElement(g)
            ? call.gradients().get(g) : null)));
      }
      CUdeviceptr sumsPointer = new CUdeviceptr();
      if (sums) {
        sumsAddress = allocator.allocate((long) slots * Double.BYTES);
        sumsPointer = memory.pointer(sumsAddress);
        JCudaDriver.cuMemsetD8(sumsPointer, (byte) 0, (long) slots * Double.BYTES);
      }
      params.add(Pointer.to(sumsPointer));
    }
    launch(kernel, (call.length() + lanes - 1) / lanes,
        Pointer.to(params.toArray(new Pointer[0])));
    if (sumsAddress == null) {
      return 0.0;
    }
    try {
      double[] total = new double[slots];
      JCudaDriver.cuMemcpyDtoH(Pointer.to(total), memory.pointer(sumsAddress),
          (long) slots * Double.BYTES);
      call.writeReducedGradients(total);
      return call.form() == KernelCall.Form.SUM_GRAD ? total[slots - 1] : 0.0;
    } finally {
      allocator.free(sumsAddress);
    }
  }

  private void launch(Launch l, long workItems, Pointer params) {
    long needed = (workItems + THREADS - 1) / THREADS;
    int blocks = (int) Math.max(1, Math.min(l.residentBlocks(), needed));
    JCudaDriver.cuLaunchKernel(l.function(), blocks, 1, 1, THREADS, 1, 1, 0, null, params,
        null);
  }

  /** The kernel {@code function} of the PTX resource {@code module}, loaded once. */
  private Launch launch(String module, ClassLoader loader, String function) {
    return launches.computeIfAbsent(module + "#" + function, key -> {
      CUmodule m = modules.computeIfAbsent(module, path -> load(path, loader));
      CUfunction f = new CUfunction();
      JCudaDriver.cuModuleGetFunction(f, m, function);
      int[] perSm = new int[1];
      JCudaDriver.cuOccupancyMaxActiveBlocksPerMultiprocessor(perSm, f, THREADS, 0);
      return new Launch(f, Math.max(1, perSm[0]) * multiprocessors);
    });
  }

  private CUmodule load(String path, ClassLoader loader) {
    byte[] ptx;
    try (InputStream in = loader == null ? null : loader.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("the GPU kernels are unavailable: no " + path
            + " on the class path. The build compiles it from the generated .cu with nvcc "
            + "(adjoint-maven-plugin), and reported a warning if nvcc was missing. Build on a "
            + "machine with nvcc, or run on the CPU: -D" + dev.adjoint.array.Backends.PROPERTY
            + "=cpu");
      }
      ptx = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
    }
    byte[] terminated = java.util.Arrays.copyOf(ptx, ptx.length + 1);
    CUmodule module = new CUmodule();
    makeCurrent();
    JCudaDriver.cuModuleLoadData(module, terminated);
    return module;
  }

  private CUdeviceptr devicePointer(Array a) {
    return a == null ? new CUdeviceptr() : own(a).pointer();
  }

  private static Pointer real(boolean f32, double value) {
    return f32 ? Pointer.to(new float[] {(float) value}) : Pointer.to(new double[] {value});
  }

  private CudaArray own(Array a) {
    if (!(a instanceof CudaArray c) || c.backend() != this) {
      throw new IllegalArgumentException(a + " is not an array of this CUDA backend");
    }
    return c;
  }

  @Override
  public String toString() {
    return "cuda, " + deviceName + ", " + multiprocessors + " SMs";
  }

  /** cuMemAlloc and cuMemFree, with the pointer object of each address. */
  private final class CudaDeviceMemory implements DeviceMemory {
    private final Map<Long, CUdeviceptr> pointers = new HashMap<>();

    @Override
    public synchronized long allocate(long bytes) {
      makeCurrent();
      AddressedPointer p = new AddressedPointer();
      int status = JCudaDriver.cuMemAlloc(p, bytes);
      if (status != jcuda.driver.CUresult.CUDA_SUCCESS) {
        throw new OutOfMemoryError("cuMemAlloc of " + bytes + " bytes: "
            + jcuda.driver.CUresult.stringFor(status));
      }
      pointers.put(p.address(), p);
      return p.address();
    }

    @Override
    public synchronized void free(long address) {
      makeCurrent();
      JCudaDriver.cuMemFree(pointers.remove(address));
    }

    synchronized CUdeviceptr pointer(long address) {
      return pointers.get(address);
    }
  }

  /** A device pointer that tells its address (a key for the allocator). */
  private static final class AddressedPointer extends CUdeviceptr {
    long address() {
      return getNativePointer();
    }
  }
}
