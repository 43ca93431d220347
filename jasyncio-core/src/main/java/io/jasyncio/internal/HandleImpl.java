package io.jasyncio.internal;

import io.jasyncio.Handle;

/** A callback scheduled on a loop; {@link TimerHandleImpl} adds a deadline. */
public non-sealed class HandleImpl implements Handle {
  final LoopImpl loop;
  final Runnable callback;
  /** The context the callback runs in (a {@link ContextMap}); captured when scheduled. */
  final ContextMap context;

  boolean cancelled;

  HandleImpl(LoopImpl loop, Runnable callback, ContextMap context) {
    this.loop = loop;
    this.callback = callback;
    this.context = context;
  }

  @Override
  public void cancel() {
    cancelled = true;
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  /** Runs the callback on the loop; the loop skips cancelled handles before calling this. */
  void fire() {
    callback.run();
  }

  @Override
  public String toString() {
    return "Handle[" + callback + (cancelled ? ", cancelled" : "") + "]";
  }
}
