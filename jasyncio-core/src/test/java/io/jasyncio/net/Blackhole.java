package io.jasyncio.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address:port where connecting never completes: a listener with backlog 1 that never
 * accepts, its accept queue filled by two connections (Linux, and gVisor, queue backlog + 1 before
 * dropping further SYNs, so a connect there waits for SYN-ACKs that never come until it is given
 * up).
 */
final class Blackhole implements AutoCloseable {
  private final ServerSocketChannel listener;
  private final List<SocketChannel> fillers = new ArrayList<>();

  Blackhole(InetAddress at, int port) throws IOException {
    listener = ServerSocketChannel.open();
    try {
      listener.bind(new InetSocketAddress(at, port), 1);
      for (int i = 0; i < 2; i++) {
        fillers.add(SocketChannel.open(listener.getLocalAddress())); // completes: queued
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  int port() throws IOException {
    return ((InetSocketAddress) listener.getLocalAddress()).getPort();
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel c : fillers) {
      c.close();
    }
    listener.close();
  }
}
