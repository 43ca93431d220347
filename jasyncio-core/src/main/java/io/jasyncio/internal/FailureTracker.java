package io.jasyncio.internal;

import io.jasyncio.ExceptionContext;
import io.jasyncio.Task;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Failures of tasks and promises that nobody retrieved (contract point 6): each is reported to the
 * loop's exception handler, with the task's name and, in debug mode, where it was spawned, when its
 * future is garbage-collected or at the latest when the loop closes, in the order the failures
 * happened. Retrieving the failure (await, result, exception) cancels the report.
 *
 * <p>The map is weak so a forgotten failed task can still be collected; a {@link Cleaner} then
 * reports it. Only the loop's thread touches the map; the cleaner goes through the loop's inbox.
 */
final class FailureTracker {
  private static final Cleaner CLEANER = Cleaner.create();

  private final LoopImpl loop;
  private final Map<FutureImpl<?>, Unretrieved> pending = new WeakHashMap<>();
  private long seq;

  FailureTracker(LoopImpl loop) {
    this.loop = loop;
  }

  /** What is reported; holds nothing that keeps the future alive. */
  private static final class Unretrieved implements Runnable {
    final FailureTracker tracker;
    final String name;
    final Throwable error;
    final Throwable spawnSite;
    final long seq;
    volatile boolean done;

    Unretrieved(
        FailureTracker tracker, String name, Throwable error, Throwable spawnSite, long seq) {
      this.tracker = tracker;
      this.name = name;
      this.error = error;
      this.spawnSite = spawnSite;
      this.seq = seq;
    }

    /** Runs on the Cleaner's thread when the failed future became garbage. */
    @Override
    public void run() {
      if (!done) {
        try {
          tracker.loop.callSoonThreadsafe(() -> tracker.report(this, null));
        } catch (IllegalStateException closed) {
          tracker.report(this, null);
        }
      }
    }
  }

  void track(FutureImpl<?> f) {
    TaskImpl<?> t = f instanceof TaskImpl<?> task ? task : null;
    Unretrieved u =
        new Unretrieved(
            this,
            t != null ? "task '" + t.name() + "'" : "a promise",
            (Throwable) f.value,
            t != null ? t.spawnSite() : null,
            seq++);
    pending.put(f, u);
    CLEANER.register(f, u);
  }

  void retrieved(FutureImpl<?> f) {
    Unretrieved u = pending.remove(f);
    if (u != null) {
      u.done = true;
    }
  }

  private void report(Unretrieved u, Task<?> task) {
    if (u.done) {
      return;
    }
    u.done = true;
    if (u.spawnSite != null) {
      u.error.addSuppressed(u.spawnSite);
    }
    loop.callExceptionHandler(
        new ExceptionContext("Exception was never retrieved from " + u.name, u.error, task));
  }

  /** Reports every failure still pending, oldest first. */
  void reportAll() {
    List<Map.Entry<FutureImpl<?>, Unretrieved>> entries = new ArrayList<>(pending.entrySet());
    pending.clear();
    entries.sort(Comparator.comparingLong(e -> e.getValue().seq));
    for (Map.Entry<FutureImpl<?>, Unretrieved> e : entries) {
      FutureImpl<?> f = e.getKey();
      report(e.getValue(), f instanceof TaskImpl<?> t ? t : null);
    }
  }
}
