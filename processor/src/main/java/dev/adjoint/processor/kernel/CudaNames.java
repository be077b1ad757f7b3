package dev.adjoint.processor.kernel;

import dev.adjoint.processor.ir.Variable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Gives every variable of one generated C function a unique name: the source name where it is
 * free and not a C or CUDA keyword, else the name followed by the first free number.
 */
final class CudaNames {
  /** C and CUDA C++ words that are not Java keywords but cannot name a variable. */
  private static final Set<String> RESERVED = Set.of("auto", "bool", "extern", "inline",
      "register", "restrict", "signed", "sizeof", "struct", "typedef", "union", "unsigned",
      "delete", "friend", "namespace", "operator", "template", "typename", "using", "virtual",
      "mutable", "explicit", "export", "asm", "constexpr", "decltype", "nullptr", "alignas",
      "alignof", "noexcept", "thread_local", "static_assert", "wchar_t", "compl",
      "and", "or", "not", "xor", "bitand", "bitor", "and_eq", "or_eq", "xor_eq", "not_eq",
      "threadIdx", "blockIdx", "blockDim", "gridDim", "warpSize", "NAN", "INFINITY",
      // The C maths functions the printer calls, which a local of that name would hide.
      "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "exp",
      "expm1", "log", "log10", "log1p", "sqrt", "cbrt", "pow", "hypot", "fabs", "floor", "ceil",
      "rint", "fmod", "fma", "copysign", "signbit", "abs", "llabs", "sinf", "cosf", "tanf",
      "asinf", "acosf", "atanf", "atan2f", "sinhf", "coshf", "tanhf", "expf", "expm1f", "logf",
      "log10f", "log1pf", "sqrtf", "cbrtf", "powf", "hypotf", "fabsf", "floorf", "ceilf",
      "rintf", "fmodf", "fmaf", "copysignf");

  private final Map<Variable, String> names = new HashMap<>();
  private final Set<String> taken = new HashSet<>();

  /** A name that must be used as it is (a fixed parameter of the function). */
  void reserve(String name) {
    taken.add(name);
  }

  String of(Variable v) {
    return names.computeIfAbsent(v, k -> fresh(k.name()));
  }

  String fresh(String base) {
    // Element functions are named <method>_f32, <method>_adjoint_f64...: keep clear of those.
    boolean clash = RESERVED.contains(base) || base.startsWith("adj_") || base.endsWith("_f32")
        || base.endsWith("_f64");
    String name = clash ? base + "_" : base;
    String candidate = name;
    for (int i = 2; taken.contains(candidate); i++) {
      candidate = name + i;
    }
    taken.add(candidate);
    return candidate;
  }
}
