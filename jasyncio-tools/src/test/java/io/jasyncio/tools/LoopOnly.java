package io.jasyncio.tools;

import io.jasyncio.Async;
import javax.management.MBeanServerFactory;

/**
 * A child JVM that runs one loop (a task sleeping ten minutes) and nothing else: once jasyncio's
 * MBean watcher has looked for the platform MBean server and gone back to sleep, it prints how many
 * MBean servers exist ({@code ready servers=N}) and sleeps until killed.
 */
final class LoopOnly {
  private LoopOnly() {}

  public static void main(String[] args) throws Exception {
    java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
    Thread.ofPlatform()
        .daemon(true)
        .start(
            () ->
                Async.run(
                    () -> {
                      running.countDown();
                      Async.sleep(java.time.Duration.ofMinutes(10));
                    }));
    running.await();
    boolean jmxOff = "false".equals(System.getProperty("jasyncio.jmx"));
    Thread watcher = null;
    while (!jmxOff && (watcher == null || watcher.getState() != Thread.State.TIMED_WAITING)) {
      watcher =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().equals("jasyncio-mbean"))
              .findFirst()
              .orElse(null);
      Thread.onSpinWait();
    }
    System.out.println("ready servers=" + MBeanServerFactory.findMBeanServer(null).size());
    System.out.flush();
    Thread.sleep(600_000); // the test attaches, then kills this process
  }
}
