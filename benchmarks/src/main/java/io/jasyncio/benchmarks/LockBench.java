package io.jasyncio.benchmarks;

import io.jasyncio.Async;
import io.jasyncio.sync.Lock;
import io.jasyncio.sync.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lock and semaphore round trips (acquire + release), ns per round trip.
 *
 * <ul>
 *   <li><b>uncontended</b>: one task acquires and releases in a loop; no suspension. Baseline: a
 *       {@link ReentrantLock} lock/unlock on one virtual thread.
 *   <li><b>contended</b>: two tasks each acquire, yield once while holding it (so the other is
 *       waiting), and release: every release hands the lock to the other task, one task switch per
 *       round trip. Baseline: the same with a fair {@link ReentrantLock} and two virtual threads
 *       calling {@link Thread#yield()} while holding it.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LockBench {
  static final int N = 100_000;

  @Benchmark
  @OperationsPerInvocation(N)
  public int lockUncontended() {
    return Async.run(
        () -> {
          var lock = new Lock();
          int n = 0;
          for (int i = 0; i < N; i++) {
            lock.acquire();
            n++;
            lock.release();
          }
          return n;
        });
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public int semaphoreUncontended() {
    return Async.run(
        () -> {
          var sem = new Semaphore(1);
          int n = 0;
          for (int i = 0; i < N; i++) {
            sem.acquire();
            n++;
            sem.release();
          }
          return n;
        });
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public int lockContended() {
    return Async.run(
        () -> {
          var lock = new Lock();
          int[] n = new int[1];
          Async.taskGroup(
              g -> {
                for (int t = 0; t < 2; t++) {
                  g.spawn(
                      () -> {
                        for (int i = 0; i < N / 2; i++) {
                          lock.acquire();
                          n[0]++;
                          Async.yieldNow();
                          lock.release();
                        }
                      });
                }
              });
          return n[0];
        });
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public int semaphoreContended() {
    return Async.run(
        () -> {
          var sem = new Semaphore(1);
          int[] n = new int[1];
          Async.taskGroup(
              g -> {
                for (int t = 0; t < 2; t++) {
                  g.spawn(
                      () -> {
                        for (int i = 0; i < N / 2; i++) {
                          sem.acquire();
                          n[0]++;
                          Async.yieldNow();
                          sem.release();
                        }
                      });
                }
              });
          return n[0];
        });
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public int baselineReentrantLockUncontended() throws InterruptedException {
    var lock = new ReentrantLock();
    int[] n = new int[1];
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < N; i++) {
                    lock.lock();
                    n[0]++;
                    lock.unlock();
                  }
                });
    t.join();
    return n[0];
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public int baselineReentrantLockContended() throws InterruptedException {
    var lock = new ReentrantLock(true);
    int[] n = new int[1];
    Runnable body =
        () -> {
          for (int i = 0; i < N / 2; i++) {
            lock.lock();
            try {
              n[0]++;
              Thread.yield();
            } finally {
              lock.unlock();
            }
          }
        };
    Thread a = Thread.ofVirtual().start(body);
    Thread b = Thread.ofVirtual().start(body);
    a.join();
    b.join();
    return n[0];
  }
}
