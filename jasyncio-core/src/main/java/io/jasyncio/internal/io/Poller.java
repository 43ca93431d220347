package io.jasyncio.internal.io;

import io.jasyncio.ExceptionContext;
import io.jasyncio.internal.LoopImpl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * One event loop's I/O readiness source: a {@link Selector} polled by the loop itself, as asyncio's
 * selector event loop does. A non-blocking poll runs on the baton holder; a blocking one runs on
 * the loop's {@link SelectThread} while the holder parks (see there why).
 *
 * <h2>How the loop uses it</h2>
 *
 * {@link LoopImpl} creates it lazily ({@link LoopImpl#poller()}) when the first channel registers.
 * At every batch boundary the loop calls {@link #poll(long) poll(0)} (a non-blocking {@code
 * selectNow}); when it would idle it calls {@code poll(timeout)} instead of its clock's idle wait,
 * and {@link LoopImpl#wakeup()} calls {@link #wakeup()}. {@code poll} turns readiness into
 * resumptions: each ready key's {@link IoHandle} resumes the task waiting on it (at the tail of the
 * ready queue, so readiness is FIFO like any other wake-up) or runs its writable callback.
 *
 * <h2>Interest is dropped lazily</h2>
 *
 * A task that found its channel empty sets the interest and suspends; when the channel becomes
 * ready the interest stays set. Only when the selector reports readiness that nobody waits for is
 * the interest removed. A request/response connection therefore changes its epoll registration
 * once, not twice per round trip.
 *
 * <p>Everything here runs on the loop's baton holder except {@link #wakeup()} and {@link
 * #wakeupEndsWait()} (any thread) and {@link #close()} (the closing thread, once the carriers have
 * ended).
 */
public final class Poller {
  private final LoopImpl loop;
  private final Selector selector;
  private volatile SelectThread selectThread; // read by wakers on other threads
  private int registered;
  private boolean cancelledKeys;
  private boolean dispatching;
  private boolean closed;

  /**
   * Opens the selector.
   *
   * @param loop the owning loop
   * @throws UncheckedIOException if the selector cannot be opened
   */
  public Poller(LoopImpl loop) {
    this.loop = loop;
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the event loop's selector", e);
    }
  }

  /** The loop that owns this poller and every channel registered with it. */
  public LoopImpl loop() {
    return loop;
  }

  /** The poller of the current task's loop, created on first use. */
  public static Poller current(String what) {
    LoopImpl.currentTask(what);
    LoopImpl loop = LoopImpl.currentOrNull();
    if (loop == null) {
      throw new IllegalStateException(what + " must be called from a task");
    }
    return loop.poller();
  }

  /** Whether any channel is registered (the loop then polls instead of parking). */
  public boolean active() {
    return registered > 0 || cancelledKeys;
  }

  /**
   * Registers a non-blocking channel with no interest yet.
   *
   * @throws IOException if the channel is closed or cannot be registered
   */
  public IoHandle register(SelectableChannel ch) throws IOException {
    if (closed) {
      throw new IllegalStateException("the event loop is closed");
    }
    IoHandle h = new IoHandle(this, ch);
    h.key = ch.register(selector, 0, h);
    registered++;
    return h;
  }

  void deregistered() {
    registered--;
    // A closed channel's descriptor is released at the selector's next select: make sure one runs.
    cancelledKeys = true;
  }

  /**
   * Releases at once what closed channels still hold. The JDK closes a registered channel's
   * descriptor only when the selector deregisters its cancelled key, at the next select: until then
   * a closed UDP endpoint keeps its port and a closed server keeps listening, so binding the same
   * address right after {@code close()} would fail with "Address already in use" (asyncio closes
   * the socket at once). A non-blocking select with a no-op action deregisters the key and leaves
   * readiness alone: the selector is level-triggered, so what it reported now it reports again at
   * the loop's next poll. Skipped while {@link #poll} dispatches (a select would change the
   * selected-key set it iterates) and after {@link #close()}; the next poll releases it then.
   */
  void releaseClosed() {
    if (closed || dispatching) {
      return;
    }
    try {
      selector.selectNow(k -> {});
      cancelledKeys = false;
    } catch (IOException | ClosedSelectorException e) {
      // released at the next poll, which reports a failing selector
    }
  }

  void setInterest(SelectionKey key, int ops) {
    key.interestOps(ops);
  }

  /**
   * Selects and dispatches readiness.
   *
   * @param timeoutNanos 0 for a non-blocking poll, a positive wait, or negative to wait until woken
   */
  public void poll(long timeoutNanos) {
    int n;
    cancelledKeys = false;
    try {
      if (timeoutNanos == 0) {
        n = selector.selectNow(); // every batch boundary: nothing else on this path
      } else {
        long ms = timeoutNanos < 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
        if (selectThread == null) {
          selectThread = new SelectThread(selector, "jasyncio-select-" + loop.id());
        }
        n = selectThread.select(ms);
      }
    } catch (IOException | ClosedSelectorException e) {
      loop.callExceptionHandler(new ExceptionContext("selector failed", e, null));
      return;
    }
    if (n == 0) {
      return;
    }
    var keys = selector.selectedKeys();
    dispatching = true;
    try {
      for (SelectionKey k : keys) {
        IoHandle h = (IoHandle) k.attachment();
        int ops;
        try {
          ops = k.readyOps();
        } catch (java.nio.channels.CancelledKeyException e) {
          continue;
        }
        h.ready(ops);
      }
    } finally {
      dispatching = false;
    }
    keys.clear();
  }

  /** Makes a blocking {@link #poll} return. Thread-safe. */
  public void wakeup() {
    selector.wakeup();
  }

  /**
   * Whether the loop waits in a blocking {@link #poll} now (or is about to), so that {@link
   * #wakeup()} alone ends the wait: the select thread then unparks the waiting carrier itself.
   * Thread-safe.
   */
  public boolean wakeupEndsWait() {
    SelectThread t = selectThread;
    return t != null && t.isSelecting();
  }

  /** Closes every channel still registered, then the selector (loop close). */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (selectThread != null) {
      selectThread.stop();
    }
    List<SelectionKey> keys;
    try {
      keys = new ArrayList<>(selector.keys());
    } catch (ClosedSelectorException e) {
      return;
    }
    for (SelectionKey k : keys) {
      if (k.attachment() instanceof IoHandle h) {
        h.closeChannel();
      }
    }
    Closeables.closeQuietly(selector);
  }
}
