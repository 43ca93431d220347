package io.jasyncio.files;

import io.jasyncio.internal.LoopImpl;
import io.jasyncio.internal.io.Blocking;
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
    checkOptions(options);
    LoopImpl.currentTask("AsyncFiles.open");
    OpenOption[] opts = options.length == 0 ? new OpenOption[] {StandardOpenOption.READ} : options;
    boolean append = List.of(opts).contains(StandardOpenOption.APPEND);
    boolean writable = append || List.of(opts).contains(StandardOpenOption.WRITE);
    return Blocking.call(
        "open",
        () -> {
          if (Files.isDirectory(path)) {
            // Linux opens a directory for reading; its first read would fail without the name
            throw new java.nio.file.FileSystemException(path.toString(), null, "Is a directory");
          }
          FileChannel ch = FileChannel.open(path, opts);
          boolean mayBlock = !Files.isRegularFile(path); // a pipe, FIFO or device; never throws
          return new AsyncFile(path, ch, append, false, mayBlock, writable);
        },
        AsyncFile::discardChannel);
  }

  /** Rejects a null options array or a null option by name (the JDK throws a bare NPE). */
  private static void checkOptions(Object[] options) {
    Objects.requireNonNull(options, "options");
    for (int i = 0; i < options.length; i++) {
      if (options[i] == null) {
        throw new NullPointerException("options must not contain null (element " + i + ")");
      }
    }
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
    checkOptions(options);
    Blocking.call("write", () -> Files.write(path, data, options));
  }

  /** Writes a whole UTF-8 file. */
  public static void writeString(Path path, CharSequence text, OpenOption... options)
      throws IOException {
    Objects.requireNonNull(text, "text");
    write(path, text.toString().getBytes(StandardCharsets.UTF_8), options);
  }

  /**
   * Replaces {@code target} atomically with {@code data}: the bytes go to a temporary file in the
   * same directory, are forced to disk, and the file is moved over the target, so a reader sees the
   * old content or the new, never a mix. The temporary file is removed on failure. An existing
   * target's POSIX permissions carry over to the new file (a new one gets the temporary file's
   * owner-only permissions).
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
            try {
              // the temporary file is owner-only (0600): keep what the target allowed
              Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
            } catch (java.nio.file.NoSuchFileException | UnsupportedOperationException none) {
              // a new target, or a file system without POSIX permissions
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
    checkOptions(options);
    return Blocking.call("move", () -> Files.move(source, target, options));
  }

  /**
   * Creates an empty temporary file in the default temporary directory (see {@link
   * Files#createTempFile(String, String, java.nio.file.attribute.FileAttribute[])}: {@code prefix}
   * and {@code suffix} may be null). Deleting it is up to the caller; {@link #tempFile} deletes on
   * close.
   */
  public static Path createTempFile(String prefix, String suffix) throws IOException {
    return Blocking.call("temp", () -> Files.createTempFile(prefix, suffix));
  }

  /**
   * Creates an empty temporary file in {@code dir}; see {@link #createTempFile(String, String)}.
   */
  public static Path createTempFile(Path dir, String prefix, String suffix) throws IOException {
    Objects.requireNonNull(dir, "dir");
    return Blocking.call("temp", () -> Files.createTempFile(dir, prefix, suffix));
  }

  /**
   * Creates a temporary directory in the default temporary directory ({@code prefix} may be null).
   * Deleting it is up to the caller; {@link #tempDirectory} deletes on close.
   */
  public static Path createTempDirectory(String prefix) throws IOException {
    return Blocking.call("temp", () -> Files.createTempDirectory(prefix));
  }

  /** Creates a temporary directory in {@code dir}; see {@link #createTempDirectory(String)}. */
  public static Path createTempDirectory(Path dir, String prefix) throws IOException {
    Objects.requireNonNull(dir, "dir");
    return Blocking.call("temp", () -> Files.createTempDirectory(dir, prefix));
  }

  /**
   * Creates a temporary file in the default temporary directory and opens it for reading and
   * writing; {@link AsyncFile#close()} deletes it (aiofiles' {@code NamedTemporaryFile}). Its name,
   * {@link AsyncFile#path()}, can be used meanwhile.
   *
   * <pre>{@code
   * try (AsyncFile tmp = AsyncFiles.tempFile("report", ".csv")) {
   *   tmp.write("a,b\n");
   *   tmp.flush();
   *   upload(tmp.path());
   * } // deleted here, even if cancelled
   * }</pre>
   *
   * @param prefix the start of the file name, or null
   * @param suffix the end of the file name, or null for {@code .tmp}
   */
  public static AsyncFile tempFile(String prefix, String suffix) throws IOException {
    return openTemp(null, prefix, suffix);
  }

  /** {@link #tempFile(String, String)} in {@code dir}. */
  public static AsyncFile tempFile(Path dir, String prefix, String suffix) throws IOException {
    Objects.requireNonNull(dir, "dir");
    return openTemp(dir, prefix, suffix);
  }

  private static AsyncFile openTemp(Path dir, String prefix, String suffix) throws IOException {
    LoopImpl.currentTask("AsyncFiles.tempFile");
    return Blocking.call(
        "temp",
        () -> {
          Path p =
              dir == null
                  ? Files.createTempFile(prefix, suffix)
                  : Files.createTempFile(dir, prefix, suffix);
          try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new AsyncFile(p, ch, false, true, false, true);
          } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(p);
            throw e;
          }
        },
        AsyncFile::discard); // cancelled while creating: closed and deleted before CancelledError
  }

  /**
   * Creates a temporary directory in the default temporary directory; {@link TempDirectory#close()}
   * deletes it with everything in it (aiofiles' {@code TemporaryDirectory}).
   *
   * @param prefix the start of the directory name, or null
   */
  public static TempDirectory tempDirectory(String prefix) throws IOException {
    return makeTempDirectory(null, prefix);
  }

  /** {@link #tempDirectory(String)} in {@code dir}. */
  public static TempDirectory tempDirectory(Path dir, String prefix) throws IOException {
    Objects.requireNonNull(dir, "dir");
    return makeTempDirectory(dir, prefix);
  }

  private static TempDirectory makeTempDirectory(Path dir, String prefix) throws IOException {
    LoopImpl.currentTask("AsyncFiles.tempDirectory");
    Path p =
        Blocking.call(
            "temp",
            () ->
                dir == null
                    ? Files.createTempDirectory(prefix)
                    : Files.createTempDirectory(dir, prefix),
            TempDirectory::deleteTreeQuietly); // cancelled while creating: removed again
    return new TempDirectory(p);
  }
}
