package io.jasyncio.benchmarks;

import io.jasyncio.Async;
import io.jasyncio.LoopGroup;
import io.jasyncio.Task;
import io.jasyncio.Threads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W1 (spawn 100,000 trivial tasks, await all) on one loop versus spread over a {@link LoopGroup} of
 * one loop per core; scores are nanoseconds per task. The target on the 2-core project machine is
 * all-loops at least 1.6x one loop's throughput. Also the cost of a {@code toThread} round trip on
 * the default (virtual-thread) executor and on a platform pool.
 *
 * <p>Run: {@code bin/jasyncio jmh -f1 -wi 2 -i 3 LoopGroup}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LoopGroupBench {
  static final int TASKS = 100_000;

  LoopGroup one;
  LoopGroup all;
  ExecutorService platformPool;

  @Setup(Level.Trial)
  public void setUp() {
    one = LoopGroup.create(1);
    all = LoopGroup.create();
    platformPool = Executors.newFixedThreadPool(4);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    one.close();
    all.close();
    platformPool.shutdownNow();
  }

  /** Spawns {@code n} tasks returning their index and awaits them all; returns the sum. */
  static long spawnAndAwait(int n) {
    List<Task<Integer>> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int v = i;
      tasks.add(Async.spawn(() -> v));
    }
    long sum = 0;
    for (Task<Integer> t : tasks) {
      sum += t.await();
    }
    return sum;
  }

  static long w1(LoopGroup group) {
    int n = group.size();
    List<CompletableFuture<Long>> parts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int share = TASKS / n + (i < TASKS % n ? 1 : 0);
      parts.add(group.submit(i, () -> spawnAndAwait(share)));
    }
    long sum = 0;
    for (CompletableFuture<Long> f : parts) {
      sum += f.join();
    }
    return sum;
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public long w1OneLoop() {
    return w1(one);
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public long w1AllLoops() {
    return w1(all);
  }

  /** Baseline: the harness's W1 shape, a fresh loop per run. */
  @Benchmark
  @OperationsPerInvocation(TASKS)
  public long w1AsyncRun() {
    return Async.run(() -> spawnAndAwait(TASKS));
  }

  @Benchmark
  public int toThreadVirtual() throws Exception {
    return one.submit(0, () -> Threads.toThread(() -> 1)).get();
  }

  @Benchmark
  public int toThreadPlatformPool() throws Exception {
    return one.submit(0, () -> Threads.toThread(platformPool, () -> 1)).get();
  }

  /** Baseline for the two above: the submit round trip alone. */
  @Benchmark
  public int submitRoundTrip() throws Exception {
    return one.submit(0, () -> 1).get();
  }
}
