package io.jasyncio.test;

import io.jasyncio.Async;
import io.jasyncio.AsyncRunnable;
import io.jasyncio.ExceptionContext;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Seeded schedule exploration: runs a body under many orderings of the tasks that are ready at the
 * same instant, to find an interleaving that breaks it, and replays one ordering from its seed.
 *
 * <pre>{@code
 * Explore.run(100, () -> {            // seeds 0..99, each on a fresh TestLoop
 *   var account = new Account(100);
 *   Async.taskGroup(g -> { ... });
 *   assertTrue(account.balance() >= 0);
 * });
 * }</pre>
 *
 * On the first failing seed it throws an {@link AssertionError} that names the seed and how to
 * replay it, with the body's failure as the cause. A run also fails when the loop's exception
 * handler received an error (a task nobody awaited failed, a callback threw), as under {@link
 * AsyncTest}. Setting the system property {@value #SEED_PROPERTY} (for example {@code
 * -Djasyncio.seed=17}) makes every exploration in the JVM run that one seed only; {@link #replay}
 * does the same in code.
 *
 * <p>What a seed changes: at each batch boundary (asyncio's {@code _run_once}) the batch of ready
 * work is permuted by a generator seeded once per run. Timers still fall due in deadline order
 * (under virtual time the timers of one batch share their deadline, so permuting them only breaks
 * ties); a task's own code runs in program order; the permutation never moves work across a batch
 * boundary. So every explored interleaving is one the runtime contract allows in some FIFO run
 * whose tasks became ready in another order, and a bug found this way is a real race.
 */
public final class Explore {
  /** The system property that selects one seed to replay: {@value}. */
  public static final String SEED_PROPERTY = "jasyncio.seed";

  private Explore() {}

  /**
   * Runs {@code body} as the main task of a fresh autojump {@link TestLoop} once per seed {@code 0
   * .. seeds-1}, or only under the seed in {@value #SEED_PROPERTY} if that is set. Each loop is
   * closed before the next run.
   *
   * @param seeds how many seeds to try, at least one
   * @param body the test body; fails by throwing
   * @throws AssertionError naming the first seed under which {@code body} failed
   * @throws IllegalArgumentException if {@code seeds} is less than one
   */
  public static void run(int seeds, AsyncRunnable body) {
    Objects.requireNonNull(body, "body");
    if (seeds < 1) {
      throw new IllegalArgumentException("seeds must be at least 1: " + seeds);
    }
    OptionalLong forced = seedFromProperty();
    if (forced.isPresent()) {
      replay(forced.getAsLong(), body);
      return;
    }
    for (int s = 0; s < seeds; s++) {
      runOne(s, s + 1, seeds, body);
    }
  }

  /**
   * Runs {@code body} once under {@code seed}: the same interleaving as the exploration run that
   * used it.
   *
   * @param seed the seed to replay
   * @param body the test body
   * @throws AssertionError naming the seed if {@code body} fails
   */
  public static void replay(long seed, AsyncRunnable body) {
    Objects.requireNonNull(body, "body");
    runOne(seed, 1, 1, body);
  }

  private static void runOne(long seed, int run, int of, AsyncRunnable body) {
    TestLoop loop = TestLoop.builder().seed(seed).recordSchedule(true).build();
    try {
      loop.runBody(
          () -> {
            Async.currentTask().setName("main");
            body.run();
            return null;
          });
    } catch (Throwable t) {
      AssertionError e = failure(seed, run, of, t, loop.schedule());
      try {
        loop.close();
      } catch (Throwable c) {
        e.addSuppressed(c);
      }
      AssertionError lost = unhandledErrors(loop);
      if (lost != null) {
        e.addSuppressed(lost);
      }
      throw e;
    }
    loop.close(); // reports failures of tasks nobody awaited, if it has not already
    AssertionError lost = unhandledErrors(loop);
    if (lost != null) {
      // A race that makes a task nobody awaits throw is a failure too; the test loop collected it
      // instead of logging it, so without this it would be lost.
      throw failure(seed, run, of, lost, loop.schedule());
    }
  }

  /**
   * What the loop's exception handler received (callbacks that threw, task failures nobody
   * retrieved), as one error with the first exception as its cause; null if nothing.
   */
  static AssertionError unhandledErrors(TestLoop loop) {
    List<ExceptionContext> errors = loop.unhandledErrors();
    if (errors.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder("the loop's exception handler received errors:");
    Throwable cause = null;
    for (ExceptionContext c : errors) {
      sb.append("\n  ").append(c.message());
      if (c.exception() != null) {
        sb.append(": ").append(c.exception());
        if (cause == null) {
          cause = c.exception();
        }
      }
    }
    return new AssertionError(sb.toString(), cause);
  }

  /** The {@value #SEED_PROPERTY} system property, if set. */
  static OptionalLong seedFromProperty() {
    String p = System.getProperty(SEED_PROPERTY);
    if (p == null || p.isBlank()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(p.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property " + SEED_PROPERTY + " must be an integer, got '" + p + "'", e);
    }
  }

  /** The error thrown when a body fails under a seed. */
  static AssertionError failure(
      long seed, int run, int of, Throwable cause, List<String> schedule) {
    String where = of > 1 ? " (run " + run + " of " + of + ")" : "";
    AssertionError e =
        new AssertionError(
            "failed under schedule seed "
                + seed
                + where
                + ": "
                + cause
                + "\n  replay this interleaving with -D"
                + SEED_PROPERTY
                + "="
                + seed
                + " (or Explore.replay("
                + seed
                + ", body), or @AsyncTest(seed = \""
                + seed
                + "\"))"
                + describeSchedule(schedule),
            cause);
    return e;
  }

  private static final int SHOWN_STEPS = 40;

  /** The last steps of the schedule, task names in the order they ran. */
  static String describeSchedule(List<String> schedule) {
    if (schedule.isEmpty()) {
      return "";
    }
    int from = Math.max(0, schedule.size() - SHOWN_STEPS);
    return "\n  schedule ("
        + schedule.size()
        + " steps"
        + (from > 0 ? ", last " + SHOWN_STEPS : "")
        + "): "
        + String.join(" > ", schedule.subList(from, schedule.size()));
  }
}
