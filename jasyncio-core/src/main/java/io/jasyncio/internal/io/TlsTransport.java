package io.jasyncio.internal.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * One {@link SSLEngine} over a non-blocking socket registered with the loop: the {@link ByteSource}
 * of a TLS connection's reader (records in, plaintext out) and the {@link ByteSink} of its writer
 * (plaintext in, records out). Loop thread only.
 *
 * <h2>States</h2>
 *
 * <pre>
 *  handshaking --handshake() ok--> open --peer's close_notify or TCP EOF--> inbound done
 *       |                            |                                           |
 *       |                            +--shutdownOutput (close_notify)--> outbound done
 *       +--failure, timeout, cancel--+-----close / abort / I/O error-----------> closed
 * </pre>
 *
 * Inbound and outbound end independently (TLS 1.3 half-close); with TLS 1.2 the JDK engine answers
 * a close_notify with its own, so the peer's close_notify also ends the outbound direction.
 *
 * <h2>Buffers and invariants</h2>
 *
 * <ul>
 *   <li>{@code netIn} (write mode): bytes read from the socket and not yet unwrapped, at {@code [0,
 *       position)}. The socket is read only when the engine reports {@code BUFFER_UNDERFLOW}, so
 *       everything buffered is unwrapped first.
 *   <li>{@code appIn} (read mode): plaintext unwrapped and not yet handed to the reader. Unwrapping
 *       happens only when it is empty, so it never holds more than one record.
 *   <li>{@code netOut} (read mode): records wrapped and not yet sent. All records, the writer's and
 *       the engine's own (handshake messages, a key update, close_notify, an alert), go through
 *       this one buffer in the order the engine made them. {@link #write} wraps only when it is
 *       empty, so the writer's share is bounded by one record; it says it holds bytes ({@link
 *       #hasBuffered}) only for records it wrapped, which it then sends from {@link #flush()}.
 *       Records the engine made while reading are sent by the transport's own writable callback.
 *   <li>The loop's writable callback slot belongs to the transport: the writer's callback is called
 *       from it, and the slot is released when neither the writer nor {@code netOut} needs it.
 * </ul>
 *
 * <h2>End of stream</h2>
 *
 * The peer's close_notify ends the stream. A TCP end of stream without one after the handshake is
 * also treated as end of stream (as asyncio does) when it comes between two records: protocols that
 * need to detect truncation carry their own framing. In the middle of a record, or during the
 * handshake, it is an error.
 */
public final class TlsTransport implements ByteSource, ByteSink {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final SocketChannel channel;
  private final IoHandle handle;
  private final SSLEngine engine;
  private ByteBuffer netIn;
  private ByteBuffer appIn;
  private ByteBuffer netOut;
  private boolean handshakeDone;
  private boolean inboundDone;
  private boolean closeNotifyReceived;
  private boolean writerHolds;
  private boolean shutdownPending;
  private IOException failure;
  private Runnable writerCallback;
  private Consumer<IOException> failureListener;
  private final Runnable socketWritable = this::socketWritable;
  private byte[] firstBytes;

  /** How long a close may take (see {@link ByteSink#closeTimeoutNanos}). */
  private final long shutdownTimeoutNanos;

  /**
   * A transport over {@code channel} (registered by {@code handle}) with {@code engine}, configured
   * and not yet handshaking; a close may take {@code shutdownTimeout} (see {@link
   * #closeTimeoutNanos()}).
   */
  public TlsTransport(
      SocketChannel channel, IoHandle handle, SSLEngine engine, Duration shutdownTimeout) {
    this.channel = channel;
    this.handle = handle;
    this.engine = engine;
    this.shutdownTimeoutNanos = shutdownTimeout.toNanos();
    int packet = engine.getSession().getPacketBufferSize();
    this.netIn = ByteBuffer.allocate(packet);
    this.appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize()).flip();
    this.netOut = ByteBuffer.allocate(packet).flip();
  }

  /**
   * The peer closed the connection before sending a single byte: a port probe or a health check
   * when it happens to a server, which then does not report it.
   */
  public static final class ClosedSilently extends EOFException {
    private static final long serialVersionUID = 1L;

    ClosedSilently() {
      super("the peer closed the connection before sending anything");
    }
  }

  /**
   * Whether the stream ended with the peer's close_notify, rather than a bare TCP end of stream (or
   * has not ended yet).
   */
  public boolean closeNotifyReceived() {
    return closeNotifyReceived;
  }

  /** The engine (session, negotiated protocol). */
  public SSLEngine engine() {
    return engine;
  }

  // ---------------------------------------------------------------------------------------------
  // Handshake

  /**
   * <b>Suspends</b> the current task until the handshake is done. Delegated tasks (certificate
   * checks, key exchange) run on the loop: see {@link #runDelegatedTasks()}.
   *
   * @throws SSLException what the engine reported (an alert is sent to the peer on a best-effort
   *     basis)
   * @throws EOFException if the peer closed the connection first ({@link ClosedSilently} if it sent
   *     nothing at all)
   * @throws IOException if the socket failed
   * @throws io.jasyncio.CancelledError if cancelled (the caller closes the socket)
   */
  public void handshake() throws IOException {
    try {
      engine.beginHandshake();
      for (; ; ) {
        switch (engine.getHandshakeStatus()) {
          case NEED_TASK -> runDelegatedTasks();
          case NEED_WRAP -> {
            SSLEngineResult r = wrap(EMPTY);
            if (r.getStatus() == Status.CLOSED) {
              sendAllWaiting();
              throw new SSLException("the TLS engine closed during the handshake");
            }
          }
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
            SSLEngineResult r = unwrap();
            if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
              sendAllWaiting(); // our flight first, then wait for the answer
              int n = readNet();
              if (n == 0) {
                handle.await(SelectionKey.OP_READ, "TLS handshake");
              } else if (n < 0) {
                throw firstBytes == null
                    ? new ClosedSilently()
                    : new EOFException("the peer closed the connection during the handshake");
              }
            } else if (r.getStatus() == Status.CLOSED) {
              throw new EOFException("the peer closed TLS during the handshake");
            }
          }
          case NOT_HANDSHAKING, FINISHED -> {
            sendAllWaiting();
            handshakeDone = true;
            return;
          }
        }
      }
    } catch (SSLException e) {
      sendAlert();
      throw e;
    }
  }

  /**
   * What the peer sent first, if it cannot be a TLS record (a plain-text server's greeting, an HTTP
   * request): for error messages. Null if it looked like TLS or nothing came.
   */
  public byte[] notTlsGreeting() {
    byte[] b = firstBytes;
    if (b == null || b.length == 0) {
      return null;
    }
    int type = b[0] & 0xff;
    boolean tlsRecord = type >= 20 && type <= 24 && (b.length < 2 || b[1] == 3);
    return tlsRecord ? null : b;
  }

  /**
   * Runs the engine's delegated tasks inline, on the loop. Measured on loopback with EC P-256 and
   * TLS 1.3 (2 cores): a handshake asks for them three times in all (client and server), about 0.4
   * ms each, 1.3 ms per client-server pair. Running them on a virtual thread through {@link
   * Blocking} kept the loop free meanwhile but made a sequential connect + handshake about 1.5x
   * slower (a hop and a selector wake-up per task), and the longest loop turn was dominated by GC
   * and JIT either way. asyncio and the JDK's SSLSocket run them inline too. A trust manager that
   * blocks (revocation lists fetched over the network) would block the loop: use OCSP stapling or a
   * cache.
   */
  private void runDelegatedTasks() {
    Runnable t;
    while ((t = engine.getDelegatedTask()) != null) {
      t.run();
    }
  }

  private void sendAlert() {
    try {
      wrap(EMPTY);
      channel.write(netOut);
    } catch (IOException | RuntimeException e) {
      // best effort: the peer then sees the connection close without an alert
    }
  }

  private void sendAllWaiting() throws IOException {
    while (netOut.hasRemaining()) {
      channel.write(netOut);
      if (netOut.hasRemaining()) {
        handle.await(SelectionKey.OP_WRITE, "TLS handshake");
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // ByteSource

  @Override
  public int read(ByteBuffer dst) throws IOException {
    checkFailure();
    for (; ; ) {
      if (appIn.hasRemaining()) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        int limit = appIn.limit();
        appIn.limit(appIn.position() + n);
        dst.put(appIn);
        appIn.limit(limit);
        return n;
      }
      if (inboundDone) {
        return -1;
      }
      SSLEngineResult r = unwrap();
      switch (r.getStatus()) {
        case OK -> {
          afterEngineStep(r.getHandshakeStatus());
          if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && !engineWantsMore()) {
            int n = readNet();
            if (n <= 0) {
              return endOrNothing(n);
            }
          }
        }
        case BUFFER_UNDERFLOW -> {
          int n = readNet();
          if (n <= 0) {
            return endOrNothing(n);
          }
        }
        case CLOSED -> {
          inboundDone = true; // the peer's close_notify: -1 once appIn is handed over
          closeNotifyReceived = true;
          afterEngineStep(r.getHandshakeStatus()); // TLS 1.2: our close_notify in reply
        }
        case BUFFER_OVERFLOW -> throw new IllegalStateException("unwrap overflowed"); // unwrap()
      }
    }
  }

  private boolean engineWantsMore() {
    HandshakeStatus hs = engine.getHandshakeStatus();
    return hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP;
  }

  private int endOrNothing(int n) throws SSLException {
    if (n == 0) {
      return 0;
    }
    if (netIn.position() > 0) {
      // Part of a record came and the rest never will: bytes the peer sent are lost, which an end
      // of stream would hide (Go's crypto/tls and OpenSSL report it too).
      throw new SSLException(
          "the peer closed the connection in the middle of a TLS record ("
              + netIn.position()
              + " bytes of it came): the stream is truncated");
    }
    // TCP end of stream without close_notify: end of stream all the same (see the class comment).
    inboundDone = true;
    try {
      engine.closeInbound();
    } catch (SSLException e) {
      // "possible truncation attack": accepted as an end of stream, as asyncio does
    }
    return -1;
  }

  /** Handles what the engine asks for after a read-side step, without waiting. */
  private void afterEngineStep(HandshakeStatus hs) throws IOException {
    for (; ; ) {
      if (hs == HandshakeStatus.NEED_TASK) {
        runDelegatedTasks();
      } else if (hs == HandshakeStatus.NEED_WRAP) {
        SSLEngineResult w = wrap(EMPTY);
        if (w.bytesProduced() == 0 && w.getStatus() == Status.CLOSED) {
          break;
        }
      } else {
        break;
      }
      hs = engine.getHandshakeStatus();
    }
    if (netOut.hasRemaining() && !writerHolds) {
      sendOwn();
    }
  }

  @Override
  public void awaitReadable() throws IOException {
    handle.await(SelectionKey.OP_READ, "read");
  }

  @Override
  public boolean isClosed() {
    return handle.isClosed();
  }

  // ---------------------------------------------------------------------------------------------
  // ByteSink

  @Override
  public int write(ByteBuffer src) throws IOException {
    checkFailure();
    int start = src.position();
    boolean blocked = false;
    while (src.hasRemaining()) {
      if (!sendNow()) {
        blocked = true;
        break;
      }
      SSLEngineResult r = wrap(src);
      if (r.getStatus() == Status.CLOSED) {
        throw new SSLException(
            engine.isInboundDone()
                ? "cannot write: the peer closed the TLS session (before TLS 1.3 a close_notify"
                    + " ends both directions)"
                : "write after the TLS session was closed");
      }
      HandshakeStatus hs = r.getHandshakeStatus();
      if (hs == HandshakeStatus.NEED_TASK) {
        runDelegatedTasks();
      }
      if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && hs != HandshakeStatus.NEED_TASK) {
        break; // the engine waits for the peer (a renegotiation): the writer retries later
      }
      if (r.bytesConsumed() > 0) {
        writerHolds = true;
      }
    }
    if (!blocked) {
      sendNow();
    }
    return src.position() - start;
  }

  @Override
  public boolean hasBuffered() {
    return writerHolds && netOut.hasRemaining();
  }

  @Override
  public boolean flush() throws IOException {
    checkFailure();
    return sendNow();
  }

  @Override
  public void onFailure(Consumer<IOException> listener) {
    failureListener = listener;
  }

  @Override
  public void onWritable(Runnable callback) {
    writerCallback = callback;
    handle.onWritable(socketWritable);
  }

  @Override
  public void stopWritable() {
    writerCallback = null;
    if (!netOut.hasRemaining()) {
      handle.stopWritable();
    }
  }

  /** TLS close_notify, then a TCP half-close once it is sent. */
  @Override
  public void shutdownOutput() throws IOException {
    checkFailure();
    engine.closeOutbound();
    wrap(EMPTY);
    if (sendNow()) {
      channel.shutdownOutput();
    } else {
      shutdownPending = true;
      sendOwn();
    }
  }

  /**
   * Wraps close_notify behind what the writer has buffered and counts it as the writer's, so the
   * writer flushes it before it calls {@link #close()}.
   */
  @Override
  public void beginClose() throws IOException {
    checkFailure();
    if (!handshakeDone || handle.isClosed()) {
      return;
    }
    if (!engine.isOutboundDone()) {
      engine.closeOutbound();
      wrap(EMPTY);
    }
    // Also a close_notify already wrapped (by writeEof, or the engine's reply to the peer's) that
    // the socket could not take: the writer now waits for it.
    if (netOut.hasRemaining()) {
      writerHolds = true;
      sendNow();
    }
  }

  @Override
  public long closeTimeoutNanos() {
    return shutdownTimeoutNanos;
  }

  /** Closes the socket; the writer has sent close_notify first ({@link #beginClose()}). */
  @Override
  public void close() {
    handle.closeChannel();
  }

  /** Closes the socket without close_notify: the peer sees a truncated stream. */
  @Override
  public void abort() {
    handle.closeChannel();
  }

  private void socketWritable() {
    Runnable w = writerCallback;
    if (w != null) {
      w.run(); // the writer's callback calls flush()
      return;
    }
    try {
      if (!sendNow()) {
        return;
      }
      handle.stopWritable();
      if (shutdownPending) {
        shutdownPending = false;
        channel.shutdownOutput();
      }
    } catch (IOException e) {
      failure = e;
      handle.stopWritable();
      // no task is in this send (a reply to the peer, a close_notify sent later): tell the writer,
      // which closes the connection
      Consumer<IOException> l = failureListener;
      if (l != null) {
        l.accept(e);
      }
    }
  }

  /** Sends what the transport made on its own (a reply to the peer), now or when writable. */
  private void sendOwn() throws IOException {
    if (!sendNow()) {
      handle.onWritable(socketWritable);
    }
  }

  /** Writes {@code netOut} without waiting; true if it is empty now. */
  private boolean sendNow() throws IOException {
    if (netOut.hasRemaining()) {
      try {
        channel.write(netOut);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
      if (netOut.hasRemaining()) {
        return false;
      }
    }
    writerHolds = false;
    return true;
  }

  private void checkFailure() throws IOException {
    IOException f = failure;
    if (f != null) {
      throw new ConnectionLostException(f);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Engine steps

  /** Wraps {@code src} into {@code netOut}, after what it holds, growing it as needed. */
  private SSLEngineResult wrap(ByteBuffer src) throws SSLException {
    netOut.compact();
    try {
      for (; ; ) {
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() != Status.BUFFER_OVERFLOW) {
          return r;
        }
        int need = engine.getSession().getPacketBufferSize();
        ByteBuffer bigger = ByteBuffer.allocate(netOut.position() + need);
        netOut.flip();
        bigger.put(netOut);
        netOut = bigger;
      }
    } finally {
      netOut.flip();
    }
  }

  /**
   * Unwraps from {@code netIn} into {@code appIn}, after what it holds (empty on the read path),
   * growing it as needed.
   */
  private SSLEngineResult unwrap() throws SSLException {
    netIn.flip();
    appIn.compact();
    try {
      for (; ; ) {
        SSLEngineResult r = engine.unwrap(netIn, appIn);
        if (r.getStatus() != Status.BUFFER_OVERFLOW) {
          return r;
        }
        int need = engine.getSession().getApplicationBufferSize();
        ByteBuffer bigger = ByteBuffer.allocate(appIn.position() + need);
        appIn.flip();
        bigger.put(appIn);
        appIn = bigger;
      }
    } finally {
      netIn.compact();
      appIn.flip();
    }
  }

  /** Reads the socket into {@code netIn}, growing it if a record does not fit. */
  private int readNet() throws IOException {
    if (!netIn.hasRemaining()) {
      int need = engine.getSession().getPacketBufferSize();
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, netIn.capacity() * 2));
      netIn.flip();
      bigger.put(netIn);
      netIn = bigger;
    }
    int pos = netIn.position();
    int n = channel.read(netIn);
    if (firstBytes == null && n > 0 && pos == 0) {
      int k = Math.min(n, 24);
      firstBytes = new byte[k];
      netIn.get(0, firstBytes);
    }
    return n;
  }
}
