package io.jasyncio.net;

import io.jasyncio.Async;
import io.jasyncio.Awaitable;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.WaitMode;
import io.jasyncio.WaitResult;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Connects to the first of several addresses that answers: one after another, or staggered (RFC
 * 8305 "Happy Eyeballs", asyncio's {@code staggered_race}).
 *
 * <h2>The race</h2>
 *
 * The addresses are ordered ({@link #interleave}), the first attempt starts, and each next one
 * starts when the delay has passed since the last start <em>or</em> as soon as an attempt fails,
 * whichever comes first. Each attempt is a task of its own, subject to the connect timeout. The
 * first attempt to connect wins; every other attempt is cancelled (which closes its socket) and
 * waited for, and a loser that connected in the same instant is closed, so the caller is left with
 * one socket. If every attempt fails, the first failure is thrown with the others suppressed. If
 * the caller is cancelled, every attempt is cancelled and waited for, and a connection won
 * meanwhile is closed.
 */
final class Connector {
  /** Opens one connection to one address; suspends; closes its socket on every failure. */
  @FunctionalInterface
  interface Attempt {
    Connection connect(InetSocketAddress to) throws IOException;
  }

  private Connector() {}

  /**
   * Connects to one of {@code addresses} at {@code port}; <b>suspends</b>.
   *
   * @param delay the Happy Eyeballs delay, or null for one address after another
   * @param interleave the first address family count, 0 to keep the order
   */
  static Connection connect(
      List<InetAddress> addresses, int port, Duration delay, int interleave, Attempt attempt)
      throws IOException {
    if (addresses.isEmpty()) {
      throw new java.net.UnknownHostException("no address to connect to");
    }
    List<InetSocketAddress> targets = new ArrayList<>();
    for (InetAddress a : interleave(addresses, interleave)) {
      targets.add(new InetSocketAddress(a, port));
    }
    if (delay == null || targets.size() == 1) {
      return sequential(targets, attempt);
    }
    return race(targets, delay, attempt);
  }

  private static Connection sequential(List<InetSocketAddress> targets, Attempt attempt)
      throws IOException {
    IOException first = null;
    for (InetSocketAddress to : targets) {
      try {
        return attempt.connect(to);
      } catch (IOException e) {
        first = collect(first, e);
      }
    }
    throw Objects.requireNonNull(first);
  }

  private static IOException collect(IOException first, IOException e) {
    if (first == null) {
      return e;
    }
    first.addSuppressed(e);
    return first;
  }

  private static Connection race(List<InetSocketAddress> targets, Duration delay, Attempt attempt)
      throws IOException {
    List<Task<Connection>> started = new ArrayList<>();
    List<Awaitable<Connection>> running = new ArrayList<>();
    IOException first = null;
    Connection winner = null;
    Awaitable<Connection> winnerTask = null;
    int next = 0;
    try {
      boolean startNext = true;
      for (; ; ) {
        if (startNext && next < targets.size()) {
          InetSocketAddress to = targets.get(next++);
          Task<Connection> t = Async.spawn("connect " + to, () -> attempt.connect(to));
          started.add(t);
          running.add(t);
        }
        if (running.isEmpty()) {
          throw Objects.requireNonNull(first);
        }
        WaitResult<Connection> r =
            Async.wait(running, WaitMode.FIRST_COMPLETED, next < targets.size() ? delay : null);
        startNext = r.done().isEmpty(); // the delay passed
        for (Awaitable<Connection> d : r.done()) {
          running.remove(d);
          Throwable e = d.exception();
          if (e == null) {
            if (winner == null) {
              winner = d.result();
              winnerTask = d;
            }
          } else {
            startNext = true; // a failure frees the way for the next address at once
            first = collect(first, asIoException(e));
          }
        }
        if (winner != null) {
          return winner;
        }
      }
    } finally {
      cleanUp(started, winnerTask, winner);
    }
  }

  private static IOException asIoException(Throwable e) {
    if (e instanceof IOException io) {
      return io;
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    return new IOException(e);
  }

  /** Cancels and waits for every attempt but the winner; closes any loser that connected. */
  private static void cleanUp(
      List<Task<Connection>> started, Awaitable<Connection> winnerTask, Connection winner) {
    List<Task<Connection>> unfinished = new ArrayList<>();
    for (Task<Connection> t : started) {
      if (t == winnerTask) {
        continue;
      }
      // Whenever it ends (now, or after the cancellation below): close a connection it made.
      t.addDoneCallback(
          x -> {
            if (!x.isCancelled() && x.exception() == null) {
              x.result().abort();
            }
          });
      if (!t.isDone()) {
        t.cancel();
        unfinished.add(t);
      }
    }
    if (unfinished.isEmpty()) {
      return;
    }
    try {
      Async.wait(unfinished, WaitMode.ALL_COMPLETED);
    } catch (CancelledError e) {
      // Cancelled while the losers unwind: they still close their sockets; so must the winner.
      if (winner != null) {
        winner.abort();
      }
      throw e;
    }
  }

  /**
   * Orders addresses as RFC 8305 section 4 does: {@code firstFamilyCount} addresses of the first
   * address's family, then alternating families; 0 (or a single family) keeps the order.
   */
  static List<InetAddress> interleave(List<InetAddress> addresses, int firstFamilyCount) {
    if (firstFamilyCount <= 0 || addresses.size() <= 1) {
      return List.copyOf(addresses);
    }
    Map<Boolean, ArrayDeque<InetAddress>> byFamily = new LinkedHashMap<>();
    for (InetAddress a : addresses) {
      byFamily.computeIfAbsent(a instanceof Inet6Address, k -> new ArrayDeque<>()).add(a);
    }
    if (byFamily.size() == 1) {
      return List.copyOf(addresses);
    }
    List<ArrayDeque<InetAddress>> families = new ArrayList<>(byFamily.values());
    List<InetAddress> out = new ArrayList<>(addresses.size());
    ArrayDeque<InetAddress> firstFamily = families.get(0);
    for (int i = 0; i < firstFamilyCount - 1 && !firstFamily.isEmpty(); i++) {
      out.add(firstFamily.poll());
    }
    while (out.size() < addresses.size()) {
      for (ArrayDeque<InetAddress> f : families) {
        InetAddress a = f.poll();
        if (a != null) {
          out.add(a);
        }
      }
    }
    return out;
  }
}
