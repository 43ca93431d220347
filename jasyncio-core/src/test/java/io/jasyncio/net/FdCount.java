package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;

/** Counts this process's open file descriptors, to prove that a scenario leaks none. */
public final class FdCount {
  private FdCount() {}

  /** The number of entries in /proc/self/fd. */
  public static int open() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }

  /**
   * Runs {@code scenario} twice, the second time counting descriptors before and after (the first
   * run opens what the JVM opens once: jars, selectors' providers, ...).
   */
  public static void assertNoLeak(Runnable scenario) {
    startJdkPollers();
    scenario.run();
    java.util.Map<String, String> before = targets();
    scenario.run();
    java.util.Map<String, String> after = targets();
    java.util.Map<String, String> added = new java.util.TreeMap<>(after);
    added.keySet().removeAll(before.keySet());
    assertThat(after.size())
        .as("open file descriptors after the scenario (new ones: %s)", added)
        .isLessThanOrEqualTo(before.size());
  }

  private static volatile boolean pollersStarted;

  /**
   * Starts the JDK's own I/O pollers (four epoll descriptors, kept for the JVM's life) before any
   * count: they start the first time a virtual thread waits in a blocking select, which a loop does
   * only when it runs out of work, so a first run of a scenario may not have started them and the
   * second would then seem to leak four {@code anon_inode:[eventpoll]}.
   */
  private static void startJdkPollers() {
    if (pollersStarted) {
      return;
    }
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (java.nio.channels.Selector s = java.nio.channels.Selector.open()) {
                    s.select(1); // nothing registered: parks on the JDK's poller for 1 ms
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pollersStarted = true;
  }

  /** Each open descriptor and what it points to ("socket:[123]", a path, ...). */
  private static java.util.Map<String, String> targets() {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    String[] fds = new File("/proc/self/fd").list();
    if (fds != null) {
      for (String fd : fds) {
        try {
          m.put(
              fd,
              java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd", fd))
                  .toString());
        } catch (java.io.IOException e) {
          m.put(fd, "?"); // closed meanwhile (the listing's own descriptor, say)
        }
      }
    }
    return m;
  }
}
