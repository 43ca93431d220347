package io.jasyncio.sync;

/**
 * A FIFO of {@link Waiter}s with O(1) removal from the middle (a cancelled waiter unlinks itself).
 * Loop-confined, like everything in this package.
 */
final class WaitList {
  private Waiter head;
  private Waiter tail;
  private int size;

  void add(Waiter w) {
    w.list = this;
    w.prev = tail;
    w.next = null;
    if (tail == null) {
      head = w;
    } else {
      tail.next = w;
    }
    tail = w;
    size++;
  }

  /** Puts {@code w} first (a woken waiter that must wait again keeps its place). */
  void addFirst(Waiter w) {
    w.list = this;
    w.prev = null;
    w.next = head;
    if (head == null) {
      tail = w;
    } else {
      head.prev = w;
    }
    head = w;
    size++;
  }

  /** Removes and returns the first waiter, or null. */
  Waiter poll() {
    Waiter w = head;
    if (w != null) {
      remove(w);
    }
    return w;
  }

  Waiter peek() {
    return head;
  }

  /** Unlinks {@code w}; does nothing if it is not in this list. */
  void remove(Waiter w) {
    if (w.list != this) {
      return;
    }
    if (w.prev == null) {
      head = w.next;
    } else {
      w.prev.next = w.next;
    }
    if (w.next == null) {
      tail = w.prev;
    } else {
      w.next.prev = w.prev;
    }
    w.prev = null;
    w.next = null;
    w.list = null;
    size--;
  }

  /**
   * Grants {@code v} to the first waiter that still waits, dropping those that do not.
   *
   * @return false if the list ran out first
   */
  boolean grantFirst(Object v) {
    Waiter w;
    while ((w = poll()) != null) {
      if (w.grant(v)) {
        return true;
      }
    }
    return false;
  }

  /** Wakes every waiter with {@code v}, granting nothing, and empties the list. */
  void wakeAll(Object v) {
    Waiter w;
    while ((w = poll()) != null) {
      w.wake(v);
    }
  }

  boolean isEmpty() {
    return head == null;
  }

  int size() {
    return size;
  }
}
