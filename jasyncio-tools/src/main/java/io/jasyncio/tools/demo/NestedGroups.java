package io.jasyncio.tools.demo;

import io.jasyncio.Async;
import io.jasyncio.TaskGroup;
import java.time.Duration;
import java.util.List;

/**
 * A program to point {@code jasyncio ps} and {@code pstree} at: a main task runs a task group of
 * regions, each region a task group of fetches that sleep. It prints {@code ready} and its process
 * id when every fetch is waiting, then waits until killed (or for the seconds given as argument).
 *
 * <pre>
 * java -cp ... io.jasyncio.tools.demo.NestedGroups &amp;
 * bin/jasyncio pstree $!
 * </pre>
 */
public final class NestedGroups {
  private static final List<String> REGIONS = List.of("eu", "us");
  private static final int FETCHES_PER_REGION = 2;
  private static int waiting;
  private static Duration idle = Duration.ofHours(1);

  private NestedGroups() {}

  /**
   * Runs the demo.
   *
   * @param args optionally, how many seconds the fetches wait (default an hour)
   */
  public static void main(String[] args) {
    if (args.length > 0) {
      idle = Duration.ofSeconds(Long.parseLong(args[0]));
    }
    Async.run(
        () ->
            Async.taskGroup(
                (TaskGroup g) -> {
                  for (String region : REGIONS) {
                    g.spawn("region-" + region, () -> region(region));
                  }
                }));
  }

  private static Void region(String region) {
    Async.taskGroup(
        (TaskGroup g) -> {
          for (int i = 1; i <= FETCHES_PER_REGION; i++) {
            String url = "https://" + region + ".example.com/" + i;
            g.spawn("fetch-" + region + "-" + i, () -> fetch(url));
          }
        });
    return null;
  }

  private static Void fetch(String url) {
    // Tasks of one loop run one at a time, so this count needs no lock.
    if (++waiting == REGIONS.size() * FETCHES_PER_REGION) {
      System.out.println("ready " + ProcessHandle.current().pid());
      System.out.flush();
    }
    Async.sleep(idle); // where pstree shows each fetch waiting
    return null;
  }
}
