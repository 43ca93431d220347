package io.jasyncio.test.demo;

import io.jasyncio.Async;
import io.jasyncio.test.Explore;
import io.jasyncio.test.TestLoop;
import java.time.Duration;

/**
 * Shows the test loop at work: a program that sleeps 24 hours of virtual time finishes in
 * milliseconds of wall time, and seeded exploration finds, names and replays a race that the
 * default order hides. Run: {@code java -cp ... io.jasyncio.test.demo.VirtualTimeDemo}.
 */
public final class VirtualTimeDemo {
  private VirtualTimeDemo() {}

  /**
   * Runs the demo.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    long start = System.nanoTime();
    try (TestLoop loop = TestLoop.create()) {
      loop.run(
          () -> {
            for (int hour = 0; hour < 24; hour++) {
              Async.sleep(Duration.ofHours(1)); // a periodic job, hourly
            }
          });
      long wallMs = (System.nanoTime() - start) / 1_000_000;
      System.out.println(
          "slept " + loop.time() + " of virtual time in " + wallMs + " ms of wall time");
    }

    System.out.println();
    System.out.println("two withdrawals of 80 from an account of 100 (check, await, then act):");
    try (TestLoop loop = TestLoop.create()) {
      int balance = loop.run(RacyAccount::twoWithdrawals);
      System.out.println("  default FIFO order: balance " + balance + " (the race stays hidden)");
    }
    AssertionError failure = null;
    try {
      Explore.run(100, RacyAccount::checkTwoWithdrawals);
    } catch (AssertionError e) {
      failure = e;
    }
    if (failure == null) {
      System.out.println("  exploration found nothing (unexpected)");
      return;
    }
    System.out.println("  exploring 100 seeds: " + failure.getMessage().replace("\n", "\n  "));
    long seed = Long.parseLong(failure.getMessage().replaceAll("(?s).*seed (\\d+).*", "$1"));
    try {
      Explore.replay(seed, RacyAccount::checkTwoWithdrawals);
      System.out.println("  replay passed (unexpected)");
    } catch (AssertionError replay) {
      boolean same =
          replay
              .getMessage()
              .equals(failure.getMessage().replaceFirst(" \\(run \\d+ of \\d+\\)", ""));
      System.out.println(
          "  replaying seed " + seed + ": fails again, " + (same ? "identically" : "DIFFERENTLY"));
    }
  }
}
