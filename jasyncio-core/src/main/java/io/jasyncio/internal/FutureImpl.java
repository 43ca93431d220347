package io.jasyncio.internal;

import io.jasyncio.AsyncException;
import io.jasyncio.Awaitable;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The state machine shared by tasks and promises.
 *
 * <pre>
 *            complete / setResult
 *   PENDING ------------------------> RESULT
 *      |  \---- fail / setException --> FAILED
 *      \------- cancel / setCancelled -> CANCELLED
 * </pre>
 *
 * Invariants: the state leaves PENDING once and never changes again; every listener registered
 * while PENDING is notified exactly once, in registration order, by scheduling it on the loop
 * (waiting tasks are resumed, callbacks become loop callbacks); listeners added after completion
 * are scheduled at once. Only the loop's thread touches these fields, except in {@link
 * #toCompletableFuture()}, which goes through the loop.
 */
public abstract sealed class FutureImpl<T> implements Awaitable<T>, CancelHook
    permits TaskImpl, PromiseImpl {
  static final int PENDING = 0;
  static final int RESULT = 1;
  static final int FAILED = 2;
  static final int CANCELLED = 3;

  final LoopImpl loop;
  int state;

  /** The result, the failure, or the {@link CancelledError} that ended it. */
  Object value;

  /** null, one listener, or an {@code ArrayList} of them; a listener is a TaskImpl or Consumer. */
  private Object listeners;

  /** Set once the failure was observed (await, result, exception). */
  boolean retrieved;

  FutureImpl(LoopImpl loop) {
    this.loop = loop;
  }

  @Override
  public final EventLoop loop() {
    return loop;
  }

  @Override
  public final boolean isDone() {
    return state != PENDING;
  }

  @Override
  public final boolean isCancelled() {
    return state == CANCELLED;
  }

  /** A short description for messages: "task 'x'" or "promise". */
  abstract String describe();

  // ---- completion ----

  final void finish(int newState, Object newValue) {
    state = newState;
    value = newValue;
    Object l = listeners;
    listeners = null;
    if (l != null) {
      if (l instanceof ArrayList<?> list) {
        for (Object o : list) {
          notifyListener(o);
        }
      } else {
        notifyListener(l);
      }
    }
    if (newState == FAILED) {
      loop.trackFailure(this);
    }
  }

  @SuppressWarnings("unchecked")
  private void notifyListener(Object o) {
    if (o instanceof TaskImpl<?> waiter) {
      waiter.resume(null);
    } else {
      Consumer<Object> c = (Consumer<Object>) o;
      loop.callSoonInternal(() -> c.accept(this));
    }
  }

  final void addListener(Object o) {
    Object l = listeners;
    if (l == null) {
      listeners = o;
    } else if (l instanceof ArrayList<?>) {
      @SuppressWarnings("unchecked")
      ArrayList<Object> list = (ArrayList<Object>) l;
      list.add(o);
    } else {
      ArrayList<Object> list = new ArrayList<>(4);
      list.add(l);
      list.add(o);
      listeners = list;
    }
  }

  final int removeListener(Object o) {
    Object l = listeners;
    if (l == null) {
      return 0;
    }
    if (l instanceof ArrayList<?> list) {
      int before = list.size();
      list.removeIf(x -> x == o);
      return before - list.size();
    }
    if (l == o) {
      listeners = null;
      return 1;
    }
    return 0;
  }

  // ---- observing ----

  @Override
  public T await() {
    TaskImpl<?> me = loop.currentTaskFor("await");
    if (state == PENDING) {
      if (me == this) {
        throw new IllegalStateException(describe() + " cannot await itself");
      }
      addListener(me);
      try {
        me.suspend(this);
      } catch (Throwable t) {
        removeListener(me);
        throw t;
      }
    }
    try {
      return resultNow();
    } catch (CancelledError e) {
      me.sawCancel();
      throw e;
    }
  }

  /** Await's cancel hook: cancelling the awaiter cancels what it awaits (asyncio semantics). */
  @Override
  public boolean cancelWait(TaskImpl<?> waiter) {
    return cancelFromAwaiter(waiter.cancelMessage());
  }

  /**
   * Cancels this future for a task that awaits it and is being cancelled; {@code message} is that
   * task's cancellation message (or null), passed on as asyncio's {@code Task.cancel(msg)} does.
   */
  abstract boolean cancelFromAwaiter(String message);

  /** Returns the result or throws; requires done. */
  @SuppressWarnings("unchecked")
  final T resultNow() {
    switch (state) {
      case RESULT:
        return (T) value;
      case FAILED:
        markRetrieved();
        throw AsyncException.rethrow((Throwable) value);
      case CANCELLED:
        throw new CancelledError(describe() + " was cancelled", (Throwable) value);
      default:
        throw new IllegalStateException(describe() + " is not done yet");
    }
  }

  final void markRetrieved() {
    if (!retrieved) {
      retrieved = true;
      loop.failureRetrieved(this);
    }
  }

  @Override
  public T result() {
    loop.checkThread("result");
    return resultNow();
  }

  @Override
  public Throwable exception() {
    loop.checkThread("exception");
    switch (state) {
      case RESULT:
        return null;
      case FAILED:
        markRetrieved();
        return (Throwable) value;
      case CANCELLED:
        throw new CancelledError(describe() + " was cancelled", (Throwable) value);
      default:
        throw new IllegalStateException(describe() + " is not done yet");
    }
  }

  @Override
  public void addDoneCallback(Consumer<? super Awaitable<T>> callback) {
    Objects.requireNonNull(callback, "callback");
    loop.checkThread("addDoneCallback");
    if (state == PENDING) {
      addListener(callback);
    } else {
      notifyListener(callback);
    }
  }

  @Override
  public int removeDoneCallback(Consumer<? super Awaitable<T>> callback) {
    Objects.requireNonNull(callback, "callback");
    loop.checkThread("removeDoneCallback");
    return removeListener(callback);
  }

  @Override
  @SuppressWarnings("unchecked")
  public CompletableFuture<T> toCompletableFuture() {
    CompletableFuture<T> cf = new CompletableFuture<>();
    Runnable link =
        () -> {
          Consumer<Object> c =
              x -> {
                switch (state) {
                  case RESULT -> cf.complete((T) value);
                  case FAILED -> {
                    markRetrieved();
                    cf.completeExceptionally((Throwable) value);
                  }
                  default -> cf.cancel(false);
                }
              };
          if (state == PENDING) {
            addListener(c);
          } else {
            c.accept(this);
          }
        };
    if (loop.inLoopThread()) {
      link.run();
    } else {
      loop.callSoonThreadsafe(link);
    }
    return cf;
  }
}
