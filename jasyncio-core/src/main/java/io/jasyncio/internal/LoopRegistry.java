package io.jasyncio.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/** The loops alive in this JVM, weakly held, for introspection tools. */
public final class LoopRegistry {
  private static final Set<LoopImpl> LOOPS =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private LoopRegistry() {}

  static void register(LoopImpl loop) {
    LOOPS.add(loop);
    // Debug mode, flight recorder events, and the TaskTree MBean (registered with the first loop).
    io.jasyncio.internal.debug.DebugSupport.loopCreated(loop);
  }

  static void unregister(LoopImpl loop) {
    LOOPS.remove(loop);
  }

  /** A snapshot of the open loops, in no particular order. */
  public static List<LoopImpl> loops() {
    synchronized (LOOPS) {
      return new ArrayList<>(LOOPS);
    }
  }
}
