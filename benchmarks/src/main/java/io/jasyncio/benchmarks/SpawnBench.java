package io.jasyncio.benchmarks;

import io.jasyncio.Async;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * W1 (BENCHMARKS.md): create 100,000 tasks that each return an int at once, await all. Reported per
 * task. Baseline: the same with one plain virtual thread per task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class SpawnBench {
  static final int N = 100_000;

  Runner runner;

  @Setup(Level.Trial)
  public void setUp() {
    runner = Runner.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runner.close();
  }

  /** jasyncio: spawn N tasks on one loop, await each. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long jasyncioSpawnAwait() {
    return runner.run(
        () -> {
          List<Task<Integer>> tasks = new ArrayList<>(N);
          for (int i = 0; i < N; i++) {
            int k = i;
            tasks.add(Async.spawn(() -> k));
          }
          long sum = 0;
          for (Task<Integer> t : tasks) {
            sum += t.await();
          }
          return sum;
        });
  }

  /** jasyncio: the same through gather. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long jasyncioGather() {
    return runner.run(
        () -> {
          List<java.util.concurrent.Callable<Integer>> bodies = new ArrayList<>(N);
          for (int i = 0; i < N; i++) {
            int k = i;
            bodies.add(() -> k);
          }
          long sum = 0;
          for (int v : Async.gather(bodies)) {
            sum += v;
          }
          return sum;
        });
  }

  /** Baseline: one virtual thread per task. */
  @Benchmark
  @OperationsPerInvocation(N)
  public long virtualThreads() throws Exception {
    try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> fs = new ArrayList<>(N);
      for (int i = 0; i < N; i++) {
        int k = i;
        fs.add(ex.submit(() -> k));
      }
      long sum = 0;
      for (Future<Integer> f : fs) {
        sum += f.get();
      }
      return sum;
    }
  }
}
