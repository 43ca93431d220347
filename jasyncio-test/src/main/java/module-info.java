/**
 * jasyncio test support: a virtual-time event loop ({@link io.jasyncio.test.TestLoop}), a JUnit 5
 * extension ({@link io.jasyncio.test.AsyncTest}) and seeded schedule exploration ({@link
 * io.jasyncio.test.Explore}).
 */
module io.jasyncio.test {
  requires transitive io.jasyncio;
  requires transitive org.junit.jupiter.api;

  exports io.jasyncio.test;
}
