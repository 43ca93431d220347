package io.jasyncio.debug;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One task in a {@link TaskTree} snapshot.
 *
 * @param loopId the id of the task's loop
 * @param id the task's id, unique in its loop, in spawn order (from 1)
 * @param name the task's name
 * @param state where it is in its life
 * @param parentId the id of its parent task, {@code 0} if it has none: for a member of a task
 *     group, the task running the group's body; otherwise the task that spawned it
 * @param group the task group it belongs to, as {@code TaskGroup@<hex>} (stable for the group's
 *     life), or {@code null} if it was not spawned into a group
 * @param awaitedTaskId the id of the task it is awaiting, {@code 0} if it is not awaiting a task
 * @param childIds the ids of the live tasks whose parent it is, in spawn order
 * @param stack for a task that has started, its stack trimmed to the user's frames plus the
 *     jasyncio call where it suspended (first); innermost frame first; empty for a new task
 */
public record TaskInfo(
    int loopId,
    long id,
    String name,
    TaskState state,
    long parentId,
    String group,
    long awaitedTaskId,
    List<Long> childIds,
    List<StackTraceElement> stack) {

  /** Copies the lists; requires name and state. */
  public TaskInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    childIds = List.copyOf(childIds);
    stack = List.copyOf(stack);
  }

  /**
   * The innermost frame: for a waiting task, the suspending call (such as {@code Async.sleep}).
   *
   * @return the frame, or empty for a task that has not started
   */
  public Optional<StackTraceElement> waitingAt() {
    return stack.isEmpty() ? Optional.empty() : Optional.of(stack.get(0));
  }
}
