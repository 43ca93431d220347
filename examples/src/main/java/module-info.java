/** Runnable programs, one idea each. */
module io.jasyncio.examples {
  requires io.jasyncio;

  exports io.jasyncio.examples;
  exports io.jasyncio.examples.guide;
  exports io.jasyncio.examples.io;
}
