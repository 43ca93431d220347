package io.jasyncio.debug;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import io.jasyncio.Runner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrEventsTest {
  @TempDir Path dir;

  /** Runs a program with a spawn, a slow step and a failure nobody retrieves. */
  private static void program() {
    try (Runner runner = Runner.builder().exceptionHandler((l, c) -> {}).build()) {
      DebugMode.setSlowStepThreshold(runner.loop(), Duration.ofMillis(1));
      runner.run(
          () -> {
            Async.spawn(
                    "sluggish",
                    () -> {
                      Thread.sleep(20); // the subject: a step that blocks the loop
                      return null;
                    })
                .await();
            Async.spawn(
                "failing",
                () -> {
                  throw new IllegalStateException("nobody looks");
                });
            Async.yieldNow();
          });
    }
  }

  private List<RecordedEvent> record(boolean enableJasyncio) throws Exception {
    Path file = dir.resolve("rec.jfr");
    try (Recording r = new Recording()) {
      if (enableJasyncio) {
        r.enable("io.jasyncio.TaskSpawn"); // the other two are on by default
      } else {
        r.disable("io.jasyncio.SlowStep");
        r.disable("io.jasyncio.UnhandledException");
      }
      r.start();
      program();
      r.stop();
      r.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    Files.delete(file);
    return events.stream()
        .filter(e -> e.getEventType().getName().startsWith("io.jasyncio."))
        .toList();
  }

  @Test
  void spawnSlowStepAndUnhandledExceptionAreRecorded() throws Exception {
    List<RecordedEvent> events = record(true);

    assertThat(events)
        .filteredOn(e -> e.getEventType().getName().equals("io.jasyncio.TaskSpawn"))
        .extracting(e -> e.getString("taskName"))
        .contains("sluggish", "failing");
    RecordedEvent spawn =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("io.jasyncio.TaskSpawn"))
            .filter(e -> e.getString("taskName").equals("failing"))
            .findFirst()
            .orElseThrow();
    assertThat(spawn.getLong("parentId")).isEqualTo(1);
    assertThat(spawn.getStackTrace().getFrames())
        .anyMatch(f -> f.getMethod().getName().startsWith("lambda$program"));

    RecordedEvent slow =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("io.jasyncio.SlowStep"))
            .filter(e -> e.getString("taskName").equals("sluggish"))
            .findFirst()
            .orElseThrow();
    assertThat(Duration.ofNanos(slow.getLong("stepDuration"))).isGreaterThan(Duration.ofMillis(1));

    RecordedEvent unhandled =
        events.stream()
            .filter(e -> e.getEventType().getName().equals("io.jasyncio.UnhandledException"))
            .findFirst()
            .orElseThrow();
    assertThat(unhandled.getString("taskName")).isEqualTo("failing");
    assertThat(unhandled.getString("exceptionClass")).isEqualTo("java.lang.IllegalStateException");
    assertThat(unhandled.getString("exceptionMessage")).isEqualTo("nobody looks");
    assertThat(unhandled.getString("message")).contains("never retrieved");
  }

  @Test
  void nothingIsRecordedWhenTheEventsAreDisabled() throws Exception {
    assertThat(record(false)).isEmpty();
  }
}
