package io.jasyncio.benchmarks;

import io.jasyncio.Async;
import io.jasyncio.Promise;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Task switch through the loop: a task wakes another and suspends (issue 2's "at most 400 ns per
 * hop"). Two tasks pass a baton through promises; one hop is one task handing control to the other.
 * Baselines: two plain virtual threads passing a baton with park/unpark (the floor of any design on
 * the default scheduler), and two tasks yielding to each other.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class SwitchBench {
  static final int HOPS = 100_000;

  Runner runner;

  @Setup(Level.Trial)
  public void setUp() {
    runner = Runner.create();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    runner.close();
  }

  /** jasyncio: two tasks alternate, each completing a promise the other awaits. */
  @Benchmark
  @OperationsPerInvocation(HOPS)
  public int jasyncioPromisePingPong() {
    return runner.run(
        () -> {
          @SuppressWarnings("unchecked")
          Promise<Integer>[] toB = new Promise[] {Async.promise()};
          @SuppressWarnings("unchecked")
          Promise<Integer>[] toA = new Promise[] {Async.promise()};
          Task<Integer> b =
              Async.spawn(
                  () -> {
                    int last = 0;
                    for (int i = 0; i < HOPS / 2; i++) {
                      last = toB[0].await();
                      toB[0] = Async.promise();
                      toA[0].complete(last + 1);
                    }
                    return last;
                  });
          int v = 0;
          for (int i = 0; i < HOPS / 2; i++) {
            Promise<Integer> reply = toA[0];
            toB[0].complete(v);
            v = reply.await();
            toA[0] = Async.promise();
          }
          return b.await() + v;
        });
  }

  /** jasyncio: two tasks alternate with yieldNow (sleep(0)). */
  @Benchmark
  @OperationsPerInvocation(HOPS)
  public int jasyncioYield() {
    return runner.run(
        () -> {
          Task<Void> other =
              Async.spawn(
                  () -> {
                    for (int i = 0; i < HOPS / 2; i++) {
                      Async.yieldNow();
                    }
                  });
          for (int i = 0; i < HOPS / 2; i++) {
            Async.yieldNow();
          }
          other.await();
          return 0;
        });
  }

  static volatile Thread baton;

  /** Baseline: two virtual threads passing a baton with park/unpark. */
  @Benchmark
  @OperationsPerInvocation(HOPS)
  public int virtualThreadBaton() throws InterruptedException {
    Thread[] t = new Thread[2];
    for (int k = 0; k < 2; k++) {
      int me = k;
      t[k] =
          Thread.ofVirtual()
              .unstarted(
                  () -> {
                    for (int i = 0; i < HOPS / 2; i++) {
                      while (baton != t[me]) {
                        LockSupport.park();
                      }
                      baton = t[1 - me];
                      LockSupport.unpark(t[1 - me]);
                    }
                  });
    }
    baton = t[0];
    t[0].start();
    t[1].start();
    t[0].join();
    t[1].join();
    return 0;
  }
}
