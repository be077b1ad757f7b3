package dev.adjoint.cuda;

import dev.adjoint.array.Backend;
import dev.adjoint.array.BackendProvider;
import dev.adjoint.array.BackendUnavailableException;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * Opens the {@link CudaBackend} on device 0 (its primary context), or says why it cannot: the
 * JCuda native library or the driver ({@code libcuda.so.1}) cannot be loaded, or there is no
 * device. Found by {@link dev.adjoint.array.Backends} through {@link java.util.ServiceLoader}.
 */
public final class CudaBackendProvider implements BackendProvider {
  private static volatile CudaBackend opened;

  @Override
  public String name() {
    return "cuda";
  }

  @Override
  public Backend open() throws BackendUnavailableException {
    CudaBackend b = opened;
    if (b != null) {
      return b;
    }
    synchronized (CudaBackendProvider.class) {
      if (opened == null) {
        opened = openDevice();
      }
      return opened;
    }
  }

  private static CudaBackend openDevice() throws BackendUnavailableException {
    try {
      JCudaDriver.setExceptionsEnabled(true);
      JCudaDriver.cuInit(0);
      int[] count = new int[1];
      JCudaDriver.cuDeviceGetCount(count);
      if (count[0] == 0) {
        throw new BackendUnavailableException("the CUDA driver found no device");
      }
      CUdevice device = new CUdevice();
      JCudaDriver.cuDeviceGet(device, 0);
      CUcontext context = new CUcontext();
      JCudaDriver.cuDevicePrimaryCtxRetain(context, device);
      JCudaDriver.cuCtxSetCurrent(context);
      return new CudaBackend(device, context);
    } catch (LinkageError e) {
      throw new BackendUnavailableException("the CUDA driver library cannot be loaded ("
          + firstLine(e) + (mentions(e, "libcuda") ? "; libcuda.so.1, the NVIDIA driver, is "
          + "missing" : "") + ")", e);
    } catch (RuntimeException e) {
      throw new BackendUnavailableException("CUDA initialisation failed (" + firstLine(e) + ")",
          e);
    }
  }

  private static boolean mentions(Throwable e, String text) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
