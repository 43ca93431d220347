package io.jasyncio.examples.guide;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionGroup;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.WaitMode;
import io.jasyncio.WaitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The code of docs/tasks.md, one method per section; ExamplesTest runs each. */
public final class TasksGuide {
  private TasksGuide() {}

  static String download(String name, Duration latency) {
    Async.sleep(latency);
    return name + ": ok";
  }

  /** Spawning and awaiting tasks. */
  public static List<String> spawnAndAwait() {
    return Async.run(
        () -> {
          Task<String> a = Async.spawn(() -> download("a", Duration.ofMillis(20)));
          Task<String> b = Async.spawn("download-b", () -> download("b", Duration.ofMillis(10)));
          return List.of(a.await(), b.await()); // about 20 ms in all
        });
  }

  /** A task group: every child ends before the group does. */
  public static List<String> taskGroup() {
    List<String> results = new ArrayList<>();
    Async.run(
        () -> {
          Async.taskGroup(
              g -> {
                for (String name : List.of("x", "y", "z")) {
                  g.spawn(() -> results.add(download(name, Duration.ofMillis(5))));
                }
              });
          // all three have finished here; no lock was needed for results
        });
    return results;
  }

  /** Catching one kind of failure out of a group. */
  public static String groupFailure() {
    return Async.run(
        () -> {
          try {
            Async.taskGroup(
                g -> {
                  g.spawn(() -> download("fine", Duration.ofMillis(5)));
                  g.spawn(
                      () -> {
                        throw new IllegalStateException("quota exceeded");
                      });
                });
            return "no failure";
          } catch (ExceptionGroup eg) {
            return eg.find(IllegalStateException.class).map(Throwable::getMessage).orElse("other");
          }
        });
  }

  /** Cancelling a task, and cleaning up in finally. */
  public static List<String> cancel() {
    List<String> log = new ArrayList<>();
    Async.run(
        () -> {
          Task<Void> worker =
              Async.spawn(
                  () -> {
                    try {
                      Async.sleep(Duration.ofHours(1));
                    } finally {
                      log.add("worker cleaned up");
                    }
                  });
          Async.sleep(Duration.ofMillis(1));
          worker.cancel();
          try {
            worker.await();
          } catch (CancelledError e) {
            log.add("worker was cancelled");
          }
        });
    return log;
  }

  /** Timeouts, rescheduling, and moving on. */
  public static List<String> timeouts() {
    List<String> log = new ArrayList<>();
    Async.run(
        () -> {
          try {
            Async.timeout(Duration.ofMillis(10), () -> download("slow", Duration.ofSeconds(5)));
          } catch (TimeoutExpiredException e) {
            log.add("timed out");
          }
          String v =
              Async.timeout(
                  Duration.ofMillis(10),
                  scope -> {
                    scope.rescheduleAfter(Duration.ofSeconds(1)); // more time, for this call
                    return download("rescheduled", Duration.ofMillis(20));
                  });
          log.add(v);
          boolean finished =
              Async.moveOnAfter(Duration.ofMillis(10), () -> download("x", Duration.ofSeconds(5)));
          log.add("finished=" + finished);
        });
    return log;
  }

  /** Waiting for the first of several. */
  public static String firstCompleted() {
    return Async.run(
        () -> {
          Task<String> mirror1 = Async.spawn(() -> download("mirror1", Duration.ofSeconds(10)));
          Task<String> mirror2 = Async.spawn(() -> download("mirror2", Duration.ofMillis(5)));
          WaitResult<String> r = Async.wait(List.of(mirror1, mirror2), WaitMode.FIRST_COMPLETED);
          for (var slow : r.pending()) {
            slow.cancel();
          }
          return r.done().iterator().next().result();
        });
  }

  /** A runner keeps one loop across several calls. */
  public static int runner() {
    try (Runner runner = Runner.create()) {
      int a = runner.run(() -> 20);
      int b = runner.run(() -> 22);
      return a + b;
    }
  }
}
