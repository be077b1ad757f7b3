package dev.adjoint.processor.transform;

import dev.adjoint.processor.ir.MethodIr;
import dev.adjoint.processor.ir.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the reverse transform checkpoints the loops at a method's top level, and how far
 * apart their snapshots are ({@code @Differentiable(checkpoint = true)} or {@code
 * checkpointEvery = k}); see {@link Checkpoints}.
 *
 * @param on whether top-level loops are checkpointed
 * @param every the iterations between two snapshots; 0 for {@code ceil(sqrt(n))} in a loop of
 *     n iterations, counted when the loop starts
 */
public record Checkpointing(boolean on, int every) {
  /** No checkpointing: every iteration is recorded. */
  public static final Checkpointing NONE = new Checkpointing(false, 0);

  public Checkpointing {
    if (every < 0) {
      throw new IllegalArgumentException("iterations between snapshots: " + every);
    }
  }

  /** The loops at the top level of a lowered method that cannot be checkpointed. */
  public static List<Stmt.Loop> uncountedTopLevelLoops(MethodIr lowered) {
    List<Stmt.Loop> out = new ArrayList<>();
    for (Stmt s : lowered.body().statements()) {
      if (s instanceof Stmt.Loop l && CountedLoops.counter(l) == null) {
        out.add(l);
      }
    }
    return out;
  }

  /** Whether a lowered method has a loop at its top level. */
  public static boolean hasTopLevelLoop(MethodIr lowered) {
    return lowered.body().statements().stream().anyMatch(s -> s instanceof Stmt.Loop);
  }
}
