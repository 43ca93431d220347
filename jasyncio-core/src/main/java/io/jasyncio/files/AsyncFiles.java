package io.jasyncio.files;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
import io.jasyncio.internal.io.Closeables;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Async file and path operations (Python's {@code aiofiles} and {@code aiofiles.os}).
 *
 * <p>Every method <b>suspends</b> only the calling task: the blocking call runs on a fresh virtual
 * thread and the task resumes when it is done, so the loop keeps running other tasks. A whole-file
 * operation ({@link #readAllBytes}, {@link #write}) is one such hop; prefer it to {@link #open} for
 * small files. Cancelling a waiting task delivers {@link io.jasyncio.CancelledError} at once; a
 * file opened meanwhile is closed, so nothing leaks. Failures are the {@link java.nio.file.Files}
 * exceptions ({@link java.nio.file.NoSuchFileException}, ...), unwrapped.
 */
public final class AsyncFiles {
  private AsyncFiles() {}

  /**
   * Opens a file (like {@link FileChannel#open(Path, OpenOption...)}; no options means read).
   *
   * @return the open file; close it (try-with-resources)
   */
  public static AsyncFile open(Path path, OpenOption... options) throws IOException {
    Objects.requireNonNull(path, "path");
    LoopImpl.currentTask("AsyncFiles.open");
    OpenOption[] opts = options.length == 0 ? new OpenOption[] {StandardOpenOption.READ} : options;
    boolean append = List.of(opts).contains(StandardOpenOption.APPEND);
    FileChannel ch =
        Blocking.call("open", () -> FileChannel.open(path, opts), Closeables::closeQuietly);
    return new AsyncFile(path, ch, append);
  }

  /** Opens for reading. */
  public static AsyncFile openRead(Path path) throws IOException {
    return open(path, StandardOpenOption.READ);
  }

  /** Opens for writing: created if missing, truncated if present. */
  public static AsyncFile openWrite(Path path) throws IOException {
    return open(
        path,
        StandardOpenOption.WRITE,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  /** Opens for appending: created if missing. */
  public static AsyncFile openAppend(Path path) throws IOException {
    return open(
        path, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Reads a whole file in one hop. */
  public static byte[] readAllBytes(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return Blocking.call("read", () -> Files.readAllBytes(path));
  }

  /** Reads a whole UTF-8 file. */
  public static String readString(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return Blocking.call("read", () -> Files.readString(path));
  }

  /** Writes (creates or truncates) a whole file in one hop. */
  public static void write(Path path, byte[] data, OpenOption... options) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(data, "data");
    Blocking.call("write", () -> Files.write(path, data, options));
  }

  /** Writes a whole UTF-8 file. */
  public static void writeString(Path path, CharSequence text, OpenOption... options)
      throws IOException {
    write(path, text.toString().getBytes(StandardCharsets.UTF_8), options);
  }

  /**
   * Replaces {@code target} atomically with {@code data}: the bytes go to a temporary file in the
   * same directory, are forced to disk, and the file is moved over the target, so a reader sees the
   * old content or the new, never a mix. The temporary file is removed on failure.
   */
  public static void atomicReplace(Path target, byte[] data) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(data, "data");
    Blocking.call(
        "replace",
        () -> {
          Path dir = target.toAbsolutePath().getParent();
          Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
          try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
              var bb = java.nio.ByteBuffer.wrap(data);
              while (bb.hasRemaining()) {
                ch.write(bb);
              }
              ch.force(true);
            }
            Files.move(
                tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } finally {
            Files.deleteIfExists(tmp);
          }
          return null;
        });
  }

  /** The file's basic attributes (size, times, kind). */
  public static BasicFileAttributes stat(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return Blocking.call("stat", () -> Files.readAttributes(path, BasicFileAttributes.class));
  }

  /** Whether the path exists. */
  public static boolean exists(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return Blocking.call("exists", () -> Files.exists(path));
  }

  /** The entries of a directory, sorted by name. */
  public static List<Path> list(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    return Blocking.call(
        "list",
        () -> {
          try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
          }
        });
  }

  /** Creates a directory and its missing parents; returns it. */
  public static Path createDirectories(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    return Blocking.call("mkdirs", () -> Files.createDirectories(dir));
  }

  /** Deletes a file or empty directory. */
  public static void delete(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    Blocking.call(
        "delete",
        () -> {
          Files.delete(path);
          return null;
        });
  }

  /** Deletes if present; returns whether it was. */
  public static boolean deleteIfExists(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    return Blocking.call("delete", () -> Files.deleteIfExists(path));
  }

  /** Moves or renames (see {@link Files#move}); returns the target. */
  public static Path move(Path source, Path target, CopyOption... options) throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    return Blocking.call("move", () -> Files.move(source, target, options));
  }

  /** Creates a temporary file in the default temporary directory. */
  public static Path createTempFile(String prefix, String suffix) throws IOException {
    return Blocking.call("temp", () -> Files.createTempFile(prefix, suffix));
  }

  /** Creates a temporary directory in the default temporary directory. */
  public static Path createTempDirectory(String prefix) throws IOException {
    return Blocking.call("temp", () -> Files.createTempDirectory(prefix));
  }
}
