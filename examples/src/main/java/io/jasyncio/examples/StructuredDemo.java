package io.jasyncio.examples;

import io.jasyncio.Async;
import io.jasyncio.CancelledError;
import io.jasyncio.ExceptionGroup;
import java.time.Duration;

/**
 * A task group whose first child fails: the slow sibling is cancelled at its sleep, its finally
 * block runs, and the failure leaves the group as an {@link ExceptionGroup}.
 */
public final class StructuredDemo {
  private StructuredDemo() {}

  /** Runs the example and prints what happens. */
  public static void run() {
    Async.run(
        () -> {
          try {
            Async.taskGroup(
                g -> {
                  g.spawn(
                      "slow",
                      () -> {
                        try {
                          Async.sleep(Duration.ofSeconds(10));
                          return "never";
                        } catch (CancelledError e) {
                          System.out.println("   'slow' was cancelled while sleeping");
                          throw e;
                        } finally {
                          System.out.println("   'slow' ran its finally block");
                        }
                      });
                  g.spawn(
                      "broken",
                      () -> {
                        Async.sleep(Duration.ofMillis(50));
                        throw new IllegalStateException("the upstream service said no");
                      });
                });
          } catch (ExceptionGroup eg) {
            System.out.println("   the group failed with: " + eg.exceptions());
          }
        });
  }
}
