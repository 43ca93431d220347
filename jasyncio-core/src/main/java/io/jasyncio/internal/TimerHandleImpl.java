package io.jasyncio.internal;

import io.jasyncio.TimerHandle;

/**
 * A callback due at a deadline on the loop's clock. Kept in {@link TimerHeap}, ordered by
 * deadline and then by scheduling order ({@link #seq}), which is the loop's tie rule.
 */
public non-sealed class TimerHandleImpl extends HandleImpl implements TimerHandle {
  final long when;
  final long seq;
  /** Position in the heap, or -1 when not in it (fired, cancelled or never added). */
  int heapIndex = -1;

  TimerHandleImpl(LoopImpl loop, long when, long seq, Runnable callback, ContextMap context) {
    super(loop, callback, context);
    this.when = when;
    this.seq = seq;
  }

  @Override
  public long when() {
    return when;
  }

  @Override
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      loop.removeTimer(this);
    }
  }

  @Override
  public String toString() {
    return "TimerHandle[when=" + when + ", " + callback + (cancelled ? ", cancelled" : "") + "]";
  }
}
