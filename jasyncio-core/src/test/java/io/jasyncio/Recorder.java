package io.jasyncio;

import java.util.ArrayList;
import java.util.List;

/** Collects events in the order they happen; tests assert the exact order. */
final class Recorder {
  private final List<String> events = new ArrayList<>();

  void add(String event) {
    synchronized (events) {
      events.add(event);
    }
  }

  List<String> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }
}
