package io.jasyncio.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.VirtualTime;
import io.jasyncio.sync.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * A pipeline whose source waits (a channel with no item yet) still handles finished items, failures
 * and cancellation at once, not when the next item arrives. On virtual time: every assertion on
 * time is exact.
 */
class PipelineWaitingSourceTest {
  static <T> T onVirtualTime(Callable<T> main) {
    return VirtualTime.run(main);
  }

  static Duration now() {
    return VirtualTime.now();
  }

  static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  /** A producer task: sends 0 at once, 1 at ten seconds, then closes {@code ch}. */
  static Task<Void> sendZeroThenOneAtTen(Channel<Integer> ch) {
    return Async.spawn(
        () -> {
          ch.send(0);
          Async.sleep(s(10));
          ch.send(1);
          ch.close();
        });
  }

  @Test
  void aFailureIsThrownWhenItHappensNotWhenTheNextItemArrives() {
    IllegalStateException boom = new IllegalStateException("item 0 failed");
    onVirtualTime(
        () -> {
          Channel<Integer> ch = new Channel<>(0);
          Task<Void> producer = sendZeroThenOneAtTen(ch);
          assertThatThrownBy(
                  () ->
                      Pipeline.map(
                          ch,
                          4,
                          i -> {
                            Async.sleep(s(1));
                            if (i == 0) {
                              throw boom;
                            }
                            return i;
                          }))
              .isSameAs(boom);
          assertThat(now()).isEqualTo(s(1)); // not s(10)
          // The pipeline neither closed the channel nor took the item it was waiting for.
          assertThat(ch.receive()).isEqualTo(1);
          assertThat(now()).isEqualTo(s(10));
          producer.await();
          return null;
        });
  }

  @Test
  void aResultReachesTheSinkBeforeTheNextItemArrives() {
    List<String> sunk = new ArrayList<>();
    onVirtualTime(
        () -> {
          Channel<Integer> ch = new Channel<>(0);
          Task<Void> producer = sendZeroThenOneAtTen(ch);
          Pipeline.mapUnordered(
              ch,
              4,
              i -> {
                Async.sleep(s(1));
                return i;
              },
              r -> sunk.add(r + " at " + now().toSeconds() + "s"));
          assertThat(now()).isEqualTo(s(11));
          producer.await();
          return null;
        });
    assertThat(sunk).containsExactly("0 at 1s", "1 at 11s"); // 0 was sunk at 10s before
  }

  @Test
  void cancellingTheCallerWhileTheSourceWaitsLeavesNoTaskBehind() {
    List<String> events = new ArrayList<>();
    onVirtualTime(
        () -> {
          Channel<Integer> ch = new Channel<>(4);
          ch.send(0);
          ch.send(1);
          Task<Void> caller =
              Async.spawn(
                  () ->
                      Pipeline.mapUnordered(
                          ch,
                          4,
                          i -> {
                            try {
                              Async.sleep(i == 0 ? s(1) : Duration.ofHours(1));
                              return i;
                            } catch (CancelledError e) {
                              events.add("item " + i + " cancelled at " + now().toSeconds() + "s");
                              throw e;
                            }
                          },
                          r -> events.add("sunk " + r + " at " + now().toSeconds() + "s")));
          Async.sleep(s(5));
          // main, the caller, its feeder (waiting on the empty channel) and item 1
          assertThat(Async.allTasks()).hasSize(4).contains(caller);
          caller.cancel();
          assertThatThrownBy(caller::await).isInstanceOf(CancelledError.class);
          assertThat(Async.allTasks()).containsExactly(Async.currentTask());
          // The channel is still open and the cancelled feeder took nothing from it.
          ch.send(2);
          assertThat(ch.receive()).isEqualTo(2);
          return null;
        });
    assertThat(events).containsExactly("sunk 0 at 1s", "item 1 cancelled at 5s");
  }
}
