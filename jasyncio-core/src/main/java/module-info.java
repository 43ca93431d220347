/**
 * jasyncio core: event loops whose tasks are plain Java methods running on virtual threads,
 * switched only where they wait, with asyncio's structured concurrency, cancellation and timeouts.
 *
 * <p>Start with {@link io.jasyncio.Async}. {@link io.jasyncio.debug} holds the debugging tools:
 * debug mode options and the task tree.
 */
module io.jasyncio {
  requires java.management; // the io.jasyncio:type=TaskTree MBean that `jasyncio ps PID` reads
  requires jdk.jfr; // flight recorder events: TaskSpawn, SlowStep, UnhandledException

  exports io.jasyncio;
  exports io.jasyncio.debug;
  exports io.jasyncio.files;
  exports io.jasyncio.net;
  exports io.jasyncio.pipeline;
  exports io.jasyncio.process;
  exports io.jasyncio.sync;
  exports io.jasyncio.internal to
      io.jasyncio.test;
}
