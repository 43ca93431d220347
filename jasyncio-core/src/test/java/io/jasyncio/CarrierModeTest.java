package io.jasyncio;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
import org.junit.jupiter.api.Test;

class CarrierModeTest {
  private static final boolean SINGLE =
      System.getProperty("jasyncio.carriers", "shared").equals("single");

  @Test
  void theLoopUsesOneCarrierThreadExactlyWhenThatModeIsChosen() {
    try (Runner r = Runner.create()) {
      boolean single = r.run(() -> ((LoopImpl) Async.currentLoop()).isSingleCarrier());
      assertThat(single).isEqualTo(SINGLE);
    }
  }

  @Test
  void blockingWorkOffTheLoopRunsOnTheDefaultSchedulerInBothModes() {
    // A virtual thread's toString names its carrier: the loop's own thread is "jasyncio-loop-N"
    // in single mode; work started from a task must not inherit it (it would block the loop).
    try (Runner r = Runner.create()) {
      String[] seen =
          r.run(
              () ->
                  new String[] {
                    Thread.currentThread().toString(),
                    Threads.toThread(() -> Thread.currentThread().toString()),
                    Blocking.call("probe", () -> Thread.currentThread().toString())
                  });
      assertThat(seen[0].contains("jasyncio-loop-")).isEqualTo(SINGLE);
      assertThat(seen[1]).contains("jasyncio-to-thread-").contains("ForkJoinPool");
      assertThat(seen[2]).contains("jasyncio-probe").contains("ForkJoinPool");
    }
  }
}
