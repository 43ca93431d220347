package io.jasyncio.benchmarks;

import io.jasyncio.Async;
import io.jasyncio.Task;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap bytes per sleeping task, jasyncio against one plain virtual thread per sleeper, in the same
 * JVM after warm-up: live heap after a GC while N tasks sleep, minus the live heap before, / N.
 * (The peer harness reports peak RSS instead, which also counts garbage and the JIT's state.)
 *
 * <p>Run: {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar
 * io.jasyncio.benchmarks.SleeperMemory [N]}
 */
public final class SleeperMemory {
  private SleeperMemory() {}

  static long liveHeap() throws InterruptedException {
    System.gc();
    Thread.sleep(100);
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double jasyncio(int n) {
    return Async.run(
        () -> {
          long before = liveHeap();
          List<Task<Void>> tasks = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            tasks.add(Async.spawn(() -> Async.sleep(Duration.ofSeconds(3))));
          }
          Async.sleep(Duration.ofMillis(1500));
          double perTask = (liveHeap() - before) / (double) n;
          for (Task<Void> t : tasks) {
            t.await();
          }
          return perTask;
        });
  }

  static double virtualThreads(int n) throws InterruptedException {
    long before = liveHeap();
    List<Thread> threads = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(3000);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    Thread.sleep(1500);
    double perTask = (liveHeap() - before) / (double) n;
    for (Thread t : threads) {
      t.join();
    }
    return perTask;
  }

  /**
   * Prints both figures after two warm-up rounds.
   *
   * @param args optional task count (default 100,000)
   * @throws InterruptedException if interrupted
   */
  public static void main(String[] args) throws InterruptedException {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    for (int warm = 0; warm < 2; warm++) {
      jasyncio(n / 10);
      virtualThreads(n / 10);
    }
    System.out.printf("jasyncio: %.0f heap bytes per sleeping task%n", jasyncio(n));
    System.out.printf("virtual threads: %.0f heap bytes per sleeping thread%n", virtualThreads(n));
  }
}
