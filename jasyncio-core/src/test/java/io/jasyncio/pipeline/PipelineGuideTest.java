package io.jasyncio.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Async;
import io.jasyncio.ExceptionGroup;
import io.jasyncio.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The examples of docs/pipelines.md, compiled and run. */
class PipelineGuideTest {
  record Page(int id, int size) {}

  /** A simulated download: a little latency, then a page. */
  static Page download(int id) {
    Async.sleep(Duration.ofMillis(1));
    if (id < 0) {
      throw new IllegalArgumentException("no page " + id);
    }
    return new Page(id, id % 100);
  }

  // tag::sixty-four[]
  static long totalSize(int count) {
    Iterator<Integer> ids = IntStream.range(0, count).iterator(); // lazy: nothing materialized
    List<Page> pages = Pipeline.map(ids, 64, id -> download(id)); // 64 at a time, input order
    long total = 0;
    for (Page p : pages) {
      total += p.size();
    }
    return total;
  }

  // end::sixty-four[]

  // tag::settled[]
  static List<String> report(List<Integer> ids) {
    List<String> lines = new ArrayList<>();
    List<Outcome<Page>> outcomes = Pipeline.mapSettled(ids, 8, id -> download(id));
    for (int i = 0; i < ids.size(); i++) {
      lines.add(
          switch (outcomes.get(i)) {
            case Outcome.Success<Page> s -> ids.get(i) + ": " + s.value().size() + " bytes";
            case Outcome.Failure<Page> f -> ids.get(i) + ": failed, " + f.error().getMessage();
          });
    }
    return lines;
  }

  // end::settled[]

  // tag::producer-consumer[]
  /** The producer: generates work lazily, as a file reader or a paginated API would. */
  static Iterator<String> lines(int count) {
    return new Iterator<>() {
      int next;

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public String next() {
        return "line " + next++;
      }
    };
  }

  static List<String> enrichAndStore(int count) {
    List<String> store = new ArrayList<>();
    Pipeline.mapUnordered(
        lines(count), // producer: pulled only when a worker slot is free
        8, // workers: 8 lines in flight at most
        ErrorPolicy.FAIL_FAST,
        line -> {
          Async.sleep(Duration.ofMillis(1)); // the slow part: a lookup, a model call...
          return line.toUpperCase(Locale.ROOT);
        },
        enriched -> store.add(enriched)); // consumer: runs in the caller, in completion order
    return store;
  }

  // end::producer-consumer[]

  @Test
  void theSixtyFourAtATimeExampleProcessesEveryItem() {
    long expected = 0;
    for (int i = 0; i < 2_000; i++) {
      expected += i % 100;
    }
    long total = expected;
    assertThat(Async.run(() -> totalSize(2_000))).isEqualTo(total);
  }

  @Test
  void theSettledExampleReportsFailuresInPlace() {
    assertThat(Async.run(() -> report(List.of(1, -2, 3))))
        .containsExactly("1: 1 bytes", "-2: failed, no page -2", "3: 3 bytes");
  }

  @Test
  void theProducerConsumerExampleStoresEveryLine() {
    List<String> stored = Async.run(() -> enrichAndStore(50));
    assertThat(stored).hasSize(50).contains("LINE 0", "LINE 49");
  }

  @Test
  void collectModeThrowsAGroupThatCanBeInspected() {
    // tag::collect[]
    try {
      Async.run(
          () -> Pipeline.map(List.of(1, -2, 3, -4), 2, ErrorPolicy.COLLECT, id -> download(id)));
    } catch (ExceptionGroup failures) {
      for (Throwable t : failures.exceptions()) {
        System.out.println("failed: " + t.getMessage()); // no page -2, then no page -4
      }
      // end::collect[]
      assertThat(failures.exceptions())
          .extracting(Throwable::getMessage)
          .containsExactly("no page -2", "no page -4");
      return;
    }
    throw new AssertionError("expected an ExceptionGroup");
  }
}
