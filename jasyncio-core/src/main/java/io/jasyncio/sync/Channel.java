package io.jasyncio.sync;

import io.jasyncio.CancelledError;
import io.jasyncio.internal.CancelHook;
import io.jasyncio.internal.TaskImpl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * A channel between the tasks of one event loop (Kotlin's {@code Channel}, Go's channels):
 * producers {@link #send} and finally {@link #close()}; consumers {@link #receive} or iterate with
 * a plain for-each that suspends between items and ends when the channel is closed and drained.
 *
 * <pre>{@code
 * var ch = new Channel<String>(16);
 * Async.taskGroup(g -> {
 *   g.spawn(() -> { for (var line : lines) ch.send(line); ch.close(); return null; });
 *   g.spawn(() -> { for (var line : ch) process(line); return null; });
 * });
 * }</pre>
 *
 * <p>A channel with capacity {@code n > 0} buffers up to {@code n} items; capacity {@code 0} is a
 * <em>rendezvous</em> channel: {@code send} suspends until a receiver is there to take the item.
 * {@link #close(Throwable)} closes with a cause that receivers get (inside {@link
 * ChannelClosedException}) once the buffer is drained. {@link #select} receives from whichever of
 * several channels has an item first.
 *
 * <h2>Implementation and invariants</h2>
 *
 * <ul>
 *   <li>Receivers wait only while the buffer is empty; a sender finding a waiting receiver hands it
 *       the item directly.
 *   <li>Senders wait while the buffer is full (rendezvous: while no receiver waits). A receiver
 *       freeing a slot (rendezvous: starting to wait) <em>grants</em> the first waiting sender,
 *       which then sends when it runs; a granted sender that is cancelled passes the grant on. So a
 *       sender that throws {@link CancelledError} never delivered its item: no ambiguity.
 *   <li>A receiver handed an item and cancelled before it ran gives the item back: to the next
 *       waiting receiver, else to the front of the buffer (which may then hold one item more than
 *       its capacity, or one item on a rendezvous channel). No item is lost or delivered twice.
 *   <li>After {@code close}: sends throw; items already buffered are still received; then receivers
 *       throw {@link ChannelClosedException}. Senders waiting at close time did not send and throw
 *       too.
 *   <li>Senders and receivers are served first-in first-out, except that a sender arriving while a
 *       receiver waits on a buffered channel hands over at once, ahead of a granted sender that has
 *       not run yet.
 * </ul>
 *
 * <p>Items must not be null. Bound to the event loop of the first task or callback that uses it.
 *
 * @param <T> the item type
 */
public final class Channel<T> implements Iterable<T> {
  private static final Object CLOSED = new Object();

  private final LoopBinding binding = new LoopBinding("Channel");
  private final int capacity;
  private final ArrayDeque<T> buffer = new ArrayDeque<>();
  private final WaitList receivers = new WaitList();
  private final WaitList senders = new WaitList();
  private int grantedSenders;
  private boolean closed;
  private Throwable cause;

  /**
   * Creates a channel.
   *
   * @param capacity the buffer size, or {@code 0} for a rendezvous channel
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  public Channel(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative: " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * An item and the channel it came from, as returned by {@link Channel#select}.
   *
   * @param channel the channel that produced the item
   * @param value the item
   * @param <T> the item type
   */
  public record Received<T>(Channel<? extends T> channel, T value) {}

  // ---- send ----

  /**
   * Sends {@code item}, <b>suspending</b> while the buffer is full (on a rendezvous channel: until
   * a receiver takes it). Does not suspend when it can hand over or buffer the item at once.
   *
   * @param item the item
   * @throws NullPointerException if {@code item} is null
   * @throws ChannelClosedException if the channel is closed, before or while waiting; the item was
   *     not sent
   * @throws CancelledError if the task is cancelled while waiting; the item was not sent
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public void send(T item) {
    Objects.requireNonNull(item, "item");
    TaskImpl<?> me = binding.task("send");
    boolean granted = false;
    while (true) {
      if (closed) {
        throw closedForSend("send");
      }
      if (offer(item, granted)) {
        return;
      }
      Waiter w = new Waiter(me);
      if (granted) {
        senders.addFirst(w); // the grant went stale: keep our place
      } else {
        senders.add(w);
      }
      try {
        w.suspend();
      } catch (CancelledError e) {
        if (w.granted) {
          grantedSenders--;
          grantSenders();
        }
        throw e;
      }
      granted = w.granted;
      if (granted) {
        grantedSenders--;
      }
    }
  }

  /**
   * Sends {@code item} if that needs no waiting: a receiver is waiting or the buffer has room. Does
   * not suspend.
   *
   * @param item the item
   * @return whether the item was sent
   * @throws NullPointerException if {@code item} is null
   * @throws ChannelClosedException if the channel is closed
   * @throws IllegalStateException if not called on the loop's thread
   */
  public boolean trySend(T item) {
    Objects.requireNonNull(item, "item");
    binding.check("trySend");
    if (closed) {
      throw closedForSend("trySend");
    }
    return offer(item, false);
  }

  private boolean offer(T item, boolean granted) {
    if (!receivers.isEmpty()
        && (granted || capacity > 0 || receivers.size() > grantedSenders)
        && deliver(item)) {
      return true;
    }
    if (buffer.size() + grantedSenders < capacity) {
      buffer.addLast(item);
      return true;
    }
    return false;
  }

  /** Hands {@code item} to the first receiver still waiting; false if none. */
  private boolean deliver(T item) {
    Waiter w;
    while ((w = receivers.poll()) != null) {
      if (w instanceof SelectNode n ? n.deliver(this, item) : w.grant(item)) {
        return true;
      }
    }
    return false;
  }

  /** Gives back an item a cancelled receiver was handed. */
  private void redeliver(T item) {
    if (!deliver(item)) {
      buffer.addFirst(item);
    }
  }

  private void grantSenders() {
    while ((capacity > 0
            ? buffer.size() + grantedSenders < capacity
            : receivers.size() > grantedSenders)
        && senders.grantFirst(null)) {
      grantedSenders++;
    }
  }

  // ---- receive ----

  /**
   * Receives the next item, <b>suspending</b> while none is available. Does not suspend when the
   * buffer holds one.
   *
   * @return the item
   * @throws ChannelClosedException if the channel is closed and drained, before or while waiting;
   *     its cause is the one given to {@link #close(Throwable)}
   * @throws CancelledError if the task is cancelled while waiting; no item was then taken
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public T receive() {
    Object v = receive0("receive");
    if (v == CLOSED) {
      throw closedForReceive("receive");
    }
    @SuppressWarnings("unchecked")
    T item = (T) v;
    return item;
  }

  private Object receive0(String op) {
    TaskImpl<?> me = binding.task(op);
    if (!buffer.isEmpty()) {
      return takeBuffered();
    }
    if (closed) {
      return CLOSED;
    }
    Waiter w = new Waiter(me);
    receivers.add(w);
    if (capacity == 0) {
      grantSenders();
    }
    Object v;
    try {
      v = w.suspend();
    } catch (CancelledError e) {
      if (w.granted) {
        @SuppressWarnings("unchecked")
        T item = (T) w.value;
        redeliver(item);
      }
      throw e;
    }
    return v;
  }

  private T takeBuffered() {
    T item = buffer.pollFirst();
    if (!senders.isEmpty()) {
      grantSenders();
    }
    return item;
  }

  /**
   * Receives an item if one is buffered. Does not suspend. On a rendezvous channel this finds an
   * item only in the rare case a cancelled receiver gave one back; use {@link #receive()}.
   *
   * @return the item, or empty if none is buffered
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalStateException if not called on the loop's thread
   */
  public Optional<T> tryReceive() {
    binding.check("tryReceive");
    if (!buffer.isEmpty()) {
      return Optional.of(takeBuffered());
    }
    if (closed) {
      throw closedForReceive("tryReceive");
    }
    return Optional.empty();
  }

  /**
   * Iterates the items as they arrive: {@code hasNext()} <b>suspends</b> until an item is there
   * (returning {@code true}) or the channel is closed and drained ({@code false}). Must be used
   * from a task of the channel's loop. Several consumers may iterate the same channel; each item
   * goes to one of them.
   *
   * @return a one-pass iterator
   * @throws ChannelClosedException from {@code hasNext()} if the channel was closed with a cause
   * @throws CancelledError from {@code hasNext()} if the task is cancelled while waiting
   */
  @Override
  public Iterator<T> iterator() {
    return new Iterator<>() {
      private Object next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = receive0("iterator");
        }
        if (next == CLOSED) {
          if (cause != null) {
            throw closedForReceive("iterator");
          }
          return false;
        }
        return true;
      }

      @Override
      @SuppressWarnings("unchecked")
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException("the channel is closed");
        }
        Object v = next;
        next = null;
        return (T) v;
      }
    };
  }

  // ---- close ----

  /**
   * Closes the channel: later sends throw {@link ChannelClosedException}; buffered items can still
   * be received; then receivers (and iterations) end. Senders waiting now did not send their item
   * and throw {@link ChannelClosedException}. Does not suspend.
   *
   * @return {@code true} if this call closed it, {@code false} if it was already closed
   * @throws IllegalStateException if not called on the loop's thread
   */
  public boolean close() {
    return close0(null);
  }

  /**
   * Closes the channel with a failure: as {@link #close()}, but once the buffer is drained
   * receivers get a {@link ChannelClosedException} whose cause is {@code cause}, and iterations end
   * with it instead of ending normally.
   *
   * @param cause why the producer stopped
   * @return {@code true} if this call closed it, {@code false} if it was already closed
   * @throws NullPointerException if {@code cause} is null
   * @throws IllegalStateException if not called on the loop's thread
   */
  public boolean close(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    return close0(cause);
  }

  private boolean close0(Throwable why) {
    binding.check("close");
    if (closed) {
      return false;
    }
    closed = true;
    cause = why;
    senders.wakeAll(null); // not granted: the senders see `closed` and throw
    Waiter w;
    while ((w = receivers.poll()) != null) {
      if (w instanceof SelectNode n) {
        if (n.selection.allClosed()) {
          n.wake(CLOSED);
        }
      } else {
        w.wake(CLOSED);
      }
    }
    return true;
  }

  private ChannelClosedException closedForSend(String op) {
    return new ChannelClosedException("Channel." + op + ": the channel is closed", cause);
  }

  private ChannelClosedException closedForReceive(String op) {
    return new ChannelClosedException(
        "Channel." + op + ": the channel is closed and drained", cause);
  }

  // ---- select ----

  /**
   * Receives one item from whichever of {@code channels} has one first (Kotlin's {@code select}
   * with {@code onReceive} clauses), <b>suspending</b> until one does. If several have an item now,
   * the first in argument order wins. Channels closed and drained are skipped.
   *
   * @param channels one or more channels of the current loop
   * @param <T> the common item type
   * @return the item and the channel it came from
   * @throws IllegalArgumentException if {@code channels} is empty
   * @throws NullPointerException if {@code channels} or one of them is null
   * @throws ChannelClosedException when every channel is closed and drained, with the cause of the
   *     first one that has a cause
   * @throws CancelledError if the task is cancelled while waiting; no item was then taken
   * @throws IllegalStateException if not called from a task, or a channel belongs to another loop
   */
  @SafeVarargs
  public static <T> Received<T> select(Channel<? extends T>... channels) {
    Objects.requireNonNull(channels, "channels");
    return select(List.of(channels));
  }

  /**
   * {@link #select(Channel[])} over a list.
   *
   * @param channels one or more channels of the current loop
   * @param <T> the common item type
   * @return the item and the channel it came from
   */
  public static <T> Received<T> select(List<? extends Channel<? extends T>> channels) {
    Objects.requireNonNull(channels, "channels");
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("channels must not be empty");
    }
    TaskImpl<?> me = null;
    for (Channel<? extends T> ch : channels) {
      Objects.requireNonNull(ch, "channels must not contain null");
      me = ch.binding.task("select");
    }
    for (Channel<? extends T> ch : channels) {
      if (!ch.buffer.isEmpty()) {
        return received(ch, ch.takeBuffered());
      }
    }
    Selection sel = new Selection(me, channels);
    if (sel.allClosed()) {
      throw sel.closedException();
    }
    for (Channel<? extends T> ch : channels) {
      if (!ch.closed) {
        SelectNode n = new SelectNode(me, sel);
        sel.nodes.add(n);
        ch.receivers.add(n);
        if (ch.capacity == 0) {
          ch.grantSenders();
        }
      }
    }
    Object v;
    try {
      v = me.suspend(sel);
    } catch (CancelledError e) {
      sel.unlinkAll();
      if (sel.winner != null) {
        sel.winner.giveBack(sel.winnerItem);
      }
      throw e;
    }
    sel.unlinkAll();
    if (v == CLOSED) {
      throw sel.closedException();
    }
    @SuppressWarnings("unchecked")
    Received<T> r = (Received<T>) v;
    return r;
  }

  @SuppressWarnings("unchecked")
  private static <T> Received<T> received(Channel<? extends T> ch, Object item) {
    return new Received<>(ch, (T) item);
  }

  @SuppressWarnings("unchecked")
  private void giveBack(Object item) {
    redeliver((T) item);
  }

  /** One select call: its task's hook, and its nodes, one per open channel. */
  private static final class Selection implements CancelHook {
    final TaskImpl<?> task;
    final List<? extends Channel<?>> channels;
    final List<SelectNode> nodes = new ArrayList<>();
    Channel<?> winner;
    Object winnerItem;

    Selection(TaskImpl<?> task, List<? extends Channel<?>> channels) {
      this.task = task;
      this.channels = channels;
    }

    boolean allClosed() {
      for (Channel<?> ch : channels) {
        if (!ch.isClosedForReceive()) {
          return false;
        }
      }
      return true;
    }

    ChannelClosedException closedException() {
      Throwable c = null;
      for (Channel<?> ch : channels) {
        if (ch.cause != null) {
          c = ch.cause;
          break;
        }
      }
      return new ChannelClosedException("Channel.select: every channel is closed and drained", c);
    }

    void unlinkAll() {
      for (SelectNode n : nodes) {
        if (n.list != null) {
          n.list.remove(n);
        }
      }
    }

    @Override
    public boolean cancelWait(TaskImpl<?> t) {
      unlinkAll();
      return t.resume(TaskImpl.WAKE_CANCELLED);
    }
  }

  /** A select call's place in one channel's receiver list. */
  private static final class SelectNode extends Waiter {
    final Selection selection;

    SelectNode(TaskImpl<?> task, Selection selection) {
      super(task);
      this.selection = selection;
    }

    boolean deliver(Channel<?> from, Object item) {
      if (!wake(new Received<>(from, item))) {
        return false;
      }
      selection.winner = from;
      selection.winnerItem = item;
      return true;
    }
  }

  // ---- state ----

  /**
   * The buffer size given at creation; {@code 0} for a rendezvous channel.
   *
   * @return the capacity
   */
  public int capacity() {
    return capacity;
  }

  /**
   * The number of items buffered now.
   *
   * @return zero or more
   */
  public int size() {
    return buffer.size();
  }

  /**
   * Whether {@link #close()} was called: sends throw.
   *
   * @return {@code true} once closed
   */
  public boolean isClosedForSend() {
    return closed;
  }

  /**
   * Whether the channel is closed and drained: receives throw, iterations end.
   *
   * @return {@code true} once closed and empty
   */
  public boolean isClosedForReceive() {
    return closed && buffer.isEmpty();
  }

  @Override
  public String toString() {
    return "Channel[capacity="
        + capacity
        + ", size="
        + buffer.size()
        + ", senders="
        + senders.size()
        + ", receivers="
        + receivers.size()
        + (closed ? ", closed" : "")
        + "]";
  }
}
