package io.jasyncio.internal.debug;

import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.debug.LoopInfo;
import io.jasyncio.debug.TaskInfo;
import io.jasyncio.debug.TaskState;
import io.jasyncio.internal.CancelHook;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.LoopRegistry;
import io.jasyncio.internal.TaskImpl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes task-tree snapshots safely from any thread.
 *
 * <p>A loop's task fields belong to its baton holder, so a running loop is asked to describe
 * itself: a callback sent with {@code callSoonThreadsafe} runs on the loop between two steps, where
 * every task is new, ready or waiting (its frames parked on its carrier, whose stack {@link
 * Thread#getStackTrace()} reads). A stopped loop is read directly (its last holder published its
 * writes when it stopped). A caller on the loop's own thread reads directly too. A running loop
 * that does not answer in time is reported {@code busy} with the task that holds it.
 */
public final class Snapshots {
  private Snapshots() {}

  /** Snapshots of every open loop, in loop id order; waits at most {@code timeoutNanos} in all. */
  public static List<LoopInfo> all(long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    List<LoopImpl> loops = new ArrayList<>(LoopRegistry.loops());
    loops.sort(Comparator.comparingInt(LoopImpl::id));
    Map<LoopImpl, CompletableFuture<LoopInfo>> asked = new LinkedHashMap<>();
    for (LoopImpl loop : loops) {
      asked.put(loop, ask(loop));
    }
    List<LoopInfo> out = new ArrayList<>();
    for (Map.Entry<LoopImpl, CompletableFuture<LoopInfo>> e : asked.entrySet()) {
      LoopInfo info = answer(e.getKey(), e.getValue(), deadline);
      if (info != null) {
        out.add(info);
      }
    }
    return out;
  }

  /** A snapshot of one loop, or null if it is closed. */
  public static LoopInfo one(LoopImpl loop, long timeoutNanos) {
    return answer(loop, ask(loop), System.nanoTime() + timeoutNanos);
  }

  /** Null: read directly; otherwise the future the loop completes. */
  private static CompletableFuture<LoopInfo> ask(LoopImpl loop) {
    if (!loop.isRunning() || loop.inLoopThread()) {
      return null;
    }
    CompletableFuture<LoopInfo> f = new CompletableFuture<>();
    try {
      loop.callSoonThreadsafe(
          () -> {
            try {
              f.complete(direct(loop, "running"));
            } catch (Throwable t) {
              f.completeExceptionally(t);
            }
          });
    } catch (IllegalStateException closed) {
      f.complete(null);
    }
    return f;
  }

  private static LoopInfo answer(LoopImpl loop, CompletableFuture<LoopInfo> f, long deadline) {
    if (f == null) {
      return loop.isClosed() ? null : direct(loop, loop.isRunning() ? "running" : "stopped");
    }
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      if (loop.isClosed()) {
        return null;
      }
      if (!loop.isRunning()) {
        // It stopped before taking our callback (which waits for its next run): read it now.
        return direct(loop, "stopped");
      }
      return busy(loop);
    } catch (ExecutionException e) {
      throw new IllegalStateException("taking a snapshot of " + loop + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while taking a snapshot of " + loop, e);
    }
  }

  private static LoopInfo direct(LoopImpl loop, String status) {
    return new LoopInfo(loop.id(), status, loop.isDebug(), describe(loop, loop.liveTasks()));
  }

  /** A loop that did not answer: its running task, read without the loop's cooperation. */
  private static LoopInfo busy(LoopImpl loop) {
    List<TaskInfo> tasks = new ArrayList<>();
    TaskImpl<?> t = loop.runningTask(); // racy read, acceptable for a diagnostic
    if (t != null) {
      Thread th = t.thread();
      List<StackTraceElement> stack =
          th == null ? List.of() : StackFrames.taskFrames(th.getStackTrace());
      TaskImpl<?> p = parentOf(t);
      tasks.add(
          new TaskInfo(
              loop.id(),
              t.id(),
              t.name(),
              TaskState.RUNNING,
              p == null ? 0 : p.id(),
              groupOf(t),
              0,
              List.of(),
              stack));
    }
    return new LoopInfo(loop.id(), "busy", loop.isDebug(), tasks);
  }

  /** Describes {@code tasks} of {@code loop}; on the loop's thread or a stopped loop only. */
  static List<TaskInfo> describe(LoopImpl loop, List<TaskImpl<?>> tasks) {
    Map<Long, List<Long>> children = new LinkedHashMap<>();
    for (TaskImpl<?> t : tasks) {
      TaskImpl<?> p = parentOf(t);
      if (p != null) {
        children.computeIfAbsent(p.id(), k -> new ArrayList<>()).add(t.id());
      }
    }
    TaskImpl<?> running = loop.runningTask();
    List<TaskInfo> out = new ArrayList<>(tasks.size());
    for (TaskImpl<?> t : tasks) {
      TaskState state;
      if (t == running) {
        state = TaskState.RUNNING;
      } else if (!t.isStarted()) {
        state = TaskState.NEW;
      } else if (t.isWaiting()) {
        state = TaskState.WAITING;
      } else {
        state = TaskState.READY;
      }
      List<StackTraceElement> stack = List.of();
      Thread th = t.thread();
      if (state != TaskState.NEW && th != null) {
        stack = StackFrames.userView(th.getStackTrace());
      }
      CancelHook hook = t.waitingOn();
      TaskImpl<?> p = parentOf(t);
      out.add(
          new TaskInfo(
              loop.id(),
              t.id(),
              t.name(),
              state,
              p == null ? 0 : p.id(),
              groupOf(t),
              hook instanceof TaskImpl<?> awaited ? awaited.id() : 0,
              children.getOrDefault(t.id(), List.of()),
              stack));
    }
    return out;
  }

  /** The structural parent: the task running a group's body for group members, else the spawner. */
  static TaskImpl<?> parentOf(TaskImpl<?> t) {
    Task<?> p = t.owner instanceof TaskGroup g ? g.parentTask() : t.parent();
    return p instanceof TaskImpl<?> pt ? pt : null;
  }

  static String groupOf(TaskImpl<?> t) {
    Object o = t.owner;
    return o instanceof TaskGroup g
        ? "TaskGroup@" + Integer.toHexString(System.identityHashCode(g))
        : null;
  }
}
