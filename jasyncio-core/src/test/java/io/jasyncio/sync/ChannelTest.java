package io.jasyncio.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Async;
import io.jasyncio.Runner;
import io.jasyncio.Task;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelTest {
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 4})
  void aForEachLoopReceivesEveryItemInOrderAndEndsAtClose(int capacity) {
    List<String> log =
        Async.run(
            () -> {
              var got = new ArrayList<String>();
              var ch = new Channel<String>(capacity);
              Async.taskGroup(
                  g -> {
                    g.spawn(
                        () -> {
                          for (String s : List.of("a", "b", "c")) {
                            ch.send(s);
                          }
                          ch.close();
                        });
                    g.spawn(
                        () -> {
                          for (String s : ch) {
                            got.add(s);
                          }
                          got.add("end");
                        });
                  });
              return got;
            });
    assertThat(log).containsExactly("a", "b", "c", "end");
  }

  @Test
  void aRendezvousSendSuspendsUntilAReceiverTakesTheItem() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var ch = new Channel<String>(0);
              trace.add("trySend=" + ch.trySend("x"));
              Task<?> sender =
                  Async.spawn(
                      () -> {
                        ch.send("a");
                        trace.add("sent a");
                      });
              Async.yieldNow();
              Async.yieldNow();
              trace.add("sender done=" + sender.isDone());
              trace.add("received " + ch.receive());
              sender.await();
              return trace;
            });
    // receive() wakes the sender, which hands "a" over and continues before the receiver runs
    assertThat(log).containsExactly("trySend=false", "sender done=false", "sent a", "received a");
  }

  @Test
  void aBufferedSendSuspendsOnlyWhenTheBufferIsFull() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var ch = new Channel<Integer>(2);
              ch.send(1);
              trace.add("trySend=" + ch.trySend(2) + ", trySend=" + ch.trySend(3));
              trace.add("tryReceive=" + ch.tryReceive() + ", size=" + ch.size());
              return trace;
            });
    assertThat(log)
        .containsExactly("trySend=true, trySend=false", "tryReceive=Optional[1], size=1");
  }

  @Test
  void closingWithACauseHandsItToReceiversAfterTheBufferIsDrained() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var ch = new Channel<String>(2);
              ch.send("a");
              var cause = new IllegalStateException("producer failed");
              ch.close(cause);
              assertThatThrownBy(() -> ch.send("b"))
                  .isInstanceOf(ChannelClosedException.class)
                  .hasMessageContaining("closed");
              try {
                for (String s : ch) {
                  trace.add(s);
                }
              } catch (ChannelClosedException e) {
                trace.add("ended by " + e.getCause().getMessage());
              }
              trace.add("closed for receive=" + ch.isClosedForReceive());
              return trace;
            });
    assertThat(log).containsExactly("a", "ended by producer failed", "closed for receive=true");
  }

  @Test
  void closeWakesWaitingSendersAndReceiversWithChannelClosedException() {
    Async.run(
        () -> {
          var rendezvous = new Channel<String>(0);
          var empty = new Channel<String>(1);
          Task<?> sender = Async.spawn(() -> rendezvous.send("a"));
          Task<String> receiver = Async.spawn(empty::receive);
          Async.yieldNow();
          assertThat(rendezvous.close()).isTrue();
          assertThat(rendezvous.close()).isFalse();
          empty.close();
          assertThatThrownBy(sender::await).isInstanceOf(ChannelClosedException.class);
          assertThatThrownBy(receiver::await).isInstanceOf(ChannelClosedException.class);
        });
  }

  @Test
  void aReceiverHandedAnItemAndCancelledBeforeItRunsGivesItToTheNextReceiver() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var ch = new Channel<String>(0);
              Task<String> r1 = Async.spawn(ch::receive);
              Task<String> r2 = Async.spawn(ch::receive);
              Async.yieldNow();
              ch.send("a"); // handed to r1 ...
              r1.cancel(); // ... cancelled before it runs
              trace.add("r2 got " + r2.await() + ", r1 cancelled=" + r1.isCancelled());
              return trace;
            });
    assertThat(log).containsExactly("r2 got a, r1 cancelled=true");
  }

  @Test
  void anItemGivenBackWithNoOtherReceiverWaitsForTheNextReceive() {
    List<String> log =
        Async.run(
            () -> {
              var ch = new Channel<String>(0);
              Task<String> r1 = Async.spawn(ch::receive);
              Async.yieldNow();
              ch.send("a");
              r1.cancel();
              Async.yieldNow();
              return List.of("size=" + ch.size(), "received " + ch.receive());
            });
    assertThat(log).containsExactly("size=1", "received a");
  }

  @Test
  void aSenderCancelledWhileWaitingNeverDeliversItsItem() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var ch = new Channel<String>(0);
              Task<?> s1 = Async.spawn(() -> ch.send("s1"));
              Task<?> s2 = Async.spawn(() -> ch.send("s2"));
              Async.yieldNow();
              s1.cancel();
              Async.yieldNow();
              trace.add("received " + ch.receive());
              s2.await();
              trace.add("s1 cancelled=" + s1.isCancelled() + ", tryReceive=" + ch.tryReceive());
              return trace;
            });
    assertThat(log).containsExactly("received s2", "s1 cancelled=true, tryReceive=Optional.empty");
  }

  @Test
  void aSenderGrantedAndCancelledBeforeItRunsPassesTheGrantOn() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var ch = new Channel<String>(0);
              Task<?> s1 = Async.spawn(() -> ch.send("s1"));
              Task<?> s2 = Async.spawn(() -> ch.send("s2"));
              Async.yieldNow();
              Task<String> r = Async.spawn(ch::receive);
              Async.yieldNow(); // r waits and grants s1
              s1.cancel(); // before s1 runs
              trace.add("received " + r.await());
              s2.await();
              trace.add("s1 cancelled=" + s1.isCancelled());
              return trace;
            });
    assertThat(log).containsExactly("received s2", "s1 cancelled=true");
  }

  @Test
  void selectReturnsTheFirstReadyChannelInArgumentOrder() {
    List<String> log =
        Async.run(
            () -> {
              var a = new Channel<String>(1);
              var b = new Channel<String>(1);
              b.send("from b");
              a.send("from a");
              var first = Channel.select(a, b);
              var second = Channel.select(a, b);
              return List.of(
                  (first.channel() == a ? "a: " : "b: ") + first.value(),
                  (second.channel() == a ? "a: " : "b: ") + second.value());
            });
    assertThat(log).containsExactly("a: from a", "b: from b");
  }

  @Test
  void selectWaitsForWhicheverChannelGetsAnItemFirst() {
    List<String> log =
        Async.run(
            () -> {
              var trace = new ArrayList<String>();
              var a = new Channel<String>(0);
              var b = new Channel<String>(1);
              Task<Channel.Received<String>> sel = Async.spawn(() -> Channel.select(a, b));
              Async.yieldNow();
              b.send("x");
              var r = sel.await();
              trace.add((r.channel() == b ? "b: " : "a: ") + r.value());
              trace.add("a trySend=" + a.trySend("y")); // select no longer waits on a
              return trace;
            });
    assertThat(log).containsExactly("b: x", "a trySend=false");
  }

  @Test
  void aSelectCancelledAfterAnItemArrivedGivesTheItemBack() {
    List<String> log =
        Async.run(
            () -> {
              var a = new Channel<String>(0);
              var b = new Channel<String>(0);
              Task<?> sel = Async.spawn(() -> Channel.select(a, b));
              Async.yieldNow();
              a.send("x");
              sel.cancel();
              Async.yieldNow();
              return List.of("cancelled=" + sel.isCancelled(), "a has " + a.tryReceive());
            });
    assertThat(log).containsExactly("cancelled=true", "a has Optional[x]");
  }

  @Test
  void selectOnlyOverClosedChannelsThrows() {
    Async.run(
        () -> {
          var a = new Channel<String>(0);
          var b = new Channel<String>(0);
          Task<?> sel = Async.spawn(() -> Channel.select(a, b));
          Async.yieldNow();
          a.close();
          Async.yieldNow();
          assertThat(sel.isDone()).isFalse();
          b.close(new IllegalStateException("b failed"));
          assertThatThrownBy(sel::await)
              .isInstanceOf(ChannelClosedException.class)
              .hasRootCauseMessage("b failed");
          assertThatThrownBy(() -> Channel.select(a, b)).isInstanceOf(ChannelClosedException.class);
        });
  }

  @Test
  void badArgumentsAreRejectedNamingTheArgument() {
    assertThatThrownBy(() -> new Channel<String>(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
    Async.run(
        () -> {
          var ch = new Channel<String>(1);
          assertThatThrownBy(() -> ch.send(null)).hasMessageContaining("item");
          assertThatThrownBy(() -> ch.close(null)).hasMessageContaining("cause");
          assertThatThrownBy(() -> Channel.select(List.<Channel<String>>of()))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining("channels");
        });
  }

  @Test
  void usingAChannelFromAnotherLoopThrowsNamingBothLoops() {
    var ch = new Channel<String>(1);
    try (Runner r1 = Runner.create();
        Runner r2 = Runner.create()) {
      r1.run(() -> ch.send("a"));
      assertThatThrownBy(() -> r2.run(ch::receive))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(r1.loop().toString())
          .hasMessageContaining(r2.loop().toString());
    }
  }
}
