package io.jasyncio.internal.io;

import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;

/**
 * Builds {@link StreamReader}s and {@link StreamWriter}s over any {@link ByteSource} or {@link
 * ByteSink} for the other packages of this module (subprocess pipes), while their constructors stay
 * package-private in {@code io.jasyncio.net}: that package installs the factory when it is
 * initialized (the JDK's "shared secrets" pattern). This package is not exported.
 */
public final class StreamAccess {
  private StreamAccess() {}

  /** What {@code io.jasyncio.net} provides. */
  public interface Factory {
    /** A reader over {@code source} with this buffer limit. */
    StreamReader reader(ByteSource source, int limit);

    /** A writer over {@code sink} with these water marks. */
    StreamWriter writer(ByteSink sink, int high, int low);
  }

  private static volatile Factory factory;

  /**
   * Installs the factory; called once, by {@code io.jasyncio.net}.
   *
   * @throws IllegalStateException if one is installed already
   */
  public static synchronized void install(Factory f) {
    if (factory != null) {
      throw new IllegalStateException("the stream factory is installed already");
    }
    factory = f;
  }

  /** The factory, initializing {@code io.jasyncio.net} if needed. */
  public static Factory get() {
    Factory f = factory;
    if (f == null) {
      try {
        Class.forName(StreamReader.class.getName(), true, StreamReader.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      f = factory;
      if (f == null) {
        throw new IllegalStateException("io.jasyncio.net did not install its stream factory");
      }
    }
    return f;
  }
}
