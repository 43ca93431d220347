package io.jasyncio.test;

import io.jasyncio.Task;
import io.jasyncio.TimerHandle;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.TaskImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain-text tree of a loop's live tasks, for test failure messages: name, state, and where a
 * waiting task waits (the suspending call and the user frames below it).
 *
 * <p>Kept small on purpose; the full introspection API lives in the debug package.
 */
final class TaskDump {
  private static final int MAX_FRAMES = 8;

  private TaskDump() {}

  /** Must run on the loop's thread or while the loop is stopped. */
  static String dump(LoopImpl loop, long virtualNanos) {
    List<TaskImpl<?>> live = loop.liveTasks();
    StringBuilder sb = new StringBuilder();
    sb.append(live.size())
        .append(live.size() == 1 ? " task" : " tasks")
        .append(" of ")
        .append(loop)
        .append(" at virtual time ")
        .append(Duration.ofNanos(virtualNanos))
        .append(':');
    IdentityHashMap<TaskImpl<?>, List<TaskImpl<?>>> children = new IdentityHashMap<>();
    IdentityHashMap<TaskImpl<?>, Boolean> isLive = new IdentityHashMap<>();
    for (TaskImpl<?> t : live) {
      isLive.put(t, true);
    }
    Map<TaskImpl<?>, Boolean> roots = new LinkedHashMap<>();
    for (TaskImpl<?> t : live) {
      Task<?> p = t.parent();
      if (p instanceof TaskImpl<?> parent && isLive.containsKey(parent)) {
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(t);
      } else {
        roots.put(t, true);
      }
    }
    for (TaskImpl<?> r : roots.keySet()) {
      append(sb, r, children, "\n", "");
    }
    return sb.toString();
  }

  private static void append(
      StringBuilder sb,
      TaskImpl<?> t,
      IdentityHashMap<TaskImpl<?>, List<TaskImpl<?>>> children,
      String nl,
      String indent) {
    sb.append(nl).append(indent).append("- ").append(t.name()).append(" [").append(state(t));
    String on = waitingOn(t);
    if (on != null) {
      sb.append(" on ").append(on);
    }
    if (t.owner != null) {
      sb.append(", in ").append(t.owner.getClass().getSimpleName());
    }
    sb.append(']');
    for (StackTraceElement f : waitingFrames(t)) {
      sb.append(nl).append(indent).append("    at ").append(f);
    }
    for (TaskImpl<?> c : children.getOrDefault(t, List.of())) {
      append(sb, c, children, nl, indent + "  ");
    }
  }

  private static String state(TaskImpl<?> t) {
    if (!t.isStarted()) {
      return "not started";
    }
    if (t.isWaiting()) {
      return "waiting";
    }
    return LoopImpl.currentTaskOrNull() == t ? "running" : "ready";
  }

  /** What a waiting task waits on, when that can be said readably; else null. */
  private static String waitingOn(TaskImpl<?> t) {
    Object hook = t.isWaiting() ? t.waitingOn() : null;
    if (hook == null) {
      return null;
    }
    if (hook instanceof TimerHandle timer) {
      return "a timer due at " + Duration.ofNanos(timer.when());
    }
    try {
      if (hook.getClass().getMethod("toString").getDeclaringClass() != Object.class) {
        return hook.toString();
      }
    } catch (NoSuchMethodException e) {
      // cannot happen: every object has toString
    }
    return null;
  }

  /** The suspending call and the user frames under it; empty for a task not started. */
  static List<StackTraceElement> waitingFrames(TaskImpl<?> t) {
    Thread th = t.thread();
    List<StackTraceElement> out = new ArrayList<>();
    if (th == null) {
      return out;
    }
    StackTraceElement[] stack = th.getStackTrace();
    boolean inUser = false;
    for (StackTraceElement f : stack) {
      String c = f.getClassName();
      if (c.equals("io.jasyncio.internal.TaskImpl") && f.getMethodName().equals("run")) {
        break; // the bottom of the task's own frames
      }
      boolean hidden = hidden(c);
      if (!inUser) {
        // skip the loop's own frames above the task's suspension point
        if (hidden) {
          continue;
        }
        inUser = true;
      }
      if (!hidden && out.size() < MAX_FRAMES) {
        out.add(f);
      }
    }
    return out;
  }

  private static boolean hidden(String c) {
    return c.startsWith("io.jasyncio.internal.")
        || c.startsWith("java.")
        || c.startsWith("jdk.")
        || c.startsWith("sun.")
        || c.startsWith("org.junit.")
        || ours(c, TaskDump.class)
        || ours(c, TestLoop.class)
        || ours(c, AsyncTestExtension.class)
        || ours(c, Explore.class);
  }

  private static boolean ours(String className, Class<?> c) {
    String n = c.getName();
    return className.equals(n) || className.startsWith(n + "$");
  }
}
