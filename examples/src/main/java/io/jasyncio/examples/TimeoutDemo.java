package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.TimeoutExpiredException;
import java.time.Duration;

/**
 * {@link Async#timeout} turns an expiry into {@link TimeoutExpiredException}; {@link
 * Async#moveOnAfter} ends the work quietly instead.
 */
public final class TimeoutDemo {
  private TimeoutDemo() {}

  /** Runs the example and prints what happens. */
  public static void run() {
    Async.run(
        () -> {
          try {
            Async.timeout(Duration.ofMillis(100), () -> slowCall(Duration.ofSeconds(5)));
          } catch (TimeoutExpiredException e) {
            System.out.println("   timeout: the 5 s call was cancelled after 100 ms");
          }
          boolean finished =
              Async.moveOnAfter(Duration.ofMillis(100), () -> slowCall(Duration.ofSeconds(5)));
          System.out.println("   moveOnAfter: finished=" + finished + ", no exception");
          String fast = Async.timeout(Duration.ofSeconds(1), () -> slowCall(Duration.ofMillis(10)));
          System.out.println("   a call within its timeout returns normally: " + fast);
        });
  }

  private static String slowCall(Duration d) {
    Async.sleep(d);
    return "done after " + d.toMillis() + " ms";
  }
}
