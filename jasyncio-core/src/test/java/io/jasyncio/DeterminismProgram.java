package io.jasyncio;

import java.time.Duration;
import java.util.List;

/** A program with tasks, yields, sleeps, a task group and cancellation, recording a trace. */
final class DeterminismProgram {
  private DeterminismProgram() {}

  static List<String> trace() {
    Recorder r = new Recorder();
    Async.run(
        () -> {
          Async.taskGroup(
              g -> {
                for (int i = 0; i < 4; i++) {
                  int id = i;
                  g.spawn(
                      () -> {
                        for (int step = 0; step < 3; step++) {
                          r.add("worker " + id + " step " + step);
                          if ((id + step) % 2 == 0) {
                            Async.yieldNow();
                          } else {
                            Async.sleep(Duration.ZERO);
                          }
                        }
                      });
                }
                Task<Void> victim =
                    g.spawn(
                        () -> {
                          try {
                            Async.sleep(Duration.ofHours(1));
                          } catch (CancelledError e) {
                            r.add("victim cancelled");
                            throw e;
                          }
                        });
                Async.yieldNow();
                victim.cancel();
                r.add("main cancelled victim");
              });
          r.add("group done");
        });
    return r.events();
  }
}
