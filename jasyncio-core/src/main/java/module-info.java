/**
 * jasyncio core: event loops whose tasks are plain Java methods running on virtual threads,
 * switched only where they wait, with asyncio's structured concurrency, cancellation and
 * timeouts.
 *
 * <p>Start with {@link io.jasyncio.Async}.
 */
module io.jasyncio {
  exports io.jasyncio;
  exports io.jasyncio.net;
  exports io.jasyncio.files;
  exports io.jasyncio.process;
  exports io.jasyncio.internal to
      io.jasyncio.test;
}
