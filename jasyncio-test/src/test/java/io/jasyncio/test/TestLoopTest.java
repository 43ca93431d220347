package io.jasyncio.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.TimeoutExpiredException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TestLoopTest {
  private static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  void sleepingADayTakesADayOfVirtualTime() {
    try (TestLoop loop = TestLoop.create()) {
      loop.run(() -> Async.sleep(Duration.ofHours(24)));
      assertEquals(Duration.ofHours(24), loop.time());
    }
  }

  @Test
  void eventLoopTimeIsTheVirtualTimeInNanos() {
    try (TestLoop loop = TestLoop.create()) {
      long t =
          loop.run(
              () -> {
                Async.sleep(s(3));
                return Async.currentLoop().time();
              });
      assertEquals(s(3).toNanos(), t);
      assertSame(loop, loop.run(TestLoop::current));
    }
  }

  static Map<String, String> fetchData(String url) {
    Async.sleep(Duration.ofSeconds(2));
    return Map.of("url", url);
  }

  @Test
  void gatheredSleepsOverlap() {
    try (TestLoop loop = TestLoop.create()) {
      List<Map<String, String>> r =
          loop.run(() -> Async.gather(() -> fetchData("a"), () -> fetchData("b")));
      assertEquals(2, r.size());
      assertEquals(s(2), loop.time()); // not 4
    }
  }

  @Test
  void timeoutExpiresAtTheExactVirtualInstant() {
    try (TestLoop loop = TestLoop.create()) {
      loop.run(
          () -> {
            assertThrows(
                TimeoutExpiredException.class,
                () ->
                    Async.timeout(
                        s(5),
                        () -> {
                          Async.sleep(Duration.ofHours(1));
                          return null;
                        }));
            assertEquals(s(5), TestLoop.current().time());
          });
    }
  }

  /** Calls {@code op} until it succeeds, sleeping 1, 2, 4, ... seconds between attempts. */
  static <T> T retryWithBackoff(int attempts, java.util.concurrent.Callable<T> op)
      throws Exception {
    Duration delay = s(1);
    for (int i = 1; ; i++) {
      try {
        return op.call();
      } catch (IOException e) {
        if (i == attempts) {
          throw e;
        }
        Async.sleep(delay);
        delay = delay.multipliedBy(2);
      }
    }
  }

  @Test
  void retriesBackOffExponentially() {
    try (TestLoop loop = TestLoop.create()) {
      List<Duration> attempts = new ArrayList<>();
      String r =
          loop.run(
              () ->
                  retryWithBackoff(
                      10,
                      () -> {
                        attempts.add(loop.time());
                        if (attempts.size() < 5) {
                          throw new IOException("flaky");
                        }
                        return "ok";
                      }));
      assertEquals("ok", r);
      assertEquals(List.of(s(0), s(1), s(3), s(7), s(15)), attempts);
    }
  }

  @Test
  void retriesGiveUpAfterTheLastAttempt() {
    try (TestLoop loop = TestLoop.create()) {
      var e =
          assertThrows(
              Exception.class,
              () ->
                  loop.run(
                      () ->
                          retryWithBackoff(
                              3,
                              () -> {
                                throw new IOException("down");
                              })));
      assertTrue(e.getCause() instanceof IOException, e.toString());
      assertEquals(s(1 + 2), loop.time());
    }
  }

  @Test
  void periodicTaskTicksOnItsScheduleUnderAdvanceBy() {
    try (TestLoop loop = TestLoop.builder().autojump(false).build()) {
      List<Duration> ticks = new ArrayList<>();
      Task<?> ticker =
          loop.run(
              () ->
                  Async.spawn(
                      "ticker",
                      () -> {
                        while (true) {
                          Async.sleep(s(10));
                          ticks.add(loop.time());
                        }
                      }));
      loop.advanceBy(s(25));
      assertEquals(List.of(s(10), s(20)), ticks);
      assertEquals(s(25), loop.time());
      loop.advanceBy(s(5)); // a tick due exactly at the end instant runs
      assertEquals(List.of(s(10), s(20), s(30)), ticks);
      loop.run(() -> ticker.cancel());
      loop.runUntilIdle();
      assertTrue(ticker.isDone());
    }
  }

  @Test
  void manualTimeMovesOnlyWhenAdvanced() {
    try (TestLoop loop = TestLoop.builder().autojump(false).build()) {
      Task<String> sleeper =
          loop.run(
              () ->
                  Async.spawn(
                      () -> {
                        Async.sleep(s(10));
                        return "woke";
                      }));
      loop.runUntilIdle();
      assertFalse(sleeper.isDone());
      assertEquals(Duration.ZERO, loop.time());
      loop.advanceBy(s(9));
      assertFalse(sleeper.isDone());
      loop.advanceBy(s(1));
      assertTrue(sleeper.isDone());
      assertEquals(s(10), loop.time());
    }
  }

  @Test
  void advanceByFromATaskLetsOthersRun() {
    try (TestLoop loop = TestLoop.builder().autojump(false).build()) {
      loop.run(
          () -> {
            AtomicInteger woke = new AtomicInteger();
            Async.spawn(
                () -> {
                  Async.sleep(s(3));
                  woke.incrementAndGet();
                });
            loop.advanceBy(s(2));
            assertEquals(0, woke.get());
            loop.advanceBy(s(1));
            assertEquals(1, woke.get());
            assertEquals(s(3), loop.time());
          });
    }
  }

  @Test
  void runUntilIdleRunsReadyWorkButDoesNotMoveTime() {
    try (TestLoop loop = TestLoop.create()) {
      loop.run(
          () -> {
            List<String> log = new ArrayList<>();
            Async.spawn(
                () -> {
                  log.add("a1");
                  Async.yieldNow();
                  log.add("a2");
                  Async.sleep(s(1));
                  log.add("a3");
                });
            loop.runUntilIdle();
            assertEquals(List.of("a1", "a2"), log);
            assertEquals(Duration.ZERO, loop.time());
            loop.advanceBy(s(1));
            assertEquals(List.of("a1", "a2", "a3"), log);
          });
    }
  }

  @Test
  void awaitingARealFutureWithNoTimerWaitsForItAndTimeStandsStill() {
    try (TestLoop loop = TestLoop.create()) {
      String v =
          loop.run(
              () -> {
                CompletableFuture<String> cf = new CompletableFuture<>();
                Thread.ofPlatform().start(() -> cf.complete("from a real thread"));
                return Async.await(cf);
              });
      assertEquals("from a real thread", v);
      assertEquals(Duration.ZERO, loop.time());
    }
  }

  @Test
  void withATimerPendingAutojumpFiresItWhileRealWorkIsInFlight() {
    try (TestLoop loop = TestLoop.create()) {
      CompletableFuture<String> inFlight = new CompletableFuture<>(); // real work, not done yet
      loop.run(
          () ->
              assertThrows(
                  TimeoutExpiredException.class,
                  () -> Async.timeout(Duration.ofHours(1), () -> Async.await(inFlight))));
      assertEquals(Duration.ofHours(1), loop.time());
      assertTrue(inFlight.isCancelled()); // the timeout cancelled the await, which cancels it
    }
  }

  @Test
  void anAutojumpThresholdGivesRealWorkTimeToLand() {
    // The threshold is a margin, not an assertion on elapsed time: the thread completes the future
    // long before 30 s of real idleness would let the timeout's timer fire.
    try (TestLoop loop = TestLoop.builder().autojumpThreshold(s(30)).build()) {
      String v =
          loop.run(
              () ->
                  Async.timeout(
                      Duration.ofHours(1),
                      () -> {
                        CompletableFuture<String> cf = new CompletableFuture<>();
                        Thread.ofPlatform().start(() -> cf.complete("landed"));
                        return Async.await(cf);
                      }));
      assertEquals("landed", v);
      assertEquals(Duration.ZERO, loop.time());
    }
  }

  @Test
  void aSmallThresholdStillJumps() {
    try (TestLoop loop = TestLoop.builder().autojumpThreshold(Duration.ofMillis(1)).build()) {
      loop.run(() -> Async.sleep(Duration.ofDays(3)));
      assertEquals(Duration.ofDays(3), loop.time());
    }
  }

  @Test
  void advancingPastTheEndOfTimeSaturatesInsteadOfWaitingForever() {
    // The bound only guards against the old hang: the clock plus delta overflowed, manual mode's
    // limit stayed where it was, and the loop waited for real for a timer it could not jump to.
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          try (TestLoop loop = TestLoop.builder().autojump(false).build()) {
            loop.advanceBy(s(1));
            loop.advanceBy(Duration.ofNanos(Long.MAX_VALUE));
            assertEquals(Duration.ofNanos(Long.MAX_VALUE - 1), loop.time()); // the last instant
            loop.advanceBy(s(1)); // time stands at its end; the call still returns
            assertEquals(Duration.ofNanos(Long.MAX_VALUE - 1), loop.time());
          }
        });
  }

  @Test
  void badArgumentsAreRejected() {
    try (TestLoop loop = TestLoop.create()) {
      var e = assertThrows(IllegalArgumentException.class, () -> loop.advanceBy(s(-1)));
      assertTrue(e.getMessage().contains("delta"), e.getMessage());
      assertThrows(NullPointerException.class, () -> loop.advanceBy(null));
      assertThrows(
          IllegalArgumentException.class,
          () -> TestLoop.builder().autojumpThreshold(Duration.ofMillis(-1)));
      var c = assertThrows(IllegalStateException.class, TestLoop::current);
      assertTrue(c.getMessage().contains("TestLoop"), c.getMessage());
      try (TestLoop other = TestLoop.create()) {
        assertThrows(IllegalStateException.class, () -> other.run(() -> loop.advanceBy(s(1))));
      }
    }
  }

  @Test
  void closeCancelsLeftoverTasks() {
    TestLoop loop = TestLoop.create();
    Task<?> t = loop.run(() -> Async.spawn(() -> Async.sleep(Duration.ofDays(1))));
    loop.close();
    assertTrue(t.isCancelled());
    assertTrue(loop.loop().isClosed());
    loop.close(); // idempotent
  }

  @Test
  @org.junit.jupiter.api.Timeout(30) // before 2026-11-29 the first one hung here
  void timeJumpsWhileSocketsAreOpen() throws Exception {
    // A registered channel makes the idle loop select instead of park; the clock must still jump.
    try (TestLoop loop = TestLoop.create();
        var server = java.nio.channels.ServerSocketChannel.open()) {
      server.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      int port = ((java.net.InetSocketAddress) server.getLocalAddress()).getPort();
      loop.run(
          () -> {
            try (var c = io.jasyncio.net.Streams.openConnection("127.0.0.1", port)) {
              Async.sleep(Duration.ofHours(2));
            }
            return null;
          });
      assertEquals(Duration.ofHours(2), loop.time());
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(30) // before 2026-11-29 the first one hung here
  void realSocketDataLandsDuringTheThresholdWait() throws Exception {
    try (TestLoop loop = TestLoop.builder().autojumpThreshold(s(30)).build();
        var server = java.nio.channels.ServerSocketChannel.open()) {
      server.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
      int port = ((java.net.InetSocketAddress) server.getLocalAddress()).getPort();
      Thread peer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (var s = server.accept()) {
                      s.write(java.nio.ByteBuffer.wrap("hello\n".getBytes()));
                    } catch (IOException e) {
                      // the test fails on its own
                    }
                  });
      String line =
          loop.run(
              () -> {
                try (var c = io.jasyncio.net.Streams.openConnection("127.0.0.1", port)) {
                  return Async.timeout(
                      Duration.ofHours(1), () -> new String(c.reader().readLine()).trim());
                }
              });
      peer.join();
      assertEquals("hello", line);
      assertEquals(Duration.ZERO, loop.time());
    }
  }
}
