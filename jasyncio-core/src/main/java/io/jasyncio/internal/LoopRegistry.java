package io.jasyncio.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The loops of this JVM, in two views: every loop created and not closed (weakly held, for
 * introspection tools), and the loops that have started running (an array scanned on every "which
 * loop runs this thread?" question).
 *
 * <p>That question is answered without per-thread state: a thread runs loop code exactly when it
 * holds that loop's baton ({@link LoopImpl#owner}), which matters because every suspended task
 * keeps its carrier thread alive (a ThreadLocal cost about 1 KB per sleeping task). The owner field
 * of a loop equals a given thread only while that thread holds the baton (it set the field itself
 * or received it with the baton), so a stale read elsewhere never gives a false match.
 */
public final class LoopRegistry {
  private static final Set<LoopImpl> LOOPS =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  /** Started and not closed; replaced, never mutated. */
  private static volatile LoopImpl[] running = new LoopImpl[0];

  private LoopRegistry() {}

  static void register(LoopImpl loop) {
    LOOPS.add(loop);
    // Debug mode, flight recorder events, and the TaskTree MBean (registered with the first loop).
    io.jasyncio.internal.debug.DebugSupport.loopCreated(loop);
  }

  /** A loop starts running (also loops tools do not list, such as the priming loop). */
  static synchronized void started(LoopImpl loop) {
    LoopImpl[] now = running;
    LoopImpl[] next = Arrays.copyOf(now, now.length + 1);
    next[now.length] = loop;
    running = next;
  }

  /** A loop closed or crashed: it leaves both views. */
  static synchronized void closed(LoopImpl loop) {
    running = Arrays.stream(running).filter(l -> l != loop).toArray(LoopImpl[]::new);
    LOOPS.remove(loop);
  }

  /** How many loops are running. */
  static int runningCount() {
    return running.length;
  }

  /**
   * The loop whose baton {@code thread} holds, or null. No shared "last found" cache: with several
   * loops on several cores, writing one would bounce its cache line between the cores on every call
   * (measured: it erased a loop group's gain).
   */
  static LoopImpl runningOn(Thread thread) {
    for (LoopImpl l : running) {
      if (l.owner.thread == thread) {
        return l;
      }
    }
    return null;
  }

  /** A snapshot of the open loops, in no particular order. */
  public static List<LoopImpl> loops() {
    synchronized (LOOPS) {
      return new ArrayList<>(LOOPS);
    }
  }
}
