package io.jasyncio.benchmarks;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.sync.AsyncQueue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W2 (BENCHMARKS.md): two tasks ping-pong 200,000 round trips through two 1-slot queues; the figure
 * is ns per one-way hop (two hops per round trip). {@link #virtualThreads} is the JDK baseline: two
 * virtual threads and two {@code ArrayBlockingQueue(1)}, default scheduler.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class PingPongBench {
  static final int ROUND_TRIPS = 200_000;

  /** jasyncio: two tasks on one loop, two {@code AsyncQueue.fifo(1)}. */
  @Benchmark
  @OperationsPerInvocation(2 * ROUND_TRIPS)
  public int jasyncioQueues() {
    return Async.run(
        () -> {
          AsyncQueue<Integer> ping = AsyncQueue.fifo(1);
          AsyncQueue<Integer> pong = AsyncQueue.fifo(1);
          Task<Void> echo =
              Async.spawn(
                  () -> {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                      pong.put(ping.get());
                    }
                  });
          int sum = 0;
          for (int i = 0; i < ROUND_TRIPS; i++) {
            ping.put(i);
            sum += pong.get();
          }
          echo.await();
          return sum;
        });
  }

  /** Baseline: two virtual threads, two {@code ArrayBlockingQueue(1)}. */
  @Benchmark
  @OperationsPerInvocation(2 * ROUND_TRIPS)
  public int virtualThreads() throws InterruptedException {
    var ping = new ArrayBlockingQueue<Integer>(1);
    var pong = new ArrayBlockingQueue<Integer>(1);
    int[] sum = new int[1];
    Thread echo =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                      pong.put(ping.take());
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Thread main =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                      ping.put(i);
                      sum[0] += pong.take();
                    }
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    main.join();
    echo.join();
    return sum[0];
  }
}
