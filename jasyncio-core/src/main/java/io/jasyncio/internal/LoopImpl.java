package io.jasyncio.internal;

import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.ExceptionHandler;
import io.jasyncio.Handle;
import io.jasyncio.Promise;
import io.jasyncio.Task;
import io.jasyncio.TimerHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The event loop: a FIFO of ready work, a timer heap, an inbox for other threads, and the carriers
 * (virtual threads) that give tasks their stacks.
 *
 * <h2>Design: a baton passed between carriers</h2>
 *
 * Every task runs on the stack of a {@link Carrier}, a virtual thread that belongs to this loop.
 * Exactly one carrier of a loop runs at any instant: the one that holds the <em>baton</em>. The
 * holder runs the scheduling step itself; there is no separate loop thread to bounce through:
 *
 * <ul>
 *   <li>A <b>free</b> carrier (no live task on its stack) takes the next ready item. A callback
 *       runs inline. A task that has not started runs inline too: its body becomes the carrier's
 *       live frames. A task that waits on another carrier gets the baton handed to it directly, and
 *       the free carrier parks in a small idle pool (or ends, when the pool is full).
 *   <li>A carrier whose task <b>suspends</b> keeps the baton and goes on scheduling on top of the
 *       suspended frames: callbacks run inline; if the next ready item is its own task, the task
 *       simply returns from {@code suspend} (no thread switch at all); a new task is handed to an
 *       idle or new carrier; another waiting task gets the baton. Then it parks until a holder
 *       picks its task from the ready queue and hands the baton back.
 *   <li>When nothing is ready, the holder fires due timers and drains the inbox, and if still
 *       nothing is ready it waits on the clock ({@link LoopClock#idleWait}) until the next deadline
 *       or a {@link #wakeup()}.
 * </ul>
 *
 * So a switch from one task to another is one {@code unpark} plus one {@code park}, and a task that
 * finishes without suspending costs no thread at all. This is the hand-off the design notes ask for
 * ("the task that suspends hands control straight to the next ready one"), on the JDK's default
 * virtual-thread scheduler, with no flags.
 *
 * <h2>Spinning for the baton</h2>
 *
 * A carrier whose task has just handed the baton on spins for it briefly before it parks, and
 * {@link #pass} skips the unpark when the receiver still spins: {@link BatonSpinner} keeps that
 * mechanism and its invariants.
 *
 * <h2>Ordering</h2>
 *
 * Like asyncio's {@code _run_once}, work is taken in batches: at a batch boundary the holder moves
 * the inbox and the due timers (deadline order, ties in scheduling order) to the tail of the ready
 * queue and then runs exactly the items present; work made ready meanwhile waits for the next
 * batch. With a virtual clock this makes every run of a program interleave identically.
 *
 * <h2>Thread safety and memory visibility</h2>
 *
 * Fields without {@code volatile} belong to the baton holder (except the spin heuristics, see
 * above). The baton is passed by a volatile write that the receiver reads before touching them, so
 * each holder sees its predecessor's writes. The inbox and the run state are the only things other
 * threads touch.
 */
public final class LoopImpl implements EventLoop {
  private static final System.Logger LOG = System.getLogger("io.jasyncio");

  private static final int MAX_IDLE_CARRIERS = 16;
  private static final AtomicInteger LOOP_IDS = new AtomicInteger();

  private static final int STOPPED = 0;
  private static final int RUNNING = 1;
  private static final int CLOSING = 2;
  private static final int CLOSED = 3;

  /**
   * A loop-owned virtual thread that runs tasks. Its {@link #run} is the scheduler's main routine
   * itself, not a call into it: a suspended task's frames are copied to the heap, so each frame
   * between the thread's entry and the task's body costs memory in every sleeping task.
   */
  static final class Carrier implements Runnable {
    final LoopImpl loop;
    final Thread thread;
    TaskImpl<?> startNext;
    boolean started;
    volatile boolean exit;

    Carrier(LoopImpl loop) {
      this.loop = loop;
      this.thread = loop.carrierBuilder.unstarted(this);
    }

    /** The main routine of every carrier thread, starting with the baton. */
    @Override
    public void run() {
      LoopImpl l = loop;
      try {
        l.tookBaton(this);
        for (; ; ) {
          TaskImpl<?> start = startNext;
          if (start != null) {
            startNext = null;
          } else {
            if (exit) {
              return;
            }
            Object item = l.nextItem();
            if (item == SHUTDOWN) {
              l.runLeftoverCallbacks();
              l.shutdownCarriers();
              return;
            }
            if (item instanceof HandleImpl h) {
              l.runHandle(h);
              continue;
            }
            TaskImpl<?> u = (TaskImpl<?>) item;
            if (u.started) {
              // u waits on another carrier: give it the baton and leave this one idle (or end it).
              if (l.idle.size() < MAX_IDLE_CARRIERS) {
                l.idle.push(this);
                l.transfer(this, u.carrier);
                continue;
              }
              l.pass(u.carrier);
              return;
            }
            start = u;
          }
          // The task's body runs right here, on this carrier's stack (kept shallow on purpose: a
          // suspended task's frames are copied to the heap, so every frame costs memory per task).
          l.hot.current = start;
          l.stepStarted(start);
          start.run(this);
          l.stepEnded(start);
          l.hot.current = null;
        }
      } catch (Throwable t) {
        l.crashed(t); // handed to the thread waiting in runUntilComplete
      } finally {
        l.carrierExited();
      }
    }
  }

  final LoopClock clock;

  /** The platform thread all carriers run on in single-carrier mode, else null. */
  private CarrierThreads.SingleCarrier singleCarrier;

  /** Makes carrier threads; set when the loop first starts. */
  private Thread.Builder.OfVirtual carrierBuilder;

  final int loopId = LOOP_IDS.incrementAndGet();
  volatile boolean debug;

  // ---- owned by the baton holder ----
  private final ArrayDeque<Object> ready = new ArrayDeque<>(256);
  private final TimerHeap timers = new TimerHeap();
  private int batch;
  private long timerSeq;
  private long taskIds;

  /** The running task and the ends of the live list: see {@link Hot}. */
  private Hot hot = new Hot();

  private HandleImpl currentHandle;
  private final ArrayDeque<Carrier> idle = new ArrayDeque<>();
  private int liveCount;
  private boolean stopRequested;

  /** close() cancelled every task and found none left: spawning is refused from then on. */
  private boolean noMoreTasks;

  private final FailureTracker failures = new FailureTracker(this);
  private ExceptionHandler handler;

  /** The thread holding the baton; plain field, see {@link #inLoopThread()}. */
  final OwnerSlot owner = new OwnerSlot();

  /**
   * The baton holder's thread, alone on its cache line: every thread that asks "which loop am I
   * on?" reads it ({@link LoopRegistry#runningOn}), so it must not share a line with the fields the
   * holder writes all the time (measured: sharing one erased most of a loop group's gain).
   */
  static final class OwnerSlot extends OwnerSlotFields {
    @SuppressWarnings("unused")
    private long q1, q2, q3, q4, q5, q6, q7;
  }

  /** Padding before {@link OwnerSlotFields#thread}. */
  abstract static class OwnerSlotPad {
    @SuppressWarnings("unused")
    private long p1, p2, p3, p4, p5, p6, p7;
  }

  /** The field itself (the padding classes around it keep the layout order). */
  abstract static class OwnerSlotFields extends OwnerSlotPad {
    Thread thread;
  }

  // ---- shared with other threads ----
  private volatile Carrier baton;

  /** Spinning for the baton instead of parking (see {@link BatonSpinner}). */
  private final BatonSpinner spin = new BatonSpinner(this);

  private volatile int runState = STOPPED;
  private volatile Thread sleeper;
  private volatile Thread runnerThread;
  private volatile boolean started;
  private final ConcurrentLinkedQueue<HandleImpl> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger liveCarriers = new AtomicInteger();
  private volatile int abandonedCarriers;

  /**
   * The I/O poller (a {@link java.nio.channels.Selector}), created by the first channel that
   * registers; null until then, so a loop without I/O pays nothing. Volatile for {@link #wakeup}.
   */
  private volatile io.jasyncio.internal.io.Poller poller;

  /** Hooks for tools (debug mode, introspection); null when unused. */
  public volatile LoopObserver observer;

  /**
   * Reorders each new batch of ready work (seeded schedule exploration in {@code jasyncio-test});
   * null, the default, keeps first-in first-out order at no cost. Set it before the loop runs.
   */
  public volatile ReadyShuffler shuffler;

  /** Creates a loop on {@code clock}. */
  public LoopImpl(LoopClock clock, boolean debug) {
    this(clock, debug, true);
  }

  /** A loop that tools see ({@code visible}) or the scheduler's own priming loop (not). */
  private LoopImpl(LoopClock clock, boolean debug, boolean visible) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.debug = debug;
    if (visible) {
      LoopRegistry.register(this);
    }
  }

  /** How many carrier threads of this loop are alive (zero after close). Thread-safe. */
  public int liveCarrierCount() {
    return liveCarriers.get();
  }

  /** Whether this loop's carriers share one platform thread (see {@link CarrierThreads}). */
  public boolean isSingleCarrier() {
    return singleCarrier != null;
  }

  /** A loop id unique in this JVM, for tools. */
  public int id() {
    return loopId;
  }

  // ======================================================================================
  // Finding the current loop and task
  // ======================================================================================

  /** The loop running on the calling thread (in a task or callback), or null. */
  public static LoopImpl currentOrNull() {
    return LoopRegistry.runningOn(Thread.currentThread());
  }

  /**
   * The task running on the calling thread.
   *
   * @param what the API being called, for the error message
   * @throws IllegalStateException if no task of any loop runs here
   */
  public static TaskImpl<?> currentTask(String what) {
    Thread thread = Thread.currentThread();
    LoopImpl loop = LoopRegistry.runningOn(thread);
    if (loop == null) {
      throw new IllegalStateException(
          what
              + " must be called from a task running on an event loop, but "
              + thread
              + " runs no loop. Start one with Async.run(...), or from a loop's callback spawn a"
              + " task with Async.spawn(...)");
    }
    TaskImpl<?> t = loop.hot.current;
    if (t == null || t.carrier == null || t.carrier.thread != thread) {
      throw new IllegalStateException(
          what
              + " was called from a loop callback, not a task; callbacks must not suspend. Spawn"
              + " a task for work that waits");
    }
    return t;
  }

  /** The current task, which must belong to this loop. */
  TaskImpl<?> currentTaskFor(String what) {
    TaskImpl<?> t = currentTask(what);
    if (t.loop != this) {
      throw new IllegalStateException(
          what
              + ": this object belongs to another event loop (loop "
              + loopId
              + ") than the calling task's (loop "
              + t.loop.loopId
              + "); cross loops with EventLoop.submit(...) and Async.await(CompletionStage)");
    }
    return t;
  }

  /**
   * {@link #currentTask(String)} for the operation {@code owner.op}; the name is only put together
   * when the call fails, so the common case allocates nothing.
   */
  public static TaskImpl<?> currentTask(String owner, String op) {
    TaskImpl<?> t = currentTaskOrNull();
    return t != null ? t : currentTask(owner + "." + op);
  }

  /**
   * The current task, which must be one of {@code owner}'s: for an object bound to the loop that
   * created it (a stream, a datagram endpoint, a server). The names are only put together when the
   * call fails, so the common case allocates nothing.
   *
   * @param kind the object's kind, such as {@code "StreamReader"}
   * @param op the operation, such as {@code "readLine"}
   * @throws IllegalStateException if no task runs here, or if it is another loop's task (both loops
   *     are named)
   */
  public static TaskImpl<?> currentTaskOn(LoopImpl owner, String kind, String op) {
    Thread thread = Thread.currentThread();
    if (owner.owner.thread == thread) { // the common case: no scan of the running loops
      TaskImpl<?> c = owner.taskOn(thread);
      if (c != null) {
        return c;
      }
    }
    TaskImpl<?> t = currentTaskOrNull();
    if (t == null) {
      t = currentTask(kind + "." + op);
    }
    if (t.loop != owner) {
      throw foreignLoop(owner, t.loop, kind, op);
    }
    return t;
  }

  /**
   * Checks that the caller holds {@code owner}'s baton (runs one of its tasks or callbacks), for a
   * loop-bound operation that does not suspend, such as a close.
   *
   * @throws IllegalStateException naming both loops if the caller runs another loop, or naming the
   *     thread if it runs none
   */
  public static void checkOn(LoopImpl owner, String kind, String op) {
    if (owner.owner.thread == Thread.currentThread()) {
      return;
    }
    LoopImpl cur = currentOrNull();
    if (cur != null && cur != owner) {
      throw foreignLoop(owner, cur, kind, op);
    }
    if (owner.isClosed()) {
      throw new IllegalStateException(
          kind + "." + op + ": the loop this " + kind + " belongs to (" + owner + ") is closed");
    }
    throw new IllegalStateException(
        kind
            + "."
            + op
            + " must be called on the thread of "
            + owner
            + " (the loop this "
            + kind
            + " belongs to), from one of its tasks or callbacks, but "
            + Thread.currentThread()
            + " does not run it; from other threads use EventLoop.callSoonThreadsafe(...) or"
            + " EventLoop.submit(...)");
  }

  private static IllegalStateException foreignLoop(
      LoopImpl owner, LoopImpl cur, String kind, String op) {
    return new IllegalStateException(
        kind
            + "."
            + op
            + ": this "
            + kind
            + " belongs to "
            + owner
            + " (the loop that opened it) but was used from "
            + cur
            + "; it may be used only by its own loop's tasks. To cross loops use"
            + " EventLoop.submit(...) and Async.await(...), or open it on the loop that uses it");
  }

  /** The current task or null (also null in callbacks). */
  public static TaskImpl<?> currentTaskOrNull() {
    Thread thread = Thread.currentThread();
    LoopImpl loop = LoopRegistry.runningOn(thread);
    return loop == null ? null : loop.taskOn(thread);
  }

  /** This loop's current task if {@code thread} runs it (not a callback), else null. */
  private TaskImpl<?> taskOn(Thread thread) {
    TaskImpl<?> t = hot.current;
    return t != null && t.carrier != null && t.carrier.thread == thread ? t : null;
  }

  /** Whether the caller holds this loop's baton (is running its task or callback). */
  public boolean inLoopThread() {
    return owner.thread == Thread.currentThread();
  }

  /** Throws unless the caller is on this loop's thread. */
  public void checkThread(String what) {
    if (owner.thread != Thread.currentThread()) {
      throw new IllegalStateException(
          what
              + " must be called on the event loop's thread (from one of its tasks or"
              + " callbacks); from other threads use callSoonThreadsafe or submit");
    }
  }

  /** The context of the running task or callback. */
  public ContextMap currentContext() {
    TaskImpl<?> t = hot.current;
    if (t != null) {
      return t.context;
    }
    HandleImpl h = currentHandle;
    return h != null ? h.context : ContextMap.EMPTY;
  }

  /**
   * The task or callback handle whose context {@link #currentContext()} returns, or null (used by
   * ContextVar tokens to tell contexts apart).
   */
  public Object currentContextOwner() {
    TaskImpl<?> t = hot.current;
    return t != null ? t : currentHandle;
  }

  /** Replaces the context of the running task or callback (ContextVar.set and reset). */
  public void setCurrentContext(ContextMap context) {
    TaskImpl<?> t = hot.current;
    if (t != null) {
      t.context = context;
    } else if (currentHandle != null) {
      currentHandle.context = context;
    } else {
      throw new IllegalStateException("no task or callback runs on this loop now");
    }
  }

  private void checkOpen() {
    if (runState >= CLOSING) {
      throw new IllegalStateException("the event loop is closed");
    }
  }

  // ======================================================================================
  // Public API
  // ======================================================================================

  @Override
  public long time() {
    return clock.nanoTime();
  }

  @Override
  public Handle callSoon(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkThread("callSoon");
    checkOpen();
    return callSoonInternal(callback);
  }

  HandleImpl callSoonInternal(Runnable callback) {
    HandleImpl h = new HandleImpl(this, callback, currentContext());
    ready.addLast(h);
    return h;
  }

  @Override
  public Handle callSoonThreadsafe(Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    if (runState >= CLOSING) {
      throw new IllegalStateException("the event loop is closed");
    }
    HandleImpl h = new HandleImpl(this, callback, ContextMap.ofCallingThread());
    inbox.add(h);
    if (runState == CLOSED && inbox.remove(h)) {
      // close() set CLOSED and then emptied the inbox; this one came too late for that
      throw new IllegalStateException("the event loop is closed");
    }
    wakeup();
    return h;
  }

  /**
   * A {@link #submit} callback. If the loop closes before running it (a loop that never ran, or a
   * submission that came in after the last batch), close cancels its future instead of leaving the
   * caller waiting for good.
   */
  private record Submission(Runnable body, CompletableFuture<?> future) implements Runnable {
    @Override
    public void run() {
      body.run();
    }
  }

  @Override
  public TimerHandle callLater(Duration delay, Runnable callback) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return callAt(deadline(clock.nanoTime(), saturatedNanos(delay)), callback);
  }

  @Override
  public TimerHandle callAt(long when, Runnable callback) {
    Objects.requireNonNull(callback, "callback");
    checkThread("callAt");
    checkOpen();
    return schedule(when, callback);
  }

  TimerHandleImpl schedule(long when, Runnable callback) {
    TimerHandleImpl t = new TimerHandleImpl(this, when, timerSeq++, callback, currentContext());
    timers.add(t);
    return t;
  }

  void removeTimer(TimerHandleImpl t) {
    timers.remove(t);
  }

  /**
   * The deadline {@code nanos} after {@code now}, saturating just below {@link
   * LoopClock#NO_DEADLINE} instead of overflowing (clock values may be negative).
   */
  public static long deadline(long now, long nanos) {
    long r = now + nanos;
    if (((now ^ r) & (nanos ^ r)) < 0 || r == LoopClock.NO_DEADLINE) {
      return nanos > 0 ? LoopClock.NO_DEADLINE - 1 : Long.MIN_VALUE;
    }
    return r;
  }

  /** Converts a duration to nanoseconds, saturating instead of overflowing. */
  public static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  @Override
  public <T> Task<T> spawn(Callable<T> body) {
    return spawn(null, body, false);
  }

  @Override
  public <T> Task<T> spawn(String name, Callable<T> body) {
    Objects.requireNonNull(name, "name");
    return spawn(name, body, false);
  }

  /** Spawns a task; eager tasks run before the spawner continues (see Async.spawnEager). */
  public <T> TaskImpl<T> spawn(String name, Callable<T> body, boolean eager) {
    Objects.requireNonNull(body, "body");
    return spawnBody(name, body, eager, null);
  }

  /**
   * Spawns an eager task, handing it to {@code register} after it is created and before it first
   * runs (a task group records its child there, so that the child belongs to the group even if the
   * spawner is cancelled while the child runs).
   */
  public <T> TaskImpl<T> spawnEager(
      String name, Callable<T> body, java.util.function.Consumer<TaskImpl<T>> register) {
    Objects.requireNonNull(body, "body");
    return spawnBody(name, body, true, register);
  }

  /** Spawns a task whose body returns nothing (no wrapper: one frame less per task). */
  public TaskImpl<Void> spawn(String name, io.jasyncio.AsyncRunnable body) {
    Objects.requireNonNull(body, "body");
    return spawnBody(name, body, false, null);
  }

  private <T> TaskImpl<T> spawnBody(
      String name, Object body, boolean eager, java.util.function.Consumer<TaskImpl<T>> register) {
    checkThread("spawn");
    checkOpen();
    if (noMoreTasks) {
      throw new IllegalStateException("the event loop is closing: no new tasks");
    }
    TaskImpl<?> parent = hot.current;
    TaskImpl<T> t = new TaskImpl<>(this, ++taskIds, name, body, parent, currentContext());
    linkLive(t);
    if (debug) {
      t.setSpawnSite(new Throwable("task '" + t.name() + "' spawned here"));
    }
    LoopObserver o = observer;
    if (o != null) {
      o.taskSpawned(t);
    }
    if (register != null) {
      register.accept(t);
    }
    if (!eager) {
      ready.addLast(t);
    } else if (parent != null && parent == currentTaskOrNull()) {
      // The new task runs first, the spawner right after it, ahead of other ready work.
      parent.yieldBehind(t);
    } else {
      ready.addFirst(t);
      batch++;
    }
    return t;
  }

  @Override
  public <T> CompletableFuture<T> submit(Callable<T> body) {
    Objects.requireNonNull(body, "body");
    CompletableFuture<T> cf = new CompletableFuture<>();
    callSoonThreadsafe(
        new Submission(
            () -> {
              if (cf.isDone()) {
                return;
              }
              TaskImpl<T> t;
              try {
                t = spawn(null, body, false);
              } catch (IllegalStateException closing) {
                cf.completeExceptionally(closing);
                return;
              }
              t.addDoneCallback(
                  x -> {
                    if (t.isCancelled()) {
                      cf.cancel(false);
                    } else {
                      Throwable e = t.exception();
                      if (e != null) {
                        cf.completeExceptionally(e);
                      } else {
                        cf.complete(t.result());
                      }
                    }
                  });
              cf.whenComplete(
                  (v, e) -> {
                    if (cf.isCancelled() && runState < CLOSED) {
                      try {
                        callSoonThreadsafe(t::cancel);
                      } catch (IllegalStateException closed) {
                        // the loop closed meanwhile; its close cancelled the task
                      }
                    }
                  });
            },
            cf));
    return cf;
  }

  @Override
  public <T> Promise<T> createPromise() {
    checkOpen();
    return new PromiseImpl<>(this);
  }

  /** Creates a promise without a thread check (internal builders). */
  public <T> PromiseImpl<T> newPromise() {
    return new PromiseImpl<>(this);
  }

  @Override
  public void setExceptionHandler(ExceptionHandler h) {
    handler = h;
  }

  @Override
  public void callExceptionHandler(ExceptionContext context) {
    Objects.requireNonNull(context, "context");
    LoopObserver o = observer;
    if (o != null) {
      o.exceptionReported(context);
    }
    ExceptionHandler h = handler;
    if (h != null) {
      try {
        h.handle(this, context);
        return;
      } catch (Throwable t) {
        LOG.log(System.Logger.Level.ERROR, "the loop's exception handler failed", t);
      }
    }
    String msg = context.message();
    if (context.task() != null) {
      msg += " (task '" + context.task().name() + "')";
    }
    LOG.log(System.Logger.Level.ERROR, msg, context.exception());
  }

  @Override
  public boolean isDebug() {
    return debug;
  }

  @Override
  public void setDebug(boolean on) {
    debug = on;
  }

  @Override
  public boolean isRunning() {
    return runState == RUNNING;
  }

  @Override
  public boolean isClosed() {
    return runState == CLOSED;
  }

  @Override
  public Set<Task<?>> allTasks() {
    checkThread("allTasks");
    return new LinkedHashSet<>(liveTasks());
  }

  /** The task running now, or null between steps; baton holder only (tools may read it racily). */
  public TaskImpl<?> runningTask() {
    return hot.current;
  }

  /** Live (not done) tasks in spawn order; baton holder only, or a stopped loop. */
  public List<TaskImpl<?>> liveTasks() {
    List<TaskImpl<?>> out = new ArrayList<>(liveCount);
    for (TaskImpl<?> t = hot.liveHead; t != null; t = t.nextLive) {
      out.add(t);
    }
    return out;
  }

  // ======================================================================================
  // Task bookkeeping
  // ======================================================================================

  /**
   * The references the loop rewrites on every task step: the running task and the two ends of the
   * live-task list. They sit in this small object, not in the loop, because a loop lives long and
   * soon is in the old generation. G1 (the default collector) runs a post-write barrier on every
   * reference store into an old object: up to JDK 25 it issues a {@code StoreLoad} fence, and it
   * dirties the object's card, which a refinement thread then cleans and the next store dirties
   * again. Stored straight into the loop, three references per task kept one card bouncing between
   * the loop and the refinement threads, which on a loop group compete with the loops for the cores
   * (W1 on two loops: 1.26x one loop's throughput before, 1.66x with this holder, one loop
   * unchanged; see docs/loop-groups.md).
   *
   * <p>{@link #nextItem} replaces the holder with a fresh copy at every batch boundary. A holder
   * lives for one batch, much shorter than the several young collections it takes to become old, so
   * the stores into it stop at the barrier's first test (a young card). A batch that outlived them
   * would only bring the barrier's cost back until the next batch.
   */
  private static final class Hot {
    TaskImpl<?> current;
    TaskImpl<?> liveHead;
    TaskImpl<?> liveTail;
  }

  /** Starts a new {@link Hot} holder with the old one's references; clears the old one. */
  private void renewHot() {
    Hot h = hot;
    Hot n = new Hot();
    n.current = h.current;
    n.liveHead = h.liveHead;
    n.liveTail = h.liveTail;
    // The dropped holder may be old already: cleared, it keeps no task alive (null stores are
    // free).
    h.current = null;
    h.liveHead = null;
    h.liveTail = null;
    hot = n;
  }

  private void linkLive(TaskImpl<?> t) {
    Hot h = hot;
    t.prevLive = h.liveTail;
    if (h.liveTail == null) {
      h.liveHead = t;
    } else {
      h.liveTail.nextLive = t;
    }
    h.liveTail = t;
    liveCount++;
  }

  void taskEnded(TaskImpl<?> t) {
    TaskImpl<?> p = t.prevLive;
    TaskImpl<?> n = t.nextLive;
    Hot h = hot;
    if (p == null) {
      h.liveHead = n;
    } else {
      p.nextLive = n;
    }
    if (n == null) {
      h.liveTail = p;
    } else {
      n.prevLive = p;
    }
    t.prevLive = null;
    t.nextLive = null;
    liveCount--;
  }

  /** The requests made by the delivery in progress; null when no delivery is in progress. */
  private ArrayList<TaskImpl<?>> cancelFresh;

  /**
   * Delivers a cancellation request already counted by {@link TaskImpl#requestCancel}. A waiting
   * task's hook may cancel what it awaits (asyncio's rule), which delivers to that one's hook, and
   * so on down a chain of awaits or a tree of gathers: here those deliveries run one after another,
   * not nested, so the depth of the chain does not matter. They run in the order the old recursion
   * (and asyncio) ran them: depth first, the requests a delivery makes before its siblings'. A hook
   * that throws does not stop the others: every counted request is delivered, then the first
   * failure is rethrown.
   */
  void deliverCancel(TaskImpl<?> t) {
    if (cancelFresh != null) {
      cancelFresh.add(t);
      return;
    }
    ArrayList<TaskImpl<?>> fresh = cancelFresh = new ArrayList<>();
    ArrayDeque<TaskImpl<?>> work = null;
    Throwable failure = null;
    try {
      for (TaskImpl<?> u = t; u != null; u = work == null ? null : work.pollFirst()) {
        try {
          u.deliverCancel();
        } catch (Throwable e) {
          if (failure == null) {
            failure = e;
          } else if (failure != e) {
            failure.addSuppressed(e);
          }
        }
        if (!fresh.isEmpty()) {
          if (work == null) {
            work = new ArrayDeque<>();
          }
          for (int i = fresh.size() - 1; i >= 0; i--) {
            work.addFirst(fresh.get(i));
          }
          fresh.clear();
        }
      }
    } finally {
      cancelFresh = null;
    }
    if (failure != null) {
      throw io.jasyncio.AsyncException.rethrow(failure);
    }
  }

  /** Makes a task ready: to start it, or to resume it after {@link TaskImpl#resume}. */
  void ready(TaskImpl<?> t) {
    ready.addLast(t);
  }

  /** Puts a resumed task at the head of the ready queue, inside the current batch. */
  void readyFirst(TaskImpl<?> t) {
    ready.addFirst(t);
    batch++;
  }

  void reportSwallowedCancel(TaskImpl<?> t) {
    callExceptionHandler(
        new ExceptionContext(
            "task '"
                + t.name()
                + "' was cancelled but returned normally: it caught CancelledError without"
                + " rethrowing it or calling uncancel()",
            null,
            t));
  }

  // ---- failures never retrieved (contract point 6): see FailureTracker ----

  void trackFailure(FutureImpl<?> f) {
    failures.track(f);
  }

  void failureRetrieved(FutureImpl<?> f) {
    failures.retrieved(f);
  }

  /** Reports every failure not yet retrieved (at close, and on demand). */
  public void reportAllUnretrieved() {
    failures.reportAll();
  }

  // ======================================================================================
  // Running and stopping (Runner's side; called from a thread that is not a carrier)
  // ======================================================================================

  /**
   * Runs {@code main} as a task until it is done and the loop has stopped, then returns its outcome
   * (asyncio's {@code run_until_complete}). Other tasks stay pending until the next run.
   */
  public <T> T runUntilComplete(Callable<T> main) {
    Objects.requireNonNull(main, "main");
    if (currentOrNull() != null) {
      throw new IllegalStateException(
          "cannot start an event loop from inside a running one; use Async.spawn or await"
              + " instead");
    }
    if (runState >= CLOSING) {
      throw new IllegalStateException("the event loop is closed");
    }
    if (runState == RUNNING) {
      throw new IllegalStateException("the event loop is already running");
    }
    @SuppressWarnings("unchecked")
    TaskImpl<T>[] box = new TaskImpl[1];
    HandleImpl start =
        new HandleImpl(
            this,
            () -> {
              TaskImpl<T> m = spawn(null, main, false);
              box[0] = m;
              m.addListener((java.util.function.Consumer<Object>) x -> stopRequested = true);
            },
            ContextMap.ofCallingThread());
    boolean interrupted =
        driveUntilStopped(
            start,
            () ->
                callSoonThreadsafe(
                    () -> {
                      TaskImpl<T> m = box[0];
                      if (m != null) {
                        m.cancel("the thread running the event loop was interrupted");
                      }
                    }));
    Throwable crash = crashError;
    if (crash != null) {
      throw new IllegalStateException("the event loop crashed: " + crash, crash);
    }
    TaskImpl<T> m = box[0];
    if (m == null || !m.isDone()) {
      throw new IllegalStateException("the event loop stopped before the main task finished");
    }
    if (interrupted && m.isCancelled()) {
      throw new io.jasyncio.CancelledError(
          "the thread running the event loop was interrupted, so the main task was cancelled",
          (Throwable) m.value);
    }
    return m.resultNow();
  }

  /** A loop that tools do not list: the scheduler's own priming loop ({@link JitGuards}). */
  static LoopImpl unlisted() {
    return new LoopImpl(SystemClock.INSTANCE, false, false);
  }

  /**
   * Runs the loop until it stops. If the calling thread is interrupted meanwhile (JUnit's
   * {@code @Timeout}, an executor's shutdownNow), {@code onInterrupt} runs once, here, and the wait
   * goes on: the main task is cancelled and given the chance to clean up, as asyncio.run does on
   * Ctrl-C. The interrupt status is set again on return.
   *
   * @return whether the thread was interrupted
   */
  private boolean driveUntilStopped(HandleImpl first, Runnable onInterrupt) {
    runnerThread = Thread.currentThread();
    inbox.add(first);
    runState = RUNNING;
    if (!started) {
      JitGuards.beforeFirstRun();
      started = true;
      singleCarrier = CarrierThreads.useSingle() ? new CarrierThreads.SingleCarrier() : null;
      carrierBuilder = CarrierThreads.builder(singleCarrier);
      LoopRegistry.started(this);
      Carrier c = newCarrier();
      c.started = true;
      baton = c;
      c.thread.start();
    } else {
      wakeup();
    }
    boolean interrupted = false;
    while (runState == RUNNING) {
      LockSupport.park(this);
      if (Thread.interrupted() && !interrupted) {
        interrupted = true;
        onInterrupt.run();
      }
    }
    runnerThread = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return interrupted;
  }

  /**
   * Closes the loop: cancels the tasks still pending and lets them finish (their finally blocks
   * run, and may await), reports failures never retrieved, then ends every carrier thread.
   * Idempotent.
   */
  public void close() {
    if (currentOrNull() == this) {
      throw new IllegalStateException("cannot close an event loop from one of its own tasks");
    }
    if (runState == CLOSED) {
      return;
    }
    if (runState == RUNNING) {
      throw new IllegalStateException("cannot close a running event loop");
    }
    // An interrupt still pending (the one that cancelled the main task of Async.run) must not
    // cancel the clean-up too; one that arrives during the clean-up ends its wait, and the
    // resources are released all the same. The status is set again on return.
    boolean interrupted = Thread.interrupted();
    try {
      if (started) {
        try {
          runUntilComplete(
              () -> {
                cancelAllAndWait();
                return null;
              });
        } catch (io.jasyncio.CancelledError e) {
          // interrupted again: the tasks were cancelled once and left to finish; go on releasing
        }
        interrupted |= Thread.interrupted(); // runUntilComplete set it again if it saw one
        // Tasks that outlived cancelAllAndWait (reported there) keep their carriers parked for
        // good; waiting for those carriers to end would hang close.
        int abandoned = 0;
        for (TaskImpl<?> t : liveTasks()) {
          if (t.thread() != null) {
            abandoned++;
          }
        }
        abandonedCarriers = abandoned;
        runState = CLOSING;
        HandleImpl shutdown = new HandleImpl(this, () -> {}, ContextMap.EMPTY);
        runnerThread = Thread.currentThread();
        inbox.add(shutdown);
        wakeup();
        while (liveCarriers.get() > abandoned) {
          LockSupport.park(this);
          interrupted |= Thread.interrupted(); // else park would return at once from now on
        }
        if (singleCarrier != null) {
          singleCarrier.shutdown();
        }
        runnerThread = null;
      }
    } finally {
      runState = CLOSED;
      LoopRegistry.closed(this);
      io.jasyncio.internal.io.Poller p = poller;
      if (p != null) {
        p.close(); // closes channels still registered, then the selector and the select thread
      }
      for (Runnable r : closers) {
        try {
          r.run();
        } catch (RuntimeException e) {
          // releasing is best effort; the others still run
        }
      }
      closers.clear();
      // Last, once everything is released (a future's dependents run here, on this thread)
      cancelUnrunSubmissions();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What {@link #addCloser} registered: resources not on the poller (subprocess pipe pumps). */
  private final Set<Runnable> closers = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Registers {@code release} to run when this loop closes, unless {@link #removeCloser} came
   * first: the last resort that keeps resources the poller does not know (a pump thread on a pipe)
   * from outliving the loop. Thread-safe.
   */
  public void addCloser(Runnable release) {
    closers.add(release);
  }

  /** Forgets a {@link #addCloser} registration (the resource was released). Thread-safe. */
  public void removeCloser(Runnable release) {
    closers.remove(release);
  }

  private void cancelAllAndWait() {
    TaskImpl<?> self = hot.current;
    for (int round = 0; round < 1000; round++) {
      List<TaskImpl<?>> others = new ArrayList<>();
      for (TaskImpl<?> t : liveTasks()) {
        if (t != self) {
          others.add(t);
        }
      }
      if (others.isEmpty()) {
        // From now on nothing may start a task that would never run (a submit() from another
        // thread in this last batch): its spawn fails, and a submission's future says so.
        noMoreTasks = true;
        break;
      }
      LoopObserver o = observer;
      if (round == 0 && o != null) {
        o.loopClosing(others);
      }
      for (TaskImpl<?> t : others) {
        t.requestCancel(null);
      }
      for (TaskImpl<?> t : others) {
        if (!t.isDone()) {
          self.waitUntilDone(t);
        }
      }
    }
    List<TaskImpl<?>> left = new ArrayList<>(liveTasks());
    left.remove(self);
    if (!left.isEmpty()) {
      callExceptionHandler(
          new ExceptionContext("loop closed with tasks still pending: " + left, null, null));
    }
    reportAllUnretrieved();
  }

  // ======================================================================================
  // The scheduler (baton holder only)
  // ======================================================================================

  private Carrier newCarrier() {
    liveCarriers.incrementAndGet();
    return new Carrier(this);
  }

  private void carrierExited() {
    if (liveCarriers.decrementAndGet() <= abandonedCarriers) {
      Thread r = runnerThread;
      if (r != null) {
        LockSupport.unpark(r);
      }
    }
  }

  /**
   * The scheduling half of a suspension, called by a task's own {@link TaskImpl#suspend}: runs
   * ready callbacks until {@code self} itself is next (returns false: it goes on at once) or
   * another task is (returns true: the baton was handed to that task's carrier, and the caller must
   * wait for it in {@link #awaitBaton}). It returns before the waiting, so it is not among the
   * frames a suspended task keeps.
   */
  boolean handOff(TaskImpl<?> self) {
    stepEnded(self);
    hot.current = null;
    for (; ; ) {
      Object item = nextItem();
      if (item == self) {
        return false;
      }
      if (item instanceof HandleImpl h) {
        runHandle(h);
        continue;
      }
      if (item == SHUTDOWN) {
        throw new IllegalStateException("loop shut down while a task was waiting");
      }
      TaskImpl<?> u = (TaskImpl<?>) item;
      Carrier target;
      if (!u.started) {
        target = idle.poll();
        if (target == null) {
          target = newCarrier();
        }
        target.startNext = u;
      } else {
        target = u.carrier;
      }
      pass(target);
      return true;
    }
  }

  /**
   * Parks {@code me} until the baton comes back to it. Inlined by hand into {@link
   * TaskImpl#suspend} (one frame less on every suspended task's stack); used as is by the rarer
   * suspensions.
   */
  void awaitBaton(Carrier me) {
    spinForBaton(me);
    while (baton != me) {
      parkCarrier();
    }
    tookBaton(me);
  }

  /**
   * Spins briefly for the baton (called by {@code me} after its task's hand-off, before it parks).
   * Returns whether the baton came back.
   */
  boolean spinForBaton(Carrier me) {
    return spin.spinFor(me);
  }

  /** Records that {@code me} holds the baton again (after {@link #awaitBaton}). */
  void tookBaton(Carrier me) {
    owner.thread = me.thread;
  }

  /** Whether {@code c} holds the baton. */
  boolean holdsBaton(Carrier c) {
    return baton == c;
  }

  /** The second half of a suspension: {@code self} runs again on its own carrier. */
  void resumed(TaskImpl<?> self) {
    hot.current = self;
    stepStarted(self);
  }

  /** A whole suspension for the rarer callers ({@link TaskImpl#yieldNow} and eager spawn). */
  void park(TaskImpl<?> self) {
    if (handOff(self)) {
      awaitBaton(self.carrier);
    }
    resumed(self);
  }

  /** Hands the baton to {@code target} and waits until it comes back to {@code me}. */
  private void transfer(Carrier me, Carrier target) {
    pass(target);
    while (baton != me) {
      if (me.exit) {
        return;
      }
      parkCarrier();
    }
    tookBaton(me);
  }

  /**
   * Parks a carrier until unparked. A task may leave its thread's interrupt status set (the usual
   * {@code catch (InterruptedException e) { Thread.currentThread().interrupt(); }}); park would
   * then return at once, forever, and the loop would spin. Interruption is not how tasks are
   * stopped here (that is {@link TaskImpl#cancel}), so the status is cleared at suspension points.
   */
  private void parkCarrier() {
    Thread.interrupted();
    LockSupport.park(this);
  }

  private void pass(Carrier target) {
    owner.thread = target.thread;
    baton = target;
    if (!target.started) {
      target.started = true;
      target.thread.start();
    } else if (!spin.isSpinning(target)) {
      LockSupport.unpark(target.thread);
    }
  }

  private void runHandle(HandleImpl h) {
    if (h.cancelled) {
      return;
    }
    currentHandle = h;
    callbackStarted(h.callback);
    try {
      h.fire();
    } catch (Throwable e) {
      callExceptionHandler(new ExceptionContext("Exception in callback " + h.callback, e, null));
    } finally {
      currentHandle = null;
      callbackEnded(h.callback);
    }
  }

  private void callbackStarted(Runnable callback) {
    LoopObserver o = observer;
    if (o != null) {
      try {
        o.callbackStarted(callback);
      } catch (RuntimeException | LinkageError e) {
        observerFailed(e);
      }
    }
  }

  private void callbackEnded(Runnable callback) {
    LoopObserver o = observer;
    if (o != null) {
      try {
        o.callbackEnded(callback);
      } catch (RuntimeException | LinkageError e) {
        observerFailed(e);
      }
    }
  }

  private void stepStarted(TaskImpl<?> t) {
    LoopObserver o = observer;
    if (o != null) {
      try {
        o.stepStarted(t);
      } catch (RuntimeException | LinkageError e) {
        observerFailed(e);
      }
    }
  }

  private void stepEnded(TaskImpl<?> t) {
    LoopObserver o = observer;
    if (o != null) {
      try {
        o.stepEnded(t);
      } catch (RuntimeException | LinkageError e) {
        observerFailed(e);
      }
    }
  }

  /** A tool's observer failed: report it, never let it surface in a task's code. */
  private void observerFailed(Throwable e) {
    callExceptionHandler(new ExceptionContext("a loop observer failed", e, null));
  }

  private static final Object SHUTDOWN = new Object();

  /**
   * Returns the next ready item (a {@link HandleImpl} or a {@link TaskImpl}), waiting if there is
   * none; {@link #SHUTDOWN} when the loop is closing.
   */
  private Object nextItem() {
    for (; ; ) {
      if (batch > 0) {
        batch--;
        return ready.pollFirst();
      }
      if (stopRequested) {
        stopRequested = false;
        waitWhileStopped();
        if (runState == CLOSING) {
          return SHUTDOWN;
        }
      }
      drainInbox();
      if (!timers.isEmpty()) {
        long now = clock.nanoTime();
        while (!timers.isEmpty() && timers.peek().when <= now) {
          TimerHandleImpl t = timers.poll();
          if (t instanceof SleepTimer st) {
            st.task.resume(null);
          } else {
            ready.addLast(t);
          }
        }
      }
      io.jasyncio.internal.io.Poller p = poller;
      if (p != null && p.active()) {
        p.poll(0); // I/O readiness joins this batch (asyncio's select(0) in _run_once)
      }
      if (!ready.isEmpty()) {
        batch = ready.size();
        renewHot();
        ReadyShuffler s = shuffler;
        if (s != null && batch > 1) {
          shuffleBatch(s);
        }
        continue;
      }
      if (runState == CLOSING) {
        return SHUTDOWN;
      }
      long deadline = timers.isEmpty() ? LoopClock.NO_DEADLINE : timers.peek().when;
      sleeper = Thread.currentThread();
      if (inbox.isEmpty()) {
        clock.idleWait(this, deadline); // it decides how long; waitForWork decides how
      }
      sleeper = null;
    }
  }

  /** Lets {@code s} permute the batch just formed (it is the whole ready queue at this point). */
  private void shuffleBatch(ReadyShuffler s) {
    Object[] items = ready.toArray();
    s.shuffle(items);
    ready.clear();
    for (Object o : items) {
      ready.addLast(o);
    }
  }

  private void drainInbox() {
    HandleImpl h;
    while ((h = inbox.poll()) != null) {
      ready.addLast(h);
    }
  }

  private void waitWhileStopped() {
    runState = STOPPED;
    Thread r = runnerThread;
    if (r != null) {
      LockSupport.unpark(r);
    }
    while (runState == STOPPED) {
      sleeper = Thread.currentThread();
      if (runState == STOPPED) {
        parkCarrier();
      }
      sleeper = null;
    }
  }

  /** Wakes the baton holder if it waits for work. Thread-safe. */
  public void wakeup() {
    Thread s = sleeper;
    if (s != null) {
      io.jasyncio.internal.io.Poller p = poller;
      if (p == null || !p.wakeupEndsWait()) {
        LockSupport.unpark(s); // else the select thread unparks it when the select returns
      }
      if (p != null) {
        p.wakeup();
      }
    }
  }

  /**
   * Runs what other threads submitted just before the loop began closing (after that,
   * callSoonThreadsafe refuses), so that no submit() future is left incomplete; tasks can no longer
   * be spawned, which those callbacks report to their callers.
   */
  private void runLeftoverCallbacks() {
    drainInbox();
    Object o;
    while ((o = ready.pollFirst()) != null) {
      if (o instanceof HandleImpl h) {
        runHandle(h);
      }
    }
  }

  /**
   * This loop's I/O poller, created on first use. Baton holder only.
   *
   * @throws java.io.UncheckedIOException if the selector cannot be opened
   */
  public io.jasyncio.internal.io.Poller poller() {
    io.jasyncio.internal.io.Poller p = poller;
    if (p == null) {
      checkOpen();
      p = new io.jasyncio.internal.io.Poller(this);
      poller = p;
    }
    return p;
  }

  private void shutdownCarriers() {
    Carrier c;
    while ((c = idle.poll()) != null) {
      c.exit = true;
      LockSupport.unpark(c.thread);
    }
  }

  private volatile Throwable crashError;

  /**
   * What was never run: submitted futures end cancelled ("close cancels what remains") instead of
   * leaving their callers waiting. After {@code runState = CLOSED} (see callSoonThreadsafe).
   */
  private void cancelUnrunSubmissions() {
    for (HandleImpl h; (h = inbox.poll()) != null; ) {
      if (h.callback instanceof Submission sub) {
        sub.future().cancel(false);
      }
    }
  }

  /**
   * The scheduler itself failed (an error inside the loop's own machinery, not in a task or
   * callback, such as running out of memory): the loop cannot go on, so the thread waiting in
   * {@link #runUntilComplete} is released with the error instead of waiting forever.
   */
  private void crashed(Throwable t) {
    crashError = t;
    runState = CLOSED;
    LoopRegistry.closed(this);
    shutdownCarriers(); // the crashing thread held the baton, so the idle pool is ours to empty
    io.jasyncio.internal.io.Poller p = poller;
    if (p != null) {
      p.close();
    }
    if (singleCarrier != null) {
      singleCarrier.shutdown();
    }
    cancelUnrunSubmissions();
    Thread r = runnerThread;
    if (r != null) {
      LockSupport.unpark(r);
    }
  }

  /**
   * How a {@link LoopClock} waits for the idle loop: up to {@code nanos} (negative: until woken),
   * returning early when {@link #wakeup()} is called. With channels registered this is a select,
   * whose readiness joins the ready queue; otherwise a park. Spurious returns are allowed. Called
   * only by the baton holder, from {@link LoopClock#idleWait}.
   */
  public void waitForWork(long nanos) {
    if (nanos == 0) {
      return; // poll(0) would be a non-blocking select, which the batch boundary just did
    }
    io.jasyncio.internal.io.Poller p = poller;
    if (p != null && p.active()) {
      p.poll(nanos); // negative: until woken, as here
    } else if (nanos < 0) {
      LockSupport.park(this);
    } else {
      LockSupport.parkNanos(this, nanos);
    }
  }

  /** Whether the baton holder is idle with nothing ready (for virtual clocks). */
  public boolean hasReadyWork() {
    return !ready.isEmpty() || !inbox.isEmpty();
  }

  /** The deadline of the earliest timer, or {@link LoopClock#NO_DEADLINE}. */
  public long nextDeadline() {
    return timers.isEmpty() ? LoopClock.NO_DEADLINE : timers.peek().when;
  }

  // ======================================================================================
  // Sleep
  // ======================================================================================

  /** A timer that resumes a sleeping task; also the sleep's cancel hook. */
  /** The timer of one sleeping task, and the hook that undoes it if the task is cancelled. */
  public static final class SleepTimer extends TimerHandleImpl implements CancelHook {
    /** The task that sleeps. */
    public final TaskImpl<?> task;

    SleepTimer(LoopImpl loop, long when, long seq, TaskImpl<?> task) {
      super(loop, when, seq, null, null);
      this.task = task;
    }

    @Override
    public boolean cancelWait(TaskImpl<?> t) {
      cancel();
      return t.resume(TaskImpl.WAKE_CANCELLED);
    }

    @Override
    public String toString() {
      return "sleep until " + when;
    }
  }

  /** Suspends the current task for {@code nanos}; zero yields once. */
  public static void sleep(long nanos) {
    SleepTimer st = armSleep(nanos);
    if (st != null) {
      try {
        st.task.suspend(st);
      } catch (Throwable e) {
        st.cancel();
        throw e;
      }
    }
  }

  /**
   * The first half of {@link #sleep}: arms the current task's timer and returns it; the caller then
   * suspends {@code task} on it and cancels it if the suspension throws. {@link
   * io.jasyncio.Async#sleep} does that itself, so that a sleeping task keeps one frame less. Zero
   * or less yields once instead and returns null.
   */
  public static SleepTimer armSleep(long nanos) {
    TaskImpl<?> t = currentTask("sleep");
    if (nanos <= 0) {
      t.yieldNow();
      return null;
    }
    LoopImpl loop = t.loop;
    long when = deadline(loop.clock.nanoTime(), nanos);
    SleepTimer st = new SleepTimer(loop, when, loop.timerSeq++, t);
    loop.timers.add(st);
    return st;
  }

  @Override
  public String toString() {
    return "EventLoop[" + loopId + (runState == CLOSED ? ", closed" : "") + "]";
  }
}
