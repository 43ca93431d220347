package io.jasyncio.debug;

import io.jasyncio.EventLoop;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.debug.Snapshots;
import io.jasyncio.internal.debug.StackFrames;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of the tasks of every event loop in this JVM: who spawned whom, which task group each
 * belongs to, and where each waits. Print it as a table ({@link #formatPs()}) or a tree ({@link
 * #formatTree()}), the in-process twins of {@code bin/jasyncio ps PID} and {@code pstree PID} (and
 * of Python 3.14's {@code python -m asyncio ps/pstree}).
 *
 * <pre>{@code
 * System.out.println(TaskTree.capture().formatTree());
 * }</pre>
 *
 * <p>Capturing is safe from any thread. A running loop describes itself between two steps (a
 * callback sent with {@code callSoonThreadsafe}), so the snapshot of one loop is consistent; a loop
 * whose task blocks it without suspending cannot answer and is reported {@code busy} after the
 * timeout, with the blocking task and its stack. From one of a loop's own tasks, that loop is read
 * directly and the calling task shows as {@link TaskState#RUNNING}; other running loops are waited
 * for, which blocks the caller's loop meanwhile, so do it only while debugging.
 *
 * <p>Immutable.
 */
public final class TaskTree {
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  private final List<LoopInfo> loops;

  private TaskTree(List<LoopInfo> loops) {
    this.loops = List.copyOf(loops);
  }

  /**
   * Captures every open loop, waiting up to a second for each busy one.
   *
   * @return the snapshot
   */
  public static TaskTree capture() {
    return capture(DEFAULT_TIMEOUT);
  }

  /**
   * Captures every open loop, waiting at most {@code timeout} in all for running loops to answer.
   *
   * @param timeout how long to wait for loops to answer
   * @return the snapshot
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public static TaskTree capture(Duration timeout) {
    return new TaskTree(Snapshots.all(nanos(timeout)));
  }

  /**
   * Captures one loop, waiting up to a second if it is running.
   *
   * @param loop the loop
   * @return the snapshot; it has no loop if {@code loop} is closed
   * @throws NullPointerException if {@code loop} is null
   */
  public static TaskTree capture(EventLoop loop) {
    Objects.requireNonNull(loop, "loop");
    LoopInfo info = Snapshots.one((LoopImpl) loop, nanos(DEFAULT_TIMEOUT));
    return new TaskTree(info == null ? List.of() : List.of(info));
  }

  private static long nanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    return LoopImpl.saturatedNanos(timeout);
  }

  /** The loops, in id order. */
  public List<LoopInfo> loops() {
    return loops;
  }

  /** Every task of every loop, loop by loop, in spawn order. */
  public List<TaskInfo> tasks() {
    List<TaskInfo> out = new ArrayList<>();
    for (LoopInfo l : loops) {
      out.addAll(l.tasks());
    }
    return out;
  }

  /**
   * The first task named {@code name}.
   *
   * @param name a task name
   * @return the task, or empty
   */
  public Optional<TaskInfo> find(String name) {
    Objects.requireNonNull(name, "name");
    return tasks().stream().filter(t -> t.name().equals(name)).findFirst();
  }

  // ---- ps ----

  /**
   * A table with one row per task: loop, task id, name, state, parent id, and where it waits (the
   * suspending call and the user frame that made it).
   *
   * @return the table, with a header line; a one-line note if there are no loops or no tasks
   */
  public String formatPs() {
    if (loops.isEmpty()) {
      return "no jasyncio event loops in this JVM\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"LOOP", "TASK", "NAME", "STATE", "PARENT", "WAITING AT"});
    for (LoopInfo l : loops) {
      for (TaskInfo t : l.tasks()) {
        rows.add(
            new String[] {
              l.id() + (l.status().equals("busy") ? " (busy)" : ""),
              Long.toString(t.id()),
              printable(t.name()),
              t.state().label(),
              t.parentId() == 0 ? "-" : Long.toString(t.parentId()),
              waitingAt(t)
            });
      }
    }
    if (rows.size() == 1) {
      return loops.size() + (loops.size() == 1 ? " event loop" : " event loops") + ", no tasks\n";
    }
    int[] width = new int[5];
    for (String[] r : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      for (int i = 0; i < width.length; i++) {
        b.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
      }
      b.append(r[5].stripTrailing()).append('\n');
    }
    return b.toString();
  }

  /** "Async.sleep <- Worker.run(Worker.java:12)": the suspending call and its caller. */
  private static String waitingAt(TaskInfo t) {
    List<StackTraceElement> s = t.stack();
    long awaited = t.awaitedTaskId();
    if (awaited != 0 && (s.isEmpty() || !StackFrames.isLibrary(s.get(0).getClassName()))) {
      // Task.await leaves no public jasyncio frame: say what it awaits, then who called it.
      return "await #" + awaited + (s.isEmpty() ? "" : " <- " + StackFrames.formatShort(s.get(0)));
    }
    if (s.isEmpty()) {
      return "";
    }
    StackTraceElement top = s.get(0);
    if (StackFrames.isLibrary(top.getClassName()) && s.size() > 1) {
      String c = top.getClassName();
      return c.substring(c.lastIndexOf('.') + 1)
          + "."
          + top.getMethodName()
          + " <- "
          + StackFrames.formatShort(s.get(1));
    }
    return StackFrames.formatShort(top);
  }

  // ---- pstree ----

  /**
   * A tree per loop: each task under its parent, members of a task group under a {@code
   * [TaskGroup@...]} node, and under each task the frames where it waits (innermost first).
   *
   * @return the tree text
   */
  public String formatTree() {
    if (loops.isEmpty()) {
      return "no jasyncio event loops in this JVM\n";
    }
    StringBuilder b = new StringBuilder();
    for (LoopInfo l : loops) {
      b.append("loop ")
          .append(l.id())
          .append(" (")
          .append(l.status())
          .append(l.debug() ? ", debug" : "")
          .append(", ")
          .append(l.tasks().size())
          .append(l.tasks().size() == 1 ? " task" : " tasks")
          .append(")\n");
      Set<Long> ids = new HashSet<>();
      for (TaskInfo t : l.tasks()) {
        ids.add(t.id());
      }
      Map<Long, List<TaskInfo>> kids = new LinkedHashMap<>();
      List<TaskInfo> roots = new ArrayList<>();
      for (TaskInfo t : l.tasks()) {
        if (t.parentId() != 0 && ids.contains(t.parentId())) {
          kids.computeIfAbsent(t.parentId(), k -> new ArrayList<>()).add(t);
        } else {
          roots.add(t);
        }
      }
      render(b, roots, kids);
    }
    return b.toString();
  }

  /**
   * Indentation stops growing at this many levels: a task tree thousands of levels deep (a
   * recursive spawn-and-await) would otherwise print a quadratic amount of indentation. Deeper
   * tasks stay in order, each line naming the task it hangs under.
   */
  static final int MAX_INDENT = 64;

  /** A node waiting to be printed: a task, or a task group's header with its members. */
  private record Pending( // task null for a group header
      TaskInfo task,
      String group,
      List<TaskInfo> members,
      String prefix,
      boolean last,
      int level) {}

  /**
   * Prints the trees under {@code roots} depth first, with an explicit stack: a deep tree must not
   * overflow the thread's stack (the MBean answers on a JMX thread).
   */
  private static void render(
      StringBuilder b, List<TaskInfo> roots, Map<Long, List<TaskInfo>> kids) {
    Deque<Pending> todo = new ArrayDeque<>();
    for (int i = roots.size() - 1; i >= 0; i--) {
      todo.push(new Pending(roots.get(i), null, List.of(), "", i == roots.size() - 1, 0));
    }
    Set<Long> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      Pending n = todo.pop();
      String branch = n.last() ? "└── " : "├── ";
      String inner =
          n.level() >= MAX_INDENT ? n.prefix() : n.prefix() + (n.last() ? "    " : "│   ");
      TaskInfo t = n.task();
      if (t == null) {
        b.append(n.prefix()).append(branch).append('[').append(n.group()).append("]\n");
        List<TaskInfo> members = n.members();
        for (int j = members.size() - 1; j >= 0; j--) {
          todo.push(
              new Pending(
                  members.get(j), null, List.of(), inner, j == members.size() - 1, n.level() + 1));
        }
        continue;
      }
      if (!seen.add(t.id())) {
        continue;
      }
      b.append(n.prefix())
          .append(branch)
          .append("(T) ")
          .append(printable(t.name()))
          .append(" #")
          .append(t.id())
          .append(' ')
          .append(t.state().label());
      if (t.awaitedTaskId() != 0) {
        b.append(", awaiting #").append(t.awaitedTaskId());
      }
      if (n.level() > MAX_INDENT) {
        b.append(", under #").append(t.parentId()); // the indentation no longer shows it
      }
      b.append('\n');
      // Children in spawn order; a task group's members gather under one node at the first of them.
      List<TaskInfo> nodes = new ArrayList<>();
      Map<String, List<TaskInfo>> groups = new LinkedHashMap<>();
      for (TaskInfo c : kids.getOrDefault(t.id(), List.of())) {
        if (c.group() == null) {
          nodes.add(c);
        } else {
          List<TaskInfo> members = groups.get(c.group());
          if (members == null) {
            members = new ArrayList<>();
            groups.put(c.group(), members);
            nodes.add(c); // stands for its group
          }
          members.add(c);
        }
      }
      String frameIndent = inner + (nodes.isEmpty() ? "    " : "│   ");
      for (StackTraceElement f : t.stack()) {
        b.append(frameIndent).append("at ").append(StackFrames.format(f)).append('\n');
      }
      for (int i = nodes.size() - 1; i >= 0; i--) {
        TaskInfo c = nodes.get(i);
        boolean lastNode = i == nodes.size() - 1;
        if (c.group() == null) {
          todo.push(new Pending(c, null, List.of(), inner, lastNode, n.level() + 1));
        } else {
          todo.push(
              new Pending(null, c.group(), groups.get(c.group()), inner, lastNode, n.level() + 1));
        }
      }
    }
  }

  /**
   * A task name as one line of text: control characters (a newline, an escape sequence) are shown
   * escaped, so a name cannot break the table or the tree, or drive the terminal.
   */
  static String printable(String name) {
    StringBuilder b = null;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!Character.isISOControl(c)) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(name.length() + 8).append(name, 0, i);
      }
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b == null ? name : b.toString();
  }

  /** The tree text; see {@link #formatTree()}. */
  @Override
  public String toString() {
    return formatTree();
  }
}
