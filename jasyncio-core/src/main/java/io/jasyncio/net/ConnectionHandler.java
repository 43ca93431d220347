package io.jasyncio.net;

/** Serves one accepted connection; runs as its own task (asyncio's {@code client_connected_cb}). */
@FunctionalInterface
public interface ConnectionHandler {
  /**
   * Serves {@code connection}. The server closes the connection when this returns or throws.
   *
   * @throws Exception anything: it is reported to the loop's exception handler and the server goes
   *     on
   */
  void handle(Connection connection) throws Exception;
}
