package io.jasyncio.sync;

import io.jasyncio.CancelledError;
import io.jasyncio.internal.TaskImpl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * A queue between the tasks of one event loop, first-in first-out, last-in first-out or by
 * priority, bounded or not (asyncio's {@code Queue}, {@code LifoQueue} and {@code PriorityQueue}).
 * Named apart from {@link java.util.Queue}, which users import beside it.
 *
 * <table>
 *   <caption>Operations</caption>
 *   <tr><th></th><th>suspends while full/empty</th><th>throws when full/empty</th>
 *       <th>returns when full/empty</th></tr>
 *   <tr><td>insert</td><td>{@link #put}</td><td>{@link #putNow} ({@link QueueFullException})</td>
 *       <td>{@link #tryPut} ({@code false})</td></tr>
 *   <tr><td>remove</td><td>{@link #get}</td><td>{@link #getNow} ({@link QueueEmptyException})</td>
 *       <td>{@link #tryGet} ({@code Optional.empty()})</td></tr>
 * </table>
 *
 * <p>{@link #taskDone()} and {@link #join()} count unfinished items as in asyncio; {@link
 * #shutdown()} and {@link #shutdownNow()} are asyncio 3.13's {@code shutdown()} and {@code
 * shutdown(immediate=True)}.
 *
 * <h2>Implementation and invariants</h2>
 *
 * Items live in the store; a waiting getter is woken with a <em>reservation</em> of one stored item
 * ({@code reservedItems}) and a waiting putter with a reservation of one free slot ({@code
 * reservedSlots}). The woken task takes what was reserved when it runs. So:
 *
 * <ul>
 *   <li>{@code qsize() <= maxsize} when bounded; {@code reservedItems <= qsize()}.
 *   <li>Getters wait only while every stored item is reserved; putters only while every slot is
 *       taken or reserved. Waiters are woken first-in first-out and later callers cannot barge past
 *       a woken one.
 *   <li>A task cancelled while waiting reserves nothing. One woken and cancelled before it ran
 *       passes its reservation to the next waiter. No item is lost or delivered twice.
 *   <li>As in asyncio, an item stays counted in {@code qsize()} until the getter it was reserved
 *       for runs; a LIFO or priority getter takes the top item at the time it runs.
 *   <li>{@code shutdownNow} drains the store and voids every item reservation. Nothing can be put
 *       after a shutdown, so the store stays empty, while a live reservation always has its item in
 *       the store ({@code reservedItems <= qsize()}): a granted getter that finds the store empty
 *       knows its reservation was voided, and gets {@link QueueShutDownException}.
 * </ul>
 *
 * <p>Items must not be null. Bound to the event loop of the first task or callback that uses it.
 *
 * @param <T> the item type
 */
public final class AsyncQueue<T> {
  private final LoopBinding binding = new LoopBinding("AsyncQueue");
  private final Store<T> store;
  private final int maxsize;
  private final String kind;
  private final WaitList getters = new WaitList();
  private final WaitList putters = new WaitList();
  private final WaitList joiners = new WaitList();
  private int reservedItems;
  private int reservedSlots;
  private int unfinished;
  private boolean shutdown;

  private AsyncQueue(Store<T> store, int maxsize, String kind) {
    this.store = store;
    this.maxsize = Math.max(0, maxsize);
    this.kind = kind;
  }

  /**
   * An unbounded first-in first-out queue.
   *
   * @param <T> the item type
   * @return a new queue
   */
  public static <T> AsyncQueue<T> fifo() {
    return fifo(0);
  }

  /**
   * A first-in first-out queue (asyncio's {@code Queue(maxsize)}).
   *
   * @param maxsize the most items it holds; zero or negative for no bound
   * @param <T> the item type
   * @return a new queue
   */
  public static <T> AsyncQueue<T> fifo(int maxsize) {
    return new AsyncQueue<>(new Fifo<>(), maxsize, "fifo");
  }

  /**
   * A last-in first-out queue (asyncio's {@code LifoQueue(maxsize)}).
   *
   * @param maxsize the most items it holds; zero or negative for no bound
   * @param <T> the item type
   * @return a new queue
   */
  public static <T> AsyncQueue<T> lifo(int maxsize) {
    return new AsyncQueue<>(new Lifo<>(), maxsize, "lifo");
  }

  /**
   * A priority queue of {@link Comparable} items, smallest first (asyncio's {@code
   * PriorityQueue(maxsize)}); equal items come out in insertion order.
   *
   * @param maxsize the most items it holds; zero or negative for no bound
   * @param <T> the item type
   * @return a new queue
   */
  public static <T extends Comparable<? super T>> AsyncQueue<T> priority(int maxsize) {
    return new AsyncQueue<>(new Prio<T>(null), maxsize, "priority");
  }

  /**
   * A priority queue ordered by {@code order}, smallest first; equal items come out in insertion
   * order.
   *
   * @param maxsize the most items it holds; zero or negative for no bound
   * @param order the order
   * @param <T> the item type
   * @return a new queue
   * @throws NullPointerException if {@code order} is null
   */
  public static <T> AsyncQueue<T> priority(int maxsize, Comparator<? super T> order) {
    Objects.requireNonNull(order, "order");
    return new AsyncQueue<>(new Prio<T>(order), maxsize, "priority");
  }

  // ---- put ----

  /**
   * Adds {@code item}, <b>suspending</b> while the queue is full. Does not suspend when there is
   * room.
   *
   * @param item the item
   * @throws NullPointerException if {@code item} is null
   * @throws QueueShutDownException if the queue is shut down, before or while waiting
   * @throws CancelledError if the task is cancelled while waiting; the item was then not added
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public void put(T item) {
    Objects.requireNonNull(item, "item");
    TaskImpl<?> me = binding.task("put");
    if (shutdown) {
      throw shutDown("put");
    }
    if (!isFull()) {
      add(item);
      return;
    }
    Waiter w = new Waiter(me);
    putters.add(w);
    try {
      w.suspend();
    } catch (CancelledError e) {
      if (w.granted) {
        reservedSlots--;
        wakePutters();
      }
      throw e;
    }
    if (w.granted) {
      reservedSlots--;
    }
    if (shutdown) {
      throw shutDown("put");
    }
    add(item);
  }

  /**
   * Adds {@code item} if there is room. Does not suspend.
   *
   * @param item the item
   * @throws NullPointerException if {@code item} is null
   * @throws QueueFullException if the queue is full
   * @throws QueueShutDownException if the queue is shut down
   * @throws IllegalStateException if not called on the loop's thread
   */
  public void putNow(T item) {
    if (!tryPut(item)) {
      throw new QueueFullException(
          "AsyncQueue.putNow: the queue is full (maxsize " + maxsize + ")");
    }
  }

  /**
   * Adds {@code item} if there is room. Does not suspend.
   *
   * @param item the item
   * @return {@code true} if added, {@code false} if the queue is full
   * @throws NullPointerException if {@code item} is null
   * @throws QueueShutDownException if the queue is shut down
   * @throws IllegalStateException if not called on the loop's thread
   */
  public boolean tryPut(T item) {
    Objects.requireNonNull(item, "item");
    binding.check("tryPut");
    if (shutdown) {
      throw shutDown("tryPut");
    }
    if (isFull()) {
      return false;
    }
    add(item);
    return true;
  }

  private void add(T item) {
    store.add(item);
    unfinished++;
    if (!getters.isEmpty()) {
      wakeGetters();
    }
  }

  // ---- get ----

  /**
   * Removes and returns the next item, <b>suspending</b> while the queue is empty. Does not suspend
   * when an item is available.
   *
   * @return the item
   * @throws QueueShutDownException if the queue is shut down and empty, before or while waiting
   * @throws CancelledError if the task is cancelled while waiting; no item was then taken
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public T get() {
    TaskImpl<?> me = binding.task("get");
    if (store.size() > reservedItems) {
      return take();
    }
    if (shutdown) {
      throw shutDown("get");
    }
    Waiter w = new Waiter(me);
    getters.add(w);
    try {
      w.suspend();
    } catch (CancelledError e) {
      if (w.granted && !isEmpty()) {
        reservedItems--;
        wakeGetters();
      }
      throw e;
    }
    if (w.granted && !isEmpty()) {
      reservedItems--;
      return take();
    }
    throw shutDown("get");
  }

  /**
   * Removes and returns the next item if there is one. Does not suspend.
   *
   * @return the item
   * @throws QueueEmptyException if the queue is empty
   * @throws QueueShutDownException if the queue is shut down and empty
   * @throws IllegalStateException if not called on the loop's thread
   */
  public T getNow() {
    return tryGet()
        .orElseThrow(() -> new QueueEmptyException("AsyncQueue.getNow: the queue is empty"));
  }

  /**
   * Removes and returns the next item if there is one. Does not suspend.
   *
   * @return the item, or empty if the queue is empty
   * @throws QueueShutDownException if the queue is shut down and empty
   * @throws IllegalStateException if not called on the loop's thread
   */
  public Optional<T> tryGet() {
    binding.check("tryGet");
    if (store.size() > reservedItems) {
      return Optional.of(take());
    }
    if (shutdown) {
      throw shutDown("tryGet");
    }
    return Optional.empty();
  }

  private T take() {
    T item = store.poll();
    if (!putters.isEmpty()) {
      wakePutters();
    }
    return item;
  }

  private void wakeGetters() {
    while (store.size() > reservedItems && getters.grantFirst(null)) {
      reservedItems++;
    }
  }

  private void wakePutters() {
    while ((maxsize == 0 || store.size() + reservedSlots < maxsize) && putters.grantFirst(null)) {
      reservedSlots++;
    }
  }

  // ---- task accounting ----

  /**
   * Marks one item taken earlier as processed; when every item put has been marked, tasks in {@link
   * #join()} continue. Does not suspend.
   *
   * @throws IllegalStateException if called more times than items were put, or not on the loop's
   *     thread
   */
  public void taskDone() {
    binding.check("taskDone");
    if (unfinished <= 0) {
      throw new IllegalStateException("AsyncQueue.taskDone: called more times than items were put");
    }
    if (--unfinished == 0) {
      wakeJoiners();
    }
  }

  /**
   * <b>Suspends</b> until every item put has been marked with {@link #taskDone()}; returns at once
   * if none is unfinished.
   *
   * @throws CancelledError if the task is cancelled while waiting
   * @throws IllegalStateException if not called from a task, or from a task of another loop
   */
  public void join() {
    TaskImpl<?> me = binding.task("join");
    if (unfinished == 0) {
      return;
    }
    Waiter w = new Waiter(me);
    joiners.add(w);
    w.suspend();
  }

  private void wakeJoiners() {
    joiners.wakeAll(null);
  }

  // ---- shutdown ----

  /**
   * Shuts the queue down gracefully (asyncio 3.13 {@code shutdown()}): later puts throw {@link
   * QueueShutDownException}, items already in the queue can still be taken, and gets on the empty
   * queue throw {@link QueueShutDownException}. Tasks waiting in {@code put} or {@code get} are
   * woken with that exception. Does not suspend; idempotent.
   *
   * @throws IllegalStateException if not called on the loop's thread
   */
  public void shutdown() {
    binding.check("shutdown");
    shutdown = true;
    getters.wakeAll(null); // granted stays false: the waiters recheck the shutdown flag
    putters.wakeAll(null);
  }

  /**
   * Shuts the queue down and discards its items (asyncio 3.13 {@code shutdown(immediate=True)}): as
   * {@link #shutdown()}, and the unfinished count drops by the number of items discarded, which
   * releases {@link #join()} when it reaches zero. Getters woken but not yet run get {@link
   * QueueShutDownException}. Does not suspend.
   *
   * @return the discarded items, in the order they would have been taken
   * @throws IllegalStateException if not called on the loop's thread
   */
  public List<T> shutdownNow() {
    binding.check("shutdownNow");
    shutdown = true;
    List<T> drained = new ArrayList<>(store.size());
    T item;
    while ((item = store.poll()) != null) {
      drained.add(item);
    }
    reservedItems = 0;
    unfinished -= Math.min(unfinished, drained.size());
    if (unfinished == 0) {
      wakeJoiners();
    }
    getters.wakeAll(null); // granted stays false: the waiters recheck the shutdown flag
    putters.wakeAll(null);
    return drained;
  }

  private QueueShutDownException shutDown(String op) {
    return new QueueShutDownException(
        "AsyncQueue." + op + ": the queue is shut down" + (op.endsWith("et") ? " and empty" : ""));
  }

  // ---- state ----

  /**
   * The number of items in the queue (including ones already promised to a woken getter).
   *
   * @return zero or more
   */
  public int size() {
    return store.size();
  }

  /**
   * The bound given at creation, or zero if unbounded.
   *
   * @return the bound
   */
  public int maxsize() {
    return maxsize;
  }

  /**
   * Whether the queue holds no item.
   *
   * @return {@code true} if empty
   */
  public boolean isEmpty() {
    return store.size() == 0;
  }

  /**
   * Whether a {@link #put} would suspend now: the queue is bounded and every slot is taken or
   * promised to a woken putter.
   *
   * @return {@code true} if full
   */
  public boolean isFull() {
    return maxsize > 0 && store.size() + reservedSlots >= maxsize;
  }

  /**
   * Whether {@link #shutdown()} or {@link #shutdownNow()} was called.
   *
   * @return {@code true} if shut down
   */
  public boolean isShutDown() {
    return shutdown;
  }

  /**
   * The number of items put and not yet marked with {@link #taskDone()}.
   *
   * @return zero or more
   */
  public int unfinished() {
    return unfinished;
  }

  @Override
  public String toString() {
    return "AsyncQueue["
        + kind
        + ", size="
        + store.size()
        + (maxsize > 0 ? "/" + maxsize : "")
        + ", getters="
        + getters.size()
        + ", putters="
        + putters.size()
        + (shutdown ? ", shut down" : "")
        + "]";
  }

  // ---- stores ----

  private interface Store<T> {
    void add(T item);

    /** The next item, or null if empty. */
    T poll();

    int size();
  }

  private static class Fifo<T> implements Store<T> {
    final ArrayDeque<T> items = new ArrayDeque<>();

    @Override
    public final void add(T item) {
      items.addLast(item);
    }

    @Override
    public T poll() {
      return items.pollFirst();
    }

    @Override
    public final int size() {
      return items.size();
    }
  }

  /** A {@link Fifo} that takes from the end it adds to. */
  private static final class Lifo<T> extends Fifo<T> {
    @Override
    public T poll() {
      return items.pollLast();
    }
  }

  /** A heap made stable by an insertion sequence number. */
  private static final class Prio<T> implements Store<T> {
    private record Entry<T>(T item, long seq) {}

    private final PriorityQueue<Entry<T>> heap;
    private long seq;

    @SuppressWarnings("unchecked")
    Prio(Comparator<? super T> order) {
      Comparator<? super T> o =
          order != null ? order : (a, b) -> ((Comparable<Object>) a).compareTo(b);
      Comparator<Entry<T>> byItem = (a, b) -> o.compare(a.item(), b.item());
      heap = new PriorityQueue<>(byItem.thenComparingLong(Entry::seq));
    }

    @Override
    public void add(T item) {
      heap.add(new Entry<>(item, seq++));
    }

    @Override
    public T poll() {
      Entry<T> e = heap.poll();
      return e == null ? null : e.item();
    }

    @Override
    public int size() {
      return heap.size();
    }
  }
}
