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
    int before = open();
    scenario.run();
    int after = open();
    assertThat(after).as("open file descriptors after the scenario").isLessThanOrEqualTo(before);
  }
}
