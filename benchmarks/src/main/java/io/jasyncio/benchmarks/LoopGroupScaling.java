package io.jasyncio.benchmarks;

import io.jasyncio.LoopGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * W1 on one loop against W1 on a group of one loop per core, alternated in one JVM: each round runs
 * a slice of W1 on a one-loop group, then a slice on the full group, and the ratio of the two is
 * that round's scaling. The project machine drifts between fast and slow states over minutes (see
 * benchmarks/harness/notes.md), which JMH's one-benchmark-after-the-other forks turn into noise in
 * the ratio; alternating slices of a second keeps both sides of each ratio in the same state.
 * Prints the medians (ns per task) and the ratio's median and range; run it in several JVMs.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.jasyncio.benchmarks.LoopGroupScaling
 * [rounds]}
 */
public final class LoopGroupScaling {
  private LoopGroupScaling() {}

  /** One slice: every loop of {@code g} does W1 rounds of 50,000 tasks for about {@code nanos}. */
  static double nanosPerTask(LoopGroup g, long nanos) {
    int per = 50_000;
    List<CompletableFuture<Long>> parts = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < g.size(); i++) {
      parts.add(
          g.submit(
              i,
              () -> {
                long tasks = 0;
                while (System.nanoTime() - t0 < nanos) {
                  LoopGroupBench.spawnAndAwait(per);
                  tasks += per;
                }
                return tasks;
              }));
    }
    long total = 0;
    for (CompletableFuture<Long> f : parts) {
      total += f.join();
    }
    return (System.nanoTime() - t0) / (double) total;
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1: " + rounds);
    }
    try (LoopGroup one = LoopGroup.create(1);
        LoopGroup all = LoopGroup.create()) {
      for (int w = 0; w < 3; w++) { // warm-up
        nanosPerTask(one, 500_000_000L);
        nanosPerTask(all, 500_000_000L);
      }
      double[] o = new double[rounds];
      double[] a = new double[rounds];
      double[] r = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        o[i] = nanosPerTask(one, 700_000_000L);
        a[i] = nanosPerTask(all, 700_000_000L);
        r[i] = o[i] / a[i];
      }
      Arrays.sort(o);
      Arrays.sort(a);
      Arrays.sort(r);
      System.out.printf(
          "W1 one loop %.1f ns/task, %d loops %.1f ns/task: %.2fx (rounds %.2f-%.2f, %d rounds)%n",
          o[rounds / 2], all.size(), a[rounds / 2], r[rounds / 2], r[0], r[rounds - 1], rounds);
    }
  }
}
