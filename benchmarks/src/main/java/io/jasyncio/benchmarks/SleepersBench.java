package io.jasyncio.benchmarks;

import io.jasyncio.Async;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W3 (BENCHMARKS.md): 100,000 tasks each sleep 1.0 s concurrently. The score is the wall time of
 * one run (spawn, sleep, wake, await all); the W3 figure is the score minus 1 s. Bytes per sleeping
 * task come from the peer harness (peak RSS), which JMH cannot measure; the {@code -prof gc}
 * profiler gives allocated bytes per run as a proxy. Baseline: one plain virtual thread per
 * sleeper.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class SleepersBench {
  @Param({"100000"})
  public int tasks;

  /** jasyncio: spawn, sleep 1 s each, await all, on a fresh loop. */
  @Benchmark
  public int jasyncio() {
    try (Runner runner = Runner.create()) {
      return runner.run(
          () -> {
            List<Task<Void>> ts = new ArrayList<>(tasks);
            for (int i = 0; i < tasks; i++) {
              ts.add(Async.spawn(() -> Async.sleep(Duration.ofSeconds(1))));
            }
            for (Task<Void> t : ts) {
              t.await();
            }
            return ts.size();
          });
    }
  }

  /** Baseline: one virtual thread per sleeper. */
  @Benchmark
  public int virtualThreads() throws InterruptedException {
    List<Thread> ts = new ArrayList<>(tasks);
    for (int i = 0; i < tasks; i++) {
      ts.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(1000);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    for (Thread t : ts) {
      t.join();
    }
    return ts.size();
  }
}
