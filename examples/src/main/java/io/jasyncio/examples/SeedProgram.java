package io.jasyncio.examples;

import io.jasyncio.Async;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The first program from the design notes: two "fetches" that each wait two seconds, run side by
 * side with {@link Async#gather}, so the whole program takes about two seconds, not four.
 */
public final class SeedProgram {
  private SeedProgram() {}

  static Map<String, String> fetchData(String url, Duration latency) {
    Async.sleep(latency); // suspends this task only
    System.out.println("Fetched data from " + url);
    return Map.of("url", url, "data", "some data");
  }

  /**
   * Runs the two fetches concurrently and returns their results.
   *
   * @param latency how long each fetch waits
   * @return the two results, in argument order
   */
  public static List<Map<String, String>> run(Duration latency) {
    return Async.run(
        () ->
            Async.gather(
                () -> fetchData("https://example.com", latency),
                () -> fetchData("https://google.com", latency)));
  }

  /**
   * Runs the program with two-second fetches.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    System.out.println(run(Duration.ofSeconds(2)));
  }
}
