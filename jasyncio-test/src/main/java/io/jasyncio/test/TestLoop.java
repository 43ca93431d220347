package io.jasyncio.test;

import io.jasyncio.Async;
import io.jasyncio.AsyncRunnable;
import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.internal.Bodies;
import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.LoopObserver;
import io.jasyncio.internal.TaskImpl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An event loop on virtual time, for tests (asyncio's test {@code TestLoop}, Trio's {@code
 * MockClock}, kotlinx-coroutines-test's {@code TestScope}).
 *
 * <p>Virtual time starts at zero and moves only when the loop is idle: in <b>autojump</b> mode (the
 * default) it jumps straight to the next timer's deadline, so a program that sleeps for a day
 * finishes in milliseconds, and timeouts, retries with backoff and periodic tasks run exactly on
 * their virtual schedule. In <b>manual</b> mode it moves only when a task or the test calls {@link
 * #advanceBy}.
 *
 * <pre>{@code
 * try (TestLoop loop = TestLoop.create()) {
 *   loop.run(() -> Async.sleep(Duration.ofHours(24)));
 *   assertEquals(Duration.ofHours(24), loop.time());
 * }
 * }</pre>
 *
 * <h2>Real I/O and other threads under virtual time</h2>
 *
 * Work from other threads (a {@code CompletableFuture} completed elsewhere, {@code toThread}, real
 * sockets) still reaches the loop: when no timer is pending the idle loop waits for it for real,
 * and virtual time stands still meanwhile. But when a timer <em>is</em> pending, autojump fires it
 * as soon as the loop is idle, even while real work is in flight: a {@code timeout(5s)} around a
 * real network call expires at once. {@link Builder#autojumpThreshold} makes the loop wait that
 * much real time, idle, before each jump (Trio's {@code autojump_threshold}), which gives real work
 * a chance to land first.
 *
 * <h2>Schedule exploration</h2>
 *
 * With a {@link Builder#seed seed}, the loop permutes each batch of ready work (the tasks and
 * callbacks ready at the same instant) with a pseudo-random generator seeded with it. Timers still
 * fall due in deadline order and each task's own steps stay in program order; only the order in
 * which ready tasks take their turns changes. The same seed gives the same interleaving every run.
 * See {@link Explore}.
 *
 * <p>Thread safety: {@link #run}, {@link #advanceBy}, {@link #runUntilIdle} and {@link #close} are
 * called from one ordinary thread at a time, or ({@code advanceBy}, {@code runUntilIdle}) from a
 * task of this loop; {@link #time()} from anywhere.
 */
public final class TestLoop implements AutoCloseable {
  private static final Map<LoopImpl, TestLoop> BY_LOOP = new ConcurrentHashMap<>();

  private final LoopImpl loop;
  private final VirtualClock clock;
  private final OptionalLong seed;
  private final List<TaskImpl<?>> schedule;
  private final List<ExceptionContext> errors = Collections.synchronizedList(new ArrayList<>());

  private TestLoop(Builder b) {
    this.clock = new VirtualClock(b.autojump, LoopImpl.saturatedNanos(b.threshold));
    this.loop = new LoopImpl(clock, b.debug);
    this.seed = b.seed;
    this.schedule = b.record ? Collections.synchronizedList(new ArrayList<>()) : List.of();
    loop.setExceptionHandler((l, ctx) -> errors.add(ctx));
    if (b.seed.isPresent()) {
      loop.shuffler = new SeededShuffler(b.seed.getAsLong());
    }
    if (b.record) {
      loop.observer =
          LoopObserver.compose(
              loop.observer,
              new LoopObserver() {
                @Override
                public void stepStarted(TaskImpl<?> task) {
                  schedule.add(task);
                }
              });
    }
    BY_LOOP.put(loop, this);
  }

  /**
   * A test loop in autojump mode, FIFO order, debug mode off.
   *
   * @return the loop
   */
  public static TestLoop create() {
    return builder().build();
  }

  /**
   * A builder for a loop with options.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The test loop running the calling task.
   *
   * @return the loop
   * @throws IllegalStateException if the caller is not a task of a {@code TestLoop}
   */
  public static TestLoop current() {
    LoopImpl l = LoopImpl.currentOrNull();
    TestLoop t = l == null ? null : BY_LOOP.get(l);
    if (t == null) {
      throw new IllegalStateException(
          "TestLoop.current() must be called from a task running on a TestLoop");
    }
    return t;
  }

  /** Options of a {@link TestLoop}. */
  public static final class Builder {
    private boolean autojump = true;
    private Duration threshold = Duration.ZERO;
    private OptionalLong seed = OptionalLong.empty();
    private boolean debug;
    private boolean record;

    private Builder() {}

    /**
     * Autojump (true, the default): idle time jumps to the next timer. Manual (false): time moves
     * only through {@link TestLoop#advanceBy}.
     *
     * @param on the mode
     * @return this builder
     */
    public Builder autojump(boolean on) {
      this.autojump = on;
      return this;
    }

    /**
     * Real time the loop must stay idle before each autojump (default zero). Use it when tasks wait
     * on real I/O or threads while timers are pending.
     *
     * @param realTime zero or positive
     * @return this builder
     * @throws IllegalArgumentException if {@code realTime} is negative
     */
    public Builder autojumpThreshold(Duration realTime) {
      Objects.requireNonNull(realTime, "autojumpThreshold");
      if (realTime.isNegative()) {
        throw new IllegalArgumentException("autojumpThreshold must not be negative: " + realTime);
      }
      this.threshold = realTime;
      return this;
    }

    /**
     * Explores schedules: each batch of ready work is permuted by a generator seeded with {@code
     * seed}.
     *
     * @param seed any value; the same seed replays the same interleaving
     * @return this builder
     */
    public Builder seed(long seed) {
      this.seed = OptionalLong.of(seed);
      return this;
    }

    /**
     * Debug mode of the underlying loop (see {@link EventLoop#setDebug}).
     *
     * @param on the setting
     * @return this builder
     */
    public Builder debug(boolean on) {
      this.debug = on;
      return this;
    }

    /**
     * Records the name of the task of every step the loop runs, readable with {@link
     * TestLoop#schedule()}.
     *
     * @param on the setting
     * @return this builder
     */
    public Builder recordSchedule(boolean on) {
      this.record = on;
      return this;
    }

    /**
     * Creates the loop.
     *
     * @return the loop
     */
    public TestLoop build() {
      return new TestLoop(this);
    }
  }

  /** The event loop, for APIs that take one. */
  public EventLoop loop() {
    return loop;
  }

  LoopImpl impl() {
    return loop;
  }

  /**
   * Runs {@code main} as a task until it is done (like {@link io.jasyncio.Runner#run}); tasks it
   * leaves pending continue in the next call. Virtual time moves as the program waits.
   *
   * @param main the main task's body
   * @param <T> the result type
   * @return the result
   * @throws io.jasyncio.AsyncException wrapping a checked exception of {@code main}
   * @throws IllegalStateException if called from a loop's thread, or the loop is closed or busy
   */
  public <T> T run(Callable<T> main) {
    return loop.runUntilComplete(main);
  }

  /**
   * Runs a main task that returns nothing.
   *
   * @param main the main task's body
   * @throws IllegalStateException as {@link #run(Callable)}
   */
  public void run(AsyncRunnable main) {
    Objects.requireNonNull(main, "main");
    loop.runUntilComplete(Bodies.callable(main));
  }

  /**
   * Runs a test body as the main task; a checked exception the body throws comes out as itself, not
   * wrapped in the {@link io.jasyncio.AsyncException} that {@link #run} adds, so a test fails with
   * the exception its code threw (an {@code AsyncException} the body itself throws stays one).
   */
  void runBody(Callable<?> body) throws Exception {
    Exception[] own = new Exception[1];
    loop.runUntilComplete(
        () -> {
          try {
            return body.call();
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            own[0] = e;
            return null;
          }
        });
    if (own[0] != null) {
      throw own[0];
    }
  }

  /**
   * The virtual time elapsed since the loop was created; {@code EventLoop.time()} of this loop is
   * the same value in nanoseconds. Thread-safe.
   *
   * @return the virtual time
   */
  public Duration time() {
    return Duration.ofNanos(clock.nanoTime());
  }

  /**
   * Moves virtual time forward by {@code delta}, running every timer that falls due on the way at
   * its own instant, and then everything ready at the end instant, until the loop is idle.
   *
   * <p>From a task of this loop it <b>suspends</b> that task (other tasks run meanwhile; in manual
   * mode this is how time moves). From an ordinary thread it runs the loop for that long; tasks
   * left pending by earlier {@link #run} calls make progress.
   *
   * @param delta zero or positive
   * @throws IllegalArgumentException if {@code delta} is negative
   * @throws io.jasyncio.CancelledError if the calling task is cancelled meanwhile
   * @throws IllegalStateException if called from a callback, another loop's task, or while the loop
   *     runs on another thread
   */
  public void advanceBy(Duration delta) {
    Objects.requireNonNull(delta, "delta");
    if (delta.isNegative()) {
      throw new IllegalArgumentException("delta must not be negative: " + delta);
    }
    long nanos = LoopImpl.saturatedNanos(delta);
    if (inOwnTask("advanceBy")) {
      advanceInTask(nanos);
    } else {
      run(() -> advanceInTask(nanos));
    }
  }

  /**
   * Runs everything that is ready now, and whatever that makes ready, until nothing is ready and no
   * timer is due at the current virtual time; time does not move. Does not wait for real I/O. Never
   * returns if tasks keep yielding to each other forever.
   *
   * <p>From a task of this loop it <b>suspends</b> that task; from an ordinary thread it runs the
   * loop.
   *
   * @throws io.jasyncio.CancelledError if the calling task is cancelled meanwhile
   * @throws IllegalStateException as {@link #advanceBy}
   */
  public void runUntilIdle() {
    if (inOwnTask("runUntilIdle")) {
      untilIdleInTask();
    } else {
      run(this::untilIdleInTask);
    }
  }

  private boolean inOwnTask(String what) {
    LoopImpl current = LoopImpl.currentOrNull();
    if (current == null) {
      return false;
    }
    if (current != loop) {
      throw new IllegalStateException(what + " called from a task of another event loop");
    }
    LoopImpl.currentTask("TestLoop." + what); // throws with a clear message in a callback
    return true;
  }

  private void advanceInTask(long nanos) {
    // Saturates like the sleep's own deadline: an overflowed sum would leave the limit below it.
    clock.allowUpTo(LoopImpl.deadline(clock.nanoTime(), nanos));
    if (nanos > 0) {
      Async.sleep(Duration.ofNanos(nanos));
    }
    untilIdleInTask();
  }

  private void untilIdleInTask() {
    idleWithin(Long.MAX_VALUE);
  }

  /** Yields until idle, at most {@code maxRounds} times; returns whether the loop went idle. */
  boolean idleWithin(long maxRounds) {
    for (long i = 0; i < maxRounds; i++) {
      if (!loop.hasReadyWork() && loop.nextDeadline() > clock.nanoTime()) {
        return true;
      }
      Async.yieldNow();
    }
    return false;
  }

  /**
   * The seed of schedule exploration, if this loop explores.
   *
   * @return the seed, or empty for first-in first-out order
   */
  public OptionalLong seed() {
    return seed;
  }

  /**
   * The recorded schedule: the name of the task of every step, in the order the loop ran them
   * (empty unless {@link Builder#recordSchedule} is on). Read it while the loop is not running.
   *
   * @return a snapshot
   */
  public List<String> schedule() {
    synchronized (schedule) {
      // names are read now, so a task renamed after its first step shows its final name
      return schedule.stream().map(TaskImpl::name).toList();
    }
  }

  /**
   * Errors the loop passed to its exception handler (callbacks that threw, task failures never
   * retrieved); a test loop collects them instead of logging them.
   *
   * @return a snapshot, oldest first
   */
  public List<ExceptionContext> unhandledErrors() {
    synchronized (errors) {
      return List.copyOf(errors);
    }
  }

  /**
   * A printable tree of the tasks not yet done: name, state, and for a waiting task the call it
   * waits in and the user frames below it. Call it from a task or callback of this loop, or while
   * the loop is not running.
   *
   * @return the dump, one task per line group
   */
  public String dumpTasks() {
    return TaskDump.dump(loop, clock.nanoTime());
  }

  /**
   * Closes the loop: cancels the tasks still pending, lets them finish, and ends its threads (see
   * {@link io.jasyncio.Runner#close}). Idempotent.
   */
  @Override
  public void close() {
    try {
      loop.close();
    } finally {
      BY_LOOP.remove(loop);
    }
  }

  @Override
  public String toString() {
    return "TestLoop[" + time() + (seed.isPresent() ? ", seed " + seed.getAsLong() : "") + "]";
  }
}
