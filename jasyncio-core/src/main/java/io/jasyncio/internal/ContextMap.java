package io.jasyncio.internal;

import java.util.Arrays;

/**
 * An immutable map from context variables to values: the context a task or callback runs in.
 *
 * <p>Spawning a task shares the spawner's map (a copy in asyncio's terms, free because the map
 * never changes); setting a variable replaces the current task's map with a new one. Keys are
 * compared by identity. Contexts hold few variables, so a flat array beats a hash trie here.
 */
public final class ContextMap {
  /** The context with no variable set. */
  public static final ContextMap EMPTY = new ContextMap(new Object[0]);

  /** Alternating key, value. */
  private final Object[] entries;

  private ContextMap(Object[] entries) {
    this.entries = entries;
  }

  /** Returns the value bound to {@code key}, or {@code absent} when it has none. */
  public Object get(Object key, Object absent) {
    Object[] e = entries;
    for (int i = 0; i < e.length; i += 2) {
      if (e[i] == key) {
        return e[i + 1];
      }
    }
    return absent;
  }

  /** Returns a map equal to this one but with {@code key} bound to {@code value}. */
  public ContextMap with(Object key, Object value) {
    Object[] e = entries;
    for (int i = 0; i < e.length; i += 2) {
      if (e[i] == key) {
        Object[] copy = e.clone();
        copy[i + 1] = value;
        return new ContextMap(copy);
      }
    }
    Object[] copy = Arrays.copyOf(e, e.length + 2);
    copy[e.length] = key;
    copy[e.length + 1] = value;
    return new ContextMap(copy);
  }

  /** Returns a map equal to this one but without {@code key}. */
  public ContextMap without(Object key) {
    Object[] e = entries;
    for (int i = 0; i < e.length; i += 2) {
      if (e[i] == key) {
        if (e.length == 2) {
          return EMPTY;
        }
        Object[] copy = new Object[e.length - 2];
        System.arraycopy(e, 0, copy, 0, i);
        System.arraycopy(e, i + 2, copy, i, e.length - i - 2);
        return new ContextMap(copy);
      }
    }
    return this;
  }

  // ---- the context of threads that run no loop ----

  /** The mutable context slot of a plain thread; its identity tells contexts apart. */
  public static final class ThreadContext {
    /** The thread's current context. */
    public ContextMap map;

    /** A slot holding {@code map}. */
    public ThreadContext(ContextMap map) {
      this.map = map;
    }
  }

  private static final ThreadLocal<ThreadContext> THREAD = new ThreadLocal<>();

  /** The calling thread's slot (created on first use); only for threads that run no loop. */
  public static ThreadContext threadContext() {
    ThreadContext tc = THREAD.get();
    if (tc == null) {
      tc = new ThreadContext(EMPTY);
      THREAD.set(tc);
    }
    return tc;
  }

  /** Installs {@code tc} as the calling thread's slot and returns the previous one (or null). */
  public static ThreadContext installThreadContext(ThreadContext tc) {
    ThreadContext prev = THREAD.get();
    if (tc == null) {
      THREAD.remove();
    } else {
      THREAD.set(tc);
    }
    return prev;
  }

  /**
   * The context of the calling code: the running task's or callback's on a loop's thread, else the
   * thread's own.
   */
  public static ContextMap ofCallingThread() {
    LoopImpl loop = LoopImpl.currentOrNull();
    if (loop != null) {
      return loop.currentContext();
    }
    ThreadContext tc = THREAD.get();
    return tc == null ? EMPTY : tc.map;
  }

  /** Number of variables bound. */
  public int size() {
    return entries.length / 2;
  }
}
