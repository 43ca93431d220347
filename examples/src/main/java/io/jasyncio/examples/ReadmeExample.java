package io.jasyncio.examples;

import io.jasyncio.Async;
import java.time.Duration;
import java.util.Map;

/** The example at the top of README.md. */
public final class ReadmeExample {
  private ReadmeExample() {}

  static Map<String, String> fetchData(String url) {
    Async.sleep(Duration.ofSeconds(2)); // suspends this task only
    System.out.println("Fetched data from " + url);
    return Map.of("url", url, "data", "some data");
  }

  public static void main(String[] args) {
    var results =
        Async.run(
            () ->
                Async.gather(
                    () -> fetchData("https://example.com"), () -> fetchData("https://google.com")));
    System.out.println(results); // after about 2 s, not 4
  }
}
