package io.jasyncio.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExamplesTest {

  static String captureOut(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theSeedProgramFetchesBothUrlsAndReturnsTheirResultsInOrder() {
    var results = SeedProgram.run(Duration.ofMillis(5));
    assertThat(results)
        .containsExactly(
            Map.of("url", "https://example.com", "data", "some data"),
            Map.of("url", "https://google.com", "data", "some data"));
  }

  @Test
  void manySleepersAllFinish() {
    assertThat(ManySleepers.run(2_000, Duration.ofMillis(5))).isEqualTo(2_000);
  }

  @Test
  void theStructuredDemoShowsTheSiblingCancelledAndTheFailureGrouped() {
    String out = captureOut(StructuredDemo::run);
    assertThat(out)
        .contains("'slow' was cancelled while sleeping")
        .contains("'slow' ran its finally block")
        .contains("the upstream service said no");
  }

  @Test
  void theTimeoutDemoShowsBothScopes() {
    String out = captureOut(TimeoutDemo::run);
    assertThat(out)
        .contains("timeout: the 5 s call was cancelled")
        .contains("moveOnAfter: finished=false")
        .contains("returns normally: done after 10 ms");
  }
}
