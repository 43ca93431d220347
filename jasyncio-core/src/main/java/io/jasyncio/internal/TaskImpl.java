package io.jasyncio.internal;

import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A task: a body run on a {@link LoopImpl.Carrier}'s stack, plus the cancellation protocol.
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *  spawned --(loop starts it)--> running --(suspend)--> waiting --(resume)--> scheduled
 *     |                            ^  |                                          |
 *     |                            |  +--(body returns/throws)--> done           |
 *     |                            +---------------(loop runs it)----------------+
 *     +--(cancelled before start)--> done (cancelled, body never runs)
 * </pre>
 *
 * <h2>Cancellation (asyncio 3.11+ semantics)</h2>
 *
 * {@link #cancel} counts a request. If the task is <em>waiting</em>, its {@link CancelHook} is
 * asked to give it up; a hook that agrees resumes the task, which then throws {@link
 * CancelledError} (or, when awaiting another task, sees that task's outcome). Otherwise {@code
 * mustCancel} is set and the error is thrown at the task's next resumption or suspension. A
 * delivered cancellation clears {@code mustCancel} but not the count; {@link #uncancel} lowers the
 * count and drops an undelivered request when it reaches zero. A body that returns normally while
 * {@code mustCancel} is still set ends cancelled, as in asyncio.
 *
 * <p>Only the loop's baton holder touches these fields.
 */
public final class TaskImpl<T> extends FutureImpl<T> implements Task<T> {
  /** Resume value that makes {@link #suspend} throw {@link CancelledError}. */
  public static final Object WAKE_CANCELLED = new Object();

  /** A {@code Callable} or an {@link io.jasyncio.AsyncRunnable}; null once started. */
  private Object body;

  final long id;
  private String name;
  final TaskImpl<?> parent;

  /** The carrier whose stack holds this task's frames; set when it starts. */
  LoopImpl.Carrier carrier;

  boolean started;
  private int cancelRequests;
  private boolean mustCancel;

  /**
   * What few tasks have, in one field instead of two (a task is allocated per spawn, so every field
   * counts): the last cancel message and, in debug mode, where the task was spawned.
   */
  private Rare rare;

  private record Rare(String cancelMessage, Throwable spawnSite) {}

  /** Non-null while waiting and cancellable. */
  private CancelHook hook;

  private boolean waiting;

  /**
   * A CancelledError reached this task's code (at a suspension, or from a cancelled awaitable):
   * debug mode reports a task that returns with a request still counted only then, not one whose
   * request was absorbed by what it awaited (asyncio does not complain either).
   */
  private boolean cancelSeen;

  private Object resumeValue;

  /** The context this task runs in; replaced by ContextVar.set. */
  public ContextMap context;

  /** The TaskGroup (or other structure) this task belongs to, for introspection. */
  public Object owner;

  /** Where the task was spawned (debug mode only), or null. */
  public Throwable spawnSite() {
    Rare r = rare;
    return r == null ? null : r.spawnSite;
  }

  void setSpawnSite(Throwable site) {
    Rare r = rare;
    rare = new Rare(r == null ? null : r.cancelMessage, site);
  }

  /** Neighbours in the loop's list of live tasks (spawn order). */
  TaskImpl<?> prevLive;

  TaskImpl<?> nextLive;

  TaskImpl(
      LoopImpl loop, long id, String name, Object body, TaskImpl<?> parent, ContextMap context) {
    super(loop);
    this.id = id;
    this.name = name;
    this.body = body;
    this.parent = parent;
    this.context = context;
  }

  // ---- identity ----

  @Override
  public String name() {
    String n = name;
    if (n == null) {
      n = "Task-" + id;
      name = n;
    }
    return n;
  }

  @Override
  public void setName(String newName) {
    name = Objects.requireNonNull(newName, "name");
  }

  @Override
  public Task<?> parent() {
    return parent;
  }

  /** The loop-unique id, in spawn order. */
  public long id() {
    return id;
  }

  @Override
  String describe() {
    return "task '" + name() + "'";
  }

  /** Whether this task is waiting at a suspension point. */
  public boolean isWaiting() {
    return waiting;
  }

  /** Whether the body has started running. */
  public boolean isStarted() {
    return started;
  }

  /** The thread whose stack holds this task, or null before it starts or after it ends. */
  public Thread thread() {
    LoopImpl.Carrier c = carrier;
    return c == null ? null : c.thread;
  }

  /** The hook of the current wait, or null. */
  public CancelHook waitingOn() {
    return hook;
  }

  // ---- running ----

  /** Runs the body on the calling carrier; the loop has made this the current task. */
  void run(LoopImpl.Carrier c) {
    started = true;
    carrier = c;
    Object b = body;
    body = null;
    if (mustCancel) {
      mustCancel = false;
      end(CANCELLED, new CancelledError(cancelText()));
      return;
    }
    T v;
    try {
      if (b instanceof Callable<?> call) {
        @SuppressWarnings("unchecked")
        T r = (T) call.call();
        v = r;
      } else {
        ((io.jasyncio.AsyncRunnable) b).run();
        v = null;
      }
    } catch (CancelledError e) {
      end(CANCELLED, e);
      return;
    } catch (Throwable e) {
      end(FAILED, e);
      return;
    }
    if (mustCancel) {
      mustCancel = false;
      end(CANCELLED, new CancelledError(cancelText()));
    } else {
      if (cancelRequests > 0 && cancelSeen && loop.debug) {
        loop.reportSwallowedCancel(this);
      }
      end(RESULT, v);
    }
  }

  private void end(int newState, Object newValue) {
    carrier = null;
    hook = null;
    loop.taskEnded(this);
    finish(newState, newValue);
  }

  /** The CancelledError this task's own cancellation raises in its code (noted for debug mode). */
  private CancelledError cancelDelivered() {
    cancelSeen = true;
    return new CancelledError(cancelText());
  }

  private String cancelText() {
    String m = cancelMessage();
    return m != null ? m : describe() + " was cancelled";
  }

  // ---- suspension: the one mechanism every waiting call uses ----

  /**
   * Suspends the current task until {@link #resume} is called, letting the loop run other work.
   * Must be called by the task itself.
   *
   * @param onCancel asked to give the task up if it is cancelled while waiting; with {@code null},
   *     a cancellation already pending is thrown at once, and one that arrives while the task waits
   *     is delivered when it is resumed
   * @return the value passed to {@link #resume}
   * @throws CancelledError if the task was cancelled
   */
  public Object suspend(CancelHook onCancel) {
    hook = onCancel;
    waiting = true;
    if (mustCancel) {
      mustCancel = false;
      if (onCancel == null || !onCancel.cancelWait(this)) {
        if (waiting) {
          waiting = false;
          hook = null;
          throw cancelDelivered();
        }
        mustCancel = true; // already scheduled to resume: deliver it then
      }
    }
    // LoopImpl.park(this), inlined by hand: one frame less on every suspended task's stack.
    LoopImpl l = loop;
    if (l.handOff(this)) {
      LoopImpl.Carrier me = carrier;
      l.spinForBaton(me);
      while (!l.holdsBaton(me)) {
        Thread.interrupted(); // see LoopImpl.parkCarrier
        java.util.concurrent.locks.LockSupport.park(l);
      }
      l.tookBaton(me);
    }
    l.resumed(this);
    return afterResume();
  }

  /**
   * Lets every task that is ready run once, then continues (asyncio's {@code sleep(0)}).
   *
   * @throws CancelledError if the task was cancelled
   */
  public void yieldNow() {
    if (mustCancel) {
      mustCancel = false;
      throw cancelDelivered();
    }
    hook = null;
    waiting = true;
    resume(null);
    loop.park(this);
    afterResume();
  }

  /**
   * Suspends so that {@code first} runs next and this task right after it, ahead of other ready
   * work (eager spawn).
   */
  void yieldBehind(TaskImpl<?> first) {
    hook = null;
    waiting = false;
    resumeValue = null;
    loop.readyFirst(this);
    loop.readyFirst(first);
    loop.park(this);
    afterResume();
  }

  /** Waits until {@code f} is done without retrieving its outcome and without cancelling it. */
  void waitUntilDone(FutureImpl<?> f) {
    while (!f.isDone()) {
      f.addListener(this);
      try {
        suspend(null);
      } finally {
        f.removeListener(this);
      }
    }
  }

  private Object afterResume() {
    Object v = resumeValue;
    resumeValue = null;
    if (mustCancel) {
      mustCancel = false;
      throw cancelDelivered();
    }
    if (v == WAKE_CANCELLED) {
      throw cancelDelivered();
    }
    return v;
  }

  /**
   * Makes a waiting task ready to continue with {@code value}; it runs after the work already ready
   * (FIFO). Does nothing and returns {@code false} if the task is not waiting (already resumed, or
   * cancelled and resumed by its hook), so a waker can tell whether the task took what it was
   * given.
   *
   * @param value what {@link #suspend} returns, or {@link #WAKE_CANCELLED}
   * @return whether the task was waiting and is now scheduled
   */
  public boolean resume(Object value) {
    if (!waiting) {
      return false;
    }
    waiting = false;
    hook = null;
    resumeValue = value;
    loop.ready(this);
    return true;
  }

  // ---- cancellation ----

  @Override
  public boolean cancel() {
    return cancel(null);
  }

  @Override
  public boolean cancel(String message) {
    loop.checkThread("cancel");
    return requestCancel(message);
  }

  @Override
  boolean cancelFromAwaiter(String message) {
    return requestCancel(message);
  }

  /** A CancelledError from something this task awaited reached its code (see cancelSeen). */
  void sawCancel() {
    cancelSeen = true;
  }

  /** The message of the latest cancellation request, or null. */
  String cancelMessage() {
    Rare r = rare;
    return r == null ? null : r.cancelMessage;
  }

  boolean requestCancel(String message) {
    if (state != PENDING) {
      return false;
    }
    if (cancelRequests++ == 0) {
      cancelSeen = false; // a new cancellation: whether this one reaches the task's code
    }
    Rare r = rare;
    if (message != null || (r != null && r.cancelMessage != null)) {
      // the latest request's message, none included (as asyncio's cancel(msg) sets it each time):
      // a stale reason must not label a later, unrelated cancellation
      rare = new Rare(message, r == null ? null : r.spawnSite);
    }
    loop.deliverCancel(this);
    return true;
  }

  /**
   * The second half of {@link #requestCancel}: asks the hook of a waiting task to give it up, or
   * marks the request for the next resumption. Called by {@link LoopImpl#deliverCancel}, which runs
   * these one after another (a hook may cancel what the task awaits, which has a hook of its own),
   * so a chain of thousands of tasks awaiting each other does not nest on the stack.
   */
  void deliverCancel() {
    CancelHook h = hook;
    if (waiting && h != null && h.cancelWait(this)) {
      return;
    }
    mustCancel = true;
  }

  @Override
  public int cancelling() {
    return cancelRequests;
  }

  @Override
  public int uncancel() {
    if (cancelRequests > 0) {
      cancelRequests--;
      if (cancelRequests == 0) {
        mustCancel = false;
      }
    }
    return cancelRequests;
  }

  @Override
  public String toString() {
    String s =
        switch (state) {
          case PENDING -> waiting ? "waiting" : started ? "running" : "pending";
          case RESULT -> "done";
          case FAILED -> "failed: " + value;
          default -> "cancelled";
        };
    return "Task[" + name() + ", " + s + "]";
  }
}
