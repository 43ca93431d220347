package io.jasyncio.debug;

import java.util.List;
import java.util.Objects;

/**
 * One event loop in a {@link TaskTree} snapshot.
 *
 * @param id the loop's id, unique in the JVM
 * @param status {@code running}, {@code stopped} (between two {@code Runner.run} calls), or {@code
 *     busy}: running but it did not take the snapshot in time because a task step blocks it; then
 *     {@code tasks} holds only that task, with its full stack
 * @param debug whether the loop is in debug mode
 * @param tasks the live tasks, in spawn order
 */
public record LoopInfo(int id, String status, boolean debug, List<TaskInfo> tasks) {
  /** Copies the list; requires a status. */
  public LoopInfo {
    Objects.requireNonNull(status, "status");
    tasks = List.copyOf(tasks);
  }
}
