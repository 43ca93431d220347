package io.jasyncio.examples;

import java.time.Duration;

/** The showcase run by {@code bin/jasyncio demo}: each part says what it shows, then shows it. */
public final class Demo {
  private Demo() {}

  /**
   * Runs the showcase.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    System.out.println("== 1. The seed program: two fetches of 2 s each, run with Async.gather");
    long t0 = System.nanoTime();
    var results = SeedProgram.run(Duration.ofSeconds(2));
    System.out.println(results);
    System.out.printf(
        "   took %.2f s: the fetches waited side by side, not one after the other (4 s)%n%n",
        seconds(t0));

    System.out.println("== 2. 10,000 tasks each sleeping 1 s, all at once, in one task group");
    t0 = System.nanoTime();
    int done = ManySleepers.run(10_000, Duration.ofSeconds(1));
    System.out.printf(
        "   %,d tasks finished in %.2f s: each sleeping task costs memory, not a thread of its"
            + " own%n%n",
        done, seconds(t0));

    System.out.println("== 3. Structured concurrency: a failure cancels the siblings");
    StructuredDemo.run();
    System.out.println();

    System.out.println("== 4. Timeouts are cancel scopes");
    TimeoutDemo.run();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
