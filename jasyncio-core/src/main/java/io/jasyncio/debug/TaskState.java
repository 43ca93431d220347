package io.jasyncio.debug;

/** Where a task is in its life, as a {@link TaskTree} shows it. Done tasks are not shown. */
public enum TaskState {
  /** Spawned, its body not started yet. */
  NEW,
  /** Running now: it holds its loop. */
  RUNNING,
  /** Resumed (what it waited for happened) and waiting for its turn to run. */
  READY,
  /** Suspended at a suspension point (sleep, await, a lock, I/O, ...). */
  WAITING;

  /** The lower-case name used in the {@code ps} and {@code pstree} text. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
