package io.jasyncio.internal;

import java.util.Arrays;

/**
 * A binary min-heap of timers ordered by (deadline, sequence number). Removal of a cancelled timer
 * is O(log n) through the index each timer keeps, so cancelled timers never pile up (asyncio
 * instead removes them lazily and rebuilds its heap now and then).
 *
 * <p>Only the thread holding the loop's baton touches it.
 */
final class TimerHeap {
  private TimerHandleImpl[] heap = new TimerHandleImpl[64];
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  TimerHandleImpl peek() {
    return heap[0];
  }

  void add(TimerHandleImpl t) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    t.heapIndex = size;
    heap[size++] = t;
    siftUp(t.heapIndex);
  }

  TimerHandleImpl poll() {
    TimerHandleImpl top = heap[0];
    removeAt(0);
    return top;
  }

  void remove(TimerHandleImpl t) {
    int i = t.heapIndex;
    if (i >= 0 && i < size && heap[i] == t) {
      removeAt(i);
    }
  }

  private void removeAt(int i) {
    TimerHandleImpl removed = heap[i];
    removed.heapIndex = -1;
    int last = --size;
    if (i != last) {
      TimerHandleImpl moved = heap[last];
      heap[i] = moved;
      moved.heapIndex = i;
      heap[last] = null;
      siftDown(i);
      if (heap[i] == moved) {
        siftUp(i);
      }
    } else {
      heap[last] = null;
    }
  }

  private static boolean less(TimerHandleImpl a, TimerHandleImpl b) {
    return a.when < b.when || (a.when == b.when && a.seq < b.seq);
  }

  private void siftUp(int i) {
    TimerHandleImpl t = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      TimerHandleImpl p = heap[parent];
      if (!less(t, p)) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = t;
    t.heapIndex = i;
  }

  private void siftDown(int i) {
    TimerHandleImpl t = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      TimerHandleImpl c = heap[child];
      int right = child + 1;
      if (right < size && less(heap[right], c)) {
        child = right;
        c = heap[child];
      }
      if (!less(c, t)) {
        break;
      }
      heap[i] = c;
      c.heapIndex = i;
      i = child;
    }
    heap[i] = t;
    t.heapIndex = i;
  }
}
