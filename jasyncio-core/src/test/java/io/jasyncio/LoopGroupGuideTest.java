package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The examples of docs/loop-groups.md, compiled and run. */
class LoopGroupGuideTest {
  // tag::basic[]
  static long sumOnAllCores(int tasksPerLoop) {
    try (LoopGroup group = LoopGroup.create()) { // one loop per core
      List<CompletableFuture<Long>> parts =
          group.loops().stream()
              .map(
                  loop ->
                      loop.submit(
                          () -> {
                            long sum = 0;
                            List<Long> ones =
                                Async.gather(
                                    Collections.<Callable<Long>>nCopies(tasksPerLoop, () -> 1L));
                            for (long one : ones) {
                              sum += one;
                            }
                            return sum;
                          }))
              .toList();
      return parts.stream().mapToLong(CompletableFuture::join).sum();
    } // close(): cancels what is left, joins the loop threads
  }

  // end::basic[]

  // tag::cross-loop[]
  static String askAnotherLoop(LoopGroup group) {
    // On loop 0: hand work to loop 1 and await it without blocking loop 0.
    CompletableFuture<String> answer = group.submit(1, () -> "computed on loop 1");
    return Async.await(answer);
  }

  // end::cross-loop[]

  // tag::per-loop-state[]
  static List<String> initEveryLoop(LoopGroup group, AtomicInteger counter) {
    return group.runOnAll(() -> "worker-" + counter.getAndIncrement()).join();
  }

  // end::per-loop-state[]

  @Test
  void theBasicExampleRunsOnEveryLoop() {
    assertThat(sumOnAllCores(100)).isEqualTo(100L * Runtime.getRuntime().availableProcessors());
  }

  @Test
  void theCrossLoopExampleAwaitsWithoutBlocking() throws Exception {
    try (LoopGroup group = LoopGroup.create(2)) {
      assertThat(group.submit(0, () -> askAnotherLoop(group)).get())
          .isEqualTo("computed on loop 1");
    }
  }

  @Test
  void runOnAllReachesEachLoopOnce() {
    Set<String> names = ConcurrentHashMap.newKeySet();
    try (LoopGroup group = LoopGroup.create(2)) {
      names.addAll(initEveryLoop(group, new AtomicInteger()));
    }
    assertThat(names).containsExactlyInAnyOrder("worker-0", "worker-1");
  }
}
