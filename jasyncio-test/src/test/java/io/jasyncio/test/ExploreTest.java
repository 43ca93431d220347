package io.jasyncio.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jasyncio.Async;
import io.jasyncio.test.demo.RacyAccount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded exploration finds the check-then-act race in {@link RacyAccount}, names it, replays it.
 */
class ExploreTest {
  private static final Pattern SEED = Pattern.compile("failed under schedule seed (\\d+)");

  @Test
  void theDefaultOrderHidesTheRace() {
    try (TestLoop loop = TestLoop.create()) {
      assertEquals(20, loop.run(RacyAccount::twoWithdrawals));
    }
  }

  @Test
  void explorationFindsTheRaceNamesTheSeedAndReplaysItIdentically() {
    AssertionError found =
        assertThrows(AssertionError.class, () -> Explore.run(50, RacyAccount::checkTwoWithdrawals));
    String msg = found.getMessage();
    Matcher m = SEED.matcher(msg);
    assertTrue(m.find(), msg);
    long seed = Long.parseLong(m.group(1));
    assertTrue(msg.contains("-Djasyncio.seed=" + seed), msg);
    assertTrue(found.getCause().getMessage().contains("balance went negative: -60"), msg);

    AssertionError replayed =
        assertThrows(
            AssertionError.class, () -> Explore.replay(seed, RacyAccount::checkTwoWithdrawals));
    // Same seed, same failure, same schedule (the message lists every step's task).
    assertEquals(msg.replaceFirst(" \\(run \\d+ of 50\\)", ""), replayed.getMessage());
    assertTrue(replayed.getMessage().contains("schedule ("), replayed.getMessage());
  }

  @Test
  void theSeedPropertyReplaysOneSeed() {
    List<Long> seen = new ArrayList<>();
    System.setProperty(Explore.SEED_PROPERTY, "7");
    try {
      Explore.run(100, () -> seen.add(TestLoop.current().seed().orElseThrow()));
    } finally {
      System.clearProperty(Explore.SEED_PROPERTY);
    }
    assertEquals(List.of(7L), seen);
  }

  @Test
  void everySeedRunsOnAFreshLoopWhenNothingFails() {
    List<Long> seeds = new ArrayList<>();
    Explore.run(
        5,
        () -> {
          seeds.add(TestLoop.current().seed().orElseThrow());
          RacyAccount account = new RacyAccount(100);
          account.withdraw(30); // one task: no race to find
          assertEquals(70, account.balance());
        });
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seeds);
  }

  @Test
  void seedsPermuteOnlyWithinABatch() {
    // Two tasks that each log, sleep, log: timers keep the batches apart, so whatever the seed,
    // all "before" entries come before all "after" entries, and each task's own order holds.
    Set<List<String>> orders = new HashSet<>();
    for (long seed = 0; seed < 20; seed++) {
      List<String> log = new ArrayList<>();
      try (TestLoop loop = TestLoop.builder().seed(seed).build()) {
        loop.run(
            () ->
                Async.taskGroup(
                    g -> {
                      for (String n : List.of("a", "b", "c")) {
                        g.spawn(
                            () -> {
                              log.add(n + " before");
                              Async.sleep(java.time.Duration.ofSeconds(1));
                              log.add(n + " after");
                            });
                      }
                    }));
      }
      for (int i = 0; i < 3; i++) {
        assertTrue(log.get(i).endsWith("before"), log.toString());
        assertTrue(log.get(i + 3).endsWith("after"), log.toString());
      }
      orders.add(log);
    }
    assertTrue(orders.size() > 1, "20 seeds should produce more than one order: " + orders);
  }

  @Test
  void aFailureOfATaskNobodyAwaitedFailsTheRunAndNamesTheSeed() {
    // The test loop collects what reaches its exception handler instead of logging it: exploration
    // used to drop it, so a race that made a fire-and-forget task throw passed every seed silently.
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Explore.run(
                    3,
                    () -> {
                      Async.spawn(
                          "audit",
                          () -> {
                            throw new IllegalStateException("audit record lost");
                          });
                      Async.sleep(java.time.Duration.ofSeconds(1));
                    }));
    assertTrue(
        e.getMessage().startsWith("failed under schedule seed 0 (run 1 of 3)"), e.getMessage());
    assertTrue(e.getMessage().contains("-Djasyncio.seed=0"), e.getMessage());
    assertTrue(e.getMessage().contains("audit record lost"), e.getMessage());
    assertTrue(
        e.getCause().getMessage().startsWith("the loop's exception handler received errors"));
    assertEquals("audit record lost", e.getCause().getCause().getMessage());
  }

  @Test
  void aCheckedExceptionOfTheBodyIsTheCauseAsItself() {
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                Explore.replay(
                    4,
                    () -> {
                      throw new java.io.IOException("disk on fire");
                    }));
    assertTrue(
        e.getMessage()
            .startsWith("failed under schedule seed 4: java.io.IOException: disk on fire"),
        e.getMessage());
    assertTrue(e.getCause() instanceof java.io.IOException, String.valueOf(e.getCause()));
  }

  @Test
  void badArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Explore.run(0, () -> {}));
    assertThrows(NullPointerException.class, () -> Explore.run(1, null));
    System.setProperty(Explore.SEED_PROPERTY, "x");
    try {
      var e = assertThrows(IllegalArgumentException.class, () -> Explore.run(1, () -> {}));
      assertTrue(e.getMessage().contains(Explore.SEED_PROPERTY), e.getMessage());
    } finally {
      System.clearProperty(Explore.SEED_PROPERTY);
    }
    assertNotEquals(null, Explore.SEED_PROPERTY);
  }
}
