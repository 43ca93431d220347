package io.jasyncio.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The examples of docs/sync.md, compiled and checked. Keep the two in step. */
class DocExamplesTest {
  // ---- docs/sync.md: "Capping concurrency: a rate-limited download" ----

  static final class Downloader {
    private final Semaphore slots = new Semaphore(3); // at most 3 downloads at a time
    int inFlight;
    int maxInFlight;

    String download(String url) {
      try (var permit = slots.permit()) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        Async.sleep(Duration.ofMillis(5)); // simulated network latency
        inFlight--;
        return "<html>" + url + "</html>";
      }
    }
  }

  @Test
  void rateLimitedDownload() {
    var d = new Downloader();
    List<String> pages =
        Async.run(
            () -> {
              var jobs = new ArrayList<Callable<String>>();
              for (int i = 1; i <= 10; i++) {
                String url = "https://example.com/" + i;
                jobs.add(() -> d.download(url));
              }
              return Async.gather(jobs); // results in argument order
            });
    assertThat(pages).hasSize(10).startsWith("<html>https://example.com/1</html>");
    assertThat(d.maxInFlight).isEqualTo(3);
  }

  // ---- docs/sync.md: "Producer and consumers with a queue" ----

  static Map<String, Integer> wordLengths(List<String> words) {
    return Async.run(
        () -> {
          AsyncQueue<String> queue = AsyncQueue.fifo(4); // producers wait when 4 are queued
          Map<String, Integer> results = new TreeMap<>();
          Async.taskGroup(
              g -> {
                for (int w = 0; w < 2; w++) {
                  g.spawn(
                      () -> {
                        try {
                          while (true) {
                            String word = queue.get(); // suspends while empty
                            Async.sleep(Duration.ZERO); // "work"
                            results.put(word, word.length());
                            queue.taskDone();
                          }
                        } catch (QueueShutDownException done) {
                          // shut down and drained: this consumer is finished
                        }
                      });
                }
                for (String word : words) {
                  queue.put(word); // suspends while full
                }
                queue.join(); // every item processed
                queue.shutdown(); // consumers leave their loops
              });
          return results;
        });
  }

  @Test
  void producerConsumerQueue() {
    assertThat(wordLengths(List.of("event", "loop", "task", "queue", "await", "a")))
        .containsExactly(
            Map.entry("a", 1),
            Map.entry("await", 5),
            Map.entry("event", 5),
            Map.entry("loop", 4),
            Map.entry("queue", 5),
            Map.entry("task", 4));
  }

  // ---- docs/sync.md: "A pipeline with a channel" ----

  static List<String> pipeline() {
    return Async.run(
        () -> {
          var lines = new Channel<String>(8);
          var out = new ArrayList<String>();
          Async.taskGroup(
              g -> {
                g.spawn(
                    () -> {
                      try {
                        for (int i = 1; i <= 3; i++) {
                          lines.send("line " + i);
                        }
                        lines.close();
                      } catch (RuntimeException e) {
                        lines.close(e); // consumers see the failure after the last line
                      }
                    });
                g.spawn(
                    () -> {
                      for (String line : lines) { // suspends between items, ends at close
                        out.add(line.toUpperCase(java.util.Locale.ROOT));
                      }
                    });
              });
          return out;
        });
  }

  @Test
  void channelPipeline() {
    assertThat(pipeline()).containsExactly("LINE 1", "LINE 2", "LINE 3");
  }
}
