package io.jasyncio.examples;

import io.jasyncio.Async;
import java.time.Duration;

/**
 * Ten thousand tasks that each sleep one second at the same time: the program takes about one
 * second, because a sleeping task costs a timer and a parked virtual thread, not a busy one.
 */
public final class ManySleepers {
  private ManySleepers() {}

  /**
   * Spawns {@code count} tasks in one task group, each sleeping {@code nap}, and returns how many
   * finished.
   *
   * @param count how many tasks
   * @param nap how long each sleeps
   * @return the number of tasks that completed
   */
  public static int run(int count, Duration nap) {
    return Async.run(
        () -> {
          int[] finished = {0};
          Async.taskGroup(
              g -> {
                for (int i = 0; i < count; i++) {
                  g.spawn(
                      () -> {
                        Async.sleep(nap);
                        finished[0]++; // no lock: tasks of one loop never run at the same time
                      });
                }
              });
          return finished[0];
        });
  }

  /**
   * Runs 10,000 one-second sleepers.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    System.out.println(run(10_000, Duration.ofSeconds(1)) + " tasks finished");
  }
}
