package io.jasyncio.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Two guards, run once per JVM before the first loop runs, against the JIT invalidating compiled
 * code that many suspended tasks' frames are frozen in. Each frozen frame of invalidated code is
 * deoptimized on its own when its task resumes, at roughly 10-20 microseconds apiece: with 100,000
 * sleeping tasks that turned a 0.2 s wake-up into several seconds (W3, BENCHMARKS.md).
 *
 * <ul>
 *   <li><b>Timed-park classes.</b> The JDK serves a virtual thread's timed park with a class of its
 *       own (a ForkJoinTask subclass in JDK 25). Loading it invalidates compiled code that assumed
 *       it did not exist, the scheduler's hand-off paths among it. A loop's first idle wait is such
 *       a park, so without this guard it could come after 100,000 tasks had gone to sleep (found
 *       with {@code -Xlog:dependencies}: "Marked for deoptimization, dependee =
 *       DelayScheduler$ScheduledForkJoinTask"). One timed park first costs well under 1 ms.
 *   <li><b>Profiles.</b> If the JIT compiles {@link LoopImpl#park} and {@link LoopImpl.Carrier#run}
 *       before any task has ever resumed, it treats the resume paths as never taken and plants
 *       traps there (JFR counted 66,000 "unstable_if" deoptimizations per 100,000-sleeper round). A
 *       throwaway loop of 1,024 tasks that sleep and yield teaches the profiles first. It runs on a
 *       background daemon thread (about 100 ms of CPU, about 10 ms added to the first run) on a
 *       loop tools do not list; {@code -Djasyncio.prime=false} turns it off.
 * </ul>
 */
final class JitGuards {
  private JitGuards() {}

  private static final AtomicBoolean TIMED_PARK_LOADED = new AtomicBoolean();
  private static final AtomicBoolean PRIMED =
      new AtomicBoolean(!Boolean.parseBoolean(System.getProperty("jasyncio.prime", "true")));

  /** Called by a loop before it first runs; does its work once per JVM. */
  static void beforeFirstRun() {
    if (!TIMED_PARK_LOADED.get() && TIMED_PARK_LOADED.compareAndSet(false, true)) {
      Thread t = Thread.ofVirtual().start(() -> LockSupport.parkNanos(1_000));
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!PRIMED.get() && PRIMED.compareAndSet(false, true)) {
      Thread.ofPlatform().daemon(true).name("jasyncio-prime").start(JitGuards::prime);
    }
  }

  private static void prime() {
    LoopImpl loop = LoopImpl.unlisted();
    try {
      loop.runUntilComplete(
          () -> {
            List<TaskImpl<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 1024; i++) {
              tasks.add(
                  loop.spawn(
                      null,
                      () -> {
                        for (int k = 0; k < 8; k++) {
                          if ((k & 1) == 0) {
                            LoopImpl.sleep(1);
                          } else {
                            LoopImpl.currentTask("prime").yieldNow();
                          }
                        }
                        return null;
                      },
                      false));
            }
            for (TaskImpl<Object> t : tasks) {
              t.await();
            }
            return null;
          });
    } finally {
      loop.close();
    }
  }
}
