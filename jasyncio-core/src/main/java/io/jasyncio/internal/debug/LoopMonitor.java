package io.jasyncio.internal.debug;

import io.jasyncio.ExceptionContext;
import io.jasyncio.Task;
import io.jasyncio.debug.TaskInfo;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.LoopObserver;
import io.jasyncio.internal.TaskImpl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import jdk.jfr.FlightRecorder;

/**
 * The debugging observer of one loop: times task steps and callbacks (in debug mode, or while a
 * flight recording wants {@code SlowStep} events), reports slow ones, lists pending tasks at close,
 * and emits the flight recorder events.
 *
 * <h2>Slow steps</h2>
 *
 * {@link #stepStarted} publishes the running step in the volatile {@link #step}; {@link #stepEnded}
 * clears it. The {@link Watchdog} thread reads it: a step older than the threshold has its task's
 * thread stack sampled while it is still blocking, and the sample is kept only if the same step is
 * still running afterwards (so it shows where the slow step was, not later work). Each slow step is
 * logged once: by the watchdog with its stack, or, if the step ended between two samples, at its
 * end without one.
 *
 * <h2>Flight recorder</h2>
 *
 * Loading an event class bootstraps JFR (150-250 ms), so nothing touches {@link JfrEvents} until
 * {@link FlightRecorder#isInitialized()} says a recording has been started in this JVM; after that,
 * {@code EventType.isEnabled()} is one field read.
 */
public final class LoopMonitor implements LoopObserver {
  private static final System.Logger LOG = System.getLogger("io.jasyncio");

  /**
   * One timed step: a task's ({@code task} set) or a callback's ({@code callback} set, asyncio's
   * slow handles); the watchdog fills {@code sample}.
   */
  static final class Step {
    final TaskImpl<?> task;
    final Runnable callback;
    final Thread thread; // a callback's (a task's is asked of the task)
    final long start;
    volatile StackTraceElement[] sample;

    Step(TaskImpl<?> task, Runnable callback, Thread thread, long start) {
      this.task = task;
      this.callback = callback;
      this.thread = thread;
      this.start = start;
    }
  }

  final LoopImpl loop;
  private volatile long thresholdNanos;
  private volatile Step step;

  LoopMonitor(LoopImpl loop, long thresholdNanos) {
    this.loop = loop;
    this.thresholdNanos = thresholdNanos;
  }

  public long thresholdNanos() {
    return thresholdNanos;
  }

  public void setThresholdNanos(long nanos) {
    thresholdNanos = nanos;
    Watchdog.wake();
  }

  // ---- hooks (loop thread) ----

  @Override
  public void taskSpawned(TaskImpl<?> task) {
    if (FlightRecorder.isInitialized() && JfrEvents.SPAWN.isEnabled()) {
      JfrEvents.TaskSpawn e = new JfrEvents.TaskSpawn();
      e.loopId = loop.id();
      e.taskId = task.id();
      e.taskName = task.name();
      Task<?> p = task.parent();
      e.parentId = p instanceof TaskImpl<?> pt ? pt.id() : 0;
      e.commit();
    }
  }

  @Override
  public void stepStarted(TaskImpl<?> task) {
    if (timed()) {
      step = new Step(task, null, null, System.nanoTime()); // its thread: asked when sampled
      Watchdog.wake();
    }
  }

  @Override
  public void stepEnded(TaskImpl<?> task) {
    Step s = step;
    if (s != null && s.task == task) {
      ended(s);
    }
  }

  @Override
  public void callbackStarted(Runnable callback) {
    if (timed()) {
      step = new Step(null, callback, Thread.currentThread(), System.nanoTime());
      Watchdog.wake();
    }
  }

  @Override
  public void callbackEnded(Runnable callback) {
    Step s = step;
    if (s != null && s.callback == callback) {
      ended(s);
    }
  }

  /** Whether steps are timed now: in debug mode, or while a recording wants SlowStep events. */
  private boolean timed() {
    return loop.isDebug() || (FlightRecorder.isInitialized() && JfrEvents.SLOW_STEP.isEnabled());
  }

  private void ended(Step s) {
    step = null;
    long took = System.nanoTime() - s.start;
    if (took < thresholdNanos) {
      return;
    }
    StackTraceElement[] sample = s.sample;
    if (sample == null && loop.isDebug()) {
      LOG.log(
          System.Logger.Level.WARNING,
          describe(s)
              + " ran "
              + took / 1_000_000
              + " ms without suspending (slow-step threshold "
              + thresholdNanos / 1_000_000
              + " ms), blocking every other task of its loop; no stack was sampled");
    }
    if (FlightRecorder.isInitialized() && JfrEvents.SLOW_STEP.isEnabled()) {
      JfrEvents.SlowStep e = new JfrEvents.SlowStep();
      e.loopId = loop.id();
      e.taskId = s.task == null ? 0 : s.task.id();
      e.taskName = s.task == null ? "callback " + s.callback : s.task.name();
      e.stepDuration = took;
      e.blockingStack = sample == null ? "" : StackFrames.formatLines(frames(s, sample));
      e.commit();
    }
  }

  /** The frames of the step's own code in {@code raw}: above the task's or callback's entry. */
  private static java.util.List<StackTraceElement> frames(Step s, StackTraceElement[] raw) {
    return s.task != null ? StackFrames.taskFrames(raw) : StackFrames.callbackFrames(raw);
  }

  @Override
  public void exceptionReported(ExceptionContext context) {
    if (FlightRecorder.isInitialized() && JfrEvents.UNHANDLED.isEnabled()) {
      JfrEvents.UnhandledException e = new JfrEvents.UnhandledException();
      e.loopId = loop.id();
      e.message = context.message();
      e.taskName = context.task() == null ? "" : context.task().name();
      Throwable x = context.exception();
      if (x != null) {
        e.exceptionClass = x.getClass().getName();
        e.exceptionMessage = x.getMessage();
        StringWriter w = new StringWriter();
        x.printStackTrace(new PrintWriter(w));
        e.exceptionStack = w.toString();
      }
      e.commit();
    }
  }

  @Override
  public void loopClosing(List<TaskImpl<?>> pending) {
    if (!loop.isDebug()) {
      return;
    }
    StringBuilder b = new StringBuilder();
    b.append("loop ")
        .append(loop.id())
        .append(" is closing with ")
        .append(pending.size())
        .append(pending.size() == 1 ? " task" : " tasks")
        .append(" still pending; cancelling them:");
    for (TaskInfo t : Snapshots.describe(loop, pending)) {
      b.append("\n  task '")
          .append(t.name())
          .append("' #")
          .append(t.id())
          .append(' ')
          .append(t.state().label());
      for (StackTraceElement f : t.stack()) {
        b.append("\n    at ").append(StackFrames.format(f));
      }
    }
    LOG.log(System.Logger.Level.WARNING, b.toString());
  }

  // ---- watchdog side (its own thread) ----

  /** Whether a step is being timed now. */
  boolean timing() {
    return step != null;
  }

  /** Samples the running step if it is slow and not sampled yet. */
  void check(long now) {
    Step s = step;
    if (s == null || s.sample != null || now - s.start < thresholdNanos) {
      return;
    }
    Thread th = s.task != null ? s.task.thread() : s.thread; // a task's, once it has started
    if (th == null) {
      return;
    }
    StackTraceElement[] stack = th.getStackTrace();
    if (step != s) {
      return; // the step ended while we looked; the stack may show later work
    }
    s.sample = stack;
    if (loop.isDebug()) {
      LOG.log(
          System.Logger.Level.WARNING,
          describe(s)
              + " has been running for "
              + (now - s.start) / 1_000_000
              + " ms without suspending (slow-step threshold "
              + thresholdNanos / 1_000_000
              + " ms), blocking every other task of its loop. Move blocking work off the loop"
              + " (to a thread) or make it suspend. It is at:\n"
              + StackFrames.formatLines(frames(s, stack)));
    }
  }

  private String describe(Step s) {
    TaskImpl<?> t = s.task;
    return t != null
        ? "task '" + t.name() + "' (#" + t.id() + " of loop " + loop.id() + ")"
        : "callback " + s.callback + " (of loop " + loop.id() + ")";
  }

  @Override
  public String toString() {
    return "LoopMonitor[" + loop + "]";
  }
}
