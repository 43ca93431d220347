package io.jasyncio.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.jasyncio.Async;
import io.jasyncio.EventLoop;
import io.jasyncio.Promise;
import io.jasyncio.test.demo.RacyAccount;
import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class AsyncTestExtensionTest {
  // ---- tests that pass: the extension in ordinary use ----

  @AsyncTest(timeout = "P2D")
  void theBodyRunsAsATaskOnVirtualTime(TestLoop loop, EventLoop eventLoop) {
    assertSame(loop.loop(), eventLoop);
    assertSame(eventLoop, Async.currentLoop());
    assertSame(loop, TestLoop.current());
    Async.sleep(Duration.ofHours(24));
    assertEquals(Duration.ofHours(24), loop.time());
  }

  @AsyncTest(timeout = "PT10S")
  void aTimeoutIsVirtualTime() {
    Async.sleep(Duration.ofSeconds(9)); // nine virtual seconds, within the ten allowed
  }

  @AsyncTest(autojump = false)
  void manualModeMovesOnlyWithAdvanceBy(TestLoop loop) {
    List<String> log = new ArrayList<>();
    Async.spawn(
        () -> {
          Async.sleep(Duration.ofMinutes(1));
          log.add("woke");
        });
    loop.advanceBy(Duration.ofSeconds(59));
    assertEquals(List.of(), log);
    loop.advanceBy(Duration.ofSeconds(1));
    assertEquals(List.of("woke"), log);
  }

  // ---- tests meant to fail, run in-process through the JUnit launcher ----

  static final class Failing {
    @AsyncTest(timeout = "PT10S")
    void deadlocks() {
      Promise<String> never = Async.promise();
      Async.taskGroup(
          g -> {
            g.spawn("waiter", never::await);
            g.spawn(
                "sleeper",
                () -> {
                  Async.sleep(Duration.ofDays(1));
                  return null;
                });
          });
    }

    @AsyncTest
    void leaksATask() {
      Async.spawn(
          "leaked",
          () -> {
            Async.sleep(Duration.ofDays(1));
            return null;
          });
    }

    @AsyncTest(allowLeakedTasks = true)
    void leaksATaskButMayDoSo() {
      Async.spawn(
          "leaked",
          () -> {
            Async.sleep(Duration.ofDays(1));
            return null;
          });
    }

    @AsyncTest
    void losesAFailure() {
      Async.spawn(
          "dropped",
          () -> {
            throw new IllegalStateException("nobody looked at me");
          });
      Async.sleep(Duration.ofSeconds(1));
    }

    @AsyncTest(seeds = 50)
    void racyWithdrawals() {
      RacyAccount.checkTwoWithdrawals();
    }

    @AsyncTest(seeds = 20)
    void raceFreeUnderEverySeed(TestLoop loop) {
      SEEDS_SEEN.add(loop.seed().orElseThrow());
      RacyAccount account = new RacyAccount(100);
      account.withdraw(30);
      assertEquals(70, account.balance());
    }

    @AsyncTest(timeout = "ten seconds")
    void badTimeout() {}

    @AsyncTest
    void throwsAChecked() throws IOException {
      Async.sleep(Duration.ofSeconds(1));
      throw new IOException("disk on fire");
    }

    @AsyncTest(seeds = 2)
    void throwsACheckedUnderSeed1(TestLoop loop) throws IOException {
      if (loop.seed().orElseThrow() == 1) {
        throw new IOException("disk on fire under seed 1");
      }
    }
  }

  static final List<Long> SEEDS_SEEN = new ArrayList<>();

  private static Method methodNamed(String name) {
    for (Method m : Failing.class.getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(name);
  }

  /** Runs {@code method} of {@link Failing}; returns its failure or null. */
  private static Throwable run(String method) {
    Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectMethod(Failing.class, methodNamed(method)))
            .build();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(
        request,
        new TestExecutionListener() {
          @Override
          public void executionFinished(TestIdentifier id, TestExecutionResult r) {
            if (id.getSource().orElse(null) instanceof MethodSource) {
              results.put(id.getDisplayName(), r);
            }
          }
        });
    assertEquals(1, results.size(), results.toString());
    return results.values().iterator().next().getThrowable().orElse(null);
  }

  @Test
  void aVirtualTimeoutFailsWithTheTaskTree() {
    Throwable t = run("deadlocks");
    assertNotNull(t);
    String msg = t.getMessage();
    System.out.println(msg); // an example for docs/testing.md
    assertTrue(msg.startsWith("test timed out after PT10S of virtual time"), msg);
    // the tree: the test task, and under it the two children with where they wait
    assertTrue(msg.contains("- test deadlocks [waiting"), msg);
    assertTrue(msg.contains("at io.jasyncio.Async.taskGroup"), msg);
    assertTrue(msg.contains("  - waiter [waiting on Promise[pending], in TaskGroup]"), msg);
    assertTrue(msg.contains("  - sleeper [waiting on a timer due at PT24H, in TaskGroup]"), msg);
    assertTrue(msg.contains("at io.jasyncio.Async.sleep"), msg);
    assertTrue(msg.contains("at virtual time PT10S"), msg);
    assertTrue(msg.contains("AsyncTestExtensionTest$Failing.lambda$deadlocks"), msg);
  }

  @Test
  void aLeakedTaskFailsTheTestAndIsListed() {
    Throwable t = run("leaksATask");
    assertNotNull(t);
    assertTrue(t.getMessage().contains("still pending"), t.getMessage());
    assertTrue(
        t.getMessage().contains("- leaked [waiting on a timer due at PT24H]"), t.getMessage());
    assertEquals(null, run("leaksATaskButMayDoSo"));
  }

  @Test
  void aFailureNobodyRetrievedFailsTheTest() {
    Throwable t = run("losesAFailure");
    assertNotNull(t);
    assertTrue(t.getMessage().contains("never retrieved"), t.getMessage());
    assertTrue(t.getMessage().contains("nobody looked at me"), t.getMessage());
  }

  @Test
  void seedsFindTheRaceAndTheAnnotationOrPropertyReplaysIt() {
    Throwable t = run("racyWithdrawals");
    assertNotNull(t);
    String msg = t.getMessage();
    assertTrue(msg.contains("failed under schedule seed "), msg);
    String seed = msg.replaceAll("(?s).*failed under schedule seed (\\d+).*", "$1");
    assertTrue(msg.contains("-Djasyncio.seed=" + seed), msg);
    assertTrue(msg.contains("schedule ("), msg);

    System.setProperty(Explore.SEED_PROPERTY, seed);
    try {
      Throwable again = run("racyWithdrawals");
      assertNotNull(again);
      assertEquals(msg.replaceFirst(" \\(run \\d+ of 50\\)", ""), again.getMessage());
    } finally {
      System.clearProperty(Explore.SEED_PROPERTY);
    }
  }

  @Test
  void everySeedGetsAFreshInjectedLoop() {
    SEEDS_SEEN.clear();
    assertEquals(null, run("raceFreeUnderEverySeed"));
    List<Long> expected = new ArrayList<>();
    for (long s = 0; s < 20; s++) {
      expected.add(s);
    }
    assertEquals(expected, SEEDS_SEEN);
  }

  @Test
  void aCheckedExceptionFailsTheTestAsItselfNotWrapped() {
    // Like a plain @Test: the failure is the IOException, not an AsyncException around it.
    Throwable t = run("throwsAChecked");
    assertTrue(t instanceof IOException, String.valueOf(t));
    assertEquals("disk on fire", t.getMessage());

    Throwable seeded = run("throwsACheckedUnderSeed1");
    assertNotNull(seeded);
    assertTrue(
        seeded.getMessage().startsWith("failed under schedule seed 1 (run 2 of 2): java.io"),
        seeded.getMessage());
    assertTrue(seeded.getCause() instanceof IOException, String.valueOf(seeded.getCause()));
  }

  @Test
  void aBadAttributeIsReported() {
    Throwable t = run("badTimeout");
    assertNotNull(t);
    assertTrue(t.getMessage().contains("ISO-8601"), t.getMessage());
  }
}
