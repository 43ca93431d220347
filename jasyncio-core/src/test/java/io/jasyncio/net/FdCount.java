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
