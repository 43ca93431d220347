package io.jasyncio.test;

import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.Task;
import io.jasyncio.TimeoutExpiredException;
import io.jasyncio.test.demo.RacyAccount;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The code of docs/testing.md, compiled and run. {@link DocsTest} checks that every Java block of
 * the guide appears here (or in {@link RacyAccount}) line for line.
 */
class TestingGuideTest {
  // [virtual-time]
  @Test
  void aDayOfSleepTakesMilliseconds() {
    try (TestLoop loop = TestLoop.create()) {
      loop.run(() -> Async.sleep(Duration.ofHours(24)));
      assertEquals(Duration.ofHours(24), loop.time());
    }
  }

  // [retry]
  static <T> T retry(int attempts, Callable<T> op) throws Exception {
    Duration delay = ofSeconds(1);
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

  @AsyncTest
  void retriesBackOffExponentially(TestLoop loop) throws Exception {
    List<Duration> attempts = new ArrayList<>();
    String result =
        retry(
            5,
            () -> {
              attempts.add(loop.time());
              if (attempts.size() < 4) {
                throw new IOException("flaky");
              }
              return "ok";
            });
    assertEquals("ok", result);
    assertEquals(List.of(ofSeconds(0), ofSeconds(1), ofSeconds(3), ofSeconds(7)), attempts);
  }

  @AsyncTest
  void aSlowCallTimesOut(TestLoop loop) {
    assertThrows(
        TimeoutExpiredException.class, () -> Async.timeout(ofSeconds(5), () -> slowCall()));
    assertEquals(ofSeconds(5), loop.time());
  }

  // [manual]
  @AsyncTest(autojump = false)
  void heartbeatEveryTenSeconds(TestLoop loop) {
    List<Duration> beats = new ArrayList<>();
    Task<Void> heartbeat =
        Async.spawn(
            () -> {
              while (true) {
                Async.sleep(ofSeconds(10));
                beats.add(loop.time());
              }
            });
    loop.advanceBy(ofSeconds(25));
    assertEquals(List.of(ofSeconds(10), ofSeconds(20)), beats);
    loop.advanceBy(ofSeconds(5));
    assertEquals(List.of(ofSeconds(10), ofSeconds(20), ofSeconds(30)), beats);
    heartbeat.cancel();
  }

  // [real-io]
  @AsyncTest(autojumpThreshold = "PT5S")
  void realWorkLandsBeforeTheTimeout(TestLoop loop) {
    String reply =
        Async.timeout(
            ofSeconds(30), () -> Async.await(CompletableFuture.supplyAsync(() -> "pong")));
    assertEquals("pong", reply);
    assertEquals(Duration.ZERO, loop.time()); // waiting on real work does not move virtual time
  }

  // [explore]
  @Test
  void explorationFindsTheRace() {
    try (TestLoop loop = TestLoop.create()) {
      assertEquals(20, loop.run(RacyAccount::twoWithdrawals)); // FIFO order: looks fine
    }
    AssertionError e =
        assertThrows(
            AssertionError.class, () -> Explore.run(100, RacyAccount::checkTwoWithdrawals));
    assertTrue(e.getMessage().startsWith("failed under schedule seed 2 (run 3 of 100)"));
    assertTrue( // the message shown in docs/testing.md
        e.getMessage()
            .endsWith(
                "schedule (7 steps): main > main > withdraw A > withdraw B > withdraw A >"
                    + " withdraw B > main"),
        e.getMessage());
  }

  @Test
  void theSeedReplaysTheSameInterleaving() {
    AssertionError e =
        assertThrows(
            AssertionError.class, () -> Explore.replay(2, RacyAccount::checkTwoWithdrawals));
    assertTrue(e.getMessage().contains("balance went negative: -60"));
  }

  // [fixed]
  static final class SafeAccount {
    private int balance = 100;

    boolean withdraw(int amount) {
      Async.yieldNow(); // the audit write moved before the check: check and act are now atomic
      if (balance < amount) {
        return false;
      }
      balance -= amount;
      return true;
    }
  }

  @AsyncTest(seeds = 100)
  void withdrawalsNeverOverdraw() {
    SafeAccount account = new SafeAccount();
    Async.taskGroup(
        g -> {
          g.spawn(() -> account.withdraw(80));
          Async.yieldNow();
          g.spawn(() -> account.withdraw(80));
        });
    assertEquals(20, account.balance);
  }

  private static String slowCall() {
    Async.sleep(Duration.ofMinutes(1));
    return "late";
  }
}
